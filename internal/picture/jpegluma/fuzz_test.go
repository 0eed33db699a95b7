package jpegluma

import (
	"bytes"
	"errors"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds is where FuzzDecode's seeds come from: the files of
// make.sh, small enough to mutate quickly.
const fuzzSeeds = "testdata/*.jpg"

// fuzzPixels bounds the pictures of FuzzDecode, for both decoders.
const fuzzPixels = 1 << 20

// FuzzDecode checks that Decode never panics, and that when both it and
// image/jpeg decode a file their luminance planes agree within the
// tolerance of the differential tests. Run it for longer with
// go test -fuzz FuzzDecode -fuzztime 3m ./internal/picture/jpegluma
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(fuzzSeeds)
	if len(files) < 20 {
		f.Fatalf("%s matches %d files, want the 20 or more make.sh writes", fuzzSeeds, len(files))
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(checkDecode)
}

// checkDecode is FuzzDecode's check of one input.
func checkDecode(t *testing.T, data []byte) {
	{
		got, err := Decode(data, fuzzPixels)
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Decode = %v, not one of the package's errors", err)
			}
			return
		}
		if got.Rect.Dx()*got.Rect.Dy() > fuzzPixels || len(got.Pix) < got.Stride*(got.Rect.Dy()-1)+got.Rect.Dx() {
			t.Fatalf("Decode = %v with stride %d and %d bytes", got.Rect, got.Stride, len(got.Pix))
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > fuzzPixels {
			return
		}
		ref, stride, r, err := refLuma(data)
		if err != nil {
			return
		}
		maxd, mean, err := lumaDiff(got, ref, stride, r)
		if err != nil || maxd > tolMax || mean > tolMean {
			t.Fatalf("Decode and image/jpeg differ: max |Δ| %d, mean %.4f (%v)", maxd, mean, err)
		}
	}
}
