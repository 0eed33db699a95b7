package bundle

// KeyChange is a difference in one issuer key between two bundles: Old nil
// for a key added, New nil for a key removed, both for a key changed.
type KeyChange struct {
	Old, New *Key
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
func Diff(old, new *Bundle) Changes {
	var c Changes
	for i := range old.Keys {
		k := &old.Keys[i]
		j := new.FindKey(k.Public)
		switch {
		case j < 0:
			c.Keys = append(c.Keys, KeyChange{Old: k})
		case !sameKey(k, &new.Keys[j]):
			c.Keys = append(c.Keys, KeyChange{Old: k, New: &new.Keys[j]})
		}
	}
	for i := range new.Keys {
		if k := &new.Keys[i]; old.FindKey(k.Public) < 0 {
			c.Keys = append(c.Keys, KeyChange{New: k})
		}
	}
	c.AddedSerials = len(diff(new.Serials.b, old.Serials.b, HashSize, HashSize)) / HashSize
	c.RemovedSerials = len(diff(old.Serials.b, new.Serials.b, HashSize, HashSize)) / HashSize
	c.AddedPeople = len(diff(new.Identities.b, old.Identities.b, identityEntrySize, identityEntrySize)) / identityEntrySize
	c.RemovedPeople = len(diff(old.Identities.b, new.Identities.b, identityEntrySize, identityEntrySize)) / identityEntrySize
	return c
}

func sameKey(a, b *Key) bool {
	if !a.NotBefore.Equal(b.NotBefore) || !a.NotAfter.Equal(b.NotAfter) || a.Status != b.Status ||
		a.Issuer != b.Issuer || len(a.Kinds) != len(b.Kinds) {
		return false
	}
	for i := range a.Kinds {
		if a.Kinds[i] != b.Kinds[i] {
			return false
		}
	}
	return true
}
