package scan

import (
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/detector"

	"github.com/offcode/offcode/render"
)

// TestLocalMatrix checks the sliding-window binariser, which compares
// without dividing and keeps a ring of integral rows (of 2r+2 rows: some
// planes here are shorter, some taller), against the window mean computed
// pixel by pixel.
func TestLocalMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sz := range [][3]int{{37, 23, 41}, {100, 70, 100}, {7, 5, 9}, {21, 30, 21}, {22, 3, 25}} {
		testLocalMatrix(t, rng, sz[0], sz[1], sz[2])
	}
}

func testLocalMatrix(t *testing.T, rng *rand.Rand, w, h, str int) {
	pix := make([]byte, h*str)
	for i := range pix {
		pix[i] = byte(rng.IntN(256))
		if i%7 == 0 {
			pix[i] = 0
		}
	}
	g := &grey{pix, w, h, str}
	for _, r := range []int{1, 5, 10} {
		for _, invert := range []bool{false, true} {
			m := localMatrix(g, r, 2, invert)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					sum, n := 0, 0
					for yy := max(y-r, 0); yy < min(y+r+1, h); yy++ {
						for xx := max(x-r, 0); xx < min(x+r+1, w); xx++ {
							sum += int(pix[yy*str+xx])
							n++
						}
					}
					v, mean := int(pix[y*str+x]), sum/n
					want := v <= mean-2
					if invert {
						want = v >= mean+2
					}
					if m.Get(x, y) != want {
						t.Fatalf("%d×%d, r %d invert %v: pixel (%d,%d) = %v, want %v (value %d, mean %d)", w, h, r, invert, x, y, m.Get(x, y), want, v, mean)
					}
				}
			}
		}
	}
}

// hybridMatrix binarises the plane exactly as gozxing's HybridBinarizer
// does (a threshold per 8×8 block from the black points of the 5×5 blocks
// around it), bit for bit, but reads the plane in place and sets eight
// pixels at a time. Planes smaller than 40 pixels either way, where gozxing
// falls back to its global histogram, return nil. (The scan's attempts
// share a plane's block statistics: binarise calls blockStats and
// hybridFrom; the tests call this.)
func hybridMatrix(g *grey) *gozxing.BitMatrix {
	return hybridFrom(g, blockStats(g), false)
}

// TestHybridMatrix checks hybridMatrix, and hybridFrom of the inverted
// plane, against gozxing's HybridBinarizer (of an inverted luminance
// source), bit for bit, on noisy planes of awkward sizes with flat regions (where
// black points come from the neighbours) and strides wider than the rows,
// and on planes of the whole range, black and white regions included
// (thresholds of 0 and 255).
func TestHybridMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i, sz := range [][2]int{{40, 40}, {41, 57}, {100, 63}, {255, 129}, {333, 71}, {40, 40}, {97, 66}, {256, 80}} {
		w, h := sz[0], sz[1]
		str := w + 5
		pix := make([]byte, h*str)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := 128 + 60*((x/7+y/9)%2) + rng.IntN(20)
				if (x/23+y/17)%3 == 0 {
					v = 90 + rng.IntN(4) // flat: low dynamic range
				}
				if i >= 5 {
					switch (x/19 + y/13) % 4 {
					case 0:
						v = 0
					case 1:
						v = 255
					case 2:
						v = 255 * ((x / 3) % 2)
					default:
						v = rng.IntN(256)
					}
				}
				pix[y*str+x] = byte(v)
			}
		}
		g := &grey{pix, w, h, str}
		stats := blockStats(g)
		for _, inverted := range []bool{false, true} {
			got := hybridFrom(g, stats, inverted)
			if !inverted {
				got = hybridMatrix(g)
			}
			var src gozxing.LuminanceSource = newPlaneSource(pix, w, h, str)
			if inverted {
				src = src.Invert()
			}
			want, err := gozxing.NewHybridBinarizer(src).GetBlackMatrix()
			if err != nil {
				t.Fatal(err)
			}
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					if got.Get(x, y) != want.Get(x, y) {
						t.Fatalf("%d×%d, inverted %v: pixel (%d,%d) = %v, gozxing %v", w, h, inverted, x, y, got.Get(x, y), want.Get(x, y))
					}
				}
			}
		}
	}
	if hybridMatrix(&grey{make([]byte, 39*100), 39, 100, 39}) != nil {
		t.Error("hybridMatrix of a 39-pixel-wide plane is not nil")
	}
}

