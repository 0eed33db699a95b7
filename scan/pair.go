package scan

import (
	"image"
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
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
	sp := pairSampler{g: &p.grey, inverted: inverted, dec: s.dec, sampled: map[[3]image.Point]bool{}}
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
				if gi >= 4 {
					// a and b are diagonal: the symbol's axes are at
					// 45° to the line through them.
					ux, uy = (ux-uy)/math.Sqrt2, (ux+uy)/math.Sqrt2
				}
				read := false
				for _, m := range []concentricMeasure{ringContrast, templateCorrelation} {
					best, ok := findConcentric(&p.grey, c, pt{ux, uy}, pt{-uy, ux}, sign, side/ms, m)
					if !ok {
						continue
					}
					third := detector.NewFinderPattern1(best.x, best.y, ms)
					if r, points, ok := sp.sample(orient(a, b, third)); ok {
						for i := range points {
							points[i] = p.toPicture(points[i])
						}
						out = append(out, found{r.GetText(), points})
						read = true
						break
					}
				}
				if read {
					break
				}
			}
		}
	}
	return out
}

// pairSampler samples the triples readPairs makes (gridDecode): each
// once, as the two measures, or two guesses, often find the same third
// pattern; and, as in read, past maxGridFailures only a triple whose
// timing patterns alternate better than every failed one's.
type pairSampler struct {
	g        *grey
	inverted bool
	dec      *decoder.Decoder
	sampled  map[[3]image.Point]bool
	// failed counts the triples like symbols sampled and not read, and
	// failedBest is their best timing score.
	failed     int
	failedBest float64
}

// sample reads the symbol of the triple info, if it is to be sampled.
func (sp *pairSampler) sample(info *detector.FinderPatternInfo) (*common.DecoderResult, []pt, bool) {
	k := tripleKey(info)
	if sp.sampled[k] {
		return nil, nil, false
	}
	sp.sampled[k] = true
	t := tripleDims(sp.g, info, sp.inverted)
	if sp.failed >= maxGridFailures && t.best <= sp.failedBest {
		return nil, nil, false
	}
	r, points, ok, like := gridDecodeSides(sp.g, t, sp.inverted, false, sp.dec)
	if !ok && like {
		sp.failed++
		sp.failedBest = max(sp.failedBest, t.best)
	}
	return r, points, ok
}

