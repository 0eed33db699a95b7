package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets test scripts run "exec offcode …": the test binary re-runs
// itself as offcode, through the real main.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"offcode": main,
	})
}

const scriptDir = "testdata/script"

// TestScript runs the end-to-end scripts in testdata/script. Every script
// passes --at, so none depends on the wall clock (except demo, which is
// self-consistent).
func TestScript(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(scriptDir, "*.txtar"))
	if err != nil || len(files) < 9 {
		t.Fatalf("Glob(%s/*.txtar) = %d files, %v; want at least 9", scriptDir, len(files), err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 scriptDir,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"perm":    cmdPerm,
			"readvar": cmdReadvar,
			"fixture": cmdFixture,
		},
	})
}

// cmdPerm checks a file's permission bits: perm FILE 0600.
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: perm FILE MODE")
	}
	want, err := strconv.ParseUint(args[1], 8, 32)
	if err != nil {
		ts.Fatalf("perm: bad mode %q", args[1])
	}
	fi, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	if got := uint64(fi.Mode().Perm()); (got == want) == neg {
		ts.Fatalf("perm %s: mode is %04o, want %s%04o", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// cmdReadvar sets an environment variable to a file's content without
// surrounding white space: readvar CODE code.txt. A code may contain
// spaces; testscript does not split an expanded $CODE.
func cmdReadvar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: readvar NAME FILE")
	}
	ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile(args[1])))
}

// Fixture values: a key and codes made from fixed seeds, so scripts can
// compare exact output.
const (
	fixtureAt = "2026-11-23T08:00:00+08:00"
	fixtureID = "11010519491231002X"
)

// cmdFixture runs offcode keygen and issue in-process with seeded
// randomness, writing fixed.pem, fixed.json, green.code (green personal)
// and redkin.code (red kin), all issued at fixtureAt for fixtureID; also
// tampered.code, green.code with one character of its signature changed, and
// green.crlf, green.code with surrounding spaces and a CRLF line end.
func cmdFixture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: fixture")
	}
	steps := []struct {
		out  string
		args []string
	}{
		{"", []string{"keygen", "--key", "fixed.pem", "--trust", "fixed.json", "--issuer", "fixture"}},
		{"green.code", []string{"issue", "--key", "fixed.pem", "--id", fixtureID, "--colour", "green", "--at", fixtureAt}},
		{"redkin.code", []string{"issue", "--key", "fixed.pem", "--id", fixtureID, "--colour", "red", "--kind", "kin", "--at", fixtureAt}},
	}
	for i, s := range steps {
		for j, a := range s.args {
			if strings.HasSuffix(a, ".pem") || strings.HasSuffix(a, ".json") {
				s.args[j] = ts.MkAbs(a)
			}
		}
		e, stdout, stderr := testEnv("", seeded(uint64(i)))
		if code := run(context.Background(), e, s.args); code != 0 {
			ts.Fatalf("fixture: offcode %s = exit %d: %s", s.args[0], code, stderr)
		}
		if s.out != "" {
			ts.Check(os.WriteFile(ts.MkAbs(s.out), stdout.Bytes(), 0o644))
		}
	}
	green := strings.TrimSpace(ts.ReadFile("green.code"))
	i, _, to := tamper(green)
	ts.Check(os.WriteFile(ts.MkAbs("tampered.code"), []byte(green[:i]+string(to)+green[i+1:]+"\n"), 0o644))
	ts.Check(os.WriteFile(ts.MkAbs("green.crlf"), []byte("  "+green+" \r\n"), 0o644))
}

// seeded returns a deterministic random stream.
func seeded(n uint64) *rand.ChaCha8 {
	var seed [32]byte
	copy(seed[:], fmt.Sprintf("offcode cmd test %d", n))
	return rand.NewChaCha8(seed)
}

// testEnv returns an env reading stdin and rnd, with a clock fixed at
// fixtureAt, and the buffers its output goes to.
func testEnv(stdin string, rnd *rand.ChaCha8) (*env, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	now, err := time.Parse(time.RFC3339, fixtureAt)
	if err != nil {
		panic(err)
	}
	return &env{
		stdin:  strings.NewReader(stdin),
		stdout: &stdout,
		stderr: &stderr,
		now:    func() time.Time { return now },
		rand:   rnd,
		getenv: func(string) string { return "" },
	}, &stdout, &stderr
}
