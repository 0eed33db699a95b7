package render

import (
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// fontTTF is a subset of WenQuanYi Micro Hei covering GB 2312 and ASCII,
// made by font/subset.sh; its licence is in font/LICENSE.
//
//go:embed font/wqy-microhei-gb2312.ttf
var fontTTF []byte

// fontName is the name sheets give the font.
const fontName = "WenQuanYiMicroHei"

// glyph is one character of the embedded font.
type glyph struct {
	id    uint16 // glyph index
	width uint16 // advance width, thousandths of an em
}

// fontInfo is what the drawing code needs of the embedded font.
type fontInfo struct {
	glyphs map[rune]glyph
	// widths lists the advance of every glyph index, thousandths of an em.
	widths                     []uint16
	ascent, descent, capHeight int // thousandths of an em
	bbox                       [4]int
}

var (
	fontOnce sync.Once
	fontData *fontInfo
	fontErr  error
)

// loadFont parses the embedded font once.
func loadFont() (*fontInfo, error) {
	fontOnce.Do(func() { fontData, fontErr = parseFont(fontTTF) })
	return fontData, fontErr
}

func parseFont(ttf []byte) (*fontInfo, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("render: parsing embedded font: %w", err)
	}
	var buf sfnt.Buffer
	upem := int(f.UnitsPerEm())
	ppem := fixed.I(upem) // one font unit per pixel
	scale := func(v fixed.Int26_6) int { return int(int64(v) * 1000 / int64(ppem)) }
	fi := &fontInfo{glyphs: make(map[rune]glyph, 8000)}
	n := f.NumGlyphs()
	fi.widths = make([]uint16, n)
	for i := 0; i < n; i++ {
		adv, err := f.GlyphAdvance(&buf, sfnt.GlyphIndex(i), ppem, 0)
		if err != nil {
			return nil, fmt.Errorf("render: embedded font glyph %d: %w", i, err)
		}
		fi.widths[i] = uint16(scale(adv))
	}
	for r := rune(0x20); r <= 0xffff; r++ {
		if 0xd800 <= r && r < 0xe000 {
			continue
		}
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			continue
		}
		fi.glyphs[r] = glyph{id: uint16(gi), width: fi.widths[gi]}
	}
	m, err := f.Metrics(&buf, ppem, 0)
	if err != nil {
		return nil, fmt.Errorf("render: embedded font metrics: %w", err)
	}
	fi.ascent, fi.descent, fi.capHeight = scale(m.Ascent), -scale(m.Descent), scale(m.CapHeight)
	b, err := f.Bounds(&buf, ppem, 0)
	if err != nil {
		return nil, fmt.Errorf("render: embedded font bounds: %w", err)
	}
	// sfnt's bounds have y growing downwards.
	fi.bbox = [4]int{scale(b.Min.X), -scale(b.Max.Y), scale(b.Max.X), -scale(b.Min.Y)}
	return fi, nil
}

// checkText returns a *glyphError for the first character of s the font
// lacks.
func (fi *fontInfo) checkText(s string) error {
	for _, r := range s {
		if _, ok := fi.glyphs[r]; !ok {
			return &glyphError{Rune: r, Text: s}
		}
	}
	return nil
}

// width returns the advance of s at size points, in millimetres.
func (fi *fontInfo) width(s string, size float64) float64 {
	w := 0
	for _, r := range s {
		w += int(fi.glyphs[r].width)
	}
	return float64(w) / 1000 * size * mmPerPt
}
