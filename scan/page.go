package scan

import (
	"cmp"
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// This file finishes a page of several symbols (a batch page, a sheet of
// cards) once two or more of its symbols are read. Each attempt of the
// scan finds some finder patterns and misses others; the patterns of all
// the attempts on the picture are pooled, and those of the symbols' module
// size that lie in no symbol read are taken in threes, in pairs and alone
// where the symbols read say a symbol's patterns lie: the symbols of a
// page are alike and laid out alike, and the sides of those read, fitted
// over the page (shapeAt), follow the perspective of a page photographed
// at an angle. A pattern a pair or a lone pattern lacks is searched for
// in the grey plane, as readPairs does for a lone symbol.

// maxPagePairs bounds the pairs of leftover finder patterns tried on a
// page.
const maxPagePairs = 16

// maxPooled bounds the finder patterns pooled over a scan: a noisy
// picture's attempts find hundreds.
const maxPooled = 200

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
		if len(s.pageCentres) == maxPooled {
			return
		}
		q := pageCentre{p.toPicture(pt{c.GetX(), c.GetY()}), c.GetEstimatedModuleSize() / p.scale}
		dup := false
		for _, o := range s.pageCentres {
			if math.Hypot(o.at.x-q.at.x, o.at.y-q.at.y) < 3*q.ms {
				dup = true
				break
			}
		}
		if !dup {
			s.pageCentres = append(s.pageCentres, q)
		}
	}
}

// finishPage returns the symbols of g (the picture's plane) read from the
// pooled finder patterns that lie in none of the symbols read, all (two
// or more), and are of their module size: triples of them (triples),
// then pairs with a third pattern searched for (pairs), then lone
// patterns with two (singles), and last the triples of them that looked
// like symbols, deblurred.
func (s *scanner) finishPage(g *grey, all []found) (out []found) {
	defer func() {
		if r := recover(); r != nil {
			out = nil
		}
	}()
	if len(all) < 2 || len(s.pageCentres) < 2 {
		// One symbol read is no page: a photo of one symbol leaves
		// stray patterns in its noise that are not worth the search.
		return nil
	}
	// The module size of the symbols read: that of the pooled patterns
	// at their finder patterns.
	ms, n := 0.0, 0
	for _, f := range all {
		for _, q := range f.points[:3] {
			for _, c := range s.pageCentres {
				if math.Hypot(c.at.x-q.x, c.at.y-q.y) < 2*c.ms {
					ms += c.ms
					n++
					break
				}
			}
		}
	}
	if n == 0 {
		return nil
	}
	ms /= float64(n)
	var left []pageCentre
	for _, c := range s.pageCentres {
		if r := c.ms / ms; r > 0.75 && r < 1.33 && !insideFound(all, c.at) {
			left = append(left, c)
		}
	}
	ps := &pageSearch{s: s, g: g, all: all}
	used := ps.triples(left)
	ps.pairs(left, used)
	ps.singles(left, used)
	// Last, the triples that looked like symbols, deblurred in module
	// space (unblurGrid): dear, so few.
	n = 0
	for _, info := range ps.blurred {
		if n == maxPageUnblur {
			break
		}
		if ps.taken(info) {
			continue
		}
		n++
		if r, points, ok, _ := gridDecodeTimed(g, info, false, true, s.dec); ok {
			ps.out = append(ps.out, found{r.GetText(), points})
		}
	}
	return ps.out
}

// pairs reads the symbols of which two of the patterns left, not used,
// are finder patterns, the third searched for where the page's shape puts
// it (thirdPattern).
func (ps *pageSearch) pairs(left []pageCentre, used []bool) {
	tried := 0
	for i := 0; i < len(left); i++ {
		for j := i + 1; j < len(left); j++ {
			a, b := left[i], left[j]
			if used[i] || used[j] || !ps.free(a.at) || !ps.free(b.at) {
				continue
			}
			if r := a.ms / b.ms; r < 0.7 || r > 1.4 {
				continue
			}
			u, v := shapeAt(ps.all, a.at)
			third, ok := thirdPattern(a.at, b.at, u, v)
			if !ok || (ps.g.inside(third) && !ps.free(third)) {
				continue
			}
			if tried == maxPagePairs {
				return
			}
			tried++
			ps.pair(a, b, third, u, v)
		}
	}
}

// maxPageSingles bounds the lone finder patterns of a page whose two
// others are searched for.
const maxPageSingles = 6

