package main

import (
	"bytes"
	"fmt"
	"image/png"
	"path/filepath"
	"slices"
	"strings"

	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/render"
)

// outFormats are the --out extensions of "offcode issue".
var outFormats = []string{".txt", ".png", ".svg", ".pdf"}

// pngScale is the pixels per module of "offcode issue --bare --out code.png".
const pngScale = 8

// writeCodeOut writes a code to path in the format its extension names:
// the text (.txt), the phone card (.png, .svg; with bare, the QR symbol
// alone) or a printable A4 sheet (.pdf). It writes a temporary file and
// renames it, so a failure leaves nothing.
func (e *env) writeCodeOut(cmd, path, text, holder string, level render.Level, bare bool) int {
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case !slices.Contains(outFormats, ext):
		e.errorf("%s: --out %s: unknown extension %q", cmd, path, ext)
		e.hintf("use one of %s", strings.Join(outFormats, ", "))
		return exitUsage
	case bare && ext != ".png" && ext != ".svg":
		e.errorf("%s: --bare is for .png and .svg pictures, not %s files", cmd, ext)
		return exitUsage
	case holder != "" && (bare || ext == ".txt"):
		e.errorf("%s: --holder is printed on cards and sheets, not on a bare QR symbol or in a text file", cmd)
		return exitUsage
	}
	var buf bytes.Buffer
	var err error
	what := ""
	switch {
	case ext == ".txt":
		buf.WriteString(text + "\n")
	case bare:
		var q *render.QR
		if q, err = render.NewQR(text, level); err == nil && ext == ".png" {
			err = q.WritePNG(&buf, pngScale)
		} else if err == nil {
			err = q.WriteSVG(&buf, 60)
		}
		what = " (the bare QR symbol)"
	case ext == ".png":
		err = render.WriteCardPNG(&buf, text, &render.Options{Holder: holder, Level: level})
		if cfg, cerr := png.DecodeConfig(bytes.NewReader(buf.Bytes())); err == nil && cerr == nil {
			what = fmt.Sprintf(" (phone card, %dx%d)", cfg.Width, cfg.Height)
		}
	case ext == ".svg":
		err = render.WriteCardSVG(&buf, text, &render.Options{Holder: holder, Level: level})
		what = " (phone card)"
	case ext == ".pdf":
		err = render.WriteSheet(&buf, text, &render.Options{Holder: holder, Level: level})
		what = " (A4 sheet)"
	}
	if err != nil {
		e.errorf("%s: %v", cmd, detailRender(err))
		return exitUsage
	}
	if err := atomicfile.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		e.errorf("%s: %v", cmd, err)
		return exitUsage
	}
	e.infof("%s: wrote %s%s", cmd, path, what)
	return exitOK
}

func detailRender(err error) string {
	return strings.TrimPrefix(detail(err), "render: ")
}
