package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
)

const demoUsage = `Show offcode working, with no set-up: make a key and a trust store, issue
a code, verify it, see a changed code and an expired code rejected, and
save a kinship code as a phone card (card.png) and verify the picture.

Usage:
    offcode demo [--dir DIR]

Each step is printed as the offcode command that does it, followed by that
command's output. The sample ID number is made up.

Options:
    --dir DIR    keep the key, the trust store and card.png in DIR (created
                 if missing; it must not hold issuer.pem already). By
                 default a temporary directory is used and removed
                 afterwards.

Examples:
    $ offcode demo
    $ offcode demo --dir ./demo && offcode help verify
`

// demoID is a made-up resident ID number with a valid check digit.
const demoID = "11010519491231002X"

func runDemo(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("demo")
	var dir string
	fset.StringVar(&dir, "dir", "", "")
	pos, code, ok := e.parseArgs(fset, demoUsage, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		e.errorf("demo: unexpected argument %q", pos[0])
		return exitUsage
	}
	kept, where := dir != "", dir+" (kept)"
	if dir == "" {
		tmp, err := os.MkdirTemp(e.getenv("TMPDIR"), "offcode-demo-")
		if err != nil {
			e.errorf("demo: %v", err)
			return exitUsage
		}
		defer os.RemoveAll(tmp)
		dir, where = tmp, tmp+" (removed afterwards)"
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		e.errorf("demo: %v", err)
		return exitUsage
	}
	d := &demo{ctx: ctx, e: e, dir: dir}
	key, trust := filepath.Join(dir, "issuer.pem"), filepath.Join(dir, "trust.json")
	for _, p := range []string{key, trust} {
		if _, err := os.Lstat(p); err == nil {
			e.errorf("demo: %s already exists", p)
			e.hintf("give --dir a new or empty directory; the demo never overwrites keys")
			return exitUsage
		}
	}
	now := e.now().Truncate(time.Second)

	fmt.Fprintf(e.stdout, "offcode demo: working in %s\n$ DIR=%s\n", where, shellQuote(dir))

	d.step("1. Make an issuer key; its public half goes into the trust store every verifier holds.",
		"", exitOK, runKeygen, "keygen", "--key", key, "--trust", trust, "--issuer", "offcode demo")

	d.step("2. Issue a green code, valid 7 days, for a made-up ID number (the code holds only a salted hash of it).",
		"CODE", exitOK, runIssue, "issue", "--key", key, "--id", demoID, "--colour", "green")
	text := strings.TrimSpace(d.out)
	d.code = text

	d.step("3. Verify it offline, with the ID card presented at the checkpoint.",
		"", exitOK, runVerify, "verify", "--trust", trust, "--id", demoID, text)

	if d.failed == 0 {
		i, from, to := tamper(text)
		fmt.Fprintf(e.stdout, "\n4. Change character %d of the code from %q to %q: the signature no longer verifies.\n", i+1, from, to)
		fmt.Fprintf(e.stdout, "$ BAD=\"${CODE:0:%d}%s${CODE:%d}\"\n", i, shellQuote(string(to)), i+1)
		d.bad = text[:i] + string(to) + text[i+1:]
		d.step("", "", exitRejected, runVerify, "verify", "--trust", trust, d.bad)
	}

	// A day after the code's own expiry (it was issued a moment after now).
	later := now.Add(codec.MaxValidity + 24*time.Hour)
	if c, err := codec.Decode(text); err == nil {
		later = c.Claims.ExpiresAt.Add(24 * time.Hour)
	}
	d.step("5. Verify the original code 8 days later: it has expired.",
		"", exitRejected, runVerify, "verify", "--trust", trust, "--at", later.In(identity.Beijing()).Format(time.RFC3339), text)

	card := filepath.Join(dir, "card.png")
	d.step("6. Issue a yellow kinship code (亲属码) for the same person as a phone card: a picture\n   for a phone's album with the colour, the kind and the expiry time.",
		"", exitOK, runIssue, "issue", "--key", key, "--id", demoID, "--colour", "yellow", "--kind", "kin", "--out", card)

	d.step("7. Verify the picture, as a checkpoint's camera reads it.",
		"", exitOK, runVerify, "verify", "--trust", trust, card)

	if d.failed != 0 {
		return d.failed
	}
	if kept {
		fmt.Fprintf(e.stdout, "\nThe phone card is %s: open it to see what a family saves to a phone.\n", card)
	}
	fmt.Fprintf(e.stdout, "\noffcode demo: done. SPEC.md describes codes and verdicts; \"offcode help verify\" the options.\n")
	return exitOK
}

