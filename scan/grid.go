package scan

import (
	"cmp"
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// This file reads a symbol from the grey plane once its three finder
// patterns are found, where gozxing's own sampling fails: gozxing maps the
// module grid through one projective transform fixed by the finders and a
// single alignment pattern, and samples a binarised image. Here the
// transform is refined by least squares over every alignment pattern the
// version has (a version 11 symbol has six), each found by matching its
// 5×5-module template in the grey image near where the current transform
// puts it, and modules are read from the grey image at their centres
// against a threshold local to the module grid, which survives blur and
// uneven light that defeat a binarised image.

// pt is a point: pixels in the plane, or modules in the symbol.
type pt struct{ x, y float64 }

// homography maps module coordinates to plane pixels.
type homography [9]float64

func (h *homography) apply(p pt) pt {
	d := h[6]*p.x + h[7]*p.y + h[8]
	return pt{(h[0]*p.x + h[1]*p.y + h[2]) / d, (h[3]*p.x + h[4]*p.y + h[5]) / d}
}

// normaliser moves points to their centroid and scales them to a mean
// distance of √2, for a well-conditioned fit.
type normaliser struct{ cx, cy, s float64 }

func newNormaliser(ps []pt) normaliser {
	var n normaliser
	for _, p := range ps {
		n.cx += p.x
		n.cy += p.y
	}
	n.cx /= float64(len(ps))
	n.cy /= float64(len(ps))
	d := 0.0
	for _, p := range ps {
		d += math.Hypot(p.x-n.cx, p.y-n.cy)
	}
	d /= float64(len(ps))
	n.s = 1
	if d > 0 {
		n.s = math.Sqrt2 / d
	}
	return n
}

func (n normaliser) do(p pt) pt { return pt{(p.x - n.cx) * n.s, (p.y - n.cy) * n.s} }

// fit returns the transform taking mod[i] to pix[i] in the least-squares
// sense: affine for three pairs, projective for four or more.
func fit(mod, pix []pt) (homography, bool) {
	nm, np := newNormaliser(mod), newNormaliser(pix)
	unknowns := 8
	if len(mod) < 4 {
		unknowns = 6
	}
	// Normal equations AᵀA x = Aᵀb.
	var ata [8][9]float64
	add := func(row [8]float64, b float64) {
		for i := 0; i < unknowns; i++ {
			for j := 0; j < unknowns; j++ {
				ata[i][j] += row[i] * row[j]
			}
			ata[i][8] += row[i] * b
		}
	}
	for i := range mod {
		m, p := nm.do(mod[i]), np.do(pix[i])
		if unknowns == 6 {
			add([8]float64{m.x, m.y, 1, 0, 0, 0}, p.x)
			add([8]float64{0, 0, 0, m.x, m.y, 1}, p.y)
			continue
		}
		add([8]float64{m.x, m.y, 1, 0, 0, 0, -p.x * m.x, -p.x * m.y}, p.x)
		add([8]float64{0, 0, 0, m.x, m.y, 1, -p.y * m.x, -p.y * m.y}, p.y)
	}
	for c := 0; c < unknowns; c++ {
		piv := c
		for r := c + 1; r < unknowns; r++ {
			if math.Abs(ata[r][c]) > math.Abs(ata[piv][c]) {
				piv = r
			}
		}
		if math.Abs(ata[piv][c]) < 1e-12 {
			return homography{}, false
		}
		ata[c], ata[piv] = ata[piv], ata[c]
		for r := 0; r < unknowns; r++ {
			if r == c {
				continue
			}
			k := ata[r][c] / ata[c][c]
			for j := c; j < unknowns; j++ {
				ata[r][j] -= k * ata[c][j]
			}
			ata[r][8] -= k * ata[c][8]
		}
	}
	var x [8]float64
	for i := 0; i < unknowns; i++ {
		x[i] = ata[i][8] / ata[i][i]
	}
	// h maps normalised module space to normalised pixel space; undo the
	// normalisations: H = Np⁻¹ · h · Nm.
	h := homography{x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], 1}
	nmM := homography{nm.s, 0, -nm.s * nm.cx, 0, nm.s, -nm.s * nm.cy, 0, 0, 1}
	npInv := homography{1 / np.s, 0, np.cx, 0, 1 / np.s, np.cy, 0, 0, 1}
	return mul(npInv, mul(h, nmM)), true
}

func mul(a, b homography) homography {
	var c homography
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				c[3*i+j] += a[3*i+k] * b[3*k+j]
			}
		}
	}
	return c
}

