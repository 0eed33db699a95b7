package jpegluma

import (
	"encoding/binary"
	"fmt"
)

// bitReader reads the entropy-coded data of a scan (T.81 §F.2.2.5,
// Figure F.18): bytes are read into a 64-bit accumulator, most significant
// bit first, with each stuffed 0xff 0x00 read as 0xff. It never reads past
// a marker: when it reaches one, or the end of the data, it feeds zero
// bits and counts them in fake, so that a scan that consumed more bits
// than there were is found at the next check.
type bitReader struct {
	data []byte
	pos  int    // next byte of data to read
	acc  uint64 // the next n bits, left-aligned
	n    uint
	fake uint // how many of the last bits fed were zeros past the data
	err  error
}

// fail records the first error of the scan; the decoder goes on reading
// zeros and checks r.err at the end of each row of MCUs.
func (r *bitReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// refill tops the accumulator up to at least 57 bits.
func (r *bitReader) refill() {
	// Fast path: eight bytes with no 0xff among them.
	if r.fake == 0 && r.pos+8 <= len(r.data) {
		w := binary.BigEndian.Uint64(r.data[r.pos:])
		if !hasFF(w) {
			k := (64 - r.n) >> 3 // whole bytes that fit
			r.acc |= w >> r.n &^ (^uint64(0) >> (r.n + 8*k))
			r.pos += int(k)
			r.n += 8 * k
			return
		}
	}
	for r.n <= 56 {
		var c byte
		switch {
		case r.pos < len(r.data) && r.data[r.pos] != 0xff:
			c = r.data[r.pos]
			r.pos++
		case r.pos+1 < len(r.data) && r.data[r.pos] == 0xff && r.data[r.pos+1] == 0 && r.fake == 0:
			c = 0xff
			r.pos += 2
		default: // a marker or the end of the data
			r.fake += 8
		}
		r.acc |= uint64(c) << (56 - r.n)
		r.n += 8
	}
}

// hasFF reports whether any byte of w is 0xff.
func hasFF(w uint64) bool {
	x := ^w // a 0xff byte becomes 0x00
	return (x-0x0101010101010101)&^x&0x8080808080808080 != 0
}

// check returns the first error of the scan so far, if any: a bad code,
// or more bits consumed than the data had.
func (r *bitReader) check() error {
	if r.err == nil && r.n < r.fake {
		r.err = fmt.Errorf("%w: entropy-coded data ends early", ErrFormat)
	}
	return r.err
}

// receive reads s bits (0 ≤ s ≤ 16) and extends them to a signed value
// (T.81 §F.2.2.1, Figure F.12).
func (r *bitReader) receive(s uint) int32 {
	if s == 0 {
		return 0
	}
	if r.n < s {
		r.refill()
	}
	v := int32(r.acc >> (64 - s))
	r.acc <<= s
	r.n -= s
	if v < 1<<(s-1) {
		v += -1<<s + 1
	}
	return v
}

// skip drops s bits (0 ≤ s ≤ 16).
func (r *bitReader) skip(s uint) {
	if r.n < s {
		r.refill()
	}
	r.acc <<= s
	r.n -= s
}

// reset forgets the buffered bits, as at a restart marker or the end of a
// scan, where the data is padded to a byte boundary.
func (r *bitReader) reset() {
	r.acc, r.n, r.fake = 0, 0, 0
}