// tripleKey returns the finder pattern centres of info, bottom left, top
// left, top right, to the pixel.
func tripleKey(info *detector.FinderPatternInfo) (k [3]image.Point) {
	for i, f := range []*detector.FinderPattern{info.GetBottomLeft(), info.GetTopLeft(), info.GetTopRight()} {
		k[i] = image.Pt(int(math.Round(f.GetX())), int(math.Round(f.GetY())))
	}
	return k
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

// concentricMeasure is how findConcentric scores a point as a finder
// pattern's centre.
type concentricMeasure int

const (
	// ringContrast: how much brighter (times sign) the light ring is
	// than the mean of the dark core and dark ring, in grey levels, 10
	// or more. Sampled at few points, it tolerates a module size or
	// rotation somewhat off; it suits a pattern as faint as what is
	// around it (a glare strip across the symbol).
	ringContrast concentricMeasure = iota
	// templateCorrelation: the correlation of the grey levels at the
	// 7×7 module centres with the pattern's, minConcentric or more.
	// It does not depend on contrast, so a faint pattern beside sharp
	// data modules still stands out.
	templateCorrelation
)

// findConcentric searches the grey plane within three modules of c for
// the centre of a finder pattern (a dark 3×3 core, a light ring, a dark
// ring) with module vectors ex and ey, in half-module then eighth-module
// steps, and reports the best point by measure m if it passes m's bar.
// mods is the distance in modules to the nearest other pattern, which
// bounds the search.
func findConcentric(g *grey, c, ex, ey pt, sign, mods float64, m concentricMeasure) (pt, bool) {
	at := func(o pt, u, v float64) float64 {
		return g.at(pt{o.x + u*ex.x + v*ey.x, o.y + u*ex.y + v*ey.y})
	}
	var vals [49]float64
	score := func(o pt) float64 {
		if m == ringContrast {
			core := (at(o, 0, 0) + at(o, -0.7, 0) + at(o, 0.7, 0) + at(o, 0, -0.7) + at(o, 0, 0.7)) / 5
			var light, dark float64
			for _, d := range ringDirections {
				light += at(o, 2*d[0], 2*d[1])
				dark += at(o, 3*d[0], 3*d[1])
			}
			return sign * (light/8 - (core+dark/8)/2)
		}
		for j := 0; j < 7; j++ {
			for i := 0; i < 7; i++ {
				vals[j*7+i] = at(o, float64(i-3), float64(j-3))
			}
		}
		return sign * templateScore(&vals)
	}
	reach := math.Min(3, mods/4)
	// The half-module steps about c, as the search loops make them.
	var steps [13]float64
	n := 0
	for u := -reach; u <= reach; u += 0.5 {
		steps[n], n = u, n+1
	}
	best, bestScore := c, math.Inf(-1)
	var tab []float64
	if m == templateCorrelation {
		// The candidates' module centres lie on one half-module grid
		// from steps[0]-3 to steps[n-1]+3: each is sampled once.
		tab = make([]float64, (n+12)*(n+12))
		for b := 0; b < n+12; b++ {
			for a := 0; a < n+12; a++ {
				tab[b*(n+12)+a] = at(c, steps[0]-3+0.5*float64(a), steps[0]-3+0.5*float64(b))
			}
		}
	}
	for iv, v := range steps[:n] {
		for iu, u := range steps[:n] {
			o := pt{c.x + u*ex.x + v*ey.x, c.y + u*ex.y + v*ey.y}
			var s float64
			if tab != nil {
				for j := 0; j < 7; j++ {
					for i := 0; i < 7; i++ {
						vals[j*7+i] = tab[(iv+2*j)*(n+12)+iu+2*i]
					}
				}
				s = sign * templateScore(&vals)
			} else {
				s = score(o)
			}
			if s > bestScore {
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
	bar := 10.0
	if m == templateCorrelation {
		bar = minConcentric
	}
	return best, bestScore >= bar && g.inside(best)
}

// templateScore returns the correlation of the grey levels vals, at the
// 7×7 module centres of a candidate in row order, with a finder pattern's
// (finderTemplate), 0 if they are all the same.
func templateScore(vals *[49]float64) float64 {
	sum := 0.0
	for _, v := range vals {
		sum += v
	}
	mean := sum / 49
	var sxy, sxx float64
	for k, v := range vals {
		d := v - mean
		sxy += d * finderTemplate[k]
		sxx += d * d
	}
	if sxx == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*finderTemplateVar)
}

// ringDirections are the eight directions in which ringContrast samples
// a finder pattern's rings, in the order summed.
var ringDirections = [8][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0.7, 0.7}, {-0.7, 0.7}, {0.7, -0.7}, {-0.7, -0.7}}

// minConcentric is the least correlation templateCorrelation accepts.
const minConcentric = 0.4

// finderTemplate is a finder pattern, 7×7 modules, as light (positive)
// and dark (negative) deviations from its mean; finderTemplateVar is the
// sum of their squares.
var finderTemplate, finderTemplateVar = func() ([49]float64, float64) {
	var t [49]float64
	sum := 0.0
	for j := 0; j < 7; j++ {
		for i := 0; i < 7; i++ {
			if max(i-3, 3-i, j-3, 3-j) == 2 { // the light ring
				t[j*7+i] = 1
			}
			sum += t[j*7+i]
		}
	}
	mean, v := sum/49, 0.0
	for k := range t {
		t[k] -= mean
		v += t[k] * t[k]
	}
	return t, v
}()
