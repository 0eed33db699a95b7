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
