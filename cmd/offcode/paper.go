package main

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/render"
)

// outFormats are the --out extensions of "offcode issue".
var outFormats = []string{".txt", ".png", ".svg", ".pdf"}

// pngScale is the pixels per module of "offcode issue --out code.png".
const pngScale = 8

// writeCodeOut writes a code to path in the format its extension names:
// the text (.txt), a QR image (.png, .svg) or a printable A4 sheet (.pdf).
// It writes a temporary file and renames it, so a failure leaves nothing.
func (e *env) writeCodeOut(cmd, path, text, holder string, level render.Level) int {
	ext := strings.ToLower(filepath.Ext(path))
	var buf bytes.Buffer
	var err error
	switch ext {
	case ".txt":
		buf.WriteString(text + "\n")
	case ".png":
		var q *render.QR
		if q, err = render.NewQR(text, level); err == nil {
			err = q.WritePNG(&buf, pngScale)
		}
	case ".svg":
		var q *render.QR
		if q, err = render.NewQR(text, level); err == nil {
			err = q.WriteSVG(&buf, 60)
		}
	case ".pdf":
		err = render.WriteSheet(&buf, text, &render.SheetOptions{Holder: holder, Level: level})
	default:
		e.errorf("%s: --out %s: unknown extension %q", cmd, path, ext)
		e.hintf("use one of %s", strings.Join(outFormats, ", "))
		return exitUsage
	}
	if err != nil {
		e.errorf("%s: %v", cmd, detailRender(err))
		return exitUsage
	}
	if holder != "" && ext != ".pdf" {
		e.errorf("%s: --holder is printed on PDF sheets only, not in %s files", cmd, ext)
		return exitUsage
	}
	if err := atomicfile.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		e.errorf("%s: %v", cmd, err)
		return exitUsage
	}
	e.infof("%s: wrote %s", cmd, path)
	return exitOK
}

func detailRender(err error) string {
	return strings.TrimPrefix(detail(err), "render: ")
}
