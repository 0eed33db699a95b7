package main

import (
	"crypto/ed25519"
	"errors"
	"image"
	"image/draw"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/scan"
)

var t0 = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

const holderID = "11010519491231002X"

// world is a root key, an issuer key, a yellow kinship code and two signed
// bundles: 1 trusts the key, 2 also revokes the code; d12 is the delta.
type world struct {
	root        ed25519.PublicKey
	text        string
	b1, b2, d12 []byte
}

func newWorld(t testing.TB) *world {
	t.Helper()
	root, issuer := gen.RootKey(), gen.IssuerKey(1)
	b := &bundle.Bundle{Sequence: 1, IssuedAt: t0, ExpiresAt: t0.Add(7 * 24 * time.Hour)}
	if err := b.AddKey(bundle.Key{Public: issuer.Public(), NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0),
		Kinds: []codec.Kind{codec.Personal, codec.Kin}}); err != nil {
		t.Fatal(err)
	}
	id, err := identity.ParseID(holderID, t0)
	if err != nil {
		t.Fatal(err)
	}
	claims := &codec.Claims{IssuedAt: t0.Add(time.Hour), ExpiresAt: t0.Add(25 * time.Hour),
		Colour: codec.Yellow, Kind: codec.Kin, Identity: identity.HashID(id, [16]byte{1})}
	w := &world{root: root.Public()}
	if w.text, err = issuer.Issue(claims); err != nil {
		t.Fatal(err)
	}
	code, err := codec.Decode(w.text)
	if err != nil {
		t.Fatal(err)
	}
	first := *b
	if w.b1, err = bundle.Sign(&first, root); err != nil {
		t.Fatal(err)
	}
	b.Sequence = 2
	b.RevokeCode(code)
	if w.b2, err = bundle.Sign(b, root); err != nil {
		t.Fatal(err)
	}
	d, err := bundle.NewDelta(&first, b)
	if err != nil {
		t.Fatal(err)
	}
	if w.d12, err = bundle.Sign(d, root); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestDeviceAcceptVerify(t *testing.T) {
	w := newWorld(t)
	now := t0.Add(2 * time.Hour)
	d := newDevice([]ed25519.PublicKey{w.root})
	if r := d.verifyText(w.text, now); r.Verdict != noTrust {
		t.Fatalf("verify with no bundle = %q, want %q", r.Verdict, noTrust)
	}
	if r := d.accept(w.b1); !r.Accepted || r.Sequence != 1 || r.Payload == nil {
		t.Fatalf("accept(bundle 1) = %+v, want accepted at 1", r)
	}
	r := d.verifyText(w.text, now)
	if r.Verdict != "valid" || r.Colour != "yellow" || r.Kind != "kin" || r.Sequence != 1 || !r.ExpiresAt.Equal(t0.Add(25*time.Hour)) {
		t.Fatalf("verify under bundle 1 = %+v, want valid yellow kin", r)
	}
	// The delta from 1 to 2 revokes the code.
	a := d.accept(w.d12)
	if !a.Accepted || a.Held != 1 || a.Sequence != 2 {
		t.Fatalf("accept(delta 1→2) = %+v, want accepted 1→2", a)
	}
	if r := d.verifyText(w.text, now); r.Verdict != "revoked" || r.Colour != "yellow" {
		t.Fatalf("verify under bundle 2 = %+v, want revoked", r)
	}
	// Bundle 1 again is a rollback: refused, and the device keeps 2.
	if a := d.accept(w.b1); a.Accepted || a.UpToDate || a.Verdict != "rollback" || a.Sequence != 2 {
		t.Fatalf("accept(bundle 1) after 2 = %+v, want refused as rollback", a)
	}
	if a := d.accept(w.b2); a.Accepted || !a.UpToDate || a.Sequence != 2 {
		t.Fatalf("accept(bundle 2) holding 2 = %+v, want up to date", a)
	}
	if r := d.verifyText(w.text, now); r.Verdict != "revoked" {
		t.Fatalf("after the rollback attempt: %q, want revoked", r.Verdict)
	}
	// A tampered bundle is refused.
	bad := append([]byte(nil), w.b2...)
	bad[len(bad)-1] ^= 1
	if a := d.accept(bad); a.Accepted || a.Verdict == "accepted" || a.Verdict == "" {
		t.Fatalf("accept(tampered) = %+v, want refused", a)
	}
}

func TestDeviceRestore(t *testing.T) {
	w := newWorld(t)
	d := newDevice([]ed25519.PublicKey{w.root})
	a := d.accept(w.b2)
	if !a.Accepted {
		t.Fatalf("accept(bundle 2) = %+v", a)
	}
	// A new page load restores what was stored and keeps refusing rollback.
	d2 := newDevice([]ed25519.PublicKey{w.root})
	if err := d2.restore(a.Payload); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if info := d2.info(); !info.Held || info.Sequence != 2 || info.Revoked != 1 {
		t.Fatalf("info after restore = %+v", info)
	}
	if a := d2.accept(w.b1); a.Accepted || a.Verdict != "rollback" {
		t.Fatalf("accept(bundle 1) after restoring 2 = %+v, want rollback", a)
	}
	if r := d2.verifyText(w.text, t0.Add(2*time.Hour)); r.Verdict != "revoked" {
		t.Fatalf("verify after restore = %q, want revoked", r.Verdict)
	}
	if err := d2.restore([]byte("not a bundle")); err == nil {
		t.Fatal("restore(garbage) succeeded")
	}
	if info := d2.info(); info.Sequence != 2 {
		t.Fatalf("a failed restore changed the bundle held to %d", info.Sequence)
	}
}

