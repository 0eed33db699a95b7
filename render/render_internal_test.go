package render

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
)

// recorder is a canvas that keeps the text drawn on it.
type recorder struct{ texts []string }

func (r *recorder) setFill(rgb)                       {}
func (r *recorder) rect(x, y, w, h float64)           {}
func (r *recorder) polygon([]point)                   {}
func (r *recorder) setStroke(rgb, float64, float64)   {}
func (r *recorder) line(x1, y1, x2, y2 float64)       {}
func (r *recorder) text(x, y, size float64, s string) { r.texts = append(r.texts, s) }
func newSFNT(t *testing.T) (*sfnt.Font, *sfnt.Buffer) {
	t.Helper()
	f, err := sfnt.Parse(fontTTF)
	if err != nil {
		t.Fatalf("sfnt.Parse(embedded font): %v", err)
	}
	return f, new(sfnt.Buffer)
}

// TestSheetTextInFont draws every colour and kind, as a sheet and as a
// batch card, with a holder line, and checks every character drawn against
// the font's own cmap (read by sfnt, not by the code under test).
func TestSheetTextInFont(t *testing.T) {
	f, buf := newSFNT(t)
	fi, err := loadFont()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	i := 0
	for col := codec.Green; col <= codec.Red; col++ {
		for kind := codec.Personal; kind <= codec.Kin; kind++ {
			i++
			cd, err := newCard(fi, testcode.Issue(i, col, kind), "张*华 **************123X", LevelQ)
			if err != nil {
				t.Fatalf("newCard(%v, %v): %v", col, kind, err)
			}
			r := new(recorder)
			drawSheet(r, fi, cd)
			drawCard(r, fi, cd, 0, 0)
			for _, s := range r.texts {
				seen[s] = true
			}
		}
	}
	for _, want := range append([]string{labelTitle, labelIssued, labelValidUntil, labelInstruction, labelHolderNote}, append(colourWords[:], kindWords[:]...)...) {
		if !seen[want] {
			t.Errorf("label %q never drawn", want)
		}
	}
	// Every digit in every position of a date: the layout's characters.
	seen["0123456789-: "] = true
	for s := range seen {
		for _, r := range s {
			gi, err := f.GlyphIndex(buf, r)
			if err != nil || gi == 0 {
				t.Errorf("drawn text %q: character %q (U+%04X) not in the font", s, r, r)
			}
		}
	}
}

// TestFontCoversGB2312 checks every character of GB 2312: all 7445 of
// them, read through the GBK decoder, which agrees with GB 2312 on its
// code points except for the cells GBK filled in (gbkAdded).
func TestFontCoversGB2312(t *testing.T) {
	f, buf := newSFNT(t)
	dec := simplifiedchinese.GBK.NewDecoder()
	n := 0
	for b1 := 0xA1; b1 <= 0xF7; b1++ {
		if b1 >= 0xAA && b1 <= 0xAF {
			continue // unassigned rows 10-15
		}
		for b2 := 0xA1; b2 <= 0xFE; b2++ {
			if gbkAdded(b1<<8 | b2) {
				continue
			}
			s, err := dec.Bytes([]byte{byte(b1), byte(b2)})
			if err != nil {
				continue
			}
			r := []rune(string(s))
			if len(r) != 1 || r[0] == 0xFFFD || (r[0] >= 0xE000 && r[0] <= 0xF8FF) {
				continue // unassigned cell
			}
			n++
			if gi, err := f.GlyphIndex(buf, r[0]); err != nil || gi == 0 {
				t.Errorf("GB 2312 %02X%02X %q (U+%04X) not in the font", b1, b2, r[0], r[0])
			}
		}
	}
	if n != 7445 {
		t.Fatalf("walked %d GB 2312 characters, want 7445", n)
	}
	for r := rune(0x20); r < 0x7f; r++ {
		if gi, err := f.GlyphIndex(buf, r); err != nil || gi == 0 {
			t.Errorf("ASCII %q not in the font", r)
		}
	}
}

// gbkAdded reports whether a cell in rows 1-87 was unassigned in GB 2312
// and given a character by GBK: small Roman numerals, vertical forms and
// some pinyin letters, and the euro sign.
func gbkAdded(c int) bool {
	return c >= 0xA2A1 && c <= 0xA2AA || c >= 0xA6E0 && c <= 0xA6EB || c >= 0xA6EE && c <= 0xA6F2 ||
		c == 0xA6F4 || c == 0xA6F5 || c >= 0xA8BB && c <= 0xA8C0 || c == 0xA2E3 // € (GB 18030)
}

func TestHolderGlyphMissing(t *testing.T) {
	text := testcode.Issue(0, codec.Green, codec.Personal)
	for _, c := range []struct {
		holder string
		r      rune
	}{
		{"王喆 1101**********002X", '喆'}, // not in GB 2312
		{"张*华 😀", '😀'},
		{"İ", 'İ'},
	} {
		err := WriteSheet(new(discard), text, &SheetOptions{Holder: c.holder})
		var ge *GlyphError
		if !errors.As(err, &ge) || !errors.Is(err, ErrGlyphMissing) || ge.Rune != c.r {
			t.Errorf("WriteSheet(holder %q) = %v, want GlyphError for %q", c.holder, err, c.r)
		}
		if err := CheckCard(text, c.holder); !errors.Is(err, ErrGlyphMissing) {
			t.Errorf("CheckCard(holder %q) = %v, want ErrGlyphMissing", c.holder, err)
		}
	}
}

type discard struct{ n int }

func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

func TestFontMetrics(t *testing.T) {
	fi, err := loadFont()
	if err != nil {
		t.Fatal(err)
	}
	if g := fi.glyphs['码']; g.id == 0 || g.width != 1000 {
		t.Errorf("glyph 码 = %+v, want an em-wide glyph", g)
	}
	if got := fmt.Sprint(fi.ascent > 0, fi.descent < 0); got != "true true" {
		t.Errorf("ascent %d descent %d", fi.ascent, fi.descent)
	}
}