// singles reads the symbols of which one of the patterns left, none of
// them used, is a finder pattern, and the two others, which no step
// found, are where the page's shape (shapeAt) puts them if it is the top
// left, top right or bottom left pattern.
func (ps *pageSearch) singles(left []pageCentre, used []bool) {
	tried := 0
	for i, a := range left {
		if used[i] || !ps.free(a.at) {
			continue
		}
		u, v := shapeAt(ps.all, a.at)
		lu, lv := math.Hypot(u.x, u.y), math.Hypot(v.x, v.y)
		ex, ey := pt{u.x / lu * a.ms, u.y / lu * a.ms}, pt{v.x / lv * a.ms, v.y / lv * a.ms}
		p := a.at
		// The pattern beside a, then the third, from the second where
		// the page's shape puts it, turned and scaled as the side
		// from a to the second is against the shape's.
		for _, role := range [3]struct{ next, side, other pt }{
			{pt{p.x + u.x, p.y + u.y}, u, v},              // a top left: top right, bottom left
			{pt{p.x - u.x, p.y - u.y}, pt{-u.x, -u.y}, v}, // a top right: top left, bottom left
			{pt{p.x - v.x, p.y - v.y}, pt{-v.x, -v.y}, u}, // a bottom left: top left, top right
		} {
			if !ps.free(role.next) && !ps.cut(role.next, a.ms) {
				continue
			}
			if tried == maxPageSingles {
				return
			}
			tried++
			b, ok, _ := ps.search(role.next, ex, ey, math.Min(lu, lv)/a.ms)
			if !ok {
				continue
			}
			// The similarity taking role.side to b - a.
			sx, sy := b.x-p.x, b.y-p.y
			n := role.side.x*role.side.x + role.side.y*role.side.y
			c, sn := (sx*role.side.x+sy*role.side.y)/n, (sy*role.side.x-sx*role.side.y)/n
			o := pt{c*role.other.x - sn*role.other.y, sn*role.other.x + c*role.other.y}
			from := p // the third is beside the top left: a or b
			if role.side != u {
				from = b
			}
			guess := pt{from.x + o.x, from.y + o.y}
			third, ok, cut := ps.search(guess, ex, ey, math.Min(lu, lv)/a.ms)
			if cut {
				third = ps.cutGuess(p, b, guess)
			}
			if ok && ps.try(orient(detector.NewFinderPattern1(p.x, p.y, a.ms), detector.NewFinderPattern1(b.x, b.y, a.ms), detector.NewFinderPattern1(third.x, third.y, a.ms))) {
				break
			}
		}
	}
}

// findNear is findConcentric by template correlation within about six
// modules of guess: where the shape of the page's symbols (shapeAt) puts
// a finder pattern can be that far off. ex and ey are the module axes,
// mods the distance to the nearest other pattern, in modules.
func (ps *pageSearch) findNear(guess, ex, ey pt, mods float64) (pt, bool) {
	for _, o := range [9]pt{{0, 0}, {-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-1, -1}, {1, -1}, {-1, 1}, {1, 1}} {
		c := pt{guess.x + 3*(o.x*ex.x+o.y*ey.x), guess.y + 3*(o.x*ex.y+o.y*ey.y)}
		if p, ok := findConcentric(ps.g, c, ex, ey, 1, mods, templateCorrelation); ok {
			return p, true
		}
	}
	return pt{}, false
}

// search is findNear for a pattern free to be found near guess; if it
// finds none and the pattern is cut off by the frame (cutFree), it
// returns guess, with cut set.
func (ps *pageSearch) search(guess, ex, ey pt, mods float64) (p pt, ok, cut bool) {
	if ps.free(guess) {
		if p, ok := ps.findNear(guess, ex, ey, mods); ok {
			return p, true, false
		}
	}
	cut = ps.cutFree(guess, math.Hypot(ex.x, ex.y))
	return guess, cut, cut
}

// cutFree reports whether a finder pattern at q, of module size ms, is
// cut off by the frame (cut) and lies in no symbol read.
func (ps *pageSearch) cutFree(q pt, ms float64) bool {
	return ps.cut(q, ms) && !insideFound(ps.all, q) && !insideFound(ps.out, q)
}

// free reports whether q is in the plane and in no symbol read.
func (ps *pageSearch) free(q pt) bool {
	return ps.g.inside(q) && !insideFound(ps.all, q) && !insideFound(ps.out, q)
}

// maxPageUnblur bounds the triples of a page deblurred in module space.
const maxPageUnblur = 4

// pageSearch is the state of finishPage.
type pageSearch struct {
	s   *scanner
	g   *grey
	all []found // the symbols read by the steps
	out []found // and by the search
	// blurred holds the triples not read whose timing patterns
	// alternate (likelyDims), in the order tried.
	blurred []*detector.FinderPatternInfo
}

// try reads the symbol of the finder patterns info, and reports whether
// it did.
func (ps *pageSearch) try(info *detector.FinderPatternInfo) bool {
	if ps.taken(info) || !squarish(info) {
		return false
	}
	r, points, ok, like := gridDecodeTimed(ps.g, info, false, false, ps.s.dec)
	if ok {
		ps.out = append(ps.out, found{r.GetText(), points})
		return true
	}
	if like {
		ps.blurred = append(ps.blurred, info)
	}
	return false
}

