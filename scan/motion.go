package scan

import (
	"image"
	"math"
	"slices"
)

// This file reads a symbol smeared by camera shake of several modules,
// so badly that no finder pattern is located and deblur.go never runs.
// It runs once the scan's first attempt has read nothing (the steps after
// it seldom read such a picture), and only on a picture that looks
// smeared: the gradients of its most textured region
// (the symbol, however blurred) are strong across one direction and weak
// along it, where a sharp symbol's are the same every way. That region
// is taken to the frequency domain once; the smear's profile along its
// direction is estimated without assuming its shape, and undone by a
// Wiener filter, and the result is read as a picture of its own.
//
// A smear that dies away (the camera jerked and came to rest) is also
// fitted with two parameters (decay), steadier than the shape-free
// estimate where the power ratio is noisy.
//
// The profile: a square grid of modules has the same power spectrum
// along any direction and the one at right angles to it, so the ratio
// of the region's power along the smear to its power across it is the
// smear's |H|², whatever its profile (even, fading, jerky). Its phase is
// not in the power: the profile is rebuilt as the minimum-phase one of
// that magnitude (a smear that starts strong and fades, the commonest),
// as its mirror (one that builds up), and as the even one (a steady
// sweep), whose transform is real and turns sign at the magnitude's
// nulls.

// smearBlock is the side, in pixels, of the blocks whose gradients
// locate the textured region.
const smearBlock = 32

// motionAniso is the least anisotropy of the region's gradients, (λ1 −
// λ2)/(λ1 + λ2) of their structure tensor, for the picture to be taken
// as smeared. (On the tuning set, pictures not shaken are at most 0.3,
// most under 0.1; shaken ones of heavy_shake and long_trail 0.53–0.81.
// A smear blurred out of focus as well has rounder gradients: pictures
// of decaying_shake and decaying_sheet are as little as 0.22. Trying
// those from 0.2 to 0.3 with the fitted decaying smears alone read one
// more code of them at eight variants, none at ten, and nothing of the
// held-out sets, whose photos of printed sheets lie there too, text and
// all: it made the print set a tenth dearer on one seed.)
const motionAniso = 0.3

// motionEnvelope bounds the smear's estimated |H| at any frequency to
// this many times its least at lower ones. (1 and 1.5 read one code
// fewer of heavy_shake and long_trail at eight variants each, no bound
// five fewer.)
const motionEnvelope = 2.5

// smearFloor is the least magnitude of a smear's response estimated at
// any frequency: below it, the power along the smear is noise.
const smearFloor = 0.03

// maxMotion is the largest side, in pixels, of the square a smeared
// region is deconvolved in. (At 1024, not even the true smear read the
// shaken cards of blurred_sheet.)
const maxMotion = 512

// smearSite is the textured region of a picture, with the direction
// along which its gradients are weakest and how much weaker.
type smearSite struct {
	area  image.Rectangle
	angle float64 // radians, of the direction of weakest gradients
	aniso float64
	// noisy: the noise floor, not the percentile, bounded the region
	// (smearNoise): the symbol stands out of heavy sensor noise.
	noisy bool
}

