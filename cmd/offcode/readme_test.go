package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The README's checked examples. A code block in README.md preceded by the
// line readmeMarker is a transcript: lines starting with "$ " are commands
// (a line ending in a backslash goes on to the next), the lines after a
// command are what it prints, standard output and standard error together.
// In expected output, "…" stands for any text within one line (a code, a
// key ID, a time relative to now): the number of lines must agree.
//
// TestREADME runs every checked command, in README order, in one bash
// session in an empty directory with offcode (this test binary, see
// TestMain) first on PATH, as a reader pasting the blocks into a shell
// would, and compares what each prints. Blocks without the marker (ones
// that build, serve or need the network) are not run.
const readmeMarker = "<!-- readme-check -->"

// readmeMinBlocks guards against the marker going missing: fewer checked
// blocks than this fails the test.
const readmeMinBlocks = 11

type readmeCmd struct {
	line int    // line number in README.md
	cmd  string // the command, continuation lines joined with newlines
	want []string
}

// parseREADME returns the commands of the checked blocks of a README and
// how many blocks were checked.
func parseREADME(text string) ([]readmeCmd, int, error) {
	lines := strings.Split(text, "\n")
	var cmds []readmeCmd
	blocks := 0
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != readmeMarker {
			continue
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			return nil, 0, fmt.Errorf("README.md:%d: %s must be followed by a ``` code block", i+1, readmeMarker)
		}
		blocks++
		i += 2
		var cur *readmeCmd
		for ; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			l := lines[i]
			switch {
			case cur != nil && strings.HasSuffix(cur.cmd, "\\") && len(cur.want) == 0:
				cur.cmd += "\n" + l
			case strings.HasPrefix(l, "$ "):
				cmds = append(cmds, readmeCmd{line: i + 1, cmd: strings.TrimPrefix(l, "$ ")})
				cur = &cmds[len(cmds)-1]
			case cur == nil:
				return nil, 0, fmt.Errorf("README.md:%d: a checked block must start with a \"$ \" command line", i+1)
			default:
				cur.want = append(cur.want, strings.TrimRight(l, " "))
			}
		}
		if i == len(lines) {
			return nil, 0, fmt.Errorf("README.md: checked block not closed")
		}
	}
	return cmds, blocks, nil
}

// matchLines reports whether got matches the want pattern lines.
func matchLines(got, want []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	return len(got) > 0 && lineRegexp(want[0]).MatchString(got[0]) && matchLines(got[1:], want[1:])
}

func lineRegexp(want string) *regexp.Regexp {
	parts := strings.Split(want, "…")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(`^` + strings.Join(parts, `.*`) + `$`)
}

// readmeSep separates the outputs of the commands in the session's output.
const readmeSep = "\x1eREADME-CHECK-END\x1e"

func TestREADME(t *testing.T) {
	text, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	cmds, blocks, err := parseREADME(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if blocks < readmeMinBlocks {
		t.Fatalf("README.md has %d blocks marked %s, want at least %d", blocks, readmeMarker, readmeMinBlocks)
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("the README check runs its examples in bash: %v", err)
	}
	var script strings.Builder
	script.WriteString("exec 2>&1\n")
	for _, c := range cmds {
		// Keep the command's exit status for the next one ("echo $?").
		fmt.Fprintf(&script, "%s\nreadme_rc=$?; printf '%s'; (exit $readme_rc)\n", c.cmd, readmeSep)
	}
	script.WriteString("exit 0\n")
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sh := filepath.Join(dir, ".readme-check.sh")
	if err := os.WriteFile(sh, []byte(script.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bash, "--noprofile", "--norc", sh)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "TMPDIR="+dir, "LC_ALL=C.UTF-8")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("bash: %v\n%s", err, out.String())
	}
	outs := strings.Split(out.String(), readmeSep)
	if len(outs) != len(cmds)+1 {
		t.Fatalf("ran %d of %d README commands:\n%s", len(outs)-1, len(cmds), out.String())
	}
	for i, c := range cmds {
		got := strings.TrimSuffix(outs[i], "\n")
		var lines []string
		if got != "" {
			lines = strings.Split(got, "\n")
		}
		for j := range lines {
			lines[j] = strings.TrimRight(lines[j], " ")
		}
		if !matchLines(lines, c.want) {
			t.Errorf("README.md:%d: $ %s\ngot:\n%s\nwant:\n%s", c.line, c.cmd, strings.Join(lines, "\n"), strings.Join(c.want, "\n"))
		}
	}
	t.Logf("checked %d commands in %d README blocks (in %s)", len(cmds), blocks, filepath.Base(dir))
}

func TestMatchLines(t *testing.T) {
	for _, c := range []struct {
		got, want string
		ok        bool
	}{
		{"", "", true},
		{"a", "", false},
		{"VALID  green  x", "VALID  green  …", true},
		{"VALID  red  x", "VALID  green  …", false},
		{"a.b", "a…b", true},
		{"axb", "a.b", false},
		{"one\ntwo\nthree", "one\n…\nthree", true},
		{"one\nthree", "one\n…\nthree", false},
		{"one\ntwo\nthree", "one\n…", false},
	} {
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, "\n")
		}
		if got := matchLines(split(c.got), split(c.want)); got != c.ok {
			t.Errorf("matchLines(%q, %q) = %v, want %v", c.got, c.want, got, c.ok)
		}
	}
}
