package render

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// errFont is a font file this package cannot subset.
var errFont = errors.New("render: malformed TrueType font")

// subsetTables are the tables kept in a subset: those a PDF viewer reads
// from an embedded TrueType font shown through glyph indices (ISO 32000-1
// §9.9), the outlines, their metrics and the hinting programs, and cmap,
// name and post, without which the subset is no font file that other
// tools open. The vertical metrics and the rest are left out.
var subsetTables = []string{"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"}

// subsetFont returns the TrueType font ttf with every glyph outline
// emptied but those of the glyph indices in keep (and the components of
// kept composite glyphs) and glyph 0. Glyph indices do not change, so text
// shown as glyph indices through an identity map needs no remapping, and
// metrics stay whole.
func subsetFont(ttf []byte, keep []bool) ([]byte, error) {
	tables, err := fontTables(ttf)
	if err != nil {
		return nil, err
	}
	gt, err := newGlyphTable(tables)
	if err != nil {
		return nil, err
	}
	want, err := gt.closure(keep)
	if err != nil {
		return nil, err
	}
	newGlyf, newLoca, err := gt.rebuild(want)
	if err != nil {
		return nil, err
	}
	zeroMetrics(tables, want)
	newHead := slices.Clone(tables["head"])
	binary.BigEndian.PutUint16(newHead[50:], 1)
	binary.BigEndian.PutUint32(newHead[8:], 0) // checkSumAdjustment, set by writeFontTables
	tables["head"], tables["loca"], tables["glyf"] = newHead, newLoca, newGlyf
	return writeFontTables(tables)
}

// glyphTable is the outlines of a font: glyf, indexed by loca.
type glyphTable struct {
	n          int // glyphs, from maxp
	long       bool
	loca, glyf []byte
}

func newGlyphTable(tables map[string][]byte) (*glyphTable, error) {
	head, maxp, glyf := tables["head"], tables["maxp"], tables["glyf"]
	if len(head) < 54 || len(maxp) < 6 || glyf == nil {
		return nil, errFont
	}
	return &glyphTable{
		n:    int(binary.BigEndian.Uint16(maxp[4:])),
		long: binary.BigEndian.Uint16(head[50:]) == 1,
		loca: tables["loca"],
		glyf: glyf,
	}, nil
}

// offset returns entry i of loca, in bytes.
func (gt *glyphTable) offset(i int) (int, bool) {
	if gt.long {
		if 4*i+4 > len(gt.loca) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(gt.loca[4*i:])), true
	}
	if 2*i+2 > len(gt.loca) {
		return 0, false
	}
	return 2 * int(binary.BigEndian.Uint16(gt.loca[2*i:])), true
}

// outline returns the glyf data of glyph g.
func (gt *glyphTable) outline(g int) ([]byte, error) {
	a, ok1 := gt.offset(g)
	b, ok2 := gt.offset(g + 1)
	if !ok1 || !ok2 || a > b || b > len(gt.glyf) {
		return nil, fmt.Errorf("%w: glyph %d", errFont, g)
	}
	return gt.glyf[a:b], nil
}

// closure returns, by glyph index, glyph 0, the glyphs in keep and,
// transitively, the components of the composite glyphs among them.
func (gt *glyphTable) closure(keep []bool) ([]bool, error) {
	want := make([]bool, gt.n)
	var stack []int
	mark := func(g int) {
		if g < gt.n && !want[g] {
			want[g] = true
			stack = append(stack, g)
		}
	}
	mark(0)
	for g, k := range keep {
		if k {
			mark(g)
		}
	}
	for len(stack) > 0 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		o, err := gt.outline(g)
		if err != nil {
			return nil, err
		}
		if err := components(o, mark); err != nil {
			return nil, fmt.Errorf("%w: composite glyph %d", err, g)
		}
	}
	return want, nil
}

// components calls mark with the glyph index of every component of the
// outline o, if it is a composite glyph.
func components(o []byte, mark func(int)) error {
	if len(o) < 10 || int16(binary.BigEndian.Uint16(o)) >= 0 {
		return nil // empty or simple
	}
	for p := 10; ; {
		if p+4 > len(o) {
			return errFont
		}
		flags := binary.BigEndian.Uint16(o[p:])
		mark(int(binary.BigEndian.Uint16(o[p+2:])))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			return nil
		}
	}
}

// rebuild returns a glyf holding the outlines of the wanted glyphs only,
// each padded to 4 bytes, and its long loca.
func (gt *glyphTable) rebuild(want []bool) (glyf, loca []byte, err error) {
	loca = make([]byte, 4*(gt.n+1))
	for g := 0; g < gt.n; g++ {
		binary.BigEndian.PutUint32(loca[4*g:], uint32(len(glyf)))
		if !want[g] {
			continue
		}
		o, err := gt.outline(g)
		if err != nil {
			return nil, nil, err
		}
		glyf = append(glyf, o...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
	}
	binary.BigEndian.PutUint32(loca[4*gt.n:], uint32(len(glyf)))
	return glyf, loca, nil
}

// zeroMetrics zeroes, in a copy of hmtx, the metrics of the glyphs not
// wanted: they compress to nothing, and the widths a viewer uses are in
// the PDF.
func zeroMetrics(tables map[string][]byte, want []bool) {
	hhea, hmtx := tables["hhea"], tables["hmtx"]
	if len(hhea) < 36 || hmtx == nil {
		return
	}
	hmtx = slices.Clone(hmtx)
	metrics := int(binary.BigEndian.Uint16(hhea[34:]))
	for g, w := range want {
		if w {
			continue
		}
		if g < metrics && 4*g+4 <= len(hmtx) {
			clear(hmtx[4*g : 4*g+4])
		} else if at := 4*metrics + 2*(g-metrics); g >= metrics && at+2 <= len(hmtx) {
			clear(hmtx[at : at+2])
		}
	}
	tables["hmtx"] = hmtx
}

// fontTables returns the tables of a TrueType font by tag.
func fontTables(ttf []byte) (map[string][]byte, error) {
	if len(ttf) < 12 {
		return nil, errFont
	}
	num := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*num {
		return nil, errFont
	}
	tables := map[string][]byte{}
	for i := 0; i < num; i++ {
		rec := ttf[12+16*i:]
		off, length := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || length < 0 || off+length > len(ttf) {
			return nil, fmt.Errorf("%w: table %q out of range", errFont, rec[:4])
		}
		tables[string(rec[:4])] = ttf[off : off+length]
	}
	return tables, nil
}

// writeFontTables writes the subsetTables present in tables as a TrueType
// font file, with table checksums and the head checksum adjustment.
func writeFontTables(tables map[string][]byte) ([]byte, error) {
	var tags []string
	for _, t := range subsetTables {
		if tables[t] != nil {
			tags = append(tags, t)
		}
	}
	num := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= num {
		entrySelector++
	}
	searchRange := 16 << entrySelector
	out := make([]byte, 12+16*num)
	binary.BigEndian.PutUint32(out[0:], 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(num))
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(16*num-searchRange))
	headAt := -1
	for i, t := range tags {
		data := tables[t]
		if t == "head" {
			headAt = len(out)
		}
		rec := out[12+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], checksum(data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	if headAt < 0 {
		return nil, fmt.Errorf("%w: no head table", errFont)
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out, nil
}

// checksum is the TrueType table checksum: the sum of big-endian uint32s.
func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}
