package bundledraft_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/bundledraft"
	"github.com/offcode/offcode/internal/keyfile"
	"github.com/offcode/offcode/internal/testkit/bundletest"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
)

var t0 = bundletest.T0

// newBundle returns a full bundle with sequence seq trusting issuer key 1
// (bundletest.New).
var newBundle = bundletest.New

// withSerial returns b with one code revoked.
func withSerial(t *testing.T, b *bundle.Bundle) *bundle.Bundle {
	t.Helper()
	id, err := identity.ParseID("11010519491231002X", t0)
	if err != nil {
		t.Fatal(err)
	}
	text, err := gen.IssuerKey(1).Issue(&codec.Claims{IssuedAt: t0, ExpiresAt: t0.Add(time.Hour), Identity: identity.HashID(id, [16]byte{1})})
	if err != nil {
		t.Fatal(err)
	}
	c, err := codec.Decode(text)
	if err != nil {
		t.Fatal(err)
	}
	b.RevokeCode(c)
	return b
}

func TestReadFileAndDraft(t *testing.T) {
	dir := t.TempDir()
	root := gen.RootKey()
	draft := filepath.Join(dir, "draft")
	b := newBundle(t, 3)
	if err := bundledraft.Write(draft, b); err != nil {
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
	if d, err := bundledraft.Read(draft); err != nil || d.Sequence != 3 {
		t.Fatalf("ReadDraft = %v, %v", d, err)
	}
	if _, err := bundledraft.Read(signedPath); err == nil || !strings.Contains(err.Error(), "is a signed bundle") {
		t.Fatalf("ReadDraft(signed) = %v, want an error", err)
	}
	f, err := bundledraft.ReadFile(signedPath, root.Public())
	if err != nil || !f.Signed || !f.Verified || f.Root != codec.KeyIDOf(root.Public()) || f.Size != len(signed) {
		t.Fatalf("ReadFile(signed, root) = %+v, %v", f, err)
	}
	if f, err := bundledraft.ReadFile(signedPath); err != nil || !f.Signed || f.Verified {
		t.Fatalf("ReadFile(signed) = %+v, %v", f, err)
	}
	if f, err := bundledraft.ReadFile(draft); err != nil || f.Signed {
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
		if _, err := bundledraft.ReadFile(c.path, c.root); bundle.AcceptanceOf(err) != c.want {
			t.Errorf("ReadFile(%s, root) = %v, want %s", filepath.Base(c.path), err, c.want)
		}
	}
}

func TestDiff(t *testing.T) {
	a := newBundle(t, 1)
	b := newBundle(t, 2)
	b.Keys[0].Status = bundle.Compromised
	if err := b.AddKey(bundle.Key{Public: gen.IssuerKey(2).Public(), NotBefore: t0, NotAfter: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	b = withSerial(t, b)
	c, err := bundledraft.Diff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Keys) != 2 || c.Keys[0].Old == nil || c.Keys[0].New == nil || c.Keys[1].Old != nil {
		t.Fatalf("Diff keys = %+v, want one changed and one added", c.Keys)
	}
	if c.AddedSerials != 1 || c.RemovedSerials != 0 || c.AddedPeople != 0 {
		t.Fatalf("Diff = %+v, want one serial added", c)
	}
	if c, err := bundledraft.Diff(b, a); err != nil || c.RemovedSerials != 1 || len(c.Keys) != 2 {
		t.Fatalf("Diff back = %+v", c)
	}
}

func TestRootKeyFiles(t *testing.T) {
	dir := t.TempDir()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k := bundle.NewRootKey(priv)
	p := filepath.Join(dir, "root.key")
	if err := bundledraft.WriteRootKey(p, priv); err != nil {
		t.Fatal(err)
	}
	if err := bundledraft.WriteRootKey(p, priv); !errors.Is(err, os.ErrExist) {
		t.Fatalf("WriteRootKey over an existing file = %v, want ErrExist", err)
	}
	k2, err := bundledraft.LoadRootKey(p)
	if err != nil || !k2.Public().Equal(k.Public()) {
		t.Fatalf("LoadRootKey = %v, %v; want the key written", k2, err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := bundledraft.LoadRootKey(p); err == nil {
		t.Fatalf("LoadRootKey of a 0644 file succeeded")
	}
	pub, err := bundle.ParseRootPublicPEM(keyfile.MarshalPublic(k.Public()))
	if err != nil || !pub.Equal(k.Public()) {
		t.Fatalf("ParseRootPublicPEM(MarshalPublic) = %v, %v", pub, err)
	}
	if _, err := bundle.ParseRootPublicPEM(privatePEM(t, p)); err == nil {
		t.Fatalf("ParseRootPublicPEM of a private key succeeded")
	}
}

// privatePEM returns the content of the key file at path.
func privatePEM(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