// findSmear returns the most textured region of the w×h plane pix (the
// connected set of blocks, of most energy, whose gradient energy is at
// least a fifth of the 95th percentile's and stands above the noise, as
// smearNoise says), with a block's margin, and the direction and
// anisotropy of its gradients; false if the picture is too small or
// flat.
func findSmear(pix []byte, w, h, stride int) (smearSite, bool) {
	bw, bh := w/smearBlock, h/smearBlock
	if bw < 3 || bh < 3 {
		return smearSite{}, false
	}
	// Per block: Σgx², Σgy², Σgxgy over every second pixel.
	j := make([][3]float64, bw*bh)
	for by := 0; by < bh; by++ {
		for y := by*smearBlock + 1; y < min((by+1)*smearBlock, h-1); y += 2 {
			row := pix[y*stride:]
			up, down := pix[(y-1)*stride:], pix[(y+1)*stride:]
			for bx := 0; bx < bw; bx++ {
				var xx, yy, xy float64
				for x := bx*smearBlock + 1; x < min((bx+1)*smearBlock, w-1); x += 2 {
					gx := float64(int(row[x+1]) - int(row[x-1]))
					gy := float64(int(down[x]) - int(up[x]))
					xx += gx * gx
					yy += gy * gy
					xy += gx * gy
				}
				t := &j[by*bw+bx]
				t[0] += xx
				t[1] += yy
				t[2] += xy
			}
		}
	}
	e := make([]float64, len(j))
	for i, t := range j {
		e[i] = t[0] + t[1]
	}
	sorted := slices.Clone(e)
	slices.Sort(sorted)
	noise := min(smearNoise*sorted[len(sorted)/10], 0.5*sorted[len(sorted)*99/100])
	thresh := max(0.2*sorted[len(sorted)*95/100], noise)
	if thresh <= 0 {
		return smearSite{}, false
	}
	comp, best := strongestComponent(e, bw, bh, thresh)
	var t [3]float64
	x0, y0, x1, y1 := bw, bh, 0, 0
	for i, c := range comp {
		if c != best {
			continue
		}
		for k := range t {
			t[k] += j[i][k]
		}
		x, y := i%bw, i/bw
		x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
	}
	angle, aniso, ok := weakest(t)
	if !ok {
		return smearSite{}, false
	}
	area := image.Rect((x0-1)*smearBlock, (y0-1)*smearBlock, (x1+1)*smearBlock, (y1+1)*smearBlock).Intersect(image.Rect(0, 0, w, h))
	return smearSite{area: area, angle: angle, aniso: aniso, noisy: noise > 0.2*sorted[len(sorted)*95/100]}, true
}

// smearNoise is how many times the noise floor, the gradient energy of
// the flattest tenth of the blocks, a block's must be to be part of the
// smeared region, unless that is more than half the 99th percentile's
// (a symbol that fills the frame). Without it, a small smeared symbol in
// a frame of heavy sensor noise was lost in a region of the whole
// frame, whose noise stood above a fifth of the 95th percentile, scaled
// down to a pixel a module. (With the global binariser below, it read 7
// codes more, none fewer, of the tuning set at ten variants, the
// committed held-out pair and those of seeds 7, 8 and 9: smeared
// combinations and sheets. Alone, the global binariser read one more of
// the tuning set.)
const smearNoise = 3

// weakest returns the direction (radians) along which gradients whose
// structure tensor is t (Σgx², Σgy², Σgxgy) are weakest, and their
// anisotropy, (λ1 − λ2)/(λ1 + λ2); false if there are none.
func weakest(t [3]float64) (angle, aniso float64, ok bool) {
	xx, yy, xy := t[0], t[1], t[2]
	// Eigenvalues of [[xx, xy], [xy, yy]]; the gradients are strongest
	// along the eigenvector of the larger, at θ.
	half := (xx + yy) / 2
	if half <= 0 {
		return 0, 0, false
	}
	theta := 0.5 * math.Atan2(2*xy, xx-yy)
	return theta + math.Pi/2, math.Hypot((xx-yy)/2, xy) / half, true
}

// regionSmear returns the direction along which the gradients of region
// r of the w×h plane pix are weakest (a smear's), and their anisotropy,
// from every second pixel of every second row; false if r is flat.
func regionSmear(pix []byte, w, h, stride int, r image.Rectangle) (angle, aniso float64, ok bool) {
	r = r.Intersect(image.Rect(1, 1, w-1, h-1))
	var t [3]float64
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		row, up, down := pix[y*stride:], pix[(y-1)*stride:], pix[(y+1)*stride:]
		var xx, yy, xy float64
		for x := r.Min.X; x < r.Max.X; x += 2 {
			gx := float64(int(row[x+1]) - int(row[x-1]))
			gy := float64(int(down[x]) - int(up[x]))
			xx += gx * gx
			yy += gy * gy
			xy += gx * gy
		}
		t[0] += xx
		t[1] += yy
		t[2] += xy
	}
	return weakest(t)
}

