package render

import (
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// TestQRTablesSameAsGozxing checks, for every version and level, the
// codeword counts, block structure and alignment pattern centres against
// gozxing's tables, written independently from the same standard.
func TestQRTablesSameAsGozxing(t *testing.T) {
	for v := 1; v <= qrMaxVersion; v++ {
		zv, err := decoder.Version_GetVersionForNumber(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := qrSize(v), zv.GetDimensionForVersion(); got != want {
			t.Errorf("qrSize(%d) = %d, want %d", v, got, want)
		}
		if got, want := qrAlignment(v), zv.GetAlignmentPatternCenters(); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("qrAlignment(%d) = %v, want %v", v, got, want)
		}
		for _, l := range []Level{LevelL, LevelM, LevelQ, LevelH} {
			row, _, err := l.row()
			if err != nil {
				t.Fatal(err)
			}
			lo := newQRLayout(v, row)
			zb := zv.GetECBlocksForLevel(zxingLevel(l))
			if lo.total != zv.GetTotalCodewords() || lo.ecPerBlock != zb.GetECCodewordsPerBlock() || lo.blocks != zb.GetNumBlocks() {
				t.Errorf("version %d-%v: %d codewords, %d blocks of %d EC codewords; gozxing: %d, %d, %d",
					v, l, lo.total, lo.blocks, lo.ecPerBlock, zv.GetTotalCodewords(), zb.GetNumBlocks(), zb.GetECCodewordsPerBlock())
			}
		}
	}
}
