package format

import (
	"strings"
	"testing"

	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/testvectors"
)

// FuzzDecodeBase45 checks that strict Base45 decoding accepts exactly one
// text per byte string, and that encoding round-trips.
func FuzzDecodeBase45(f *testing.F) {
	for _, s := range []string{"", "BB8", "%69 VD92EX0", "UJCLQE7W581", "QED8WEX0", "GGW", "FGW", "U5", "V5", "A"} {
		f.Add(s)
	}
	vs := vectortest.Load[testvectors.Vector](f)
	for _, v := range vs {
		f.Add(strings.TrimPrefix(v.Text, "OC1:"))
	}
	f.Fuzz(func(t *testing.T, s string) {
		if b, err := DecodeBase45(s); err == nil {
			if got := string(AppendBase45(nil, b)); got != s {
				t.Fatalf("AppendBase45(DecodeBase45(%q)) = %q, want the input", s, got)
			}
		}
		enc := AppendBase45(nil, []byte(s))
		if len(enc) != Base45EncodedLen(len(s)) {
			t.Fatalf("len(AppendBase45(%q)) = %d, want %d", s, len(enc), Base45EncodedLen(len(s)))
		}
		if b, err := DecodeBase45(string(enc)); err != nil || string(b) != s {
			t.Fatalf("DecodeBase45(AppendBase45(%q)) = %q, %v, want the input", s, b, err)
		}
	})
}
