package bundle

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/detcbor"
	"github.com/offcode/offcode/internal/edcheck"
)

// Limits of the format (SPEC.md §13.3, §13.4).
const (
	// Version is the payload version this package reads and writes.
	Version = 1
	// MaxSize bounds a bundle file.
	MaxSize = 64 << 20
	// MaxKeys bounds the issuer keys of a bundle.
	MaxKeys = 1024
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

// Bundle is a trust bundle (SPEC.md §13.4), full or delta.
type Bundle struct {
	Sequence  uint64
	IssuedAt  time.Time
	ExpiresAt time.Time
	// Keys are the issuer keys, sorted by kid then public key.
	Keys []Key
	// Serials are the revoked codes (SerialEntry); Identities the revoked
	// people (IdentityEntry). In a delta bundle, the entries added.
	Serials    HashList
	Identities IdentityList
	// Delta is non-nil for a delta bundle.
	Delta *Delta
}

// Delta is what makes a bundle a delta bundle (SPEC.md §13.7).
type Delta struct {
	// Since is the sequence the delta applies to.
	Since uint64
	// Result is SHA-256 of the payload of the full bundle it produces.
	Result [32]byte
	// RemovedSerials and RemovedIdentities are the entries removed.
	RemovedSerials    HashList
	RemovedIdentities HashList
}

// wire types (SPEC.md §13.4).
type wireBundle struct {
	Version    uint64     `cbor:"1,keyasint"`
	Sequence   uint64     `cbor:"2,keyasint"`
	IssuedAt   uint64     `cbor:"3,keyasint"`
	ExpiresAt  uint64     `cbor:"4,keyasint"`
	Keys       []wireKey  `cbor:"5,keyasint"`
	Serials    []byte     `cbor:"6,keyasint"`
	Identities []byte     `cbor:"7,keyasint"`
	Delta      *wireDelta `cbor:"8,keyasint,omitempty"`
}

type wireKey struct {
	Kid       []byte   `cbor:"1,keyasint"`
	Public    []byte   `cbor:"2,keyasint"`
	NotBefore uint64   `cbor:"3,keyasint"`
	NotAfter  uint64   `cbor:"4,keyasint"`
	Kinds     []uint64 `cbor:"5,keyasint"`
	Status    uint64   `cbor:"6,keyasint"`
	Issuer    string   `cbor:"7,keyasint,omitempty"`
}

type wireDelta struct {
	Since             uint64 `cbor:"1,keyasint"`
	Result            []byte `cbor:"2,keyasint"`
	RemovedSerials    []byte `cbor:"3,keyasint"`
	RemovedIdentities []byte `cbor:"4,keyasint"`
}

// The deterministic encoder and the strict decoder, shared with codec.
var (
	encMode = detcbor.EncMode()
	decMode = detcbor.DecMode(detcbor.Limits{MaxNestedLevels: 8, MaxArrayElements: MaxKeys, MaxMapPairs: 16})
)

// MarshalPayload returns the deterministic CBOR encoding of b's payload
// after checking it as ParsePayload would. Keys must be in order (AddKey
// keeps them so).
func MarshalPayload(b *Bundle) ([]byte, error) {
	w, err := b.wire()
	if err != nil {
		return nil, err
	}
	p, err := encMode.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("bundle: encoding payload: %w", err)
	}
	// One check for both directions: what we write, we read back.
	if _, err := ParsePayload(p); err != nil {
		return nil, err
	}
	return p, nil
}

func (b *Bundle) wire() (*wireBundle, error) {
	w := &wireBundle{
		Version:    Version,
		Sequence:   b.Sequence,
		IssuedAt:   numericDate(b.IssuedAt),
		ExpiresAt:  numericDate(b.ExpiresAt),
		Keys:       make([]wireKey, len(b.Keys)),
		Serials:    nonNil(b.Serials.b),
		Identities: nonNil(b.Identities.b),
	}
	if b.IssuedAt.Unix() < 0 || b.ExpiresAt.Unix() < 0 {
		return nil, malformed("times before 1970")
	}
	for i, k := range b.Keys {
		if k.NotBefore.Unix() < 0 || k.NotAfter.Unix() < 0 {
			return nil, malformed("key %d: times before 1970", i)
		}
		wk := wireKey{
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
		w.Delta = &wireDelta{
			Since: d.Since, Result: bytes.Clone(d.Result[:]),
			RemovedSerials:    nonNil(d.RemovedSerials.b),
			RemovedIdentities: nonNil(d.RemovedIdentities.b),
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
	var w wireBundle
	if err := decMode.Unmarshal(p, &w); err != nil {
		return nil, malformed("payload: %v", err)
	}
	if off, ok := findSimple(p, 0); ok {
		return nil, malformed("payload holds a simple value or a floating-point number at byte %d (null is not an empty list, SPEC.md §13.3)", off)
	}
	re, err := encMode.Marshal(&w)
	if err != nil || !bytes.Equal(re, p) {
		return nil, malformed("payload does not re-encode to itself (a field is missing or the encoding is not deterministic)")
	}
	if w.Version != Version {
		return nil, malformed("version %d, want %d", w.Version, Version)
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
	if b.Serials, err = parseHashList(w.Serials, "revoked serials"); err != nil {
		return nil, err
	}
	if b.Identities, err = parseIdentityList(w.Identities); err != nil {
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
		if d.RemovedSerials, err = parseHashList(w.Delta.RemovedSerials, "removed serials"); err != nil {
			return nil, err
		}
		if d.RemovedIdentities, err = parseHashList(w.Delta.RemovedIdentities, "removed identities"); err != nil {
			return nil, err
		}
		b.Delta = d
	}
	return b, nil
}

func parseKey(w *wireKey) (Key, error) {
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

// findSimple walks the well-formed, definite-length CBOR item at p[off:]
// and returns the offset of the first item of major type 7 in it (false,
// true, null, undefined, simple(n), a floating-point number). The strict
// decoder would turn such a value into the zero value of the field, and the
// encoder would write an empty list back as null, so the re-encoding check
// cannot see it (SPEC.md §13.3). It returns the item's end when none is
// found; ok is false then.
func findSimple(p []byte, off int) (at int, ok bool) {
	_, at, ok = walkSimple(p, off)
	return at, ok
}

func walkSimple(p []byte, off int) (end, at int, found bool) {
	if off >= len(p) {
		return len(p), 0, false
	}
	major, ai := p[off]>>5, p[off]&0x1f
	if major == 7 {
		return off, off, true
	}
	var n uint64
	h := 1
	switch {
	case ai < 24:
		n = uint64(ai)
	case ai <= 27:
		w := 1 << (ai - 24)
		if off+1+w > len(p) {
			return len(p), 0, false
		}
		for _, c := range p[off+1 : off+1+w] {
			n = n<<8 | uint64(c)
		}
		h += w
	default:
		return len(p), 0, false
	}
	off += h
	switch major {
	case 2, 3:
		if n > uint64(len(p)-off) {
			return len(p), 0, false
		}
		return off + int(n), 0, false
	case 4, 5:
		if major == 5 {
			n *= 2
		}
		for i := uint64(0); i < n; i++ {
			if off, at, found = walkSimple(p, off); found || off >= len(p) && i+1 < n {
				return off, at, found
			}
		}
		return off, 0, false
	case 6:
		return walkSimple(p, off)
	}
	return off, 0, false
}
