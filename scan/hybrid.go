package scan

import (
	"encoding/binary"

	"github.com/makiuchi-d/gozxing"
)

// Eight pixels in 16-bit lanes, even and odd bytes apart.
const (
	lanes     = 0x0001_0001_0001_0001
	laneTops  = 0x8000_8000_8000_8000
	evenBytes = 0x00ff_00ff_00ff_00ff
)

// hybridBlock is the side of the hybrid binariser's blocks, and
// hybridRange the least range of grey levels of a block whose mean is its
// black point.
const (
	hybridBlock = 8
	hybridRange = 24
)

// blockStat is the sum, least and greatest grey level of an 8×8 block.
type blockStat struct {
	sum    uint16
	lo, hi uint8
}

// blockStats returns the statistics of the hybrid binariser's blocks,
// row by row (blocks at the right and bottom edges overlap their
// neighbours, as in gozxing), or nil if the plane is smaller than five
// blocks either way. The minimum and maximum are taken over the whole
// block: gozxing stops taking them once they differ by more than
// hybridRange, and a wider range only widens one already too wide to be
// used.
func blockStats(g *grey) []blockStat {
	const bs = hybridBlock
	w, h := g.w, g.h
	if w < 5*bs || h < 5*bs {
		return nil
	}
	sw, sh := (w+bs-1)/bs, (h+bs-1)/bs
	maxX, maxY := w-bs, h-bs
	out := make([]blockStat, sw*sh)
	for by := 0; by < sh; by++ {
		yo := min(by*bs, maxY)
		for bx := 0; bx < sw; bx++ {
			xo := min(bx*bs, maxX)
			var e, o [bs]uint64
			var sum uint64
			for yy := range bs {
				off := (yo+yy)*g.str + xo
				v := binary.LittleEndian.Uint64(g.pix[off : off+bs : off+bs])
				e[yy], o[yy] = v&evenBytes, (v>>8)&evenBytes
				sum += e[yy] + o[yy] // lanes of at most 16 × 255
			}
			// Minimum and maximum of the 16 lane words, pairwise, in
			// two independent chains of four rows.
			lo, hi := laneLoHi(e[0], o[0])
			lo2, hi2 := laneLoHi(e[4], o[4])
			for i := 1; i < bs/2; i++ {
				l, h := laneLoHi(e[i], o[i])
				l2, h2 := laneLoHi(e[i+4], o[i+4])
				lo, hi = laneMin(lo, l), laneMax(hi, h)
				lo2, hi2 = laneMin(lo2, l2), laneMax(hi2, h2)
			}
			lo, hi = laneMin(lo, lo2), laneMax(hi, hi2)
			l4 := min(lo&0xffff, lo>>16&0xffff, lo>>32&0xffff, lo>>48)
			h4 := max(hi&0xffff, hi>>16&0xffff, hi>>32&0xffff, hi>>48)
			out[by*sw+bx] = blockStat{uint16((sum * lanes) >> 48), uint8(l4), uint8(h4)}
		}
	}
	return out
}

// laneLoHi returns the lane-wise minimum and maximum of a and b, 16-bit
// lanes of 0..255: (a | top) − b keeps a lane's top bit iff a ≥ b.
func laneLoHi(a, b uint64) (lo, hi uint64) {
	m := (((a | laneTops) - b) >> 15 & lanes) * 0xffff
	return b&m | a&^m, a&m | b&^m
}

// laneMin returns the lane-wise minimum of a and b, as laneLoHi.
func laneMin(a, b uint64) uint64 {
	m := (((a | laneTops) - b) >> 15 & lanes) * 0xffff
	return b&m | a&^m
}

// laneMax returns the lane-wise maximum of a and b, as laneLoHi.
func laneMax(a, b uint64) uint64 {
	m := (((a | laneTops) - b) >> 15 & lanes) * 0xffff
	return a&m | b&^m
}

