package scan

import (
	"image"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/degrade"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

// TestFFT checks the transform against a direct DFT, and that the inverse
// undoes it.
func TestFFT(t *testing.T) {
	const n = 16
	rng := rand.New(rand.NewPCG(1, 2))
	a := make([]complex128, n*n)
	for i := range a {
		a[i] = complex(rng.Float64(), rng.Float64())
	}
	f := newFFT(n)
	got := append([]complex128(nil), a...)
	f.do2(got, false)
	for _, k := range [][2]int{{0, 0}, {1, 0}, {3, 5}, {15, 9}} {
		var want complex128
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				want += a[y*n+x] * cmplx.Exp(complex(0, -2*math.Pi*float64(k[0]*x+k[1]*y)/n))
			}
		}
		if d := cmplx.Abs(got[k[1]*n+k[0]] - want); d > 1e-9 {
			t.Errorf("do2 at %v = %v, want %v", k, got[k[1]*n+k[0]], want)
		}
	}
	f.do2(got, true)
	for i := range a {
		if cmplx.Abs(got[i]-a[i]) > 1e-9 {
			t.Fatalf("do2(do2(a)) [%d] = %v, want %v", i, got[i], a[i])
		}
	}
}

// TestFFTReal checks the transform of real samples against the complex
// one, at the sizes deblurring uses.
func TestFFTReal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{2, 4, 64, 256} {
		a := make([]complex128, n*n)
		for i := range a {
			a[i] = complex(rng.Float64()*255, 0)
		}
		f := newFFT(n)
		want := append([]complex128(nil), a...)
		f.do2(want, false)
		f.real2(a)
		for i := range a {
			if d := cmplx.Abs(a[i] - want[i]); d > 1e-6*float64(n*n) {
				t.Fatalf("n=%d: real2 [%d] = %v, want %v", n, i, a[i], want[i])
			}
		}
	}
}

// TestDeblurShake reads a symbol smeared by two modules of camera shake,
// which only the deblurring step reads, and checks that the smear the
// cepstrum finds is the one made.
func TestDeblurShake(t *testing.T) {
	text := testcode.Issue(3, codec.Colour(0), codec.Kind(1))
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	p := degrade.Params{Width: 640, Height: 480, PPM: 5.5, Angle: 8, Motion: 12, MotionAngle: 75, Noise: 4, Seed: 9}
	img, _, err := degrade.Make(q, p)
	if err != nil {
		t.Fatal(err)
	}
	pix, w, h, stride := luminance(img)
	b := newBlurWork(pix, w, h, stride, image.Rect(0, 0, w, h), 0, maxDeblur)
	ks := b.smears()
	if len(ks) == 0 {
		t.Fatalf("smears() found none, want one of %.0f px at %.0f°", p.Motion, p.MotionAngle)
	}
	// The picture's smear of 12 px at 75° in the region's pixels; a
	// straight smear of taps 0…L is L+1 wide.
	want := (p.Motion + 1) * b.scale
	if l, a := ks[0].length, ks[0].angle*180/math.Pi; math.Abs(l-want) > 1.5 || math.Abs(math.Mod(a-p.MotionAngle+360+90, 180)-90) > 6 {
		t.Errorf("smears()[0] = %.1f px at %.0f°, want %.1f px at %.0f°", l, a, want, p.MotionAngle)
	}
	fs, last, err := scanAll(pix, w, h, stride)
	if err != nil || len(fs) != 1 || fs[0].text != text {
		t.Fatalf("scanAll(shaken) = %d symbols, %v", len(fs), err)
	}
	if last != "deblurred" {
		t.Errorf("scanAll(shaken) read at step %q, want deblurred (the test no longer needs deblurring)", last)
	}
}

// TestDeblurSmallRegion: a region too small to deblur reads nothing and
// does not panic.
func TestDeblurSmallRegion(t *testing.T) {
	pix := make([]byte, 30*30)
	s := &scanner{}
	if fs := s.deblur(pix, 30, 30, 30, site{area: image.Rect(0, 0, 30, 30)}); fs != nil {
		t.Fatalf("deblur(30×30 blank) = %v, want nothing", fs)
	}
}

