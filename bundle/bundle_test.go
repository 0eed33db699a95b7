package bundle_test

import (
	"bytes"
	"crypto/ed25519"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/bundlewire"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/testkit/bundletest"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
	"github.com/offcode/offcode/verify"
)

var t0 = bundletest.T0

// newBundle returns a full bundle with sequence seq trusting issuer key 1
// (bundletest.New).
var newBundle = bundletest.New

func randomEntries(r *mrand.Rand, n int) []bundle.Entry {
	out := make([]bundle.Entry, n)
	for i := range out {
		for j := range out[i] {
			out[i][j] = byte(r.IntN(4)) // small alphabet: collisions and shared prefixes
		}
	}
	return out
}

func TestHashList(t *testing.T) {
	r := mrand.New(mrand.NewPCG(1, 1))
	es := randomEntries(r, 300)
	l := bundle.NewHashList(es)
	for _, e := range es {
		if !l.Contains(e) {
			t.Fatalf("Contains(%x) = false after NewHashList", e)
		}
	}
	for i := 1; i < l.Len(); i++ {
		a, b := l.At(i-1), l.At(i)
		if bytes.Compare(a[:], b[:]) >= 0 {
			t.Fatalf("entries %d and %d out of order", i-1, i)
		}
	}
	var m bundle.HashList
	for _, e := range es {
		m = m.With(e)
	}
	if !bytes.Equal(m.Bytes(), l.Bytes()) {
		t.Fatalf("With one by one differs from NewHashList")
	}
	for _, e := range es[:100] {
		m = m.Without(e)
		if m.Contains(e) {
			t.Fatalf("Contains(%x) after Without", e)
		}
	}
}

func TestIdentityList(t *testing.T) {
	var l bundle.IdentityList
	e := bundle.Entry{9}
	var err error
	if l, err = l.With(e, t0); err != nil {
		t.Fatal(err)
	}
	if l, err = l.With(bundle.Entry{1}, t0); err != nil {
		t.Fatal(err)
	}
	if l, err = l.With(e, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if before, ok := l.Lookup(e); !ok || before != t0.Add(time.Hour).Unix() || l.Len() != 2 {
		t.Fatalf("Lookup after replacing = %d, %v (len %d), want %d, true (len 2)", before, ok, l.Len(), t0.Add(time.Hour).Unix())
	}
	if _, err := l.With(e, time.Unix(1<<32, 0)); err == nil {
		t.Fatalf("With(2106-02-07T06:28:16Z) succeeded, want an error")
	}
	if l = l.Without(e); l.Len() != 1 {
		t.Fatalf("Len after Without = %d, want 1", l.Len())
	}
}

// TestDeltaRandom builds pairs of full bundles, derives a delta, applies it
// and checks the result is the second bundle, byte for byte.
func TestDeltaRandom(t *testing.T) {
	r := mrand.New(mrand.NewPCG(2, 2))
	root := gen.RootKey()
	for i := range 50 {
		from, to := newBundle(t, 5), newBundle(t, 6+uint64(i))
		from.SetSerials(bundle.NewHashList(randomEntries(r, r.IntN(50))))
		to.SetSerials(bundle.NewHashList(randomEntries(r, r.IntN(50))))
		for _, e := range randomEntries(r, r.IntN(40)) {
			idl, err := from.Identities().With(e, t0.Add(time.Duration(r.IntN(3))*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			from.SetIdentities(idl)
		}
		for _, e := range randomEntries(r, r.IntN(40)) {
			idl, err := to.Identities().With(e, t0.Add(time.Duration(r.IntN(3))*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			to.SetIdentities(idl)
		}
		d, err := bundle.NewDelta(from, to)
		if err != nil {
			t.Fatal(err)
		}
		signedDelta, err := bundle.Sign(d, root)
		if err != nil {
			t.Fatal(err)
		}
		s := bundle.State{Roots: []ed25519.PublicKey{root.Public()}, Bundle: from}
		if err := s.Accept(signedDelta); err != nil {
			t.Fatalf("case %d: Accept(delta) = %v", i, err)
		}
		got, _ := bundle.MarshalPayload(s.Bundle)
		want, _ := bundle.MarshalPayload(to)
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d: delta applied gives a different bundle", i)
		}
	}
}

// TestNotACode checks the domain separation of SPEC.md §13.2: a bundle is
// not a code, and a code is not a bundle.
func TestNotACode(t *testing.T) {
	signed, err := bundle.Sign(newBundle(t, 1), gen.RootKey())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := codec.Decode(format.EncodeText(codec.Prefix, signed)); verify.VerdictOf(err) != verify.BadHeader {
		t.Fatalf("codec.Decode(bundle as a code) = %v, want %s", err, verify.BadHeader)
	}
	if _, err := bundle.ParseEnvelope(signed); err != nil {
		t.Fatalf("ParseEnvelope(bundle) = %v", err)
	}
}

// TestEveryByte flips each byte of a small signed bundle in turn: none of
// the results may be accepted.
func TestEveryByte(t *testing.T) {
	root := gen.RootKey()
	b := newBundle(t, 1)
	b.SetSerials(bundle.NewHashList([]bundle.Entry{{1}, {2}}))
	signed, err := bundle.Sign(b, root)
	if err != nil {
		t.Fatal(err)
	}
	for i := range signed {
		for _, x := range []byte{0x01, 0x80} {
			m := bytes.Clone(signed)
			m[i] ^= x
			if _, err := bundle.Open(m, root.Public()); err == nil {
				t.Fatalf("Open accepted the bundle with byte %d xor %#x", i, x)
			}
		}
	}
}

// TestContentType checks that the wire layer writes and checks the content
// type the package documents.
func TestContentType(t *testing.T) {
	if bundle.ContentType != bundlewire.ContentType {
		t.Fatalf("bundle.ContentType = %q, bundlewire.ContentType = %q", bundle.ContentType, bundlewire.ContentType)
	}
}