func TestDeviceVerdicts(t *testing.T) {
	w := newWorld(t)
	d := newDevice([]ed25519.PublicKey{w.root})
	d.accept(w.b1)
	for _, c := range []struct {
		name, text string
		now        time.Time
		want       string
	}{
		{"expired", w.text, t0.Add(26 * time.Hour), "expired"},
		{"bad signature", w.text[:len(w.text)-2] + "00", t0.Add(2 * time.Hour), ""},
		{"not a code", "OC1:HELLO", t0, "bad_base45"},
	} {
		r := d.verifyText(c.text, c.now)
		if r.Verdict == "valid" || r.Verdict == "" || (c.want != "" && r.Verdict != c.want) {
			t.Errorf("%s: verdict %q (%s), want %q", c.name, r.Verdict, r.Message, c.want)
		}
	}
	// Stale: a valid code under an expired bundle says how stale.
	r := d.verifyText(w.text, t0.Add(8*24*time.Hour))
	if r.Verdict != "expired" {
		t.Fatalf("verdict %q", r.Verdict)
	}
	if r.Stale != 24*time.Hour {
		t.Fatalf("stale = %v, want 24h", r.Stale)
	}
}

func TestCheckID(t *testing.T) {
	w := newWorld(t)
	d := newDevice([]ed25519.PublicKey{w.root})
	if _, err := d.checkID(holderID, t0); err == nil {
		t.Fatal("checkID with no code succeeded")
	}
	d.accept(w.b1)
	d.verifyText(w.text, t0.Add(2*time.Hour))
	for _, c := range []struct{ id, want, reason string }{
		{holderID, "valid", ""},
		{"110105194912310038", "id_mismatch", ""},
		{"110105194912310029", "bad_id", "check_digit"},
		{"1101", "bad_id", "length"},
	} {
		r, err := d.checkID(c.id, t0)
		if err != nil || r.Verdict != c.want || r.Reason != c.reason {
			t.Errorf("checkID(%s) = %+v, %v; want %s %s", c.id, r, err, c.want, c.reason)
		}
	}
}

func TestScanRGBA(t *testing.T) {
	w := newWorld(t)
	frame := codeFrame(t, w.text)
	var s scanner
	for _, quick := range []bool{false, true} {
		got, err := s.scanRGBA(frame.Pix, 1280, 720, quick)
		if err != nil || got != w.text {
			t.Fatalf("scanRGBA(quick %v) = %q, %v; want the code", quick, got, err)
		}
		// The buffer is reused: a second, blank frame finds nothing.
		blank := image.NewRGBA(image.Rect(0, 0, 640, 360))
		if _, err := s.scanRGBA(blank.Pix, 640, 360, quick); !errors.Is(err, scan.ErrNotFound) {
			t.Fatalf("blank frame (quick %v): %v, want ErrNotFound", quick, err)
		}
		for _, c := range []struct{ n, w, h int }{{10, 2, 2}, {16, 0, 4}, {16, 5000, 5000}} {
			if _, err := s.scanRGBA(make([]byte, c.n), c.w, c.h, quick); !errors.Is(err, scan.ErrPlane) {
				t.Errorf("scanRGBA(%d bytes, %d×%d, quick %v) = %v, want ErrPlane", c.n, c.w, c.h, quick, err)
			}
		}
	}
}

// codeFrame returns a white 1280×720 RGBA frame with the code's QR symbol
// at 6 pixels a module.
func codeFrame(t testing.TB, text string) *image.RGBA {
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	sym := q.Image(6)
	frame := image.NewRGBA(image.Rect(0, 0, 1280, 720))
	draw.Draw(frame, frame.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(frame, sym.Bounds().Add(image.Pt(100, 40)), sym, sym.Bounds().Min, draw.Src)
	return frame
}

// BenchmarkScanVerify scans a 1280×720 RGBA frame holding a code and
// verifies it, as the page's worker does for each camera frame (the quick
// scan). Run it
// natively and, for the WebAssembly figure, under Node:
//
//	go test -run '^$' -bench ScanVerify ./web/wasm
//	GOOS=js GOARCH=wasm go test -run '^$' -bench ScanVerify ./web/wasm   # needs node
func BenchmarkScanVerify(b *testing.B) {
	w := newWorld(b)
	d := newDevice([]ed25519.PublicKey{w.root})
	if r := d.accept(w.b1); !r.Accepted {
		b.Fatal(r.Message)
	}
	frame := codeFrame(b, w.text)
	now := t0.Add(2 * time.Hour)
	var s scanner
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.scanRGBA(frame.Pix, 1280, 720, true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if r := d.verifyText(w.text, now); r.Verdict != "valid" {
				b.Fatal(r.Verdict)
			}
		}
	})
}