// demo runs offcode commands in-process and shows them. It calls the
// commands' run functions directly: going through the commands table would
// make an initialization cycle.
type demo struct {
	ctx       context.Context
	e         *env
	dir       string // shown as $DIR
	code, bad string // shown as $CODE and $BAD
	out       string // stdout of the last step
	failed    int    // exit code to return, once a step has gone wrong
}

// step prints title and the command, runs it, prints its output and checks
// its exit code. With a variable name, the command is shown assigning its
// output to that shell variable. After a failure step does nothing.
func (d *demo) step(title, variable string, want int, cmd func(context.Context, *env, []string) int, args ...string) {
	if d.failed != 0 {
		return
	}
	var stdout, stderr bytes.Buffer
	sub := *d.e
	sub.stdin, sub.stdout, sub.stderr = strings.NewReader(""), &stdout, &stderr
	got := cmd(d.ctx, &sub, args[1:])
	d.out = stdout.String()
	// What the command says on stderr (what it wrote), as a terminal
	// shows it; an error is reported below instead.
	if got == want && variable == "" {
		d.out += stderr.String()
	}

	if title != "" {
		fmt.Fprintf(d.e.stdout, "\n%s\n", title)
	}
	line := "offcode " + d.show(args)
	if variable != "" {
		fmt.Fprintf(d.e.stdout, "$ %s=$(%s)\n$ echo \"$%s\"\n%s", variable, line, variable, d.out)
	} else {
		fmt.Fprintf(d.e.stdout, "$ %s\n%s", line, d.out)
	}
	if got != want {
		d.e.stderr.Write(stderr.Bytes())
		d.e.errorf("demo: offcode %s exited %d, want %d", args[0], got, want)
		d.failed = got
		if got == exitOK {
			d.failed = exitRejected
		}
	}
}

// show formats args as a shell command line, with $DIR, $CODE and $BAD
// in place of their values.
func (d *demo) show(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		switch {
		case a == d.code && a != "":
			q[i] = `"$CODE"`
		case a == d.bad && a != "":
			q[i] = `"$BAD"`
		case strings.HasPrefix(a, d.dir+string(filepath.Separator)):
			q[i] = `"$DIR` + a[len(d.dir):] + `"`
		default:
			q[i] = shellQuote(a)
		}
	}
	return strings.Join(q, " ")
}

// tamper picks a character in the signature, near the end of text, whose
// change still decodes, so that the verdict is bad_signature rather than a
// decoding error. It returns its index and the old and new characters.
func tamper(text string) (int, byte, byte) {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	for i := len(text) - 12; i > len(codec.Prefix); i-- {
		for _, c := range []byte(alphabet) {
			if c == text[i] || c == ' ' {
				continue
			}
			if _, err := codec.Decode(text[:i] + string(c) + text[i+1:]); err == nil {
				return i, text[i], c
			}
		}
	}
	// Unreachable for a real code; any change is still rejected.
	i, to := len(text)-12, byte('0')
	if text[i] == to {
		to = '1'
	}
	return i, text[i], to
}

// shellQuote quotes a for a POSIX shell if it needs quoting.
func shellQuote(a string) string {
	if a != "" && !strings.ContainsAny(a, " $%*'\"\\;&|<>()?[]{}~#!`\t\n") {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}
