package sign

import (
	"crypto/ed25519"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/testkit/benchcpu"
)

// BenchmarkIssue measures issuing a code from claims whose identity hash is
// already computed (SPEC.md §5.3) to its text form.
func BenchmarkIssue(b *testing.B) {
	k := testKey()
	c, err := NewClaims(&stream{seed: "bench"}, testID(b), codec.Green, codec.Personal, testNow)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := benchcpu.Now()
	for b.Loop() {
		if _, err := k.Issue(c); err != nil {
			b.Fatal(err)
		}
	}
	benchcpu.Report(b, start)
}

// BenchmarkBaselineEd25519Sign measures crypto/ed25519.Sign alone over a
// Sig_structure of the same size as BenchmarkIssue's: the floor for it.
func BenchmarkBaselineEd25519Sign(b *testing.B) {
	k := testKey()
	c, err := NewClaims(&stream{seed: "bench"}, testID(b), codec.Green, codec.Personal, testNow)
	if err != nil {
		b.Fatal(err)
	}
	payload, err := codec.MarshalClaims(c)
	if err != nil {
		b.Fatal(err)
	}
	tbs := format.AppendSigStructure(nil, k.protected, payload)
	b.ReportAllocs()
	start := benchcpu.Now()
	for b.Loop() {
		ed25519.Sign(k.priv, tbs)
	}
	benchcpu.Report(b, start)
}