// hybridFrom is hybridMatrix from the plane's block statistics, of the
// plane as it is or inverted (255 − v: gozxing's binariser of an
// inverted luminance source), or nil if stats is.
func hybridFrom(g *grey, stats []blockStat, invert bool) *gozxing.BitMatrix {
	const gather = 1<<57 | 1<<43 | 1<<29 | 1<<15
	const bs = hybridBlock
	if stats == nil {
		return nil
	}
	w, h := g.w, g.h
	sw, sh := (w+bs-1)/bs, (h+bs-1)/bs
	maxX, maxY := w-bs, h-bs
	// Black point of every block.
	black := make([]int, sw*sh)
	for by := 0; by < sh; by++ {
		for bx := 0; bx < sw; bx++ {
			st := stats[by*sw+bx]
			sum, lo, hi := int(st.sum), int(st.lo), int(st.hi)
			if invert {
				sum, lo, hi = bs*bs*255-sum, 255-hi, 255-lo
			}
			avg := sum >> 6
			if hi-lo <= hybridRange {
				avg = lo / 2
				if by > 0 && bx > 0 {
					n := (black[(by-1)*sw+bx] + 2*black[by*sw+bx-1] + black[(by-1)*sw+bx-1]) / 4
					if lo < n {
						avg = n
					}
				}
			}
			black[by*sw+bx] = avg
		}
	}
	// Threshold every block against the mean black point of the 5×5
	// blocks around it. Blocks at the right and bottom edges overlap
	// their neighbours; as in gozxing, a pixel is dark if either block
	// makes it so.
	// five[i]: the sum of the five black points about block i's
	// (clamped) column in its row, so a 5×5 sum takes five.
	five := make([]int, sw*sh)
	for by := 0; by < sh; by++ {
		for bx := 0; bx < sw; bx++ {
			left := min(max(bx, 2), sw-3)
			r := black[by*sw+left-2 : by*sw+left+3]
			five[by*sw+bx] = r[0] + r[1] + r[2] + r[3] + r[4]
		}
	}
	rowSize := (w + 31) / 32
	bits := make([]uint32, rowSize*h)
	for by := 0; by < sh; by++ {
		yo := min(by*bs, maxY)
		top := min(max(by, 2), sh-3)
		f0, f1, f2 := five[(top-2)*sw:(top-1)*sw], five[(top-1)*sw:top*sw], five[top*sw:(top+1)*sw]
		f3, f4 := five[(top+1)*sw:(top+2)*sw], five[(top+2)*sw:(top+3)*sw]
		for bx := 0; bx < sw; bx++ {
			xo := min(bx*bs, maxX)
			t := (f0[bx] + f1[bx] + f2[bx] + f3[bx] + f4[bx]) / 25
			// A pixel v is dark iff v ≤ t; inverted, iff 255 − v ≤ t,
			// that is iff v > 254 − t.
			flip := uint64(0xff)
			if invert {
				t, flip = 254-t, 0
			}
			word, shift := xo/32, uint(xo%32)
			// Eight pixels at once, in 16-bit lanes: v + 0x7fff − t
			// has its top bit set iff v > t (no lane overflows, as
			// 0 ≤ v ≤ 255 and −1 ≤ t ≤ 255).
			k := uint64(0x7fff-t) * lanes
			for yy := 0; yy < bs; yy++ {
				o := (yo+yy)*g.str + xo
				v := binary.LittleEndian.Uint64(g.pix[o : o+bs : o+bs])
				even := (v&evenBytes + k) >> 15 & lanes // pixels 0, 2, 4, 6
				odd := ((v>>8)&evenBytes + k) >> 15 & lanes
				// Lane bits 0, 16, 32, 48 to bits 57, 59, 61, 63: the
				// other products fall below bit 57, each on its own bit.
				above := (even*gather)>>57 | (odd*gather)>>56
				mask := uint64((above^flip)&0xff) << shift
				b := (yo+yy)*rowSize + word
				bits[b] |= uint32(mask)
				if mask>>32 != 0 {
					bits[b+1] |= uint32(mask >> 32)
				}
			}
		}
	}
	m, _ := gozxing.NewBitMatrix(w, h)
	row := gozxing.NewBitArray(w)
	for y := 0; y < h; y++ {
		for i, v := range bits[y*rowSize : (y+1)*rowSize] {
			row.SetBulk(i*32, v)
		}
		m.SetRow(y, row)
	}
	return m
}
