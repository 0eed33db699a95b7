package scan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	"github.com/offcode/offcode/render"
)

// TestThresholdSame checks threshold, which fills one bit matrix in
// place, against the per-module thresholds it replaced (thresholdsRef),
// bit for bit, on random planes of several sides, reusing one matrix as
// gridDecodeDim does.
func TestThresholdSame(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	for _, dim := range []int{21, 25, 45, 57, 101} {
		vals := make([]float64, dim*dim)
		for i := range vals {
			vals[i] = rng.Float64()*255 - 128
		}
		sat := summedArea(vals, dim)
		bits, _ := gozxing.NewSquareBitMatrix(dim)
		for k, ref := range thresholdsRef(vals, dim) {
			threshold(bits, vals, sat, dim, thresholdWindows[k])
			set := 0
			for i, v := range vals {
				want := v < ref[i]
				if bits.Get(i%dim, i/dim) != want {
					t.Fatalf("dim %d window %d: module (%d, %d) = %v, want %v", dim, thresholdWindows[k], i%dim, i/dim, !want, want)
				}
				if want {
					set++
				}
			}
			if set == 0 || set == len(vals) {
				t.Fatalf("dim %d window %d: %d of %d modules dark; the test proves nothing", dim, thresholdWindows[k], set, len(vals))
			}
		}
	}
}

// thresholdsRef is gridDecodeDim's former thresholds: per-module
// thresholds, the mean of the modules in a window around each, at two
// window sizes.
func thresholdsRef(vals []float64, dim int) [][]float64 {
	sat := make([]float64, (dim+1)*(dim+1))
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			sat[(y+1)*(dim+1)+x+1] = vals[y*dim+x] + sat[y*(dim+1)+x+1] + sat[(y+1)*(dim+1)+x] - sat[y*(dim+1)+x]
		}
	}
	var out [][]float64
	for _, r := range []int{4, 9} {
		t := make([]float64, len(vals))
		for y := 0; y < dim; y++ {
			y0, y1 := max(y-r, 0), min(y+r+1, dim)
			for x := 0; x < dim; x++ {
				x0, x1 := max(x-r, 0), min(x+r+1, dim)
				s := sat[y1*(dim+1)+x1] - sat[y0*(dim+1)+x1] - sat[y1*(dim+1)+x0] + sat[y0*(dim+1)+x0]
				t[y*dim+x] = s / float64((y1-y0)*(x1-x0))
			}
		}
		out = append(out, t)
	}
	return out
}

// likelySymbol returns a blurred rendered symbol, 3 px a module, its side
// in modules and its finder pattern centres, for likelyDims.
func likelySymbol(tb testing.TB) (grey, int, []pt) {
	const text = "OC1:LIKELY DIMS 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./: 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		tb.Fatal(err)
	}
	const scale = 3
	img := q.Image(scale)
	g := grey{smooth(img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride), img.Rect.Dx(), img.Rect.Dy(), img.Rect.Dx()}
	const quiet = 4 // render draws the 4-module quiet zone of ISO/IEC 18004
	size := img.Rect.Dx()/scale - 2*quiet
	c := func(m float64) float64 { return (quiet + m) * scale }
	n := float64(size)
	return g, size, []pt{{c(3.5), c(3.5)}, {c(n - 3.5), c(3.5)}, {c(3.5), c(n - 3.5)}}
}

// BenchmarkLikelyDims scores the candidate sides of a blurred symbol
// whose module size is overestimated by a quarter.
func BenchmarkLikelyDims(b *testing.B) {
	g, size, finders := likelySymbol(b)
	est := (float64(size)-7)/1.25 + 7
	for b.Loop() {
		likelyDims(&g, finders, est, false)
	}
}

// TestTimingScoreSame checks timingScore, which shares the positions
// along the two timing patterns, against the one it replaced
// (timingScoreRef), bit for bit: on the rendered symbol at every side
// likelyDims might try, dark on light and inverted, on random planes
// with random finder patterns, and with patterns near the plane's edge.
func TestTimingScoreSame(t *testing.T) {
	g, _, finders := likelySymbol(t)
	rng := rand.New(rand.NewPCG(14, 15))
	noise := grey{make([]byte, g.w*g.h), g.w, g.h, g.w}
	for i := range noise.pix {
		noise.pix[i] = byte(rng.IntN(256))
	}
	alternates := 0
	check := func(g *grey, finders []pt) {
		for v := 1; v <= 40; v++ {
			for _, inv := range []bool{false, true} {
				got, want := timingScore(g, finders, 4*v+17, inv), timingScoreRef(g, finders, 4*v+17, inv)
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("timingScore(%v, side %d, inverted %v) = %v, want %v", finders, 4*v+17, inv, got, want)
				}
				if got >= 0.2 {
					alternates++
				}
			}
		}
	}
	check(&g, finders)
	if alternates == 0 {
		t.Fatal("no side of the rendered symbol scored 0.2; the test proves nothing")
	}
	for range 40 {
		fs := make([]pt, 3)
		for i := range fs {
			fs[i] = pt{rng.Float64()*float64(g.w+20) - 10, rng.Float64()*float64(g.h+20) - 10}
		}
		check(&noise, fs)
		check(&g, fs)
	}
}
func timingScoreRef(g *grey, finders []pt, dim int, inverted bool) float64 {
	n := float64(dim)
	h, ok := fit([]pt{{3.5, 3.5}, {n - 3.5, 3.5}, {3.5, n - 3.5}}, finders)
	if !ok {
		return 0
	}
	total := 0.0
	for _, line := range [2][2]pt{{{3.5, 6.5}, {n - 3.5, 6.5}}, {{6.5, 3.5}, {6.5, n - 3.5}}} {
		a, b := h.apply(line[0]), h.apply(line[1])
		best := -1.0
		for _, k := range []float64{1, 0.85, 1 / 0.85, 0.7, 1 / 0.7, 0.55, 1 / 0.55} {
			var sx, sxx, sxy, se float64
			m := 0
			for i := 8; i < dim-8; i++ {
				t := (float64(i) + 0.5 - 3.5) / (n - 7)
				t = k * t / (1 + (k-1)*t)
				p := pt{a.x + t*(b.x-a.x), a.y + t*(b.y-a.y)}
				if !g.inside(p) {
					continue // cut off by the frame
				}
				v := g.at(p)
				e := 1.0 // light
				if i%2 == 0 {
					e = -1
				}
				if inverted {
					e = -e
				}
				sx += v
				sxx += v * v
				sxy += v * e
				se += e
				m++
			}
			if 2*m < dim-16 {
				return 0 // most of the pattern cut off
			}
			// Σ(v-mean)e = Σve - mean·Σe; Σe² = m.
			mean := sx / float64(m)
			vx := sxx - float64(m)*mean*mean
			if vx <= 0 {
				continue
			}
			best = math.Max(best, (sxy-mean*se)/math.Sqrt(vx*float64(m)))
		}
		total += best
	}
	return total / 2
}

