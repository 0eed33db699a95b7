package render_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testcode"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
)

func TestQRVersionAndLevels(t *testing.T) {
	text := testcode.Issue(0, codec.Green, codec.Personal)
	// A 243-character code: the smallest versions that hold it in
	// alphanumeric mode (ISO/IEC 18004 table 7).
	for _, c := range []struct {
		l       render.Level
		version int
	}{{render.LevelL, 8}, {render.LevelM, 9}, {render.LevelQ, 11}, {render.LevelH, 13}} {
		q, err := render.NewQR(text, c.l)
		if err != nil {
			t.Fatalf("NewQR(%d chars, %v): %v", len(text), c.l, err)
		}
		if q.Version() != c.version || q.Size() != 17+4*c.version || q.Level() != c.l {
			t.Errorf("NewQR(%d chars, %v) = version %d size %d, want version %d", len(text), c.l, q.Version(), q.Size(), c.version)
		}
		got, err := scan.Image(q.Image(2))
		if err != nil || got != text {
			t.Errorf("scan of NewQR(%v).Image(2) = %v, want the text", c.l, err)
		}
	}
}

func TestQRRefusals(t *testing.T) {
	for _, s := range []string{"", "oc1:abc", "OC1:ÄB", "OC1:AB\n"} {
		if _, err := render.NewQR(s, render.LevelQ); !errors.Is(err, render.ErrNotAlphanumeric) {
			t.Errorf("NewQR(%q) = %v, want ErrNotAlphanumeric", s, err)
		}
	}
	if _, err := render.NewQR(strings.Repeat("A", 5000), render.LevelQ); !errors.Is(err, render.ErrTooLong) {
		t.Errorf("NewQR(5000 chars) = %v, want ErrTooLong", err)
	}
	if _, err := render.ParseLevel("X"); err == nil {
		t.Errorf("ParseLevel(X) succeeded")
	}
}

// TestImageModules checks whole-pixel modules and the white quiet zone.
func TestImageModules(t *testing.T) {
	q, err := render.NewQR(testcode.Issue(1, codec.Red, codec.Kin), render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	const scale = 3
	img := q.Image(scale)
	n := q.Size() + 2*render.QuietZone
	if img.Rect.Dx() != n*scale || img.Rect.Dy() != n*scale {
		t.Fatalf("Image(%d) is %v, want %d px square", scale, img.Rect, n*scale)
	}
	for y := 0; y < n*scale; y++ {
		for x := 0; x < n*scale; x++ {
			mx, my := x/scale-render.QuietZone, y/scale-render.QuietZone
			want := uint8(0xff)
			if q.Dark(mx, my) {
				want = 0
			}
			if got := img.GrayAt(x, y).Y; got != want {
				t.Fatalf("pixel (%d,%d) = %d, want %d (module %d,%d)", x, y, got, want, mx, my)
			}
		}
	}
}

func TestPNGAndSVG(t *testing.T) {
	text := testcode.Issue(2, codec.Yellow, codec.Personal)
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	var pb bytes.Buffer
	if err := q.WritePNG(&pb, 4); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&pb)
	if err != nil {
		t.Fatalf("png.Decode(WritePNG): %v", err)
	}
	if got, err := scan.Image(img); err != nil || got != text {
		t.Fatalf("scan(WritePNG) = %v, want the text", err)
	}
	var sb bytes.Buffer
	if err := q.WriteSVG(&sb, 60); err != nil {
		t.Fatal(err)
	}
	var svg struct {
		ViewBox string `xml:"viewBox,attr"`
		Width   string `xml:"width,attr"`
		Path    struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(sb.Bytes(), &svg); err != nil {
		t.Fatalf("WriteSVG is not XML: %v", err)
	}
	if svg.ViewBox != "0 0 69 69" || svg.Width != "60mm" || !strings.HasPrefix(svg.Path.D, "M4 4h7") {
		t.Fatalf("WriteSVG: viewBox %q width %q path %.20q", svg.ViewBox, svg.Width, svg.Path.D)
	}
}

func TestSheetDeterministic(t *testing.T) {
	text := testcode.Issue(3, codec.Green, codec.Kin)
	var a, b bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		if err := render.WriteSheet(w, text, &render.SheetOptions{Holder: "李*明"}); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) {
		t.Fatalf("WriteSheet is not deterministic or not a PDF")
	}
	if err := render.WriteSheet(&a, "OC1:NOTACODE", nil); !errors.Is(err, codec.ErrBase45) {
		t.Fatalf("WriteSheet(bad text) = %v, want a codec error", err)
	}
	if err := render.WriteSheet(&a, text, &render.SheetOptions{Holder: strings.Repeat("张", 60)}); !errors.Is(err, render.ErrHolderTooLong) {
		t.Fatalf("WriteSheet(long holder) = %v, want ErrHolderTooLong", err)
	}
}