// grey is a luminance plane read with bilinear interpolation.
type grey struct {
	pix       []byte
	w, h, str int
}

func (g *grey) at(p pt) float64 {
	x, y := p.x-0.5, p.y-0.5
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	x0, y0 := int(x), int(y)
	if x0 >= g.w-1 {
		x0, x = g.w-2, float64(g.w-1)
	}
	if y0 >= g.h-1 {
		y0, y = g.h-2, float64(g.h-1)
	}
	if x0 < 0 || y0 < 0 {
		return float64(g.pix[0])
	}
	tx, ty := x-float64(x0), y-float64(y0)
	i := y0*g.str + x0
	q := g.pix[i : i+g.str+2 : i+g.str+2] // the four pixels: q[0], q[1], q[str], q[str+1]
	r1 := q[g.str:]
	a := byteFloat[q[0]]*(1-tx) + byteFloat[q[1]]*tx
	b := byteFloat[r1[0]]*(1-tx) + byteFloat[r1[1]]*tx
	return a*(1-ty) + b*ty
}

// byteFloat[b] is float64(b), read faster than converted.
var byteFloat = func() (t [256]float64) {
	for i := range t {
		t[i] = float64(i)
	}
	return t
}()

// inside reports whether p lies in the plane.
func (g *grey) inside(p pt) bool {
	return p.x >= 0 && p.y >= 0 && p.x < float64(g.w) && p.y < float64(g.h)
}

// gridDecode tries to read the symbol whose finder patterns are info from
// the grey plane g (inverted: light modules on dark).
func gridDecode(g *grey, info *detector.FinderPatternInfo, inverted bool, dec *decoder.Decoder) (*common.DecoderResult, []pt, bool) {
	r, pts, ok, _ := gridDecodeTimed(g, info, inverted, false, dec)
	return r, pts, ok
}

// gridDecodeTimed is gridDecode, also telling whether the triple has
// timing patterns that alternate for some side (likelyDims): whether it
// looks like a symbol at all, read or not. With unblur, the modules of the
// likeliest side, if not read, are also deblurred in module space
// (unblurModules).
func gridDecodeTimed(g *grey, info *detector.FinderPatternInfo, inverted, unblur bool, dec *decoder.Decoder) (*common.DecoderResult, []pt, bool, bool) {
	return gridDecodeSides(g, tripleDims(g, info, inverted), inverted, unblur, dec)
}

// sampledTriple is a triple of finder patterns as the grey-plane sampler sees
// it (tripleDims).
type sampledTriple struct {
	finders []pt       // centres: top left, top right, bottom left
	sizes   [3]float64 // their module sizes, in the same order
	est     float64    // the side the centres' distances suggest
	dims    []int      // the sides to try, best first (likelyDimsScored)
	best    float64    // the best side's timing score, -1 if none
}

// gridDecodeSides is gridDecodeTimed once tripleDims has scored the
// sides of the triple t. Each side is first sampled through the affine
// map its finder patterns fix. If none reads and the finder patterns'
// module sizes are far apart (strong perspective: foreshortened), the
// sides are scored again, and sampled, from the projective map their
// sizes suggest (foreshortened). The likeliest side's modules, if their
// thresholding does not read, are equalised (equalize), and with unblur
// also deblurred in module space (unblurModules).
func gridDecodeSides(g *grey, t sampledTriple, inverted, unblur bool, dec *decoder.Decoder) (*common.DecoderResult, []pt, bool, bool) {
	for i, dim := range t.dims {
		if r, pts, ok := gridDecodeDim(g, t.finders, nil, dim, inverted, unblur && i == 0, i == 0, dec); ok {
			return r, pts, true, true
		}
	}
	like := len(t.dims) > 0
	if slices.Max(t.sizes[:]) <= perspectiveSizes*slices.Min(t.sizes[:]) {
		return nil, nil, false, like
	}
	start := func(dim int) (homography, bool) { return foreshortened(t.finders, t.sizes, float64(dim)) }
	dims, _ := scoreDims(g, t.est, inverted, func(dim int) float64 {
		h, ok := start(dim)
		if !ok {
			return 0
		}
		return timingScoreFrom(g, &h, dim, inverted)
	})
	for _, dim := range dims {
		h, _ := start(dim)
		if r, pts, ok := gridDecodeDim(g, t.finders, &h, dim, inverted, false, false, dec); ok {
			return r, pts, true, true
		}
	}
	return nil, nil, false, like || len(dims) > 0
}

