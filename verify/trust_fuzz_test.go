package verify

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/offcode/offcode/testvectors"
)

// FuzzParseJWKSet loads fuzzed JWK Sets, seeded with every trust-store
// vector (SPEC.md §10.5): no panic; a refusal is a loadError with one of
// the reasons of SPEC.md §9.1; a store that loads writes out as a JWK Set
// that loads to the same keys.
func FuzzParseJWKSet(f *testing.F) {
	vs, err := testvectors.AllTrust()
	if err != nil {
		f.Fatal(err)
	}
	if len(vs) < testvectors.MinTrustCount {
		f.Fatalf("AllTrust() = %d vectors, want at least %d", len(vs), testvectors.MinTrustCount)
	}
	for _, v := range vs {
		f.Add(v.JWKSet)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := ParseJWKSet(b)
		if err != nil {
			var le *loadError
			if !errors.As(err, &le) || !slices.Contains(testvectors.TrustErrors, le.reason) {
				// Add refuses what parseJWK already checked; anything
				// else must carry a reason.
				if !errors.Is(err, ErrTrustStore) {
					t.Fatalf("ParseJWKSet(%q) = %v, not a trust store error", b, err)
				}
				t.Fatalf("ParseJWKSet(%q) = %v, without a reason of SPEC.md §9.1", b, err)
			}
			return
		}
		out, err := ts.MarshalJWKSet()
		if err != nil {
			t.Fatalf("MarshalJWKSet after ParseJWKSet(%q) = %v", b, err)
		}
		again, err := ParseJWKSet(out)
		if err != nil {
			t.Fatalf("ParseJWKSet(MarshalJWKSet(ParseJWKSet(%q))) = %v", b, err)
		}
		k1, k2 := ts.Keys(), again.Keys()
		if len(k1) != len(k2) {
			t.Fatalf("round trip of %q: %d keys, then %d", b, len(k1), len(k2))
		}
		for i := range k1 {
			a, c := k1[i], k2[i]
			if a.KeyID != c.KeyID || !bytes.Equal(a.Public, c.Public) || a.Issuer != c.Issuer ||
				!a.NotBefore.Equal(c.NotBefore) || !a.NotAfter.Equal(c.NotAfter) {
				t.Fatalf("round trip of %q: key %d is %+v, then %+v", b, i, a, c)
			}
		}
	})
}
