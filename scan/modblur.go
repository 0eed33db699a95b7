package scan

import (
	"math"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// This file undoes blur in module space, once the module grid of a
// symbol is known (gridDecodeDim): the grey level sampled at a module's
// centre is, under any blur up to two modules long, close to a fixed
// weighted sum of the modules within two of it. The weights (whatever
// the blur: a smear one way, defocus, or both, and whatever shift it
// brought) are fitted by least squares on the modules whose values are
// known — the finder patterns, their separators, the quiet zone, the
// timing and alignment patterns — and the data modules are then solved
// for, clipped to [0, 1], by projected gradient descent.

// modR is the reach, in modules, of the weights fitted.
const modR = 2

// modIters is the number of descent steps.
const modIters = 40

// modUnknowns counts the weights and the offset fitted.
const modUnknowns = (2*modR+1)*(2*modR+1) + 1

// known returns, for the (dim+2q)² modules of a symbol of version ver
// with a quiet zone of q modules sampled around it, 1 for a module known
// dark, 0 for one known light, and -1 for one not known.
func knownModules(dim, q int, ver *decoder.Version) []float64 {
	n := dim + 2*q
	k := make([]float64, n*n)
	for i := range k {
		k[i] = -1
	}
	set := func(x, y int, dark bool) {
		if x < -q || y < -q || x >= dim+q || y >= dim+q {
			return
		}
		v := 0.0
		if dark {
			v = 1
		}
		k[(y+q)*n+x+q] = v
	}
	for y := -q; y < dim+q; y++ {
		for x := -q; x < dim+q; x++ {
			if x < 0 || y < 0 || x >= dim || y >= dim {
				set(x, y, false)
			}
		}
	}
	for _, c := range [3][2]int{{0, 0}, {dim - 7, 0}, {0, dim - 7}} {
		// The separator: the ring of light modules around the pattern.
		for dy := -1; dy <= 7; dy++ {
			for dx := -1; dx <= 7; dx++ {
				d := max(abs(dx-3), abs(dy-3))
				set(c[0]+dx, c[1]+dy, d != 2 && d != 4)
			}
		}
	}
	for i := 8; i < dim-8; i++ {
		set(i, 6, i%2 == 0)
		set(6, i, i%2 == 0)
	}
	cs := ver.GetAlignmentPatternCenters()
	for _, cy := range cs {
		for _, cx := range cs {
			if (cx < 10 && cy < 10) || (cx > dim-10 && cy < 10) || (cx < 10 && cy > dim-10) {
				continue
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					set(cx+dx, cy+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	return k
}

// unblurModules returns the dim×dim modules of a symbol of version ver
// (true dark) from the grey levels vals sampled at the module centres of
// it and a quiet zone of q modules around it ((dim+2q)², dark low), with
// the blur undone; false if the known modules do not fix the weights.
func unblurModules(vals []float64, dim, q int, ver *decoder.Version) (*gozxing.BitMatrix, bool) {
	n := dim + 2*q
	known := knownModules(dim, q, ver)
	const unknowns = modUnknowns
	// Normal equations over every module whose neighbourhood is known.
	var ata [unknowns][unknowns + 1]float64
	var row [unknowns]float64
	eqs := 0
	for y := modR; y < n-modR; y++ {
	next:
		for x := modR; x < n-modR; x++ {
			i := 0
			for dy := -modR; dy <= modR; dy++ {
				for dx := -modR; dx <= modR; dx++ {
					m := known[(y+dy)*n+x+dx]
					if m < 0 {
						continue next
					}
					row[i] = m
					i++
				}
			}
			row[i] = 1
			v := vals[y*n+x]
			for a := range row {
				for b := range row {
					ata[a][b] += row[a] * row[b]
				}
				ata[a][unknowns] += row[a] * v
			}
			eqs++
		}
	}
	if eqs < 2*unknowns {
		return nil, false
	}
	rows := make([][]float64, len(ata))
	for i := range ata {
		rows[i] = ata[i][:]
	}
	w, ok := solve(rows)
	if !ok {
		return nil, false
	}
	m := solveModules(vals, known, n, w)
	bits, _ := gozxing.NewSquareBitMatrix(dim)
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			if m[(y+q)*n+x+q] > 0.5 {
				bits.Set(x, y)
			}
		}
	}
	return bits, true
}

// solveModules returns the n×n modules m (1 dark, 0 light) that make
// w∗m + offset (w the (2modR+1)² weights, the offset last) closest to
// vals: the known ones fixed, the others from 0.5 by up to modIters
// steps of gradient descent, each kept in [0, 1], until none moves by
// 0.002.
func solveModules(vals, known []float64, n int, w []float64) []float64 {
	const side = 2*modR + 1
	m := make([]float64, n*n)
	for i, k := range known {
		m[i] = k
		if k < 0 {
			m[i] = 0.5
		}
	}
	norm := 0.0
	for _, c := range w[:side*side] {
		norm += math.Abs(c)
	}
	if norm == 0 {
		return m
	}
	step := 1 / (norm * norm)
	res := make([]float64, n*n)
	at := func(x, y int) int { return min(max(y, 0), n-1)*n + min(max(x, 0), n-1) }
	// inner says whether the weights about x, y lie inside the grid,
	// where the taps are read without clamping, in the same order.
	inner := func(x, y int) bool { return x >= modR && y >= modR && x < n-modR && y < n-modR }
	for it, moved := 0, 1.0; it < modIters && moved > 0.002; it++ {
		moved = 0
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				s, i := w[side*side], 0
				if inner(x, y) {
					for o := (y-modR)*n + x - modR; i < side*side; o += n {
						for _, v := range m[o : o+side] {
							s += w[i] * v
							i++
						}
					}
				} else {
					for dy := -modR; dy <= modR; dy++ {
						for dx := -modR; dx <= modR; dx++ {
							s += w[i] * m[at(x+dx, y+dy)]
							i++
						}
					}
				}
				res[y*n+x] = vals[y*n+x] - s
			}
		}
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if known[y*n+x] >= 0 {
					continue
				}
				// The gradient: the correlation of the residual with the
				// weights.
				gsum, i := 0.0, 0
				if inner(x, y) {
					for o := (y+modR)*n + x + modR; i < side*side; o -= n {
						for d := range side {
							gsum += w[i] * res[o-d]
							i++
						}
					}
				} else {
					for dy := -modR; dy <= modR; dy++ {
						for dx := -modR; dx <= modR; dx++ {
							gsum += w[i] * res[at(x-dx, y-dy)]
							i++
						}
					}
				}
				v := min(max(m[y*n+x]+step*gsum, 0), 1)
				moved = max(moved, math.Abs(v-m[y*n+x]))
				m[y*n+x] = v
			}
		}
	}
	return m
}

// solve solves the normal equations a (the matrix and the right-hand
// side in the last column of its rows) by Gauss–Jordan elimination with
// partial pivoting, overwriting a.
func solve(a [][]float64) ([]float64, bool) {
	k := len(a)
	for c := 0; c < k; c++ {
		piv := c
		for r := c + 1; r < k; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		if math.Abs(a[piv][c]) < 1e-9 {
			return nil, false
		}
		a[c], a[piv] = a[piv], a[c]
		for r := 0; r < k; r++ {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for j := c; j <= k; j++ {
				a[r][j] -= f * a[c][j]
			}
		}
	}
	x := make([]float64, k)
	for i := range x {
		x[i] = a[i][k] / a[i][i]
	}
	return x, true
}
