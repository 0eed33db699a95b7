// Command offcode makes issuer keys, issues offline health codes and verifies
// them offline. Run "offcode --help" for the commands.
//
// Each command lives in its own file and is one line in the commands table
// below. Commands get everything from outside the process through an env
// (standard streams, clock, randomness, environment), so tests can run them
// in-process with fixed inputs.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"
)

// Exit codes, stable for scripts.
const (
	exitOK       = 0 // success; for verify, every code is valid
	exitRejected = 1 // a code was rejected (or the demo saw a step misbehave)
	exitUsage    = 2 // usage or input error: bad flags, unreadable files, bad values
)

// command is one offcode subcommand.
type command struct {
	name    string
	summary string // one line for "offcode --help"
	usage   string // full help: Usage, Options, Examples
	run     func(ctx context.Context, e *env, args []string) int
}

// commands is the command table, in the order "offcode --help" lists it.
var commands = []command{
	{"keygen", "make an issuer key and add it to a trust store", keygenUsage, runKeygen},
	{"issue", "issue a signed offline code for an ID number and a colour", issueUsage, runIssue},
	{"verify", "verify codes offline against a trust store or the device's trust bundle", verifyUsage, runVerify},
	{"sync", "update the device's trust state from a signed trust bundle", syncUsage, runSync},
	{"serve", "run the signing service (HTTP API, kinship bindings, audit trail)", serveUsage, runServe},
	{"token", "add an API token for the signing service", tokenUsage, runToken},
	{"audit", "export the signing service's audit trail", auditUsage, runAudit},
	{"scan", "read offline codes from PNG or JPEG pictures", scanUsage, runScan},
	{"batch", "issue codes for every row of a CSV file into one printable PDF", batchUsage, runBatch},
	{"demo", "make a key, issue a code and verify it, with no set-up", demoUsage, runDemo},
	{"root", "make the offline root key that signs trust bundles", rootUsage, runRoot},
	{"bundle", "build, sign, show and diff signed trust bundles", bundleUsage, runBundle},
	{"verifier", "write the browser verifier (camera, offline) as static files", verifierUsage, runVerifier},
}

// env is everything a command takes from outside the process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	rand   io.Reader
	getenv func(string) string
}

func osEnv() *env {
	return &env{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		now:    time.Now,
		rand:   rand.Reader,
		getenv: os.Getenv,
	}
}

func main() {
	os.Exit(run(context.Background(), osEnv(), os.Args[1:]))
}

const usageHead = `offcode issues and verifies offline health codes (离线码): signed codes,
printed as QR codes, that a checkpoint verifies with no network.

Usage:
    offcode <command> [options] [arguments]
    offcode help <command>
    offcode --version

Commands:
`

const usageTail = `
Run "offcode help <command>" for a command's options and examples.
Options take one or two dashes: -key and --key are the same.

Exit status: 0 success (for verify: every code valid), 1 a code was rejected,
2 usage or input error.
`

func printUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString(usageHead)
	for _, c := range commands {
		fmt.Fprintf(&b, "    %-8s %s\n", c.name, c.summary)
	}
	b.WriteString(usageTail)
	io.WriteString(w, b.String())
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// run runs offcode with args (without the program name) and returns the exit
// code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		printUsage(e.stderr)
		return exitUsage
	}
	switch name := args[0]; name {
	case "-h", "-help", "--help":
		printUsage(e.stdout)
		return exitOK
	case "-version", "--version":
		fmt.Fprintf(e.stdout, "offcode %s\n", version())
		return exitOK
	case "help":
		if len(args) == 1 {
			printUsage(e.stdout)
			return exitOK
		}
		c := lookup(args[1])
		if c == nil || len(args) > 2 {
			e.errorf("help: unknown command %q", strings.Join(args[1:], " "))
			e.hintf("run \"offcode --help\" for the list of commands")
			return exitUsage
		}
		io.WriteString(e.stdout, c.usage)
		return exitOK
	default:
		c := lookup(name)
		if c == nil {
			e.errorf("unknown command %q", name)
			e.hintf("run \"offcode --help\" for the list of commands")
			return exitUsage
		}
		return c.run(ctx, e, args[1:])
	}
}

// Version is offcode's version: the release this source tree is, or is
// on the way to. A binary installed from a tagged module version reports
// that version instead.
const Version = "0.1.0"

// version returns the version line's words after "offcode": the version,
// the VCS revision when the binary was built in a checkout ("+dirty" with
// uncommitted changes), and the Go version.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Version
	}
	v := Version
	if mv := info.Main.Version; isRelease(mv) {
		v = strings.TrimPrefix(mv, "v")
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		v += " (" + rev[:min(len(rev), 12)] + modified + ")"
	}
	return v + " " + info.GoVersion
}

// isRelease reports whether a module version names a release: "v1.2.3",
// not "(devel)", "" or a pseudo-version made from a commit
// ("v0.0.0-20261130160810-93fb7d5abcde+dirty").
func isRelease(v string) bool {
	if !strings.HasPrefix(v, "v") || strings.Contains(v, "+") {
		return false
	}
	// A pseudo-version's last two parts are a 14-digit time and a
	// 12-digit revision.
	parts := strings.Split(v, "-")
	if n := len(parts); n >= 3 && len(parts[n-1]) == 12 {
		t := parts[n-2]
		if i := strings.LastIndexByte(t, '.'); i >= 0 {
			t = t[i+1:]
		}
		if len(t) == 14 && strings.Trim(t, "0123456789") == "" {
			return false
		}
	}
	return true
}
