package service_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/sign"
)

// TestBundleEndpoint checks GET /v1/bundle (SPEC.md §13.13): open to every
// device, no token; the latest signed bundle, or 204 when up to date.
func TestBundleEndpoint(t *testing.T) {
	dir := t.TempDir()
	key, err := sign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, rootPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	root := bundle.NewRootKey(rootPriv)
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	b := &bundle.Bundle{Sequence: 4, IssuedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	if err := b.AddKey(bundle.Key{Public: key.Public(), NotBefore: now, NotAfter: now.AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	signed, err := bundle.Sign(b, root)
	if err != nil {
		t.Fatal(err)
	}
	bundles := filepath.Join(dir, "bundles")
	if err := os.Mkdir(bundles, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bundles, "bundle-4.cbor"), signed, 0o644); err != nil {
		t.Fatal(err)
	}
	pub, err := service.NewBundlePublisher(bundles, root.Public())
	if err != nil {
		t.Fatal(err)
	}
	secret := make([]byte, service.SecretSize)
	st, err := store.Open(context.Background(), filepath.Join(dir, "offcode.db"), store.Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Key: key, Secret: secret, Store: st, Tokens: &service.Tokens{}, Bundles: pub,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	defer func() { srv.Close(); svc.Close() }()

	resp, err := http.Get(srv.URL + "/v1/bundle")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, signed) || resp.Header.Get("Content-Type") != bundle.ContentType {
		t.Fatalf("GET /v1/bundle = %d, %d bytes, %q; want 200, the signed bundle, %q", resp.StatusCode, len(body), resp.Header.Get("Content-Type"), bundle.ContentType)
	}
	dev := bundle.State{Roots: []ed25519.PublicKey{root.Public()}}
	if err := dev.Accept(body); err != nil {
		t.Fatalf("device Accept(served bundle) = %v", err)
	}
	resp, err = http.Get(srv.URL + "/v1/bundle?since=4")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("GET /v1/bundle?since=4 = %d, want 204", resp.StatusCode)
	}
}
