package verify

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"slices"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/jwkset"
)

// trustedKey is one issuer public key in a trust store (SPEC.md §9). The
// fields are those of jwkset.Key, and from a bundle its kinds and status.
type trustedKey struct {
	// KeyID is the kid the store files the key under, as written in the
	// JWK. Issuers set it to codec.KeyIDOf(Public); verifiers do not
	// recompute it (SPEC.md §9.2).
	KeyID  codec.KeyID
	Public ed25519.PublicKey
	// Issuer is an optional human-readable name.
	Issuer string
	// NotBefore and NotAfter bound the issue times (iat) of the codes the
	// key may sign. The zero time means no bound.
	NotBefore, NotAfter time.Time

	// From a bundle (FromBundle): the kinds the key may sign (nil: any)
	// and whether it is compromised (SPEC.md §13.5).
	kinds       []codec.Kind
	compromised bool
}

// validAt reports whether a code issued at iat falls in the key's period.
func (k *trustedKey) validAt(iat time.Time) bool {
	return (k.NotBefore.IsZero() || !iat.Before(k.NotBefore)) &&
		(k.NotAfter.IsZero() || !iat.After(k.NotAfter))
}

// allows checks that k may have signed c: its status, its period, and the
// kinds it may sign, in that order (SPEC.md §8 step 9, §13.5).
func (k *trustedKey) allows(c *codec.Code) error {
	switch iat := c.Claims.IssuedAt; {
	case k.compromised:
		return fmt.Errorf("%w: key %s", errKeyRevoked, k.KeyID)
	case !k.validAt(iat):
		return fmt.Errorf("%w: iat %s, key valid %s", errKeyNotValid, stamp(iat), period(k))
	case k.kinds != nil && !slices.Contains(k.kinds, c.Claims.Kind):
		return fmt.Errorf("%w: key %s signs %v codes, this one is %s", errKindNotAllowed, k.KeyID, k.kinds, c.Claims.Kind)
	}
	return nil
}

func period(k *trustedKey) string {
	from, to := "-", "-"
	if !k.NotBefore.IsZero() {
		from = stamp(k.NotBefore)
	}
	if !k.NotAfter.IsZero() {
		to = stamp(k.NotAfter)
	}
	return from + " to " + to
}

// TrustStore is what a Verifier trusts: the issuer keys of a JWK Set (RFC
// 7517, keys as OKP per RFC 8037; ParseJWKSet), or the keys, revocations and
// expiry of a trust bundle (FromBundle). Several keys may share one kid;
// the verifier tries each. A TrustStore is safe for concurrent reads.
type TrustStore struct {
	keys   []*trustedKey
	byKid  map[codec.KeyID][]*trustedKey
	bundle *bundle.Bundle // nil for a JWK Set
}

// FromBundle returns the trust of a device holding the full bundle b
// (SPEC.md §13.9): its issuer keys, each with its period, kinds and status,
// its revoked codes and people, and its expiry, by which a Verifier tells
// how stale it is. b must not change while the store is in use. It fails
// for a delta bundle, which only updates a full one (bundle.State.Accept).
func FromBundle(b *bundle.Bundle) (*TrustStore, error) {
	if b.Delta != nil {
		return nil, fmt.Errorf("%w: a delta bundle cannot verify codes; apply it to the full bundle held", jwkset.ErrInvalid)
	}
	ts := newTrustStore()
	for _, k := range b.Keys {
		tk := trustedKey{KeyID: k.KeyID, Public: k.Public, Issuer: k.Issuer, NotBefore: k.NotBefore, NotAfter: k.NotAfter,
			kinds: k.Kinds, compromised: k.Status == bundle.Compromised}
		if err := ts.add(tk); err != nil {
			return nil, err
		}
	}
	ts.bundle = b
	return ts, nil
}

// newTrustStore returns an empty trust store.
func newTrustStore() *TrustStore {
	return &TrustStore{byKid: make(map[codec.KeyID][]*trustedKey)}
}

// add adds k after checking its public key (SPEC.md §9.3) and period.
func (ts *TrustStore) add(k trustedKey) error {
	if err := jwkset.CheckPublicKey(k.Public); err != nil {
		return err
	}
	if !k.NotBefore.IsZero() && !k.NotAfter.IsZero() && k.NotAfter.Before(k.NotBefore) {
		return fmt.Errorf("%w: key %s: exp is before nbf", jwkset.ErrInvalid, k.KeyID)
	}
	k.Public = bytes.Clone(k.Public)
	ts.keys = append(ts.keys, &k)
	ts.byKid[k.KeyID] = append(ts.byKid[k.KeyID], &k)
	return nil
}

// list returns the keys in the order they were added.
func (ts *TrustStore) list() []trustedKey {
	out := make([]trustedKey, len(ts.keys))
	for i, k := range ts.keys {
		out[i] = *k
	}
	return out
}

// size returns the number of keys.
func (ts *TrustStore) size() int { return len(ts.keys) }

// lookup returns the keys filed under kid.
func (ts *TrustStore) lookup(kid codec.KeyID) []*trustedKey { return ts.byKid[kid] }

// ParseJWKSet parses a JWK Set of issuer keys by the loading rules of
// SPEC.md §9.1. Members it does not know are ignored, as RFC 7517 asks;
// anything the rules refuse (a member name twice in any object, a key with
// a private part "d", a member of the wrong JSON type, an nbf or exp that
// is not a plain integer NumericDate, a public key that fails §9.3, a kid
// that is not 8 bytes of unpadded base64url, ...) refuses the whole set,
// with an error that names the key by its index.
func ParseJWKSet(b []byte) (*TrustStore, error) {
	keys, err := jwkset.Parse(b)
	if err != nil {
		return nil, err
	}
	ts := newTrustStore()
	for i, k := range keys {
		tk := trustedKey{KeyID: k.KeyID, Public: k.Public, Issuer: k.Issuer, NotBefore: k.NotBefore, NotAfter: k.NotAfter}
		if err := ts.add(tk); err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
	}
	return ts, nil
}
