package bundle

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/bundlewire"
	"github.com/offcode/offcode/internal/edcheck"
)

// Limits of the format (SPEC.md §13.3, §13.4).
const (
	// MaxSize bounds a bundle file, in bytes.
	MaxSize = 64 << 20
	// version is the payload version this package reads and writes.
	version = 1
	// maxKeys bounds the issuer keys of a bundle.
	maxKeys = bundlewire.MaxKeys
	// maxIssuer bounds an issuer name, in bytes.
	maxIssuer     = 64
	maxNumericDay = 253402300799 // 9999-12-31T23:59:59Z
)

// Status is the status of an issuer key in a bundle (SPEC.md §13.5).
type Status uint8

// The statuses, with their wire values.
const (
	Active      Status = 0
	Retired     Status = 1
	Compromised Status = 2
)

var statusNames = [...]string{"active", "retired", "compromised"}

// String returns "active", "retired" or "compromised".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Key is an issuer key in a bundle (SPEC.md §13.5).
type Key struct {
	KeyID  codec.KeyID // always codec.KeyIDOf(Public)
	Public ed25519.PublicKey
	// NotBefore and NotAfter bound the iat of the codes the key may sign.
	NotBefore, NotAfter time.Time
	// Kinds are the kinds of code the key may sign, ascending.
	Kinds  []codec.Kind
	Status Status
	// Issuer is an optional name for people.
	Issuer string
}

// Bundle is a trust bundle (SPEC.md §13.4), full or delta. Its revocation
// lists are changed with RevokeCode and RevokePerson and read with
// CodeRevoked, PersonRevoked and Revocations.
type Bundle struct {
	Sequence  uint64
	IssuedAt  time.Time
	ExpiresAt time.Time
	// Keys are the issuer keys, sorted by kid then public key (AddKey
	// keeps them so).
	Keys []Key
	// Delta is non-nil for a delta bundle.
	Delta *Delta

	// serials are the revoked codes (serialEntry); identities the revoked
	// people (identityEntry). In a delta bundle, the entries added.
	serials    hashList
	identities identityList
}

// Delta is what makes a bundle a delta bundle (SPEC.md §13.7).
type Delta struct {
	// Since is the sequence the delta applies to.
	Since uint64
	// Result is SHA-256 of the payload of the full bundle it produces.
	Result [32]byte

	// The revocation entries removed (hashes only for identities).
	removedSerials    hashList
	removedIdentities hashList
}

// MarshalPayload returns the deterministic CBOR encoding of b's payload
// after checking it as ParsePayload would. Keys must be in order (AddKey
// keeps them so).
func MarshalPayload(b *Bundle) ([]byte, error) {
	w, err := b.wire()
	if err != nil {
		return nil, err
	}
	p, err := bundlewire.Encode(w)
	if err != nil {
		return nil, fmt.Errorf("bundle: encoding payload: %w", err)
	}
	// One check for both directions: what we write, we read back.
	if _, err := ParsePayload(p); err != nil {
		return nil, err
	}
	return p, nil
}

func (b *Bundle) wire() (*bundlewire.Payload, error) {
	w := &bundlewire.Payload{
		Version:    version,
		Sequence:   b.Sequence,
		IssuedAt:   numericDate(b.IssuedAt),
		ExpiresAt:  numericDate(b.ExpiresAt),
		Keys:       make([]bundlewire.Key, len(b.Keys)),
		Serials:    nonNil(b.serials.b),
		Identities: nonNil(b.identities.b),
	}
	if b.IssuedAt.Unix() < 0 || b.ExpiresAt.Unix() < 0 {
		return nil, malformed("times before 1970")
	}
	for i, k := range b.Keys {
		if k.NotBefore.Unix() < 0 || k.NotAfter.Unix() < 0 {
			return nil, malformed("key %d: times before 1970", i)
		}
		wk := bundlewire.Key{
			Kid: bytes.Clone(k.KeyID[:]), Public: nonNil(k.Public),
			NotBefore: numericDate(k.NotBefore), NotAfter: numericDate(k.NotAfter),
			Kinds: make([]uint64, len(k.Kinds)), Status: uint64(k.Status), Issuer: k.Issuer,
		}
		for j, kind := range k.Kinds {
			wk.Kinds[j] = uint64(kind)
		}
		w.Keys[i] = wk
	}
	if d := b.Delta; d != nil {
		w.Delta = &bundlewire.Delta{
			Since: d.Since, Result: bytes.Clone(d.Result[:]),
			RemovedSerials:    nonNil(d.removedSerials.b),
			RemovedIdentities: nonNil(d.removedIdentities.b),
		}
	}
	return w, nil
}