// TestResize checks resize, which interpolates each source row once,
// against bilinear interpolation computed pixel by pixel in the same
// fixed point.
func TestResize(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range [][5]int{
		// Source width, height, stride; output width, height.
		{53, 37, 60, 106, 74}, {53, 37, 60, 74, 51}, {53, 37, 60, 26, 18}, {53, 37, 60, 53, 37}, {53, 37, 60, 200, 21},
		{2, 2, 2, 4, 4}, {3, 7, 5, 6, 14}, {17, 2, 20, 34, 4}, {64, 9, 64, 128, 18},
	} {
		testResize(t, rng, c[0], c[1], c[2], c[3], c[4])
	}
}

func testResize(t *testing.T, rng *rand.Rand, w, h, str, rw, rh int) {
	pix := make([]byte, h*str)
	for i := range pix {
		pix[i] = byte(rng.IntN(256))
		if i%3 == 0 {
			pix[i] = 255 // the extremes, where rounding would overflow
		}
	}
	got := resize(pix, w, h, str, rw, rh)
	fx, fy := (w<<16)/rw, (h<<16)/rh
	for y := 0; y < rh; y++ {
		sy := max((2*y+1)*fy/2-1<<15, 0)
		y0 := min(sy>>16, h-1)
		y1 := min(y0+1, h-1)
		ty := int32(sy&0xffff) >> 8
		for x := 0; x < rw; x++ {
			sx := max((2*x+1)*fx/2-1<<15, 0)
			x0 := min(sx>>16, w-1)
			x1, tx := min(x0+1, w-1), int32(sx&0xffff)>>8
			if x0 == w-1 {
				tx = 0
			}
			at := func(x, y int) int32 { return int32(pix[y*str+x]) }
			a := at(x0, y0)*(256-tx) + at(x1, y0)*tx
			b := at(x0, y1)*(256-tx) + at(x1, y1)*tx
			if want := byte((a*(256-ty) + b*ty + 1<<15) >> 16); got[y*rw+x] != want {
				t.Fatalf("%d×%d: pixel (%d,%d) = %d, want %d", rw, rh, x, y, got[y*rw+x], want)
			}
		}
	}
}

// TestAlignSearch checks alignSearch, which shares samples between
// candidates, against scoring every candidate on its own.
func TestAlignSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const w, h = 120, 110
	pix := make([]byte, w*h)
	for i := range pix {
		pix[i] = byte(rng.IntN(256))
	}
	g := &grey{pix, w, h, w}
	// A tilted, rotated grid of 4.3 px modules.
	hm, ok := fit([]pt{{3.5, 3.5}, {21.5, 3.5}, {3.5, 21.5}, {18.5, 18.5}}, []pt{{10, 12}, {90, 20}, {5, 95}, {80, 85}})
	if !ok {
		t.Fatal("fit failed")
	}
	for _, a := range []pt{{18.5, 18.5}, {6.5, 10.5}, {0.5, 24.5}} {
		for _, sign := range []float64{1, -1} {
			best, bestScore := pt{}, 0.0
			for dv := -2.0; dv <= 2; dv += 0.25 {
				for du := -2.0; du <= 2; du += 0.25 {
					c := pt{a.x + du, a.y + dv}
					var ring1, ring2 float64
					for dy := -2.0; dy <= 2; dy++ {
						for dx := -2.0; dx <= 2; dx++ {
							v := g.at(hm.apply(pt{c.x + dx, c.y + dy}))
							if max(dx, -dx, dy, -dy) == 1 {
								ring1 += v
							} else {
								ring2 += v
							}
						}
					}
					if s := sign * (ring1/8 - ring2/17); s > bestScore {
						best, bestScore = c, s
					}
				}
			}
			if bestScore == 0 {
				t.Fatalf("a %v sign %v: no candidate scored above 0; the test proves nothing", a, sign)
			}
			gotP, gotS := alignSearch(g, &hm, a, sign)
			if gotP != best || gotS != bestScore {
				t.Errorf("alignSearch(%v, %v) = %v %v, want %v %v", a, sign, gotP, gotS, best, bestScore)
			}
		}
	}
}

