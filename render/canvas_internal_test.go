package render

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestNum checks num's integer formatting against its definition: the
// value rounded to thousandths, printed by strconv as the shortest
// decimal, then a space.
func TestNum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1000))
	vals := []float64{0, math.Copysign(0, -1), -0.0004, 0.0005, -0.0005, 1, -1, 0.1, 0.01, 0.001, 0.0015, 12.3456, 841.89, 595.276,
		999999999.9994, 1e9, 1e12, -1e15, math.Inf(1), math.Inf(-1), math.NaN(), 2.675, 1.0005}
	for i := 0; i < 100000; i++ {
		switch i % 3 {
		case 0:
			vals = append(vals, (rng.Float64()-0.2)*1000)
		case 1:
			vals = append(vals, float64(rng.IntN(2000000)-100000)/1000)
		default:
			vals = append(vals, (rng.Float64()-0.5)*math.Pow(10, float64(rng.IntN(14))))
		}
	}
	var b bytes.Buffer
	for _, v := range vals {
		b.Reset()
		num(&b, v)
		want := strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64) + " "
		if b.String() != want {
			t.Fatalf("num(%v) wrote %q, want %q", v, b.String(), want)
		}
	}
}
