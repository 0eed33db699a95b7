package render

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
)

// quietZone is the width, in modules, of the white margin around every QR
// symbol this package draws: the 4 modules ISO/IEC 18004 asks for.
const quietZone = 4

// Level is a QR error correction level.
type Level int

// The error correction levels, from least to most redundancy. LevelQ
// recovers about 25% of the symbol and is the default.
const (
	LevelQ Level = iota // zero value: the default
	LevelL
	LevelM
	LevelH
)

// QR is an encoded QR symbol: a square of dark and light modules.
type QR struct {
	size    int
	version int
	level   Level
	mask    int
	dark    *bitRows
}

// NewQR encodes text, which must be in the QR alphanumeric set (as every
// code's text form is), in alphanumeric mode at error correction level l,
// choosing the smallest version that holds it.
func NewQR(text string, l Level) (*QR, error) {
	if text == "" {
		return nil, fmt.Errorf("%w: empty text", errNotAlphanumeric)
	}
	for i := 0; i < len(text); i++ {
		if alphanumericValue(text[i]) < 0 {
			return nil, fmt.Errorf("%w: %q at offset %d", errNotAlphanumeric, text[i], i)
		}
	}
	level, formatBits, err := l.row()
	if err != nil {
		return nil, err
	}
	lo, err := chooseLayout(len(text), level)
	if err != nil {
		return nil, err
	}
	codewords := interleave(dataCodewords(text, lo), lo)
	p := qrPatternsOf(lo.version)
	mask, m := chooseMask(placeCodewords(codewords, p), p, formatBits)
	return &QR{size: m.n, version: lo.version, level: l, mask: mask, dark: m}, nil
}

// Image returns the symbol with its quiet zone (the 4 modules ISO/IEC 18004
// asks for) as a grey image, scale pixels per module (at least 1): black
// modules on white.
func (q *QR) Image(scale int) *image.Gray {
	if scale < 1 {
		scale = 1
	}
	n := (q.size + 2*quietZone) * scale
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := 0; y < q.size; y++ {
		row := img.Pix[(y+quietZone)*scale*img.Stride:]
		for x := 0; x < q.size; x++ {
			if q.dark.get(x, y) {
				px := row[(x+quietZone)*scale:]
				for i := 0; i < scale; i++ {
					px[i] = 0
				}
			}
		}
		for i := 1; i < scale; i++ {
			copy(img.Pix[((y+quietZone)*scale+i)*img.Stride:][:n], row[:n])
		}
	}
	return img
}

// WritePNG writes Image(scale) to w as a PNG.
func (q *QR) WritePNG(w io.Writer, scale int) error {
	img := q.Image(scale)
	// A two-colour palette keeps the file small.
	p := image.NewPaletted(img.Rect, color.Palette{color.Gray{0}, color.Gray{0xff}})
	for i, v := range img.Pix {
		if v != 0 {
			p.Pix[i] = 1
		}
	}
	if err := png.Encode(w, p); err != nil {
		return fmt.Errorf("render: writing PNG: %w", err)
	}
	return nil
}

// runs calls f for every horizontal run of dark modules: row y, columns
// x to x+n-1. Drawing runs instead of single modules keeps vector output
// small and leaves no hairline seams between modules.
func (q *QR) runs(f func(x, y, n int)) {
	for y := 0; y < q.size; y++ {
		for x := 0; x < q.size; {
			if !q.dark.get(x, y) {
				x++
				continue
			}
			start := x
			for x < q.size && q.dark.get(x, y) {
				x++
			}
			f(start, y, x-start)
		}
	}
}

// WriteSVG writes the symbol with its quiet zone to w as an SVG document
// whose user unit is one module; width and height are size millimetres
// (size <= 0 means one millimetre per module).
func (q *QR) WriteSVG(w io.Writer, size float64) error {
	n := q.size + 2*quietZone
	if size <= 0 {
		size = float64(n)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%gmm" height="%gmm" viewBox="0 0 %d %d" shape-rendering="crispEdges">`+"\n", size, size, n, n)
	fmt.Fprintf(bw, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", n, n)
	fmt.Fprintf(bw, `<path fill="#000" d="`)
	q.runs(func(x, y, l int) {
		fmt.Fprintf(bw, "M%d %dh%dv1h-%dz", x+quietZone, y+quietZone, l, l)
	})
	fmt.Fprintf(bw, "\"/>\n</svg>\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render: writing SVG: %w", err)
	}
	return nil
}
