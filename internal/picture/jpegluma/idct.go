package jpegluma

import "encoding/binary"

// The inverse DCT of T.81 §A.3.3, computed as two passes of the
// one-dimensional 8-point transform in the factorisation of Loeffler,
// Ligtenberg and Moschytz ("Practical fast 1-D DCT algorithms with 11
// multiplications", ICASSP 1989): 12 multiplications a pass, with the
// cosines as integers scaled by 2^constBits. The first pass (columns)
// keeps passBits more bits of precision than its input; the second (rows)
// drops them with the 1/8 of the 2-D transform.
const (
	constBits = 13
	passBits  = 2
)

// The multipliers: c(k) = cos(kπ/16), each times √2, as constBits-bit
// integers (TestIDCTConstants derives them again).
const (
	fix0298631336 = 2446  // √2 (−c1 + c3 + c5 − c7)
	fix0390180644 = 3196  // √2 (c3 − c5)
	fix0541196100 = 4433  // √2 c6
	fix0765366865 = 6270  // √2 (c2 − c6)
	fix0899976223 = 7373  // √2 (c3 − c7)
	fix1175875602 = 9633  // √2 c3
	fix1501321110 = 12299 // √2 (c1 + c3 − c5 − c7)
	fix1847759065 = 15137 // √2 (c2 + c6)
	fix1961570560 = 16069 // √2 (c3 + c5)
	fix2053119869 = 16819 // √2 (c1 + c3 − c5 + c7)
	fix2562915447 = 20995 // √2 (c1 + c3)
	fix3072711026 = 25172 // √2 (c1 + c3 + c5 − c7)
)

// idct transforms the dequantised coefficients blk (natural order) into
// 8×8 samples written to dst with the given stride, level-shifted by 128
// and clamped to 0..255 (T.81 §A.3.1), and leaves blk all zero. Bit c of
// cols is set when column c of blk has a non-zero coefficient: the first
// pass skips the others, which transform to zero, and when only the first
// four columns have any, as in most blocks of a strongly compressed photo,
// the second pass drops the terms of the last four. When every column has
// only its first coefficient, the first pass's rows are all equal, and the
// second pass transforms one and copies it.
func idct(blk *[64]int32, dst []byte, stride int, cols uint8) {
	var ws [64]int32
	flat := idctColumns(blk, &ws, cols)
	rows := 8
	if flat {
		rows = 1
	}
	idctRows(&ws, dst, stride, rows, cols < 1<<4)
}

