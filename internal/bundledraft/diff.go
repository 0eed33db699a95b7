package bundledraft

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/bundlewire"
)

// KeyChange is a difference in one issuer key between two bundles: Old nil
// for a key added, New nil for a key removed, both for a key changed.
type KeyChange struct {
	Old, New *bundle.Key
}

// Changes is what changed from one full bundle to another.
type Changes struct {
	// Keys are the keys added, removed or changed (period, kinds,
	// status or issuer name), in the order of the old bundle, then the
	// new keys.
	Keys []KeyChange
	// The revocation entries added and removed, as a delta from old to
	// new would carry them.
	AddedSerials, RemovedSerials, AddedPeople, RemovedPeople int
}

// Diff returns the changes from old to new, two full bundles.
func Diff(old, new *bundle.Bundle) (Changes, error) {
	var c Changes
	for i := range old.Keys {
		k := &old.Keys[i]
		j := findKey(new, k)
		switch {
		case j < 0:
			c.Keys = append(c.Keys, KeyChange{Old: k})
		case !sameKey(k, &new.Keys[j]):
			c.Keys = append(c.Keys, KeyChange{Old: k, New: &new.Keys[j]})
		}
	}
	for i := range new.Keys {
		if k := &new.Keys[i]; findKey(old, k) < 0 {
			c.Keys = append(c.Keys, KeyChange{New: k})
		}
	}
	o, err := wire(old)
	if err != nil {
		return Changes{}, err
	}
	n, err := wire(new)
	if err != nil {
		return Changes{}, err
	}
	const hs, is = bundlewire.HashSize, bundlewire.IdentityEntrySize
	c.AddedSerials = len(bundlewire.Subtract(n.Serials, o.Serials, hs)) / hs
	c.RemovedSerials = len(bundlewire.Subtract(o.Serials, n.Serials, hs)) / hs
	c.AddedPeople = len(bundlewire.Subtract(n.Identities, o.Identities, is)) / is
	c.RemovedPeople = len(bundlewire.Subtract(o.Identities, n.Identities, is)) / is
	return c, nil
}

// DeltaRemovals returns the number of revoked codes and people the delta
// bundle d removes.
func DeltaRemovals(d *bundle.Bundle) (codes, people int, err error) {
	w, err := wire(d)
	if err != nil {
		return 0, 0, err
	}
	if w.Delta == nil {
		return 0, 0, fmt.Errorf("bundle: sequence %d is not a delta bundle", d.Sequence)
	}
	return len(w.Delta.RemovedSerials) / bundlewire.HashSize, len(w.Delta.RemovedIdentities) / bundlewire.HashSize, nil
}

// wire returns b's payload field by field.
func wire(b *bundle.Bundle) (*bundlewire.Payload, error) {
	p, err := bundle.MarshalPayload(b)
	if err != nil {
		return nil, err
	}
	return bundlewire.Decode(p)
}

// findKey returns the index in b.Keys of the key with k's public key, or -1.
func findKey(b *bundle.Bundle, k *bundle.Key) int {
	return slices.IndexFunc(b.Keys, func(o bundle.Key) bool { return bytes.Equal(o.Public, k.Public) })
}

func sameKey(a, b *bundle.Key) bool {
	return a.NotBefore.Equal(b.NotBefore) && a.NotAfter.Equal(b.NotAfter) && a.Status == b.Status &&
		a.Issuer == b.Issuer && slices.Equal(a.Kinds, b.Kinds)
}
