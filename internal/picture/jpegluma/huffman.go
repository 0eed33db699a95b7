package jpegluma

import "fmt"

// lutBits is how many leading bits of the data the Huffman lookup tables
// resolve at once; longer codes are decoded bit length by bit length.
const lutBits = 11

// huffTable is a Huffman table of a DHT segment (T.81 §B.2.4.2, Annex C).
type huffTable struct {
	// lut maps the next lutBits bits to (code length << 8 | symbol), or to
	// 0 when the code is longer than lutBits bits.
	lut [1 << lutBits]uint16
	// ac maps the next lutBits bits, when they hold both the code of an AC
	// symbol (a run of zeros and a size, not 0) and the size's extra bits,
	// to (coefficient << 16 | run << 8 | code length << 4 | bits used);
	// when they hold the code of the end of a block (symbol 0), to
	// (64 << 8 | code length << 4 | code length), a run past the block's
	// end, so that the decoder's one test ends the block; otherwise to 0.
	ac [1 << lutBits]int32
	// maxCode[l] is the largest code of length l, or -1 when there is none;
	// valOffset[l] + code is the index in vals of a code of length l.
	maxCode   [17]int32
	valOffset [17]int32
	vals      [256]byte
	defined   bool
}

// build makes the table from the counts of codes of each length 1..16
// and their symbols, in order (T.81 §C.2, Figures C.1 to C.3).
func (t *huffTable) build(counts *[16]byte, vals []byte) error {
	*t = huffTable{defined: true}
	copy(t.vals[:], vals)
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		t.maxCode[l] = -1
		if code+n > 1<<l {
			return fmt.Errorf("%w: Huffman table has more codes of %d bits than fit", ErrFormat, l)
		}
		if n > 0 {
			t.valOffset[l] = k - code
			for i := int32(0); i < n && l <= lutBits; i++ {
				shift := lutBits - l
				for j := (code + i) << shift; j < (code+i+1)<<shift; j++ {
					t.lut[j] = uint16(l)<<8 | uint16(vals[k+i])
				}
			}
			code += n
			k += n
			t.maxCode[l] = code - 1
		}
		code <<= 1
	}
	for j := range t.lut {
		l, sym := int32(t.lut[j]>>8), int32(t.lut[j]&0xff)
		run, size := sym>>4, sym&15
		if l != 0 && sym == 0 {
			t.ac[j] = 64<<8 | l<<4 | l
			continue
		}
		if l == 0 || size == 0 || l+size > lutBits {
			continue
		}
		v := int32(j) >> (lutBits - l - size) & (1<<size - 1)
		if v < 1<<(size-1) {
			v += -1<<size + 1
		}
		t.ac[j] = v<<16 | run<<8 | l<<4 | (l + size)
	}
	return nil
}

// decode reads one Huffman-coded symbol (T.81 §F.2.2.3). A bit string
// that is no code of the table sets r.err and reads as symbol 0.
func (r *bitReader) decode(t *huffTable) byte {
	if r.n < 16 {
		r.refill()
	}
	if e := t.lut[r.acc>>(64-lutBits)]; e != 0 {
		l := uint(e >> 8)
		r.acc <<= l
		r.n -= l
		return byte(e)
	}
	for l := uint(lutBits + 1); l <= 16; l++ {
		code := int32(r.acc >> (64 - l))
		if code <= t.maxCode[l] {
			r.acc <<= l
			r.n -= l
			return t.vals[t.valOffset[l]+code]
		}
	}
	r.fail(fmt.Errorf("%w: bad Huffman code", ErrFormat))
	return 0
}