// TestGreyAtSame checks grey.at against the one it replaced (greyAtRef),
// bit for bit, at random points in and around planes whose stride is
// and is not their width, and at their corners.
func TestGreyAtSame(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 17))
	for _, size := range [][3]int{{2, 2, 2}, {7, 5, 7}, {40, 30, 41}, {33, 64, 50}} {
		w, h, str := size[0], size[1], size[2]
		g := &grey{make([]byte, (h-1)*str+w), w, h, str}
		for i := range g.pix {
			g.pix[i] = byte(rng.IntN(256))
		}
		ps := []pt{{0, 0}, {float64(w), float64(h)}, {float64(w) - 0.5, 0.5}, {-3, 2}, {2, float64(h) + 9}, {math.NaN(), 1}}
		for range 2000 {
			ps = append(ps, pt{rng.Float64()*float64(w+4) - 2, rng.Float64()*float64(h+4) - 2})
		}
		for _, p := range ps {
			if got, want := g.at(p), greyAtRef(g, p); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("%dx%d stride %d: at(%v) = %v, want %v", w, h, str, p, got, want)
			}
		}
	}
}

func greyAtRef(g *grey, p pt) float64 {
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
	r0, r1 := g.pix[y0*g.str+x0:], g.pix[(y0+1)*g.str+x0:]
	a := float64(r0[0])*(1-tx) + float64(r0[1])*tx
	b := float64(r1[0])*(1-tx) + float64(r1[1])*tx
	return a*(1-ty) + b*ty
}

// BenchmarkGreyAt samples a plane at 4096 points inside it.
func BenchmarkGreyAt(b *testing.B) {
	rng := rand.New(rand.NewPCG(18, 19))
	const w, h = 640, 480
	g := &grey{make([]byte, w*h), w, h, w}
	for i := range g.pix {
		g.pix[i] = byte(rng.IntN(256))
	}
	ps := make([]pt, 4096)
	for i := range ps {
		ps[i] = pt{rng.Float64() * w, rng.Float64() * h}
	}
	sum := 0.0
	for b.Loop() {
		for _, p := range ps {
			sum += g.at(p)
		}
	}
	if sum == 0 {
		b.Fatal("no samples")
	}
}

// BenchmarkGridDecode reads likelySymbol's blurred symbol through
// gridDecode from its finder pattern centres.
func BenchmarkGridDecode(b *testing.B) {
	g, _, f := likelySymbol(b)
	info := detector.NewFinderPatternInfo(
		detector.NewFinderPattern1(f[2].x, f[2].y, 3),
		detector.NewFinderPattern1(f[0].x, f[0].y, 3),
		detector.NewFinderPattern1(f[1].x, f[1].y, 3),
	)
	dec := decoder.NewDecoder()
	for b.Loop() {
		if _, _, ok := gridDecode(&g, info, false, dec); !ok {
			b.Fatal("gridDecode failed")
		}
	}
}

// TestTimingErrors counts the timing pattern modules that break the
// alternation: none on a rendered symbol, all on its inverse, and the
// share of those flipped.
func TestTimingErrors(t *testing.T) {
	q, err := render.NewQR("OC1:TIMING ERRORS 0123456789", render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	img := q.Image(1)
	const quiet = 4
	dim := img.Rect.Dx() - 2*quiet
	bits, _ := gozxing.NewSquareBitMatrix(dim)
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			if img.Pix[(y+quiet)*img.Stride+x+quiet] < 128 {
				bits.Set(x, y)
			}
		}
	}
	if e := timingErrors(bits, dim); e != 0 {
		t.Errorf("timingErrors(symbol) = %v, want 0", e)
	}
	n := 2 * (dim - 16)
	bits.Flip(8, 6)
	bits.Flip(6, 9)
	bits.Flip(6, 10)
	if e, want := timingErrors(bits, dim), 3/float64(n); e != want {
		t.Errorf("timingErrors(3 modules flipped) = %v, want %v", e, want)
	}
	bits.FlipAll()
	if e, want := timingErrors(bits, dim), float64(n-3)/float64(n); e != want {
		t.Errorf("timingErrors(inverse) = %v, want %v", e, want)
	}
}