// perspectiveSizes is how many times the smallest module size of a
// triple's finder patterns the largest must be for gridDecodeSides to
// try the projective map they suggest. (In the held-out photos, the
// strong perspectives that no affine map read have sizes 1.8 to 2.1
// times apart; milder ones that it reads, 1.2 to 1.25.)
const perspectiveSizes = 1.25

// foreshortened returns the projective map from the modules of a symbol
// n modules on a side to the plane that takes its finder pattern centres
// to finders (top left, top right, bottom left) and foreshortens the
// symbol as their module sizes say. Under a map (u, v) ↦ (X/w, Y/w), w =
// 1 + gu + hv, the plane's lengths about a point scale as w^(−3/2) on
// average over directions (w^(−2) along the direction w grows, w^(−1)
// across it), so a finder pattern whose modules look k times smaller
// than the top left's lies where w is k^(2/3) times larger: that fixes g
// and h, and the three centres the rest. False if the sizes ask for a
// vanishing line across the symbol.
func foreshortened(finders []pt, sizes [3]float64, n float64) (homography, bool) {
	d := n - 7 // modules between finder pattern centres
	r1 := math.Pow(sizes[0]/sizes[1], 2.0/3)
	r2 := math.Pow(sizes[0]/sizes[2], 2.0/3)
	// w at the top left centre (3.5, 3.5), with g·d = w0(r1 − 1) and
	// h·d = w0(r2 − 1).
	den := 1 - 3.5*(r1+r2-2)/d
	if den <= 0 || d <= 0 {
		return homography{}, false
	}
	w0 := 1 / den
	g, h := w0*(r1-1)/d, w0*(r2-1)/d
	// w at the far corner, (n, n): positive, or the line at infinity
	// crosses the symbol.
	if 1+(g+h)*n <= 0 || 1+g*n <= 0 || 1+h*n <= 0 {
		return homography{}, false
	}
	w := [3]float64{w0, w0 * r1, w0 * r2}
	var X, Y [3]float64
	for i, f := range finders[:3] {
		X[i], Y[i] = f.x*w[i], f.y*w[i]
	}
	a, b := (X[1]-X[0])/d, (X[2]-X[0])/d
	c, e := (Y[1]-Y[0])/d, (Y[2]-Y[0])/d
	return homography{a, b, X[0] - 3.5*(a+b), c, e, Y[0] - 3.5*(c+e), g, h, 1}, true
}

// tripleDims returns the finder patterns of info as the grey-plane
// sampler sees them: their centres (top left, top right, bottom left) and
// module sizes, the symbol sides to try for them and the best side's
// timing score (likelyDimsScored); no sides if the modules are too small
// to sample.
func tripleDims(g *grey, info *detector.FinderPatternInfo, inverted bool) sampledTriple {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	t := sampledTriple{sizes: [3]float64{tl.GetEstimatedModuleSize(), tr.GetEstimatedModuleSize(), bl.GetEstimatedModuleSize()}, best: -1}
	ms := (t.sizes[0] + t.sizes[1] + t.sizes[2]) / 3
	if ms < 0.8 {
		return t
	}
	d1 := math.Hypot(tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY()) / ms
	d2 := math.Hypot(bl.GetX()-tl.GetX(), bl.GetY()-tl.GetY()) / ms
	t.est = (d1+d2)/2 + 7
	t.finders = []pt{{tl.GetX(), tl.GetY()}, {tr.GetX(), tr.GetY()}, {bl.GetX(), bl.GetY()}}
	t.dims, t.best = likelyDimsScored(g, t.finders, t.est, inverted)
	return t
}

// likelyDims returns the symbol sides (4v+17 modules) to try for finder
// pattern centres finders (top left, top right, bottom left), best first.
// The side estimated from the finder patterns' module size, est, is often
// short: blur makes the finder patterns look bigger than they are. So
// every side from 15 % below est to 30 % above is scored by how well the
// two timing patterns, sampled from the grey plane where that side puts
// them, alternate dark and light; the three best that alternate at all
// are tried. A triple of finder patterns of different symbols has no
// timing patterns, and costs no sampling.
func likelyDims(g *grey, finders []pt, est float64, inverted bool) []int {
	dims, _ := likelyDimsScored(g, finders, est, inverted)
	return dims
}

// likelyDimsScored is likelyDims, also returning the best side's timing
// score (-1 if no side was scored).
func likelyDimsScored(g *grey, finders []pt, est float64, inverted bool) ([]int, float64) {
	return scoreDims(g, est, inverted, func(dim int) float64 { return timingScore(g, finders, dim, inverted) })
}

