package render_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"strings"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
)

func TestQRVersionAndLevels(t *testing.T) {
	text := testcode.Issue(0, codec.Green, codec.Personal)
	// A 223-character code: the smallest versions that hold it in
	// alphanumeric mode (ISO/IEC 18004 table 7).
	for _, c := range []struct {
		l       render.Level
		version int
	}{{render.LevelL, 7}, {render.LevelM, 9}, {render.LevelQ, 11}, {render.LevelH, 12}} {
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
	if err := render.WriteSheet(&a, "OC1:NOTACODE", nil); !errors.Is(err, format.ErrBase45) {
		t.Fatalf("WriteSheet(bad text) = %v, want a codec error", err)
	}
	if err := render.WriteSheet(&a, text, &render.SheetOptions{Holder: strings.Repeat("张", 60)}); !errors.Is(err, render.ErrHolderTooLong) {
		t.Fatalf("WriteSheet(long holder) = %v, want ErrHolderTooLong", err)
	}
}

func TestBatchRefusesBadCards(t *testing.T) {
	var buf bytes.Buffer
	b, err := render.NewBatch(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.AddText("OC1:XX", "", render.LevelQ); err == nil {
		t.Fatalf("Add(bad code) succeeded")
	}
	if err := b.AddText(testcode.Issue(0, codec.Green, codec.Personal), "王喆", render.LevelQ); !errors.Is(err, render.ErrGlyphMissing) {
		t.Fatalf("Add(holder 王喆) = %v, want ErrGlyphMissing", err)
	}
	if err := b.AddText(testcode.Issue(0, codec.Green, codec.Personal), "", render.LevelQ); err != nil {
		t.Fatal(err)
	}
	if _, err := render.NewCard("OC1:XX", &render.Options{Holder: "", Level: render.LevelQ}); err == nil {
		t.Fatalf("NewCard(bad code) succeeded")
	}
	card, err := render.NewCard(testcode.Issue(1, codec.Red, codec.Kin), &render.Options{Holder: "李*明"})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Add(card); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil || b.Count() != 2 {
		t.Fatalf("Close = %v, Count = %d, want 2", err, b.Count())
	}
	if err := b.AddText(testcode.Issue(0, codec.Green, codec.Personal), "", render.LevelQ); !errors.Is(err, render.ErrClosed) {
		t.Fatalf("Add after Close = %v, want ErrClosed", err)
	}
}
