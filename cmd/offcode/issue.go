package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/sign"
)

const issueUsage = `Issue a signed offline code and print its text, one line, on stdout.

Usage:
    offcode issue --key FILE --id IDNUMBER --colour green|yellow|red
                  [--kind personal|kin] [--at TIME]
                  [--out FILE [--holder TEXT] [--level L|M|Q|H]]

The code is valid for 7 days from its issue time. It carries a salted
Argon2id hash of the ID number, never the number itself (SPEC.md §5). The
text is "OC1:" followed by Base45, which may contain spaces: quote it when
you pass it to a shell.

Options:
    --key FILE          issuer private key, made by "offcode keygen" (mode 0600)
    --id IDNUMBER       18-character resident ID number (GB 11643-1999) of the holder
    --colour COLOUR     green, yellow or red (also --color)
    --kind KIND         personal (default) or kin, a kinship code (亲属码)
    --at TIME           issue time, RFC 3339 (default: now)
    --out FILE          write the code to FILE instead of stdout, by extension:
                        .txt text, .png QR image (8 px a module), .svg QR
                        image (60 mm), .pdf printable A4 sheet
    --holder TEXT       a line printed on the PDF sheet, such as a masked
                        name and ID number (张*华 **************123X); it is
                        not signed, and the sheet says so
    --level L           QR error correction level L, M, Q (default) or H

Examples:
    $ offcode issue --key issuer.pem --id 11010519491231002X --colour green
    OC1:RRQT 9P60GO0+:SOD0T+15578CKSJ9FN00OD0V5WY0ZNDPTUN-0*VMZ 7FWV J9Z+ON%U/E7V5…

    $ offcode issue --key issuer.pem --id 11010519491231002X --colour yellow \
          --kind kin --at 2026-11-23T08:00:00+08:00 > code.txt

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
	fset.StringVar(&outPath, "out", "", "")
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
	level, err := render.ParseLevel(strings.ToUpper(levelText))
	if err != nil {
		e.errorf("issue: invalid --level %q: want L, M, Q or H", levelText)
		return exitUsage
	}
	if holder != "" && outPath == "" {
		e.errorf("issue: --holder needs --out FILE.pdf")
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
	if outPath != "" {
		return e.writeCodeOut("issue", outPath, text, holder, level)
	}
	fmt.Fprintln(e.stdout, text)
	return exitOK
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
	var modeErr *sign.KeyFileModeError
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
