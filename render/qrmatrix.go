package render

// This file lays out a QR symbol's modules (ISO/IEC 18004 §7.3, §7.7):
// the function patterns, the version information, and the codewords in
// their two-column zigzag from the bottom right corner.

// qrPatterns are the modules of a version that hold no codeword bits.
type qrPatterns struct {
	fn   *bitRows // every function module, format information included
	dark *bitRows // the dark ones, format information left out (it depends on the mask)
}

func newQRPatterns(version int) qrPatterns {
	n := qrSize(version)
	p := qrPatterns{fn: newBitRows(n), dark: newBitRows(n)}
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
	return p
}

// area marks the w×h modules from x0, y0 (clipped to the symbol) as
// function modules.
func (p qrPatterns) area(x0, y0, w, h int) {
	n := p.fn.n
	for y := max(y0, 0); y < min(y0+h, n); y++ {
		for x := max(x0, 0); x < min(x0+w, n); x++ {
			p.fn.set(x, y)
		}
	}
}

func (p qrPatterns) setDark(x, y int) {
	p.fn.set(x, y)
	p.dark.set(x, y)
}

// ring marks the dark square ring at distance r from cx, cy.
func (p qrPatterns) ring(cx, cy, r int) {
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
func (p qrPatterns) versionInfo(version int) {
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

// placeCodewords returns the modules of codewords (most significant bit
// first) placed in the data modules of a symbol whose function modules
// are fn, unmasked; remainder modules stay light.
func placeCodewords(codewords []byte, fn *bitRows) *bitRows {
	n := fn.n
	m := newBitRows(n)
	bit, total := 0, 8*len(codewords)
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
				if fn.get(x, y) {
					continue
				}
				if bit < total && codewords[bit/8]&(0x80>>(bit%8)) != 0 {
					m.set(x, y)
				}
				bit++
			}
		}
		up = !up
	}
	return m
}
