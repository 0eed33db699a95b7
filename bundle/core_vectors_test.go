package bundle_test

import (
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/testvectors"
	"github.com/offcode/offcode/verify"
)

// TestCoreVectors verifies every core vector (SPEC.md §10) under a bundle
// holding the same keys as the vector's JWK Set: with no revocation and a
// fresh bundle, SPEC.md §13.9 must give the verdict of §8. A JWK Set whose
// kid is not SHA-256 of its key (the kid-collision cases of §9.2) cannot be
// written as a bundle, which requires that kid (§13.4); those vectors are
// counted and skipped.
func TestCoreVectors(t *testing.T) {
	vs := testvectors.Load(t)
	ran, skipped := 0, 0
	for _, v := range vs {
		ts, err := verify.ParseJWKSet(v.Trust)
		if err != nil {
			t.Fatalf("%s: trust store: %v", v.Name, err)
		}
		b := &bundle.Bundle{Sequence: 1, IssuedAt: v.Now.Add(-time.Hour), ExpiresAt: v.Now.Add(time.Hour)}
		representable := true
		for _, k := range ts.Keys() {
			if codec.KeyIDOf(k.Public) != k.KeyID {
				representable = false
				break
			}
			bk := bundle.Key{Public: k.Public, NotBefore: k.NotBefore, NotAfter: k.NotAfter}
			if bk.NotBefore.IsZero() {
				bk.NotBefore = time.Unix(0, 0)
			}
			if bk.NotAfter.IsZero() {
				bk.NotAfter = time.Unix(253402300799, 0)
			}
			if err := b.AddKey(bk); err != nil {
				t.Fatalf("%s: AddKey: %v", v.Name, err)
			}
		}
		if !representable {
			skipped++
			continue
		}
		ran++
		vf, err := bundle.NewVerifier(b)
		if err != nil {
			t.Fatal(err)
		}
		vf.Skew = v.Skew()
		r, err := vf.Verify(v.Text, time.Unix(v.NowUnix, 0))
		if err == nil && v.PresentedID != "" {
			id, perr := identity.ParseID(v.PresentedID, v.Now)
			if perr != nil {
				t.Fatalf("%s: presented ID: %v", v.Name, perr)
			}
			err = verify.MatchID(r.Code, id)
		}
		if got := bundle.VerdictOf(err); string(got) != v.Expected.Verdict {
			t.Errorf("Verify(%s) under a bundle = %v (%v), want %s", v.Name, got, err, v.Expected.Verdict)
		}
	}
	t.Logf("%d core vectors verified under a bundle, %d skipped (kid not SHA-256 of the key)", ran, skipped)
	if skipped > ran/10 {
		t.Fatalf("skipped %d of %d core vectors, want at most a tenth", skipped, ran+skipped)
	}
}
