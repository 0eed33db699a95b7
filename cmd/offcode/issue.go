package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/keyfile"
	"github.com/offcode/offcode/internal/kinship"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/verify"
)

const issueUsage = `Issue a signed offline code and print its text, one line, on stdout.

Usage:
    offcode issue --key FILE --id IDNUMBER --colour green|yellow|red
                  [--kind personal|kin] [--at TIME]
                  [--out FILE [--holder TEXT] [--bare] [--level L|M|Q|H]]

The code is valid for 7 days from its issue time. It carries a salted
Argon2id hash of the ID number, never the number itself (SPEC.md §5). The
text is "OC1:" followed by Base45, which may contain spaces: quote it when
you pass it to a shell.

A kinship code (亲属码) is for a relative aged 0 to 16 or 60 and over on the
issue day (Beijing time); for anyone else it is refused. With --at, a code
that is already expired or not yet valid is issued with a warning.

Options:
    --key FILE          issuer private key, made by "offcode keygen" (mode 0600)
    --id IDNUMBER       18-character resident ID number (GB 11643-1999) of the holder
    --colour COLOUR     green, yellow or red (also --color)
    --kind KIND         personal (default) or kin, a kinship code (亲属码)
    --at TIME           issue time, RFC 3339 (default: now)
    --out FILE          write the code to FILE instead of stdout, by extension:
                        .png  the phone card, 1080x1920, for a phone's album:
                              colour, kind, expiry and QR code
                        .svg  the same card as SVG
                        .pdf  a printable A4 sheet
                        .txt  the text
    --bare              with .png or .svg, write the QR symbol alone (8 px a
                        module, or 60 mm), for systems that print their own
    --holder TEXT       a line printed on the card or sheet, such as a masked
                        name and ID number (张*华 **************002X); at most
                        the last 4 characters of an ID number may show; it is
                        not signed, and the card says so
    --level L           QR error correction level L, M, Q (default) or H

Examples:
    $ offcode issue --key issuer.pem --id 11010519491231002X --colour green
    OC1:RRQT 9P60GO0+:SOD0T+15578CKSJ9FN00OD0V5WY0ZNDPTUN-0*VMZ 7FWV J9Z+ON%U/E7V5…

    $ offcode issue --key issuer.pem --id 11010519491231002X --colour yellow \
          --kind kin --holder '张*华 **************002X' --out card.png

    $ offcode issue --key issuer.pem --id 11010519491231002X --colour green \
          --kind kin --holder '张*华 **************002X' --out sheet.pdf
`

