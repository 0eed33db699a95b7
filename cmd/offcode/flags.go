package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// errorf prints "offcode: error: …" on stderr.
func (e *env) errorf(format string, args ...any) {
	fmt.Fprintf(e.stderr, "offcode: error: "+format+"\n", args...)
}

// hintf prints "offcode: hint: …" on stderr.
func (e *env) hintf(format string, args ...any) {
	fmt.Fprintf(e.stderr, "offcode: hint: "+format+"\n", args...)
}

// infof prints "offcode: …" on stderr, for what a command did.
func (e *env) infof(format string, args ...any) {
	fmt.Fprintf(e.stderr, "offcode: "+format+"\n", args...)
}

// newFlagSet returns a flag set that reports nothing itself: parseArgs
// prints errors and help in offcode's style.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses args with fs, allowing options after the positional
// arguments ("verify CODE --trust FILE"); "--" ends the options. It returns
// the positional arguments and ok. When ok is false, parseArgs has printed
// the help (-h, --help) or an error, and the command returns code.
func (e *env) parseArgs(fs *flag.FlagSet, usage string, args []string) (pos []string, code int, ok bool) {
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(e.stdout, usage)
			return nil, exitOK, false
		}
		if err != nil {
			e.errorf("%s: %v", fs.Name(), err)
			e.hintf("run \"offcode help %s\" for its options", fs.Name())
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, exitOK, true
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), exitOK, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// require reports an error for the first of the named options whose value is
// empty, and returns false if there was one.
func (e *env) require(cmd string, opts ...string) bool {
	for i := 0; i+1 < len(opts); i += 2 {
		if opts[i+1] == "" {
			e.errorf("%s: missing --%s", cmd, opts[i])
			e.hintf("run \"offcode help %s\" for its options and examples", cmd)
			return false
		}
	}
	return true
}

// atFlag is a --at option: an RFC 3339 time, or unset (use the clock).
type atFlag struct {
	t   time.Time
	set bool
}

func (a *atFlag) String() string {
	if !a.set {
		return ""
	}
	return a.t.Format(time.RFC3339)
}

func (a *atFlag) Set(s string) error {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("want an RFC 3339 time such as 2026-11-23T16:00:00+08:00")
	}
	a.t, a.set = t, true
	return nil
}

// time returns the --at time if set, else now().
func (a *atFlag) time(now func() time.Time) time.Time {
	if a.set {
		return a.t
	}
	return now()
}

// detail returns err's message without the package prefix its package put
// on it ("verify: ", "codec: "), for showing to a person after a verdict.
func detail(err error) string {
	s := err.Error()
	for _, p := range []string{"codec: ", "verify: ", "identity: ", "sign: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}