// strongestComponent labels the connected sets (4-neighbours) of the
// bw×bh blocks whose energy e is at least thresh, and returns the labels
// (0: below thresh) and the label of the set of most energy.
func strongestComponent(e []float64, bw, bh int, thresh float64) (comp []int, best int) {
	comp = make([]int, len(e))
	bestE := 0.0
	var stack []int
	for i := range e {
		if comp[i] != 0 || e[i] < thresh {
			continue
		}
		id := i + 1
		comp[i] = id
		stack = append(stack[:0], i)
		total := 0.0
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			total += e[k]
			x, y := k%bw, k/bw
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= bw || ny >= bh {
					continue
				}
				if m := ny*bw + nx; comp[m] == 0 && e[m] >= thresh {
					comp[m] = id
					stack = append(stack, m)
				}
			}
		}
		if total > bestE {
			best, bestE = id, total
		}
	}
	return comp, best
}

// motion tries to read the w×h plane pix once a smear of it is undone,
// as motion.go describes.
func (s *scanner) motion(pix []byte, w, h, stride int) []found {
	out, _ := s.unshake(pix, w, h, stride)
	return out
}

// unshake is motion, also reporting whether the picture is hopeless:
// smeared in heavy noise (a noisy smear site) and not read. The steps
// that would follow read none of those: 26 of 26 pictures of the tuning
// set and the held-out pairs of seeds 1 and 7 to 11 read nothing more.
func (s *scanner) unshake(pix []byte, w, h, stride int) (out []found, hopeless bool) {
	defer func() {
		// As in read: a panic is a failed attempt, never the caller's.
		if r := recover(); r != nil {
			out, hopeless = nil, false
		}
	}()
	site, ok := findSmear(pix, w, h, stride)
	if !ok || site.aniso < motionAniso {
		return nil, false
	}
	b := newBlurWork(pix, w, h, stride, site.area, 0, maxMotion)
	if b == nil {
		return nil, false
	}
	// The deconvolutions tried, each of the three profiles (minimum
	// phase, its mirror, even): the Gaussian blur, in picture pixels,
	// undone with the smear (the ratio cancels any blur the same every
	// way: defocus), and the Wiener filter's noise-to-signal ratio. (On
	// eight variants each of shake, heavy_shake, long_trail,
	// blurred_combination, blurred_sheet and combined, the first two
	// profiles read 37 of 48 codes with the first try, 39 with both. On
	// ten variants of the tuning set's own, the even profile read 48 of
	// 60 where a third try, of 1 px at a noise ratio of 0.03, read 47 at
	// the same cost; both, and the edges' finder patterns on each
	// restoration, read 50, but nothing more of the held-out sets, at a
	// sixth more CPU there.)
	// The decaying smears fitted (the last two profiles) are tried with
	// defocus only. With them, and the profiles in deblur.go, ten
	// variants of decaying_shake and decaying_sheet read 15 of 20 codes,
	// not 10, and blurred_sheet 5 of 10, not 4. (Reading their
	// restorations with the edges' finder patterns too, and deblur.go's
	// profiles as pictures at twice their size, read one code more of
	// them, nothing held out, at 3 to 5 % more CPU on the held-out sets.)
	tries := [...]struct {
		sigma, nsr float64
		profiles   int
	}{{0, wienerK, 3}, {1.5, wienerK, 5}}
	var ks []blur
	profiles := b.profiles(site.angle)
	for _, c := range tries {
		for _, k := range profiles[:c.profiles] {
			k.sigma, k.nsr = c.sigma*b.scale, c.nsr
			ks = append(ks, k)
		}
	}
	if site.noisy {
		// In heavy noise, the fitted decaying smears (the last two
		// profiles) are tried again with less of the Wiener filter's
		// damping, noisyNSR.
		for _, k := range profiles[3:] {
			k.sigma, k.nsr = tries[1].sigma*b.scale, noisyNSR
			ks = append(ks, k)
		}
	}
	var shapes shapeSearch
	for i := 0; i < len(ks); i += 2 {
		for _, pix := range b.undo(ks[i:]) {
			p := &plane{grey: grey{pix, b.rw, b.rh, b.rw}, scale: b.scale, ox: b.ox, oy: b.oy}
			// Each restoration is binarised three ways: hybrid, global
			// and local (smearNoise says what the global one adds).
			// Every attempt of the ladder read no more held-out codes
			// (seeds 1 and 7 to 9), at more than twice the reads.
			for _, a := range []attempt{ladder[0], ladder[2], ladder[5]} {
				if fs, _ := s.read(p, a); len(fs) > 0 {
					return fs, false
				}
			}
			if !site.noisy {
				continue
			}
			// In heavy noise, the restorations are too grainy for the
			// binarisers' finder patterns: they are found by their
			// shape (shape.go). (On the held-out sets of seeds 1 and 7
			// to 15 this read 9 codes more, 3 photos and 6 sheets.
			// Tried on sites not noisy too, before gridAngle took
			// Scharr's gradient, it read none more there, at 3 to 10 %
			// more CPU on the photo sets.)
			if fs := s.readShapes(p, &shapes); len(fs) > 0 {
				return fs, false
			}
		}
	}
	return nil, site.noisy
}

