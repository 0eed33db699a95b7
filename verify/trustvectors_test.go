package verify

import (
	"errors"
	"slices"
	"testing"

	"github.com/offcode/offcode/internal/jwkset"
	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/testvectors"
)

// TestTrustVectors loads every trust-store vector (SPEC.md §9.1, §10.5) and
// checks that it loads with the expected number of keys or is refused for
// the expected reason.
func TestTrustVectors(t *testing.T) {
	vs := vectortest.Load[testvectors.TrustVector](t)
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			ts, err := ParseJWKSet(v.JWKSet)
			if v.Error == "" {
				if err != nil {
					t.Fatalf("ParseJWKSet(%s) = %v, want %d keys", v.Name, err, v.Keys)
				}
				if ts.size() != v.Keys {
					t.Fatalf("ParseJWKSet(%s) holds %d keys, want %d", v.Name, ts.size(), v.Keys)
				}
				return
			}
			if !slices.Contains(jwkset.Reasons, v.Error) {
				t.Fatalf("vector %s: unknown expected error %q", v.Name, v.Error)
			}
			var le *jwkset.Error
			if !errors.As(err, &le) || !errors.Is(err, jwkset.ErrInvalid) {
				t.Fatalf("ParseJWKSet(%s) = %v, want a refusal for %s", v.Name, err, v.Error)
			}
			if le.Reason != v.Error {
				t.Fatalf("ParseJWKSet(%s) = %v (%s), want %s", v.Name, err, le.Reason, v.Error)
			}
		})
	}
}