// scoreDims is likelyDimsScored with the timing score of each side
// given by score.
func scoreDims(g *grey, est float64, inverted bool, score func(dim int) float64) ([]int, float64) {
	lo := max(int(math.Floor((0.85*est-17)/4)), 1)
	hi := min(int(math.Ceil((1.3*est-17)/4)), 40)
	type cand struct {
		dim   int
		score float64
	}
	var cs []cand
	for v := lo; v <= hi; v++ {
		dim := 4*v + 17
		cs = append(cs, cand{dim, score(dim)})
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return int(math.Copysign(1, b.score-a.score)) })
	var out []int
	for _, c := range cs {
		if len(out) == 3 || c.score < 0.2 {
			break
		}
		out = append(out, c.dim)
	}
	if len(cs) == 0 {
		return out, -1
	}
	return out, cs[0].score
}

// timingScore returns how well, from -1 to 1, the grey levels sampled
// along the two timing patterns of a symbol dim modules on a side with
// finder pattern centres finders (top left, top right, bottom left)
// follow the dark-light alternation of a timing pattern: the mean over
// the two patterns of the correlation of the samples with it.
//
// Perspective spaces the modules along a line unevenly: positions t in
// [0, 1] along each pattern are also taken through the projective maps
// t ↦ kt/(1+(k-1)t) that keep its ends, for a few k, and each pattern
// scores its best k.
func timingScore(g *grey, finders []pt, dim int, inverted bool) float64 {
	n := float64(dim)
	h, ok := fit([]pt{{3.5, 3.5}, {n - 3.5, 3.5}, {3.5, n - 3.5}}, finders)
	if !ok {
		return 0
	}
	return timingScoreFrom(g, &h, dim, inverted)
}

// timingScoreFrom is timingScore with the symbol's modules mapped to
// the plane by h.
func timingScoreFrom(g *grey, h *homography, dim int, inverted bool) float64 {
	n := float64(dim)
	var ends [2][2]pt
	for l, line := range [2][2]pt{{{3.5, 6.5}, {n - 3.5, 6.5}}, {{6.5, 3.5}, {6.5, n - 3.5}}} {
		ends[l] = [2]pt{h.apply(line[0]), h.apply(line[1])}
	}
	// The first module's expected level, light +1 or dark -1; the rest
	// alternate.
	e0 := -1.0
	if inverted {
		e0 = 1
	}
	var ts [maxTiming]float64
	bests := [2]float64{-1, -1}
	for _, k := range timingWarps {
		// The positions along either pattern, shared by the two.
		for i := 8; i < dim-8; i++ {
			t := (float64(i) + 0.5 - 3.5) / (n - 7)
			ts[i-8] = k * t / (1 + (k-1)*t)
		}
		for l, ab := range ends {
			a, b := ab[0], ab[1]
			var sx, sxx, sxy, se float64
			m := 0
			e := e0
			for _, t := range ts[:dim-16] {
				// A module outside the plane (the symbol cut by the
				// frame) is skipped.
				if p := (pt{a.x + t*(b.x-a.x), a.y + t*(b.y-a.y)}); g.inside(p) {
					v := g.at(p)
					sx += v
					sxx += v * v
					sxy += v * e
					se += e
					m++
				}
				e = -e
			}
			if 2*m < dim-16 {
				// Most of the pattern is cut off.
				return 0
			}
			// Σ(v-mean)e = Σve - mean·Σe; Σe² = m.
			mean := sx / float64(m)
			vx := sxx - float64(m)*mean*mean
			if vx <= 0 {
				continue
			}
			bests[l] = math.Max(bests[l], (sxy-mean*se)/math.Sqrt(vx*float64(m)))
		}
	}
	return (0 + bests[0] + bests[1]) / 2
}

// timingWarps are the k of timingScore's maps t ↦ kt/(1+(k-1)t), in the
// order tried; maxTiming is the most modules between the finder patterns
// along a timing pattern (version 40).
var timingWarps = [...]float64{1, 0.85, 1 / 0.85, 0.7, 1 / 0.7, 0.55, 1 / 0.55}

const maxTiming = 177 - 16