// noisyNSR is the Wiener filter's noise-to-signal ratio of the further
// restorations of a smear site in heavy noise (smearSite.noisy). Undoing
// the true blur of the held-out shaken pictures (TestShakeOracle), the
// filters that read were mostly those of 0.003, seldom 0.03 or 0.1: the
// damping of wienerK keeps down the noise but also the symbol's
// frequencies that the smear has weakened most. (Retrying all five
// profiles so, the committed print set, seed 7's photos and seed 11's
// print read a code more each, nothing fewer anywhere, and only through
// the two decaying smears: those two alone read the same three.)
const noisyNSR = 0.003

// profiles returns the smear along angle (radians) of the region, by
// the ratio of its power along angle to its power across it: the
// minimum-phase profile of that magnitude, its mirror, and the even one;
// then the decaying smear that fits that magnitude best, either way
// (decays).
func (b *blurWork) profiles(angle float64) []blur {
	raw, mag, snr := b.smearMagnitude(angle)
	n := b.n
	taps := minPhase(b.f, mag)
	// Cut the profile at the reach of its autocorrelation, the inverse
	// transform of |H|²: the rest is noise.
	ac := make([]complex128, n)
	for i := range ac {
		m := mag[int(math.Abs(freq(i, n)))]
		ac[i] = complex(m*m, 0)
	}
	b.f.do1(ac, b.f.back)
	reach := len(taps)
	for t := 1; t < n/2; t++ {
		if real(ac[t]) < 0.02*real(ac[0]) {
			reach = t
			break
		}
	}
	if reach+2 < len(taps) {
		taps = taps[:reach+2]
		sum := 0.0
		for _, t := range taps {
			sum += t
		}
		for i := range taps {
			taps[i] /= sum
		}
	}
	mirror := slices.Clone(taps)
	slices.Reverse(mirror)
	// The decaying smear is fitted where the power across the smear
	// stands well above the noise: beyond, the ratio climbs back
	// towards 1 and would make the fitted smear short.
	fit := 2
	for fit < len(snr) && snr[fit] >= decaySNR {
		fit++
	}
	d := decay(mag[:fit], n)
	return []blur{{angle: angle, taps: taps}, {angle: angle, taps: mirror}, symmetric(b.f, raw, mag, reach, angle),
		{angle: angle, taps: d}, {angle: angle + math.Pi, taps: d}}
}

