package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // offcode reads JPEG photos of codes
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
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

// isImagePath reports whether arg names a PNG or JPEG file rather than
// being a code's text: codes start with the prefix, and a path ends in an
// image extension.
func isImagePath(arg string) bool {
	if strings.HasPrefix(arg, codec.Prefix) {
		return false
	}
	switch strings.ToLower(filepath.Ext(arg)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

// scanFile reads the offline code in a PNG or JPEG file.
func scanFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	img, _, err := image.Decode(io.LimitReader(f, 256<<20))
	if err != nil {
		return "", fmt.Errorf("%s: not a PNG or JPEG image: %w", path, err)
	}
	text, err := scan.Image(img)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return text, nil
}

// codeArg returns the code text of a command-line argument: the argument
// itself, or the code scanned from the image file it names.
func (e *env) codeArg(cmd, arg string) (string, int, bool) {
	if !isImagePath(arg) {
		return arg, exitOK, true
	}
	text, err := scanFile(arg)
	if err != nil {
		e.errorf("%s: %s", cmd, strings.TrimPrefix(err.Error(), "scan: "))
		if errors.Is(err, scan.ErrNotFound) {
			e.hintf("the whole code, with its white margin, must be in the picture")
		}
		return "", exitRejected, false
	}
	return text, exitOK, true
}
