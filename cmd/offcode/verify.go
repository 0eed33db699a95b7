package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/scan"
	"github.com/offcode/offcode/verify"
)

const verifyUsage = `Verify offline codes against a trust store, with no network.

Usage:
    offcode verify --trust FILE [--at TIME] [--id IDNUMBER] [--skew DURATION] [--json] CODE
    offcode verify --trust FILE [options] -
    offcode verify --state DIR [options] CODE|-
    offcode verify --bundle FILE --root FILE [--state DIR] [options] CODE|-

A code is valid when its signature verifies under a key of the trust store
and the time is inside its validity window, whatever its colour (SPEC.md §8).
One line is printed per code: the verdict, and for an authentic code its
colour, kind and expiry in Beijing time (北京时间, UTC+8). A code whose
signature does not verify shows nothing it claims, since none of it can be
trusted.

The trust comes from a JWK Set (--trust), or from the signed trust bundle
the device holds in its trust state directory (--state; SPEC.md §13): its
keys with their status, the revoked codes and people. --bundle FILE first
syncs FILE into the state, as "offcode sync" does, so that a bundle older
than the one held is refused (exit 2) and can never take the device back.
Without --state the state is the default one ("offcode help sync").

Under a bundle that has expired, each line says how stale it is. Once it
has been expired for longer than the grace period (--stale-grace, default
72h), codes that would be valid are refused (STALE_TRUST) until the device
syncs, unless --allow-stale is given.

CODE may also be a PNG or JPEG picture of the code (a file name ending in
.png, .jpg or .jpeg): it is scanned, then verified like its text; a picture
with no readable code exits 1. A file that cannot be read, is not PNG or
JPEG (by its content, whatever its name) or has over 25 million pixels is
an input error (exit 2), found before the picture is decoded.

With "-" codes are read from standard input, one per line, as a
keyboard-wedge scanner types them (a code, then Enter). Surrounding spaces
and the \r of CRLF are removed; blank lines are skipped. Each code gets its
verdict line as soon as it is read, in order, until end of input. A line
longer than 4096 bytes is rejected whole (TOO_LARGE).

Options:
    --trust FILE          JWK Set of trusted issuer keys (from "offcode keygen")
    --state DIR           the device's trust state (from "offcode sync")
    --bundle FILE         sync this signed trust bundle into the state first
    --root FILE           root public key bundles must be signed by
                          (from "offcode root keygen"); needed with --bundle
    --stale-grace DUR     how long past its expiry a bundle still verifies
                          codes (default 72h)
    --refuse-stale        the same as --stale-grace 0
    --allow-stale         verify codes under a bundle however stale
    --at TIME             verify at this time, RFC 3339 (default: now)
    --id IDNUMBER         the number on the ID card presented with the code;
                          the code is rejected (id_mismatch) unless it matches
    --skew DURATION       how far in the future an issue time may be (default 5m)
    --json                print one JSON object per code (fields below)

JSON fields: valid (bool), verdict, error (when rejected), and, for a code
whose signature verified: colour, kind, issued_at, expires_at (RFC 3339, UTC),
expires_in_seconds (negative once expired), kid (base64url; also set for an
unknown kid), issuer, serial (hex); id_match (true, false, or null when the
check did not run) when --id is given; bundle_sequence and stale_seconds
under a bundle. Unknown values are null.

Exit status: 0 every code valid, 1 a code rejected, 2 usage or input error
(unreadable trust store or picture, a bundle refused, bad --at or --id, no
code on standard input). With --json every input gets one object, even a
picture with no code (verdict null, reason "not_found" or "unreadable").

Examples:
    $ offcode verify --trust trust.json "$(cat code.txt)"
    VALID  green  personal  expires 2026-11-30 16:00 北京时间 (6d 23h left)

    $ offcode verify --trust trust.json --id 11010519491231002X --json - < codes.txt
    {"valid":true,"verdict":"valid","colour":"green",...,"id_match":true}

    $ offcode sync --root root.pub https://codes.example.org/v1/bundle
    $ offcode verify --state ~/.local/state/offcode -     # then scan codes; Ctrl-D ends
`

