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
// The window sums come from the sums of each column over the window's
// rows, kept as the window slides down (a row added, a row taken away),
// and their running sum along the row: two reads a window, where the
// rows of an integral image took four, and no ring of rows to keep in
// the cache.
func localMatrix(g *grey, r int, bias int, invert bool) *gozxing.BitMatrix {
	w, h := g.w, g.h
	col := make([]uint32, w)   // column sums over the window's rows
	pre := make([]uint32, w+1) // pre[x]: the sum of col[:x]
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
	top, bot := 0, 0 // the rows in col: [top, bot)
	for y := 0; y < h; y++ {
		y0, y1 := max(y-r, 0), min(y+r+1, h)
		slideColumns(g, col, pre, &top, &bot, y0, y1)
		rows := y1 - y0
		pix := g.pix[y*g.str : y*g.str+w]
		clear(words)
		edge := func(x int) {
			x0, x1 := max(x-r, 0), min(x+r+1, w)
			sum := int(pre[x1] - pre[x0])
			n := rows * (x1 - x0)
			d := sign*(int(pix[x])*n-sum) + c(n)
			words[x>>5] |= uint32(d>>63&1) << uint(x&31)
		}
		for x := 0; x < inLo; x++ {
			edge(x)
		}
		if inHi >= inLo {
			n := rows * (2*r + 1)
			// Window sums over x-r .. x+r: pre[x+r+1] − pre[x−r].
			k := 2*r + 1
			span := inHi - inLo + 1
			lo, hi := pre[inLo-r:inLo-r+span], pre[inLo-r+k:inLo-r+k+span]
			gatherDark(words, pix[inLo:inLo+span], lo, hi, inLo, sign*n, sign, c(n))
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

// slideColumns brings the column sums col of the rows [*top, *bot) of g
// to the rows [y0, y1), neither end moving back, and sets pre to their
// running sum. A row entering and one leaving together, the rule inside
// the plane, take one pass, the running sum with them.
func slideColumns(g *grey, col, pre []uint32, top, bot *int, y0, y1 int) {
	w := len(col)
	ps := pre[1 : w+1]
	if *bot+1 == y1 && *top+1 == y0 {
		in, out := g.pix[*bot*g.str:*bot*g.str+w], g.pix[*top*g.str:*top*g.str+w]
		out, ps = out[:len(in)], ps[:len(in)]
		cs := col[:len(in)]
		var acc uint32
		for x, v := range in {
			c := cs[x] + uint32(v) - uint32(out[x])
			cs[x] = c
			acc += c
			ps[x] = acc
		}
		*bot, *top = y1, y0
		return
	}
	for ; *bot < y1; *bot++ {
		in := g.pix[*bot*g.str : *bot*g.str+w]
		cs := col[:len(in)]
		for x, v := range in {
			cs[x] += uint32(v)
		}
	}
	for ; *top < y0; *top++ {
		out := g.pix[*top*g.str : *top*g.str+w]
		cs := col[:len(out)]
		for x, v := range out {
			cs[x] -= uint32(v)
		}
	}
	var acc uint32
	for x, v := range col {
		acc += v
		ps[x] = acc
	}
}

// gatherDark sets the bits of words of the pixels px, from column x0 on,
// darker than their windows: the window sums are hi[i] − lo[i], sn is
// sign·n and cn is c(n) of localMatrix (the sign of d folded into n and
// cn: −sum for sum·sign, as sign is ±1). The bits of a word's pixels
// gather in a register and are stored once a word: an or into memory
// per pixel would wait on the previous one. (A loop over the pixels of
// one word at a time, a register of 32 bits, leaves the compiler no
// bounds to check.)
func gatherDark(words []uint32, px []byte, lo, hi []uint32, x0, sn, sign, cn int) {
	span := len(px)
	lo, hi = lo[:span], hi[:span]
	for i := 0; i < span; {
		x := x0 + i
		end := min(i+32-x&31, span)
		p, l, h := px[i:end], lo[i:end], hi[i:end]
		l, h = l[:len(p)], h[:len(p)]
		var acc uint32
		if sign > 0 {
			for j, v := range p {
				d := int(v)*sn - int(h[j]-l[j]) + cn
				acc |= uint32(uint64(d)>>63) << uint(j&31)
			}
		} else {
			for j, v := range p {
				d := int(v)*sn + int(h[j]-l[j]) + cn
				acc |= uint32(uint64(d)>>63) << uint(j&31)
			}
		}
		words[x>>5] |= acc << uint(x&31)
		i = end
	}
}
