// Package bundletest fills the revocation lists of a trust bundle with
// raw entries (SPEC.md §13.6) for tests and benchmarks that need many of
// them, or entries chosen by value, which package bundle only makes from a
// code or an identity hash.
package bundletest

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/bundlewire"
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
