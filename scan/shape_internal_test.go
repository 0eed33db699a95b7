package scan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

// drawnSymbol returns text's symbol (level Q) drawn on a w×h plane
// through h, the map from its modules (quiet zone outside 0 to dim) to
// the plane: ink 40, paper 200, each pixel the mean of 4×4 points, then
// smeared along x (one-sided, decaying over smear pixels, as by a shake;
// none if 0) and given Gaussian noise of sigma noise (seeded).
func drawnSymbol(t *testing.T, text string, h homography, w, ht int, smear, noise float64, seed uint64) (*grey, int) {
	t.Helper()
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	img := q.Image(1)
	dim := img.Rect.Dx() - 8
	inv, ok := invert(h)
	if !ok {
		t.Fatal("the map does not invert")
	}
	f := make([]float64, w*ht)
	for y := range ht {
		for x := range w {
			s := 0.0
			for j := range 4 {
				for i := range 4 {
					m := inv.apply(pt{float64(x) + (float64(i)+0.5)/4, float64(y) + (float64(j)+0.5)/4})
					u, v := int(math.Floor(m.x)), int(math.Floor(m.y))
					dark := u >= 0 && v >= 0 && u < dim && v < dim && img.Pix[(v+4)*img.Stride+u+4] < 128
					if dark {
						s += 40
					} else {
						s += 200
					}
				}
			}
			f[y*w+x] = s / 16
		}
	}
	// The smear's weights: e^(−k/smear) at k pixels, to 3·smear.
	taps := []float64{1}
	for k := 1; float64(k) <= 3*smear; k++ {
		taps = append(taps, math.Exp(-float64(k)/smear))
	}
	sum := 0.0
	for _, v := range taps {
		sum += v
	}
	rng := rand.New(rand.NewPCG(seed, seed+1))
	pix := make([]byte, w*ht)
	for y := range ht {
		for x := range w {
			s := 0.0
			for k, v := range taps {
				s += v * f[y*w+max(x-k, 0)]
			}
			v := s/sum + rng.NormFloat64()*noise
			pix[y*w+x] = byte(min(max(math.Round(v), 0), 255))
		}
	}
	return &grey{pix, w, ht, w}, dim
}

// invert returns the inverse of h.
func invert(h homography) (homography, bool) {
	a, b, c, d, e, f, g, k, l := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
	det := a*(e*l-f*k) - b*(d*l-f*g) + c*(d*k-e*g)
	if det == 0 {
		return homography{}, false
	}
	return homography{
		(e*l - f*k) / det, (c*k - b*l) / det, (b*f - c*e) / det,
		(f*g - d*l) / det, (a*l - c*g) / det, (c*d - a*f) / det,
		(d*k - e*g) / det, (b*g - a*k) / det, (a*e - b*d) / det,
	}, true
}

// turned returns the map from the modules of a symbol to a plane that
// draws them ms pixels a side, turned by theta about the symbol's
// centre (dim modules a side), which it puts at c.
func turned(dim int, ms, theta float64, c pt) homography {
	cs, sn := math.Cos(theta)*ms, math.Sin(theta)*ms
	half := float64(dim) / 2
	return homography{cs, -sn, c.x - cs*half + sn*half, sn, cs, c.y - sn*half - cs*half, 0, 0, 1}
}

// TestGridAngle: the module axes of a symbol turned by 0° to 85° are
// found to within a degree, in noise.
func TestGridAngle(t *testing.T) {
	text := testcode.Issue(50, codec.Green, codec.Personal)
	for deg := 0; deg < 90; deg += 17 {
		theta := float64(deg) * math.Pi / 180
		g, _ := drawnSymbol(t, text, turned(61, 3, theta, pt{160, 160}), 320, 320, 0, 20, uint64(deg))
		got := gridAngle(g) * 180 / math.Pi
		if d := math.Abs(got - float64(deg)); math.Min(d, 90-d) > 1 {
			t.Errorf("gridAngle of a symbol turned %d° = %.2f°", deg, got)
		}
	}
}

// TestShapeFinders finds the three finder patterns of a symbol turned by
// 25°, 3 px a module, in noise so heavy (sigma 45 against a contrast of
// 160) that gozxing's finder, on the hybrid binariser's matrix, finds no
// triple of them; and each lies within half a module of the truth.
func TestShapeFinders(t *testing.T) {
	text := testcode.Issue(51, codec.Red, codec.Kin)
	const ms, deg = 3.0, 25
	h := turned(61, ms, deg*math.Pi/180, pt{170, 170})
	g, dim := drawnSymbol(t, text, h, 340, 340, 0, 45, 7)
	p := &plane{grey: *g, scale: 1}
	s := &scanner{dec: decoder.NewDecoder()}
	if fs, _ := s.read(p, ladder[0]); len(fs) > 0 {
		t.Fatal("the first attempt reads the symbol: the test proves nothing")
	}
	sat, sd := byteSummedArea(g)
	found := shapeFinders(g, sat, shapeStep*sd, ms, gridAngle(g))
	n := float64(dim)
	for _, m := range []pt{{3.5, 3.5}, {n - 3.5, 3.5}, {3.5, n - 3.5}} {
		want := h.apply(m)
		near := false
		for _, f := range found[:min(len(found), 6)] {
			if math.Hypot(f.GetX()-want.x, f.GetY()-want.y) < ms/2 {
				near = true
			}
		}
		if !near {
			t.Errorf("no finder pattern found within half a module of %v among %d", want, len(found))
		}
	}
}

