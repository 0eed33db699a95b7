package render

import "fmt"

// This file turns text into the codeword sequence of a QR symbol as
// ISO/IEC 18004 specifies it for one alphanumeric segment: the segment's
// bits (§7.4.4), the smallest version that holds them (§7.4.9, Table 7),
// padding (§7.4.10), the split into blocks with their error correction
// codewords (§7.5, Table 9) and the interleaving of the blocks (§7.6).

// qrMaxVersion is the largest QR version.
const qrMaxVersion = 40

// ISO/IEC 18004 Table 9, by level (L, M, Q, H) and version 1 to 40: the
// error correction codewords of every block, and the number of blocks.
var (
	qrECPerBlock = [4][qrMaxVersion]uint8{
		{7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
		{10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
		{13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
		{17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
	}
	qrBlockCount = [4][qrMaxVersion]uint8{
		{1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
		{1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
		{1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
		{1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
	}
)

// row returns the level's row in the tables above and the two bits it
// puts in the format information (§7.9.1, Table 12).
func (l Level) row() (i, formatBits int, err error) {
	switch l {
	case LevelL:
		return 0, 1, nil
	case LevelM:
		return 1, 0, nil
	case LevelQ:
		return 2, 3, nil
	case LevelH:
		return 3, 2, nil
	}
	return 0, 0, fmt.Errorf("render: unknown error correction level %d", int(l))
}

// qrLayout is how a version and level divide the symbol's codewords.
type qrLayout struct {
	version    int
	total      int // all codewords
	ecPerBlock int
	blocks     int
	data       int // data codewords of all blocks
}

func newQRLayout(version, level int) qrLayout {
	lo := qrLayout{
		version:    version,
		total:      qrDataModules(version) / 8,
		ecPerBlock: int(qrECPerBlock[level][version-1]),
		blocks:     int(qrBlockCount[level][version-1]),
	}
	lo.data = lo.total - lo.ecPerBlock*lo.blocks
	return lo
}

// qrSize is the width of a symbol of the given version, in modules.
func qrSize(version int) int { return 17 + 4*version }

// qrDataModules is the number of modules of a symbol of the given version
// left for codewords (and remainder bits) once the function patterns,
// format and version information are placed.
func qrDataModules(version int) int {
	n := qrSize(version)
	m := n*n - 3*64 - 2*(n-16) - 31 // finders with separators, timing, format and the dark module
	if na := len(qrAlignment(version)); na > 0 {
		m -= 25 * (na*na - 3) // alignment patterns, less the three under finders
		m += 2 * 5 * (na - 2) // those crossing the timing patterns were counted twice
	}
	if version >= 7 {
		m -= 36
	}
	return m
}

// qrAlignment returns the row and column centres of the alignment
// patterns of a version (Annex E): 6, then evenly spaced to size-7, the
// step even and rounded up, except version 32's.
func qrAlignment(version int) []int {
	if version < 2 {
		return nil
	}
	na := version/7 + 2
	last := qrSize(version) - 7
	step := (last - 6 + na - 2) / (na - 1)
	step += step & 1
	if version == 32 {
		step = 26
	}
	c := make([]int, na)
	c[0] = 6
	for i := na - 1; i > 0; i-- {
		c[i] = last - (na-1-i)*step
	}
	return c
}

// qrCountBits is the width of an alphanumeric segment's character count
// (Table 3).
func qrCountBits(version int) int {
	switch {
	case version <= 9:
		return 9
	case version <= 26:
		return 11
	}
	return 13
}

// alphanumericValue returns c's value in the QR alphanumeric set (Table 5),
// or -1.
func alphanumericValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 10
	}
	switch c {
	case ' ':
		return 36
	case '$':
		return 37
	case '%':
		return 38
	case '*':
		return 39
	case '+':
		return 40
	case '-':
		return 41
	case '.':
		return 42
	case '/':
		return 43
	case ':':
		return 44
	}
	return -1
}

// chooseLayout returns the layout of the smallest version whose data
// codewords hold an alphanumeric segment of n characters at level.
func chooseLayout(n, level int) (qrLayout, error) {
	textBits := n/2*11 + n%2*6
	for v := 1; v <= qrMaxVersion; v++ {
		lo := newQRLayout(v, level)
		if 4+qrCountBits(v)+textBits <= lo.data*8 {
			return lo, nil
		}
	}
	return qrLayout{}, fmt.Errorf("%w: %d characters", errTooLong, n)
}

// bitWriter appends bits to a byte slice, most significant first.
type bitWriter struct {
	buf []byte
	n   int // bits written
}

func (w *bitWriter) write(v uint32, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if v>>i&1 == 1 {
			w.buf[w.n/8] |= 0x80 >> (w.n % 8)
		}
		w.n++
	}
}

// dataCodewords returns the data codewords of text (all alphanumeric) in
// layout lo: mode, count, characters, terminator, padding.
func dataCodewords(text string, lo qrLayout) []byte {
	w := bitWriter{buf: make([]byte, lo.data)}
	w.write(0b0010, 4)
	w.write(uint32(len(text)), qrCountBits(lo.version))
	for i := 0; i+1 < len(text); i += 2 {
		w.write(uint32(alphanumericValue(text[i])*45+alphanumericValue(text[i+1])), 11)
	}
	if len(text)%2 == 1 {
		w.write(uint32(alphanumericValue(text[len(text)-1])), 6)
	}
	// The terminator (four 0 bits, fewer if the symbol is full) and the
	// zero bits up to the next byte are already there: the buffer starts
	// zeroed.
	end := min(w.n+4, 8*lo.data)
	for i, pad := (end+7)/8, byte(0xec); i < lo.data; i, pad = i+1, pad^0xec^0x11 {
		w.buf[i] = pad
	}
	return w.buf
}

// interleave returns the symbol's codeword sequence: the data codewords
// split into blocks (the short blocks first, the long ones one codeword
// longer), then the blocks' data codewords interleaved, then their error
// correction codewords interleaved.
func interleave(data []byte, lo qrLayout) []byte {
	f := qrField()
	out := make([]byte, lo.total)
	short := lo.data / lo.blocks
	long := lo.blocks - lo.data%lo.blocks // index of the first long block
	ec := make([]byte, lo.ecPerBlock)
	ecStart := lo.data
	off := 0
	for b := 0; b < lo.blocks; b++ {
		n := short
		if b >= long {
			n++
		}
		block := data[off : off+n]
		off += n
		for i, c := range block {
			// Codeword i of block b: after i codewords of every block
			// (the last row has only the long blocks).
			pos := i*lo.blocks + b
			if i == short {
				pos = short*lo.blocks + b - long
			}
			out[pos] = c
		}
		f.ecCodewords(block, ec)
		for i, c := range ec {
			out[ecStart+i*lo.blocks+b] = c
		}
	}
	return out
}