func runVerify(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("verify")
	var idText string
	var at atFlag
	var o trustOptions
	defaults := verify.New(nil)
	skew, grace := defaults.Skew, defaults.StaleGrace
	var asJSON, refuseStale, allowStale bool
	fset.StringVar(&o.trustPath, "trust", "", "")
	fset.StringVar(&o.bundlePath, "bundle", "", "")
	fset.StringVar(&o.rootPath, "root", "", "")
	fset.StringVar(&o.stateDir, "state", "", "")
	fset.Var(&at, "at", "")
	fset.StringVar(&idText, "id", "", "")
	fset.DurationVar(&skew, "skew", skew, "")
	fset.DurationVar(&grace, "stale-grace", grace, "")
	fset.BoolVar(&refuseStale, "refuse-stale", false, "")
	fset.BoolVar(&allowStale, "allow-stale", false, "")
	fset.BoolVar(&asJSON, "json", false, "")
	pos, code, ok := e.parseArgs(fset, verifyUsage, args)
	if !ok {
		return code
	}
	if !e.checkVerifyArgs(&o, pos, skew, grace) {
		return exitUsage
	}
	if refuseStale {
		grace = 0
	}
	trust, ok := e.loadVerifyTrust(ctx, &o)
	if !ok {
		return exitUsage
	}
	c := &checker{at: at, now: e.now, json: asJSON,
		v: &verify.Verifier{Trust: trust, Skew: skew, StaleGrace: grace, AllowStale: allowStale}}
	if idText != "" {
		id, err := identity.ParseID(idText, at.time(e.now))
		if err != nil {
			e.badID("verify", err)
			return exitUsage
		}
		c.id = &id
	}
	if pos[0] == "-" {
		return c.stream(e, e.stdin)
	}
	out, code := c.checkArg(e, pos[0])
	if out != nil {
		io.WriteString(e.stdout, c.format(out))
		code = out.exitCode()
	}
	return code
}

// checkArg checks the code given as an argument: its text, or a picture
// of it. It returns the outcome, or nil and an exit code when a picture
// yields no code; with --json it then prints an object all the same.
func (c *checker) checkArg(e *env, arg string) (*outcome, int) {
	if !isImagePath(arg) {
		o := c.check(arg)
		if o.verdict == verify.BadPrefix && looksLikeFile(arg) {
			e.hintf("%s is a file name; to verify the code in it, run: offcode verify [options] - < %s", arg, arg)
		}
		return o, 0
	}
	text, err := scanFile(arg)
	var notOffcode *scan.NotOffcodeError
	switch {
	case err == nil:
		return c.check(text), 0
	case errors.As(err, &notOffcode):
		// A QR code that is not an offline code has a verdict: its text
		// does not start with the prefix. The text is not repeated.
		return c.reject(fmt.Errorf("%w: the QR code in %s is not an offline code", format.ErrPrefix, arg)), 0
	}
	code, reason := exitRejected, "not_found"
	if isInputError(err) {
		code, reason = exitUsage, "unreadable"
	}
	msg := strings.TrimPrefix(err.Error(), "scan: ")
	if c.json {
		b, _ := json.Marshal(verdictJSON{Error: msg, Reason: reason})
		fmt.Fprintf(e.stdout, "%s\n", b)
	}
	e.errorf("verify: %s", msg)
	if errors.Is(err, scan.ErrNotFound) {
		e.hintf("the whole code, with its white margin, must be in the picture")
	}
	return nil, code
}