// TestEqualize reads a symbol, smeared along its rows (decaying over 2
// px, two thirds of a module) and noisy, that its modules thresholded one
// by one do not read (a tenth of them wrong), by equalising them; and
// says false, not a reading, when the symbol lies partly outside the
// plane.
func TestEqualize(t *testing.T) {
	text := testcode.Issue(52, codec.Yellow, codec.Personal)
	const ms, smear = 3.0, 2.0
	h := turned(61, ms, 0, pt{130, 130})
	g, dim := drawnSymbol(t, text, h, 260, 260, smear, 8, 1)
	ver, err := decoder.Version_GetProvisionalVersionForDimension(dim)
	if err != nil {
		t.Fatal(err)
	}
	// The smear moves the symbol by about its decay: sampled where it
	// puts the module centres.
	hs := h
	hs[2] += smear
	vals := make([]float64, dim*dim)
	for y := range dim {
		for x := range dim {
			vals[y*dim+x] = g.at(hs.apply(pt{float64(x) + 0.5, float64(y) + 0.5}))
		}
	}
	sat := summedArea(vals, dim)
	first, _ := gozxing.NewSquareBitMatrix(dim)
	threshold(first, vals, sat, dim, 4)
	q, _ := render.NewQR(text, render.LevelQ)
	truth := q.Image(1)
	wrong := func(b *gozxing.BitMatrix) int {
		n := 0
		for y := range dim {
			for x := range dim {
				if b.Get(x, y) != (truth.Pix[(y+4)*truth.Stride+x+4] < 128) {
					n++
				}
			}
		}
		return n
	}
	before := wrong(first)
	probe, _ := gozxing.NewSquareBitMatrix(dim)
	threshold(probe, vals, sat, dim, 4)
	if _, err := decoder.NewDecoder().Decode(probe, nil); err == nil {
		t.Fatalf("the thresholded modules (%d of %d wrong) read: the test proves nothing", before, dim*dim)
	}
	eq, ok := equalize(g, &hs, ver, 1, first)
	if !ok {
		t.Fatal("equalize failed")
	}
	after := wrong(eq) // (before Decode, which unmasks eq in place)
	r, err := decoder.NewDecoder().Decode(eq, nil)
	if err != nil || r.GetText() != text {
		t.Errorf("equalised modules (%d wrong, %d before) do not read: %v", after, before, err)
	}
	if after*4 > before {
		t.Errorf("equalising left %d modules wrong of %d: want under a quarter", after, before)
	}
	out := hs
	out[2] -= 60 // a fifth of the symbol off the plane's left edge
	if _, ok := equalize(g, &out, ver, 1, first); ok {
		t.Error("equalize read a symbol partly outside the plane")
	}
}

// TestReadShapes reads, through shapeSearch, a symbol in such noise that
// only its shape locates it: from the patterns it searches for, then
// from those kept, as for a later restoration.
func TestReadShapes(t *testing.T) {
	text := testcode.Issue(53, codec.Green, codec.Kin)
	g, _ := drawnSymbol(t, text, turned(61, 3, 0.4, pt{170, 170}), 340, 340, 0, 45, 11)
	p := &plane{grey: *g, scale: 1}
	s := &scanner{dec: decoder.NewDecoder()}
	if fs, _ := s.read(p, ladder[0]); len(fs) > 0 {
		t.Fatal("the first attempt reads the symbol: the test proves nothing")
	}
	var ss shapeSearch
	if fs := s.readShapes(p, &ss); len(fs) != 1 || fs[0].text != text {
		t.Fatalf("readShapes read %d symbols, want the one", len(fs))
	}
	ss.searched = shapeSearches
	if fs := s.readShapes(p, &ss); len(fs) != 1 || fs[0].text != text {
		t.Errorf("readShapes from the patterns kept read %d symbols, want the one", len(fs))
	}
}

// TestGridDecodeEqualised: gridDecodeDim, given the finder patterns of a
// symbol smeared along a row over about a module (decaying over 3.2 px,
// 3 px a module) in noise, reads it when it equalises the modules and not
// when it only thresholds them.
func TestGridDecodeEqualised(t *testing.T) {
	text := testcode.Issue(52, codec.Yellow, codec.Personal)
	const ms, smear = 3.0, 3.2
	h := turned(61, ms, 0.2, pt{160, 160})
	g, dim := drawnSymbol(t, text, h, 320, 320, smear, 12, 1)
	h[2] += smear // where the smear puts the modules
	n := float64(dim)
	fs := []pt{h.apply(pt{3.5, 3.5}), h.apply(pt{n - 3.5, 3.5}), h.apply(pt{3.5, n - 3.5})}
	if _, _, ok := gridDecodeDim(g, fs, nil, dim, false, false, false, decoder.NewDecoder()); ok {
		t.Fatal("thresholding reads the symbol: the test proves nothing")
	}
	r, _, ok := gridDecodeDim(g, fs, nil, dim, false, false, true, decoder.NewDecoder())
	if !ok || r.GetText() != text {
		t.Errorf("gridDecodeDim, equalising = %v, want %q", ok, text)
	}
}