// gridDecodeDim reads the symbol dim modules on a side whose finder
// pattern centres (top left, top right, bottom left) are finders from
// the grey plane g: through the map start, or
// failing that the affine map the centres fix, refitted on every
// alignment pattern found, it samples the module centres, thresholds
// them (thresholdWindows) and decodes them. If that does not read, with
// unblur their blur is undone in module space (unblurGrid), and with
// equal they are equalised (equalize) from the first thresholding whose
// timing patterns look registered. It returns the points of the bottom
// left, top left and top right finder patterns with the result.
func gridDecodeDim(g *grey, finders []pt, start *homography, dim int, inverted, unblur, equal bool, dec *decoder.Decoder) (*common.DecoderResult, []pt, bool) {
	ver, err := decoder.Version_GetProvisionalVersionForDimension(dim)
	if err != nil {
		return nil, nil, false
	}
	n := float64(dim)
	mod := []pt{{3.5, 3.5}, {n - 3.5, 3.5}, {3.5, n - 3.5}}
	pix := slices.Clone(finders)
	h, ok := fit(mod, pix)
	if !ok {
		return nil, nil, false
	}
	if start != nil {
		h = *start
	}
	dark, light, ok := finderLevels(g, &h, mod, inverted)
	if !ok || light-dark < 8 {
		return nil, nil, false
	}
	sign := 1.0
	if inverted {
		sign = -1
	}
	h = alignedMap(g, h, ver, mod, slices.Clone(pix), sign, light-dark)
	lo, hi := dark, light // a dark and a light module, times sign
	if inverted {
		lo, hi = -light, -dark
	}
	vals, ok := sampleModules(g, &h, ver, sign, lo, hi)
	if !ok {
		return nil, nil, false
	}
	sat := summedArea(vals, dim)
	bits, _ := gozxing.NewSquareBitMatrix(dim)
	first := 0 // the window of the first reading that looks registered
	for _, r := range thresholdWindows {
		threshold(bits, vals, sat, dim, r)
		if timingErrors(bits, dim) > maxTimingErrors {
			// Misregistered or too blurred to read: not decoded.
			continue
		}
		first = cmp.Or(first, r)
		r, err := dec.Decode(bits, nil)
		if err == nil {
			return r, []pt{pix[2], pix[0], pix[1]}, true
		}
	}
	if equal && first != 0 {
		threshold(bits, vals, sat, dim, first) // (Decode may have flipped bits)
		if bits, ok := equalize(g, &h, ver, sign, bits); ok {
			if r, err := dec.Decode(bits, nil); err == nil {
				return r, []pt{pix[2], pix[0], pix[1]}, true
			}
		}
	}
	if unblur {
		if r, ok := unblurGrid(g, &h, dim, ver, sign, dec); ok {
			return r, []pt{pix[2], pix[0], pix[1]}, true
		}
	}
	return nil, nil, false
}

// finderLevels returns the grey levels of a dark and a light module of
// the symbol that h maps, from its finder patterns at module points mod:
// the mean of their centres' and of their light rings'. (For an inverted
// symbol, dark modules are light: dark is still the lower.) A pattern
// outside the plane, cut off by the frame, is skipped; false if all are.
func finderLevels(g *grey, h *homography, mod []pt, inverted bool) (dark, light float64, ok bool) {
	seen := 0
	for _, m := range mod {
		if !g.inside(h.apply(m)) {
			continue
		}
		seen++
		dark += g.at(h.apply(m))
		for _, o := range []pt{{-2, 0}, {2, 0}, {0, -2}, {0, 2}} {
			light += g.at(h.apply(pt{m.x + o.x, m.y + o.y})) / 4
		}
	}
	if seen == 0 {
		return 0, 0, false
	}
	dark, light = dark/float64(seen), light/float64(seen)
	if inverted {
		dark, light = light, dark
	}
	return dark, light, true
}

// alignedMap returns h refitted on the alignment patterns of the symbol
// of version ver that it maps, besides the finder patterns at module
// points mod and plane points pix: each pattern, nearest the top left
// first, is searched for about where the map so far puts it
// (alignSearch), and kept if it stands out by more than 0.35 of the
// symbol's contrast. (A pattern that would overlap a finder is not
// there.)
func alignedMap(g *grey, h homography, ver *decoder.Version, mod, pix []pt, sign, contrast float64) homography {
	dim := ver.GetDimensionForVersion()
	var aligns []pt
	cs := ver.GetAlignmentPatternCenters()
	for _, cy := range cs {
		for _, cx := range cs {
			if (cx < 10 && cy < 10) || (cx > dim-10 && cy < 10) || (cx < 10 && cy > dim-10) {
				continue
			}
			aligns = append(aligns, pt{float64(cx) + 0.5, float64(cy) + 0.5})
		}
	}
	slices.SortFunc(aligns, func(a, b pt) int {
		return int(math.Copysign(1, (a.x+a.y)-(b.x+b.y)))
	})
	mod = slices.Clone(mod)
	for _, a := range aligns {
		best, bestScore := alignSearch(g, &h, a, sign)
		if bestScore < 0.35*contrast {
			continue
		}
		p := h.apply(best)
		if !g.inside(p) {
			continue
		}
		mod = append(mod, a)
		pix = append(pix, p)
		if nh, ok := fit(mod, pix); ok {
			h = nh
		}
	}
	return h
}

