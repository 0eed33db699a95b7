package scan

import (
	"image"
	"math"
	"math/cmplx"
	"slices"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// This file reads a symbol blurred past what the binarisers and the
// grey-plane sampler survive: camera shake of two modules and more, or a
// sheet photographed badly out of focus. It runs only when every other
// step, and unblurring in module space (modblur.go), has read nothing,
// and only where a symbol was located: the region around it is taken to
// the frequency domain once. The candidate blurs are: the straight, even
// smear the region's cepstrum shows (a smear of length L at angle θ is a
// deep minimum L pixels from the origin along θ); a smear fading along
// the direction of least power, its length fitted to how the power falls
// along it (trails); two Gaussian blurs; and, with defocus, the smear of
// any profile fading either way along the direction of the symbol's
// weakest gradients, as motion.go estimates it (profiles). Each is undone
// by a Wiener filter and the result sampled from the located finder
// patterns; the cepstrum's smear undone is also read as a picture of
// its own at twice its size. (Reading every restoration
// as a picture, at its own size or twice it, and deblurring around two
// finder patterns of a symbol whose third was lost, read nothing more of
// the tuning set.) Candidates are few and the region's side is at most
// maxDeblur pixels, so the cost is bounded.

// maxDeblur is the largest side, in pixels, of the square the region is
// deblurred in (a power of two); a larger region is scaled down to fit.
// (512 read one picture more of the tuning set's 48 of heavy blur, at
// 40 % more CPU.)
const maxDeblur = 256

// deblurModule is the module size, in pixels, a region is scaled down to
// when its symbol's modules are larger: the blur shrinks with it, and the
// transforms cost a quarter as much at half the side.
const deblurModule = 3

// deblurPad is the margin, in work pixels, kept between the region and
// the edge of the square, for the blur to spread into without wrapping
// round.
const deblurPad = 24

// wienerK is the Wiener filter's noise-to-signal ratio: larger keeps
// noise down, smaller undoes more blur.
const wienerK = 0.01

// blurWork is a region of the picture in the frequency domain.
type blurWork struct {
	f      *fft
	n      int
	rw, rh int     // the region in work pixels, at the top left of the square
	ox, oy float64 // its top left corner in the picture
	scale  float64 // work pixels per picture pixel
	g      []complex128
}

// newBlurWork takes region r of the w×h plane pix to the frequency
// domain, in a square of at most maxSide pixels (a power of two), scaled
// down to fit and to deblurModule pixels a module if its modules (module
// pixels, 0 if not known) are larger, its edges tapered to its mean so
// that the square wraps round smoothly.
func newBlurWork(pix []byte, w, h, stride int, r image.Rectangle, module float64, maxSide int) *blurWork {
	r = r.Intersect(image.Rect(0, 0, w, h))
	if r.Dx() < 40 || r.Dy() < 40 {
		return nil
	}
	side := max(r.Dx(), r.Dy())
	scale := 1.0
	if module > deblurModule {
		scale = deblurModule / module
	}
	// The smallest square that holds the region, or holds it scaled
	// down by up to a fifth more.
	n := 64
	for n < maxSide && float64(n-deblurPad)*1.25 < float64(side)*scale {
		n *= 2
	}
	scale = math.Min(scale, float64(n-deblurPad)/float64(side))
	rw, rh := int(float64(r.Dx())*scale), int(float64(r.Dy())*scale)
	src := pix[r.Min.Y*stride+r.Min.X:]
	var reg []byte
	if scale == 1 {
		reg = make([]byte, rw*rh)
		for y := 0; y < rh; y++ {
			copy(reg[y*rw:(y+1)*rw], src[y*stride:])
		}
	} else {
		reg = resize(src, r.Dx(), r.Dy(), stride, rw, rh)
	}
	b := &blurWork{f: newFFT(n), n: n, rw: rw, rh: rh, ox: float64(r.Min.X), oy: float64(r.Min.Y), scale: scale}
	mean := 0.0
	for _, v := range reg {
		mean += float64(v)
	}
	mean /= float64(len(reg))
	// The square holds the region's difference from its mean, so that
	// its rows past the region are zero and cost no transform; the mean
	// is all at frequency 0.
	tx, ty := taper(rw), taper(rh)
	b.g = make([]complex128, n*n)
	for y := 0; y < rh; y++ {
		row, src := b.g[y*n:y*n+rw], reg[y*rw:(y+1)*rw]
		for x, v := range src {
			row[x] = complex((float64(v)-mean)*ty[y]*tx[x], 0)
		}
	}
	b.f.real2Rows(b.g, rh)
	b.g[0] += complex(mean*float64(n*n), 0)
	return b
}

// blur is a candidate blur, in work pixels.
type blur struct {
	length, angle float64 // a straight smear, even unless fade
	// fade: the smear fades linearly from its start to nothing at
	// length pixels along angle.
	fade  bool
	sigma float64 // if not 0, a Gaussian blur (as well, if a smear)
	// taps, if not nil, is the smear's profile instead: the weight of
	// the picture i − origin pixels back along angle, i = 0, 1, …
	taps   []float64
	origin int
	// nsr, if not 0, is the Wiener filter's noise-to-signal ratio
	// instead of wienerK.
	nsr float64
}

// response returns the transfer function of smear k at frequency s
// (cycles per pixel) along its direction.
func (k blur) response(s float64) complex128 {
	if k.taps != nil {
		var h complex128
		for i, t := range k.taps {
			sn, cs := math.Sincos(-2 * math.Pi * s * float64(i-k.origin))
			h += complex(t*cs, t*sn)
		}
		return h
	}
	if !k.fade {
		if x := math.Pi * k.length * s; x != 0 {
			return complex(math.Sin(x)/x, 0)
		}
		return 1
	}
	// Weights 1 − u over u in [0, 1] of the length, about their
	// centroid (a third of the way along): with a = 2πs·length,
	// H = 2 e^(ia/3) (1/(ia) + (e^(−ia) − 1)/(ia)²).
	a := 2 * math.Pi * s * k.length
	if math.Abs(a) < 1e-4 {
		return 1
	}
	ia := complex(0, a)
	return 2 * cmplx.Exp(ia/3) * (1/ia + (cmplx.Exp(-ia)-1)/(ia*ia))
}

// smears returns the likely straight, even smear of the region, if any:
// the deepest minimum of its cepstrum (the inverse transform of the log
// power spectrum) between 4.5 pixels and a sixth of the square from the
// origin, if it stands out from the rest. (A second minimum read nothing
// more of the tuning set.)
func (b *blurWork) smears() []blur {
	n := b.n
	c := make([]complex128, n*n)
	for i, v := range b.g {
		c[i] = complex(math.Log(real(v)*real(v)+imag(v)*imag(v)+1), 0)
	}
	// The log power is real and even, so its inverse transform is its
	// forward one over n².
	b.f.real2(c)
	inv := 1 / float64(n*n)
	at := func(dx, dy int) float64 { return inv * real(c[((dy+n)%n)*n+(dx+n)%n]) }
	rmax := min(n/6, 64)
	var sum, sumsq float64
	m := 0
	type cand struct {
		dx, dy int
		v      float64
	}
	var cs []cand
	for dy := 0; dy <= rmax; dy++ {
		for dx := -rmax; dx <= rmax; dx++ {
			r := math.Hypot(float64(dx), float64(dy))
			if r < 4.5 || r > float64(rmax) || (dy == 0 && dx < 0) {
				continue
			}
			v := at(dx, dy)
			sum += v
			sumsq += v * v
			m++
			local := true
			for _, d := range [8][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {-1, -1}, {1, -1}, {-1, 1}} {
				if at(dx+d[0], dy+d[1]) < v {
					local = false
					break
				}
			}
			if local {
				cs = append(cs, cand{dx, dy, v})
			}
		}
	}
	mean := sum / float64(m)
	sd := math.Sqrt(math.Max(sumsq/float64(m)-mean*mean, 0))
	slices.SortFunc(cs, func(a, b cand) int { return int(math.Copysign(1, a.v-b.v)) })
	var out []blur
	for _, cd := range cs {
		if len(out) == 1 || cd.v > mean-4*sd {
			break
		}
		out = append(out, blur{length: math.Hypot(float64(cd.dx), float64(cd.dy)), angle: math.Atan2(float64(cd.dy), float64(cd.dx))})
	}
	return out
}

// undo returns the region with each of the one or two blurs ks undone by
// a Wiener filter, as planes of rw×rh bytes. Both restorations are real,
// so one inverse transform of the first's spectrum plus i times the
// second's gives the two; it is taken only as far as the region.
func (b *blurWork) undo(ks []blur) [][]byte {
	n := b.n
	ks = ks[:min(len(ks), 2)]
	f := b.f.scratchPlane()
	b.filter(ks, f)
	// The rows are back already; the columns, as far as the region.
	b.f.columns(f, 0, b.rw, b.rh, b.f.back)
	scale := 1 / float64(n*n)
	grey := func(c float64) byte { return byte(min(max(int(c*scale+256.5)-256, 0), 255)) }
	out := make([][]byte, len(ks))
	for j := range out {
		out[j] = make([]byte, b.rw*b.rh)
	}
	for y := 0; y < b.rh; y++ {
		o := out[0][y*b.rw : (y+1)*b.rw]
		for x, v := range f[y*n : y*n+b.rw] {
			o[x] = grey(real(v))
		}
		if len(out) > 1 {
			o := out[1][y*b.rw : (y+1)*b.rw]
			for x, v := range f[y*n : y*n+b.rw] {
				o[x] = grey(imag(v))
			}
		}
	}
	return out
}

// filter sets f to the region's spectrum with the first of the one or
// two blurs ks undone by a Wiener filter, plus i times the spectrum with
// the second undone, each row transformed back (unscaled) while it is
// in the cache. A blur is real, so its filter, like the spectrum, is
// Hermitian, W[−v][−u] = conj W[v][u]: each is worked out on the rows up
// to n/2, and the others follow, but for their columns 0 and n/2, where
// freq does not turn sign, worked out too.
func (b *blurWork) filter(ks []blur, f []complex128) {
	n := b.n
	var rs [2]*response
	ws := [2][]complex128{make([]complex128, n), make([]complex128, n)} // 0 if no blur
	for j, k := range ks {
		rs[j] = b.f.newResponse(k)
	}
	h := make([]complex128, n)
	// filtered returns row v of the spectrum filtered each way, from
	// column u0 on, for m columns.
	filtered := func(v, u0, m int) (w0, w1 []complex128) {
		for j, r := range rs[:len(ks)] {
			r.filter(v, u0, ws[j][:m], b.g[v*n+u0:v*n+u0+m], h[:m])
		}
		return ws[0][:m], ws[1][:m]
	}
	for v := 0; v <= n/2; v++ {
		w0, w1 := filtered(v, 0, n)
		row := f[v*n : (v+1)*n]
		for u := range row {
			row[u] = complex(real(w0[u])-imag(w1[u]), imag(w0[u])+real(w1[u]))
		}
		if v == 0 || v == n/2 {
			b.f.do1(row, b.f.back)
			continue
		}
		m := n - v
		mrow := f[m*n : (m+1)*n]
		for u := 1; u < n; u++ {
			// conj W0[−k] + i conj W1[−k]
			mrow[u] = complex(real(w0[n-u])+imag(w1[n-u]), real(w1[n-u])-imag(w0[n-u]))
		}
		for _, u := range [...]int{0, n / 2} {
			w0, w1 := filtered(m, u, 1)
			mrow[u] = complex(real(w0[0])-imag(w1[0]), imag(w0[0])+real(w1[0]))
		}
		b.f.do1(row, b.f.back)
		b.f.do1(mrow, b.f.back)
	}
}

// deblur tries to read the w×h plane pix once its blur is undone, in
// the area of site at, as deblur.go describes.
func (s *scanner) deblur(pix []byte, w, h, stride int, at site) (out []found) {
	defer func() {
		// As in read: a panic is a failed attempt, never the caller's.
		if r := recover(); r != nil {
			out = nil
		}
	}()
	if at.info == nil {
		return nil
	}
	b := newBlurWork(pix, w, h, stride, at.area, at.module, maxDeblur)
	if b == nil {
		return nil
	}
	// Even smears first, then fading ones, then out of focus.
	ks := append(b.smears(), b.trails()...)
	// Gaussian blurs of 2 and 3 picture pixels.
	for _, sigma := range [...]float64{2, 3} {
		ks = append(ks, blur{sigma: sigma * b.scale})
	}
	// A smear of any profile along the direction of the symbol's weakest
	// gradients, fading either way, as motion.go estimates it, with
	// defocus.
	if angle, _, ok := regionSmear(pix, w, h, stride, at.area); ok {
		for _, k := range b.profiles(angle)[:2] {
			k.sigma = 1.5 * b.scale
			ks = append(ks, k)
		}
	}
	for i := 0; i < len(ks); i += 2 {
		for j, pix := range b.undo(ks[i:]) {
			k := ks[i+j]
			if fs := s.readDeblurred(b, pix, at, !k.fade && k.sigma == 0); fs != nil {
				return fs
			}
		}
	}
	return nil
}

// symbolArea returns the picture rectangle of the symbol whose finder
// patterns on p are info, its quiet zone, and a margin for the blur to
// spread into.
func symbolArea(p *plane, info *detector.FinderPatternInfo) image.Rectangle {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	// The fourth corner completes the parallelogram.
	xs := []float64{tl.GetX(), tr.GetX(), bl.GetX(), tr.GetX() + bl.GetX() - tl.GetX()}
	ys := []float64{tl.GetY(), tr.GetY(), bl.GetY(), tr.GetY() + bl.GetY() - tl.GetY()}
	// Half a finder pattern and the quiet zone, and room for the blur.
	m := 7.5*tl.GetEstimatedModuleSize() + 24
	a := p.toPicture(pt{slices.Min(xs) - m, slices.Min(ys) - m})
	b := p.toPicture(pt{slices.Max(xs) + m, slices.Max(ys) + m})
	return image.Rect(int(a.x), int(a.y), int(math.Ceil(b.x)), int(math.Ceil(b.y)))
}

// trails returns the likely fading smears of the region, both ways along
// the direction its spectrum says: a smear weakens the frequencies along
// its direction, so the direction is that of least power, and the fall of
// the power along it against the power across it, log |H(s)|² plus a
// floor of noise, fixes the length.
func (b *blurWork) trails() []blur {
	n := b.n
	const bins = 72 // of 2.5°
	nr := n / 4     // periods down to 4 pixels
	sum := make([]float64, bins*nr)
	cnt := make([]float64, bins*nr)
	for v := 0; v < n; v++ {
		fv := freq(v, n)
		for u := 0; u < n; u++ {
			fu := freq(u, n)
			r := int(math.Hypot(fu, fv))
			if r < 2 || r >= nr {
				continue
			}
			a := math.Atan2(fv, fu)
			if a < 0 {
				a += math.Pi
			}
			bi := min(int(a/math.Pi*bins), bins-1)
			g := b.g[v*n+u]
			sum[bi*nr+r] += math.Log(real(g)*real(g) + imag(g)*imag(g) + 1)
			cnt[bi*nr+r]++
		}
	}
	// Mean log power of bins around bi, by radius.
	profile := func(bi int) []float64 {
		out := make([]float64, nr)
		for r := 2; r < nr; r++ {
			s, c := 0.0, 0.0
			for d := -2; d <= 2; d++ {
				k := ((bi+d)%bins+bins)%bins*nr + r
				s += sum[k]
				c += cnt[k]
			}
			if c > 0 {
				out[r] = s / c
			}
		}
		return out
	}
	best, bestPow := 0, math.Inf(1)
	for bi := 0; bi < bins; bi++ {
		p := 0.0
		for _, v := range profile(bi)[nr/4:] {
			p += v
		}
		if p < bestPow {
			best, bestPow = bi, p
		}
	}
	// The responses of fading smears of every length tried, from 6
	// pixels to a sixth of the square, 8 % apart.
	var lengths []float64
	var resps [][]float64
	for l := 6.0; l <= float64(n)/6; l *= 1.08 {
		k := blur{length: l, fade: true}
		resp := make([]float64, nr)
		for r := 2; r < nr; r++ {
			h := k.response(float64(r) / float64(n))
			resp[r] = real(h)*real(h) + imag(h)*imag(h)
		}
		lengths = append(lengths, l)
		resps = append(resps, resp)
	}
	// Fit length and noise floor along the direction of least power.
	along, across := profile(best), profile((best+bins/2)%bins)
	angle := (float64(best) + 0.5) * math.Pi / bins
	fitL, fitErr := 0.0, math.Inf(1)
	for i, resp := range resps {
		for _, floor := range []float64{0.003, 0.01, 0.03, 0.1} {
			e := 0.0
			for r := 2; r < nr; r++ {
				d := (along[r] - across[r]) - (math.Log(resp[r]+floor) - math.Log(1+floor))
				e += d * d
			}
			if e < fitErr {
				fitL, fitErr = lengths[i], e
			}
		}
	}
	return []blur{{length: fitL, angle: angle, fade: true}, {length: fitL, angle: angle + math.Pi, fade: true}}
}

// symbolModule returns the module size, in picture pixels, of the symbol
// whose finder patterns on p are info: the distance between them over
// the side its timing patterns suggest, or failing that the finder
// patterns' own estimate, which blur inflates.
func symbolModule(p *plane, info *detector.FinderPatternInfo, inverted bool) float64 {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	ms := (tl.GetEstimatedModuleSize() + tr.GetEstimatedModuleSize() + bl.GetEstimatedModuleSize()) / 3
	d := (math.Hypot(tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY()) + math.Hypot(bl.GetX()-tl.GetX(), bl.GetY()-tl.GetY())) / 2
	finders := []pt{{tl.GetX(), tl.GetY()}, {tr.GetX(), tr.GetY()}, {bl.GetX(), bl.GetY()}}
	if dims := likelyDims(&p.grey, finders, d/ms+7, inverted); len(dims) > 0 {
		ms = d / float64(dims[0]-7)
	}
	return ms / p.scale
}

// site is where in a picture a symbol that was not read may lie.
type site struct {
	area   image.Rectangle
	module float64 // its module size, picture pixels (0: not known)
	timed  bool    // its timing patterns alternate
	// The finder patterns located, if any, on plane, of a symbol
	// inverted or not.
	info     *detector.FinderPatternInfo
	plane    *plane
	inverted bool
}

// readDeblurred reads the deblurred region pix of b by the grey-plane
// sampler, from the finder patterns of site at located in the blurred
// picture, carried onto the deblurred plane; failing that, if whole, as
// a picture of its own at twice its size.
func (s *scanner) readDeblurred(b *blurWork, pix []byte, at site, whole bool) []found {
	p := &plane{grey: grey{pix, b.rw, b.rh, b.rw}, scale: b.scale, ox: b.ox, oy: b.oy}
	var fp [3]*detector.FinderPattern
	for i, f := range []*detector.FinderPattern{at.info.GetBottomLeft(), at.info.GetTopLeft(), at.info.GetTopRight()} {
		q := at.plane.toPicture(pt{f.GetX(), f.GetY()})
		fp[i] = detector.NewFinderPattern1((q.x-b.ox)*b.scale, (q.y-b.oy)*b.scale, at.module*b.scale)
	}
	r, points, ok := gridDecode(&p.grey, detector.NewFinderPatternInfo(fp[0], fp[1], fp[2]), at.inverted, s.dec)
	if !ok {
		if !whole {
			return nil
		}
		d := &plane{grey: grey{resize(pix, b.rw, b.rh, b.rw, 2*b.rw, 2*b.rh), 2 * b.rw, 2 * b.rh, 2 * b.rw}, scale: 2 * b.scale, ox: b.ox, oy: b.oy}
		if fs, _ := s.read(d, ladder[0]); len(fs) > 0 {
			return fs
		}
		return nil
	}
	for i := range points {
		points[i] = p.toPicture(points[i])
	}
	return []found{{r.GetText(), points}}
}

// freq is the signed frequency of index i of an n-point transform:
// i up to n/2, then i−n.
func freq(i, n int) float64 {
	if i > n/2 {
		return float64(i - n)
	}
	return float64(i)
}
