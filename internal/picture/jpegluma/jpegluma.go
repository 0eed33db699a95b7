// Package jpegluma decodes the luminance of a JPEG picture, and nothing
// else, for the scanner, which reads codes from luminance alone.
//
// It decodes the sequential Huffman-coded JPEGs of ITU-T T.81 (baseline
// SOF0 and extended SOF1) of 8-bit precision with one component (grey) or
// three (YCbCr, any sampling factors whose luminance is sampled at the
// full rate). The chroma of such a picture is Huffman-decoded, since it is
// interleaved with the luminance, but neither dequantised nor transformed,
// and a block with no AC coefficient is filled with no transform at all.
// Every other JPEG (progressive, arithmetic-coded, 12-bit, RGB, CMYK),
// and a file where this decoder and image/jpeg would part (a coefficient
// no 8-bit encoder writes, an AC symbol undefined in sequential mode), is
// refused with ErrUnsupported, for the caller to decode in full.
//
// Decode is written for hostile input: it allocates the luminance plane
// only once the frame header has passed a pixel budget, reads no byte
// outside the data, and reports a malformed file as an error that names
// the problem, never with a panic.
package jpegluma

import (
	"encoding/binary"
	"fmt"
	"image"
)

// Markers (T.81 Table B.1).
const (
	mSOF0  = 0xc0 // baseline sequential, Huffman
	mSOF1  = 0xc1 // extended sequential, Huffman
	mSOF2  = 0xc2 // progressive, Huffman
	mDHT   = 0xc4
	mRST0  = 0xd0
	mRST7  = 0xd7
	mSOI   = 0xd8
	mEOI   = 0xd9
	mSOS   = 0xda
	mDQT   = 0xdb
	mDRI   = 0xdd
	mAPP0  = 0xe0
	mAPP14 = 0xee
	mAPP15 = 0xef
	mCOM   = 0xfe
)

// component is a component of the frame (T.81 §B.2.2).
type component struct {
	id      byte
	h, v    int  // sampling factors
	tq      byte // quantisation table
	scanned bool // by an earlier scan
}

// decoder holds the state of one Decode call.
type decoder struct {
	data      []byte
	pos       int
	maxPixels int

	width, height int
	comps         []component
	hmax, vmax    int
	sawSOF        bool
	scans         int

	quant    [4][64]int32 // zigzag order
	dcTables [4]huffTable
	acTables [4]huffTable
	restart  int // MCUs per restart interval, 0 for none

	jfif, adobe    bool
	adobeTransform byte

	img *image.Gray
}

// Decode decodes the luminance of the JPEG picture data. A picture of
// more than maxPixels pixels is refused with ErrTooLarge before its plane
// is allocated. The returned image may have a stride wider than its width.
func Decode(data []byte, maxPixels int) (*image.Gray, error) {
	d := &decoder{data: data, maxPixels: maxPixels}
	if len(data) < 2 || data[0] != 0xff || data[1] != mSOI {
		return nil, fmt.Errorf("%w: no SOI marker", ErrFormat)
	}
	d.pos = 2
	for {
		m, err := d.nextMarker()
		if err != nil {
			return nil, err
		}
		if m == mEOI {
			break
		}
		if err := d.segment(m); err != nil {
			return nil, err
		}
	}
	if d.scans == 0 {
		return nil, fmt.Errorf("%w: no image data before EOI", ErrFormat)
	}
	d.img.Rect = image.Rect(0, 0, d.width, d.height)
	return d.img, nil
}

// nextMarker finds the next marker from d.pos, skipping what is not one
// (fill bytes 0xff, stray bytes and 0xff 0x00), and returns its code with
// d.pos after it.
func (d *decoder) nextMarker() (byte, error) {
	for {
		for d.pos < len(d.data) && d.data[d.pos] != 0xff {
			d.pos++
		}
		for d.pos < len(d.data) && d.data[d.pos] == 0xff {
			d.pos++
		}
		if d.pos >= len(d.data) {
			return 0, fmt.Errorf("%w: data ends before the EOI marker", ErrFormat)
		}
		m := d.data[d.pos]
		d.pos++
		if m != 0 {
			return m, nil
		}
	}
}

// segment reads the marker segment m at d.pos.
func (d *decoder) segment(m byte) error {
	if mRST0 <= m && m <= mRST7 {
		return nil // a restart marker after the last interval: harmless
	}
	if m == mSOI {
		return fmt.Errorf("%w: a second SOI marker", ErrFormat)
	}
	if d.pos+2 > len(d.data) {
		return fmt.Errorf("%w: marker %#x has no length", ErrFormat, m)
	}
	n := int(binary.BigEndian.Uint16(d.data[d.pos:])) - 2
	if n < 0 || d.pos+2+n > len(d.data) {
		return fmt.Errorf("%w: segment of marker %#x runs past the data", ErrFormat, m)
	}
	p := d.data[d.pos+2 : d.pos+2+n]
	d.pos += 2 + n
	switch {
	case m == mSOF0 || m == mSOF1:
		return d.sof(p)
	case m == mDHT:
		return d.dht(p)
	case m == mDQT:
		return d.dqt(p)
	case m == mDRI:
		if n != 2 {
			return fmt.Errorf("%w: DRI segment of %d bytes", ErrFormat, n)
		}
		d.restart = int(binary.BigEndian.Uint16(p))
		return nil
	case m == mSOS:
		return d.sos(p)
	case m == mAPP0:
		if len(p) >= 5 && string(p[:5]) == "JFIF\x00" {
			d.jfif = true
		}
		return nil
	case m == mAPP14:
		if len(p) >= 12 && string(p[:5]) == "Adobe" {
			d.adobe, d.adobeTransform = true, p[11]
		}
		return nil
	case mAPP0 <= m && m <= mAPP15 || m == mCOM:
		return nil
	case m >= mSOF2 && m <= 0xcf:
		return fmt.Errorf("%w: frame type SOF%d (only baseline and extended sequential Huffman are decoded)", ErrUnsupported, m-mSOF0)
	}
	return fmt.Errorf("%w: marker %#x", ErrUnsupported, m)
}

