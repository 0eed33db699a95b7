package verify

import "testing"

// maxVerifyAllocs is the allocation budget of one Verify of a valid code
// (BENCHMARKS.md). It is not a timing test: the count is deterministic.
const maxVerifyAllocs = 20

func TestVerifyAllocs(t *testing.T) {
	text, v, _, _, _ := benchFixture(t)
	now := t0.Add(1)
	var err error
	allocs := testing.AllocsPerRun(100, func() {
		_, err = v.Verify(text, now)
	})
	if err != nil {
		t.Fatalf("Verify(fixture) = %v, want nil", err)
	}
	if allocs > maxVerifyAllocs {
		t.Fatalf("Verify(fixture) makes %.0f allocations, want at most %d", allocs, maxVerifyAllocs)
	}
	t.Logf("Verify(fixture): %.0f allocations", allocs)

	// The device path: the same code under a bundle with revocations.
	v.Trust = bundleTrustOf(t, v.Trust, 100)
	allocs = testing.AllocsPerRun(100, func() {
		_, err = v.Verify(text, now)
	})
	if err != nil {
		t.Fatalf("Verify(fixture) under a bundle = %v, want nil", err)
	}
	if allocs > maxVerifyAllocs {
		t.Fatalf("Verify(fixture) under a bundle makes %.0f allocations, want at most %d", allocs, maxVerifyAllocs)
	}
	t.Logf("Verify(fixture) under a bundle: %.0f allocations", allocs)
}
