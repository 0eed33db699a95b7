// Package vectortest loads the conformance vectors of package testvectors
// for a test, fuzz target or benchmark.
package vectortest

import (
	"testing"

	"github.com/offcode/offcode/testvectors"
)

// Load returns testvectors.Load's vectors of kind V and fails tb if they do
// not parse or are fewer than the package holds, so that a conformance test
// can never pass on a shrunken or empty set.
func Load[V testvectors.Vector | testvectors.IDVector | testvectors.TrustVector | testvectors.BundleVector](tb testing.TB) []V {
	tb.Helper()
	vs, err := testvectors.Load[V]()
	if err != nil {
		tb.Fatalf("testvectors.Load() = %v", err)
	}
	return vs
}