// sof reads a frame header (T.81 §B.2.2).
func (d *decoder) sof(p []byte) error {
	if d.sawSOF {
		return fmt.Errorf("%w: more than one frame header", ErrFormat)
	}
	d.sawSOF = true
	if len(p) < 6 {
		return fmt.Errorf("%w: frame header of %d bytes", ErrFormat, len(p))
	}
	if p[0] != 8 {
		return fmt.Errorf("%w: %d-bit samples", ErrUnsupported, p[0])
	}
	d.height = int(binary.BigEndian.Uint16(p[1:]))
	d.width = int(binary.BigEndian.Uint16(p[3:]))
	nc := int(p[5])
	if d.height == 0 {
		return fmt.Errorf("%w: height defined by a DNL marker", ErrUnsupported)
	}
	if d.width == 0 {
		return fmt.Errorf("%w: width 0", ErrFormat)
	}
	if nc != 1 && nc != 3 {
		return fmt.Errorf("%w: %d components", ErrUnsupported, nc)
	}
	if len(p) != 6+3*nc {
		return fmt.Errorf("%w: frame header of %d bytes for %d components", ErrFormat, len(p), nc)
	}
	if int64(d.width)*int64(d.height) > int64(d.maxPixels) {
		return fmt.Errorf("%w: %d×%d", ErrTooLarge, d.width, d.height)
	}
	d.hmax, d.vmax = 1, 1
	for i := 0; i < nc; i++ {
		c := component{id: p[6+3*i], h: int(p[7+3*i] >> 4), v: int(p[7+3*i] & 15), tq: p[8+3*i]}
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return fmt.Errorf("%w: sampling factors %d×%d", ErrFormat, c.h, c.v)
		}
		if c.tq > 3 {
			return fmt.Errorf("%w: quantisation table %d", ErrFormat, c.tq)
		}
		for _, o := range d.comps {
			if o.id == c.id {
				return fmt.Errorf("%w: component %d defined twice", ErrFormat, c.id)
			}
		}
		if nc == 1 {
			// One component is never interleaved: its factors do not matter
			// (T.81 §A.2).
			c.h, c.v = 1, 1
		}
		d.hmax, d.vmax = max(d.hmax, c.h), max(d.vmax, c.v)
		d.comps = append(d.comps, c)
	}
	if d.comps[0].h != d.hmax || d.comps[0].v != d.vmax {
		return fmt.Errorf("%w: luminance sampled below the full rate", ErrUnsupported)
	}
	// The plane covers whole MCUs, so that every block is written whole.
	mw, mh := 8*d.hmax, 8*d.vmax
	stride := (d.width + mw - 1) / mw * mw
	rows := (d.height + mh - 1) / mh * mh
	d.img = &image.Gray{Pix: make([]byte, stride*rows), Stride: stride, Rect: image.Rect(0, 0, stride, rows)}
	return nil
}

// dqt reads quantisation tables (T.81 §B.2.4.1).
func (d *decoder) dqt(p []byte) error {
	for len(p) > 0 {
		pq, tq := p[0]>>4, p[0]&15
		if tq > 3 {
			return fmt.Errorf("%w: quantisation table %d", ErrFormat, tq)
		}
		q := &d.quant[tq]
		switch {
		case pq == 0 && len(p) >= 65:
			for i := range q {
				q[i] = int32(p[1+i])
			}
			p = p[65:]
		case pq == 1 && len(p) >= 129:
			for i := range q {
				q[i] = int32(binary.BigEndian.Uint16(p[1+2*i:]))
			}
			p = p[129:]
		default:
			return fmt.Errorf("%w: bad quantisation table", ErrFormat)
		}
	}
	return nil
}

// dht reads Huffman tables (T.81 §B.2.4.2).
func (d *decoder) dht(p []byte) error {
	for len(p) > 0 {
		if len(p) < 17 {
			return fmt.Errorf("%w: Huffman table header cut short", ErrFormat)
		}
		tc, th := p[0]>>4, p[0]&15
		if tc > 1 || th > 3 {
			return fmt.Errorf("%w: Huffman table class %d, id %d", ErrFormat, tc, th)
		}
		var counts [16]byte
		copy(counts[:], p[1:17])
		total := 0
		for _, c := range counts {
			total += int(c)
		}
		if total == 0 || total > 256 || len(p) < 17+total {
			return fmt.Errorf("%w: Huffman table of %d codes", ErrFormat, total)
		}
		t := &d.dcTables[th]
		if tc == 1 {
			t = &d.acTables[th]
		}
		if err := t.build(&counts, p[17:17+total]); err != nil {
			return err
		}
		p = p[17+total:]
	}
	return nil
}
