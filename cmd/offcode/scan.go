package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/offcode/offcode/internal/picture"
	"github.com/offcode/offcode/scan"
)

const scanUsage = `Read offline codes from pictures (PNG or JPEG) and print their text.

Usage:
    offcode scan [--json] FILE...

For each file, in order, prints the text of every offline code in it, one
line per code: top to bottom, then left to right, so a photo of a batch page
prints its eight codes. A file with no readable QR code, or with only QR
codes that are not offline codes, is reported on stderr. Scanning reads text only: pass the text to
"offcode verify" to check it (verify also takes the picture directly).

Options:
    --json      one JSON object per code: {"file": …, "text": …, "x": …, "y": …,
                "points": [[x, y], …]}, where x, y is the symbol's centre and
                points its bottom-left, top-left and top-right finder patterns,
                in pixels from the top left; or one per file that yields none:
                {"file": …, "error": …, "reason": "not_found" | "not_offcode" | "unreadable"}

Exit status: 0 if every file yielded a code, 1 if any did not, 2 on usage error
or a file that cannot be read, is not PNG or JPEG, or is over 25 million pixels.

Examples:
    $ offcode scan photo.jpg
    OC1:RRQT 9P60GO0+:SOD0T+15578CKSJ9FN00OD0V5WY0ZNDPTUN-0*VMZ 7FWV J9Z+ON%U/E7V5…

    $ offcode scan --json *.png
`

type scanResult struct {
	File   string   `json:"file"`
	Text   string   `json:"text,omitempty"`
	X      *int     `json:"x,omitempty"`
	Y      *int     `json:"y,omitempty"`
	Points [][2]int `json:"points,omitempty"`
	Error  string   `json:"error,omitempty"`
	Reason string   `json:"reason,omitempty"`
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
		codes, err := scanFileAll(f)
		if err != nil {
			r := scanResult{File: f, Error: strings.TrimPrefix(err.Error(), "scan: ")}
			switch {
			case errors.Is(err, scan.ErrNotOffcode):
				r.Reason = "not_offcode"
			case errors.Is(err, scan.ErrNotFound):
				r.Reason = "not_found"
			default: // a missing file or one that is not an image
				r.Reason = "unreadable"
			}
			switch {
			case isInputError(err): // missing, not PNG or JPEG, too large
				exit = exitUsage
			case exit == exitOK:
				exit = exitRejected
			}
			if asJSON {
				b, _ := json.Marshal(r)
				fmt.Fprintf(e.stdout, "%s\n", b)
			} else {
				e.errorf("scan: %s", r.Error)
			}
			continue
		}
		for _, c := range codes {
			if !asJSON {
				fmt.Fprintln(e.stdout, c.Text)
				continue
			}
			mid := c.Center()
			r := scanResult{File: f, Text: c.Text, X: &mid.X, Y: &mid.Y}
			for _, p := range c.Points {
				r.Points = append(r.Points, [2]int{p.X, p.Y})
			}
			b, _ := json.Marshal(r)
			fmt.Fprintf(e.stdout, "%s\n", b)
		}
	}
	return exit
}

// scanFileAll reads every offline code in a PNG or JPEG file. Its errors
// name the file once: "photo.jpg: no QR code found in 640×480 image".
func scanFileAll(path string) ([]scan.Code, error) {
	img, err := picture.DecodeFile(path) // bounded: PNG or JPEG, 25 million pixels
	if err != nil {
		return nil, err
	}
	codes, err := scan.All(img)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, &trimmedError{err, "scan: "})
	}
	return codes, nil
}

// trimmedError is err with a prefix cut from its message, so that a
// package's "scan: " does not repeat the command's.
type trimmedError struct {
	err    error
	prefix string
}

func (t *trimmedError) Error() string { return strings.TrimPrefix(t.err.Error(), t.prefix) }
func (t *trimmedError) Unwrap() error { return t.err }
