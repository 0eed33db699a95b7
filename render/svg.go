package render

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"golang.org/x/image/font/sfnt"
)

// svgCanvas writes SVG elements in page units. Text is drawn as glyph
// outlines, so the document needs no font. Rectangles of one colour in a
// row are merged into one path, drawn with crisp edges (a QR symbol is
// hundreds of them).
type svgCanvas struct {
	buf    *bytes.Buffer
	fi     *fontInfo
	font   *sfnt.Font
	fill   rgb
	stroke rgb
	width  float64
	dash   float64
	rects  bytes.Buffer // pending rectangles in the fill colour
}

func svgNum(b *bytes.Buffer, v float64) {
	b.WriteString(strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64))
}

func svgColour(k rgb) string { return fmt.Sprintf("#%02x%02x%02x", k.r, k.g, k.b) }

func (c *svgCanvas) flush() {
	if c.rects.Len() == 0 {
		return
	}
	fmt.Fprintf(c.buf, `<path fill="%s" shape-rendering="crispEdges" d="`, svgColour(c.fill))
	c.buf.Write(c.rects.Bytes())
	c.buf.WriteString("\"/>\n")
	c.rects.Reset()
}

func (c *svgCanvas) setFill(k rgb) {
	if k != c.fill {
		c.flush()
	}
	c.fill = k
}

func (c *svgCanvas) rect(x, y, w, h float64) {
	b := &c.rects
	b.WriteByte('M')
	svgNum(b, x)
	b.WriteByte(' ')
	svgNum(b, y)
	b.WriteByte('h')
	svgNum(b, w)
	b.WriteByte('v')
	svgNum(b, h)
	b.WriteByte('h')
	svgNum(b, -w)
	b.WriteByte('z')
}

func (c *svgCanvas) polygon(pts []point) { c.path(polygonPath(pts), c.fill) }

func (c *svgCanvas) setStroke(k rgb, width, dash float64) {
	c.stroke, c.width, c.dash = k, width, dash
}

func (c *svgCanvas) line(x1, y1, x2, y2 float64) {
	c.path(linePath(point{x1, y1}, point{x2, y2}, c.width, c.dash), c.stroke)
}

func (c *svgCanvas) text(x, y, size float64, s string) {
	c.path(textPath(c.font, c.fi, x, y, size, s), c.fill)
}

// path writes p as one path element filled with k.
func (c *svgCanvas) path(p path, k rgb) {
	c.flush()
	if len(p) == 0 {
		return
	}
	fmt.Fprintf(c.buf, `<path fill="%s" d="`, svgColour(k))
	for _, op := range p {
		c.buf.WriteByte(op.kind)
		for i, q := range op.points() {
			if i > 0 {
				c.buf.WriteByte(' ')
			}
			svgNum(c.buf, q.x)
			c.buf.WriteByte(' ')
			svgNum(c.buf, q.y)
		}
	}
	c.buf.WriteString("\"/>\n")
}
