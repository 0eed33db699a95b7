package render

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
)

const qrAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

var qrLevels = []Level{LevelL, LevelM, LevelQ, LevelH}

// qrMaxChars returns the most alphanumeric characters a version holds at
// a level, by our own capacity rule.
func qrMaxChars(t testing.TB, version int, l Level) int {
	row, _, err := l.row()
	if err != nil {
		t.Fatal(err)
	}
	bits := 8*newQRLayout(version, row).data - 4 - qrCountBits(version)
	return bits/11*2 + min(bits%11/6, 1)
}

// randomText returns n characters of the alphanumeric set, at least one
// of them a letter (gozxing would encode digits alone in numeric mode).
func randomText(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = qrAlphabet[rng.IntN(len(qrAlphabet))]
	}
	b[rng.IntN(n)] = 'A' + byte(rng.IntN(26))
	return string(b)
}

// TestQRSameAsGozxing encodes, at every level and for every version 1 to
// 40 (so every block structure of Table 9), the longest text the version
// holds, one character more (which must step up a version) and two
// lengths in between, and checks that the symbol equals gozxing's, module
// for module, and that gozxing's decoder reads it back.
func TestQRSameAsGozxing(t *testing.T) {
	rng := rand.New(rand.NewPCG(18004, 2015))
	compared, gozxingFails, blocks := 0, 0, map[[3]int]bool{}
	for _, l := range qrLevels {
		for v := 1; v <= qrMaxVersion; v++ {
			lo, hi := 1, qrMaxChars(t, v, l)
			if v > 1 {
				lo = qrMaxChars(t, v-1, l) + 1
			}
			for _, n := range []int{hi, hi + 1, lo + rng.IntN(hi-lo+1), lo + rng.IntN(hi-lo+1)} {
				text := randomText(rng, n)
				q, err := NewQR(text, l)
				if n > hi && v == qrMaxVersion {
					if !errors.Is(err, errTooLong) {
						t.Errorf("NewQR(%d characters, %v) = %v, want %v", n, l, err, errTooLong)
					}
					continue
				}
				if err != nil {
					t.Fatalf("NewQR(%d characters, %v) = %v", n, l, err)
				}
				want := v
				if n > hi {
					want++
				}
				if q.version != want {
					t.Fatalf("NewQR(%d characters, %v): version %d, want %d", n, l, q.version, want)
				}
				if compareWithGozxing(t, text, l, q) {
					compared++
					row, _, _ := l.row()
					lay := newQRLayout(q.version, row)
					blocks[[3]int{lay.blocks, lay.data / lay.blocks, lay.ecPerBlock}] = true
				} else {
					gozxingFails++
				}
				readBack(t, text, q)
			}
		}
	}
	if compared < 600 {
		t.Fatalf("only %d symbols compared with gozxing's", compared)
	}
	t.Logf("%d symbols equal to gozxing's, %d block structures; %d at version 27 that gozxing cannot encode, read back", compared, len(blocks), gozxingFails)
}

// compareWithGozxing fails t unless q, text encoded at level l, is the
// symbol gozxing's encoder makes (mask included). It reports false, and
// checks nothing, where gozxing cannot encode text: its version choice
// misses the 26-to-27 step of the character count's width.
func compareWithGozxing(t testing.TB, text string, l Level, q *QR) bool {
	t.Helper()
	want, zerr := encoder.Encoder_encode(text, zxingLevel(l), map[gozxing.EncodeHintType]interface{}{})
	if zerr != nil {
		if q.version != 27 {
			t.Fatalf("gozxing cannot encode %d characters at %v (we chose version %d): %v", len(text), l, q.version, zerr)
		}
		return false
	}
	if v := want.GetVersion().GetVersionNumber(); q.version != v || q.mask != want.GetMaskPattern() {
		t.Fatalf("NewQR(%d characters, %v): version %d mask %d, gozxing: version %d mask %d", len(text), l, q.version, q.mask, v, want.GetMaskPattern())
	}
	m := want.GetMatrix()
	for y := 0; y < q.size; y++ {
		for x := 0; x < q.size; x++ {
			if q.dark.get(x, y) != (m.Get(x, y) == 1) {
				t.Fatalf("NewQR(%d characters, %v): module %d,%d differs from gozxing's", len(text), l, x, y)
			}
		}
	}
	return true
}

// readBack fails t unless gozxing's decoder reads text from q's modules.
func readBack(t testing.TB, text string, q *QR) {
	t.Helper()
	img := make([][]bool, q.size)
	for y := range img {
		img[y] = make([]bool, q.size)
		for x := range img[y] {
			img[y][x] = q.dark.get(x, y)
		}
	}
	res, err := decoder.NewDecoder().DecodeBoolMap(img, nil)
	if err != nil {
		t.Fatalf("gozxing cannot decode NewQR(%d characters, version %d): %v", len(text), q.version, err)
	}
	if res.GetText() != text {
		t.Fatalf("gozxing decodes NewQR(%d characters, version %d) to other text", len(text), q.version)
	}
}

// TestGeneratorPolynomials checks that the generator of degree e has the
// roots α⁰ to α^(e-1).
func TestGeneratorPolynomials(t *testing.T) {
	f := qrField()
	for e := 1; e <= maxECPerBlock; e++ {
		for i := 0; i < e; i++ {
			x := f.exp[i]
			// Horner, from the leading 1.
			y := byte(1)
			for _, lc := range f.gen[e] {
				y = f.mul(y, x) ^ f.exp[lc]
			}
			if y != 0 {
				t.Fatalf("generator of degree %d at α^%d = %d, want 0", e, i, y)
			}
		}
	}
}

// FuzzNewQR checks that NewQR never panics, fails only with
// errNotAlphanumeric or errTooLong, and otherwise makes the symbol
// gozxing makes, which gozxing's decoder reads back. Unless raw, each
// byte of data stands for a character of the alphanumeric set, so that
// most inputs encode; the comparison stops at fuzzCompareMax characters
// (version 14 at level L) to keep the fuzzer fast: TestQRSameAsGozxing
// covers the larger versions.
func FuzzNewQR(f *testing.F) {
	const fuzzCompareMax = 600
	for i := 0; i < 4; i++ {
		f.Add([]byte(testcode.Issue(i, codec.Colour(i%3), codec.Kind(i%2))), uint8(i), true)
	}
	for _, s := range []string{"", "A", "0", "123", "hello", "HELLO WORLD", "A\x00B", strings.Repeat("Z", 5000)} {
		f.Add([]byte(s), uint8(len(s)), true)
		f.Add([]byte(s), uint8(len(s)), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, level uint8, raw bool) {
		text := string(data)
		if !raw {
			b := make([]byte, len(data))
			for i, c := range data {
				b[i] = qrAlphabet[int(c)%len(qrAlphabet)]
			}
			text = string(b)
		}
		l := qrLevels[level%4]
		q, err := NewQR(text, l)
		if err != nil {
			if !errors.Is(err, errNotAlphanumeric) && !errors.Is(err, errTooLong) {
				t.Fatalf("NewQR(%q, %v) = %v, want %v or %v", text, l, err, errNotAlphanumeric, errTooLong)
			}
			return
		}
		if len(text) > fuzzCompareMax {
			return
		}
		if strings.Trim(text, "0123456789") != "" { // gozxing: numeric mode for digits alone
			compareWithGozxing(t, text, l, q)
		}
		readBack(t, text, q)
	})
}
