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

// integral returns the integral image of the plane: (w+1)×(h+1) sums of
// the pixels above and left of each corner.
func integral(g *grey) []uint32 {
	w, h := g.w, g.h
	sat := make([]uint32, (w+1)*(h+1))
	for y := 0; y < h; y++ {
		row := g.pix[y*g.str : y*g.str+w]
		var acc uint32
		up, cur := sat[y*(w+1):(y+1)*(w+1)], sat[(y+1)*(w+1):(y+2)*(w+1)]
		for x, v := range row {
			acc += uint32(v)
			cur[x+1] = up[x+1] + acc
		}
	}
	return sat
}

// localMatrix binarises the plane against the mean of the (2r+1)² window
// around each pixel, less bias grey levels: a dark pixel is darker than its
// neighbourhood. Unlike gozxing's hybrid binariser (a threshold per 8×8
// block), the window slides, and its size can follow the module size. sat
// is the plane's integral image.
func localMatrix(g *grey, sat []uint32, r int, bias int, invert bool) *gozxing.BitMatrix {
	w, h := g.w, g.h
	m, _ := gozxing.NewBitMatrix(w, h)
	words := make([]uint32, (w+31)/32)
	row := gozxing.NewBitArray(w)
	for y := 0; y < h; y++ {
		y0, y1 := max(y-r, 0), min(y+r+1, h)
		pix := g.pix[y*g.str : y*g.str+w]
		top, bot := sat[y0*(w+1):(y0+1)*(w+1)], sat[y1*(w+1):(y1+1)*(w+1)]
		clear(words)
		for x, v := range pix {
			x0, x1 := max(x-r, 0), min(x+r+1, w)
			sum := int(bot[x1] - top[x1] - bot[x0] + top[x0])
			n := (y1 - y0) * (x1 - x0)
			// With mean = ⌊sum/n⌋, for integer k: k ≤ mean ⇔ k·n ≤ sum,
			// and mean ≤ k ⇔ sum < (k+1)·n; no division, and the bit
			// is a sign bit, no branch.
			var d int
			if invert {
				d = sum - (int(v)-bias+1)*n // dark if < 0
			} else {
				d = (int(v)+bias)*n - sum - 1 // dark if < 0
			}
			words[x>>5] |= uint32(d>>63&1) << uint(x&31)
		}
		for i, wd := range words {
			row.SetBulk(i*32, wd)
		}
		m.SetRow(y, row)
	}
	return m
}