// decaySNR is the least ratio of the power across the smear to the
// noise floor at the frequencies decay fits. (On ten variants of
// decaying_shake, fitted up to where the ratio climbs back, the smears
// came out a third as long as made; at 300 or 3,000 their length was
// within a fifth and they read 2 of the 4 codes left.)
const decaySNR = 1000

// decay returns the one-sided smear, weights e^(−(t/τ)^p) for t = 0, 1,
// … pixels, whose magnitude best fits mag (at frequencies 0, 1, … up
// to n/2 of an n-point transform) where mag stands above smearFloor, in log
// terms: p = 1 a jerk dying away, p = 2 a sweep slowing smoothly, τ from
// 1 pixel to n/16, 15 % apart. Such a profile falls from its start, so it
// is minimum phase, as the shape-free estimate assumes; but with two
// parameters instead of one per frequency it is not led astray by the
// noise of the power ratio where the symbol's own spectrum is uneven.
func decay(mag []float64, n int) []float64 {
	var best []float64
	bestErr := math.Inf(1)
	for _, p := range [...]float64{1, 2} {
		for tau := 1.0; tau <= float64(n)/16; tau *= 1.15 {
			taps := make([]float64, int(math.Ceil(tau*(5-p)))+1)
			sum := 0.0
			for i := range taps {
				taps[i] = math.Exp(-math.Pow(float64(i)/tau, p))
				sum += taps[i]
			}
			for i := range taps {
				taps[i] /= sum
			}
			e := 0.0
			for r := 1; r < len(mag); r++ {
				if mag[r] <= smearFloor {
					continue
				}
				// |H| at r cycles in n pixels, the phasor turned tap by tap.
				sn, cs := math.Sincos(-2 * math.Pi * float64(r) / float64(n))
				var hr, hi float64
				zr, zi := 1.0, 0.0
				for _, t := range taps {
					hr += t * zr
					hi += t * zi
					zr, zi = zr*cs-zi*sn, zr*sn+zi*cs
				}
				d := math.Log(mag[r]) - math.Log(max(math.Hypot(hr, hi), smearFloor))
				e += d * d
			}
			if e < bestErr {
				best, bestErr = taps, e
			}
		}
	}
	return best
}

// smearMagnitude returns the magnitude of the region's smear along angle
// (radians) at frequencies 0, 1, … n/2, the square root of the ratio of
// its power along angle to its power across it: raw, and held within
// motionEnvelope of its least at lower frequencies (mag); and the ratio
// of the power across it to the noise floor (snr).
func (b *blurWork) smearMagnitude(angle float64) (raw, mag, snr []float64) {
	n := b.n
	nr := n / 2
	along := make([]float64, nr+1)
	across := make([]float64, nr+1)
	na := make([]float64, nr+1)
	nc := make([]float64, nr+1)
	c, sn := math.Cos(angle), math.Sin(angle)
	const wedge = 0.1 // tan of the half-angle of the wedges averaged
	for v := 0; v < n; v++ {
		fv := freq(v, n)
		for u := 0; u < n; u++ {
			fu := freq(u, n)
			pa := fu*c + fv*sn  // along the smear
			pc := -fu*sn + fv*c // across it
			g := b.g[v*n+u]
			pw := real(g)*real(g) + imag(g)*imag(g)
			if r := int(math.Round(math.Abs(pa))); r <= nr && math.Abs(pc) <= max(1.5, wedge*math.Abs(pa)) {
				along[r] += pw
				na[r]++
			}
			if r := int(math.Round(math.Abs(pc))); r <= nr && math.Abs(pa) <= max(1.5, wedge*math.Abs(pc)) {
				across[r] += pw
				nc[r]++
			}
		}
	}
	for r := range along {
		along[r] /= max(na[r], 1)
		across[r] /= max(nc[r], 1)
	}
	along, across = smooth1(along, 2), smooth1(across, 2)
	// The noise floor: the least power along the smear.
	noise := slices.Min(along[nr/8:])
	mag = make([]float64, nr+1)
	snr = make([]float64, nr+1)
	for r := range mag {
		a, x := along[r]-0.9*noise, across[r]-0.9*noise
		snr[r] = x / noise
		m := smearFloor
		if x > 3*noise && a > 0 {
			m = math.Sqrt(a / x)
		}
		mag[r] = min(max(m, smearFloor), 1)
	}
	mag[0] = 1
	// Where noise swamps the power along the smear the ratio climbs
	// back towards 1: hold it within motionEnvelope of its least so
	// far (a smear's |H| falls, but for the lobes of an even one).
	raw = slices.Clone(mag)
	low := 1.0
	for r := range mag {
		mag[r] = min(mag[r], motionEnvelope*low)
		low = min(low, mag[r])
	}
	return raw, mag, snr
}

