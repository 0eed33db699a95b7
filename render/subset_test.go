package render

import (
	"bytes"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
)

// TestSubsetFont checks that a subset keeps the outlines of the glyphs
// asked for, byte for byte as sfnt reads them, and empties the others.
func TestSubsetFont(t *testing.T) {
	fi, err := loadFont()
	if err != nil {
		t.Fatal(err)
	}
	keep := make([]bool, len(fi.widths))
	kept := []rune("离线码0123456789ABC:*")
	for _, r := range kept {
		keep[fi.glyphs[r].id] = true
	}
	sub, err := subsetFont(fontTTF, keep)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) > len(fontTTF)/4 {
		t.Errorf("subset of %d glyphs is %d bytes, the whole font %d", len(kept), len(sub), len(fontTTF))
	}
	whole, err := sfnt.Parse(fontTTF)
	if err != nil {
		t.Fatal(err)
	}
	part, err := sfnt.Parse(sub)
	if err != nil {
		t.Fatalf("sfnt.Parse(subset) = %v", err)
	}
	var b sfnt.Buffer
	segs := func(f *sfnt.Font, r rune) sfnt.Segments {
		s, err := f.LoadGlyph(&b, sfnt.GlyphIndex(fi.glyphs[r].id), fixed.I(1000), nil)
		if err != nil {
			t.Fatalf("LoadGlyph(%q) = %v", r, err)
		}
		return append(sfnt.Segments(nil), s...)
	}
	for _, r := range kept {
		a, c := segs(whole, r), segs(part, r)
		if len(a) == 0 || len(a) != len(c) {
			t.Errorf("glyph %q: %d segments in the subset, %d in the font", r, len(c), len(a))
		}
	}
	if s := segs(part, '黄'); len(s) != 0 {
		t.Errorf("glyph '黄' not asked for has %d segments in the subset", len(s))
	}
}

// TestBatchPDFSubset checks that a batch embeds only the glyphs it shows:
// a one-card batch is a small fraction of the whole font.
func TestBatchPDFSubset(t *testing.T) {
	var buf bytes.Buffer
	b, err := NewBatch(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.AddText(testcode.Issue(0, codec.Green, codec.Personal), "张*华 **************002X", LevelQ); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 150<<10 {
		t.Errorf("one-card batch is %d bytes, want under 150 KiB", buf.Len())
	}
	if !bytes.Contains(buf.Bytes(), []byte("+"+fontName)) {
		t.Errorf("batch font is not named as a subset")
	}
}
