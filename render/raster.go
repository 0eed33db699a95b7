package render

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/vector"
)

// rasterCanvas draws on an RGBA image, scale pixels to a page unit.
// Rectangles are snapped to whole pixels, so a QR symbol laid out on a
// whole number of pixels per module stays sharp; shapes and text are
// anti-aliased.
type rasterCanvas struct {
	img    *image.RGBA
	scale  float64
	fi     *fontInfo
	font   *sfnt.Font
	fill   color.RGBA
	stroke color.RGBA
	width  float64
	dash   float64
	ras    vector.Rasterizer
	mask   image.Alpha // coverage of the path being filled
}

func rgba(k rgb) color.RGBA { return color.RGBA{k.r, k.g, k.b, 0xff} }

func (c *rasterCanvas) px(v float64) int { return int(math.Round(v * c.scale)) }

func (c *rasterCanvas) setFill(k rgb) { c.fill = rgba(k) }

func (c *rasterCanvas) rect(x, y, w, h float64) {
	r := image.Rect(c.px(x), c.px(y), c.px(x+w), c.px(y+h))
	draw.Draw(c.img, r, image.NewUniform(c.fill), image.Point{}, draw.Src)
}

func (c *rasterCanvas) polygon(pts []point) { c.fillPath(polygonPath(pts), c.fill) }

func (c *rasterCanvas) setStroke(k rgb, width, dash float64) {
	c.stroke, c.width, c.dash = rgba(k), width, dash
}

func (c *rasterCanvas) line(x1, y1, x2, y2 float64) {
	c.fillPath(linePath(point{x1, y1}, point{x2, y2}, c.width, c.dash), c.stroke)
}

func (c *rasterCanvas) text(x, y, size float64, s string) {
	c.fillPath(textPath(c.font, c.fi, x, y, size, s), c.fill)
}

// fillPath rasterises p over the image in colour k, working only on the
// pixels of its bounding box.
func (c *rasterCanvas) fillPath(p path, k color.RGBA) {
	if len(p) == 0 {
		return
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, op := range p {
		for _, q := range op.points() {
			minX, maxX = math.Min(minX, q.x), math.Max(maxX, q.x)
			minY, maxY = math.Min(minY, q.y), math.Max(maxY, q.y)
		}
	}
	box := image.Rect(int(math.Floor(minX*c.scale)), int(math.Floor(minY*c.scale)),
		int(math.Ceil(maxX*c.scale))+1, int(math.Ceil(maxY*c.scale))+1).Intersect(c.img.Rect)
	if box.Empty() {
		return
	}
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	at := func(q point) (float32, float32) { return float32(q.x*c.scale - ox), float32(q.y*c.scale - oy) }
	c.ras.Reset(box.Dx(), box.Dy())
	c.ras.DrawOp = draw.Over
	for _, op := range p {
		switch op.kind {
		case 'M':
			c.ras.MoveTo(at(op.pts[0]))
		case 'L':
			c.ras.LineTo(at(op.pts[0]))
		case 'Q':
			bx, by := at(op.pts[0])
			cx, cy := at(op.pts[1])
			c.ras.QuadTo(bx, by, cx, cy)
		case 'C':
			bx, by := at(op.pts[0])
			cx, cy := at(op.pts[1])
			dx, dy := at(op.pts[2])
			c.ras.CubeTo(bx, by, cx, cy, dx, dy)
		case 'Z':
			c.ras.ClosePath()
		}
	}
	// Rasterise the coverage, then blend with it quantised to 16 levels:
	// edges stay smooth, and a card has few enough distinct colours for a
	// palette (see paletted).
	if cap(c.mask.Pix) < box.Dx()*box.Dy() {
		c.mask.Pix = make([]uint8, box.Dx()*box.Dy())
	}
	c.mask.Pix = c.mask.Pix[:box.Dx()*box.Dy()]
	clear(c.mask.Pix)
	c.mask.Stride, c.mask.Rect = box.Dx(), image.Rect(0, 0, box.Dx(), box.Dy())
	c.ras.Draw(&c.mask, c.mask.Rect, image.Opaque, image.Point{})
	for y := 0; y < box.Dy(); y++ {
		row := c.img.Pix[c.img.PixOffset(box.Min.X, box.Min.Y+y):]
		for x, cov := range c.mask.Pix[y*box.Dx() : (y+1)*box.Dx()] {
			a := uint8((int(cov) + 8) / 17 * 17)
			if a == 0 {
				continue
			}
			p := row[4*x : 4*x+4 : 4*x+4]
			p[0] = blend(p[0], k.R, a)
			p[1] = blend(p[1], k.G, a)
			p[2] = blend(p[2], k.B, a)
			p[3] = 0xff
		}
	}
}

// blend returns dst covered by src at alpha a (0-255).
func blend(dst, src, a uint8) uint8 {
	return uint8((uint32(dst)*uint32(255-a) + uint32(src)*uint32(a) + 127) / 255)
}

// paletted returns img as a paletted image if it has at most 256 colours.
// A phone card does (flat colours and 16 levels of anti-aliasing), and a
// paletted PNG is a third of the data to compress and needs no filter
// search, so it is written several times faster.
func paletted(img *image.RGBA) (*image.Paletted, bool) {
	b := img.Bounds()
	p := image.NewPaletted(b, nil)
	index := make(map[uint32]uint8, 256)
	last, lastIdx := uint32(1<<31), uint8(0)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		src := img.Pix[img.PixOffset(b.Min.X, y):]
		dst := p.Pix[p.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			q := src[4*x : 4*x+3 : 4*x+3]
			k := uint32(q[0])<<16 | uint32(q[1])<<8 | uint32(q[2])
			if k != last {
				i, ok := index[k]
				if !ok {
					if len(p.Palette) == 256 {
						return nil, false
					}
					i = uint8(len(p.Palette))
					index[k] = i
					p.Palette = append(p.Palette, color.RGBA{q[0], q[1], q[2], 0xff})
				}
				last, lastIdx = k, i
			}
			dst[x] = lastIdx
		}
	}
	return p, true
}
