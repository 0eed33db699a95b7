package service_test

import (
	"crypto/ed25519"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/testkit/bundletest"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
)

// newBundle returns a bundle with sequence seq trusting one test key.
func newBundle(t *testing.T, seq uint64) *bundle.Bundle {
	t.Helper()
	t0 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	b := &bundle.Bundle{Sequence: seq, IssuedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
	if err := b.AddKey(bundle.Key{Public: gen.IssuerKey(1).Public(), NotBefore: t0, NotAfter: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBundlePublisher(t *testing.T) {
	dir := t.TempDir()
	root := gen.RootKey()
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b1 := newBundle(t, 1)
	s1, _ := bundle.Sign(b1, root)
	write("bundle-1.cbor", s1)
	p, err := service.NewBundlePublisher(dir, root.Public())
	if err != nil {
		t.Fatal(err)
	}
	b2 := newBundle(t, 2)
	b2, err = bundletest.WithEntries(b2, []bundletest.Entry{{7}}, nil, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := bundle.Sign(b2, root)
	d, _ := bundle.NewDelta(b1, b2)
	sd, _ := bundle.Sign(d, root)
	write("bundle-2.cbor", s2)
	write("delta-1-2.cbor", sd)
	if err := p.Reload(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()
	for _, tc := range []struct {
		query      string
		status     int
		body       []byte
		deltaSince string
	}{
		{"", 200, s2, ""},
		{"?since=0", 200, s2, ""},
		{"?since=1", 200, sd, "1"},
		{"?since=2", 204, nil, ""},
		{"?since=9", 204, nil, ""},
		{"?since=x", 400, nil, ""},
	} {
		resp, err := http.Get(srv.URL + tc.query)
		if err != nil {
			t.Fatal(err)
		}
		body := make([]byte, 1<<16)
		n, _ := resp.Body.Read(body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || (tc.body != nil && string(body[:n]) != string(tc.body)) {
			t.Errorf("GET %s = %d (%d bytes), want %d", tc.query, resp.StatusCode, n, tc.status)
		}
		if got := resp.Header.Get("Offcode-Bundle-Delta-Since"); got != tc.deltaSince {
			t.Errorf("GET %s: delta since %q, want %q", tc.query, got, tc.deltaSince)
		}
		if tc.status != 400 && resp.Header.Get("Offcode-Bundle-Sequence") != strconv.Itoa(2) {
			t.Errorf("GET %s: sequence header %q, want 2", tc.query, resp.Header.Get("Offcode-Bundle-Sequence"))
		}
	}

	// A device syncing through the publisher ends up with bundle 2.
	dev := bundle.State{Roots: []ed25519.PublicKey{root.Public()}}
	if err := dev.Accept(s1); err != nil {
		t.Fatal(err)
	}
	data, delta := p.Select(dev.Bundle.Sequence)
	if err := dev.Accept(data); err != nil || !delta || dev.Bundle.Sequence != 2 {
		t.Fatalf("device sync: Accept = %v, delta %v, sequence %d; want nil, true, 2", err, delta, dev.Bundle.Sequence)
	}

	// A tampered file is refused and the publisher keeps serving 2.
	bad := append([]byte(nil), s2...)
	bad[len(bad)-1] ^= 1
	write("bundle-3.cbor", bad)
	if err := p.Reload(); err == nil {
		t.Fatalf("Reload with a tampered bundle succeeded")
	}
	os.Remove(filepath.Join(dir, "bundle-3.cbor"))
	// Removing the newest bundle is a rollback of the publication.
	os.Remove(filepath.Join(dir, "bundle-2.cbor"))
	if err := p.Reload(); err == nil || p.Sequence() != 2 {
		t.Fatalf("Reload after removing bundle 2 = %v, sequence %d; want an error, 2", err, p.Sequence())
	}
}
