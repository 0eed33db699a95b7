package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/offcode/offcode/scan"
)

const scanUsage = `Read offline codes from pictures (PNG or JPEG) and print their text.

Usage:
    offcode scan [--json] FILE...

For each file, in order, prints the text of the offline code in it, one line.
A file with no readable QR code, or with a QR code that is not an offline
code, is reported on stderr. Scanning reads text only: pass the text to
"offcode verify" to check it (verify also takes the picture directly).

Options:
    --json      one JSON object per file: {"file": …, "text": …} or
                {"file": …, "error": …, "reason": "not_found" | "not_offcode" | "unreadable"}

Exit status: 0 if every file yielded a code, 1 if any did not, 2 on usage error.

Examples:
    $ offcode scan photo.jpg
    OC1:RRQT 9P60GO0+:SOD0T+15578CKSJ9FN00OD0V5WY0ZNDPTUN-0*VMZ 7FWV J9Z+ON%U/E7V5…

    $ offcode scan --json *.png
`

type scanResult struct {
	File   string `json:"file"`
	Text   string `json:"text,omitempty"`
	Error  string `json:"error,omitempty"`
	Reason string `json:"reason,omitempty"`
}

func runScan(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("scan")
	var asJSON bool
	fset.BoolVar(&asJSON, "json", false, "")
	files, code, ok := e.parseArgs(fset, scanUsage, args)
	if !ok {
		return code
	}
	if len(files) == 0 {
		e.errorf("scan: no file given")
		e.hintf("run \"offcode help scan\" for its options and examples")
		return exitUsage
	}
	exit := exitOK
	for _, f := range files {
		if ctx.Err() != nil {
			return exitRejected
		}
		r := scanResult{File: f}
		text, err := scanFile(f)
		switch {
		case err == nil:
			r.Text = text
		case errors.Is(err, scan.ErrNotOffcode):
			r.Reason = "not_offcode"
		case errors.Is(err, scan.ErrNotFound):
			r.Reason = "not_found"
		default: // a missing file or one that is not an image
			r.Reason = "unreadable"
		}
		if err != nil {
			r.Error = strings.TrimPrefix(err.Error(), "scan: ")
			exit = exitRejected
		}
		if asJSON {
			b, _ := json.Marshal(r)
			fmt.Fprintf(e.stdout, "%s\n", b)
			continue
		}
		if err != nil {
			e.errorf("scan: %s", r.Error)
			continue
		}
		fmt.Fprintln(e.stdout, text)
	}
	return exit
}
