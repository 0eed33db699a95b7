package scan_test

import (
	"testing"

	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
)

// FuzzPlane feeds arbitrary planes to the scanner: it must return text or
// an error, never panic. The seeds are a clean symbol and a cut-off one.
func FuzzPlane(f *testing.F) {
	q, err := render.NewQR("OC1:SEED", render.LevelQ)
	if err != nil {
		f.Fatal(err)
	}
	img := q.Image(2)
	f.Add(img.Pix, img.Rect.Dx(), img.Stride)
	f.Add(img.Pix[:len(img.Pix)/2], img.Rect.Dx(), img.Stride)
	f.Fuzz(func(t *testing.T, pix []byte, w, stride int) {
		if w <= 0 || stride <= 0 || w > 4096 || stride > 4096 {
			return
		}
		h := len(pix) / stride
		if h > 4096 {
			return
		}
		scan.Plane(pix, w, h, stride)
	})
}
