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