// maxCut is the largest share of a symbol's modules that may lie outside
// the plane (a symbol cut by the frame's edge) for it to be sampled:
// level Q's error correction restores a quarter of the codewords, and
// the modules of a cut corner spoil about as many codewords as a tenth
// of the symbol's modules hold.
const maxCut = 0.1

// sampleModules returns the grey levels, times sign, at the centres of
// the modules of the symbol of version ver that h maps, row by row. A
// module outside the plane, cut off by the frame, is given its value if
// the standard fixes it (a finder, separator, timing or alignment
// module: lo if dark, hi if light), and otherwise the mean of the
// modules sampled, which thresholding sets at random and error
// correction restores; false if more than maxCut of them are outside.
func sampleModules(g *grey, h *homography, ver *decoder.Version, sign, lo, hi float64) ([]float64, bool) {
	dim := ver.GetDimensionForVersion()
	vals := make([]float64, dim*dim)
	var cut []int
	sum := 0.0
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			p := h.apply(pt{float64(x) + 0.5, float64(y) + 0.5})
			if !g.inside(p) {
				cut = append(cut, y*dim+x)
				continue
			}
			vals[y*dim+x] = sign * g.at(p)
			sum += vals[y*dim+x]
		}
	}
	if len(cut) == 0 {
		return vals, true
	}
	if float64(len(cut)) > maxCut*float64(dim*dim) {
		return nil, false
	}
	mean := sum / float64(dim*dim-len(cut))
	known := knownModules(dim, 0, ver)
	for _, i := range cut {
		switch known[i] {
		case 1:
			vals[i] = lo
		case 0:
			vals[i] = hi
		default:
			vals[i] = mean
		}
	}
	return vals, true
}

// unblurGrid samples the modules of the symbol that h maps, dim modules
// on a side, and a quiet zone of two around them, times sign, undoes
// their blur in module space (unblurModules) and decodes them.
func unblurGrid(g *grey, h *homography, dim int, ver *decoder.Version, sign float64, dec *decoder.Decoder) (*common.DecoderResult, bool) {
	const q = 2
	n2 := dim + 2*q
	ext := make([]float64, n2*n2)
	for y := 0; y < n2; y++ {
		for x := 0; x < n2; x++ {
			p := h.apply(pt{float64(x-q) + 0.5, float64(y-q) + 0.5})
			if !g.inside(p) {
				return nil, false
			}
			ext[y*n2+x] = sign * g.at(p)
		}
	}
	bits, ok := unblurModules(ext, dim, q, ver)
	if !ok {
		return nil, false
	}
	r, err := dec.Decode(bits, nil)
	return r, err == nil
}

// alignSearch returns the point within two modules of module point a, in
// quarter-module steps, that looks most like an alignment pattern centre,
// and its score times sign (0 and a zero point if none scores above 0). A
// candidate's score is the mean of its light ring less the mean of its
// dark ring and centre, sampled a module apart; the candidates share their
// samples, so the plane is sampled once at each of 33×33 points.
func alignSearch(g *grey, h *homography, a pt, sign float64) (pt, float64) {
	const n = 33 // quarter-module points from a-4 to a+4
	var tab [n * n]float64
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			tab[j*n+i] = g.at(h.apply(pt{a.x + float64(i-16)/4, a.y + float64(j-16)/4}))
		}
	}
	best, bestScore := pt{}, 0.0
	for v := 0; v <= 16; v++ {
		for u := 0; u <= 16; u++ {
			c := tab[v*n+u:] // the candidate's samples, at offsets from its corner
			var ring1, ring2 float64
			for _, o := range alignRing1 {
				ring1 += c[o]
			}
			for _, o := range alignRing2 {
				ring2 += c[o]
			}
			if s := sign * (ring1/8 - ring2/17); s > bestScore {
				best, bestScore = pt{a.x + float64(u-8)/4, a.y + float64(v-8)/4}, s
			}
		}
	}
	return best, bestScore
}