// TestEdgeCentres finds the three finder patterns of a small blurred
// symbol (3 px per module, smoothed twice) from the grey plane's edges,
// dark on light and inverted, each within a pixel and a half of its
// centre, and nothing on a blank plane.
func TestEdgeCentres(t *testing.T) {
	q, err := render.NewQR("OC1:EDGE CENTRES 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ", render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	const scale = 3
	img := q.Image(scale)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	pix := smooth(smooth(img.Pix, w, h, img.Stride), w, h, w)
	const quiet = 4 // render draws the 4-module quiet zone of ISO/IEC 18004
	c := func(m float64) float64 { return (quiet + m) * scale }
	n := float64(w/scale - 2*quiet)
	want := []pt{{c(3.5), c(3.5)}, {c(n - 3.5), c(3.5)}, {c(3.5), c(n - 3.5)}}
	inv := make([]byte, len(pix))
	for i, v := range pix {
		inv[i] = 255 - v
	}
	for _, tc := range []struct {
		name     string
		pix      []byte
		inverted bool
	}{{"dark on light", pix, false}, {"inverted", inv, true}} {
		got := edgeCentres(&grey{tc.pix, w, h, w}, tc.inverted, nil)
		for _, p := range want {
			ok := false
			for _, f := range got {
				ok = ok || math.Hypot(f.GetX()-p.x, f.GetY()-p.y) < 1.5
			}
			if !ok {
				t.Errorf("%s: edgeCentres found no pattern at (%.1f, %.1f); found %d", tc.name, p.x, p.y, len(got))
			}
		}
		if len(got) > 3 {
			t.Errorf("%s: edgeCentres found %d patterns, want 3", tc.name, len(got))
		}
	}
	blank := make([]byte, w*h)
	for i := range blank {
		blank[i] = 200
	}
	if got := edgeCentres(&grey{blank, w, h, w}, false, nil); len(got) != 0 {
		t.Errorf("edgeCentres(blank) = %d patterns, want 0", len(got))
	}
}

// benchPhoto returns the luminance plane of a 1280×720 held-out photo,
// the input of the plane benchmarks.
func benchPhoto(b *testing.B) (pix []byte, w, h, stride int) {
	b.Helper()
	return jpegPlane(b, "testdata/photos/combination_49.jpg")
}

// jpegPlane returns the luminance plane of the JPEG file name.
func jpegPlane(tb testing.TB, name string) (pix []byte, w, h, stride int) {
	tb.Helper()
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	img, err := jpeg.Decode(f)
	f.Close()
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return luminance(img)
}

// BenchmarkLocalMatrix binarises a 1280×720 photo with the sliding
// window of the scan's local5 step, its ring of integral rows included.
func BenchmarkLocalMatrix(b *testing.B) {
	pix, w, h, stride := benchPhoto(b)
	g := &grey{pix, w, h, stride}
	for b.Loop() {
		localMatrix(g, 5, 2, false)
	}
}

// TestSmooth checks the 3×3 box filter against the mean of the nine
// pixels around each one, computed pixel by pixel (borders repeat).
func TestSmooth(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sz := range [][3]int{{1, 1, 1}, {1, 5, 3}, {2, 1, 2}, {5, 2, 7}, {37, 23, 41}, {64, 64, 64}} {
		w, h, str := sz[0], sz[1], sz[2]
		pix := make([]byte, (h-1)*str+w)
		for i := range pix {
			pix[i] = byte(rng.IntN(256))
		}
		got := smooth(pix, w, h, str)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				sum := 0
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						xx, yy := min(max(x+dx, 0), w-1), min(max(y+dy, 0), h-1)
						sum += int(pix[yy*str+xx])
					}
				}
				if want := byte((sum + 4) / 9); got[y*w+x] != want {
					t.Fatalf("%d×%d stride %d: pixel (%d,%d) = %d, want %d", w, h, str, x, y, got[y*w+x], want)
				}
			}
		}
	}
}