// squarish reports whether the sides of the triple info, from its top
// left finder pattern to the two others, are in a ratio triples admits
// (1.6): a symbol is square, and a pair's third pattern found away from
// where the page's shape put it, or patterns of two neighbouring cards,
// make a triple that is not.
func squarish(info *detector.FinderPatternInfo) bool {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	a := math.Hypot(tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY())
	b := math.Hypot(bl.GetX()-tl.GetX(), bl.GetY()-tl.GetY())
	return a > 0 && b > 0 && a/b >= 1/1.6 && a/b <= 1.6
}

// taken reports whether a finder pattern of info lies in a symbol read.
func (ps *pageSearch) taken(info *detector.FinderPatternInfo) bool {
	for _, f := range []*detector.FinderPattern{info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()} {
		if q := (pt{f.GetX(), f.GetY()}); insideFound(ps.all, q) || insideFound(ps.out, q) {
			return true
		}
	}
	return false
}

// triples reads the symbols of triples of the finder patterns left
// where the shape of the page's symbols (shapeAt) puts them, best first,
// and returns which patterns of left they used. Each pattern is taken as
// a top left one: its top right and bottom left are the patterns nearest
// where shapeAt puts them, within maxShapeError of a side.
func (ps *pageSearch) triples(left []pageCentre) (used []bool) {
	used = make([]bool, len(left))
	type cand struct {
		i, j, k int
		score   float64
	}
	var cs []cand
	for i, a := range left {
		u, v := shapeAt(ps.all, a.at)
		// nearestTo returns the pattern of left nearest p and its
		// distance from p as a fraction of the side s.
		nearestTo := func(p, s pt) (int, float64) {
			best, bestD := -1, maxShapeError
			for j, c := range left {
				if d := math.Hypot(c.at.x-p.x, c.at.y-p.y) / math.Hypot(s.x, s.y); j != i && d < bestD {
					best, bestD = j, d
				}
			}
			return best, bestD
		}
		j, dj := nearestTo(pt{a.at.x + u.x, a.at.y + u.y}, u)
		k, dk := nearestTo(pt{a.at.x + v.x, a.at.y + v.y}, v)
		if j >= 0 && k >= 0 && j != k {
			cs = append(cs, cand{i, j, k, dj + dk})
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
		if ps.try(detector.NewFinderPatternInfo(fp(left[c.k]), fp(left[c.i]), fp(left[c.j]))) {
			used[c.i], used[c.j], used[c.k] = true, true, true
		}
	}
	return used
}

// maxShapeError is how far, as a fraction of a side, a finder pattern of
// a page's symbol may lie from where the shape of the symbols read
// (shapeAt) puts it.
const maxShapeError = 0.3

// sides returns the sides of the symbol f: from its top left finder
// pattern to its top right, u, and to its bottom left, v.
func sides(f found) (u, v pt) {
	bl, tl, tr := f.points[0], f.points[1], f.points[2]
	return pt{tr.x - tl.x, tr.y - tl.y}, pt{bl.x - tl.x, bl.y - tl.y}
}

// shapeAt returns the sides (see sides) of a symbol of the page at q:
// fitted as affine functions of the position over the symbols read, fs,
// three or more not in a line, which follows the perspective of a page
// seen at an angle; or else the sides of the symbol read nearest q.
func shapeAt(fs []found, q pt) (u, v pt) {
	if len(fs) >= 3 {
		// Least squares over the rows [1, x-q.x, y-q.y] of the symbols'
		// top left patterns: the constant term is the value at q.
		var m [3][3]float64
		var r [4][3]float64
		for _, f := range fs {
			row := [3]float64{1, f.points[1].x - q.x, f.points[1].y - q.y}
			fu, fv := sides(f)
			vals := [4]float64{fu.x, fu.y, fv.x, fv.y}
			for i := range 3 {
				for j := range 3 {
					m[i][j] += row[i] * row[j]
				}
				for k := range 4 {
					r[k][i] += row[i] * vals[k]
				}
			}
		}
		det := det3(m)
		if math.Abs(det) > 1e-6*m[0][0]*m[1][1]*m[2][2] {
			var c [4]float64
			for k := range 4 {
				mk := m
				for i := range 3 {
					mk[i][0] = r[k][i]
				}
				c[k] = det3(mk) / det
			}
			return pt{c[0], c[1]}, pt{c[2], c[3]}
		}
	}
	best, bestD := fs[0], math.Inf(1)
	for _, f := range fs {
		if d := math.Hypot(f.points[1].x-q.x, f.points[1].y-q.y); d < bestD {
			best, bestD = f, d
		}
	}
	return sides(best)
}

func det3(m [3][3]float64) float64 {
	return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) - m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) + m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
}

