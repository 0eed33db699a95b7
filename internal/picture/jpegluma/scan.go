package jpegluma

import (
	"encoding/binary"
	"fmt"
)

// zigzag[k] is the position in natural (row-major) order of the k-th
// coefficient of a block in zigzag order (T.81 Figure A.6).
var zigzag = func() (z [64]uint8) {
	k := 0
	for s := 0; s < 15; s++ { // the anti-diagonals row+col = s
		for i := 0; i <= s; i++ {
			r := s - i // even diagonals run up and to the right
			if s%2 == 1 {
				r = i // odd ones down and to the left
			}
			if c := s - r; r < 8 && c < 8 {
				z[k] = uint8(8*r + c)
				k++
			}
		}
	}
	return z
}()

// zigzagCol[k] is zigzag[k] | 1<<(column of zigzag[k])<<8: decodeLuma
// reads both the position and the column bit it sets with one load.
var zigzagCol = func() (z [64]uint16) {
	for k, p := range zigzag {
		z[k] = uint16(p) | 1<<(p&7)<<8
	}
	return z
}()

// scanComp is a component of a scan with its tables.
type scanComp struct {
	luma   bool // the first component of the frame
	h, v   int  // blocks of an MCU across and down
	pred   int32
	dc, ac *huffTable
	q      *[64]int32
}

// sos reads a scan header (T.81 §B.2.3) and decodes the scan's
// entropy-coded data, which follows it.
func (d *decoder) sos(p []byte) error {
	if !d.sawSOF {
		return fmt.Errorf("%w: scan before the frame header", ErrFormat)
	}
	if len(d.comps) == 3 && !d.jfif && (d.adobe && d.adobeTransform == 0 ||
		d.comps[0].id == 'R' && d.comps[1].id == 'G' && d.comps[2].id == 'B') {
		return fmt.Errorf("%w: RGB components", ErrUnsupported)
	}
	if len(p) < 1 {
		return fmt.Errorf("%w: empty scan header", ErrFormat)
	}
	ns := int(p[0])
	if ns < 1 || ns > len(d.comps) || len(p) != 4+2*ns {
		return fmt.Errorf("%w: scan header of %d bytes for %d components", ErrFormat, len(p), ns)
	}
	sc := make([]scanComp, ns)
	blocks := 0
	for i := range sc {
		id, tables := p[1+2*i], p[2+2*i]
		ci := -1
		for j, c := range d.comps {
			if c.id == id {
				ci = j
			}
		}
		if ci < 0 {
			return fmt.Errorf("%w: scan names component %d, not in the frame", ErrFormat, id)
		}
		for j := 0; j < i; j++ {
			if p[1+2*j] == id {
				return fmt.Errorf("%w: scan names component %d twice", ErrFormat, id)
			}
		}
		td, ta := tables>>4, tables&15
		if td > 3 || ta > 3 || !d.dcTables[td].defined || !d.acTables[ta].defined {
			return fmt.Errorf("%w: scan uses an undefined Huffman table", ErrFormat)
		}
		c := &d.comps[ci]
		if c.scanned {
			// A sequential frame codes each component once; refusing a
			// second scan of it also bounds the work to one pass (the
			// caller's image/jpeg decides on such a file).
			return fmt.Errorf("%w: component %d in a second scan", ErrFormat, id)
		}
		c.scanned = true
		sc[i] = scanComp{luma: ci == 0, h: c.h, v: c.v, dc: &d.dcTables[td], ac: &d.acTables[ta], q: &d.quant[c.tq]}
		blocks += c.h * c.v
	}
	if ns > 1 && blocks > 10 {
		return fmt.Errorf("%w: %d blocks in an MCU, more than 10", ErrFormat, blocks)
	}
	d.scans++
	r := bitReader{data: d.data, pos: d.pos}
	var err error
	if ns == 1 {
		err = d.decodeOne(&r, sc)
	} else {
		err = d.decodeInterleaved(&r, sc)
	}
	d.pos = r.pos
	return err
}

// decodeOne decodes a scan of one component, whose blocks come one by one
// in raster order over the component's own size (T.81 §A.2.2).
func (d *decoder) decodeOne(r *bitReader, sc []scanComp) error {
	c := &sc[0]
	w := (d.width*c.h + d.hmax - 1) / d.hmax
	h := (d.height*c.v + d.vmax - 1) / d.vmax
	bw, bh := (w+7)/8, (h+7)/8
	var blk [64]int32
	stride := d.img.Stride
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			if n := by*bw + bx; n > 0 && d.restart > 0 && n%d.restart == 0 {
				if err := d.restartMarker(r, n, sc); err != nil {
					return err
				}
			}
			if c.luma {
				decodeLuma(r, c, &blk, d.img.Pix[8*by*stride+8*bx:], stride)
			} else {
				skipBlock(r, c)
			}
		}
		if err := r.check(); err != nil {
			return err
		}
	}
	return d.endScan(r)
}

