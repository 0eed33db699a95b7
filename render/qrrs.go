package render

import "sync"

// This file computes the error correction codewords of a QR block: the
// Reed–Solomon code of ISO/IEC 18004 §7.5.2 over GF(256) with the prime
// polynomial x⁸+x⁴+x³+x²+1, whose generator polynomial for e codewords is
// (x-α⁰)(x-α¹)…(x-α^(e-1)).

// maxECPerBlock is the most error correction codewords a QR block carries.
const maxECPerBlock = 30

// gf256 holds the field's exponent and logarithm tables and the generator
// polynomials of every block size, built once (qrField) and then only read.
type gf256 struct {
	// exp[i] = α^i for i < 510 (twice over, so that exp[a+b] needs no
	// mod); exp[logZero+i] = 0 for i < 255.
	exp [logZero + 255]byte
	log [256]uint16 // log[α^i] = i; log[0] = logZero
	// gen[e] holds the e low coefficients of the monic generator of
	// degree e, highest first (the x^e term, 1, is left out), as
	// logarithms.
	gen [maxECPerBlock + 1][]uint16
}

// logZero stands for the logarithm of 0: exp[logZero+i] is 0 for every
// logarithm i.
const logZero = 510

// qrField returns the field tables, computed on first use.
var qrField = sync.OnceValue(newGF256)

func newGF256() *gf256 {
	f := new(gf256)
	f.log[0] = logZero
	x := 1
	for i := 0; i < 255; i++ {
		f.exp[i], f.exp[i+255] = byte(x), byte(x)
		f.log[x] = uint16(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	// g holds the generator's coefficients as field elements, lowest
	// degree first; multiply it by (x - α^i) for i = 0, 1, …
	g := []byte{1}
	for e := 1; e <= maxECPerBlock; e++ {
		a := f.exp[e-1]
		next := make([]byte, len(g)+1)
		for i, c := range g {
			next[i+1] ^= c         // c·x
			next[i] ^= f.mul(c, a) // c·α^(e-1) (minus is plus)
		}
		g = next
		lg := make([]uint16, e)
		for i := range lg {
			lg[i] = f.log[g[e-1-i]]
		}
		f.gen[e] = lg
	}
	return f
}

func (f *gf256) mul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return f.exp[f.log[a]+f.log[b]]
}

// ecCodewords writes into ec (of length e, 1 to maxECPerBlock) the
// remainder of data·x^e divided by the generator of degree e: the block's
// error correction codewords.
func (f *gf256) ecCodewords(data, ec []byte) {
	g := f.gen[len(ec)]
	clear(ec)
	for _, d := range data {
		factor := d ^ ec[0]
		copy(ec, ec[1:])
		ec[len(ec)-1] = 0
		if factor == 0 {
			continue
		}
		lf := f.log[factor]
		for i, lc := range g {
			ec[i] ^= f.exp[lc+lf]
		}
	}
}
