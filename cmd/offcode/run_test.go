package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// setup makes a key and trust store in a temporary directory and issues a
// green code at fixtureAt. It returns the trust store's path and the code.
func setup(t *testing.T) (trust, code string) {
	t.Helper()
	dir := t.TempDir()
	key, trust := filepath.Join(dir, "issuer.pem"), filepath.Join(dir, "trust.json")
	mustRun(t, seeded(1), "keygen", "--key", key, "--trust", trust)
	code = strings.TrimSpace(mustRun(t, seeded(2), "issue", "--key", key, "--id", fixtureID, "--colour", "green", "--at", fixtureAt))
	return trust, code
}

// mustRun runs offcode with args, randomness from rnd, and fails the test
// unless it exits 0. It returns stdout.
func mustRun(t *testing.T, rnd *rand.ChaCha8, args ...string) string {
	t.Helper()
	e, stdout, stderr := testEnv("", rnd)
	if code := run(context.Background(), e, args); code != exitOK {
		t.Fatalf("offcode %s = exit %d, want 0; stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	return stdout.String()
}

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// TestVerifyEveryCharacterChanged changes each character of a code to every
// other Base45 character in turn: verify must reject every one (exit 1,
// verdict not valid).
func TestVerifyEveryCharacterChanged(t *testing.T) {
	trust, code := setup(t)
	// "--" ends the options: a changed first character may be '-'.
	args := []string{"verify", "--json", "--trust", trust, "--at", fixtureAt, "--", code}
	e, stdout, stderr := testEnv("", seeded(0))
	if got := run(context.Background(), e, args); got != exitOK {
		t.Fatalf("verify(original) = exit %d, want 0; stdout %s stderr %s", got, stdout, stderr)
	}
	verdicts := map[string]int{}
	n := 0
	for i := range len(code) {
		for _, c := range []byte(base45Alphabet) {
			if c == code[i] {
				continue
			}
			mutated := code[:i] + string(c) + code[i+1:]
			args[len(args)-1] = mutated
			e, stdout, stderr := testEnv("", seeded(0))
			got := run(context.Background(), e, args)
			var v struct {
				Valid   bool   `json:"valid"`
				Verdict string `json:"verdict"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
				t.Fatalf("verify(char %d = %q) printed %q, stderr %q: %v", i, c, stdout, stderr, err)
			}
			if got != exitRejected || v.Valid || v.Verdict == "valid" || v.Verdict == "" {
				t.Errorf("verify(char %d changed from %q to %q) = exit %d, verdict %q, valid %v; want exit 1 and a rejection",
					i, code[i], c, got, v.Verdict, v.Valid)
			}
			verdicts[v.Verdict]++
			n++
		}
	}
	if want := len(code) * (len(base45Alphabet) - 1); n != want {
		t.Fatalf("checked %d mutations, want %d", n, want)
	}
	t.Logf("%d single-character changes of a %d-character code, verdicts: %v", n, len(code), verdicts)
}

// TestVerifyStreamAnswersEachLine checks that verify - answers each line as
// soon as it is read, before the next arrives, as a scanner needs.
func TestVerifyStreamAnswersEachLine(t *testing.T) {
	trust, code := setup(t)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	e, _, stderr := testEnv("", seeded(0))
	e.stdin, e.stdout = inR, outW
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), e, []string{"verify", "--trust", trust, "--at", fixtureAt, "-"})
		outW.Close()
	}()
	out := bufio.NewReader(outR)
	for i, tc := range []struct{ in, want string }{
		{code + "\r\n", "VALID  green  personal  expires 2026-11-30 08:00 北京时间 (7d left)\n"},
		{"\n", ""}, // blank: no verdict line
		{"OC1:ABC\n", "BAD_TAG  "},
		{"  " + code + "  \n", "VALID  green"},
	} {
		if _, err := io.WriteString(inW, tc.in); err != nil {
			t.Fatal(err)
		}
		if tc.want == "" {
			continue
		}
		line := make(chan string, 1)
		go func() {
			s, _ := out.ReadString('\n')
			line <- s
		}()
		select {
		case got := <-line:
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("line %d: verdict %q, want prefix %q", i, got, tc.want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("line %d: no verdict within 10s of the line (stderr %q)", i, stderr)
		}
	}
	inW.Close()
	if rest, _ := io.ReadAll(out); len(rest) != 0 {
		t.Errorf("output after the last verdict: %q", rest)
	}
	if got := <-done; got != exitRejected {
		t.Errorf("verify - = exit %d, want 1 (one code was rejected)", got)
	}
}

// TestKeygenSameKeyTwice: a key the trust store already holds is not added
// again (a no-op for the store), though the new key file is written.
func TestKeygenSameKeyTwice(t *testing.T) {
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	mustRun(t, seeded(7), "keygen", "--key", filepath.Join(dir, "a.pem"), "--trust", trust)
	before, err := os.ReadFile(trust)
	if err != nil {
		t.Fatal(err)
	}
	e, stdout, stderr := testEnv("", seeded(7))
	if got := run(context.Background(), e, []string{"keygen", "--key", filepath.Join(dir, "b.pem"), "--trust", trust}); got != exitOK {
		t.Fatalf("keygen (same key again) = exit %d, want 0; stderr %s", got, stderr)
	}
	if !strings.Contains(stderr.String(), "already holds key "+strings.TrimSpace(stdout.String())+", left unchanged") {
		t.Errorf("keygen (same key again) stderr = %q, want it to say the store is unchanged", stderr)
	}
	after, err := os.ReadFile(trust)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("trust store changed:\n%s\nwant:\n%s", after, before)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range entries {
		if strings.Contains(f.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", f.Name())
		}
	}
}

// TestKeygenLeavesNoTempFile checks the atomic rewrite of a trust store.
func TestKeygenLeavesNoTempFile(t *testing.T) {
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	for i, k := range []string{"a.pem", "b.pem", "c.pem"} {
		mustRun(t, seeded(uint64(10+i)), "keygen", "--key", filepath.Join(dir, k), "--trust", trust)
	}
	_, keys, err := loadTrust(trust)
	if err != nil || len(keys) != 3 {
		t.Fatalf("loadTrust after 3 keygens = %d keys, %v; want 3", len(keys), err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		var names []string
		for _, f := range entries {
			names = append(names, f.Name())
		}
		t.Errorf("directory holds %v, want 3 keys and trust.json", names)
	}
}

func TestSpan(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0s"},
		{0, "0s"},
		{59 * time.Second, "59s"},
		{time.Minute, "1m"},
		{61 * time.Second, "1m 1s"},
		{time.Hour + 30*time.Minute + 59*time.Second, "1h 30m"},
		{7 * 24 * time.Hour, "7d"},
		{7*24*time.Hour - time.Second, "6d 23h"},
		{24*time.Hour + 3*time.Hour, "1d 3h"},
	} {
		if got := span(tc.d); got != tc.want {
			t.Errorf("span(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestReadLine(t *testing.T) {
	long := strings.Repeat("x", 3*maxLine)
	exact := strings.Repeat("y", maxLine)
	r := bufio.NewReaderSize(strings.NewReader("a\r\n\n"+long+"\n"+exact+"\n"+exact+"z\n"+exact+"\nlast"), 16)
	type line struct {
		s    string
		long bool
	}
	var got []line
	for {
		s, long, err := readLine(r)
		got = append(got, line{s, long})
		if err != nil {
			if err != io.EOF {
				t.Fatalf("readLine: %v", err)
			}
			break
		}
	}
	want := []line{{"a\r", false}, {"", false}, {"", true}, {exact, false}, {"", true}, {exact, false}, {"last", false}}
	if len(got) != len(want) {
		t.Fatalf("readLine lines = %d, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("readLine line %d = %.20q (len %d, long %v), want %.20q (len %d, long %v)",
				i, got[i].s, len(got[i].s), got[i].long, want[i].s, len(want[i].s), want[i].long)
		}
	}
}

// TestStdinLongLine: a valid code padded with spaces and junk past the line
// limit is too_large, never cut back into the valid code.
func TestStdinLongLine(t *testing.T) {
	dir := t.TempDir()
	const at = "2026-11-23T08:00:00+08:00"
	must := mustIn(t, dir)
	must(0, at, "keygen", "--key", "@issuer.pem", "--trust", "@trust.json")
	code := strings.TrimSpace(must(0, at, "issue", "--key", "@issuer.pem", "--id", "11010519491231002X", "--colour", "green"))
	padded := code + strings.Repeat(" ", maxLine) + "junk"
	for _, tc := range []struct {
		stdin string
		exit  int
		want  string
	}{
		{code + "\n", 0, "VALID  green"},
		{padded + "\n", 1, "TOO_LARGE  code is too large: a line of standard input is longer than 4096 bytes"},
		{padded + "\n" + code + "\n", 1, "TOO_LARGE"},
	} {
		var stdout, stderr bytes.Buffer
		now, _ := time.Parse(time.RFC3339, at)
		e := &env{stdin: strings.NewReader(tc.stdin), stdout: &stdout, stderr: &stderr,
			now: func() time.Time { return now }, getenv: func(string) string { return "" }}
		got := run(context.Background(), e, []string{"verify", "--trust", filepath.Join(dir, "trust.json"), "-"})
		if got != tc.exit || !strings.HasPrefix(stdout.String(), tc.want) {
			t.Errorf("verify - < %d bytes = exit %d, %q; want exit %d, %q", len(tc.stdin), got, stdout.String(), tc.exit, tc.want)
		}
	}
}

// TestCommandsHaveHelp checks that every command's help names the command
// under Usage and has Examples.
func TestCommandsHaveHelp(t *testing.T) {
	for _, c := range commands {
		for _, s := range []string{"Usage:\n    offcode " + c.name, "\nExamples:\n"} {
			if !strings.Contains(c.usage, s) {
				t.Errorf("help for %s lacks %q", c.name, s)
			}
		}
	}
}
