package bundle_test

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
)

// TestStateDir walks a device's state directory through the rollback the
// issue describes: bundle 1, bundle 2 with the key compromised, then
// bundle 1 again, which is refused and leaves 2 on disk.
func TestStateDir(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	root := gen.RootKey()
	b := &bundle.Bundle{Sequence: 1, IssuedAt: t0, ExpiresAt: t0.Add(7 * 24 * time.Hour)}
	if err := b.AddKey(bundle.Key{Public: gen.IssuerKey(1).Public(), NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	b1, err := bundle.Sign(b, root)
	if err != nil {
		t.Fatal(err)
	}
	first := *b
	b.Sequence = 2
	b.Keys[0].Status = bundle.Compromised
	b.SetSerials(b.Serials().With(bundle.SerialEntry(b.Keys[0].KeyID, [codec.SerialSize]byte{1})))
	b2, err := bundle.Sign(b, root)
	if err != nil {
		t.Fatal(err)
	}
	d, err := bundle.NewDelta(&first, b)
	if err != nil {
		t.Fatal(err)
	}
	d12, err := bundle.Sign(d, root)
	if err != nil {
		t.Fatal(err)
	}
	roots := []ed25519.PublicKey{root.Public()}
	dir := filepath.Join(t.TempDir(), "state")

	open := func() *bundle.State {
		t.Helper()
		s, err := bundle.OpenState(dir, roots...)
		if err != nil {
			t.Fatalf("OpenState = %v", err)
		}
		return s
	}
	if s := open(); s.Bundle != nil {
		t.Fatalf("a missing state directory holds sequence %d, want none", s.Bundle.Sequence)
	}
	if err := open().Accept(b1); err != nil {
		t.Fatalf("Accept(bundle 1) = %v", err)
	}
	if s := open(); s.Bundle == nil || s.Bundle.Sequence != 1 {
		t.Fatalf("after bundle 1 the directory holds %+v", s.Bundle)
	}
	if err := open().Accept(d12); err != nil {
		t.Fatalf("Accept(delta 1 to 2) = %v", err)
	}
	s := open()
	if s.Bundle == nil || s.Bundle.Sequence != 2 || s.Bundle.Keys[0].Status != bundle.Compromised {
		t.Fatalf("after the delta the directory holds %+v", s.Bundle)
	}
	var rb *bundle.RollbackError
	if err := open().Accept(b1); !errors.As(err, &rb) || rb.Held != 2 || rb.Got != 1 || rb.Same {
		t.Fatalf("Accept(bundle 1) after 2 = %v, want a rollback from 2 to 1", err)
	}
	if err := open().Accept(b2); !errors.As(err, &rb) || !rb.Same {
		t.Fatalf("Accept(bundle 2) holding the same = %v, want a rollback with Same", err)
	}
	tampered := append([]byte(nil), b2...)
	tampered[len(tampered)-1] ^= 1
	if err := open().Accept(tampered); bundle.AcceptanceOf(err) != bundle.BadRootSignature {
		t.Fatalf("Accept(tampered) = %v, want bad_root_signature", err)
	}
	if s := open(); s.Bundle.Sequence != 2 {
		t.Fatalf("after refusals the directory holds sequence %d, want 2", s.Bundle.Sequence)
	}

	// A fresh state takes bundle 1.
	fresh := filepath.Join(t.TempDir(), "fresh")
	s, err = bundle.OpenState(fresh, roots...)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Accept(b1); err != nil || s.Bundle.Sequence != 1 {
		t.Fatalf("fresh Accept(bundle 1) = %v", err)
	}

	// A corrupted state file is an error, not an empty state.
	if err := os.WriteFile(filepath.Join(fresh, "bundle.cbor"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.OpenState(fresh, roots...); !errors.Is(err, bundle.ErrMalformed) {
		t.Fatalf("OpenState(corrupted) = %v, want ErrMalformed", err)
	}
}

// TestStateDirConcurrent offers bundles 1, 2 and the delta from 1 to 2 to
// one state directory from many States at once, in every order: the
// directory ends holding 2, and no Accept ever took it back to 1.
func TestStateDirConcurrent(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	root := gen.RootKey()
	b := &bundle.Bundle{Sequence: 1, IssuedAt: t0, ExpiresAt: t0.Add(7 * 24 * time.Hour)}
	if err := b.AddKey(bundle.Key{Public: gen.IssuerKey(1).Public(), NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	first := *b
	b1, _ := bundle.Sign(b, root)
	b.Sequence = 2
	b.Keys[0].Status = bundle.Compromised
	b2, _ := bundle.Sign(b, root)
	d, err := bundle.NewDelta(&first, b)
	if err != nil {
		t.Fatal(err)
	}
	d12, _ := bundle.Sign(d, root)
	dir := filepath.Join(t.TempDir(), "state")
	offers := [][]byte{b1, b2, d12}
	done := make(chan error)
	const n = 24
	for i := range n {
		go func() {
			s, err := bundle.OpenState(dir, root.Public())
			accepted := false
			if err == nil {
				err = s.Accept(offers[i%len(offers)])
				accepted = err == nil
				if a := bundle.AcceptanceOf(err); a == bundle.Rollback || a == bundle.DeltaMismatch {
					// Lost the race to a newer bundle, or a delta
					// came first: refused, as it must be.
					err = nil
				}
			}
			if accepted {
				s, err = bundle.OpenState(dir, root.Public())
				if err == nil && s.Bundle == nil {
					err = errors.New("state empty after an Accept")
				}
			}
			done <- err
		}()
	}
	for range n {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	s, err := bundle.OpenState(dir, root.Public())
	if err != nil || s.Bundle == nil || s.Bundle.Sequence != 2 || s.Bundle.Keys[0].Status != bundle.Compromised {
		t.Fatalf("after concurrent syncs the directory holds %+v, %v; want bundle 2", s, err)
	}
}
