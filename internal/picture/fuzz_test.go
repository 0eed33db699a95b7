package picture

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds is where FuzzPicture's seeds come from (jpegluma's test
// files, small enough to mutate quickly).
const fuzzSeeds = "jpegluma/testdata/*.jpg"

// FuzzPicture checks Decode on JPEG input against image/jpeg: it never
// panics, returns only the package's errors, and decodes every file that
// starts as a JPEG does and that image/jpeg decodes (within the pixel
// budget), to a luminance plane at most 2 and on average 0.1 from
// image/jpeg's. Run it for longer with
// go test -fuzz FuzzPicture -fuzztime 3m ./internal/picture
func FuzzPicture(f *testing.F) {
	files, _ := filepath.Glob(fuzzSeeds)
	if len(files) < 20 {
		f.Fatalf("%s matches %d files, want 20 or more", fuzzSeeds, len(files))
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, jpegMagic) {
			return // Decode knows a JPEG by its first bytes; image/jpeg skips junk
		}
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width*cfg.Height > 1<<20 {
			return // within the budget, but slow to fuzz
		}
		got, err := Decode(bytes.NewReader(data), "fuzz.jpg")
		if err != nil && !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Decode = %v, not ErrFormat or ErrTooLarge", err)
		}
		ref, rerr := jpeg.Decode(bytes.NewReader(data))
		if rerr != nil {
			return
		}
		if err != nil {
			t.Fatalf("Decode = %v, but image/jpeg decodes the file", err)
		}
		pix, stride, ok := lumaPlane(ref)
		if !ok {
			return // RGB or CMYK: Decode returns image/jpeg's own result
		}
		g, ok := got.(*image.Gray)
		if !ok || g.Rect != ref.Bounds() {
			t.Fatalf("Decode = %T %v, image/jpeg %v", got, got.Bounds(), ref.Bounds())
		}
		worst, sum := 0, 0
		for y := 0; y < g.Rect.Dy(); y++ {
			for x := 0; x < g.Rect.Dx(); x++ {
				d := int(g.Pix[y*g.Stride+x]) - int(pix[y*stride+x])
				d = max(d, -d)
				worst, sum = max(worst, d), sum+d
			}
		}
		if mean := float64(sum) / float64(g.Rect.Dx()*g.Rect.Dy()); worst > 2 || mean > 0.1 {
			t.Fatalf("Decode and image/jpeg differ: max |Δ| %d, mean %.4f", worst, mean)
		}
	})
}