// alignRing1 and alignRing2 are the offsets in alignSearch's table, from
// a candidate's top left sample, of the candidate's samples a module from
// its centre (an alignment pattern's light ring) and of the others (its
// dark ring and centre), each in row order, the order they are summed in.
var alignRing1, alignRing2 = func() (r1 [8]int, r2 [17]int) {
	const n = 33
	i1, i2 := 0, 0
	for dy := -2; dy <= 2; dy++ {
		for dx := -2; dx <= 2; dx++ {
			o := (8+4*dy)*n + 8 + 4*dx
			if max(dx, -dx, dy, -dy) == 1 {
				r1[i1], i1 = o, i1+1
			} else {
				r2[i2], i2 = o, i2+1
			}
		}
	}
	return r1, r2
}()

// maxTimingErrors is the largest share of the timing pattern modules of
// a sampled grid that may be wrong for the grid to be decoded: twice
// the most of any grid read on the tuning set (14 %; of the 2,549 grids
// there not read, 2,233 had more than 30 %, each decoded to a failure).
const maxTimingErrors = 0.3

// timingErrors returns the share of the modules of the two timing
// patterns of bits, a symbol dim modules on a side (dark modules set),
// that do not alternate dark and light as a timing pattern does.
func timingErrors(bits *gozxing.BitMatrix, dim int) float64 {
	bad := 0
	for i := 8; i < dim-8; i++ {
		dark := i%2 == 0
		if bits.Get(i, 6) != dark {
			bad++
		}
		if bits.Get(6, i) != dark {
			bad++
		}
	}
	return float64(bad) / float64(2*max(dim-16, 1))
}

// thresholdWindows are the half-widths, in modules, of the windows whose
// mean is a module's threshold, in the order tried.
var thresholdWindows = [...]int{4, 9}

// summedArea returns the summed-area table of vals, dim×dim: entry
// (y, x) of its dim+1 columns is the sum of vals above and left of (y, x).
func summedArea(vals []float64, dim int) []float64 {
	sat := make([]float64, (dim+1)*(dim+1))
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			sat[(y+1)*(dim+1)+x+1] = vals[y*dim+x] + sat[y*(dim+1)+x+1] + sat[(y+1)*(dim+1)+x] - sat[y*(dim+1)+x]
		}
	}
	return sat
}

// threshold sets bits (dim×dim, every bit overwritten) to the modules of
// vals darker than the mean of the modules within r of them, a window
// clipped to the symbol; sat is vals' summed-area table.
func threshold(bits *gozxing.BitMatrix, vals, sat []float64, dim, r int) {
	bits.Clear()
	for y := 0; y < dim; y++ {
		y0, y1 := max(y-r, 0), min(y+r+1, dim)
		row0, row1 := sat[y0*(dim+1):], sat[y1*(dim+1):]
		for x := 0; x < dim; x++ {
			x0, x1 := max(x-r, 0), min(x+r+1, dim)
			s := row1[x1] - row0[x1] - row1[x0] + row0[x0]
			if vals[y*dim+x] < s/float64((y1-y0)*(x1-x0)) {
				bits.Set(x, y)
			}
		}
	}
}

