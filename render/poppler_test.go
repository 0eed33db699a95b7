//go:build poppler

// The PDF end-to-end tests rasterise and read back sheets with Poppler's
// tools, as a person's PDF viewer and printer would. They are built only
// with -tags poppler, so the default suite neither needs Poppler nor skips
// them: .ci/run installs poppler-utils and runs
// go test -tags poppler -run Poppler ./render.

package render_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
)

// needPoppler fails the test unless pdftoppm, pdftotext and pdffonts are
// installed; .ci/run installs poppler-utils before it runs these tests.
func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext", "pdffonts"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: apt-get install poppler-utils", tool)
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func rasterise(t *testing.T, pdf string, dpi string) image.Image {
	t.Helper()
	prefix := strings.TrimSuffix(pdf, ".pdf") + "-" + dpi
	run(t, "pdftoppm", "-r", dpi, "-png", "-singlefile", "-f", "1", "-l", "1", pdf, prefix)
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestSheetPoppler rasterises sheets at 150 and 300 dpi and reads them back,
// and checks the text and the embedded font.
func TestSheetPoppler(t *testing.T) {
	needPoppler(t)
	dir := t.TempDir()
	for i, col := range []codec.Colour{codec.Green, codec.Yellow, codec.Red} {
		text := testcode.Issue(10+i, col, codec.Kind(i%2))
		path := filepath.Join(dir, col.String()+".pdf")
		var buf bytes.Buffer
		if err := render.WriteSheet(&buf, text, &render.SheetOptions{Holder: "张*华 **************123X"}); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, dpi := range []string{"150", "300"} {
			if got, err := scan.Image(rasterise(t, path, dpi)); err != nil || got != text {
				t.Errorf("scan(%s at %s dpi) = %v, want the issued text", col, dpi, err)
			}
		}
		txt := run(t, "pdftotext", path, "-")
		word := map[codec.Colour]string{codec.Green: "绿码", codec.Yellow: "黄码", codec.Red: "红码"}[col]
		for _, want := range []string{"离线码", "有效期至", "签发时间", word, "张*华", "2026-11-30 18:30"} {
			if !strings.Contains(txt, want) {
				t.Errorf("pdftotext %s: no %q in\n%s", col, want, txt)
			}
		}
		if fonts := run(t, "pdffonts", path); !strings.Contains(strings.ToLower(fonts), "wenquanyimicrohei") || !strings.Contains(fonts, " yes ") {
			t.Errorf("pdffonts %s: font not embedded:\n%s", col, fonts)
		}
	}
}

// TestBatchPoppler rasterises a batch page at 150 dpi, cuts out each card
// and reads it back.
func TestBatchPoppler(t *testing.T) {
	needPoppler(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "batch.pdf")
	var buf bytes.Buffer
	b, err := render.NewBatch(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for i := 0; i < 9; i++ {
		texts = append(texts, testcode.Issue(20+i, codec.Colour(i%3), codec.Kind(i%2)))
		if err := b.AddText(texts[i], "王*芳", render.LevelQ); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	img := rasterise(t, path, "150")
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	type sub interface {
		SubImage(image.Rectangle) image.Image
	}
	for i := 0; i < render.BatchColumns*render.BatchRows; i++ {
		c, r := i%render.BatchColumns, i/render.BatchColumns
		rect := image.Rect(c*w/render.BatchColumns, r*h/render.BatchRows, (c+1)*w/render.BatchColumns, (r+1)*h/render.BatchRows)
		got, err := scan.Image(img.(sub).SubImage(rect))
		if err != nil || got != texts[i] {
			t.Errorf("scan(card %d of page 1) = %v, want code %d", i, err, i)
		}
	}
	// The whole page at 200 dpi, read in one call: all eight codes, in
	// the order of the cards.
	all, err := scan.All(rasterise(t, path, "200"))
	if err != nil || len(all) != render.BatchColumns*render.BatchRows {
		t.Fatalf("scan.All(page 1 at 200 dpi) = %d codes, %v, want 8", len(all), err)
	}
	for i, c := range all {
		if c.Text != texts[i] {
			t.Errorf("scan.All(page 1 at 200 dpi)[%d] is not code %d", i, i)
		}
	}
	info := run(t, "pdftotext", path, "-")
	if strings.Count(info, "离线码") != 9 || !strings.Contains(info, "亲属码") {
		t.Errorf("pdftotext batch: want 9 cards, got\n%.300s", info)
	}
}
