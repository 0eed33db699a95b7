package scan

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
	"testing"
)

// fftTolerance is the largest difference allowed between a transform and
// the reference's (fft_ref_internal_test.go), relative to the largest
// sample of the reference's.
const fftTolerance = 1e-9

// relDiff returns the largest |got[i] − want[i]| over the largest
// |want[i]|.
func relDiff(got, want []complex128) float64 {
	d, m := 0.0, 0.0
	for i := range want {
		d = max(d, cmplx.Abs(got[i]-want[i]))
		m = max(m, cmplx.Abs(want[i]))
	}
	if m == 0 {
		return d
	}
	return d / m
}

// TestFFTMatchesRef checks every transform of fft.go against the radix-2
// one it replaced, at every size from 2 to maxMotion: rows both ways,
// planes both ways, real planes with and without rows of zeros, and the
// inverse as far as a corner.
func TestFFTMatchesRef(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for n := 2; n <= maxMotion; n *= 2 {
		f, r := newFFT(n), newRefFFT(n)
		a := make([]complex128, n*n)
		for i := range a {
			a[i] = complex(rng.Float64()*255, rng.Float64()*255)
		}
		check := func(what string, got, want []complex128) {
			t.Helper()
			if d := relDiff(got, want); d > fftTolerance {
				t.Errorf("n=%d: %s differs from the reference by %.3g of its largest sample", n, what, d)
			}
		}
		for _, dir := range []struct {
			name    string
			tw      *twiddles
			twRef   []complex128
			inverse bool
		}{{"forward", f.fwd, r.fwd, false}, {"inverse", f.back, r.back, true}} {
			got, want := slices.Clone(a[:n]), slices.Clone(a[:n])
			f.do1(got, dir.tw)
			r.do1(want, dir.twRef)
			check("do1 "+dir.name, got, want)
			got, want = slices.Clone(a), slices.Clone(a)
			f.do2(got, dir.inverse)
			r.do2(want, dir.inverse)
			check("do2 "+dir.name, got, want)
		}
		// The inverse as far as a corner, unscaled.
		w, h := max(n/2+1, n-3), max(n/3, 1)
		got, want := slices.Clone(a), slices.Clone(a)
		f.inverse2(got, w, h)
		r.do2(want, true)
		var gc, wc []complex128
		for y := 0; y < h; y++ {
			gc = append(gc, got[y*n:y*n+w]...)
			for _, v := range want[y*n : y*n+w] {
				wc = append(wc, v*complex(float64(n*n), 0))
			}
		}
		check(fmt.Sprintf("inverse2 of the %d×%d corner", w, h), gc, wc)
		// Real samples, the last rows zero or not.
		for _, rows := range []int{n, n - 1, n / 2, 1} {
			re := make([]complex128, n*n)
			for i := range re[:rows*n] {
				re[i] = complex(real(a[i]), 0)
			}
			got, want := slices.Clone(re), slices.Clone(re)
			f.real2Rows(got, rows)
			r.real2(want)
			check(fmt.Sprintf("real2Rows(%d)", rows), got, want)
		}
	}
}

// TestBlurWorkMatchesRef checks newBlurWork and undo against the code
// they replaced on pictures of every kind that reaches them: the same
// square, the same spectrum to fftTolerance, and the same restored
// planes within one grey level, counting the pixels that differ at all
// (a restored value that lies within rounding of a half).
func TestBlurWorkMatchesRef(t *testing.T) {
	for _, s := range blurSamples(t) {
		r := s.area
		got := newBlurWork(s.pix, s.w, s.h, s.stride, r, s.module, s.maxSide)
		want := refNewBlurWork(s.pix, s.w, s.h, s.stride, r, s.module, s.maxSide)
		if got.n != want.n || got.rw != want.rw || got.rh != want.rh || got.scale != want.scale || got.ox != want.ox || got.oy != want.oy {
			t.Fatalf("%s: newBlurWork square %d, region %d×%d at ×%v, want %d, %d×%d at ×%v", s.name, got.n, got.rw, got.rh, got.scale, want.n, want.rw, want.rh, want.scale)
		}
		d := relDiff(got.g, want.g)
		if d > fftTolerance {
			t.Errorf("%s: newBlurWork spectrum differs from the reference by %.3g of its largest sample", s.name, d)
		}
		ks := s.blurs(want)
		if len(ks) < 2 {
			t.Fatalf("%s: %d blurs to try, want at least 2", s.name, len(ks))
		}
		differ, total := 0, 0
		for i := 0; i < len(ks); i += 2 {
			gp, wp := got.undo(ks[i:]), refUndo(want, ks[i:])
			if len(gp) != len(wp) {
				t.Fatalf("%s: undo(blurs %d…) made %d planes, want %d", s.name, i, len(gp), len(wp))
			}
			for j := range wp {
				for p := range wp[j] {
					d := int(gp[j][p]) - int(wp[j][p])
					if d < -1 || d > 1 {
						t.Fatalf("%s: undo(%+v) pixel (%d, %d) = %d, want %d", s.name, ks[i+j], p%want.rw, p/want.rw, gp[j][p], wp[j][p])
					}
					if d != 0 {
						differ++
					}
				}
				total += len(wp[j])
			}
		}
		t.Logf("%s: square %d, spectrum within %.2g; %d blurs: %d of %d restored pixels differ by one grey level", s.name, got.n, d, len(ks), differ, total)
		if differ*1000 > total {
			t.Errorf("%s: %d of %d restored pixels differ from the reference, want at most 1 in 1000", s.name, differ, total)
		}
	}
}

