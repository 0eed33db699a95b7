package jpegluma

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
// and clamped to 0..255 (T.81 §A.3.1). Bit c of cols is set when column c
// of blk has a non-zero coefficient: the first pass skips the others,
// which transform to zero, and when only the first four columns have any,
// as in most blocks of a strongly compressed photo, the second pass drops
// the terms of the last four.
func idct(blk *[64]int32, dst []byte, stride int, cols uint8) {
	var ws [64]int32
	for c := 0; c < 8; c++ {
		if cols&(1<<c) != 0 {
			idctColumn(blk, &ws, c)
		}
	}
	_ = dst[7*stride+7]
	for r := 0; r < 8; r++ {
		w, row := (*[8]int32)(ws[8*r:8*r+8]), dst[r*stride:r*stride+8:r*stride+8]
		if cols < 1<<4 {
			idctRow4(w, row)
		} else {
			idctRow(w, row)
		}
	}
}

// idctColumn is the first pass on column c of blk, into ws with passBits
// more bits of precision.
func idctColumn(blk, ws *[64]int32, c int) {
	in0, in1, in2, in3 := blk[c], blk[8+c], blk[16+c], blk[24+c]
	in4, in5, in6, in7 := blk[32+c], blk[40+c], blk[48+c], blk[56+c]
	if in1|in2|in3|in4|in5|in6|in7 == 0 {
		v := in0 << passBits
		ws[c], ws[8+c], ws[16+c], ws[24+c] = v, v, v, v
		ws[32+c], ws[40+c], ws[48+c], ws[56+c] = v, v, v, v
		return
	}
	t10, t11, t12, t13, a0, a1, a2, a3 := butterfly(in0, in1, in2, in3, in4, in5, in6, in7)
	const shift, round = constBits - passBits, 1 << (constBits - passBits - 1)
	ws[c] = (t10 + a3 + round) >> shift
	ws[56+c] = (t10 - a3 + round) >> shift
	ws[8+c] = (t11 + a2 + round) >> shift
	ws[48+c] = (t11 - a2 + round) >> shift
	ws[16+c] = (t12 + a1 + round) >> shift
	ws[40+c] = (t12 - a1 + round) >> shift
	ws[24+c] = (t13 + a0 + round) >> shift
	ws[32+c] = (t13 - a0 + round) >> shift
}

// idctRow is the second pass on a row w of the first pass's output, into
// the eight samples row.
func idctRow(w *[8]int32, row []byte) {
	row = row[:8:8]
	in0, in1, in2, in3, in4, in5, in6, in7 := w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]
	if in1|in2|in3|in4|in5|in6|in7 == 0 {
		const shift = passBits + 3
		v := clamp((in0 + 1<<(shift-1)) >> shift)
		row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = v, v, v, v, v, v, v, v
		return
	}
	t10, t11, t12, t13, a0, a1, a2, a3 := butterfly(in0, in1, in2, in3, in4, in5, in6, in7)
	const shift, round = constBits + passBits + 3, 1 << (constBits + passBits + 3 - 1)
	row[0] = clamp((t10 + a3 + round) >> shift)
	row[7] = clamp((t10 - a3 + round) >> shift)
	row[1] = clamp((t11 + a2 + round) >> shift)
	row[6] = clamp((t11 - a2 + round) >> shift)
	row[2] = clamp((t12 + a1 + round) >> shift)
	row[5] = clamp((t12 - a1 + round) >> shift)
	row[3] = clamp((t13 + a0 + round) >> shift)
	row[4] = clamp((t13 - a0 + round) >> shift)
}

// idctRow4 is idctRow for a row whose inputs 4 to 7 are zero: the same
// arithmetic with the terms of those inputs left out.
func idctRow4(w *[8]int32, row []byte) {
	row = row[:8:8]
	in0, in1, in2, in3 := w[0], w[1], w[2], w[3]
	z1 := in2 * fix0541196100
	t3 := z1 + in2*fix0765366865
	t0 := in0 << constBits
	t10, t13 := t0+t3, t0-t3
	t11, t12 := t0+z1, t0-z1
	z5 := (in3 + in1) * fix1175875602
	z1 = in1 * -fix0899976223
	z2 := in3 * -fix2562915447
	z3 := in3*-fix1961570560 + z5
	z4 := in1*-fix0390180644 + z5
	a0 := z1 + z3
	a1 := z2 + z4
	a2 := in3*fix3072711026 + z2 + z3
	a3 := in1*fix1501321110 + z1 + z4
	const shift, round = constBits + passBits + 3, 1 << (constBits + passBits + 3 - 1)
	row[0] = clamp((t10 + a3 + round) >> shift)
	row[7] = clamp((t10 - a3 + round) >> shift)
	row[1] = clamp((t11 + a2 + round) >> shift)
	row[6] = clamp((t11 - a2 + round) >> shift)
	row[2] = clamp((t12 + a1 + round) >> shift)
	row[5] = clamp((t12 - a1 + round) >> shift)
	row[3] = clamp((t13 + a0 + round) >> shift)
	row[4] = clamp((t13 - a0 + round) >> shift)
}

// fill writes the samples of a block whose only non-zero coefficient is
// the (dequantised) DC value dc: a constant, with no transform.
func fill(dc int32, dst []byte, stride int) {
	v := clamp((dc + 4) >> 3)
	_ = dst[7*stride+7]
	for r := 0; r < 8; r++ {
		row := dst[r*stride : r*stride+8 : r*stride+8]
		for i := range row {
			row[i] = v
		}
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

// butterfly is the one-dimensional 8-point transform both passes share:
// the even part's sums t10 to t13 (inputs 0, 2, 4, 6, scaled by
// 2^constBits) and the odd part's a0 to a3 (inputs 7, 5, 3, 1). Output k
// and 7−k are t(1k) ± a(3−k) for k < 4, before the pass's shift.
func butterfly(in0, in1, in2, in3, in4, in5, in6, in7 int32) (t10, t11, t12, t13, a0, a1, a2, a3 int32) {
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
	return
}
