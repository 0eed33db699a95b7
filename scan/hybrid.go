package scan

import (
	"encoding/binary"

	"github.com/makiuchi-d/gozxing"
)

// hybridMatrix binarises the plane exactly as gozxing's HybridBinarizer
// does (a threshold per 8×8 block from the black points of the 5×5 blocks
// around it), bit for bit, but reads the plane in place and sets eight
// pixels at a time. Planes smaller than 40 pixels either way, where gozxing
// falls back to its global histogram, return nil.
func hybridMatrix(g *grey) *gozxing.BitMatrix {
	const (
		lanes     = 0x0001_0001_0001_0001
		evenBytes = 0x00ff_00ff_00ff_00ff
		gather    = 1<<57 | 1<<43 | 1<<29 | 1<<15
	)
	const (
		bs       = 8 // block size
		minRange = 24
	)
	w, h := g.w, g.h
	if w < 5*bs || h < 5*bs {
		return nil
	}
	sw, sh := (w+bs-1)/bs, (h+bs-1)/bs
	maxX, maxY := w-bs, h-bs
	// Black point of every block.
	black := make([]int, sw*sh)
	for by := 0; by < sh; by++ {
		yo := min(by*bs, maxY)
		for bx := 0; bx < sw; bx++ {
			xo := min(bx*bs, maxX)
			// gozxing stops taking the minimum and maximum once they
			// differ by more than minRange; taking them over the whole
			// block only widens a range already too wide to be used,
			// and needs no branch.
			sum, lo, hi := 0, 0xff, 0
			for yy := 0; yy < bs; yy++ {
				o := (yo+yy)*g.str + xo
				r := g.pix[o : o+bs : o+bs]
				a, b, c, d := int(r[0]), int(r[1]), int(r[2]), int(r[3])
				e, f, p, q := int(r[4]), int(r[5]), int(r[6]), int(r[7])
				sum += a + b + c + d + e + f + p + q
				lo = min(lo, a, b, c, d, e, f, p, q)
				hi = max(hi, a, b, c, d, e, f, p, q)
			}
			avg := sum >> 6
			if hi-lo <= minRange {
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
	rowSize := (w + 31) / 32
	bits := make([]uint32, rowSize*h)
	for by := 0; by < sh; by++ {
		yo := min(by*bs, maxY)
		top := min(max(by, 2), sh-3)
		for bx := 0; bx < sw; bx++ {
			xo := min(bx*bs, maxX)
			left := min(max(bx, 2), sw-3)
			sum := 0
			for z := -2; z <= 2; z++ {
				r := black[(top+z)*sw+left-2 : (top+z)*sw+left+3]
				sum += r[0] + r[1] + r[2] + r[3] + r[4]
			}
			t := sum / 25
			word, shift := xo/32, uint(xo%32)
			// Eight pixels at once, in 16-bit lanes: v + 0x7fff − t
			// has its top bit set iff v > t (no lane overflows, as
			// 0 ≤ v, t ≤ 255), so the pixel is dark iff it is clear.
			k := uint64(0x7fff-t) * lanes
			for yy := 0; yy < bs; yy++ {
				o := (yo+yy)*g.str + xo
				v := binary.LittleEndian.Uint64(g.pix[o : o+bs : o+bs])
				even := (v&evenBytes + k) >> 15 & lanes // pixels 0, 2, 4, 6
				odd := ((v>>8)&evenBytes + k) >> 15 & lanes
				// Lane bits 0, 16, 32, 48 to bits 57, 59, 61, 63: the
				// other products fall below bit 57, each on its own bit.
				light := (even*gather)>>57 | (odd*gather)>>56
				mask := uint64(^light&0xff) << shift
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
