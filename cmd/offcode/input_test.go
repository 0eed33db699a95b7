package main

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/internal/testutil/picturetest"
)

// TestHugePictures: pictures over the pixel budget, and a GIF named .png,
// are input errors (exit 2) for verify and scan, refused from the header.
func TestHugePictures(t *testing.T) {
	dir := t.TempDir()
	const at = "2026-11-23T08:00:00+08:00"
	must := mustIn(t, dir)
	must(0, at, "keygen", "--key", "@issuer.pem", "--trust", "@trust.json")
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("10k.png", picturetest.WhitePNG(10000, 10000))
	write("30k.png", picturetest.WhitePNG(30000, 30000))
	var g bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 4000, 4000), color.Palette{color.White, color.Black})
	if err := gif.Encode(&g, pal, nil); err != nil {
		t.Fatal(err)
	}
	write("gif.png", g.Bytes())
	for _, c := range []struct{ file, want string }{
		{"10k.png", "10000×10000 pixels (100.0 million), more than the 25 million allowed"},
		{"30k.png", "30000×30000 pixels (900.0 million)"},
		{"gif.png", "not a PNG or JPEG picture: " + filepath.Join(dir, "gif.png") + " is a GIF"},
		{"missing.png", "no such file"},
	} {
		out := must(2, at, "verify", "--trust", "@trust.json", "@"+c.file)
		if !strings.Contains(out, c.want) {
			t.Errorf("verify %s printed %q, want %q", c.file, out, c.want)
		}
		out = must(2, at, "scan", "@"+c.file)
		if !strings.Contains(out, c.want) {
			t.Errorf("scan %s printed %q, want %q", c.file, out, c.want)
		}
	}
}
