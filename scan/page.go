package scan

import (
	"cmp"
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// This file finishes a page of several symbols (a batch page, a sheet of
// cards) once some of its symbols are read: the symbols of a page are all
// of one size, so the finder patterns left over that none of them used
// are paired at the distance the symbols read put their finder patterns
// apart, and the third pattern of each pair is searched for in the grey
// plane where the pair puts it, as readPairs does for a lone symbol.
// Each attempt of the scan finds some finder patterns and misses others;
// the leftovers of all the attempts on the picture are pooled here, so a
// symbol whose three patterns no one attempt found together is read too.

// maxPagePairs bounds the pairs of leftover finder patterns tried on a
// page.
const maxPagePairs = 16

// pageCentre is a finder pattern centre found on the picture, in picture
// pixels, with its module size.
type pageCentre struct {
	at pt
	ms float64
}

// keepCentres pools the finder patterns centres found by an attempt on
// plane p (dark on light only) for finishPage.
func (s *scanner) keepCentres(p *plane, inverted bool, centres []*detector.FinderPattern) {
	if inverted || len(centres) < 2 {
		return
	}
	for _, c := range centres {
		q := pageCentre{p.toPicture(pt{c.GetX(), c.GetY()}), c.GetEstimatedModuleSize() / p.scale}
		dup := false
		for _, o := range s.pageCentres {
			if math.Hypot(o.at.x-q.at.x, o.at.y-q.at.y) < 3*q.ms {
				dup = true
				break
			}
		}
		if !dup && len(s.pageCentres) < 200 {
			s.pageCentres = append(s.pageCentres, q)
		}
	}
}

// finishPage returns the symbols of g (the picture's plane) read from
// pairs of the pooled finder patterns that lie in none of the symbols
// read, all, and are two finder patterns of a symbol shaped as the
// nearest symbol read is.
func (s *scanner) finishPage(g *grey, all []found) (out []found) {
	defer func() {
		if r := recover(); r != nil {
			out = nil
		}
	}()
	if len(all) == 0 || len(s.pageCentres) < 2 {
		return nil
	}
	var left []pageCentre
	for _, c := range s.pageCentres {
		if !insideFound(all, c.at) {
			left = append(left, c)
		}
	}
	out, used := s.pageTriples(g, all, left)
	tried := 0
	for i := 0; i < len(left); i++ {
		for j := i + 1; j < len(left); j++ {
			a, b := left[i], left[j]
			if used[i] || used[j] {
				continue
			}
			if r := a.ms / b.ms; r < 0.7 || r > 1.4 {
				continue
			}
			third, u, v, ok := thirdPattern(a.at, b.at, nearest(all, a.at))
			if !ok || !g.inside(third) || insideFound(all, third) || insideFound(out, third) {
				continue
			}
			if tried == maxPagePairs {
				return out
			}
			tried++
			if f, ok := s.readPageTriple(g, a, b, third, u, v); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// pageTriples returns the symbols of g read from triples of the finder
// patterns left, each of the size of the symbols read, all, best first,
// and which patterns of left they used.
func (s *scanner) pageTriples(g *grey, all []found, left []pageCentre) (out []found, used []bool) {
	used = make([]bool, len(left))
	side := 0.0
	for _, f := range all {
		side += math.Hypot(f.points[1].x-f.points[0].x, f.points[1].y-f.points[0].y)
		side += math.Hypot(f.points[1].x-f.points[2].x, f.points[1].y-f.points[2].y)
	}
	side /= float64(2 * len(all))
	type cand struct {
		i, j, k int
		score   float64
	}
	var cs []cand
	n := min(len(left), 60)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			for k := j + 1; k < n; k++ {
				if i == j || i == k {
					continue
				}
				a, b, c := left[i].at, left[j].at, left[k].at
				da, db := math.Hypot(b.x-a.x, b.y-a.y), math.Hypot(c.x-a.x, c.y-a.y)
				ra, rb := da/side, db/side
				if ra < 0.7 || ra > 1.4 || rb < 0.7 || rb > 1.4 || da/db < 1/1.3 || da/db > 1.3 {
					continue
				}
				cos := ((b.x-a.x)*(c.x-a.x) + (b.y-a.y)*(c.y-a.y)) / (da * db)
				if math.Abs(cos) > 0.35 {
					continue
				}
				cs = append(cs, cand{i, j, k, math.Abs(math.Log(da/db)) + math.Abs(cos) + math.Abs(math.Log(ra*rb)/2)})
			}
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return cmp.Compare(a.score, b.score) })
	tried := 0
	for _, c := range cs {
		if used[c.i] || used[c.j] || used[c.k] {
			continue
		}
		if tried == maxPagePairs {
			break
		}
		tried++
		fp := func(q pageCentre) *detector.FinderPattern { return detector.NewFinderPattern1(q.at.x, q.at.y, q.ms) }
		info := orient(fp(left[c.i]), fp(left[c.j]), fp(left[c.k]))
		if r, points, ok, _ := gridDecodeTimed(g, info, false, true, s.dec); ok {
			out = append(out, found{r.GetText(), points})
			used[c.i], used[c.j], used[c.k] = true, true, true
		}
	}
	return out, used
}

// nearest returns the symbol of fs whose top left finder pattern is
// nearest q.
func nearest(fs []found, q pt) found {
	best, bestD := fs[0], math.Inf(1)
	for _, f := range fs {
		if d := math.Hypot(f.points[1].x-q.x, f.points[1].y-q.y); d < bestD {
			best, bestD = f, d
		}
	}
	return best
}

// thirdPattern returns where the third finder pattern of a symbol shaped
// as f (one of a page's, all alike) lies if a and b are two of its finder
// patterns, with f's sides from its top left pattern to its top right, u,
// and to its bottom left, v; ok is false if b-a is none of f's sides.
func thirdPattern(a, b pt, f found) (third, u, v pt, ok bool) {
	bl, tl, tr := f.points[0], f.points[1], f.points[2]
	u, v = pt{tr.x - tl.x, tr.y - tl.y}, pt{bl.x - tl.x, bl.y - tl.y}
	w := pt{b.x - a.x, b.y - a.y}
	tol := 0.2 * math.Min(math.Hypot(u.x, u.y), math.Hypot(v.x, v.y))
	near := func(p pt, k float64) bool { return math.Hypot(w.x-k*p.x, w.y-k*p.y) < tol }
	vu := pt{v.x - u.x, v.y - u.y}
	switch {
	case near(u, 1): // a top left, b top right
		return pt{a.x + v.x, a.y + v.y}, u, v, true
	case near(u, -1): // b top left, a top right
		return pt{b.x + v.x, b.y + v.y}, u, v, true
	case near(v, 1): // a top left, b bottom left
		return pt{a.x + u.x, a.y + u.y}, u, v, true
	case near(v, -1):
		return pt{b.x + u.x, b.y + u.y}, u, v, true
	case near(vu, 1): // a top right, b bottom left
		return pt{a.x - u.x, a.y - u.y}, u, v, true
	case near(vu, -1):
		return pt{b.x - u.x, b.y - u.y}, u, v, true
	}
	return pt{}, u, v, false
}

// readPageTriple reads the symbol of which a and b are two finder
// patterns and the third is near guess, searched for in the grey plane
// with module axes along u and v.
func (s *scanner) readPageTriple(g *grey, a, b pageCentre, guess, u, v pt) (found, bool) {
	ms := (a.ms + b.ms) / 2
	lu, lv := math.Hypot(u.x, u.y), math.Hypot(v.x, v.y)
	ex, ey := pt{u.x / lu * ms, u.y / lu * ms}, pt{v.x / lv * ms, v.y / lv * ms}
	fa := detector.NewFinderPattern1(a.at.x, a.at.y, a.ms)
	fb := detector.NewFinderPattern1(b.at.x, b.at.y, b.ms)
	for _, m := range []concentricMeasure{ringContrast, templateCorrelation} {
		best, ok := findConcentric(g, guess, ex, ey, 1, math.Min(lu, lv)/ms, m)
		if !ok {
			continue
		}
		info := orient(fa, fb, detector.NewFinderPattern1(best.x, best.y, ms))
		// Blurred too, perhaps: why no attempt found the three.
		if r, points, ok, _ := gridDecodeTimed(g, info, false, true, s.dec); ok {
			return found{r.GetText(), points}, true
		}
	}
	return found{}, false
}

// insideFound reports whether q lies inside one of the symbols fs, quiet
// zone excluded: within a tenth of its side of the parallelogram of its
// finder patterns' centres.
func insideFound(fs []found, q pt) bool {
	for _, f := range fs {
		bl, tl, tr := f.points[0], f.points[1], f.points[2]
		ux, uy := tr.x-tl.x, tr.y-tl.y
		vx, vy := bl.x-tl.x, bl.y-tl.y
		det := ux*vy - uy*vx
		if det == 0 {
			continue
		}
		px, py := q.x-tl.x, q.y-tl.y
		a, b := (px*vy-py*vx)/det, (ux*py-uy*px)/det
		if a > -0.1 && a < 1.1 && b > -0.1 && b < 1.1 {
			return true
		}
	}
	return false
}