func numericDate(t time.Time) uint64 {
	if t.Unix() < 0 {
		return 0
	}
	return uint64(t.Unix())
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// ParsePayload decodes a bundle payload strictly (SPEC.md §13.4, §13.8 step
// 1): deterministic encoding, no unknown or missing fields, keys sorted with
// matching kids and sound public keys, revocation lists sorted and unique.
// The lists alias p. Errors wrap ErrMalformed.
func ParsePayload(p []byte) (*Bundle, error) {
	w, err := bundlewire.Decode(p)
	if err != nil {
		return nil, malformed("%v", err)
	}
	if w.Version != version {
		return nil, malformed("version %d, want %d", w.Version, version)
	}
	if w.Sequence == 0 {
		return nil, malformed("sequence 0; sequences start at 1")
	}
	if w.IssuedAt > maxNumericDay || w.ExpiresAt > maxNumericDay || w.ExpiresAt <= w.IssuedAt {
		return nil, malformed("issued_at %d and expires_at %d out of range or out of order", w.IssuedAt, w.ExpiresAt)
	}
	b := &Bundle{
		Sequence:  w.Sequence,
		IssuedAt:  time.Unix(int64(w.IssuedAt), 0).UTC(),
		ExpiresAt: time.Unix(int64(w.ExpiresAt), 0).UTC(),
		Keys:      make([]Key, len(w.Keys)),
	}
	for i := range w.Keys {
		k, err := parseKey(&w.Keys[i])
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
		if i > 0 && compareKeys(&b.Keys[i-1], &k) >= 0 {
			return nil, malformed("key %d is not after key %d (sorted by kid, then public key; no duplicates)", i, i-1)
		}
		b.Keys[i] = k
	}
	if b.serials, err = parseHashList(w.Serials, "revoked serials"); err != nil {
		return nil, err
	}
	if b.identities, err = parseIdentityList(w.Identities); err != nil {
		return nil, err
	}
	if w.Delta != nil {
		d := &Delta{Since: w.Delta.Since}
		if d.Since >= b.Sequence {
			return nil, malformed("delta since %d is not before sequence %d", d.Since, b.Sequence)
		}
		if len(w.Delta.Result) != len(d.Result) {
			return nil, malformed("delta result is %d bytes, want %d", len(w.Delta.Result), len(d.Result))
		}
		copy(d.Result[:], w.Delta.Result)
		if d.removedSerials, err = parseHashList(w.Delta.RemovedSerials, "removed serials"); err != nil {
			return nil, err
		}
		if d.removedIdentities, err = parseHashList(w.Delta.RemovedIdentities, "removed identities"); err != nil {
			return nil, err
		}
		b.Delta = d
	}
	return b, nil
}

func parseKey(w *bundlewire.Key) (Key, error) {
	if len(w.Public) != ed25519.PublicKeySize {
		return Key{}, malformed("public key is %d bytes, want %d", len(w.Public), ed25519.PublicKeySize)
	}
	if err := edcheck.PublicKey(w.Public); err != nil {
		return Key{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	k := Key{Public: ed25519.PublicKey(w.Public), KeyID: codec.KeyIDOf(w.Public), Issuer: w.Issuer}
	if !bytes.Equal(w.Kid, k.KeyID[:]) {
		return Key{}, malformed("kid %x is not SHA-256 of the public key (%x)", w.Kid, k.KeyID[:])
	}
	if w.NotBefore > maxNumericDay || w.NotAfter > maxNumericDay || w.NotAfter < w.NotBefore {
		return Key{}, malformed("not_before %d and not_after %d out of range or out of order", w.NotBefore, w.NotAfter)
	}
	k.NotBefore = time.Unix(int64(w.NotBefore), 0).UTC()
	k.NotAfter = time.Unix(int64(w.NotAfter), 0).UTC()
	if len(w.Kinds) == 0 {
		return Key{}, malformed("no kinds")
	}
	for i, kind := range w.Kinds {
		if kind > uint64(codec.Kin) || (i > 0 && kind <= w.Kinds[i-1]) {
			return Key{}, malformed("kinds %v are not ascending known kinds", w.Kinds)
		}
		k.Kinds = append(k.Kinds, codec.Kind(kind))
	}
	if w.Status >= uint64(len(statusNames)) {
		return Key{}, malformed("status %d unknown", w.Status)
	}
	k.Status = Status(w.Status)
	if w.Issuer != "" && len(w.Issuer) > maxIssuer {
		return Key{}, malformed("issuer name is %d bytes, at most %d", len(w.Issuer), maxIssuer)
	}
	return k, nil
}

func compareKeys(a, b *Key) int {
	if c := bytes.Compare(a.KeyID[:], b.KeyID[:]); c != 0 {
		return c
	}
	return bytes.Compare(a.Public, b.Public)
}
