package picture

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/offcode/offcode/internal/testkit/picturetest"
)

func hugePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	return picturetest.WhitePNG(w, h)
}

func TestDecodeSmall(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 40, 30))
	for _, c := range []struct {
		name string
		enc  func(io.Writer, image.Image) error
	}{
		{"png", png.Encode},
		{"jpeg", func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }},
	} {
		var b bytes.Buffer
		if err := c.enc(&b, img); err != nil {
			t.Fatal(err)
		}
		got, err := Decode(&b, c.name)
		if err != nil || got.Bounds().Dx() != 40 || got.Bounds().Dy() != 30 {
			t.Fatalf("Decode(%s 40×30) = %v, %v", c.name, got, err)
		}
	}
	if _, err := Decode(bytes.NewReader(hugePNG(t, 17, 9)), "small.png"); err != nil {
		t.Fatalf("Decode(hand-made 17×9 PNG) = %v", err)
	}
}

// TestRefusesHuge checks that pictures over the budget are refused from
// their header: quickly, and without allocating their pixels.
func TestRefusesHuge(t *testing.T) {
	for _, d := range [][2]int{{10000, 10000}, {30000, 30000}, {5001, 5000}, {1, 25_000_001}} {
		data := hugePNG(t, d[0], d[1])
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err := Decode(bytes.NewReader(data), "huge.png")
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Decode(%d×%d PNG) = %v, want ErrTooLarge", d[0], d[1], err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
			t.Errorf("Decode(%d×%d PNG) allocated %d bytes before refusing it", d[0], d[1], alloc)
		}
		t.Logf("%d×%d (%d bytes): %v in %v", d[0], d[1], len(data), err, elapsed)
	}
	// At the budget exactly, the picture decodes.
	if _, err := Decode(bytes.NewReader(hugePNG(t, 5000, 5000)), "5000.png"); err != nil {
		t.Fatalf("Decode(5000×5000) = %v, want it decoded", err)
	}
}

func TestRefusesOtherFormats(t *testing.T) {
	var g bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.White, color.Black})
	if err := gif.Encode(&g, pal, nil); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"gif":       g.Bytes(),
		"empty":     nil,
		"text":      []byte("OC1:NOT A PICTURE"),
		"truncated": hugePNG(t, 64, 64)[:40],
	} {
		_, err := Decode(bytes.NewReader(data), name+".png")
		if !errors.Is(err, ErrFormat) {
			t.Errorf("Decode(%s) = %v, want ErrFormat", name, err)
		}
	}
}

func TestDecodeFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "huge.png")
	if err := os.WriteFile(p, hugePNG(t, 30000, 30000), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeFile(p); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("DecodeFile(30000×30000) = %v, want ErrTooLarge", err)
	}
	if _, err := DecodeFile(filepath.Join(dir, "none.png")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("DecodeFile(missing) = %v, want ErrNotExist", err)
	}
}
