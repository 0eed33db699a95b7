package render

import "math/bits"

// This file chooses the QR mask pattern as gozxing's encoder does (the
// lowest penalty of ISO/IEC 18004 §7.8.3 as gozxing computes it, the
// first on a tie), but on bit-packed rows: each mask is applied to the
// codeword modules a word at a time, and each penalty is a few word
// operations per row instead of a walk over a byte matrix.

// bitRows is a square module matrix, one bitset per row: module x of row
// y is bit x%64 of word x/64.
type bitRows struct {
	n, words int
	w        []uint64 // n rows of words
}

func newBitRows(n int) *bitRows {
	words := (n + 63) / 64
	return &bitRows{n: n, words: words, w: make([]uint64, n*words)}
}

func (b *bitRows) row(y int) []uint64 { return b.w[y*b.words : (y+1)*b.words] }

func (b *bitRows) set(x, y int) { b.w[y*b.words+x/64] |= 1 << (x % 64) }

func (b *bitRows) get(x, y int) bool { return b.w[y*b.words+x/64]>>(x%64)&1 == 1 }

// transpose returns the matrix with rows and columns swapped.
func (b *bitRows) transpose() *bitRows {
	t := newBitRows(b.n)
	if b.words == 1 { // symbols up to version 11
		var a [64]uint64
		copy(a[:], b.w)
		transpose64(&a)
		copy(t.w, a[:b.n])
		return t
	}
	for y := 0; y < b.n; y++ {
		r := b.row(y)
		for wi, word := range r {
			for word != 0 {
				x := wi*64 + bits.TrailingZeros64(word)
				word &= word - 1
				t.set(y, x)
			}
		}
	}
	return t
}

// transpose64 transposes the 64×64 bit matrix a in place (bit x of a[y]
// becomes bit y of a[x]) by swapping ever smaller off-diagonal blocks:
// 32×32, then 16×16 within each, down to single bits.
func transpose64(a *[64]uint64) {
	m := uint64(0x00000000ffffffff)
	for j := 32; j != 0; j >>= 1 {
		for k := 0; k < 64; k = (k + j + 1) &^ j {
			t := (a[k]>>j ^ a[k+j]) & m
			a[k] ^= t << j
			a[k+j] ^= t
		}
		m ^= m << (j >> 1)
	}
}