func runIssue(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("issue")
	var keyPath, idText, colourText, kindText string
	var at atFlag
	fset.StringVar(&keyPath, "key", "", "")
	fset.StringVar(&idText, "id", "", "")
	fset.StringVar(&colourText, "colour", "", "")
	fset.StringVar(&colourText, "color", "", "")
	fset.StringVar(&kindText, "kind", "personal", "")
	fset.Var(&at, "at", "")
	var outPath, holder, levelText string
	var bare bool
	fset.StringVar(&outPath, "out", "", "")
	fset.BoolVar(&bare, "bare", false, "")
	fset.StringVar(&holder, "holder", "", "")
	fset.StringVar(&levelText, "level", "Q", "")
	pos, code, ok := e.parseArgs(fset, issueUsage, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		e.errorf("issue: unexpected argument %q", pos[0])
		e.hintf("run \"offcode help issue\" for its options and examples")
		return exitUsage
	}
	if !e.require("issue", "key", keyPath, "id", idText, "colour", colourText) {
		return exitUsage
	}
	colour, err := codec.ParseColour(strings.ToLower(colourText))
	if err != nil {
		e.errorf("issue: invalid --colour %q: want green, yellow or red", colourText)
		return exitUsage
	}
	kind, err := codec.ParseKind(strings.ToLower(kindText))
	if err != nil {
		e.errorf("issue: invalid --kind %q: want personal or kin", kindText)
		return exitUsage
	}
	level, ok := parseLevel(levelText)
	if !ok {
		e.errorf("issue: invalid --level %q: want L, M, Q or H", levelText)
		return exitUsage
	}
	if holder != "" && outPath == "" {
		e.errorf("issue: --holder needs --out FILE.png, FILE.svg or FILE.pdf")
		return exitUsage
	}
	if bare && outPath == "" {
		e.errorf("issue: --bare needs --out FILE.png or FILE.svg")
		return exitUsage
	}
	if holder != "" {
		if err := render.CheckHolder(holder); err != nil {
			e.errorf("issue: --holder: %s", detailRender(err))
			return exitUsage
		}
	}
	when := at.time(e.now)
	id, err := identity.ParseID(idText, when)
	if err != nil {
		e.badID("issue", err)
		return exitUsage
	}
	if kind == codec.Kin {
		if err := kinship.CheckAge(id, when); err != nil {
			// The service's words for the same refusal (age_not_eligible).
			e.errorf("issue: --kind kin: kinship codes are only for relatives aged 0 to 16 or 60 and over; the relative is %d on %s (Beijing time)",
				kinship.AgeOn(id, when), when.In(identity.Beijing()).Format("2006-01-02"))
			e.hintf("issue this person a personal code: --kind personal")
			return exitUsage
		}
	}
	key, err := e.loadKey("issue", keyPath)
	if err != nil {
		return exitUsage
	}
	claims, err := sign.NewClaims(e.rand, id, colour, kind, when)
	if err != nil {
		e.errorf("issue: %v", err)
		return exitUsage
	}
	text, err := key.Issue(claims)
	if err != nil {
		e.errorf("issue: %v", err)
		return exitUsage
	}
	if at.set {
		e.warnWindow(claims, e.now())
	}
	if outPath != "" {
		return e.writeCodeOut("issue", outPath, text, holder, level, bare)
	}
	fmt.Fprintln(e.stdout, text)
	return exitOK
}

// parseLevel parses a --level flag: L, M, Q or H, in either case.
func parseLevel(s string) (render.Level, bool) {
	switch strings.ToUpper(s) {
	case "L":
		return render.LevelL, true
	case "M":
		return render.LevelM, true
	case "Q":
		return render.LevelQ, true
	case "H":
		return render.LevelH, true
	}
	return 0, false
}

// warnWindow says on stderr when a code issued with --at is not valid now:
// already expired, or not yet valid (beyond the verifiers' default skew).
func (e *env) warnWindow(c *codec.Claims, now time.Time) {
	show := func(t time.Time) string {
		return t.In(identity.Beijing()).Format("2006-01-02 15:04") + " Beijing time (UTC+8)"
	}
	switch {
	case !now.Before(c.ExpiresAt):
		e.infof("warning: issue: this code expired at %s, %s ago: --at is more than 7 days in the past", show(c.ExpiresAt), span(now.Sub(c.ExpiresAt)))
	case c.IssuedAt.After(now.Add(verify.New(nil).Skew)):
		e.infof("warning: issue: this code is not valid until %s, %s from now: --at is in the future", show(c.IssuedAt), span(c.IssuedAt.Sub(now)))
	}
}

// badID reports an invalid --id. The message says what is wrong without
// repeating the number, which is personal data.
func (e *env) badID(cmd string, err error) {
	e.errorf("%s: invalid --id: %s", cmd, detail(err))
	if errors.Is(err, identity.ErrLength) || errors.Is(err, identity.ErrCharacter) {
		e.hintf("a resident ID number has 18 characters: 17 digits, then a check digit 0-9 or X")
	}
}

// loadKey loads an issuer key, reporting errors with hints.
func (e *env) loadKey(cmd, path string) (*sign.Key, error) {
	key, err := sign.LoadKeyFile(path)
	var modeErr *keyfile.ModeError
	switch {
	case err == nil:
		return key, nil
	case errors.As(err, &modeErr):
		e.errorf("%s: key file %s has mode %04o: others can read it, so offcode will not use it", cmd, path, modeErr.Mode)
		e.hintf("chmod 600 %s", path)
	case errors.Is(err, fs.ErrNotExist):
		e.errorf("%s: key file %s does not exist", cmd, path)
		e.hintf("make one with: offcode keygen --key %s --trust trust.json", path)
	default:
		e.errorf("%s: %v", cmd, err)
	}
	return nil, err
}
