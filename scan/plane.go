package scan

import (
	"fmt"

	"github.com/makiuchi-d/gozxing"
)

// planeSource is a gozxing.LuminanceSource over an 8-bit luminance plane,
// read in place.
type planeSource struct {
	gozxing.LuminanceSourceBase
	pix    []byte
	stride int
	left   int
	top    int
}

func newPlaneSource(pix []byte, width, height, stride int) *planeSource {
	return &planeSource{
		LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: width, Height: height},
		pix:                 pix,
		stride:              stride,
	}
}

func (p *planeSource) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= p.Height {
		return nil, fmt.Errorf("scan: %s", "row out of range")
	}
	if cap(row) < p.Width {
		row = make([]byte, p.Width)
	}
	row = row[:p.Width]
	off := (p.top+y)*p.stride + p.left
	copy(row, p.pix[off:off+p.Width])
	return row, nil
}

func (p *planeSource) GetMatrix() []byte {
	if p.left == 0 && p.top == 0 && p.stride == p.Width && len(p.pix) >= p.Width*p.Height {
		return p.pix[:p.Width*p.Height]
	}
	m := make([]byte, p.Width*p.Height)
	for y := 0; y < p.Height; y++ {
		off := (p.top+y)*p.stride + p.left
		copy(m[y*p.Width:], p.pix[off:off+p.Width])
	}
	return m
}

func (p *planeSource) IsCropSupported() bool { return true }

func (p *planeSource) Crop(left, top, width, height int) (gozxing.LuminanceSource, error) {
	if left < 0 || top < 0 || width <= 0 || height <= 0 || left+width > p.Width || top+height > p.Height {
		return nil, fmt.Errorf("scan: %s", "crop rectangle does not fit")
	}
	return &planeSource{
		LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: width, Height: height},
		pix:                 p.pix,
		stride:              p.stride,
		left:                p.left + left,
		top:                 p.top + top,
	}, nil
}

func (p *planeSource) Invert() gozxing.LuminanceSource { return gozxing.NewInvertedLuminanceSource(p) }

func (p *planeSource) String() string { return gozxing.LuminanceSourceString(p) }

// localMatrix binarises the plane against the mean of the (2r+1)² window
// around each pixel, less bias grey levels: a dark pixel is darker than its
// neighbourhood. Unlike gozxing's hybrid binariser (a threshold per 8×8
// block), the window slides, and its size can follow the module size.
// The window sums come from the plane's integral image, of which only the
// 2r+2 rows a row of windows reads are kept, in a ring, made as they are
// needed.
func localMatrix(g *grey, r int, bias int, invert bool) *gozxing.BitMatrix {
	w, h := g.w, g.h
	ring, made := min(2*r+2, h+1), 0 // rows of sat kept; rows made, after row 0
	sat := make([]uint32, ring*(w+1))
	satRow := func(k int) []uint32 {
		k %= ring
		return sat[k*(w+1) : (k+1)*(w+1)]
	}
	m, _ := gozxing.NewBitMatrix(w, h)
	words := make([]uint32, (w+31)/32)
	row := gozxing.NewBitArray(w)
	// With mean = ⌊sum/n⌋, for integer k: k ≤ mean ⇔ k·n ≤ sum, and
	// mean ≤ k ⇔ sum < (k+1)·n; no division. A pixel v is dark if
	// d = sign·(v·n − sum) + c < 0, the sign bit of d, no branch:
	// (v+bias)·n − sum − 1 < 0, or inverted, sum − (v−bias+1)·n < 0.
	sign, c := 1, func(n int) int { return bias*n - 1 }
	if invert {
		sign, c = -1, func(n int) int { return (bias - 1) * n }
	}
	// Columns whose window lies whole inside the row: [r, w-r-1].
	inLo, inHi := min(r, w), max(w-r-1, min(r, w)-1)
	for y := 0; y < h; y++ {
		y0, y1 := max(y-r, 0), min(y+r+1, h)
		for ; made < y1; made++ {
			// Row made+1 of the integral image, over row made of the
			// plane: it takes the slot of row made+1−ring, above every
			// window from now on. (Column 0 stays 0.)
			src := g.pix[made*g.str : made*g.str+w]
			up, cur := satRow(made)[1:], satRow(made + 1)[1:]
			up, cur = up[:len(src)], cur[:len(src)]
			var acc uint32
			for x, v := range src {
				acc += uint32(v)
				cur[x] = up[x] + acc
			}
		}
		rows := y1 - y0
		pix := g.pix[y*g.str : y*g.str+w]
		top, bot := satRow(y0), satRow(y1)
		clear(words)
		edge := func(x int) {
			x0, x1 := max(x-r, 0), min(x+r+1, w)
			sum := int(bot[x1] - top[x1] - bot[x0] + top[x0])
			n := rows * (x1 - x0)
			d := sign*(int(pix[x])*n-sum) + c(n)
			words[x>>5] |= uint32(d>>63&1) << uint(x&31)
		}
		for x := 0; x < inLo; x++ {
			edge(x)
		}
		if inHi >= inLo {
			n := rows * (2*r + 1)
			cn := c(n)
			// Window sums over x-r .. x+r: corners x-r and x+r+1.
			k := 2*r + 1
			span := inHi - inLo + 1
			tl, bl := top[inLo-r:inLo-r+span], bot[inLo-r:inLo-r+span]
			tr, br := top[inLo-r+k:inLo-r+k+span], bot[inLo-r+k:inLo-r+k+span]
			px := pix[inLo : inLo+span]
			// The bits gather in a register, a word at a time, stored
			// once a word: an or into memory per pixel would wait on
			// the previous one. The sign of d is folded into n and cn
			// (−sum for sum·sign, as sign is ±1).
			sn := sign * n
			for i := 0; i < span; {
				x := inLo + i
				end := min(i+32-x&31, span)
				var acc uint32
				for ; i < end; i++ {
					sum := int(br[i] - tr[i] - bl[i] + tl[i])
					if sign < 0 {
						sum = -sum
					}
					d := int(px[i])*sn - sum + cn
					acc |= uint32(d>>63&1) << uint((inLo+i)&31)
				}
				words[x>>5] |= acc
			}
		}
		for x := max(inHi+1, inLo); x < w; x++ {
			edge(x)
		}
		for i, wd := range words {
			row.SetBulk(i*32, wd)
		}
		m.SetRow(y, row)
	}
	return m
}