// looksLikeFile reports whether arg, given where a code belongs, names a
// file rather than being a code.
func looksLikeFile(arg string) bool {
	if strings.HasSuffix(strings.ToLower(arg), ".txt") {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.Mode().IsRegular()
}

// checkVerifyArgs checks verify's flags and arguments together.
func (e *env) checkVerifyArgs(o *trustOptions, pos []string, skew, grace time.Duration) bool {
	switch {
	case o.trustPath != "" && (o.bundlePath != "" || o.stateDir != ""):
		e.errorf("verify: --trust excludes --bundle and --state")
		return false
	case o.bundlePath != "":
		if !e.require("verify", "root", o.rootPath) {
			return false
		}
	case o.trustPath == "" && o.stateDir == "":
		e.errorf("verify: missing --trust, --state or --bundle")
		e.hintf("run \"offcode help verify\" for its options and examples")
		return false
	}
	switch {
	case len(pos) == 0:
		e.errorf("verify: no code given")
		e.hintf("pass the code as an argument, or - to read codes from standard input")
		return false
	case len(pos) > 1:
		e.errorf("verify: want one code, got %d arguments", len(pos))
		e.hintf("a code may contain spaces: quote it, as in offcode verify --trust trust.json 'OC1:...'")
		return false
	case skew < 0:
		e.errorf("verify: --skew %v is negative", skew)
		return false
	case grace < 0:
		e.errorf("verify: --stale-grace %v is negative", grace)
		return false
	}
	return true
}

// checker verifies codes with fixed options.
type checker struct {
	v    *verify.Verifier
	at   atFlag
	now  func() time.Time
	id   *identity.ID
	json bool
}

// outcome is what checking one code found.
type outcome struct {
	verdict verify.Verdict
	err     error
	res     *verify.Result
	now     time.Time
	idRan   bool // the ID check ran; err is nil or ErrIDMismatch
}

func (o *outcome) exitCode() int {
	if o.verdict == verify.Valid {
		return exitOK
	}
	return exitRejected
}

// authentic reports whether the code's signature verified under a trusted
// key, so that its claims can be shown.
func (o *outcome) authentic() bool { return o.res != nil && o.res.Code != nil && o.res.Key != nil }

// check verifies one code's text. Surrounding white space is not part of a
// code: a valid text starts with "OC1:" and never ends in a space.
func (c *checker) check(text string) *outcome {
	o := &outcome{now: c.at.time(c.now).Truncate(time.Second)}
	o.res, o.err = c.v.Verify(strings.TrimSpace(text), o.now)
	if o.err == nil && c.id != nil {
		o.err = verify.MatchID(o.res.Code, *c.id)
		o.idRan = o.err == nil || errors.Is(o.err, verify.IDMismatch)
	}
	o.verdict = verify.VerdictOf(o.err)
	return o
}

// stream verifies one code per line of r until EOF, writing each verdict
// line as soon as its code is read.
func (c *checker) stream(e *env, r io.Reader) int {
	br := bufio.NewReaderSize(r, maxLine)
	n, exit := 0, exitOK
	for {
		line, long, err := readLine(br)
		var o *outcome
		switch text := strings.TrimSpace(line); {
		case long:
			// Never cut a line into something else: the whole line is
			// the input, and it is too large to be a code.
			o = c.reject(fmt.Errorf("%w: a line of standard input is longer than %d bytes", format.ErrTooLarge, maxLine))
		case text != "":
			o = c.check(text)
		}
		if o != nil {
			n++
			// One Write per line: with an unbuffered stdout the line
			// reaches the scanner's operator at once.
			io.WriteString(e.stdout, c.format(o))
			if o.exitCode() != exitOK {
				exit = exitRejected
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			e.errorf("verify: reading standard input: %v", err)
			return exitUsage
		}
	}
	if n == 0 {
		e.errorf("verify: no code on standard input")
		return exitUsage
	}
	return exit
}

// reject returns the outcome of an input that is not checked as a code.
func (c *checker) reject(err error) *outcome {
	return &outcome{now: c.at.time(c.now).Truncate(time.Second), err: err, verdict: verify.VerdictOf(err)}
}

// maxLine bounds a line of standard input. It is well above
// format.MaxTextSize, so that surrounding spaces never matter, and a longer
// line is rejected whole as too_large.
const maxLine = 4096

// readLine returns the next line of r without its newline and io.EOF after
// the last line. A line longer than maxLine is read to its end and
// discarded: long is true and line is "".
func readLine(r *bufio.Reader) (line string, long bool, err error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if !long {
			if len(buf)+len(chunk) > maxLine+1 || (len(buf)+len(chunk) == maxLine+1 && !bytes.HasSuffix(chunk, []byte("\n"))) {
				long, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if long {
			return "", true, err
		}
		return strings.TrimSuffix(string(buf), "\n"), false, err
	}
}

func (c *checker) format(o *outcome) string {
	if c.json {
		return c.formatJSON(o)
	}
	return c.formatHuman(o)
}

// formatHuman returns one line a person reads at a glance, for example
// "VALID  green  personal  expires 2026-11-30 16:00 北京时间 (6d 23h left)".
func (c *checker) formatHuman(o *outcome) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(string(o.verdict)))
	if !o.authentic() {
		if o.err != nil {
			fmt.Fprintf(&b, "  %s", humanDetail(o))
		}
		b.WriteString(staleNote(o.res))
		b.WriteByte('\n')
		return b.String()
	}
	cl := &o.res.Code.Claims
	fmt.Fprintf(&b, "  %s  %s  ", cl.Colour, cl.Kind)
	switch o.verdict {
	case verify.Expired:
		fmt.Fprintf(&b, "expired %s (%s ago)", local(cl.ExpiresAt), span(o.now.Sub(cl.ExpiresAt)))
	case verify.NotYetValid:
		fmt.Fprintf(&b, "not valid until %s (in %s)", local(cl.IssuedAt), span(cl.IssuedAt.Sub(o.now)))
	case verify.WindowTooLong:
		fmt.Fprintf(&b, "valid %s to %s, longer than 7 days", local(cl.IssuedAt), local(cl.ExpiresAt))
	default:
		fmt.Fprintf(&b, "expires %s (%s left)", local(cl.ExpiresAt), span(cl.ExpiresAt.Sub(o.now)))
	}
	if o.idRan {
		if o.err == nil {
			b.WriteString("  ID matches")
		} else {
			b.WriteString("  ID DOES NOT MATCH")
		}
	}
	b.WriteString(staleNote(o.res))
	b.WriteByte('\n')
	return b.String()
}

// humanDetail says why a code was rejected, for the person at the
// checkpoint; --json keeps the technical detail.
func humanDetail(o *outcome) string {
	if o.verdict == verify.BadBase45 {
		return "the code is damaged or incomplete: scan it again, or ask for a new one"
	}
	return detail(o.err)
}

// local formats t in Beijing time, the time printed on the code's sheet.
func local(t time.Time) string {
	return t.In(identity.Beijing()).Format("2006-01-02 15:04") + " 北京时间"
}

// span formats a non-negative duration in its two largest units, rounded
// down: "6d 23h", "3h 5m", "42m", "9s".
func span(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	days, hours, mins, secs := s/86400, s/3600%24, s/60%60, s%60
	two := func(a int64, ua string, b int64, ub string) string {
		if b == 0 {
			return fmt.Sprintf("%d%s", a, ua)
		}
		return fmt.Sprintf("%d%s %d%s", a, ua, b, ub)
	}
	switch {
	case days > 0:
		return two(days, "d", hours, "h")
	case hours > 0:
		return two(hours, "h", mins, "m")
	case mins > 0:
		return two(mins, "m", secs, "s")
	}
	return fmt.Sprintf("%ds", secs)
}

// verdictJSON is the --json form of one verdict. Claims are null unless the
// signature verified.
type verdictJSON struct {
	Valid            bool            `json:"valid"`
	Verdict          *string         `json:"verdict"` // null when a picture holds no code
	Reason           string          `json:"reason,omitempty"`
	Error            string          `json:"error,omitempty"`
	Colour           *string         `json:"colour"`
	Kind             *string         `json:"kind"`
	IssuedAt         *string         `json:"issued_at"`
	ExpiresAt        *string         `json:"expires_at"`
	ExpiresInSeconds *int64          `json:"expires_in_seconds"`
	Kid              *string         `json:"kid"`
	Issuer           string          `json:"issuer,omitempty"`
	Serial           *string         `json:"serial"`
	IDMatch          json.RawMessage `json:"id_match,omitempty"`
	BundleSequence   *uint64         `json:"bundle_sequence,omitempty"`
	StaleSeconds     *int64          `json:"stale_seconds,omitempty"`
}

func (c *checker) formatJSON(o *outcome) string {
	verdict := string(o.verdict)
	j := verdictJSON{Valid: o.verdict == verify.Valid, Verdict: &verdict}
	if o.err != nil {
		j.Error = o.err.Error()
	}
	if o.res != nil && o.res.Code != nil {
		kid := o.res.Code.KeyID.String()
		j.Kid = &kid
	}
	if o.authentic() {
		cl := &o.res.Code.Claims
		colour, kind := cl.Colour.String(), cl.Kind.String()
		iat, exp := cl.IssuedAt.UTC().Format(time.RFC3339), cl.ExpiresAt.UTC().Format(time.RFC3339)
		left := cl.ExpiresAt.Unix() - o.now.Unix()
		serial := hex.EncodeToString(cl.Serial[:])
		j.Colour, j.Kind, j.IssuedAt, j.ExpiresAt, j.ExpiresInSeconds, j.Serial = &colour, &kind, &iat, &exp, &left, &serial
		j.Issuer = o.res.Issuer
	}
	if c.id != nil {
		switch {
		case !o.idRan:
			j.IDMatch = json.RawMessage("null")
		case o.err == nil:
			j.IDMatch = json.RawMessage("true")
		default:
			j.IDMatch = json.RawMessage("false")
		}
	}
	if o.res != nil && o.res.Sequence != 0 {
		seq, stale := o.res.Sequence, int64(o.res.Stale/time.Second)
		j.BundleSequence, j.StaleSeconds = &seq, &stale
	}
	b, err := json.Marshal(&j)
	if err != nil {
		panic("offcode: marshalling a verdict cannot fail: " + err.Error())
	}
	return string(b) + "\n"
}
