package verify

import (
	"crypto/ed25519"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/benchcpu"
	"github.com/offcode/offcode/internal/format"
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