// shifted returns row r shifted so that bit x of the result is bit x+k of
// r (k may be negative); bits from outside the row are 0.
func shifted(dst, r []uint64, k int) {
	words := len(r)
	if words == 1 && k > -64 && k < 64 { // symbols up to version 11
		if k >= 0 {
			dst[0] = r[0] >> k
		} else {
			dst[0] = r[0] << -k
		}
		return
	}
	for i := range dst {
		dst[i] = 0
	}
	for i := 0; i < words; i++ {
		// Bit x of dst[i] is bit 64i+x+k of r.
		src := 64*i + k
		wi, off := floorDiv(src, 64), ((src%64)+64)%64
		if wi >= 0 && wi < words {
			dst[i] |= r[wi] >> off
		}
		if off != 0 && wi+1 >= 0 && wi+1 < words {
			dst[i] |= r[wi+1] << (64 - off)
		}
	}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// penalty returns gozxing's mask penalty of m (t is m transposed): the sum
// of the four rules of ISO/IEC 18004 §7.8.3.
func penalty(m, t *bitRows) int {
	n, words := m.n, m.words
	if words == 1 {
		return penalty64(m, t)
	}
	valid := make([]uint64, words) // the n bits of a row
	for x := 0; x < n; x++ {
		valid[x/64] |= 1 << (x % 64)
	}
	tmp := [2][]uint64{make([]uint64, words), make([]uint64, words)}
	p := 0
	for _, mat := range []*bitRows{m, t} {
		for y := 0; y < n; y++ {
			p += runPenalty(mat.row(y), n, valid, tmp[0])
		}
	}
	p += 3 * sameBlocks(m, valid, tmp)
	p += 40 * finderLike(m, t)
	return p + balancePenalty(m)
}

// penalty64 is penalty for symbols of at most 64 modules a side (up to
// version 11), one word a row: each rule is a few operations per row.
func penalty64(m, t *bitRows) int {
	n := m.n
	valid := ^uint64(0) >> (64 - n) // x from 0 to n-1
	lim1 := valid >> 1              // x from 0 to n-2: a right neighbour
	lim7 := valid >> 6              // x from 0 to n-7: room for 1011101
	p, finders := 0, 0
	for _, mat := range [2]*bitRows{m, t} {
		for _, r := range mat.w {
			// Rule 1: same has bit x when modules x and x+1 agree; a
			// run of l >= 5 modules has l-4 places where four agree in
			// a row, and one start, so l-4 + 2 = 3 + (l-5).
			same := ^(r ^ r>>1) & lim1
			four := same & (same >> 1) & (same >> 2) & (same >> 3)
			p += bits.OnesCount64(four) + 2*bits.OnesCount64(four&^(same<<1))
			// Rule 3: 1011101 at x, with four light modules (or the
			// symbol's edge) before or after it.
			pat := r &^ (r >> 1) & (r >> 2) & (r >> 3) & (r >> 4) &^ (r >> 5) & (r >> 6)
			before := ^(r<<1 | r<<2 | r<<3 | r<<4)
			after := ^(r>>7 | r>>8 | r>>9 | r>>10)
			finders += bits.OnesCount64(pat & (before | after) & lim7)
		}
	}
	// Rule 2: 2×2 blocks of one colour.
	blocks := 0
	for y := 0; y+1 < n; y++ {
		r0, r1 := m.w[y], m.w[y+1]
		blocks += bits.OnesCount64(^(r0 ^ r1) & ^(r0>>1 ^ r1>>1) & ^(r0 ^ r0>>1) & lim1)
	}
	return p + 3*blocks + 40*finders + balancePenalty(m)
}

// runPenalty is rule 1 for one row r of n modules: 3 + (length - 5) for
// each run of five or more modules of one colour. next is scratch space of
// the row's length. A run ends where a module differs from the next one:
// those changes are found a word at a time.
func runPenalty(r []uint64, n int, valid, next []uint64) int {
	shifted(next, r, 1)
	p, start := 0, 0
	run := func(end int) {
		if l := end - start; l >= 5 {
			p += 3 + l - 5
		}
		start = end
	}
	for wi := range r {
		c := (r[wi] ^ next[wi]) & valid[wi]
		if wi == (n-1)/64 {
			c &^= 1 << ((n - 1) % 64) // the last module has no successor
		}
		for ; c != 0; c &= c - 1 {
			run(wi*64 + bits.TrailingZeros64(c) + 1)
		}
	}
	run(n)
	return p
}

// sameBlocks is rule 2: the number of 2×2 blocks of one colour in m. tmp
// is scratch space of two rows.
func sameBlocks(m *bitRows, valid []uint64, tmp [2][]uint64) int {
	n, words := m.n, m.words
	blocks := 0
	for y := 0; y+1 < n; y++ {
		r0, r1 := m.row(y), m.row(y+1)
		s0, s1 := tmp[0], tmp[1]
		shifted(s0, r0, 1)
		shifted(s1, r1, 1)
		for wi := 0; wi < words; wi++ {
			same := ^(r0[wi] ^ r1[wi]) & ^(s0[wi] ^ s1[wi]) & ^(r0[wi] ^ s0[wi])
			// x from 0 to n-2.
			lim := valid[wi]
			if wi == (n-1)/64 {
				lim &^= 1 << ((n - 1) % 64)
			}
			blocks += bits.OnesCount64(same & lim)
		}
	}
	return blocks
}

// finderLike is rule 3: the number of 1011101 patterns with four light
// modules on one side (modules outside the symbol count as light), in the
// rows of m and of t, its transpose.
func finderLike(m, t *bitRows) int {
	n, words := m.n, m.words
	at := make([][]uint64, 15)
	for i := range at {
		at[i] = make([]uint64, words)
	}
	// lim holds the x from which a 7-module pattern fits: 0 to n-7.
	lim := make([]uint64, words)
	for x := 0; x+6 < n; x++ {
		lim[x/64] |= 1 << (x % 64)
	}
	finders := 0
	for _, mat := range []*bitRows{m, t} {
		for y := 0; y < n; y++ {
			r := mat.row(y)
			// at[k] holds bit x+k, for k from -4 to 10.
			for k := -4; k <= 10; k++ {
				shifted(at[k+4], r, k)
			}
			for wi := 0; wi < words; wi++ {
				a := func(k int) uint64 { return at[k+4][wi] }
				pat := a(0) & ^a(1) & a(2) & a(3) & a(4) & ^a(5) & a(6)
				before := ^(a(-1) | a(-2) | a(-3) | a(-4))
				after := ^(a(7) | a(8) | a(9) | a(10))
				finders += bits.OnesCount64(pat & (before | after) & lim[wi])
			}
		}
	}
	return finders
}

// balancePenalty is rule 4: 10 for every 5% the dark share of m strays
// from half.
func balancePenalty(m *bitRows) int {
	dark := 0
	for _, word := range m.w {
		dark += bits.OnesCount64(word)
	}
	total := m.n * m.n
	d := dark*2 - total
	if d < 0 {
		d = -d
	}
	return d * 10 / total * 10
}

// formatWord returns the 15 format information bits (§7.9) for the
// level's two bits and the mask: 5 data bits and their (15, 5) BCH code,
// XORed with 101010000010010.
func formatWord(levelBits, mask int) int {
	info := levelBits<<3 | mask
	v := info << 10
	for bitsLen(v) >= 11 {
		v ^= 0x537 << (bitsLen(v) - 11)
	}
	return (info<<10 | v) ^ 0x5412
}

// placeFormat sets the dark modules of both copies of format information
// word in m, a symbol whose format modules are light.
func placeFormat(m *bitRows, word int) {
	n := m.n
	coords := [15][2]int{{8, 0}, {8, 1}, {8, 2}, {8, 3}, {8, 4}, {8, 5}, {8, 7}, {8, 8}, {7, 8}, {5, 8}, {4, 8}, {3, 8}, {2, 8}, {1, 8}, {0, 8}}
	for i := 0; i < 15; i++ {
		if word>>i&1 == 0 {
			continue
		}
		m.set(coords[i][0], coords[i][1])
		if i < 8 {
			m.set(n-i-1, 8)
		} else {
			m.set(8, n-7+(i-8))
		}
	}
}

func bitsLen(v int) int { return bits.Len32(uint32(v)) }

// maskBit reports whether mask pattern m flips module x, y (ISO/IEC
// 18004 Table 10).
func maskBit(m, x, y int) bool {
	switch m {
	case 0:
		return (x+y)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (x+y)%3 == 0
	case 4:
		return (y/2+x/3)%2 == 0
	case 5:
		return (x*y)%2+(x*y)%3 == 0
	case 6:
		return ((x*y)%2+(x*y)%3)%2 == 0
	}
	return ((x*y)%3+(x+y)%2)%2 == 0
}

// chooseMask returns the mask gozxing's encoder would choose and the
// symbol under it, given the unmasked codeword modules data and the
// version's patterns p.
func chooseMask(data *bitRows, p *qrPatterns, levelBits int) (int, *bitRows) {
	n := data.n
	var best *bitRows
	bestMask, bestPenalty := -1, 0
	for mask, pat := range p.masks {
		m := newBitRows(n)
		for y := 0; y < n; y++ {
			d, fr, dr := data.row(y), p.fn.row(y), p.dark.row(y)
			pr := pat[(y%12)*data.words:]
			out := m.row(y)
			for wi := range out {
				out[wi] = (d[wi]^pr[wi])&^fr[wi] | dr[wi]
			}
		}
		placeFormat(m, formatWord(levelBits, mask))
		if pen := penalty(m, m.transpose()); bestMask < 0 || pen < bestPenalty {
			best, bestMask, bestPenalty = m, mask, pen
		}
	}
	return bestMask, best
}
