package jwkset

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/testvectors"
)

// FuzzParse loads fuzzed JWK Sets, seeded with every trust-store vector
// (SPEC.md §10.5): no panic; a refusal is an *Error with one of the reasons
// of SPEC.md §9.1; a set that loads writes out (Marshal) as a JWK Set that
// loads to the same keys.
func FuzzParse(f *testing.F) {
	for _, v := range vectortest.Load[testvectors.TrustVector](f) {
		f.Add(v.JWKSet)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := Parse(b)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !slices.Contains(Reasons, e.Reason) {
				t.Fatalf("Parse(%q) = %v, without a reason of SPEC.md §9.1", b, err)
			}
			return
		}
		out, err := Marshal(keys)
		if err != nil {
			t.Fatalf("Marshal after Parse(%q) = %v", b, err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(Parse(%q))) = %v", b, err)
		}
		if len(keys) != len(again) {
			t.Fatalf("round trip of %q: %d keys, then %d", b, len(keys), len(again))
		}
		for i := range keys {
			a, c := keys[i], again[i]
			if a.KeyID != c.KeyID || !bytes.Equal(a.Public, c.Public) || a.Issuer != c.Issuer ||
				!a.NotBefore.Equal(c.NotBefore) || !a.NotAfter.Equal(c.NotAfter) {
				t.Fatalf("round trip of %q: key %d is %+v, then %+v", b, i, a, c)
			}
		}
	})
}