// thirdPattern returns where the third finder pattern of a symbol of
// sides u and v (see sides) lies if a and b are two of its finder
// patterns; ok is false if b-a is none of its sides.
func thirdPattern(a, b, u, v pt) (third pt, ok bool) {
	w := pt{b.x - a.x, b.y - a.y}
	tol := maxShapeError * math.Min(math.Hypot(u.x, u.y), math.Hypot(v.x, v.y))
	vu := pt{v.x - u.x, v.y - u.y}
	// Each case: the side b-a should be, the pattern the third is
	// placed from, and the third's offset from it.
	for _, c := range [6]struct{ side, from, off pt }{
		{u, a, v},                             // a top left, b top right
		{pt{-u.x, -u.y}, b, v},                // b top left, a top right
		{v, a, u},                             // a top left, b bottom left
		{pt{-v.x, -v.y}, b, u},                // b top left, a bottom left
		{vu, a, pt{-u.x, -u.y}},               // a top right, b bottom left
		{pt{-vu.x, -vu.y}, b, pt{-u.x, -u.y}}, // b top right, a bottom left
	} {
		if math.Hypot(w.x-c.side.x, w.y-c.side.y) >= tol {
			continue
		}
		// The offset turned and scaled as b-a is against the side.
		n := c.side.x*c.side.x + c.side.y*c.side.y
		cs, sn := (w.x*c.side.x+w.y*c.side.y)/n, (w.y*c.side.x-w.x*c.side.y)/n
		return pt{c.from.x + cs*c.off.x - sn*c.off.y, c.from.y + sn*c.off.x + cs*c.off.y}, true
	}
	return pt{}, false
}

// pair reads the symbol of which a and b are two finder patterns and the
// third is near guess, searched for in the grey plane with module axes
// along u and v.
func (ps *pageSearch) pair(a, b pageCentre, guess, u, v pt) {
	ms := (a.ms + b.ms) / 2
	lu, lv := math.Hypot(u.x, u.y), math.Hypot(v.x, v.y)
	ex, ey := pt{u.x / lu * ms, u.y / lu * ms}, pt{v.x / lv * ms, v.y / lv * ms}
	fa := detector.NewFinderPattern1(a.at.x, a.at.y, a.ms)
	fb := detector.NewFinderPattern1(b.at.x, b.at.y, b.ms)
	for _, m := range []concentricMeasure{ringContrast, templateCorrelation} {
		best, ok := findConcentric(ps.g, guess, ex, ey, 1, math.Min(lu, lv)/ms, m)
		if ok && ps.try(orient(fa, fb, detector.NewFinderPattern1(best.x, best.y, ms))) {
			return
		}
	}
	if ps.cut(guess, ms) {
		// The third pattern is cut off by the frame: the symbol is
		// sampled with it where the page's shape puts it, the
		// alignment patterns correcting the map (gridDecodeDim).
		g := ps.cutGuess(a.at, b.at, guess)
		ps.try(orient(fa, fb, detector.NewFinderPattern1(g.x, g.y, ms)))
	}
}

// cutGuess returns where the page's shape (shapeAt) puts the finder
// pattern of a symbol that is cut off by the frame, from the symbol's two
// others, p and q, and rough, a guess at it that says which of the three
// it is. The shape is taken at the top left pattern, whose sides it
// gives: from p or q, a guess turned as the side between them is
// against the shape's (thirdPattern) lands a module or more off when the
// page is seen at an angle.
func (ps *pageSearch) cutGuess(p, q, rough pt) pt {
	info := orient(detector.NewFinderPattern1(p.x, p.y, 1), detector.NewFinderPattern1(q.x, q.y, 1), detector.NewFinderPattern1(rough.x, rough.y, 1))
	at := func(f *detector.FinderPattern) pt { return pt{f.GetX(), f.GetY()} }
	tl, tr, bl := at(info.GetTopLeft()), at(info.GetTopRight()), at(info.GetBottomLeft())
	switch rough {
	case tr:
		u, _ := shapeAt(ps.all, tl)
		return pt{tl.x + u.x, tl.y + u.y}
	case bl:
		_, v := shapeAt(ps.all, tl)
		return pt{tl.x + v.x, tl.y + v.y}
	}
	u, v := shapeAt(ps.all, tl)
	return pt{(tr.x - u.x + bl.x - v.x) / 2, (tr.y - u.y + bl.y - v.y) / 2}
}

// cut reports whether a finder pattern centred on q, of module size ms,
// is cut off by the edge of the plane: q lies outside it, or within
// 3.5 modules (half a pattern) of its edge.
func (ps *pageSearch) cut(q pt, ms float64) bool {
	m := 3.5 * ms
	return q.x < m || q.y < m || q.x > float64(ps.g.w)-m || q.y > float64(ps.g.h)-m
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
