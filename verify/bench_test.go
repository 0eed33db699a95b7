package verify

import (
	"crypto/ed25519"
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/testkit/benchcpu"
	"github.com/offcode/offcode/internal/testkit/bundletest"
)

// benchFixture returns a valid code, a verifier that trusts its key, and the
// Sig_structure and signature of the code for the baseline.
func benchFixture(tb testing.TB) (text string, v *Verifier, pub ed25519.PublicKey, tbs, sig []byte) {
	tb.Helper()
	k := seedKey(1)
	c := fixtureClaims(tb)
	text, err := k.Issue(&c)
	if err != nil {
		tb.Fatal(err)
	}
	code, err := codec.Decode(text)
	if err != nil {
		tb.Fatal(err)
	}
	tbs = format.AppendSigStructure(nil, code.Protected, code.Payload)
	return text, New(storeOf(tb, seedKey(2), k)), k.Public(), tbs, code.Signature
}

// BenchmarkVerify measures Verify from the code's text to its verdict, with
// no ID check: what a scanner does for every code.
func BenchmarkVerify(b *testing.B) {
	text, v, _, _, _ := benchFixture(b)
	now := t0.Add(1)
	b.ReportAllocs()
	start := benchcpu.Now()
	for b.Loop() {
		_, err := v.Verify(text, now)
		if VerdictOf(err) != Valid {
			b.Fatalf("Verify = %v", err)
		}
	}
	benchcpu.Report(b, start)
}

// BenchmarkBaselineEd25519Verify measures crypto/ed25519.Verify alone over
// the same Sig_structure and signature: the floor for BenchmarkVerify.
func BenchmarkBaselineEd25519Verify(b *testing.B) {
	_, _, pub, tbs, sig := benchFixture(b)
	b.ReportAllocs()
	start := benchcpu.Now()
	for b.Loop() {
		if !ed25519.Verify(pub, tbs, sig) {
			b.Fatal("ed25519.Verify = false")
		}
	}
	benchcpu.Report(b, start)
}

// BenchmarkVerifyBundle measures Verify under a trust bundle holding the
// code's key and 10,000 revoked serials and people: the device path, with
// the key status, kind and both revocation checks added to BenchmarkVerify.
func BenchmarkVerifyBundle(b *testing.B) {
	text, v, _, _, _ := benchFixture(b)
	v.Trust = bundleTrustOf(b, v.Trust, 10000)
	now := t0.Add(1)
	b.ReportAllocs()
	start := benchcpu.Now()
	for b.Loop() {
		r, _ := v.Verify(text, now)
		if r.Verdict != Valid {
			b.Fatalf("Verify = %v", r.Verdict)
		}
	}
	benchcpu.Report(b, start)
}

// bundleTrustOf returns a bundle trust store with the keys of ts, valid from
// t0 for a year, and n revoked serials and n revoked people (random
// entries, none of them the fixture's).
func bundleTrustOf(tb testing.TB, ts *TrustStore, n int) *TrustStore {
	tb.Helper()
	bd := &bundle.Bundle{Sequence: 1, IssuedAt: t0.Add(-time.Hour), ExpiresAt: t0.Add(30 * 24 * time.Hour)}
	for _, k := range ts.list() {
		if err := bd.AddKey(bundle.Key{Public: k.Public, NotBefore: t0.Add(-time.Hour), NotAfter: t0.AddDate(1, 0, 0)}); err != nil {
			tb.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	entries := make([]bundletest.Entry, n)
	for i := range entries {
		binary.BigEndian.PutUint64(entries[i][:], rng.Uint64())
	}
	bd, err := bundletest.WithEntries(bd, entries, entries, t0)
	if err != nil {
		tb.Fatal(err)
	}
	trust, err := FromBundle(bd)
	if err != nil {
		tb.Fatal(err)
	}
	return trust
}
