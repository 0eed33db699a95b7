package verify_test

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/jwkset"
	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/testvectors"
	"github.com/offcode/offcode/verify"
)

// loadBundleVectors returns every trust-bundle vector (SPEC.md §13.11),
// parsed strictly by package testvectors.
func loadBundleVectors(t testing.TB) []testvectors.BundleVector {
	t.Helper()
	vs, err := testvectors.Load[testvectors.BundleVector]()
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestBundleVectors verifies the code of every bundle vector that has one
// under the bundle the device holds once the vector's bundle is offered
// (SPEC.md §13.9). Package bundle checks the acceptance itself.
func TestBundleVectors(t *testing.T) {
	ran := 0
	for _, f := range loadBundleVectors(t) {
		if f.Code == nil {
			continue
		}
		ran++
		t.Run(f.Name, func(t *testing.T) {
			var s bundle.State
			for _, r := range f.RootPublicKeys {
				s.Roots = append(s.Roots, ed25519.PublicKey(r))
			}
			if len(f.HeldPayload) > 0 {
				held, err := bundle.ParsePayload(f.HeldPayload)
				if err != nil {
					t.Fatalf("held payload: %v", err)
				}
				s.Bundle = held
			}
			if err := s.Accept(f.Bundle); err != nil {
				t.Fatalf("vector has a code but the bundle is refused: %v", err)
			}
			trust, err := verify.FromBundle(s.Bundle)
			if err != nil {
				t.Fatal(err)
			}
			v := verify.New(trust)
			v.Skew = time.Duration(f.Code.SkewSeconds) * time.Second
			v.StaleGrace, v.AllowStale = 0, !f.Code.RefuseStale
			r, err := v.Verify(f.Code.Text, f.Code.Now)
			if want := verify.Verdict(f.Verdict); r.Verdict != want || verify.VerdictOf(err) != want {
				t.Fatalf("Verify(%s) = %v (%v), want %v", f.Name, r.Verdict, err, want)
			}
			if got := int64(r.Stale / time.Second); got != f.StaleSeconds {
				t.Fatalf("Verify(%s) stale %d s, want %d s", f.Name, got, f.StaleSeconds)
			}
			if r.Sequence != s.Bundle.Sequence {
				t.Fatalf("Verify(%s) sequence %d, want %d", f.Name, r.Sequence, s.Bundle.Sequence)
			}
		})
	}
	if ran == 0 {
		t.Fatal("no bundle vector has a code")
	}
}

// TestCoreVectorsUnderBundle verifies every core vector (SPEC.md §10) under
// a bundle holding the same keys as the vector's JWK Set: with no
// revocation and a fresh bundle, SPEC.md §13.9 must give the verdict of §8.
// A JWK Set whose kid is not SHA-256 of its key (the kid-collision cases of
// §9.2) cannot be written as a bundle, which requires that kid (§13.4);
// those vectors are counted, and must stay a small minority.
func TestCoreVectorsUnderBundle(t *testing.T) {
	ran, unrepresentable := 0, 0
	for _, vec := range vectortest.Load[testvectors.Vector](t) {
		jwks, err := jwkset.Parse(vec.Trust)
		if err != nil {
			t.Fatalf("%s: trust store: %v", vec.Name, err)
		}
		b := &bundle.Bundle{Sequence: 1, IssuedAt: vec.Now.Add(-time.Hour), ExpiresAt: vec.Now.Add(time.Hour)}
		representable := true
		for _, k := range jwks {
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
				t.Fatalf("%s: AddKey: %v", vec.Name, err)
			}
		}
		if !representable {
			unrepresentable++
			continue
		}
		ran++
		trust, err := verify.FromBundle(b)
		if err != nil {
			t.Fatal(err)
		}
		v := verify.New(trust)
		v.Skew = vec.Skew
		r, err := v.Verify(vec.Text, time.Unix(vec.Now.Unix(), 0))
		if err == nil && vec.PresentedID != "" {
			id, perr := identity.ParseID(vec.PresentedID, vec.Now)
			if perr != nil {
				t.Fatalf("%s: presented ID: %v", vec.Name, perr)
			}
			err = verify.MatchID(r.Code, id)
		}
		if got := verify.VerdictOf(err); string(got) != vec.Expected.Verdict {
			t.Errorf("Verify(%s) under a bundle = %v (%v), want %s", vec.Name, got, err, vec.Expected.Verdict)
		}
	}
	t.Logf("%d core vectors verified under a bundle, %d not representable as one (kid not SHA-256 of the key)", ran, unrepresentable)
	if unrepresentable > ran/10 {
		t.Fatalf("%d of %d core vectors not representable as a bundle, want at most a tenth", unrepresentable, ran+unrepresentable)
	}
}

// TestVerdictsCovered checks that the core and bundle vectors together
// expect every verdict, and nothing outside the closed set.
func TestVerdictsCovered(t *testing.T) {
	known := map[verify.Verdict]bool{}
	for _, v := range verify.Verdicts() {
		known[v] = true
	}
	seen := map[verify.Verdict]bool{}
	for _, vec := range vectortest.Load[testvectors.Vector](t) {
		seen[verify.Verdict(vec.Expected.Verdict)] = true
	}
	for _, f := range loadBundleVectors(t) {
		if f.Code != nil {
			seen[verify.Verdict(f.Verdict)] = true
		}
	}
	for v := range seen {
		if !known[v] {
			t.Errorf("a vector expects %q, which is not in verify.Verdicts()", v)
		}
	}
	for v := range known {
		if !seen[v] {
			t.Errorf("no vector expects verdict %q", v)
		}
	}
}
