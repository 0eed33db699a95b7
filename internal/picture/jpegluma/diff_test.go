package jpegluma

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realDirs hold the real pictures the differential test reads: the
// scanner's held-out photos and prints, and the files testdata/make.sh
// writes with ImageMagick and libjpeg's tools.
var realDirs = []string{"../../../scan/testdata/photos", "../../../scan/testdata/print", "testdata"}

// realFiles returns the JPEG files of realDirs, failing if a folder has
// none (a moved folder must not leave the test running on nothing).
func realFiles(t testing.TB) []string {
	t.Helper()
	var all []string
	for _, dir := range realDirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.jpg"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no JPEG files in %s (%v)", dir, err)
		}
		all = append(all, files...)
	}
	return all
}

// refLuma decodes data with image/jpeg and returns its luminance plane.
func refLuma(data []byte) (pix []byte, stride int, r image.Rectangle, err error) {
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, r, err
	}
	switch m := img.(type) {
	case *image.Gray:
		return m.Pix, m.Stride, m.Rect, nil
	case *image.YCbCr:
		return m.Y, m.YStride, m.Rect, nil
	}
	return nil, 0, r, fmt.Errorf("image/jpeg decoded a %T", img)
}

// lumaDiff compares Decode's plane with image/jpeg's: the largest and the
// mean absolute difference.
func lumaDiff(got *image.Gray, ref []byte, refStride int, r image.Rectangle) (maxd int, mean float64, err error) {
	if got.Rect != r {
		return 0, 0, fmt.Errorf("bounds %v, image/jpeg %v", got.Rect, r)
	}
	sum := 0
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			d := int(got.Pix[y*got.Stride+x]) - int(ref[y*refStride+x])
			d = max(d, -d)
			sum += d
			maxd = max(maxd, d)
		}
	}
	return maxd, float64(sum) / float64(r.Dx()*r.Dy()), nil
}

// Tolerance of the differential tests: the two inverse DCTs round
// differently.
const (
	tolMax  = 2
	tolMean = 0.1
)

// TestRealFiles compares Decode with image/jpeg on the real pictures:
// files of testdata named fallback_* must be refused as unsupported, and
// every other one decoded within the tolerance.
func TestRealFiles(t *testing.T) {
	worst, worstMean, n := 0, 0.0, 0
	for _, f := range realFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(data, 25_000_000)
		if strings.HasPrefix(filepath.Base(f), "fallback_") {
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("Decode(%s) = %v, want ErrUnsupported", f, err)
			}
			continue
		}
		ref, stride, r, rerr := refLuma(data)
		if err != nil || rerr != nil {
			t.Errorf("%s: Decode = %v, image/jpeg = %v", f, err, rerr)
			continue
		}
		maxd, mean, err := lumaDiff(got, ref, stride, r)
		if err != nil || maxd > tolMax || mean > tolMean {
			t.Errorf("%s: max |Δ| %d, mean %.4f (%v)", f, maxd, mean, err)
		}
		worst, worstMean = max(worst, maxd), max(worstMean, mean)
		n++
	}
	t.Logf("%d files decoded, worst max |Δ| %d, worst mean |Δ| %.4f", n, worst, worstMean)
}

// TestGenerated compares Decode with image/jpeg on pictures image/jpeg
// encodes: noise, gradients and hard-edged modules, grey and colour
// (4:2:0), at sizes that are and are not whole MCUs, at several qualities.
func TestGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 34))
	worst, worstMean, n := 0, 0.0, 0
	for _, size := range [][2]int{{1, 1}, {8, 8}, {9, 7}, {16, 16}, {17, 33}, {64, 48}, {203, 101}} {
		for _, kind := range []string{"noise", "gradient", "modules"} {
			for _, colour := range []bool{false, true} {
				img := synthetic(rng, kind, colour, size[0], size[1])
				for _, q := range []int{1, 15, 50, 75, 100} {
					var b bytes.Buffer
					if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("%s %dx%d colour=%v q%d", kind, size[0], size[1], colour, q)
					got, err := Decode(b.Bytes(), 25_000_000)
					ref, stride, r, rerr := refLuma(b.Bytes())
					if err != nil || rerr != nil {
						t.Fatalf("%s: Decode = %v, image/jpeg = %v", name, err, rerr)
					}
					maxd, mean, err := lumaDiff(got, ref, stride, r)
					if err != nil || maxd > tolMax || mean > tolMean {
						t.Errorf("%s: max |Δ| %d, mean %.4f (%v)", name, maxd, mean, err)
					}
					worst, worstMean = max(worst, maxd), max(worstMean, mean)
					n++
				}
			}
		}
	}
	t.Logf("%d pictures, worst max |Δ| %d, worst mean |Δ| %.4f", n, worst, worstMean)
}

// synthetic draws a w×h picture of the kind: noise, a gradient, or
// random dark and light modules of 3 pixels.
func synthetic(rng *rand.Rand, kind string, colour bool, w, h int) image.Image {
	at := func(x, y int) (r, g, b uint8) {
		switch kind {
		case "noise":
			return uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))
		case "gradient":
			return uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) * 127 / (w + h))
		}
		v := uint8(20)
		if (x/3*7+y/3*13)%5 < 2 {
			v = 235
		}
		return v, v / 2, 255 - v
	}
	if !colour {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, _, _ := at(x, y)
				g.Pix[y*g.Stride+x] = r
			}
		}
		return g
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, b := at(x, y)
			copy(m.Pix[y*m.Stride+4*x:], []byte{r, g, b, 255})
		}
	}
	return m
}
