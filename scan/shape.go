package scan

import (
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// This file finds finder patterns by their shape rather than by runs of
// a binarised row: where noise breaks every run (a shaken picture, its
// smear undone, is grainy), the 9×9 modules of a finder pattern and its
// separator, sampled at the module size and turned as the symbol's module
// axes are, still correlate with the pattern. The symbols so located are
// read as others are (gridDecodeSides), through equalize when their
// modules thresholded one by one are a few per cent wrong, as they are.

// gridAngle returns the angle, in [0, π/2), of the module axes of the
// symbol in g: the angle whose four-fold multiple the gradients, weighted
// by their magnitudes, point along (a module's edges run along two
// perpendicular axes). (TestGridAngle: within a degree, at 3 px a
// module in noise.)
func gridAngle(g *grey) float64 {
	var c, s float64
	for y := 1; y < g.h-1; y++ {
		row := g.pix[y*g.str:]
		up, down := g.pix[(y-1)*g.str:], g.pix[(y+1)*g.str:]
		for x := 1; x < g.w-1; x++ {
			// Scharr's gradient: of the 3×3 ones, the closest to
			// turning with the picture.
			gx := 3*(float64(up[x+1])-float64(up[x-1])+float64(down[x+1])-float64(down[x-1])) + 10*(float64(row[x+1])-float64(row[x-1]))
			gy := 3*(float64(down[x-1])-float64(up[x-1])+float64(down[x+1])-float64(up[x+1])) + 10*(float64(down[x])-float64(up[x]))
			m2 := gx*gx + gy*gy
			if m2 == 0 {
				continue
			}
			c2, s2 := (gx*gx-gy*gy)/m2, 2*gx*gy/m2 // cos 2φ, sin 2φ
			w := math.Sqrt(m2)
			c += w * (c2*c2 - s2*s2)
			s += w * 2 * c2 * s2
		}
	}
	a := math.Atan2(s, c) / 4
	if a < 0 {
		a += math.Pi / 2
	}
	return a
}

// separatedTemplate holds the zero-mean levels of a finder pattern and its
// separator, 9×9 modules, dark -1 and light +1 before the mean is taken
// away, row by row from the top left, and their sum of squares.
var separatedTemplate, separatedTemplateSS = func() (t [81]float64, ss float64) {
	sum := 0.0
	for i := range t {
		d := max(abs(i%9-4), abs(i/9-4))
		t[i] = 1
		if d <= 1 || d == 3 {
			t[i] = -1
		}
		sum += t[i]
	}
	for i := range t {
		t[i] -= sum / 81
		ss += t[i] * t[i]
	}
	return t, ss
}()

// minShapeScore is the least correlation with separatedTemplate for a
// point to be taken as a finder pattern's centre.
const minShapeScore = 0.5

// shapeStep is how much darker than the ring about it, in standard
// deviations of the plane, a point's centre must be for shapeFinders
// to score the point.
const shapeStep = 0.5

// maxShapeFinders bounds the centres shapeFinders returns.
const maxShapeFinders = 12

// shapeFinders returns the centres in g (dark modules on light) that
// correlate best with a finder pattern and its separator
// (separatedTemplate) of module size ms whose axes are turned by theta
// (radians), best first. Points three quarters of a module apart are
// scored, each with the pixels nearest the 81 module centres, if the
// middle of the pattern they would centre is darker by minStep than the
// ring about it (two sums of sat, g's summed-area table, that few points
// pass); each local best above minShapeScore is refined to a quarter of
// a module, and none lies within five modules of a better.
func shapeFinders(g *grey, sat []int, minStep, ms, theta float64) []*detector.FinderPattern {
	sc := newShapeScorer(g, ms, theta)
	step := 0.75 * ms
	margin := 4.5*ms*math.Sqrt2 + 1
	nx, ny := int((float64(g.w)-2*margin)/step), int((float64(g.h)-2*margin)/step)
	if nx < 3 || ny < 3 {
		return nil
	}
	at := func(i, j int) pt { return pt{margin + float64(i)*step, margin + float64(j)*step} }
	// box is the sum and the area of the square of half-side r about c.
	box := func(c pt, r float64) (int, int) {
		x0, y0 := int(c.x-r), int(c.y-r)
		x1, y1 := int(c.x+r)+1, int(c.y+r)+1
		w := g.w + 1
		return sat[y1*w+x1] - sat[y0*w+x1] - sat[y1*w+x0] + sat[y0*w+x0], (x1 - x0) * (y1 - y0)
	}
	grid := make([]float64, nx*ny)
	for j := range ny {
		for i := range nx {
			c := at(i, j)
			// The middle (within 1.5 modules whatever the turn) must
			// be darker, by minStep, than the square ring about it
			// that holds the light ring (1.5 to 2.5 modules out,
			// turned or not).
			sm, am := box(c, 1.2*ms)
			s2, a2 := box(c, 1.5*ms)
			s3, a3 := box(c, 2.5*ms)
			if float64(s3-s2)/float64(a3-a2)-float64(sm)/float64(am) < minStep {
				continue
			}
			grid[j*nx+i] = sc.score(c, true)
		}
	}
	type peak struct {
		at    pt
		score float64
	}
	var peaks []peak
	for j := 1; j < ny-1; j++ {
		for i := 1; i < nx-1; i++ {
			if s := grid[j*nx+i]; s >= minShapeScore && localBest(grid, nx, i, j) {
				c, s := sc.refine(at(i, j))
				peaks = append(peaks, peak{c, s})
			}
		}
	}
	slices.SortFunc(peaks, func(a, b peak) int { return int(math.Copysign(1, b.score-a.score)) })
	var out []*detector.FinderPattern
	for _, p := range peaks {
		if !slices.ContainsFunc(out, func(o *detector.FinderPattern) bool {
			return math.Hypot(o.GetX()-p.at.x, o.GetY()-p.at.y) < 5*ms
		}) {
			out = append(out, detector.NewFinderPattern1(p.at.x, p.at.y, ms))
		}
		if len(out) == maxShapeFinders {
			break
		}
	}
	return out
}

// localBest reports whether entry i, j of grid (nx columns) is at least
// each of its eight neighbours.
func localBest(grid []float64, nx, i, j int) bool {
	s := grid[j*nx+i]
	for dj := -1; dj <= 1; dj++ {
		for di := -1; di <= 1; di++ {
			if grid[(j+dj)*nx+i+di] > s {
				return false
			}
		}
	}
	return true
}

// shapeScorer correlates a plane with a finder pattern and its separator
// of one module size, turned by one angle (shapeFinders).
type shapeScorer struct {
	g    *grey
	ms   float64
	offs [81]pt  // the module centres from the pattern's centre
	idx  [81]int // and the offsets of the pixels nearest them
}

func newShapeScorer(g *grey, ms, theta float64) *shapeScorer {
	sc := &shapeScorer{g: g, ms: ms}
	ex := pt{math.Cos(theta) * ms, math.Sin(theta) * ms}
	ey := pt{-ex.y, ex.x}
	for i := range sc.offs {
		u, v := float64(i%9-4), float64(i/9-4)
		sc.offs[i] = pt{u*ex.x + v*ey.x, u*ex.y + v*ey.y}
		sc.idx[i] = int(math.Round(sc.offs[i].y))*g.str + int(math.Round(sc.offs[i].x))
	}
	return sc
}

// score returns the correlation of the pattern centred on c with the
// plane: at the pixels nearest the module centres (coarse, c at least
// 4√2 modules and a pixel inside the plane) or at the module centres,
// interpolated.
func (sc *shapeScorer) score(c pt, coarse bool) float64 {
	var sv, svv, svt float64
	if coarse {
		base := int(math.Round(c.y))*sc.g.str + int(math.Round(c.x))
		for i, o := range sc.idx {
			v := byteFloat[sc.g.pix[base+o]]
			sv += v
			svv += v * v
			svt += v * separatedTemplate[i]
		}
	} else {
		for i, o := range sc.offs {
			v := sc.g.at(pt{c.x + o.x, c.y + o.y})
			sv += v
			svv += v * v
			svt += v * separatedTemplate[i]
		}
	}
	vv := svv - sv*sv/81
	if vv <= 0 {
		return 0
	}
	return svt / math.Sqrt(vv*separatedTemplateSS)
}

// refine returns the best-scoring point within half a module of c, in
// quarter-module steps, and its score.
func (sc *shapeScorer) refine(c pt) (pt, float64) {
	bc, bs := c, sc.score(c, false)
	for dj := -2; dj <= 2; dj++ {
		for di := -2; di <= 2; di++ {
			q := pt{c.x + float64(di)*sc.ms/4, c.y + float64(dj)*sc.ms/4}
			if v := sc.score(q, false); v > bs {
				bc, bs = q, v
			}
		}
	}
	return bc, bs
}

// byteSummedArea returns the summed-area table of g (entry (y, x) of its
// w+1 columns is the sum of the pixels above and left of (x, y)) and the
// standard deviation of its pixels.
func byteSummedArea(g *grey) ([]int, float64) {
	w := g.w + 1
	sat := make([]int, w*(g.h+1))
	sum2 := 0
	for y := 0; y < g.h; y++ {
		row := g.pix[y*g.str : y*g.str+g.w]
		s := 0
		for x, v := range row {
			s += int(v)
			sum2 += int(v) * int(v)
			sat[(y+1)*w+x+1] = sat[y*w+x+1] + s
		}
	}
	n, sum := float64(g.w*g.h), float64(sat[len(sat)-1])
	return sat, math.Sqrt(max(float64(sum2)/n-(sum/n)*(sum/n), 0))
}

// shapeSizes are the module sizes, in work pixels, at which readShapes
// looks for finder patterns.
var shapeSizes = [...]float64{2.0, 2.4, 2.9, 3.5, 4.2}

// maxShapeTriples bounds the triples of the finder patterns found by
// their shape that are sampled at each module size.
const maxShapeTriples = 2

// shapeSearches is how many restorations of a smear site are searched
// for finder patterns by their shape (shapeFinders); the later ones
// are sampled at the patterns found on those.
const shapeSearches = 2

// shapeSearch holds the finder patterns found by their shape on the
// first restorations of a smear site, by module size (shapeSizes).
type shapeSearch struct {
	found    [len(shapeSizes)][]*detector.FinderPattern
	searched int
}

// readShapes reads the symbol of a restoration p of a smear site whose
// finder patterns, dark on light, are found by their shape: searched for
// on p (at every module size of shapeSizes, the module axes' angle taken
// from p's gradients) if fewer than shapeSearches restorations of the
// site were, and taken from ss otherwise. The restorations differ in the
// smear undone, not in where the symbol lies, and the search costs more
// than the rest of a restoration's reading. The best triples of each
// size (maxShapeTriples) are sampled (gridDecodeTimed).
func (s *scanner) readShapes(p *plane, ss *shapeSearch) []found {
	if ss.searched < shapeSearches {
		ss.searched++
		theta := gridAngle(&p.grey)
		sat, sd := byteSummedArea(&p.grey)
		for i, ms := range shapeSizes {
			for _, c := range shapeFinders(&p.grey, sat, shapeStep*sd, ms, theta) {
				near := false
				for _, o := range ss.found[i] {
					if math.Hypot(o.GetX()-c.GetX(), o.GetY()-c.GetY()) < 2*ms {
						near = true
						break
					}
				}
				if !near {
					ss.found[i] = append(ss.found[i], c)
				}
			}
		}
	}
	m := p.binarise(ladder[0])
	if m == nil {
		return nil
	}
	for i := range shapeSizes {
		for j, info := range triples(ss.found[i], m) {
			if j == maxShapeTriples {
				break
			}
			if r, points, ok, _ := gridDecodeTimed(&p.grey, info, false, false, s.dec); ok {
				for i := range points {
					points[i] = p.toPicture(points[i])
				}
				return []found{{r.GetText(), points}}
			}
		}
	}
	return nil
}
