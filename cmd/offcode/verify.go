package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/verify"
)

const verifyUsage = `Verify offline codes against a trust store, with no network.

Usage:
    offcode verify --trust FILE [--at TIME] [--id IDNUMBER] [--skew DURATION] [--json] CODE
    offcode verify --trust FILE [options] -
    offcode verify --bundle FILE --root FILE [--refuse-stale] [options] CODE|-

A code is valid when its signature verifies under a key of the trust store
and the time is inside its validity window, whatever its colour (SPEC.md §8).
One line is printed per code: the verdict, and for an authentic code its
colour, kind and expiry in Beijing time. A code whose signature does not
verify shows nothing it claims, since none of it can be trusted.

CODE may also be a PNG or JPEG picture of the code (a file name ending in
.png, .jpg or .jpeg): it is scanned, then verified like its text; a picture
with no readable code exits 1.

With "-" codes are read from standard input, one per line, as a
keyboard-wedge scanner types them (a code, then Enter). Surrounding spaces
and the \r of CRLF are removed; blank lines are skipped. Each code gets its
verdict line as soon as it is read, in order, until end of input.

Options:
    --trust FILE        JWK Set of trusted issuer keys (from "offcode keygen")
    --bundle FILE       signed trust bundle (SPEC.md §13) instead of --trust:
                        its keys, revoked codes and people; needs --root
    --root FILE         root public key the bundle must be signed by
                        (from "offcode root keygen")
    --refuse-stale      with --bundle: refuse codes once the bundle has
                        expired (stale_trust); by default they verify and
                        the line says how stale the trust data is
    --at TIME           verify at this time, RFC 3339 (default: now)
    --id IDNUMBER       the number on the ID card presented with the code;
                        the code is rejected (id_mismatch) unless it matches
    --skew DURATION     how far in the future an issue time may be (default 5m)
    --json              print one JSON object per code (fields below)

JSON fields: valid (bool), verdict, error (when rejected), and, for a code
whose signature verified: colour, kind, issued_at, expires_at (RFC 3339, UTC),
expires_in_seconds (negative once expired), kid (base64url; also set for an
unknown kid), issuer, serial (hex); id_match (true, false, or null when the
check did not run) when --id is given. Unknown values are null.

Exit status: 0 every code valid, 1 a code rejected, 2 usage or input error
(unreadable trust store, bad --at or --id, no code on standard input).

Examples:
    $ offcode verify --trust trust.json "$(cat code.txt)"
    VALID  green  personal  expires 2026-11-30 16:00 CST (6d 23h left)

    $ offcode verify --trust trust.json --id 11010519491231002X --json - < codes.txt
    {"valid":true,"verdict":"valid","colour":"green",...,"id_match":true}

    $ offcode verify --trust trust.json -      # then scan codes; Ctrl-D ends
`

func runVerify(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("verify")
	var trustPath, idText string
	var at atFlag
	skew := verify.DefaultSkew
	var asJSON bool
	fset.StringVar(&trustPath, "trust", "", "")
	fset.Var(&at, "at", "")
	fset.StringVar(&idText, "id", "", "")
	fset.DurationVar(&skew, "skew", skew, "")
	fset.BoolVar(&asJSON, "json", false, "")
	var bundlePath, rootPath string
	var refuseStale bool
	fset.StringVar(&bundlePath, "bundle", "", "")
	fset.StringVar(&rootPath, "root", "", "")
	fset.BoolVar(&refuseStale, "refuse-stale", false, "")
	pos, code, ok := e.parseArgs(fset, verifyUsage, args)
	if !ok {
		return code
	}
	switch {
	case bundlePath != "" && trustPath != "":
		e.errorf("verify: --trust and --bundle exclude each other")
		return exitUsage
	case bundlePath != "":
		if !e.require("verify", "root", rootPath) {
			return exitUsage
		}
	case !e.require("verify", "trust", trustPath):
		return exitUsage
	}
	switch {
	case len(pos) == 0:
		e.errorf("verify: no code given")
		e.hintf("pass the code as an argument, or - to read codes from standard input")
		return exitUsage
	case len(pos) > 1:
		e.errorf("verify: want one code, got %d arguments", len(pos))
		e.hintf("a code may contain spaces: quote it, as in offcode verify --trust %s 'OC1:...'", trustPath)
		return exitUsage
	}
	if skew < 0 {
		e.errorf("verify: --skew %v is negative", skew)
		return exitUsage
	}
	c := &checker{at: at, now: e.now, json: asJSON}
	if bundlePath != "" {
		if c.v, c.trustBundle, ok = e.loadBundleVerifier(bundlePath, rootPath, skew, refuseStale); !ok {
			return exitUsage
		}
	} else {
		trust, err := loadTrust(trustPath)
		if err != nil {
			e.errorf("verify: %v", err)
			if errors.Is(err, os.ErrNotExist) {
				e.hintf("make a key and a trust store with: offcode keygen --key issuer.pem --trust %s", trustPath)
			}
			return exitUsage
		}
		if trust.Len() == 0 {
			e.hintf("%s holds no keys: every code will be rejected (unknown_kid)", trustPath)
		}
		c.v = &verify.Verifier{Trust: trust, Skew: skew}
	}
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
	text, code, ok := e.codeArg("verify", pos[0])
	if !ok {
		return code
	}
	o := c.check(text)
	io.WriteString(e.stdout, c.format(o))
	return o.exitCode()
}

