package bundle_test

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
)

func TestReadFileAndDraft(t *testing.T) {
	dir := t.TempDir()
	root := gen.RootKey()
	draft := filepath.Join(dir, "draft")
	b := newBundle(t, 3)
	if err := bundle.WriteDraft(draft, b); err != nil {
		t.Fatal(err)
	}
	signed, err := bundle.Sign(b, root)
	if err != nil {
		t.Fatal(err)
	}
	signedPath := filepath.Join(dir, "b.cbor")
	if err := os.WriteFile(signedPath, signed, 0o644); err != nil {
		t.Fatal(err)
	}
	if d, err := bundle.ReadDraft(draft); err != nil || d.Sequence != 3 {
		t.Fatalf("ReadDraft = %v, %v", d, err)
	}
	if _, err := bundle.ReadDraft(signedPath); err == nil || !strings.Contains(err.Error(), "is a signed bundle") {
		t.Fatalf("ReadDraft(signed) = %v, want an error", err)
	}
	f, err := bundle.ReadFile(signedPath, root.Public())
	if err != nil || !f.Signed || !f.Verified || f.Root != root.KeyID() || f.Size != len(signed) {
		t.Fatalf("ReadFile(signed, root) = %+v, %v", f, err)
	}
	if f, err := bundle.ReadFile(signedPath); err != nil || !f.Signed || f.Verified {
		t.Fatalf("ReadFile(signed) = %+v, %v", f, err)
	}
	if f, err := bundle.ReadFile(draft); err != nil || f.Signed {
		t.Fatalf("ReadFile(draft) = %+v, %v", f, err)
	}
	other := ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)
	for _, c := range []struct {
		path string
		root ed25519.PublicKey
		want bundle.Acceptance
	}{
		{draft, root.Public(), bundle.MalformedBundle},
		{signedPath, other, bundle.UnknownRoot},
	} {
		if _, err := bundle.ReadFile(c.path, c.root); bundle.AcceptanceOf(err) != c.want {
			t.Errorf("ReadFile(%s, root) = %v, want %s", filepath.Base(c.path), err, c.want)
		}
	}
}

func TestDiff(t *testing.T) {
	a := newBundle(t, 1)
	b := newBundle(t, 2)
	b.CompromiseKey(0)
	if err := b.AddKey(bundle.Key{Public: gen.IssuerKey(2).Public(), NotBefore: t0, NotAfter: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	b.Serials = b.Serials.With(bundle.Entry{1})
	c := bundle.Diff(a, b)
	if len(c.Keys) != 2 || c.Keys[0].Old == nil || c.Keys[0].New == nil || c.Keys[1].Old != nil {
		t.Fatalf("Diff keys = %+v, want one changed and one added", c.Keys)
	}
	if c.AddedSerials != 1 || c.RemovedSerials != 0 || c.AddedPeople != 0 {
		t.Fatalf("Diff = %+v, want one serial added", c)
	}
	if c := bundle.Diff(b, a); c.RemovedSerials != 1 || len(c.Keys) != 2 {
		t.Fatalf("Diff back = %+v", c)
	}
}