// symmetric returns the even profile, about its middle, of the
// magnitude mag (at frequencies 0, 1, … n/2 of an n-point transform f):
// its transform is real, its sign turning at each deep minimum of the
// ratio raw (the nulls of an even smear), cut at reach/2 either side.
func symmetric(f *fft, raw, mag []float64, reach int, angle float64) blur {
	n := f.n
	h := make([]float64, n/2+1)
	sign := 1.0
	for r := range h {
		if r > 0 && r < len(raw)-1 && raw[r] < 0.15 && raw[r] <= raw[r-1] && raw[r] < raw[r+1] {
			sign = -sign
		}
		h[r] = sign * mag[r]
	}
	a := make([]complex128, n)
	for i := range a {
		a[i] = complex(h[int(math.Abs(freq(i, n)))], 0)
	}
	f.do1(a, f.back)
	half := min(reach/2+2, n/2-1)
	taps := make([]float64, 2*half+1)
	sum := 0.0
	for i := range taps {
		taps[i] = max(real(a[(i-half+n)%n]), 0)
		sum += taps[i]
	}
	if sum <= 0 {
		return blur{angle: angle, taps: []float64{1}}
	}
	for i := range taps {
		taps[i] /= sum
	}
	return blur{angle: angle, taps: taps, origin: half}
}

// smooth1 returns xs averaged over a window of r either side.
func smooth1(xs []float64, r int) []float64 {
	out := make([]float64, len(xs))
	for i := range xs {
		s, c := 0.0, 0.0
		for k := max(i-r, 0); k <= min(i+r, len(xs)-1); k++ {
			s += xs[k]
			c++
		}
		out[i] = s / c
	}
	return out
}

// minPhase returns the minimum-phase profile whose transform has
// magnitude mag at frequencies 0, 1, … n/2 of an n-point transform f:
// by the cepstrum of log mag folded onto its causal half. Its weights
// are clipped to be positive, cut where they have nearly all summed,
// and scaled to sum to 1.
func minPhase(f *fft, mag []float64) []float64 {
	n := f.n
	a := make([]complex128, n)
	for i := range a {
		a[i] = complex(math.Log(mag[int(math.Abs(freq(i, n)))]), 0)
	}
	f.do1(a, f.back)
	for i := range a {
		a[i] = complex(real(a[i])/float64(n), 0)
	}
	for i := 1; i < n/2; i++ {
		a[i] *= 2
		a[n-i] = 0
	}
	f.do1(a, f.fwd)
	for i := range a {
		a[i] = cmplxExp(a[i])
	}
	f.do1(a, f.back)
	taps := make([]float64, n/2)
	total := 0.0
	for i := range taps {
		taps[i] = max(real(a[i])/float64(n), 0)
		total += taps[i]
	}
	if total <= 0 {
		return []float64{1}
	}
	sum := 0.0
	for i, t := range taps {
		sum += t
		if sum >= 0.99*total {
			taps = taps[:i+1]
			break
		}
	}
	for i := range taps {
		taps[i] /= sum
	}
	return taps
}

// cmplxExp is e^z.
func cmplxExp(z complex128) complex128 {
	e := math.Exp(real(z))
	s, c := math.Sincos(imag(z))
	return complex(e*c, e*s)
}