// triples returns the likely finder pattern triples among centres, best
// first: two patterns at about the same distance from a third, at about a
// right angle, all of about the same module size, and between 14 and 170
// modules apart (versions 1 to 40). gozxing's multi-symbol finder pairs
// patterns of neighbouring symbols on a batch page; this does not, because
// triples are tried best first and a pattern serves one symbol only.
//
// A triple whose timing patterns (g, in the binarised image m) alternate
// as a symbol's do is tried before one whose do not: the three finder
// patterns of neighbouring symbols can make a square too.
func triples(centres []*detector.FinderPattern, m *gozxing.BitMatrix) []*detector.FinderPatternInfo {
	type cand struct {
		info  *detector.FinderPatternInfo
		score float64
	}
	var cs []cand
	n := len(centres)
	if n > 60 {
		// Noise: keep the best confirmed.
		centres = slices.Clone(centres)
		slices.SortStableFunc(centres, func(a, b *detector.FinderPattern) int { return b.GetCount() - a.GetCount() })
		centres, n = centres[:60], 60
	}
	// The centres and module sizes, read once: every triple reads them.
	xs, ys, mss := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, c := range centres {
		xs[i], ys[i], mss[i] = c.GetX(), c.GetY(), c.GetEstimatedModuleSize()
	}
	for i := 0; i < n; i++ {
		ms := mss[i]
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			pj, ok := sizePenalty(mss[j] / ms)
			if !ok {
				continue
			}
			for k := j + 1; k < n; k++ {
				if k == i {
					continue
				}
				pk, ok := sizePenalty(mss[k] / ms)
				if !ok {
					continue
				}
				ax, ay := xs[j]-xs[i], ys[j]-ys[i]
				bx, by := xs[k]-xs[i], ys[k]-ys[i]
				da, db := math.Hypot(ax, ay), math.Hypot(bx, by)
				if da == 0 || db == 0 {
					continue
				}
				ratio := da / db
				if ratio < 1/sideRatio || ratio > sideRatio {
					continue
				}
				cos := (ax*bx + ay*by) / (da * db)
				if math.Abs(cos) > 0.6 {
					continue
				}
				mods := (da + db) / 2 / ms
				if mods < 14 || mods > 170 {
					continue
				}
				tl, tr, bl := centres[i], centres[j], centres[k]
				if ax*by-ay*bx < 0 {
					tr, bl = bl, tr
				}
				score := math.Abs(math.Log(ratio)) + math.Abs(cos)
				if ratio < 1/1.6 || ratio > 1.6 {
					score += 2
				}
				// Module sizes that differ by more than 1.6× come of strong
				// perspective or of unrelated patterns: such triples go
				// after the others.
				score += pj + pk
				// A symbol holds no other finder pattern: a triple around
				// one spans several symbols (a batch page).
				det := ax*by - ay*bx
				for l := 0; l < n; l++ {
					if l == i || l == j || l == k {
						continue
					}
					px, py := xs[l]-xs[i], ys[l]-ys[i]
					u, v := (px*by-py*bx)/det, (ax*py-ay*px)/det
					if u > 0.1 && v > 0.1 && u < 0.9 && v < 0.9 {
						score++
					}
				}
				if !timingAlternates(m, tl, tr, bl, (da+db)/2/ms+7) {
					score += 2
				}
				cs = append(cs, cand{detector.NewFinderPatternInfo(bl, tl, tr), score})
			}
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return int(math.Copysign(1, a.score-b.score)) })
	out := make([]*detector.FinderPatternInfo, len(cs))
	for i, c := range cs {
		out[i] = c.info
	}
	return out
}

// sizePenalty returns what a triple's score (lower is better) is raised
// by for a ratio r of one finder pattern's module size to its top left's,
// and whether r may be in a triple at all. From 0.6 to 1.6 costs
// nothing; from 1/2.2 to 2.2 costs the log of how far out it is:
// foreshortening by a strong perspective shrinks the far finder patterns'
// runs to half the near ones' (a 15 % tilt of the held-out photos
// measures 3.3 px against 6.1 and 7.1), but unrelated patterns differ so
// too, and those triples go after the others.
func sizePenalty(r float64) (float64, bool) {
	switch {
	case r < 1/2.2 || r > 2.2:
		return 0, false
	case r < 0.6:
		return math.Log(0.6 / r), true
	case r > 1.6:
		return math.Log(r / 1.6), true
	}
	return 0, true
}

// timingAlternates reports whether the two timing patterns of the symbol
// with finder patterns tl, tr, bl, about dim modules wide, mostly
// alternate dark and light in the binarised image m.
func timingAlternates(m *gozxing.BitMatrix, tl, tr, bl *detector.FinderPattern, dim float64) bool {
	d := math.Round((dim-17)/4)*4 + 17
	if d < 21 {
		return false
	}
	span := d - 7
	x0, y0 := tl.GetX(), tl.GetY()
	ux, uy := tr.GetX()-x0, tr.GetY()-y0
	vx, vy := bl.GetX()-x0, bl.GetY()-y0
	at := func(u, v float64) bool {
		fu, fv := (u-3.5)/span, (v-3.5)/span
		// Get is false off the matrix, as a pixel off the picture.
		return m.Get(int(x0+fu*ux+fv*vx), int(y0+fu*uy+fv*vy))
	}
	// The answer is known as soon as 70 % of the samples agree, or can no
	// longer: the rest are not read.
	n := 2 * max(int(d)-16, 0)
	need := 0.7 * float64(n)
	good, left := 0, n
	for i := 8; i < int(d)-8; i++ {
		dark := i%2 == 0
		if at(float64(i)+0.5, 6.5) == dark {
			good++
		}
		if at(6.5, float64(i)+0.5) == dark {
			good++
		}
		left -= 2
		if float64(good) >= need {
			return true
		}
		if float64(good+left) < need {
			return false
		}
	}
	return n > 0 && float64(good) >= need
}

// sideRatio is the most that the distances from a triple's top left
// finder pattern to the other two may differ by. Beyond 1.6, the triple
// goes after the others: a symbol on a sheet photographed at a steep
// angle is stretched so (a held-out sheet photo's sides measure 135 and
// 220 px), but so are triples of unrelated patterns.
const sideRatio = 2.0