func loadTrust(path string) (*verify.TrustStore, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading trust store: %w", err)
	}
	ts, err := verify.ParseJWKSet(b)
	if err != nil {
		return nil, fmt.Errorf("trust store %s: %w", path, err)
	}
	return ts, nil
}

// checker verifies codes with fixed options.
type checker struct {
	v           codeVerifier
	trustBundle *bundle.Bundle // with --bundle
	at          atFlag
	now         func() time.Time
	id          *identity.ID
	json        bool
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
		o.idRan = o.err == nil || errors.Is(o.err, verify.ErrIDMismatch)
	}
	o.verdict = bundle.VerdictOf(o.err) // verify's verdicts and the bundle's
	if o.verdict == "" {
		// Not a verdict: a bug, since Verify only fails with verdicts.
		// Never call such a code valid.
		o.verdict = "error"
	}
	return o
}

// stream verifies one code per line of r until EOF, writing each verdict
// line as soon as its code is read.
func (c *checker) stream(e *env, r io.Reader) int {
	br := bufio.NewReaderSize(r, 4096)
	n, exit := 0, exitOK
	for {
		line, err := readLine(br)
		if text := strings.TrimSpace(line); text != "" {
			n++
			o := c.check(text)
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

// maxLine bounds what readLine keeps of one line; anything longer than
// codec.MaxTextSize is rejected as too_large anyway.
const maxLine = 4096

// readLine returns the next line of r without its newline, keeping at most
// maxLine bytes of it, and io.EOF after the last line.
func readLine(r *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if room := maxLine - len(line); room > 0 {
			line = append(line, chunk[:min(len(chunk), room)]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return strings.TrimSuffix(string(line), "\n"), err
	}
}

func (c *checker) format(o *outcome) string {
	if c.json {
		return c.formatJSON(o)
	}
	return c.formatHuman(o)
}

// formatHuman returns one line a person reads at a glance, for example
// "VALID  green  personal  expires 2026-11-30 16:00 CST (6d 23h left)".
func (c *checker) formatHuman(o *outcome) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(string(o.verdict)))
	if !o.authentic() {
		if o.err != nil {
			fmt.Fprintf(&b, "  %s", detail(o.err))
		}
		b.WriteString(staleNote(c.trustBundle, o.now))
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
	b.WriteString(staleNote(c.trustBundle, o.now))
	b.WriteByte('\n')
	return b.String()
}

// local formats t in Beijing time, the time printed on the code's sheet.
func local(t time.Time) string { return t.In(identity.Beijing()).Format("2006-01-02 15:04 MST") }

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
	Verdict          string          `json:"verdict"`
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
	j := verdictJSON{Valid: o.verdict == verify.Valid, Verdict: string(o.verdict)}
	if o.err != nil {
		j.Error = o.err.Error()
	}
	if o.res != nil && o.res.Code != nil {
		kid := verify.KeyIDString(o.res.Code.KeyID)
		j.Kid = &kid
	}
	if o.authentic() {
		cl := &o.res.Code.Claims
		colour, kind := cl.Colour.String(), cl.Kind.String()
		iat, exp := cl.IssuedAt.UTC().Format(time.RFC3339), cl.ExpiresAt.UTC().Format(time.RFC3339)
		left := cl.ExpiresAt.Unix() - o.now.Unix()
		serial := hex.EncodeToString(cl.Serial[:])
		j.Colour, j.Kind, j.IssuedAt, j.ExpiresAt, j.ExpiresInSeconds, j.Serial = &colour, &kind, &iat, &exp, &left, &serial
		j.Issuer = o.res.Key.Issuer
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
	if c.trustBundle != nil {
		seq, stale := c.trustBundle.Sequence, int64(staleness(c.trustBundle, o.now)/time.Second)
		j.BundleSequence, j.StaleSeconds = &seq, &stale
	}
	b, err := json.Marshal(&j)
	if err != nil {
		panic("offcode: marshalling a verdict cannot fail: " + err.Error())
	}
	return string(b) + "\n"
}
