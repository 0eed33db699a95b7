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

	"github.com/offcode/offcode/internal/testkit/picturetest"
	"github.com/offcode/offcode/render"
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

// TestVerifyPictureJSON: verify --json prints one object for every input
// (issue 13): a picture with no code, a QR that is not an offline code, a
// missing file; and a file name given as a code gets a hint.
func TestVerifyPictureJSON(t *testing.T) {
	dir := t.TempDir()
	const at = "2026-11-23T08:00:00+08:00"
	must := mustIn(t, dir)
	must(0, at, "keygen", "--key", "@issuer.pem", "--trust", "@trust.json")
	if err := os.WriteFile(filepath.Join(dir, "blank.png"), picturetest.WhitePNG(200, 200), 0o644); err != nil {
		t.Fatal(err)
	}
	q, err := render.NewQR("HTTPS://EXAMPLE.ORG/HEALTH", render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := q.WritePNG(&b, 8); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "url.png"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file string
		exit int
		want string
	}{
		{"blank.png", 1, `{"valid":false,"verdict":null,"reason":"not_found","error":"`},
		{"url.png", 1, `{"valid":false,"verdict":"bad_prefix","error":"codec: wrong or missing prefix: the QR code in `},
		{"nosuch.png", 2, `{"valid":false,"verdict":null,"reason":"unreadable","error":"open `},
	} {
		code, out, errOut := bundleRun(t, dir, at, "verify", "--json", "--trust", "@trust.json", "@"+c.file)
		if code != c.exit || !strings.HasPrefix(out, c.want) || strings.Count(out, "\n") != 1 {
			t.Errorf("verify --json %s = exit %d, %q (%q); want exit %d and one object starting %s", c.file, code, out, errOut, c.exit, c.want)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "code.txt"), []byte("OC1:X\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out, errOut := bundleRun(t, dir, at, "verify", "--trust", "trust.json", "code.txt")
	if code != 1 || !strings.HasPrefix(out, "BAD_PREFIX") || !strings.Contains(errOut, "offcode: hint: code.txt is a file name; to verify the code in it, run: offcode verify [options] - < code.txt") {
		t.Errorf("verify code.txt = exit %d, %q, %q; want BAD_PREFIX and a hint", code, out, errOut)
	}
	code, out, _ = bundleRun(t, dir, at, "verify", "--trust", "trust.json", "OC1:A")
	if code != 1 || out != "BAD_BASE45  the code is damaged or incomplete: scan it again, or ask for a new one\n" {
		t.Errorf("verify of a damaged code printed %q", out)
	}
	code, out, _ = bundleRun(t, dir, at, "verify", "--json", "--trust", "trust.json", "OC1:A")
	if code != 1 || !strings.Contains(out, `"error":"codec: invalid Base45`) {
		t.Errorf("verify --json of a damaged code printed %q, want the Base45 detail", out)
	}
}
