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
	head, maxp, loca, glyf := tables["head"], tables["maxp"], tables["loca"], tables["glyf"]
	if len(head) < 54 || len(maxp) < 6 || glyf == nil {
		return nil, errFont
	}
	n := int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	offset := func(i int) (int, bool) {
		if long {
			if 4*i+4 > len(loca) {
				return 0, false
			}
			return int(binary.BigEndian.Uint32(loca[4*i:])), true
		}
		if 2*i+2 > len(loca) {
			return 0, false
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*i:])), true
	}
	outline := func(g int) ([]byte, error) {
		a, ok1 := offset(g)
		b, ok2 := offset(g + 1)
		if !ok1 || !ok2 || a > b || b > len(glyf) {
			return nil, fmt.Errorf("%w: glyph %d", errFont, g)
		}
		return glyf[a:b], nil
	}
	// The kept glyphs and, transitively, their components.
	want := make([]bool, n)
	var stack []int
	mark := func(g int) {
		if g < n && !want[g] {
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
		o, err := outline(g)
		if err != nil {
			return nil, err
		}
		if len(o) < 10 || int16(binary.BigEndian.Uint16(o)) >= 0 {
			continue // empty or simple
		}
		for p := 10; ; {
			if p+4 > len(o) {
				return nil, fmt.Errorf("%w: composite glyph %d", errFont, g)
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
				break
			}
		}
	}
	// New glyf and long loca.
	var newGlyf []byte
	newLoca := make([]byte, 4*(n+1))
	for g := 0; g < n; g++ {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if !want[g] {
			continue
		}
		o, err := outline(g)
		if err != nil {
			return nil, err
		}
		newGlyf = append(newGlyf, o...)
		for len(newGlyf)%4 != 0 {
			newGlyf = append(newGlyf, 0)
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*n:], uint32(len(newGlyf)))
	// Metrics of the emptied glyphs are zeroed too: they compress to
	// nothing, and the widths a viewer uses are in the PDF.
	if hhea, hmtx := tables["hhea"], tables["hmtx"]; len(hhea) >= 36 && hmtx != nil {
		hmtx = slices.Clone(hmtx)
		metrics := int(binary.BigEndian.Uint16(hhea[34:]))
		for g := 0; g < n; g++ {
			if want[g] {
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
	newHead := slices.Clone(head)
	binary.BigEndian.PutUint16(newHead[50:], 1)
	binary.BigEndian.PutUint32(newHead[8:], 0) // checkSumAdjustment, set below
	tables["head"], tables["loca"], tables["glyf"] = newHead, newLoca, newGlyf
	return writeFontTables(tables)
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
