package render_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
)

// TestCardScans decodes the PNG phone card of every colour and kind, as a
// checkpoint's camera would read it from a screen, with the scan package.
func TestCardScans(t *testing.T) {
	i := 0
	for col := codec.Green; col <= codec.Red; col++ {
		for kind := codec.Personal; kind <= codec.Kin; kind++ {
			i++
			text := testcode.Issue(i, col, kind)
			var buf bytes.Buffer
			if err := render.WriteCardPNG(&buf, text, &render.CardOptions{Holder: "张*华 **************002X"}); err != nil {
				t.Fatalf("WriteCardPNG(%v %v): %v", col, kind, err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("png.Decode(WriteCardPNG(%v %v)): %v", col, kind, err)
			}
			if b := img.Bounds(); b.Dx() != render.CardWidth || b.Dy() != render.CardHeight {
				t.Errorf("WriteCardPNG(%v %v) is %v, want %dx%d", col, kind, b, render.CardWidth, render.CardHeight)
			}
			got, err := scan.Image(img)
			if err != nil || got != text {
				t.Errorf("scan.Image(card %v %v) = %.20q, %v; want the code", col, kind, got, err)
			}
		}
	}
}

// TestCardLevels checks that a symbol of every error correction level
// fits the card and scans.
func TestCardLevels(t *testing.T) {
	text := testcode.Issue(7, codec.Red, codec.Kin)
	for _, l := range []render.Level{render.LevelL, render.LevelM, render.LevelH} {
		img, err := render.CardImage(text, &render.CardOptions{Level: l, Holder: "张*华 **************002X"})
		if err != nil {
			t.Fatalf("CardImage(level %v): %v", l, err)
		}
		if got, err := scan.Image(img); err != nil || got != text {
			t.Errorf("scan.Image(card at level %v) = %v, want the code", l, err)
		}
	}
}

// TestCardColourAndKind checks what a person sees at a glance: the colour
// ink in the top band and the shape, the expiry in solid type, and the
// black frame that only a kinship card has.
func TestCardColourAndKind(t *testing.T) {
	inks := map[codec.Colour]color.RGBA{
		codec.Green:  {0, 150, 70, 255},
		codec.Yellow: {210, 160, 0, 255},
		codec.Red:    {200, 20, 30, 255},
	}
	for col, ink := range inks {
		for kind := codec.Personal; kind <= codec.Kin; kind++ {
			img, err := render.CardImage(testcode.Issue(0, col, kind), nil)
			if err != nil {
				t.Fatal(err)
			}
			if n := count(img, image.Rect(0, 0, render.CardWidth, 100), ink); n < 10000 {
				t.Errorf("card %v %v: %d pixels of ink %v in the top band, want at least 10000", col, kind, n, ink)
			}
			// The shape is filled with the ink, and the expiry time is
			// solid black type (not only outlines).
			if n := count(img, image.Rect(0, 340, render.CardWidth, 560), colourInks[col]); n < 5000 {
				t.Errorf("card %v %v: %d pixels of ink %v in the colour's shape, want at least 5000", col, kind, n, colourInks[col])
			}
			if n := count(img, image.Rect(0, 1400, render.CardWidth, 1680), color.RGBA{0, 0, 0, 255}); n < 20000 {
				t.Errorf("card %v %v: %d black pixels in the expiry time, want at least 20000", col, kind, n)
			}
			edge := image.Rect(0, 300, 20, 1600) // the left edge, beside the symbol
			black := count(img, edge, color.RGBA{0, 0, 0, 255})
			if kin := kind == codec.Kin; kin != (black == edge.Dx()*edge.Dy()) {
				t.Errorf("card %v %v: %d of %d left-edge pixels black; want all black only for a kinship card", col, kind, black, edge.Dx()*edge.Dy())
			}
		}
	}
}

// colourInks are the colours' shape fills (render's colourInks).
var colourInks = map[codec.Colour]color.RGBA{
	codec.Green:  {0, 150, 70, 255},
	codec.Yellow: {250, 200, 0, 255},
	codec.Red:    {200, 20, 30, 255},
}

func count(img *image.RGBA, r image.Rectangle, c color.RGBA) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) == c {
				n++
			}
		}
	}
	return n
}

func TestCardSVG(t *testing.T) {
	var buf bytes.Buffer
	if err := render.WriteCardSVG(&buf, testcode.Issue(4, codec.Red, codec.Kin), nil); err != nil {
		t.Fatal(err)
	}
	var svg struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Title  string `xml:"title"`
		Paths  []struct {
			Fill string `xml:"fill,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &svg); err != nil {
		t.Fatalf("WriteCardSVG is not XML: %v", err)
	}
	fills := map[string]bool{}
	for _, p := range svg.Paths {
		fills[p.Fill] = true
	}
	if svg.Width != "1080" || svg.Height != "1920" || svg.Title != "离线码 亲属码 红码" || !fills["#c8141e"] || !fills["#000000"] {
		t.Errorf("WriteCardSVG: %sx%s, title %q, fills %v", svg.Width, svg.Height, svg.Title, fills)
	}
	if strings.Contains(buf.String(), "<text") {
		t.Errorf("WriteCardSVG uses <text>: it must draw outlines and need no font")
	}
}

func TestCardDeterministicAndRefusals(t *testing.T) {
	text := testcode.Issue(5, codec.Green, codec.Personal)
	var a, b bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		if err := render.WriteCardPNG(w, text, &render.CardOptions{Holder: "李*明"}); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("WriteCardPNG is not deterministic")
	}
	for _, c := range []struct {
		holder string
		want   error
	}{
		{"张*华 1101**********002X", render.ErrHolderShowsID},
		{"王喆", render.ErrGlyphMissing},
		{strings.Repeat("张", 40), render.ErrHolderTooLong},
	} {
		if err := render.WriteCardPNG(&a, text, &render.CardOptions{Holder: c.holder}); !errors.Is(err, c.want) {
			t.Errorf("WriteCardPNG(holder %.12q) = %v, want %v", c.holder, err, c.want)
		}
		if err := render.WriteCardSVG(&a, text, &render.CardOptions{Holder: c.holder}); !errors.Is(err, c.want) {
			t.Errorf("WriteCardSVG(holder %.12q) = %v, want %v", c.holder, err, c.want)
		}
	}
	// Every holder line a batch card takes fits on a phone card.
	long := "张"
	for render.CheckHolder(long+"张") == nil {
		long += "张"
	}
	if err := render.WriteCardSVG(&a, text, &render.CardOptions{Holder: long}); err != nil {
		t.Errorf("WriteCardSVG(holder of %d characters, accepted by CheckHolder) = %v", len([]rune(long)), err)
	}
	if _, err := render.CardImage("OC1:NOTACODE", nil); !errors.Is(err, format.ErrBase45) {
		t.Errorf("CardImage(bad text) = %v, want a codec error", err)
	}
}
