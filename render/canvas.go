package render

import (
	"bytes"
	"fmt"
	"math"
	"math/bits"
	"strconv"

	"github.com/jung-kurt/gofpdf"
)

// Page geometry, in millimetres: ISO A4 portrait.
const (
	pageW   = 210.0
	pageH   = 297.0
	mmPerPt = 25.4 / 72
	ptPerMM = 72 / 25.4
)

type rgb struct{ r, g, b uint8 }

var (
	black = rgb{0, 0, 0}
	white = rgb{255, 255, 255}
	grey  = rgb{110, 110, 110}
)

type point struct{ x, y float64 }

// canvas is the little drawing model the layouts use: millimetres, origin
// at the top left of the page, y growing downwards. Shapes and text are
// filled with the fill colour; lines use the stroke settings.
type canvas interface {
	setFill(c rgb)
	rect(x, y, w, h float64)
	polygon(pts []point)
	setStroke(c rgb, width, dash float64) // dash 0: solid
	line(x1, y1, x2, y2 float64)
	// text draws s with its baseline starting at x, y, size in points.
	text(x, y, size float64, s string)
}

// fpdfCanvas draws with gofpdf, which subsets the font into the document.
type fpdfCanvas struct{ f *gofpdf.Fpdf }

func (c fpdfCanvas) setFill(k rgb) {
	c.f.SetFillColor(int(k.r), int(k.g), int(k.b))
	c.f.SetTextColor(int(k.r), int(k.g), int(k.b))
}
func (c fpdfCanvas) rect(x, y, w, h float64) { c.f.Rect(x, y, w, h, "F") }
func (c fpdfCanvas) polygon(pts []point) {
	p := make([]gofpdf.PointType, len(pts))
	for i, q := range pts {
		p[i] = gofpdf.PointType{X: q.x, Y: q.y}
	}
	c.f.Polygon(p, "F")
}
func (c fpdfCanvas) setStroke(k rgb, width, dash float64) {
	c.f.SetDrawColor(int(k.r), int(k.g), int(k.b))
	c.f.SetLineWidth(width)
	if dash > 0 {
		c.f.SetDashPattern([]float64{dash, dash}, 0)
	} else {
		c.f.SetDashPattern(nil, 0)
	}
}
func (c fpdfCanvas) line(x1, y1, x2, y2 float64) { c.f.Line(x1, y1, x2, y2) }
func (c fpdfCanvas) text(x, y, size float64, s string) {
	c.f.SetFont(fontName, "", size)
	c.f.Text(x, y, s)
}

// streamCanvas writes PDF content-stream operators for one page into buf,
// showing text as glyph indices of the embedded font (Identity-H), and
// marks the glyphs it shows in used (by glyph index).
type streamCanvas struct {
	buf  *bytes.Buffer
	font *fontInfo
	used []bool
}

func num(b *bytes.Buffer, v float64) {
	t := math.Round(v * 1000)
	if !(math.Abs(t) < 1e12) || (t == 0 && math.Signbit(t)) {
		// Far off the page, -0 or not a number: leave it to strconv.
		b.WriteString(strconv.FormatFloat(t/1000, 'f', -1, 64))
		b.WriteByte(' ')
		return
	}
	// t/1000 prints as the shortest decimal that reads back as it: the
	// digits of t with a point before the last three, trailing zeros
	// (and a bare point) dropped. Formatting the integer is much cheaper.
	var d [24]byte
	i := len(d)
	d[i-1] = ' '
	i--
	k := int64(t)
	neg := k < 0
	if neg {
		k = -k
	}
	frac := k % 1000
	if frac != 0 {
		digits := 3
		for frac%10 == 0 {
			frac /= 10
			digits--
		}
		for ; digits > 0; digits-- {
			i--
			d[i] = byte('0' + frac%10)
			frac /= 10
		}
		i--
		d[i] = '.'
	}
	k /= 1000
	for {
		i--
		d[i] = byte('0' + k%10)
		k /= 10
		if k == 0 {
			break
		}
	}
	if neg {
		i--
		d[i] = '-'
	}
	b.Write(d[i:])
}

func (c streamCanvas) xy(x, y float64) {
	num(c.buf, x*ptPerMM)
	num(c.buf, (pageH-y)*ptPerMM)
}

func colour(b *bytes.Buffer, k rgb, op string) {
	num(b, float64(k.r)/255)
	num(b, float64(k.g)/255)
	num(b, float64(k.b)/255)
	b.WriteString(op)
	b.WriteByte('\n')
}

func (c streamCanvas) setFill(k rgb) { colour(c.buf, k, "rg") }
func (c streamCanvas) rect(x, y, w, h float64) {
	c.xy(x, y+h)
	num(c.buf, w*ptPerMM)
	num(c.buf, h*ptPerMM)
	c.buf.WriteString("re f\n")
}
func (c streamCanvas) polygon(pts []point) {
	for i, p := range pts {
		c.xy(p.x, p.y)
		if i == 0 {
			c.buf.WriteString("m ")
		} else {
			c.buf.WriteString("l ")
		}
	}
	c.buf.WriteString("h f\n")
}
func (c streamCanvas) setStroke(k rgb, width, dash float64) {
	colour(c.buf, k, "RG")
	num(c.buf, width*ptPerMM)
	c.buf.WriteString("w ")
	if dash > 0 {
		fmt.Fprintf(c.buf, "[%g %g] 0 d\n", dash*ptPerMM, dash*ptPerMM)
	} else {
		c.buf.WriteString("[] 0 d\n")
	}
}
func (c streamCanvas) line(x1, y1, x2, y2 float64) {
	c.xy(x1, y1)
	c.buf.WriteString("m ")
	c.xy(x2, y2)
	c.buf.WriteString("l S\n")
}
func (c streamCanvas) text(x, y, size float64, s string) {
	c.buf.WriteString("BT /F1 ")
	num(c.buf, size)
	c.buf.WriteString("Tf ")
	c.xy(x, y)
	c.buf.WriteString("Td <")
	const hex = "0123456789abcdef"
	for _, r := range s {
		id := c.font.glyphs[r].id
		if int(id) < len(c.used) {
			c.used[id] = true
		}
		c.buf.Write([]byte{hex[id>>12], hex[id>>8&15], hex[id>>4&15], hex[id&15]})
	}
	c.buf.WriteString("> Tj ET\n")
}

// modules draws the modules of q, without its quiet zone, as one 1-bit
// image mask filling the square x, y, side s in the fill colour: a few
// hundred bytes of hex per symbol instead of a rectangle, four formatted
// numbers, per run of modules.
func (c streamCanvas) modules(q *QR, x, y, s float64) {
	c.buf.WriteString("q ")
	num(c.buf, s*ptPerMM)
	c.buf.WriteString("0 0 ")
	num(c.buf, s*ptPerMM)
	c.xy(x, y+s)
	fmt.Fprintf(c.buf, "cm\nBI /W %d /H %d /BPC 1 /IM true /D [1 0] /F /AHx ID\n", q.size, q.size)
	const hex = "0123456789abcdef"
	for y := 0; y < q.size; y++ {
		row := q.dark.row(y)
		// Module x is bit x%64 of word x/64; the image wants it as bit
		// 7-x%8 of byte x/8.
		for x := 0; x < q.size; x += 8 {
			b := bits.Reverse8(uint8(row[x/64] >> (x % 64)))
			c.buf.WriteByte(hex[b>>4])
			c.buf.WriteByte(hex[b&15])
		}
		c.buf.WriteByte('\n')
	}
	c.buf.WriteString(">\nEI Q\n")
}
