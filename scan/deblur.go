package scan

import (
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	"image"
	"math"
	"slices"
)

// This file reads a symbol blurred past what the binarisers and the
// grey-plane sampler survive: camera shake of two modules and more, or a
// sheet photographed badly out of focus. It runs only when every other
// step has read nothing. The region around the symbol (the whole picture
// if none was located) is taken to the frequency domain once; the blur is
// estimated from the picture's cepstrum, where a straight smear of length
// L at angle θ shows as a deep minimum L pixels from the origin along θ;
// each candidate blur is undone by a Wiener filter and the result read as
// a picture of its own. Candidates are few and the region's side is at
// most maxDeblur pixels, so the cost is bounded.

// maxDeblur is the largest side, in pixels, of the square the region is
// deblurred in (a power of two); a larger region is scaled down to fit.
const maxDeblur = 512

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
// domain, scaled down to fit, its edges tapered to its mean so that the
// square wraps round smoothly.
func newBlurWork(pix []byte, w, h, stride int, r image.Rectangle) *blurWork {
	r = r.Intersect(image.Rect(0, 0, w, h))
	if r.Dx() < 40 || r.Dy() < 40 {
		return nil
	}
	side := max(r.Dx(), r.Dy())
	n := 64
	for n < maxDeblur && n-deblurPad < side {
		n *= 2
	}
	scale := math.Min(1, float64(n-deblurPad)/float64(side))
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
	const ramp = 12
	taper := func(i, m int) float64 {
		d := min(i, m-1-i)
		if d >= ramp {
			return 1
		}
		return 0.5 - 0.5*math.Cos(math.Pi*float64(d)/ramp)
	}
	b.g = make([]complex128, n*n)
	for i := range b.g {
		b.g[i] = complex(mean, 0)
	}
	for y := 0; y < rh; y++ {
		ty := taper(y, rh)
		for x := 0; x < rw; x++ {
			b.g[y*n+x] = complex(mean+(float64(reg[y*rw+x])-mean)*ty*taper(x, rw), 0)
		}
	}
	b.f.do2(b.g, false)
	return b
}

// blur is a candidate blur, in work pixels.
type blur struct {
	length, angle float64 // a straight, even smear
	sigma         float64 // if not 0, a Gaussian blur instead
}

// smears returns the likely straight smears of the region, likeliest
// first: the deepest minima of its cepstrum (the inverse transform of the
// log power spectrum) between 3 pixels and a sixth of the square from the
// origin, that stand out from the rest.
func (b *blurWork) smears() []blur {
	n := b.n
	c := make([]complex128, n*n)
	for i, v := range b.g {
		c[i] = complex(math.Log(real(v)*real(v)+imag(v)*imag(v)+1), 0)
	}
	b.f.do2(c, true)
	at := func(dx, dy int) float64 { return real(c[((dy+n)%n)*n+(dx+n)%n]) }
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
		if len(out) == 2 || cd.v > mean-4*sd {
			break
		}
		out = append(out, blur{length: math.Hypot(float64(cd.dx), float64(cd.dy)), angle: math.Atan2(float64(cd.dy), float64(cd.dx))})
	}
	return out
}

// undo returns the region with blur k undone by a Wiener filter, as a
// plane of rw×rh bytes.
func (b *blurWork) undo(k blur) []byte {
	n := b.n
	// The blur's transfer function, known in closed form: a Gaussian's
	// is a Gaussian; an even smear's is a sinc across its direction.
	h := make([]complex128, n*n)
	dx, dy := math.Cos(k.angle), math.Sin(k.angle)
	for v := 0; v < n; v++ {
		fv := float64(v)
		if v > n/2 {
			fv -= float64(n)
		}
		for u := 0; u < n; u++ {
			fu := float64(u)
			if u > n/2 {
				fu -= float64(n)
			}
			var t float64
			if k.sigma > 0 {
				t = math.Exp(-2 * math.Pi * math.Pi * k.sigma * k.sigma * (fu*fu + fv*fv) / float64(n*n))
			} else if x := math.Pi * k.length * (fu*dx + fv*dy) / float64(n); x != 0 {
				t = math.Sin(x) / x
			} else {
				t = 1
			}
			h[v*n+u] = complex(t, 0)
		}
	}
	for i, hv := range h {
		hr, hi := real(hv), imag(hv)
		d := hr*hr + hi*hi + wienerK
		h[i] = b.g[i] * complex(hr/d, -hi/d)
	}
	b.f.do2(h, true)
	out := make([]byte, b.rw*b.rh)
	for y := 0; y < b.rh; y++ {
		for x := 0; x < b.rw; x++ {
			out[y*b.rw+x] = byte(math.Max(0, math.Min(255, math.Round(real(h[y*n+x])))))
		}
	}
	return out
}

// deblur tries to read the w×h plane pix once its blur is undone, in
// region r, as deblur.go describes.
func (s *scanner) deblur(pix []byte, w, h, stride int, r image.Rectangle) []found {
	b := newBlurWork(pix, w, h, stride, r)
	if b == nil {
		return nil
	}
	// Smears first, then out of focus.
	ks := b.smears()
	for _, sigma := range defocus {
		ks = append(ks, blur{sigma: sigma * b.scale})
	}
	for _, k := range ks {
		pix := b.undo(k)
		p := &plane{grey: grey{pix, b.rw, b.rh, b.rw}, scale: b.scale, ox: b.ox, oy: b.oy}
		for _, a := range []attempt{ladder[0], ladder[5]} {
			if fs, _ := s.read(p, a); len(fs) > 0 {
				return fs
			}
		}
		d := &plane{grey: grey{resize(pix, b.rw, b.rh, b.rw, 2*b.rw, 2*b.rh), 2 * b.rw, 2 * b.rh, 2 * b.rw}, scale: 2 * b.scale, ox: b.ox, oy: b.oy}
		if fs, _ := s.read(d, ladder[0]); len(fs) > 0 {
			return fs
		}
	}
	return nil
}

// defocus lists the Gaussian blurs, in picture pixels, tried on a picture
// that shows no straight smear.
var defocus = []float64{2, 3}

// symbolArea returns the picture rectangle of the symbol whose finder
// patterns on p are info, with a margin of a quarter of its side for the
// blur to spread into.
func symbolArea(p *plane, info *detector.FinderPatternInfo) image.Rectangle {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	// The fourth corner completes the parallelogram.
	xs := []float64{tl.GetX(), tr.GetX(), bl.GetX(), tr.GetX() + bl.GetX() - tl.GetX()}
	ys := []float64{tl.GetY(), tr.GetY(), bl.GetY(), tr.GetY() + bl.GetY() - tl.GetY()}
	side := math.Hypot(tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY())
	m := side*0.25 + 8*tl.GetEstimatedModuleSize()
	a := p.toPicture(pt{slices.Min(xs) - m, slices.Min(ys) - m})
	b := p.toPicture(pt{slices.Max(xs) + m, slices.Max(ys) + m})
	return image.Rect(int(a.x), int(a.y), int(math.Ceil(b.x)), int(math.Ceil(b.y)))
}
