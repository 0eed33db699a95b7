package render

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
)

// TestMaskSameAsGozxing encodes many payloads of every length class and
// level, and checks that NewQR chooses the mask gozxing's encoder chooses
// and draws the same modules, byte for byte.
func TestMaskSameAsGozxing(t *testing.T) {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	rng := rand.New(rand.NewPCG(12, 34))
	n := 0
	masks := map[int]bool{}
	for _, l := range []Level{LevelL, LevelM, LevelQ, LevelH} {
		ec := zxingLevel(l)
		for i := 0; i < 60; i++ {
			size := 1 + rng.IntN(400)
			if i%4 == 0 {
				size = 230 + rng.IntN(30) // the length of an offline code
			}
			b := make([]byte, size)
			for j := range b {
				b[j] = alphabet[rng.IntN(len(alphabet))]
			}
			text := string(b)
			want, zerr := encoder.Encoder_encode(text, ec, map[gozxing.EncodeHintType]interface{}{})
			if zerr != nil {
				continue // too long for the level
			}
			q, err := NewQR(text, l)
			if err != nil {
				t.Fatalf("NewQR(%d characters, %v) = %v", size, l, err)
			}
			if q.mask != want.GetMaskPattern() {
				t.Errorf("NewQR(%d characters, %v): mask %d, gozxing chooses %d", size, l, q.mask, want.GetMaskPattern())
				continue
			}
			m := want.GetMatrix()
			for y := 0; y < q.size; y++ {
				for x := 0; x < q.size; x++ {
					if q.Dark(x, y) != (m.Get(x, y) == 1) {
						t.Fatalf("NewQR(%d characters, %v): module %d,%d differs from gozxing's", size, l, x, y)
					}
				}
			}
			masks[q.mask] = true
			n++
		}
	}
	if n < 200 || len(masks) < 6 {
		t.Fatalf("only %d payloads compared, %d masks chosen", n, len(masks))
	}
	t.Log(fmt.Sprint(n, " payloads, ", len(masks), " masks"))
}

// BenchmarkQREncodeGozxing is the baseline of BenchmarkQREncode: gozxing's
// encoder with its own mask search, on the same code.
func BenchmarkQREncodeGozxing(b *testing.B) {
	text := testcode.Issue(0, codec.Green, codec.Personal)
	ec := zxingLevel(LevelQ)
	for b.Loop() {
		if _, err := encoder.Encoder_encode(text, ec, map[gozxing.EncodeHintType]interface{}{}); err != nil {
			b.Fatal(err)
		}
	}
}

// zxingLevel is gozxing's name for l.
func zxingLevel(l Level) decoder.ErrorCorrectionLevel {
	return [...]decoder.ErrorCorrectionLevel{
		LevelL: decoder.ErrorCorrectionLevel_L,
		LevelM: decoder.ErrorCorrectionLevel_M,
		LevelQ: decoder.ErrorCorrectionLevel_Q,
		LevelH: decoder.ErrorCorrectionLevel_H,
	}[l]
}