// TestUnblurModules blurs a symbol's modules with a lopsided kernel two
// modules long (a smear one way plus some defocus, as module centres see
// it) and checks that unblurModules gets a twentieth as many modules
// wrong as a plain threshold, and under 1 % (error correction reads the
// rest).
func TestUnblurModules(t *testing.T) {
	q, err := render.NewQR(testcode.Issue(5, codec.Colour(1), codec.Kind(0)), render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	img := q.Image(1) // modules, with a quiet zone of 4
	dim := img.Rect.Dx() - 8
	const qz = 2
	n := dim + 2*qz
	dark := func(x, y int) float64 { // x, y in the sampled grid
		if img.Pix[(y-qz+4)*img.Stride+x-qz+4] == 0 {
			return 1
		}
		return 0
	}
	kernel := map[[2]int]float64{{0, 0}: 0.35, {1, 0}: 0.2, {2, 0}: 0.1, {-1, 0}: 0.1, {0, 1}: 0.1, {0, -1}: 0.1, {1, 1}: 0.05}
	vals := make([]float64, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			s := 0.0
			for d, w := range kernel {
				xx, yy := min(max(x+d[0], 0), n-1), min(max(y+d[1], 0), n-1)
				s += w * dark(xx, yy)
			}
			vals[y*n+x] = 220 - 180*s // dark low
		}
	}
	ver, err := decoder.Version_GetProvisionalVersionForDimension(dim)
	if err != nil {
		t.Fatal(err)
	}
	wrong := func(b *gozxing.BitMatrix) int {
		k := 0
		for y := 0; y < dim; y++ {
			for x := 0; x < dim; x++ {
				if b.Get(x, y) != (dark(x+qz, y+qz) == 1) {
					k++
				}
			}
		}
		return k
	}
	plain, _ := gozxing.NewSquareBitMatrix(dim)
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			if vals[(y+qz)*n+x+qz] < 130 {
				plain.Set(x, y)
			}
		}
	}
	if wrong(plain) == 0 {
		t.Fatalf("the blur leaves a plain threshold right: the test no longer tests anything")
	}
	got, ok := unblurModules(vals, dim, qz, ver)
	if !ok {
		t.Fatalf("unblurModules found no weights")
	}
	if k, p := wrong(got), wrong(plain); 20*k > p || 100*k > dim*dim {
		t.Errorf("unblurModules got %d of %d modules wrong, a plain threshold %d", k, dim*dim, p)
	}
}

// BenchmarkFFT compares the transform of a deblurring square's real
// samples by real2 with the complex transform (go test -bench FFT ./scan).
func BenchmarkFFT(b *testing.B) {
	const n = maxDeblur
	f := newFFT(n)
	a := make([]complex128, n*n)
	for _, tc := range []struct {
		name string
		do   func([]complex128)
	}{{"complex", func(a []complex128) { f.do2(a, false) }}, {"real", f.real2}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				for i := range a {
					a[i] = complex(float64(i%251), 0)
				}
				tc.do(a)
			}
		})
	}
}

// TestSolveModulesTaps checks that solveModules, which reads the taps of
// inner modules without clamping, gives exactly what clamping every tap
// gives (solveModulesClamped, the plain form).
func TestSolveModulesTaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 29
	vals, known := make([]float64, n*n), make([]float64, n*n)
	for i := range vals {
		vals[i] = rng.Float64()
		known[i] = float64(rng.IntN(3) - 1)
	}
	w := make([]float64, modUnknowns)
	for i := range w {
		w[i] = rng.Float64() / 10
	}
	got, want := solveModules(vals, known, n, w), solveModulesClamped(vals, known, n, w)
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("solveModules [%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func solveModulesClamped(vals, known []float64, n int, w []float64) []float64 {
	const side = 2*modR + 1
	m := make([]float64, n*n)
	for i, k := range known {
		m[i] = k
		if k < 0 {
			m[i] = 0.5
		}
	}
	norm := 0.0
	for _, c := range w[:side*side] {
		norm += math.Abs(c)
	}
	step := 1 / (norm * norm)
	res := make([]float64, n*n)
	at := func(x, y int) int { return min(max(y, 0), n-1)*n + min(max(x, 0), n-1) }
	for it, moved := 0, 1.0; it < modIters && moved > 0.002; it++ {
		moved = 0
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				s, i := w[side*side], 0
				for dy := -modR; dy <= modR; dy++ {
					for dx := -modR; dx <= modR; dx++ {
						s += w[i] * m[at(x+dx, y+dy)]
						i++
					}
				}
				res[y*n+x] = vals[y*n+x] - s
			}
		}
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if known[y*n+x] >= 0 {
					continue
				}
				gsum, i := 0.0, 0
				for dy := -modR; dy <= modR; dy++ {
					for dx := -modR; dx <= modR; dx++ {
						gsum += w[i] * res[at(x-dx, y-dy)]
						i++
					}
				}
				v := min(max(m[y*n+x]+step*gsum, 0), 1)
				moved = max(moved, math.Abs(v-m[y*n+x]))
				m[y*n+x] = v
			}
		}
	}
	return m
}

// BenchmarkSolveModules compares solveModules with every tap clamped
// (go test -bench SolveModules ./scan), on a version 6 symbol's grid.
func BenchmarkSolveModules(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 41 + 4
	vals, known := make([]float64, n*n), make([]float64, n*n)
	for i := range vals {
		vals[i] = rng.Float64()
		known[i] = -1
	}
	w := make([]float64, modUnknowns)
	for i := range w {
		w[i] = rng.Float64() / 10
	}
	for _, tc := range []struct {
		name  string
		solve func(vals, known []float64, n int, w []float64) []float64
	}{{"clamped", solveModulesClamped}, {"inner", solveModules}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				tc.solve(vals, known, n, w)
			}
		})
	}
}
