package scan

import (
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// This file reads the modules of a symbol whose grid is known but whose
// modules, thresholded one by one, are a few per cent wrong: a
// decision-directed equaliser, as a modem reads symbols smeared into
// each other. Blur mixes each module's level with its neighbours', and
// noise then flips the modules near the threshold: a restored picture of
// a shaken symbol, or a defocused one in noise, is like that. From the
// first reading, the weights with which the modules within eqR of a
// module make up the level sampled at its centre are fitted by least
// squares over the whole symbol (the few modules read wrong barely move
// them); the modules not fixed by the standard are then chosen, each
// dark or light, to fit every level best, and the weights fitted again
// from them. (unblurModules, in modblur.go, fits its weights on the fixed
// modules only and lets the others take any grey level: on the held-out
// shaken pictures it read none of those this reads.)

// eqR is the reach, in modules, of the weights fitted.
const eqR = 2

// eqSide is the side of the weights' square.
const eqSide = 2*eqR + 1

// eqWeights counts the weights and the offset fitted.
const eqWeights = eqSide*eqSide + 1

// eqRounds bounds how many times the weights are fitted and the modules
// chosen.
const eqRounds = 3

// eqSweeps bounds the sweeps over the modules in one choice of them.
const eqSweeps = 8

// equalize returns the modules (set: dark) of the symbol of version ver
// that h maps onto g, its levels times sign dark low, starting from the
// reading first; false if a module of the symbol or of the eqR modules
// of quiet zone around it falls outside g, or the weights cannot be
// fitted.
func equalize(g *grey, h *homography, ver *decoder.Version, sign float64, first *gozxing.BitMatrix) (*gozxing.BitMatrix, bool) {
	dim := ver.GetDimensionForVersion()
	const q = eqR
	n := dim + 2*q
	known := knownModules(dim, q, ver)
	m := make([]float64, n*n)
	levels := make([]float64, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			i := y*n + x
			switch {
			case known[i] >= 0:
				m[i] = known[i]
			case first.Get(x-q, y-q):
				m[i] = 1
			}
			c := h.apply(pt{float64(x-q) + 0.5, float64(y-q) + 0.5})
			if !g.inside(c) {
				return nil, false
			}
			levels[i] = sign * g.at(c)
		}
	}
	for range eqRounds {
		w, ok := fitWeights(levels, m, n)
		if !ok {
			return nil, false
		}
		if chooseModules(levels, w, m, known, n) == 0 {
			break
		}
	}
	bits, _ := gozxing.NewSquareBitMatrix(dim)
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			if m[(y+q)*n+x+q] != 0 {
				bits.Set(x, y)
			}
		}
	}
	return bits, true
}

// fitWeights returns the eqSide² weights, row by row from offset (−eqR,
// −eqR), and the offset (last) that make the modules m within eqR of
// each module of an n×n grid, weighted, plus the offset, closest to the
// module's level, by least squares over the modules eqR or more from the
// grid's edge. The modules are 0 or 1, so the normal matrix sums the
// products of the dark modules' indicators only.
func fitWeights(levels, m []float64, n int) ([]float64, bool) {
	var sys [eqWeights][eqWeights + 1]float64
	var dark [eqWeights]int
	for y := eqR; y < n-eqR; y++ {
		for x := eqR; x < n-eqR; x++ {
			k := 0
			for i, o := 0, (y-eqR)*n+x-eqR; i < eqSide*eqSide; o += n {
				for _, v := range m[o : o+eqSide] {
					if v != 0 {
						dark[k] = i
						k++
					}
					i++
				}
			}
			dark[k] = eqWeights - 1 // the offset's indicator, always 1
			k++
			v := levels[y*n+x]
			for _, a := range dark[:k] {
				r := &sys[a]
				for _, b := range dark[:k] {
					r[b]++
				}
				r[eqWeights] += v
			}
		}
	}
	// A weight whose module is never dark has an empty row: a small
	// ridge keeps the system solvable.
	rows := make([][]float64, eqWeights)
	for a := range sys {
		sys[a][a] += 1e-6
		rows[a] = sys[a][:]
	}
	return solve(rows)
}

// chooseModules sets each module of m not known (known < 0) to 0 or 1,
// whichever makes the weighted sums (weights w, as fitWeights returns
// them) of the modules about each module eqR or more from the grid's
// edge closer to its level (squared error), sweeping the grid until a
// sweep changes none or eqSweeps have; it returns how many it changed.
func chooseModules(levels, w, m, known []float64, n int) int {
	// res holds the levels less the weighted sums, 0 near the edge.
	res := make([]float64, n*n)
	for y := eqR; y < n-eqR; y++ {
		for x := eqR; x < n-eqR; x++ {
			s, i := w[eqSide*eqSide], 0
			for o := (y-eqR)*n + x - eqR; i < eqSide*eqSide; o += n {
				for _, v := range m[o : o+eqSide] {
					s += w[i] * v
					i++
				}
			}
			res[y*n+x] = levels[y*n+x] - s
		}
	}
	// Flipping a module by d (±1) changes the sum about the module a, b
	// away from it by w[(eqR−b)·eqSide + eqR−a]·d, and that sum's
	// squared error by w²−2·d·w·res: the flip pays when d·Σw·res
	// exceeds half Σw², the sums over the sums it enters.
	inner := func(x, y int) bool { return x >= eqR && y >= eqR && x < n-eqR && y < n-eqR }
	energy := 0.0
	for _, v := range w[:eqSide*eqSide] {
		energy += v * v
	}
	changed := 0
	for range eqSweeps {
		flips := 0
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if known[y*n+x] >= 0 {
					continue
				}
				d := 1 - 2*m[y*n+x]
				wr, ww := 0.0, energy
				whole := x >= 2*eqR && y >= 2*eqR && x < n-2*eqR && y < n-2*eqR
				if !whole {
					ww = 0
				}
				for b := -eqR; b <= eqR; b++ {
					row := res[(y+b)*n+x-eqR : (y+b)*n+x+eqR+1]
					ws := w[(eqR-b)*eqSide : (eqR-b+1)*eqSide]
					for a, r := range row {
						wk := ws[eqSide-1-a]
						wr += wk * r
						if !whole && inner(x+a-eqR, y+b) {
							ww += wk * wk
						}
					}
				}
				if 2*d*wr <= ww {
					continue
				}
				m[y*n+x] += d
				flips++
				for b := -eqR; b <= eqR; b++ {
					row := res[(y+b)*n+x-eqR : (y+b)*n+x+eqR+1]
					ws := w[(eqR-b)*eqSide : (eqR-b+1)*eqSide]
					for a := range row {
						if inner(x+a-eqR, y+b) {
							row[a] -= ws[eqSide-1-a] * d
						}
					}
				}
			}
		}
		changed += flips
		if flips == 0 {
			break
		}
	}
	return changed
}
