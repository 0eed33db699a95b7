package scan

import (
	"math"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// This file finds finder patterns from the edges of the grey plane rather
// than from a binarised image, as zbar's scanner does: on a small blurred
// symbol a binariser closes the one-module light ring of a finder pattern,
// but the ring's two edges still show as opposite slopes of the grey
// level. Along each row, edges are the extrema of the grey level's slope;
// five widths between six alternating edges in the ratio 1:1:3:1:1 mark a
// candidate, which the column through it must confirm.

// edge is a slope extremum along a line: position (sub-pixel) and sign
// (+1 dark to light, -1 light to dark).
type edge struct {
	at   float64
	sign int
}

// lineEdges returns, in es[:0], the edges of the n grey levels pix[0],
// pix[step], … pix[(n-1)·step]: local extrema of the central difference
// whose magnitude is at least minSlope, alternating in sign (of two in a
// row of one sign, the steeper is kept).
func lineEdges(es []edge, pix []byte, step, n, minSlope int) []edge {
	es = es[:0]
	if n < 3 {
		return es
	}
	if step == 1 {
		return rowEdges(es, pix[:n], minSlope)
	}
	var lastSteep int // |slope| of the last edge kept
	at := func(i int) int { return int(pix[i*step]) }
	// The slopes at i-1, i and i+1 (0 outside the line), each
	// difference taken once.
	dl, d := 0, at(2)-at(0)
	for i := 1; i < n-1; i++ {
		dr := 0
		if i+2 < n {
			dr = at(i+2) - at(i)
		}
		ad := abs(d)
		if ad < minSlope || ad < abs(dl) || ad <= abs(dr) {
			dl, d = d, dr
			continue
		}
		// Sub-pixel: the vertex of the parabola through the three
		// slopes.
		off := 0.0
		if den := float64(dl - 2*d + dr); den != 0 {
			off = 0.5 * float64(dl-dr) / den
		}
		e := edge{float64(i) + 0.5 + max(-0.5, min(0.5, off)), 1}
		if d < 0 {
			e.sign = -1
		}
		dl, d = d, dr
		if k := len(es); k > 0 && es[k-1].sign == e.sign {
			if ad > lastSteep {
				es[k-1], lastSteep = e, ad
			}
			continue
		}
		es = append(es, e)
		lastSteep = ad
	}
	return es
}

// rowEdges is lineEdges of the pixels of a row (step 1, n ≥ 3), into
// es, empty. Most pixels of a row lie on no edge: their slope, less than
// minSlope either way, is taken with one unsigned comparison and no
// multiplication, and only at the others are the slopes either side
// taken too. The placing and keeping of an edge repeat lineEdges's,
// inline: through a shared function, a call per edge,
// BenchmarkEdgeCentres took 7 % longer.
func rowEdges(es []edge, pix []byte, minSlope int) []edge {
	var lastSteep int // |slope| of the last edge kept
	n := len(pix)
	flat := uint(2*minSlope - 1) // |d| < minSlope iff d+minSlope−1 < flat, unsigned
	for i := 1; i+1 < n; i++ {
		d := int(pix[i+1]) - int(pix[i-1]) // the slope at i
		if uint(d+minSlope-1) < flat {
			continue
		}
		ad := abs(d)
		dl, dr := 0, 0 // the slopes a pixel either side
		if i >= 2 {
			dl = int(pix[i]) - int(pix[i-2])
		}
		if i+2 < n {
			dr = int(pix[i+2]) - int(pix[i])
		}
		if ad < abs(dl) || ad <= abs(dr) {
			continue
		}
		// Sub-pixel: the vertex of the parabola through the three
		// slopes.
		off := 0.0
		if den := float64(dl - 2*d + dr); den != 0 {
			off = 0.5 * float64(dl-dr) / den
		}
		// (Clamped by comparisons: off is finite, and the built-in
		// min and max of floats, which take care of NaNs, cost more.)
		if off > 0.5 {
			off = 0.5
		} else if off < -0.5 {
			off = -0.5
		}
		e := edge{float64(i) + 0.5 + off, 1}
		if d < 0 {
			e.sign = -1
		}
		if k := len(es); k > 0 && es[k-1].sign == e.sign {
			if ad > lastSteep {
				es[k-1], lastSteep = e, ad
			}
			continue
		}
		es = append(es, e)
		lastSteep = ad
	}
	return es
}

// abs returns |x|, without a branch: the sign of a slope or a run's
// error is a coin toss, and a mispredicted branch costs more than the
// arithmetic.
func abs(x int) int {
	m := x >> 63
	return (x ^ m) - m
}

// finderRun reports whether the six edges es[0:6], starting light to
// dark (sign*-1), bound runs dark, light, dark, light, dark in the ratio
// 1:1:3:1:1, and returns the centre of the middle run and the module size.
func finderRun(es []edge, sign int) (centre, module float64, ok bool) {
	if es[0].sign != -sign {
		return 0, 0, false
	}
	total := es[5].at - es[0].at
	m := total / 7
	if m < 0.8 {
		return 0, 0, false
	}
	// The widths wanted, in modules, and the tolerance of each: 0.6 of
	// a module, times max(1, want/2).
	wants, tols := [5]float64{1, 1, 3, 1, 1}, [5]float64{1, 1, 1.5, 1, 1}
	for i, want := range wants {
		w := es[i+1].at - es[i].at
		if math.Abs(w-want*m) > 0.6*m*tols[i] {
			return 0, 0, false
		}
	}
	return (es[2].at + es[3].at) / 2, m, true
}

// edgeCentres returns finder pattern centres found from the edges of the
// grey plane g (inverted: light on dark) that are not within three
// modules of one in have.
func edgeCentres(g *grey, inverted bool, have []*detector.FinderPattern) []*detector.FinderPattern {
	sign := 1
	if inverted {
		sign = -1
	}
	const minSlope = 12
	type cand struct{ x, y, m float64 }
	var cands []cand
	var es, col []edge
	// Every other row: a finder pattern's core is three modules tall.
	for y := 0; y < g.h; y += 2 {
		es = lineEdges(es, g.pix[y*g.str:y*g.str+g.w], 1, g.w, minSlope)
		for i := 0; i+6 <= len(es); i++ {
			cx, m, ok := finderRun(es[i:i+6], sign)
			if !ok {
				continue
			}
			// The column through the centre must show the pattern too.
			x := int(cx)
			y0, y1 := max(y-int(6*m), 0), min(y+int(6*m)+1, g.h)
			col = lineEdges(col, g.pix[y0*g.str+x:], g.str, y1-y0, minSlope)
			for j := 0; j+6 <= len(col); j++ {
				cy, m2, ok := finderRun(col[j:j+6], sign)
				if ok && math.Abs(float64(y0)+cy-float64(y)-0.5) < 1.5*m && m2 > 0.6*m && m2 < 1.6*m {
					cands = append(cands, cand{cx, float64(y0) + cy, (m + m2) / 2})
					break
				}
			}
			if len(cands) > 5000 {
				break
			}
		}
	}
	// Merge the candidates of one pattern (several rows cross its core).
	type cluster struct {
		sx, sy, sm float64
		n          int
	}
	var cs []*cluster
	for _, c := range cands {
		var k *cluster
		for _, o := range cs {
			n := float64(o.n)
			if math.Hypot(o.sx/n-c.x, o.sy/n-c.y) < 1.5*o.sm/n {
				k = o
				break
			}
		}
		if k == nil {
			k = &cluster{}
			cs = append(cs, k)
		}
		k.sx += c.x
		k.sy += c.y
		k.sm += c.m
		k.n++
	}
	var out []*detector.FinderPattern
	for _, k := range cs {
		n := float64(k.n)
		x, y, m := k.sx/n, k.sy/n, k.sm/n
		if k.n < 2 {
			continue
		}
		near := false
		for _, f := range have {
			near = near || math.Hypot(f.GetX()-x, f.GetY()-y) < 3*m
		}
		if !near {
			out = append(out, detector.NewFinderPattern1(x, y, m))
		}
	}
	return out
}