// decodeInterleaved decodes a scan of several components, whose MCUs
// hold h×v blocks of each in turn (T.81 §A.2.3).
func (d *decoder) decodeInterleaved(r *bitReader, sc []scanComp) error {
	mw := (d.width + 8*d.hmax - 1) / (8 * d.hmax)
	mh := (d.height + 8*d.vmax - 1) / (8 * d.vmax)
	var blk [64]int32
	stride := d.img.Stride
	for my := 0; my < mh; my++ {
		for mx := 0; mx < mw; mx++ {
			if n := my*mw + mx; n > 0 && d.restart > 0 && n%d.restart == 0 {
				if err := d.restartMarker(r, n, sc); err != nil {
					return err
				}
			}
			for i := range sc {
				c := &sc[i]
				for y := 0; y < c.v; y++ {
					for x := 0; x < c.h; x++ {
						if c.luma {
							bx, by := mx*c.h+x, my*c.v+y
							decodeLuma(r, c, &blk, d.img.Pix[8*by*stride+8*bx:], stride)
						} else {
							skipBlock(r, c)
						}
					}
				}
			}
		}
		if err := r.check(); err != nil {
			return err
		}
	}
	return d.endScan(r)
}

// restartMarker reads the restart marker that must follow the n-th MCU
// (T.81 §B.2.1, E.2.4) and resets the decoder: the bit reader and the DC
// predictions of the components cs.
func (d *decoder) restartMarker(r *bitReader, n int, cs []scanComp) error {
	if err := r.check(); err != nil {
		return err
	}
	r.reset()
	want := byte(mRST0 + (n/d.restart-1)%8)
	p := r.pos
	for p < len(d.data) && d.data[p] == 0xff && p+1 < len(d.data) && d.data[p+1] == 0xff {
		p++ // fill bytes
	}
	if p+1 >= len(d.data) || d.data[p] != 0xff || d.data[p+1] != want {
		return fmt.Errorf("%w: no RST%d marker after MCU %d", ErrFormat, want-mRST0, n)
	}
	r.pos = p + 2
	for i := range cs {
		cs[i].pred = 0
	}
	return nil
}

// endScan checks that the scan used no more bits than it had.
func (d *decoder) endScan(r *bitReader) error {
	err := r.check()
	r.reset()
	return err
}

// coefLimit bounds the dequantised coefficients of a block. Those of
// 8-bit samples are below 2^11 (T.81 §A.3.3: at most 1024 before
// quantisation, plus half a quantiser step); a block with a larger one
// is not from an 8-bit encoder, and the picture is left to image/jpeg,
// whose inverse DCT overflows in its own way, rather than decoded to
// other garbage. It is also the range in which idct cannot overflow.
const coefLimit = 1 << 12

// decodeLuma decodes a block of luminance (T.81 §F.2.2) and writes its
// samples to dst. blk is all zero on entry and left so.
func decodeLuma(r *bitReader, c *scanComp, blk *[64]int32, dst []byte, stride int) {
	c.pred += decodeDC(r, c.dc)
	q, tab := c.q, &c.ac.ac
	dc := c.pred * q[0]
	mag := dc ^ dc>>31 // the OR of the magnitudes of the coefficients
	cols := uint8(1)   // the columns with a non-zero coefficient, as in idct
	last := 0          // zigzag index of the last non-zero AC coefficient
	// The accumulator lives in locals through the loop, where the compiler
	// keeps it in registers rather than storing it through r at every
	// coefficient; it goes back to r around each call that uses r.
	acc, n := r.acc, r.n
	for k := 1; k < 64; k++ {
		if n < 32 { // enough for a code and its extra bits
			// refill's fast path, written out here, where it runs every
			// few coefficients: a call would cost more than it does.
			fast := false
			if p := r.pos; r.fake == 0 && p+8 <= len(r.data) {
				if w := binary.BigEndian.Uint64(r.data[p:]); !hasFF(w) {
					b := (64 - n) >> 3 // whole bytes that fit
					acc |= w >> n &^ (^uint64(0) >> (n + 8*b))
					r.pos += int(b)
					n += 8 * b
					fast = true
				}
			}
			if !fast {
				r.acc, r.n = acc, n
				r.refill()
				acc, n = r.acc, r.n
			}
		}
		var v int32
		if e := tab[acc>>(64-lutBits)]; e != 0 {
			if k += int(e >> 8 & 127); k > 63 {
				l := uint(e >> 4 & 15) // the code only, as below
				acc <<= l
				n -= l
				break
			}
			l := uint(e & 15)
			acc <<= l
			n -= l
			v = e >> 16 * q[k]
		} else {
			r.acc, r.n = acc, n
			var coef, end bool
			k, v, coef, end = slowAC(r, c.ac, q, k)
			acc, n = r.acc, r.n
			if end {
				break
			}
			if !coef {
				continue
			}
		}
		zc := zigzagCol[k&63]
		blk[zc&63] = v
		mag |= v ^ v>>31
		cols |= uint8(zc >> 8)
		last = k
	}
	r.acc, r.n = acc, n
	if mag >= coefLimit {
		r.fail(fmt.Errorf("%w: a coefficient of %d or more, out of the range of 8-bit samples", ErrUnsupported, coefLimit))
	}
	if last == 0 {
		fill(dc, dst, stride)
		return
	}
	blk[0] = dc
	idct(blk, dst, stride, cols) // which clears blk
}

