package render

import (
	"math/rand/v2"
	"testing"
)

// TestTranspose checks the one-word fast path of transpose against the
// definition, on random matrices of every size it serves and one beyond.
func TestTranspose(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 70; n++ {
		m := newBitRows(n)
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if r.IntN(2) == 1 {
					m.set(x, y)
				}
			}
		}
		tr := m.transpose()
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if tr.get(x, y) != m.get(y, x) {
					t.Fatalf("n=%d: transpose has (%d,%d) = %v, want (%d,%d) of the matrix = %v", n, x, y, tr.get(x, y), y, x, m.get(y, x))
				}
			}
		}
	}
}
