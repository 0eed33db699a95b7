// Package bundletest fills the revocation lists of a trust bundle with
// raw entries (SPEC.md §13.6) for tests and benchmarks that need many of
// them, or entries chosen by value, which package bundle only makes from a
// code or an identity hash.
package bundletest

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/bundlewire"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
)

// Entry is a truncated revocation hash.
type Entry = [bundlewire.HashSize]byte

// WithEntries returns a copy of b whose revoked serials are serials and
// whose revoked identities are identities, each revoked before before.
// Each list is sorted and its duplicates dropped.
func WithEntries(b *bundle.Bundle, serials, identities []Entry, before time.Time) (*bundle.Bundle, error) {
	p, err := bundle.MarshalPayload(b)
	if err != nil {
		return nil, err
	}
	w, err := bundlewire.Decode(p)
	if err != nil {
		return nil, err
	}
	w.Serials = []byte{}
	for _, e := range sorted(serials) {
		w.Serials = append(w.Serials, e[:]...)
	}
	t := before.Unix()
	if t < 0 || t > 1<<32-1 {
		return nil, fmt.Errorf("bundletest: before %v out of range", before)
	}
	w.Identities = []byte{}
	for _, e := range sorted(identities) {
		w.Identities = append(w.Identities, e[:]...)
		w.Identities = append(w.Identities, byte(t>>24), byte(t>>16), byte(t>>8), byte(t))
	}
	if p, err = bundlewire.Encode(w); err != nil {
		return nil, err
	}
	return bundle.ParsePayload(p)
}

func sorted(es []Entry) []Entry {
	s := slices.Clone(es)
	slices.SortFunc(s, func(a, b Entry) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(s)
}

// T0 is when the bundles of New are issued: 2026-11-20T00:00:00Z.
var T0 = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// New returns a full bundle with sequence seq, issued at T0 and expiring a
// day later, trusting issuer key 1 of the published test keys for an hour
// from T0.
func New(t testing.TB, seq uint64) *bundle.Bundle {
	t.Helper()
	b := &bundle.Bundle{Sequence: seq, IssuedAt: T0, ExpiresAt: T0.Add(24 * time.Hour)}
	if err := b.AddKey(bundle.Key{Public: gen.IssuerKey(1).Public(), NotBefore: T0, NotAfter: T0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return b
}
