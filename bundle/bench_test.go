package bundle_test

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
	"github.com/offcode/offcode/verify"
)

// benchEntries is the size of the revocation list of the benchmarks
// (issue 5: a million entries load in under 1 s, a lookup under 1 µs).
const benchEntries = 1_000_000

var big struct {
	once    sync.Once
	signed  []byte
	entries []bundle.Entry
}

// bigBundle returns a signed bundle with benchEntries revoked serials and
// the entries, from a fixed seed.
func bigBundle(tb testing.TB) ([]byte, []bundle.Entry) {
	big.once.Do(func() {
		r := rand.New(rand.NewChaCha8([32]byte{'o', 'f', 'f', 'c', 'o', 'd', 'e'}))
		big.entries = make([]bundle.Entry, benchEntries)
		for i := range big.entries {
			for j := range big.entries[i] {
				big.entries[i][j] = byte(r.Uint32())
			}
		}
		t0 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		b := &bundle.Bundle{Sequence: 1, IssuedAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour)}
		if err := b.AddKey(bundle.Key{Public: gen.IssuerKey(1).Public(), NotBefore: t0, NotAfter: t0.Add(time.Hour)}); err != nil {
			panic(err)
		}
		b.SetSerials(bundle.NewHashList(big.entries))
		var err error
		if big.signed, err = bundle.Sign(b, gen.RootKey()); err != nil {
			panic(err)
		}
	})
	return big.signed, big.entries
}

// BenchmarkOpen1M measures accepting a bundle with a million revoked
// serials: envelope, root signature over 8 MB, strict decode with the
// canonical re-encoding check, and the sort check.
func BenchmarkOpen1M(b *testing.B) {
	data, _ := bigBundle(b)
	root := gen.RootKey().Public()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := bundle.Open(data, root); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/benchEntries, "bytes/entry")
}

// BenchmarkLookup1M measures one revocation lookup in a million entries,
// alternating listed and unlisted entries.
func BenchmarkLookup1M(b *testing.B) {
	data, entries := bigBundle(b)
	bd, err := bundle.Open(data, gen.RootKey().Public())
	if err != nil {
		b.Fatal(err)
	}
	probes := make([]bundle.Entry, 4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range probes {
		if i%2 == 0 {
			probes[i] = entries[r.IntN(len(entries))]
		} else {
			probes[i] = bundle.Entry{byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32()), 7, 7, 7, 7, 7}
		}
	}
	hits := 0
	i := 0
	for b.Loop() {
		if bd.Serials().Contains(probes[i&4095]) {
			hits++
		}
		i++
	}
	if hits == 0 {
		b.Fatal("no lookup hit")
	}
}

// BenchmarkSerialEntry measures hashing a code's serial into its entry,
// the other half of a revocation check.
func BenchmarkSerialEntry(b *testing.B) {
	k := gen.IssuerKey(1).KeyID()
	var serial [12]byte
	for b.Loop() {
		_ = bundle.SerialEntry(k, serial)
	}
}

// TestMillionEntries checks the issue's bounds with a wide margin for a
// loaded machine: a million entries open in under 1 s.
func TestMillionEntries(t *testing.T) {
	data, entries := bigBundle(t)
	start := time.Now()
	bd, err := bundle.Open(data, gen.RootKey().Public())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Open of %d entries (%d bytes) took %v", benchEntries, len(data), time.Since(start))
	if d := time.Since(start); d > time.Second {
		t.Errorf("Open of %d entries took %v, want under 1 s", benchEntries, d)
	}
	if bd.Serials().Len() != len(entries) {
		// duplicates among a million random 64-bit values are
		// vanishingly unlikely; the fixed seed has none
		t.Errorf("Len = %d, want %d", bd.Serials().Len(), len(entries))
	}
	for _, e := range entries[:1000] {
		if !bd.Serials().Contains(e) {
			t.Fatalf("Contains(%x) = false for a listed entry", e)
		}
	}
}

// BenchmarkVerify1M measures verifying a code (text to verdict) under the
// million-entry bundle: the core verification plus both revocation checks.
func BenchmarkVerify1M(b *testing.B) {
	data, _ := bigBundle(b)
	bd, err := bundle.Open(data, gen.RootKey().Public())
	if err != nil {
		b.Fatal(err)
	}
	trust, err := verify.FromBundle(bd)
	if err != nil {
		b.Fatal(err)
	}
	v := verify.New(trust)
	t0 := bd.IssuedAt
	c := &codec.Claims{IssuedAt: t0.Add(time.Minute), ExpiresAt: t0.Add(time.Hour), Serial: [12]byte{1}}
	c.Identity.Version = format.HashVersion
	text, err := gen.IssuerKey(1).Issue(c)
	if err != nil {
		b.Fatal(err)
	}
	now := t0.Add(2 * time.Minute)
	for b.Loop() {
		if _, err := v.Verify(text, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRevocationCheck1M measures what revocation adds to a
// verification: both entry hashes and both lookups, in a million serials.
func BenchmarkRevocationCheck1M(b *testing.B) {
	data, _ := bigBundle(b)
	bd, err := bundle.Open(data, gen.RootKey().Public())
	if err != nil {
		b.Fatal(err)
	}
	kid := gen.IssuerKey(1).KeyID()
	var serial [12]byte
	var h identity.Hash
	n := 0
	for b.Loop() {
		serial[0]++
		if bd.Serials().Contains(bundle.SerialEntry(kid, serial)) {
			n++
		}
		if _, ok := bd.Identities().Lookup(bundle.IdentityEntry(h)); ok {
			n++
		}
	}
	_ = n
}
