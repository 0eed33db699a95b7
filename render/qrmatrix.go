package render

import "sync"

// This file lays out a QR symbol's modules (ISO/IEC 18004 §7.3, §7.7):
// the function patterns, the version information, and the codewords in
// their two-column zigzag from the bottom right corner.

// qrPatterns is what every symbol of a version shares: the modules that
// hold no codeword bits, the order of those that do, and the masks.
type qrPatterns struct {
	fn   *bitRows // every function module, format information included
	dark *bitRows // the dark ones, format information left out (it depends on the mask)
	// order holds the data modules in the order codeword bits fill
	// them, as the index of their bit in a bitRows' words:
	// 64*(y*words + x/64) + x%64.
	order []uint16
	// masks[m] holds the modules mask pattern m flips in rows 0 to 11:
	// every mask repeats every 12 rows.
	masks [8][]uint64
}

// qrPatternsOf returns the patterns of a version (1 to 40), built on first
// use and shared, read-only, from then on.
var qrPatternsOf = func() func(version int) *qrPatterns {
	var cache [qrMaxVersion]func() *qrPatterns
	for i := range cache {
		cache[i] = sync.OnceValue(func() *qrPatterns { return newQRPatterns(i + 1) })
	}
	return func(version int) *qrPatterns { return cache[version-1]() }
}()

func newQRPatterns(version int) *qrPatterns {
	n := qrSize(version)
	p := &qrPatterns{fn: newBitRows(n), dark: newBitRows(n)}
	// Finder patterns (7×7: dark ring, light ring, dark 3×3) with their
	// light separators, and the format information areas beside them.
	for _, c := range [3][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		p.area(c[0]-1, c[1]-1, 9, 9)
		p.ring(c[0]+3, c[1]+3, 3)
		p.ring(c[0]+3, c[1]+3, 1)
		p.setDark(c[0]+3, c[1]+3)
	}
	p.area(8, 0, 1, 9) // format information, top left
	p.area(0, 8, 9, 1)
	p.area(n-8, 8, 8, 1) // top right
	p.area(8, n-8, 1, 8) // bottom left, with the dark module
	p.setDark(8, n-8)
	// Timing patterns: row and column 6, dark on even positions.
	for i := 8; i < n-8; i++ {
		p.fn.set(i, 6)
		p.fn.set(6, i)
		if i%2 == 0 {
			p.dark.set(i, 6)
			p.dark.set(6, i)
		}
	}
	cs := qrAlignment(version)
	for _, cy := range cs {
		for _, cx := range cs {
			if (cx == 6 && cy == 6) || (cx == 6 && cy == n-7) || (cx == n-7 && cy == 6) {
				continue // under a finder pattern
			}
			p.area(cx-2, cy-2, 5, 5)
			p.ring(cx, cy, 2)
			p.setDark(cx, cy)
		}
	}
	if version >= 7 {
		p.versionInfo(version)
	}
	p.order = dataOrder(p.fn)
	for mask := range p.masks {
		pat := make([]uint64, 12*p.fn.words)
		for y := 0; y < min(12, n); y++ {
			for x := 0; x < n; x++ {
				if maskBit(mask, x, y) {
					pat[y*p.fn.words+x/64] |= 1 << (x % 64)
				}
			}
		}
		p.masks[mask] = pat
	}
	return p
}

// area marks the w×h modules from x0, y0 (clipped to the symbol) as
// function modules.
func (p *qrPatterns) area(x0, y0, w, h int) {
	n := p.fn.n
	for y := max(y0, 0); y < min(y0+h, n); y++ {
		for x := max(x0, 0); x < min(x0+w, n); x++ {
			p.fn.set(x, y)
		}
	}
}

func (p *qrPatterns) setDark(x, y int) {
	p.fn.set(x, y)
	p.dark.set(x, y)
}

// ring marks the dark square ring at distance r from cx, cy.
func (p *qrPatterns) ring(cx, cy, r int) {
	for i := -r; i <= r; i++ {
		p.setDark(cx+i, cy-r)
		p.setDark(cx+i, cy+r)
		p.setDark(cx-r, cy+i)
		p.setDark(cx+r, cy+i)
	}
}

// versionInfo places the 18-bit version information (§7.10): the version
// in 6 bits and its (18, 6) BCH code, bit i in the 6×3 block at the
// bottom left (column i/3, row n-11+i%3) and, transposed, at the top
// right.
func (p *qrPatterns) versionInfo(version int) {
	n := p.fn.n
	rem := version << 12
	for i := 17; i >= 12; i-- {
		if rem>>i&1 == 1 {
			rem ^= 0x1f25 << (i - 12)
		}
	}
	word := version<<12 | rem
	for i := 0; i < 18; i++ {
		x, y := i/3, n-11+i%3
		p.fn.set(x, y)
		p.fn.set(y, x)
		if word>>i&1 == 1 {
			p.dark.set(x, y)
			p.dark.set(y, x)
		}
	}
}

// dataOrder returns the modules outside fn in the order codeword bits
// fill them: two columns at a time from the right, upwards then
// downwards, right module before left, skipping column 6.
func dataOrder(fn *bitRows) []uint16 {
	n := fn.n
	order := make([]uint16, 0, n*n)
	up := true
	for right := n - 1; right > 0; right -= 2 {
		if right == 6 {
			right-- // the vertical timing pattern takes a column of its own
		}
		for i := 0; i < n; i++ {
			y := i
			if up {
				y = n - 1 - i
			}
			for x := right; x >= right-1; x-- {
				if !fn.get(x, y) {
					order = append(order, uint16(64*(y*fn.words+x/64)+x%64))
				}
			}
		}
		up = !up
	}
	return order
}

// placeCodewords returns the modules of codewords (most significant bit
// first) placed in the data modules of a symbol with patterns p,
// unmasked; remainder modules stay light.
func placeCodewords(codewords []byte, p *qrPatterns) *bitRows {
	m := newBitRows(p.fn.n)
	order := p.order
	for _, c := range codewords {
		if len(order) < 8 {
			break
		}
		for i, pos := range order[:8] {
			m.w[pos/64] |= uint64(c>>(7-i)&1) << (pos % 64)
		}
		order = order[8:]
	}
	return m
}