// TestBlurWorkBlursMatchRef checks that the blurs deblurring and
// unshaking estimate from the new spectrum are those the reference's
// gives: same kinds, lengths and angles, taps to 1e-9.
func TestBlurWorkBlursMatchRef(t *testing.T) {
	for _, s := range blurSamples(t) {
		r := s.area
		got := s.blurs(newBlurWork(s.pix, s.w, s.h, s.stride, r, s.module, s.maxSide))
		want := s.blurs(refNewBlurWork(s.pix, s.w, s.h, s.stride, r, s.module, s.maxSide))
		if len(got) != len(want) {
			t.Fatalf("%s: %d blurs, want %d", s.name, len(got), len(want))
		}
		close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }
		for i, w := range want {
			g := got[i]
			ok := g.fade == w.fade && g.origin == w.origin && len(g.taps) == len(w.taps) &&
				close(g.length, w.length) && close(g.angle, w.angle) && close(g.sigma, w.sigma) && close(g.nsr, w.nsr)
			for j := range w.taps {
				ok = ok && j < len(g.taps) && close(g.taps[j], w.taps[j])
			}
			if !ok {
				t.Errorf("%s: blur %d = %+v, want %+v", s.name, i, g, w)
			}
		}
	}
}

// BenchmarkFFTPlane compares the transforms of a plane with the radix-2
// reference's, at the sizes of deblurring and unshaking: the real
// forward transform newBlurWork makes, and the inverse undo makes
// (go test -bench FFTPlane ./scan; benchstat -col /impl).
func BenchmarkFFTPlane(b *testing.B) {
	for _, n := range []int{maxDeblur, maxMotion} {
		f, r := newFFT(n), newRefFFT(n)
		a := make([]complex128, n*n)
		fill := func() {
			for i := range a {
				a[i] = complex(float64(i%251), 0)
			}
		}
		for _, tc := range []struct {
			name, impl string
			do         func([]complex128)
		}{
			{"real", "ref", r.real2}, {"real", "new", f.real2},
			{"inverse", "ref", func(a []complex128) { r.do2(a, true) }}, {"inverse", "new", func(a []complex128) { f.do2(a, true) }},
		} {
			b.Run(fmt.Sprintf("%s/n=%d/impl=%s", tc.name, n, tc.impl), func(b *testing.B) {
				for b.Loop() {
					fill()
					tc.do(a)
				}
			})
		}
	}
}

// BenchmarkBlurWork compares newBlurWork and undo with the reference's,
// on a picture deblurring restores (a square of 256) and one unshaking
// restores (512): newBlurWork, and undo of every pair of the blurs each
// tries (go test -bench BlurWork ./scan; benchstat -col /impl).
func BenchmarkBlurWork(b *testing.B) {
	for _, s := range blurSamples(b) {
		if s.name != "shake" && s.name != "trail" {
			continue
		}
		r := s.area
		work := newBlurWork(s.pix, s.w, s.h, s.stride, r, s.module, s.maxSide)
		ks := s.blurs(work)
		for _, impl := range []string{"ref", "new"} {
			b.Run(fmt.Sprintf("newBlurWork/%s/impl=%s", s.name, impl), func(b *testing.B) {
				for b.Loop() {
					if impl == "ref" {
						refNewBlurWork(s.pix, s.w, s.h, s.stride, r, s.module, s.maxSide)
					} else {
						newBlurWork(s.pix, s.w, s.h, s.stride, r, s.module, s.maxSide)
					}
				}
			})
		}
		for _, impl := range []string{"ref", "new"} {
			b.Run(fmt.Sprintf("undo/%s/impl=%s", s.name, impl), func(b *testing.B) {
				for b.Loop() {
					for i := 0; i < len(ks); i += 2 {
						if impl == "ref" {
							refUndo(work, ks[i:])
						} else {
							work.undo(ks[i:])
						}
					}
				}
			})
		}
	}
}
