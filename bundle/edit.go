package bundle

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/edcheck"
)

// The methods in this file are the root holder's: they change a bundle
// being prepared for signing. None of them is safe to call on a bundle a
// verifier is using. To mark key i compromised, set b.Keys[i].Status to
// Compromised; to drop it, delete it from b.Keys.

// AddKey adds an issuer key, computing its kid and keeping the keys sorted.
// Kinds are sorted; an empty Kinds means every kind.
func (b *Bundle) AddKey(k Key) error {
	if err := edcheck.PublicKey(k.Public); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if k.NotAfter.Before(k.NotBefore) {
		return fmt.Errorf("bundle: key not_after %s is before not_before %s", stamp(k.NotAfter), stamp(k.NotBefore))
	}
	if len(b.Keys) >= maxKeys {
		return fmt.Errorf("bundle: a bundle holds at most %d keys", maxKeys)
	}
	k.Public = bytes.Clone(k.Public)
	k.KeyID = codec.KeyIDOf(k.Public)
	k.NotBefore = k.NotBefore.Truncate(time.Second).UTC()
	k.NotAfter = k.NotAfter.Truncate(time.Second).UTC()
	if len(k.Kinds) == 0 {
		k.Kinds = []codec.Kind{codec.Personal, codec.Kin}
	}
	k.Kinds = slices.Compact(slices.Sorted(slices.Values(k.Kinds)))
	i, found := slices.BinarySearchFunc(b.Keys, &k, func(a Key, t *Key) int { return compareKeys(&a, t) })
	if found {
		return fmt.Errorf("bundle: key %s is already in the bundle", kidString(k.KeyID))
	}
	b.Keys = slices.Insert(b.Keys, i, k)
	return nil
}

// RetireKey marks key i (an index into b.Keys) retired with not_after at (SPEC.md §13.10 step 5):
// codes it issued up to at keep verifying until they expire.
func (b *Bundle) RetireKey(i int, at time.Time) error {
	k := &b.Keys[i]
	at = at.Truncate(time.Second).UTC()
	if at.Before(k.NotBefore) {
		return fmt.Errorf("bundle: retiring key %s at %s, before its not_before %s", kidString(k.KeyID), stamp(at), stamp(k.NotBefore))
	}
	if at.Before(k.NotAfter) {
		k.NotAfter = at
	}
	if k.Status == Active {
		k.Status = Retired
	}
	return nil
}

// RevokeCode revokes one code by its serial (SPEC.md §13.6).
func (b *Bundle) RevokeCode(c *codec.Code) {
	b.serials = b.serials.With(serialEntry(c.KeyID, c.Claims.Serial))
}

// RevokePerson revokes every code carrying identity hash h issued before
// before (SPEC.md §13.6).
func (b *Bundle) RevokePerson(h identity.Hash, before time.Time) error {
	l, err := b.identities.With(identityEntry(h), before)
	if err != nil {
		return err
	}
	b.identities = l
	return nil
}
