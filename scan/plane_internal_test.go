package scan

import (
	"math/rand/v2"
	"testing"
)

// TestLocalMatrix checks the sliding-window binariser, which compares
// without dividing, against the window mean computed pixel by pixel.
func TestLocalMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const w, h, str = 37, 23, 41
	pix := make([]byte, h*str)
	for i := range pix {
		pix[i] = byte(rng.IntN(256))
		if i%7 == 0 {
			pix[i] = 0
		}
	}
	g := &grey{pix, w, h, str}
	sat := integral(g)
	for _, r := range []int{1, 5, 10} {
		for _, invert := range []bool{false, true} {
			m := localMatrix(g, sat, r, 2, invert)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					sum, n := 0, 0
					for yy := max(y-r, 0); yy < min(y+r+1, h); yy++ {
						for xx := max(x-r, 0); xx < min(x+r+1, w); xx++ {
							sum += int(pix[yy*str+xx])
							n++
						}
					}
					v, mean := int(pix[y*str+x]), sum/n
					want := v <= mean-2
					if invert {
						want = v >= mean+2
					}
					if m.Get(x, y) != want {
						t.Fatalf("r %d invert %v: pixel (%d,%d) = %v, want %v (value %d, mean %d)", r, invert, x, y, m.Get(x, y), want, v, mean)
					}
				}
			}
		}
	}
}
