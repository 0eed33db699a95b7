package scan

import (
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// This file reads a symbol of which only two finder patterns were found:
// a glare strip, a thumb or a smear can wipe out the third. Two finder
// patterns of a symbol are two corners of a right isosceles triangle, so
// the third lies at one of six places (either pattern the corner, on
// either side, or the two the ends of the hypotenuse); at each, the grey
// plane is searched for the finder pattern's concentric rings, which
// survive where the binarised image lost them, and the symbol is sampled
// from the grey plane as for three found patterns.

// maxPairs bounds the pairs of finder patterns tried in one scan.
const maxPairs = 6

// readPairs tries to read symbols from pairs of the finder patterns
// centres of plane p. As in read, a panic is a failed attempt.
func (s *scanner) readPairs(p *plane, centres []*detector.FinderPattern, inverted bool) (out []found) {
	defer func() {
		if r := recover(); r != nil {
			out = nil
		}
	}()
	if len(centres) < 2 {
		return nil
	}
	cs := slices.Clone(centres)
	slices.SortStableFunc(cs, func(a, b *detector.FinderPattern) int { return b.GetCount() - a.GetCount() })
	cs = cs[:min(len(cs), 6)]
	sign := 1.0
	if inverted {
		sign = -1
	}
	tried := 0
	for i := 0; i < len(cs); i++ {
		for j := i + 1; j < len(cs); j++ {
			a, b := cs[i], cs[j]
			ms := (a.GetEstimatedModuleSize() + b.GetEstimatedModuleSize()) / 2
			if r := a.GetEstimatedModuleSize() / b.GetEstimatedModuleSize(); r < 0.7 || r > 1.4 {
				continue
			}
			pa, pb := pt{a.GetX(), a.GetY()}, pt{b.GetX(), b.GetY()}
			vx, vy := pb.x-pa.x, pb.y-pa.y
			d := math.Hypot(vx, vy)
			if d/ms < 14 || d/ms > 240 {
				continue
			}
			if tried == maxPairs {
				return out
			}
			tried++
			// The third pattern: a right angle at a or at b, or a and b
			// the ends of the hypotenuse.
			px, py := -vy, vx
			guesses := []pt{
				{pa.x + px, pa.y + py}, {pa.x - px, pa.y - py},
				{pb.x + px, pb.y + py}, {pb.x - px, pb.y - py},
				{(pa.x + pb.x + px) / 2, (pa.y + pb.y + py) / 2}, {(pa.x + pb.x - px) / 2, (pa.y + pb.y - py) / 2},
			}
			for gi, c := range guesses {
				// The module axes at the guessed pattern: along the
				// side from it to a neighbour.
				side := d
				if gi >= 4 {
					side = d / math.Sqrt2
				}
				if !p.inside(c) {
					continue
				}
				ux, uy := vx/d*ms, vy/d*ms
				best, ok := findConcentric(&p.grey, c, pt{ux, uy}, pt{-uy, ux}, sign, side/ms)
				if !ok {
					continue
				}
				third := detector.NewFinderPattern1(best.x, best.y, ms)
				info := orient(a, b, third)
				if r, points, ok := gridDecode(&p.grey, info, inverted, s.dec); ok {
					for i := range points {
						points[i] = p.toPicture(points[i])
					}
					out = append(out, found{r.GetText(), points})
					break
				}
			}
		}
	}
	return out
}

// orient returns three finder patterns as a symbol's bottom left, top
// left and top right: the top left is the corner at the right angle, and
// the top right is clockwise from the bottom left about it.
func orient(a, b, c *detector.FinderPattern) *detector.FinderPatternInfo {
	dist := func(p, q *detector.FinderPattern) float64 { return math.Hypot(p.GetX()-q.GetX(), p.GetY()-q.GetY()) }
	ab, bc, ca := dist(a, b), dist(b, c), dist(c, a)
	// The top left is opposite the longest side.
	tl, p, q := c, a, b
	switch {
	case bc >= ab && bc >= ca:
		tl, p, q = a, b, c
	case ca >= ab && ca >= bc:
		tl, p, q = b, c, a
	}
	ax, ay := p.GetX()-tl.GetX(), p.GetY()-tl.GetY()
	bx, by := q.GetX()-tl.GetX(), q.GetY()-tl.GetY()
	tr, bl := p, q
	if ax*by-ay*bx < 0 {
		tr, bl = q, p
	}
	return detector.NewFinderPatternInfo(bl, tl, tr)
}

// findConcentric searches the grey plane within three modules of c for
// the centre of a finder pattern (a dark 3×3 core, a light ring, a dark
// ring) with module vectors ex and ey, in half-module then eighth-module
// steps. It reports the best point if its light ring is brighter (times
// sign) than its core and dark ring by 10 grey levels or more. mods is the distance in modules to the nearest other pattern, which
// bounds the search.
func findConcentric(g *grey, c, ex, ey pt, sign, mods float64) (pt, bool) {
	score := func(o pt) float64 {
		at := func(u, v float64) float64 {
			return g.at(pt{o.x + u*ex.x + v*ey.x, o.y + u*ex.y + v*ey.y})
		}
		core := (at(0, 0) + at(-0.7, 0) + at(0.7, 0) + at(0, -0.7) + at(0, 0.7)) / 5
		var light, dark float64
		for _, d := range [][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0.7, 0.7}, {-0.7, 0.7}, {0.7, -0.7}, {-0.7, -0.7}} {
			light += at(2*d[0], 2*d[1])
			dark += at(3*d[0], 3*d[1])
		}
		return sign * (light/8 - (core+dark/8)/2)
	}
	reach := math.Min(3, mods/4)
	best, bestScore := c, math.Inf(-1)
	for v := -reach; v <= reach; v += 0.5 {
		for u := -reach; u <= reach; u += 0.5 {
			o := pt{c.x + u*ex.x + v*ey.x, c.y + u*ex.y + v*ey.y}
			if s := score(o); s > bestScore {
				best, bestScore = o, s
			}
		}
	}
	centre := best
	for v := -0.5; v <= 0.5; v += 0.125 {
		for u := -0.5; u <= 0.5; u += 0.125 {
			o := pt{centre.x + u*ex.x + v*ey.x, centre.y + u*ex.y + v*ey.y}
			if s := score(o); s > bestScore {
				best, bestScore = o, s
			}
		}
	}
	return best, bestScore >= 10 && g.inside(best)
}