// BenchmarkSmooth smooths a 1280×720 photo.
func BenchmarkSmooth(b *testing.B) {
	pix, w, h, stride := benchPhoto(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		smooth(pix, w, h, stride)
	}
}

// BenchmarkHybridMatrix binarises a 1280×720 photo as gozxing's hybrid
// binariser does.
func BenchmarkHybridMatrix(b *testing.B) {
	pix, w, h, stride := benchPhoto(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		hybridMatrix(&grey{pix, w, h, stride})
	}
}

// TestFinderCentresSame checks finderCentres, which reads rows by runs,
// against gozxing's MultiFinderPatternFinder.FindMulti pixel by pixel:
// the same centres, module sizes and counts, in the same order, on the
// hybrid and sliding-window matrices of pictures of the held-out sets
// (single symbols, batch pages, failures), of sharp symbols and of noise
// (many candidates), with and without TRY_HARDER.
func TestFinderCentresSame(t *testing.T) {
	var planes []*grey
	for _, f := range []string{
		"photos/combination_49.jpg", "photos/paper_noise_32.jpg", "photos/small_07.jpg", "photos/low_contrast_16.jpg",
		"print/batch_tilted_0.jpg", "print/sheet_blurred_1.jpg",
	} {
		pix, w, h, stride := jpegPlane(t, "testdata/"+f)
		planes = append(planes, &grey{pix, w, h, stride})
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sz := range [][2]int{{301, 203}, {64, 97}} {
		w, h := sz[0], sz[1]
		pix := make([]byte, w*h)
		for i := range pix {
			// Runs of random lengths, some the ratio of a finder pattern.
			pix[i] = byte(255 * ((i/(1+rng.IntN(4)) + i/w) % 2))
		}
		planes = append(planes, &grey{pix, w, h, w})
	}
	// Sharp symbols at 1 to 4 pixels per module: light runs of every
	// length after a finder pattern.
	q, err := render.NewQR("OC1:FINDER CENTRES 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ", render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	for scale := 1; scale <= 4; scale++ {
		img := q.Image(scale)
		planes = append(planes, &grey{img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride})
	}
	for pi, g := range planes {
		for _, m := range []*gozxing.BitMatrix{hybridMatrix(g), localMatrix(g, 5, 2, false)} {
			for _, harder := range []bool{false, true} {
				var hints map[gozxing.DecodeHintType]interface{}
				if harder {
					hints = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
				}
				f := multidetector.NewMultiFinderPatternFinder(m, nil)
				f.FindMulti(hints)
				want := f.GetPossibleCenters()
				got := finderCentres(m, harder)
				if len(got) != len(want) {
					t.Fatalf("plane %d, harder %v: %d centres, FindMulti %d", pi, harder, len(got), len(want))
				}
				for i := range got {
					a, b := got[i], want[i]
					if a.GetX() != b.GetX() || a.GetY() != b.GetY() || a.GetEstimatedModuleSize() != b.GetEstimatedModuleSize() || a.GetCount() != b.GetCount() {
						t.Fatalf("plane %d, harder %v: centre %d = (%v, %v, %v, %d), FindMulti (%v, %v, %v, %d)", pi, harder, i,
							a.GetX(), a.GetY(), a.GetEstimatedModuleSize(), a.GetCount(), b.GetX(), b.GetY(), b.GetEstimatedModuleSize(), b.GetCount())
					}
				}
			}
		}
	}
}

// BenchmarkFinderCentres finds the finder pattern centres of a 1280×720
// photo's hybrid matrix.
func BenchmarkFinderCentres(b *testing.B) {
	pix, w, h, stride := benchPhoto(b)
	m := hybridMatrix(&grey{pix, w, h, stride})
	for b.Loop() {
		finderCentres(m, true)
	}
}

// TestFoundPatternCross checks foundPatternCross, in integers, against
// gozxing's in floats on every five runs of 0 to 13 pixels and on long
// runs.
func TestFoundPatternCross(t *testing.T) {
	sc := make([]int, 5)
	check := func() {
		if got, want := foundPatternCross(sc), detector.FinderPatternFinder_foundPatternCross(sc); got != want {
			t.Fatalf("foundPatternCross(%v) = %v, gozxing %v", sc, got, want)
		}
	}
	for i := range 14 * 14 * 14 * 14 * 14 {
		for k, n := 0, i; k < 5; k, n = k+1, n/14 {
			sc[k] = n % 14
		}
		check()
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100000 {
		m := 1 + rng.IntN(200)
		for k := range sc {
			sc[k] = max(0, m*(1+2*btoi(k == 2))+rng.IntN(m+1)-m/2)
		}
		check()
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkResize2x doubles a 1280×720 photo, as the scan's step on the
// picture at twice its size does.
func BenchmarkResize2x(b *testing.B) {
	pix, w, h, stride := benchPhoto(b)
	for b.Loop() {
		resize(pix, w, h, stride, 2*w, 2*h)
	}
}

// BenchmarkEdgeCentres finds finder patterns from the edges of a 1280×720
// photo, as the scan's hybrid+edges step does.
func BenchmarkEdgeCentres(b *testing.B) {
	pix, w, h, stride := benchPhoto(b)
	g := &grey{pix, w, h, stride}
	for b.Loop() {
		edgeCentres(g, false, nil)
	}
}

// lineEdgesPixel is lineEdges as it was, every slope taken three times:
// kept to check lineEdges against.
func lineEdgesPixel(es []edge, pix []byte, step, n, minSlope int) []edge {
	es = es[:0]
	var lastSteep int // |slope| of the last edge kept
	at := func(i int) int { return int(pix[i*step]) }
	for i := 1; i < n-1; i++ {
		d := at(i+1) - at(i-1) // the slope at i
		ad := abs(d)
		if ad < minSlope {
			continue
		}
		dl, dr := 0, 0 // the slopes a pixel either side
		if i >= 2 {
			dl = at(i) - at(i-2)
		}
		if i+2 < n {
			dr = at(i+2) - at(i)
		}
		if ad < abs(dl) || ad <= abs(dr) {
			continue
		}
		// Sub-pixel: the vertex of the parabola through the three
		// slopes.
		off := 0.0
		if den := float64(dl - 2*d + dr); den != 0 {
			off = 0.5 * float64(dl-dr) / den
		}
		e := edge{float64(i) + 0.5 + max(-0.5, min(0.5, off)), 1}
		if d < 0 {
			e.sign = -1
		}
		if k := len(es); k > 0 && es[k-1].sign == e.sign {
			if ad > lastSteep {
				es[k-1], lastSteep = e, ad
			}
			continue
		}
		es = append(es, e)
		lastSteep = ad
	}
	return es
}

// TestLineEdgesSame checks lineEdges, which takes each slope once, against
// lineEdgesPixel on random lines (steps 1 and 3, lengths 0 to 40, some
// flat) and on every row and column of a photo.
func TestLineEdgesSame(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var a, b []edge
	check := func(pix []byte, step, n, minSlope int) {
		a = lineEdges(a, pix, step, n, minSlope)
		b = lineEdgesPixel(b, pix, step, n, minSlope)
		if !slices.Equal(a, b) {
			t.Fatalf("step %d, n %d: lineEdges %v, lineEdgesPixel %v", step, n, a, b)
		}
	}
	for i := range 3000 {
		n := i % 41
		step := 1 + 2*(i%2)
		pix := make([]byte, max(n*step, 1))
		for k := range pix {
			pix[k] = byte(rng.IntN(256))
			if i%5 == 0 {
				pix[k] = byte(100 + rng.IntN(14)) // slopes about minSlope
			}
		}
		check(pix, step, n, 12)
	}
	pix, w, h, stride := jpegPlane(t, "testdata/photos/combination_49.jpg")
	for y := range h {
		check(pix[y*stride:y*stride+w], 1, w, 12)
	}
	for x := range w {
		check(pix[x:], stride, h, 12)
	}
}
