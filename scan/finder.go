package scan

import (
	"math/bits"
	"sort"

	"github.com/makiuchi-d/gozxing"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// finderCentres returns the finder pattern centres that gozxing's
// MultiFinderPatternFinder.FindMulti finds in m, in the order its
// GetPossibleCenters returns them afterwards, but reads each row by runs
// of one colour (found a word of 32 pixels at a time) rather than pixel
// by pixel, and does not group the centres into symbols (the scan groups
// them itself: triples). Each candidate goes through gozxing's own cross
// checks (HandlePossibleCenter), so the centres are the same, bit for bit.
func finderCentres(m *gozxing.BitMatrix, tryHarder bool) []*detector.FinderPattern {
	f := detector.NewFinderPatternFinder(m, nil)
	maxI, maxJ := m.GetHeight(), m.GetWidth()
	iSkip := (3 * maxI) / (4 * detector.FinderPatternFinder_MAX_MODULES)
	if iSkip < detector.FinderPatternFinder_MIN_SKIP || tryHarder {
		iSkip = detector.FinderPatternFinder_MIN_SKIP
	}
	var row *gozxing.BitArray
	stateCount := make([]int, 5)
	for i := iSkip - 1; i < maxI; i += iSkip {
		row = m.GetRow(i, row)
		words := row.GetBitArray()
		clear(stateCount)
		state := 0
		// FindMulti's pixel loop, a run at a time: a dark pixel after
		// light ones starts the next state; the first light pixel
		// after dark ones ends the fifth run (checked, then the state
		// starts again or goes back two runs, that pixel uncounted) or
		// starts the next state.
		for j := 0; j < maxJ; {
			dark := words[j>>5]>>uint(j&31)&1 != 0
			end := runEnd(words, j, maxJ, dark)
			n := end - j
			if dark {
				if state&1 == 1 {
					state++
				}
				stateCount[state] += n
				j = end
				continue
			}
			if state&1 == 0 {
				if state == 4 {
					if foundPatternCross(stateCount) && f.HandlePossibleCenter(stateCount, i, j) {
						state = 0
						clear(stateCount)
					} else {
						stateCount[0], stateCount[1], stateCount[2] = stateCount[2], stateCount[3], stateCount[4]
						stateCount[3], stateCount[4] = 1, 0
						state = 3
					}
					// The first light pixel is not counted; the others
					// count as in the pixel loop.
					if n--; n > 0 && state == 0 {
						state = 1
					}
					stateCount[state] += n
					j = end
					continue
				}
				state++
			}
			stateCount[state] += n
			j = end
		}
		if foundPatternCross(stateCount) {
			f.HandlePossibleCenter(stateCount, i, maxJ)
		}
	}
	centres := f.GetPossibleCenters()
	if len(centres) > 3 {
		// FindMulti sorts the centres so in grouping them.
		sort.Slice(centres, multidetector.ModuleSizeComparator(centres))
	}
	return centres
}

// runEnd returns the end of the run of pixels of one colour (dark if
// dark) that starts at j in the row of bits words, at most width.
func runEnd(words []uint32, j, width int, dark bool) int {
	for j < width {
		k, s := j>>5, uint(j&31)
		w := words[k] >> s
		if dark {
			w = ^w & (0xffffffff >> s)
		}
		if w != 0 {
			return min(j+bits.TrailingZeros32(w), width)
		}
		j = (k + 1) << 5
	}
	return width
}

// foundPatternCross is gozxing's FinderPatternFinder_foundPatternCross
// (runs in the ratio 1:1:3:1:1, each within half a module of
// total/7) in integers: |total/7 − n| < total/14 iff |2·total − 14n| <
// total, and for the middle run |6·total − 14n| < 3·total. (The float
// test agrees: both sides differ by a multiple of 1/14 when they differ,
// and where they are equal total/7 is an integer, exact in floats.)
func foundPatternCross(stateCount []int) bool {
	a, b, c, d, e := stateCount[0], stateCount[1], stateCount[2], stateCount[3], stateCount[4]
	t := a + b + c + d + e
	if t < 7 || a == 0 || b == 0 || c == 0 || d == 0 || e == 0 {
		return false
	}
	return abs(2*t-14*a) < t && abs(2*t-14*b) < t && abs(6*t-14*c) < 3*t &&
		abs(2*t-14*d) < t && abs(2*t-14*e) < t
}
