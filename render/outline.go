package render

import (
	"fmt"
	"math"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Phone cards (PNG and SVG) draw text as the glyph outlines of the
// embedded font, so neither needs a font installed where it is shown.

var (
	outlineOnce sync.Once
	outlineFont *sfnt.Font
	outlineErr  error
)

// loadOutlines parses the embedded font for its outlines, once.
func loadOutlines() (*sfnt.Font, error) {
	outlineOnce.Do(func() {
		outlineFont, outlineErr = sfnt.Parse(fontTTF)
		if outlineErr != nil {
			outlineErr = fmt.Errorf("render: parsing embedded font: %w", outlineErr)
		}
	})
	return outlineFont, outlineErr
}

// pathOp is one step of a path: move, line, quadratic or cubic curve to
// the last point of pts, or close.
type pathOp struct {
	kind byte // 'M', 'L', 'Q', 'C', 'Z'
	pts  [3]point
}

// points returns the points op uses.
func (op pathOp) points() []point {
	switch op.kind {
	case 'M', 'L':
		return op.pts[:1]
	case 'Q':
		return op.pts[:2]
	case 'C':
		return op.pts[:3]
	}
	return nil
}

// path is a filled outline in page units (y down), with the nonzero rule.
type path []pathOp

func (p *path) moveTo(a point) { *p = append(*p, pathOp{kind: 'M', pts: [3]point{a}}) }
func (p *path) lineTo(a point) { *p = append(*p, pathOp{kind: 'L', pts: [3]point{a}}) }
func (p *path) close()         { *p = append(*p, pathOp{kind: 'Z'}) }

// textPath returns the outline of s at size points with its baseline
// starting at x, y.
func textPath(f *sfnt.Font, fi *fontInfo, x, y, size float64, s string) path {
	var buf sfnt.Buffer
	upem := float64(f.UnitsPerEm())
	em := size * mmPerPt
	k := em / upem / 64 // 26.6 font units to page units
	var p path
	pen := x
	for _, r := range s {
		g := fi.glyphs[r]
		segs, err := f.LoadGlyph(&buf, sfnt.GlyphIndex(g.id), fixed.I(int(upem)), nil)
		if err == nil {
			at := func(v fixed.Point26_6) point { return point{pen + float64(v.X)*k, y + float64(v.Y)*k} }
			open := false
			for _, sg := range segs {
				switch sg.Op {
				case sfnt.SegmentOpMoveTo:
					if open {
						p.close()
					}
					p.moveTo(at(sg.Args[0]))
					open = true
				case sfnt.SegmentOpLineTo:
					p.lineTo(at(sg.Args[0]))
				case sfnt.SegmentOpQuadTo:
					p = append(p, pathOp{kind: 'Q', pts: [3]point{at(sg.Args[0]), at(sg.Args[1])}})
				case sfnt.SegmentOpCubeTo:
					p = append(p, pathOp{kind: 'C', pts: [3]point{at(sg.Args[0]), at(sg.Args[1]), at(sg.Args[2])}})
				}
			}
			if open {
				p.close()
			}
		}
		pen += float64(g.width) / 1000 * em
	}
	return p
}

// polygonPath returns the closed polygon through pts.
func polygonPath(pts []point) path {
	var p path
	for i, q := range pts {
		if i == 0 {
			p.moveTo(q)
		} else {
			p.lineTo(q)
		}
	}
	p.close()
	return p
}

// linePath returns a line from a to b, width wide, as a filled polygon,
// dashed with dash-long dashes and gaps when dash > 0.
func linePath(a, b point, width, dash float64) path {
	dx, dy := b.x-a.x, b.y-a.y
	l := math.Hypot(dx, dy)
	if l == 0 || width <= 0 {
		return nil
	}
	ux, uy := dx/l, dy/l
	nx, ny := -uy*width/2, ux*width/2
	seg := func(p *path, s, e float64) {
		p0 := point{a.x + ux*s, a.y + uy*s}
		p1 := point{a.x + ux*e, a.y + uy*e}
		*p = append(*p, polygonPath([]point{{p0.x + nx, p0.y + ny}, {p1.x + nx, p1.y + ny}, {p1.x - nx, p1.y - ny}, {p0.x - nx, p0.y - ny}})...)
	}
	var p path
	if dash <= 0 {
		seg(&p, 0, l)
		return p
	}
	for s := 0.0; s < l; s += 2 * dash {
		seg(&p, s, min(s+dash, l))
	}
	return p
}
