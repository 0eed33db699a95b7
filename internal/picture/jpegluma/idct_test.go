package jpegluma

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestIDCTConstants derives the multipliers of idct.go from the cosines.
func TestIDCTConstants(t *testing.T) {
	c := func(k float64) float64 { return math.Cos(k * math.Pi / 16) }
	for _, k := range []struct {
		got  int32
		want float64
	}{
		{fix0298631336, -c(1) + c(3) + c(5) - c(7)},
		{fix0390180644, c(3) - c(5)},
		{fix0541196100, c(6)},
		{fix0765366865, c(2) - c(6)},
		{fix0899976223, c(3) - c(7)},
		{fix1175875602, c(3)},
		{fix1501321110, c(1) + c(3) - c(5) - c(7)},
		{fix1847759065, c(2) + c(6)},
		{fix1961570560, c(3) + c(5)},
		{fix2053119869, c(1) + c(3) - c(5) + c(7)},
		{fix2562915447, c(1) + c(3)},
		{fix3072711026, c(1) + c(3) + c(5) - c(7)},
	} {
		if want := int32(math.Round(k.want * math.Sqrt2 * (1 << constBits))); k.got != want {
			t.Errorf("multiplier %d, want %d", k.got, want)
		}
	}
}

// TestZigzag checks the zigzag order against T.81 Figure A.6.
func TestZigzag(t *testing.T) {
	want := [64]uint8{
		0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
		12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
		35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
		58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
	}
	if zigzag != want {
		t.Fatalf("zigzag = %v, want %v", zigzag, want)
	}
}

// refIDCT is the inverse DCT of T.81 §A.3.3 in floating point, level
// shifted and clamped.
func refIDCT(blk *[64]int32) (out [64]byte) {
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			s := 0.0
			for v := 0; v < 8; v++ {
				for u := 0; u < 8; u++ {
					cu, cv := 1.0, 1.0
					if u == 0 {
						cu = math.Sqrt2 / 2
					}
					if v == 0 {
						cv = math.Sqrt2 / 2
					}
					s += cu * cv * float64(blk[8*v+u]) *
						math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
				}
			}
			out[8*y+x] = byte(min(255, max(0, math.Round(s/4)+128)))
		}
	}
	return out
}

// TestIDCT compares idct and fill with the floating-point transform on
// random blocks: at most 1 apart; and idct given the columns that have a
// coefficient (as decodeLuma passes them) with idct told all have one:
// equal.
func TestIDCT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1200; i++ {
		var blk [64]int32
		last, amp := 0, int32(1+rng.IntN(coefLimit))
		switch i % 3 {
		case 0: // DC only
			blk[0] = rng.Int32N(2048) - 1024
		case 1: // the top-left 4×4 corner
			last = 9
		default:
			last = 63
		}
		for k := 0; k <= last; k++ {
			if rng.IntN(3) == 0 {
				blk[zigzag[k]] = rng.Int32N(2*amp+1) - amp
			}
		}
		want := refIDCT(&blk)
		var got, full [64]byte
		b := blk
		if i%3 == 0 {
			fill(blk[0], got[:], 8)
		} else {
			idct(&b, got[:], 8, colsOf(&blk))
			b = blk
			idct(&b, full[:], 8, 0xff)
			if got != full {
				t.Fatalf("block %v: with the columns %08b %v, with all %v", blk, colsOf(&blk), got, full)
			}
		}
		for j := range got {
			if d := int(got[j]) - int(want[j]); d > 1 || d < -1 {
				t.Fatalf("block %v: sample %d = %d, want %d±1", blk, j, got[j], want[j])
			}
		}
	}
}

// colsOf returns the columns of blk with a non-zero coefficient, as
// decodeLuma passes them to idct.
func colsOf(blk *[64]int32) uint8 {
	cols := uint8(1)
	for i, v := range blk {
		if v != 0 {
			cols |= 1 << (i & 7)
		}
	}
	return cols
}