// idctColumns is the first pass on the columns of blk that cols names,
// into ws with passBits more bits of precision; it clears those columns of
// blk, so that the caller need not clear the whole block, and reports
// whether each had only its first coefficient, which makes the rows of ws
// equal. The columns are one loop, with the transform written out in it,
// because the compiler inlines neither, and calls in every column of every
// block are dear.
func idctColumns(blk, ws *[64]int32, cols uint8) bool {
	flat := true
	for c := 0; c < 8; c++ {
		if cols&(1<<c) == 0 {
			continue
		}
		in0, in1, in2, in3 := blk[c], blk[8+c], blk[16+c], blk[24+c]
		in4, in5, in6, in7 := blk[32+c], blk[40+c], blk[48+c], blk[56+c]
		if in1|in2|in3|in4|in5|in6|in7 == 0 {
			blk[c] = 0
			v := in0 << passBits
			ws[c], ws[8+c], ws[16+c], ws[24+c] = v, v, v, v
			ws[32+c], ws[40+c], ws[48+c], ws[56+c] = v, v, v, v
			continue
		}
		blk[c], blk[8+c], blk[16+c], blk[24+c] = 0, 0, 0, 0
		blk[32+c], blk[40+c], blk[48+c], blk[56+c] = 0, 0, 0, 0
		// The 1-D transform: the even part's sums t10 to t13 (inputs 0,
		// 2, 4, 6, scaled by 2^constBits) and the odd part's a0 to a3
		// (inputs 7, 5, 3, 1); output k and 7−k are t(1k) ± a(3−k).
		z1 := (in2 + in6) * fix0541196100
		t2 := z1 - in6*fix1847759065
		t3 := z1 + in2*fix0765366865
		t0 := (in0 + in4) << constBits
		t1 := (in0 - in4) << constBits
		t10, t13 := t0+t3, t0-t3
		t11, t12 := t1+t2, t1-t2
		z1 = in7 + in1
		z2 := in5 + in3
		z3 := in7 + in3
		z4 := in5 + in1
		z5 := (z3 + z4) * fix1175875602
		z1 *= -fix0899976223
		z2 *= -fix2562915447
		z3 = z3*-fix1961570560 + z5
		z4 = z4*-fix0390180644 + z5
		a0 := in7*fix0298631336 + z1 + z3
		a1 := in5*fix2053119869 + z2 + z4
		a2 := in3*fix3072711026 + z2 + z3
		a3 := in1*fix1501321110 + z1 + z4
		const shift, round = constBits - passBits, 1 << (constBits - passBits - 1)
		ws[c] = (t10 + a3 + round) >> shift
		ws[56+c] = (t10 - a3 + round) >> shift
		ws[8+c] = (t11 + a2 + round) >> shift
		ws[48+c] = (t11 - a2 + round) >> shift
		ws[16+c] = (t12 + a1 + round) >> shift
		ws[40+c] = (t12 - a1 + round) >> shift
		ws[24+c] = (t13 + a0 + round) >> shift
		ws[32+c] = (t13 - a0 + round) >> shift
		flat = false
	}
	return flat
}

