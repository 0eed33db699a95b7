package scan

import (
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing"
)

// TestThresholdSame checks threshold, which fills one bit matrix in
// place, against the per-module thresholds it replaced (thresholdsRef),
// bit for bit, on random planes of several sides, reusing one matrix as
// gridDecodeDim does.
func TestThresholdSame(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	for _, dim := range []int{21, 25, 45, 57, 101} {
		vals := make([]float64, dim*dim)
		for i := range vals {
			vals[i] = rng.Float64()*255 - 128
		}
		sat := summedArea(vals, dim)
		bits, _ := gozxing.NewSquareBitMatrix(dim)
		for k, ref := range thresholdsRef(vals, dim) {
			threshold(bits, vals, sat, dim, thresholdWindows[k])
			set := 0
			for i, v := range vals {
				want := v < ref[i]
				if bits.Get(i%dim, i/dim) != want {
					t.Fatalf("dim %d window %d: module (%d, %d) = %v, want %v", dim, thresholdWindows[k], i%dim, i/dim, !want, want)
				}
				if want {
					set++
				}
			}
			if set == 0 || set == len(vals) {
				t.Fatalf("dim %d window %d: %d of %d modules dark; the test proves nothing", dim, thresholdWindows[k], set, len(vals))
			}
		}
	}
}

// thresholdsRef is gridDecodeDim's former thresholds: per-module
// thresholds, the mean of the modules in a window around each, at two
// window sizes.
func thresholdsRef(vals []float64, dim int) [][]float64 {
	sat := make([]float64, (dim+1)*(dim+1))
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			sat[(y+1)*(dim+1)+x+1] = vals[y*dim+x] + sat[y*(dim+1)+x+1] + sat[(y+1)*(dim+1)+x] - sat[y*(dim+1)+x]
		}
	}
	var out [][]float64
	for _, r := range []int{4, 9} {
		t := make([]float64, len(vals))
		for y := 0; y < dim; y++ {
			y0, y1 := max(y-r, 0), min(y+r+1, dim)
			for x := 0; x < dim; x++ {
				x0, x1 := max(x-r, 0), min(x+r+1, dim)
				s := sat[y1*(dim+1)+x1] - sat[y0*(dim+1)+x1] - sat[y1*(dim+1)+x0] + sat[y0*(dim+1)+x0]
				t[y*dim+x] = s / float64((y1-y0)*(x1-x0))
			}
		}
		out = append(out, t)
	}
	return out
}