func TestBatchRefusesBadCards(t *testing.T) {
	var buf bytes.Buffer
	b, err := render.NewBatch(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Add("OC1:XX", ""); err == nil {
		t.Fatalf("Add(bad code) succeeded")
	}
	if err := b.Add(testcode.Issue(0, codec.Green, codec.Personal), "王喆"); !errors.Is(err, render.ErrGlyphMissing) {
		t.Fatalf("Add(holder 王喆) = %v, want ErrGlyphMissing", err)
	}
	if err := b.Add(testcode.Issue(0, codec.Green, codec.Personal), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := render.NewCard("OC1:XX", "", render.LevelQ); err == nil {
		t.Fatalf("NewCard(bad code) succeeded")
	}
	card, err := render.NewCard(testcode.Issue(1, codec.Red, codec.Kin), "李*明", render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.AddCard(card); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil || b.Count() != 2 {
		t.Fatalf("Close = %v, Count = %d, want 2", err, b.Count())
	}
	if err := b.Add(testcode.Issue(0, codec.Green, codec.Personal), ""); !errors.Is(err, render.ErrClosed) {
		t.Fatalf("Add after Close = %v, want ErrClosed", err)
	}
}

// pdfTools reports whether the poppler end-to-end tests run: they need
// pdftoppm, pdftotext and pdffonts, and run when OFFCODE_PDF_TOOLS=1, as
// .ci/run sets after installing poppler-utils.
func pdfTools(t *testing.T) bool {
	if os.Getenv("OFFCODE_PDF_TOOLS") != "1" {
		t.Logf("OFFCODE_PDF_TOOLS is not 1: PDF not rasterised (install poppler-utils and set it; .ci/run does)")
		return false
	}
	for _, tool := range []string{"pdftoppm", "pdftotext", "pdffonts"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("OFFCODE_PDF_TOOLS=1 but %s is missing: apt-get install poppler-utils", tool)
		}
	}
	return true
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
	if !pdfTools(t) {
		return
	}
	dir := t.TempDir()
	for i, col := range []codec.Colour{codec.Green, codec.Yellow, codec.Red} {
		text := testcode.Issue(10+i, col, codec.Kind(i%2))
		path := filepath.Join(dir, col.String()+".pdf")
		var buf bytes.Buffer
		if err := render.WriteSheet(&buf, text, &render.SheetOptions{Holder: "张*华 6101**********123X"}); err != nil {
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
	if !pdfTools(t) {
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "batch.pdf")
	var buf bytes.Buffer
	b, err := render.NewBatch(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for i := 0; i < 9; i++ {
		texts = append(texts, testcode.Issue(20+i, codec.Colour(i%3), codec.Kind(i%2)))
		if err := b.Add(texts[i], "王*芳"); err != nil {
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
	info := run(t, "pdftotext", path, "-")
	if strings.Count(info, "离线码") != 9 || !strings.Contains(info, "亲属码") {
		t.Errorf("pdftotext batch: want 9 cards, got\n%.300s", info)
	}
}