// idctRows is the second pass on the first n rows of ws, the first
// pass's output, into the rows of dst, or on the first row into all eight
// when n is 1 (the rows of ws are then equal); half says that inputs 4 to
// 7 of every row are zero, and leaves their terms out of the arithmetic. The
// rows are one loop, with the transform and the clamping written out in
// it, because the compiler inlines neither, and calls in every row of
// every block are dear.
func idctRows(ws *[64]int32, dst []byte, stride, n int, half bool) {
	_ = dst[7*stride+7]
	for r := 0; r < n; r++ {
		w := (*[8]int32)(ws[8*r : 8*r+8])
		var p uint64 // the row's eight samples, the first in the low byte
		in0, in1, in2, in3, in4, in5, in6, in7 := w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]
		if in1|in2|in3|in4|in5|in6|in7 == 0 {
			// (in0·2^constBits + round) >> shift, as below, is this.
			const shift = passBits + 3
			p = uint64(clamp((in0+1<<(shift-1))>>shift)) * 0x0101010101010101
			putRows(dst, r, stride, n, p)
			continue
		}
		// The even part's sums t10 to t13 and the odd part's a0 to a3, as
		// in idctColumns; with inputs 4 to 7 zero, z1 to z4 lose a term.
		var t10, t11, t12, t13, a0, a1, a2, a3 int32
		if half {
			z1 := in2 * fix0541196100
			t3 := z1 + in2*fix0765366865
			t0 := in0 << constBits
			t10, t13 = t0+t3, t0-t3
			t11, t12 = t0+z1, t0-z1
			z5 := (in3 + in1) * fix1175875602
			z1 = in1 * -fix0899976223
			z2 := in3 * -fix2562915447
			z3 := in3*-fix1961570560 + z5
			z4 := in1*-fix0390180644 + z5
			a0 = z1 + z3
			a1 = z2 + z4
			a2 = in3*fix3072711026 + z2 + z3
			a3 = in1*fix1501321110 + z1 + z4
		} else {
			z1 := (in2 + in6) * fix0541196100
			t2 := z1 - in6*fix1847759065
			t3 := z1 + in2*fix0765366865
			t0 := (in0 + in4) << constBits
			t1 := (in0 - in4) << constBits
			t10, t13 = t0+t3, t0-t3
			t11, t12 = t1+t2, t1-t2
			z1 = in7 + in1
			z2 := in5 + in3
			z3 := in7 + in3
			z4 := in5 + in1
			z5 := (z3 + z4) * fix1175875602
			z1 *= -fix0899976223
			z2 *= -fix2562915447
			z3 = z3*-fix1961570560 + z5
			z4 = z4*-fix0390180644 + z5
			a0 = in7*fix0298631336 + z1 + z3
			a1 = in5*fix2053119869 + z2 + z4
			a2 = in3*fix3072711026 + z2 + z3
			a3 = in1*fix1501321110 + z1 + z4
		}
		// The shift drops the precision of both passes and the 1/8 of the
		// 2-D transform; 128 is added after it, as clamp does, so that no
		// sum overflows that would not have.
		const shift, round = constBits + passBits + 3, 1 << (constBits + passBits + 3 - 1)
		o0 := (t10+a3+round)>>shift + 128
		o7 := (t10-a3+round)>>shift + 128
		o1 := (t11+a2+round)>>shift + 128
		o6 := (t11-a2+round)>>shift + 128
		o2 := (t12+a1+round)>>shift + 128
		o5 := (t12-a1+round)>>shift + 128
		o3 := (t13+a0+round)>>shift + 128
		o4 := (t13-a0+round)>>shift + 128
		// One branch tests the eight for the range of a byte, rather than
		// one each, so that the edges of text, whose samples leave it
		// often, cost one mispredicted branch a row; a negative sample
		// sets the sign bit of the OR, one above 255 a bit above the
		// eighth. The row that leaves it is clamped with conditional moves.
		if uint32(o0|o1|o2|o3|o4|o5|o6|o7) > 255 {
			o0, o1, o2, o3 = min(max(o0, 0), 255), min(max(o1, 0), 255), min(max(o2, 0), 255), min(max(o3, 0), 255)
			o4, o5, o6, o7 = min(max(o4, 0), 255), min(max(o5, 0), 255), min(max(o6, 0), 255), min(max(o7, 0), 255)
		}
		if n != 1 {
			// Byte by byte: a composite literal would be built on the
			// stack and read back as one word, which stalls store
			// forwarding.
			row := (*[8]byte)(dst[r*stride : r*stride+8])
			row[0], row[1], row[2], row[3] = byte(o0), byte(o1), byte(o2), byte(o3)
			row[4], row[5], row[6], row[7] = byte(o4), byte(o5), byte(o6), byte(o7)
			continue
		}
		// Packed in a register for the eight rows.
		p = uint64(byte(o0)) | uint64(byte(o1))<<8 | uint64(byte(o2))<<16 | uint64(byte(o3))<<24 |
			uint64(byte(o4))<<32 | uint64(byte(o5))<<40 | uint64(byte(o6))<<48 | uint64(byte(o7))<<56
		putRows(dst, r, stride, n, p)
	}
}

// putRows stores the eight samples p of row r of a block in dst, and, when
// the block has n = 1 rows to transform, in all its rows.
func putRows(dst []byte, r, stride, n int, p uint64) {
	if n != 1 {
		binary.LittleEndian.PutUint64(dst[r*stride:], p)
		return
	}
	for r := 0; r < 8; r++ {
		binary.LittleEndian.PutUint64(dst[r*stride:], p)
	}
}

// fill writes the samples of a block whose only non-zero coefficient is
// the (dequantised) DC value dc: a constant, with no transform, stored a
// row, eight samples, at a time.
func fill(dc int32, dst []byte, stride int) {
	p := uint64(clamp((dc+4)>>3)) * 0x0101010101010101
	_ = dst[7*stride+7]
	for r := 0; r < 8; r++ {
		binary.LittleEndian.PutUint64(dst[r*stride:r*stride+8], p)
	}
}

// clamp level-shifts a sample by 128 and clamps it to a byte.
func clamp(v int32) byte {
	v += 128
	if uint32(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return byte(v)
}