// slowAC decodes the AC symbol at zigzag index k that the combined table
// of decodeLuma does not resolve (a long code, or a code with its extra
// bits longer than the table's bits, ZRL or an undefined end of block). It
// returns the index of the coefficient and its dequantised value v when
// coef is set; neither when the symbol is a run of zeros (ZRL) or the
// run goes past the block; end when the block ends.
func slowAC(r *bitReader, t *huffTable, q *[64]int32, k int) (_ int, v int32, coef, end bool) {
	rs := r.decode(t)
	run, size := int(rs>>4), uint(rs&15)
	if size == 0 {
		if run != 15 {
			undefinedEOB(r, run)
			return k, 0, false, true // end of block
		}
		return k + 15, 0, false, false
	}
	if k += run; k > 63 {
		return k, 0, false, true
	}
	return k, r.receive(size) * q[k], true, false
}

// decodeDC reads the difference of a DC coefficient (T.81 §F.2.2.1). When
// the lookup table holds its code, the code and the extra bits are read in
// one step, at most lutBits + 16 bits, which a refill at 32 covers;
// otherwise, for a long code or a size that dcSize refuses, as dcSize and
// receive read them.
func decodeDC(r *bitReader, t *huffTable) int32 {
	if r.n < 32 {
		r.refill()
	}
	e := t.lut[r.acc>>(64-lutBits)]
	if e == 0 || byte(e) > 16 {
		return r.receive(dcSize(r, t))
	}
	l, s := uint(e>>8), uint(byte(e))
	acc := r.acc << l
	r.acc = acc << s
	r.n -= l + s
	if s == 0 {
		return 0
	}
	v := int32(acc >> (64 - s)) // as receive
	if v < 1<<(s-1) {
		v += -1<<s + 1
	}
	return v
}

// dcSize reads the size of a DC difference (T.81 §F.2.2.1): at most 16
// bits, though 8-bit samples need no more than 11.
func dcSize(r *bitReader, t *huffTable) uint {
	s := r.decode(t)
	if s > 16 {
		r.fail(fmt.Errorf("%w: DC difference of %d bits", ErrFormat, s))
		return 0
	}
	return uint(s)
}

// undefinedEOB checks the run of an AC symbol of size 0 that is not ZRL:
// 0 is the end of the block, and other runs are undefined in sequential
// mode (T.81 §F.1.2.2.1). libjpeg reads them as the end of the block,
// image/jpeg as a run of ends of blocks (§G.1.2.2, progressive mode): the
// picture is left to image/jpeg, which decoded it before jpegluma did.
func undefinedEOB(r *bitReader, run int) {
	if run != 0 {
		r.fail(fmt.Errorf("%w: AC symbol %#02x, undefined in sequential mode", ErrUnsupported, run<<4))
	}
}

// skipBlock reads past a block of chroma.
func skipBlock(r *bitReader, c *scanComp) {
	r.skip(dcSize(r, c.dc))
	for k := 1; k < 64; k++ {
		if r.n < 32 {
			r.refill()
		}
		if e := c.ac.ac[r.acc>>(64-lutBits)]; e != 0 {
			if k += int(e >> 8 & 127); k > 63 {
				r.skip(uint(e >> 4 & 15))
				break
			}
			l := uint(e & 15)
			r.acc <<= l
			r.n -= l
			continue
		}
		rs := r.decode(c.ac)
		run, size := int(rs>>4), uint(rs&15)
		if size == 0 {
			if run != 15 {
				undefinedEOB(r, run)
				break
			}
			k += 15
			continue
		}
		if k += run; k > 63 {
			break
		}
		r.skip(size)
	}
}
