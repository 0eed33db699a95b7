package scan

import (
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"

	"github.com/offcode/offcode/render"
)

// TestGridDecode reads a clean symbol through gridDecode alone, from its
// exact finder pattern centres, and from centres off by a module fifth.
func TestGridDecode(t *testing.T) {
	const text = "OC1:GRID TEST 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	const scale = 4
	img := q.Image(scale)
	g := grey{img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride}
	const quiet = 4 // render draws the 4-module quiet zone of ISO/IEC 18004
	c := func(m float64) float64 { return (quiet + m) * scale }
	n := float64(img.Rect.Dx()/scale - 2*quiet)
	for _, off := range []float64{0, 0.8} {
		info := detector.NewFinderPatternInfo(
			detector.NewFinderPattern1(c(3.5)+off, c(n-3.5)-off, scale),
			detector.NewFinderPattern1(c(3.5)-off, c(3.5)+off, scale),
			detector.NewFinderPattern1(c(n-3.5)+off, c(3.5), scale),
		)
		r, _, ok := gridDecode(&g, info, false, decoder.NewDecoder())
		if !ok || r.GetText() != text {
			t.Errorf("gridDecode(centres off by %g px) = %v, want %q", off, ok, text)
		}
	}
}

func TestFit(t *testing.T) {
	want := homography{1.1, 0.2, 30, -0.1, 0.9, 40, 0.001, 0.002, 1}
	var mod, pix []pt
	for _, m := range []pt{{0, 0}, {50, 0}, {0, 50}, {50, 50}, {25, 10}} {
		mod = append(mod, m)
		pix = append(pix, want.apply(m))
	}
	h, ok := fit(mod, pix)
	if !ok {
		t.Fatal("fit failed")
	}
	for _, m := range []pt{{10, 10}, {40, 30}} {
		a, b := h.apply(m), want.apply(m)
		if d := (a.x-b.x)*(a.x-b.x) + (a.y-b.y)*(a.y-b.y); d > 1e-6 {
			t.Errorf("fit maps %v to %v, want %v", m, a, b)
		}
	}
}

// TestLikelyDims: with the finder patterns' module size overestimated by
// a quarter (as blur makes it), the side estimated from it is several
// versions short, and likelyDims still puts the true side first, from the
// timing patterns; with a module size a fifth short, too.
func TestLikelyDims(t *testing.T) {
	const text = "OC1:LIKELY DIMS 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./: 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	const scale = 3
	img := q.Image(scale)
	g := grey{smooth(img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride), img.Rect.Dx(), img.Rect.Dy(), img.Rect.Dx()}
	const quiet = 4 // render draws the 4-module quiet zone of ISO/IEC 18004
	size := img.Rect.Dx()/scale - 2*quiet
	c := func(m float64) float64 { return (quiet + m) * scale }
	n := float64(size)
	finders := []pt{{c(3.5), c(3.5)}, {c(n - 3.5), c(3.5)}, {c(3.5), c(n - 3.5)}}
	for _, k := range []float64{1.25, 0.8} {
		est := (n-7)/k + 7
		dims := likelyDims(&g, finders, est, false)
		if len(dims) == 0 || dims[0] != size {
			t.Errorf("likelyDims(module size ×%g, estimate %.1f) = %v, want %d first", k, est, dims, size)
		}
	}
	// Inverted: light modules on dark.
	inv := make([]byte, len(g.pix))
	for i, v := range g.pix {
		inv[i] = 255 - v
	}
	gi := grey{inv, g.w, g.h, g.str}
	if dims := likelyDims(&gi, finders, n, true); len(dims) == 0 || dims[0] != size {
		t.Errorf("likelyDims(inverted) = %v, want %d first", dims, size)
	}
	// A plane with no symbol has no timing patterns.
	blank := grey{make([]byte, len(g.pix)), g.w, g.h, g.str}
	for i := range blank.pix {
		blank.pix[i] = 200
	}
	if dims := likelyDims(&blank, finders, n, false); len(dims) != 0 {
		t.Errorf("likelyDims(blank) = %v, want none", dims)
	}
}

// TestTwoFinders: a symbol one of whose finder patterns is all but
// washed out by glare (grey levels moved nine tenths of the way to white)
// is read, and readPairs reads it from the other two alone, in each of
// the three corners.
func TestTwoFinders(t *testing.T) {
	const text = "OC1:TWO FINDERS 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	const scale, quiet = 4, 4 // render draws the 4-module quiet zone of ISO/IEC 18004
	n := q.Image(1).Rect.Dx() - 2*quiet
	c := func(m int) float64 { return (float64(quiet+m) + 3.5) * scale }
	corners := [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}}
	for k, corner := range corners {
		img := q.Image(scale)
		x0, y0 := (quiet+corner[0]-1)*scale, (quiet+corner[1]-1)*scale
		for y := y0; y < y0+9*scale; y++ {
			for x := x0; x < x0+9*scale; x++ {
				v := int(img.Pix[y*img.Stride+x])
				img.Pix[y*img.Stride+x] = byte(v + (250-v)*9/10)
			}
		}
		fs, _, err := scanAll(img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride)
		if err != nil || len(fs) != 1 || fs[0].text != text {
			t.Errorf("finder pattern at module %v under glare: scanAll = %d codes, %v; want %q", corner, len(fs), err, text)
		}
		var two []*detector.FinderPattern
		for i, o := range corners {
			if i != k {
				two = append(two, detector.NewFinderPattern1(c(o[0]), c(o[1]), scale))
			}
		}
		s := &scanner{dec: decoder.NewDecoder()}
		p := &plane{grey: grey{img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride}, scale: 1}
		if got := s.readPairs(p, two, false); len(got) != 1 || got[0].text != text {
			t.Errorf("finder pattern at module %v under glare: readPairs(the other two) = %d codes, want %q", corner, len(got), text)
		}
	}
}
