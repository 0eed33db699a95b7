package verify

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"filippo.io/edwards25519"

	"github.com/offcode/offcode/codec"
)

// TrustedKey is one issuer public key in a trust store (SPEC.md §9).
type TrustedKey struct {
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
}

// validAt reports whether a code issued at iat falls in the key's period.
func (k *TrustedKey) validAt(iat time.Time) bool {
	return (k.NotBefore.IsZero() || !iat.Before(k.NotBefore)) &&
		(k.NotAfter.IsZero() || !iat.After(k.NotAfter))
}

// TrustStore is the set of issuer keys a verifier trusts, read from a JWK
// Set (RFC 7517, keys as OKP per RFC 8037). Several keys may share one kid;
// the verifier tries each. A TrustStore is safe for concurrent reads.
type TrustStore struct {
	keys  []*TrustedKey
	byKid map[codec.KeyID][]*TrustedKey
}

// NewTrustStore returns an empty trust store.
func NewTrustStore() *TrustStore {
	return &TrustStore{byKid: make(map[codec.KeyID][]*TrustedKey)}
}

// Add adds k after checking its public key (CheckPublicKey) and period.
// It is not safe to call Add concurrently with verification.
func (ts *TrustStore) Add(k TrustedKey) error {
	if err := CheckPublicKey(k.Public); err != nil {
		return err
	}
	if !k.NotBefore.IsZero() && !k.NotAfter.IsZero() && k.NotAfter.Before(k.NotBefore) {
		return fmt.Errorf("%w: key %s: exp is before nbf", ErrTrustStore, KeyIDString(k.KeyID))
	}
	k.Public = bytes.Clone(k.Public)
	ts.keys = append(ts.keys, &k)
	ts.byKid[k.KeyID] = append(ts.byKid[k.KeyID], &k)
	return nil
}

// Keys returns the keys in the order they were added.
func (ts *TrustStore) Keys() []TrustedKey {
	out := make([]TrustedKey, len(ts.keys))
	for i, k := range ts.keys {
		out[i] = *k
	}
	return out
}

// Len returns the number of keys.
func (ts *TrustStore) Len() int { return len(ts.keys) }

// lookup returns the keys filed under kid.
func (ts *TrustStore) lookup(kid codec.KeyID) []*TrustedKey { return ts.byKid[kid] }

// CheckPublicKey checks that pub is a 32-byte canonical encoding of a point
// on Ed25519 that is not of small order (SPEC.md §9.3). Errors wrap
// ErrTrustStore.
func CheckPublicKey(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: public key is %d bytes, want %d", ErrTrustStore, len(pub), ed25519.PublicKeySize)
	}
	p, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return fmt.Errorf("%w: public key is not a point on Ed25519", ErrTrustStore)
	}
	if !bytes.Equal(p.Bytes(), pub) {
		return fmt.Errorf("%w: public key is not canonically encoded", ErrTrustStore)
	}
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		return fmt.Errorf("%w: public key is of small order", ErrTrustStore)
	}
	return nil
}

// jwk is the JSON form of one key (SPEC.md §9.1).
type jwk struct {
	Kty    string `json:"kty"`
	Crv    string `json:"crv"`
	X      string `json:"x"`
	D      string `json:"d,omitempty"`
	Kid    string `json:"kid"`
	Alg    string `json:"alg,omitempty"`
	Use    string `json:"use,omitempty"`
	Issuer string `json:"issuer,omitempty"`
	Nbf    *int64 `json:"nbf,omitempty"`
	Exp    *int64 `json:"exp,omitempty"`
}

type jwkSet struct {
	Keys []json.RawMessage `json:"keys"`
}

var b64 = base64.RawURLEncoding.Strict()

// ParseJWKSet parses a JWK Set. Members it does not know are ignored, as RFC
// 7517 asks; a key that is not a valid Ed25519 public key, that carries a
// private part ("d"), or whose kid is not 8 bytes of unpadded base64url is an
// error wrapping ErrTrustStore that names the key by its index.
func ParseJWKSet(b []byte) (*TrustStore, error) {
	var set jwkSet
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("%w: not a JWK Set: %v", ErrTrustStore, err)
	}
	if set.Keys == nil {
		return nil, fmt.Errorf("%w: no \"keys\" member", ErrTrustStore)
	}
	ts := NewTrustStore()
	for i, raw := range set.Keys {
		k, err := parseJWK(raw)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
		if err := ts.Add(k); err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
	}
	return ts, nil
}

// jwkMembers are the member names parseJWK reads; others are ignored.
var jwkMembers = map[string]bool{"kty": true, "crv": true, "x": true, "d": true, "kid": true,
	"alg": true, "use": true, "issuer": true, "nbf": true, "exp": true}

// exactMembers returns the members of the JSON object raw whose names are
// in jwkMembers, matched exactly (encoding/json alone would match names
// case-insensitively). A member name given twice is an error.
func exactMembers(raw json.RawMessage) (map[string]json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // '{'
		return nil, err
	}
	seen := make(map[string]bool, len(all))
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		if seen[name] {
			return nil, fmt.Errorf("member %q appears twice", name)
		}
		seen[name] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	out := make(map[string]json.RawMessage, len(jwkMembers))
	for name, v := range all {
		if jwkMembers[name] {
			out[name] = v
		}
	}
	return out, nil
}

func parseJWK(raw json.RawMessage) (TrustedKey, error) {
	members, err := exactMembers(raw)
	if err != nil {
		return TrustedKey{}, fmt.Errorf("%w: %v", ErrTrustStore, err)
	}
	if _, ok := members["d"]; ok {
		return TrustedKey{}, fmt.Errorf("%w: key has a private part (\"d\"); a trust store holds public keys only", ErrTrustStore)
	}
	exact, err := json.Marshal(members)
	if err != nil {
		return TrustedKey{}, fmt.Errorf("%w: %v", ErrTrustStore, err)
	}
	var j jwk
	if err := json.Unmarshal(exact, &j); err != nil {
		return TrustedKey{}, fmt.Errorf("%w: %v", ErrTrustStore, err)
	}
	switch {
	case j.D != "":
		return TrustedKey{}, fmt.Errorf("%w: key has a private part (\"d\"); a trust store holds public keys only", ErrTrustStore)
	case j.Kty != "OKP":
		return TrustedKey{}, fmt.Errorf("%w: kty is %q, want \"OKP\"", ErrTrustStore, j.Kty)
	case j.Crv != "Ed25519":
		return TrustedKey{}, fmt.Errorf("%w: crv is %q, want \"Ed25519\"", ErrTrustStore, j.Crv)
	case j.Alg != "" && j.Alg != "EdDSA":
		return TrustedKey{}, fmt.Errorf("%w: alg is %q, want \"EdDSA\"", ErrTrustStore, j.Alg)
	case j.Use != "" && j.Use != "sig":
		return TrustedKey{}, fmt.Errorf("%w: use is %q, want \"sig\"", ErrTrustStore, j.Use)
	}
	x, err := b64.DecodeString(j.X)
	if err != nil {
		return TrustedKey{}, fmt.Errorf("%w: x is not unpadded base64url: %v", ErrTrustStore, err)
	}
	kid, err := b64.DecodeString(j.Kid)
	if err != nil || len(kid) != codec.KeyIDSize {
		return TrustedKey{}, fmt.Errorf("%w: kid %q is not %d bytes of unpadded base64url", ErrTrustStore, j.Kid, codec.KeyIDSize)
	}
	k := TrustedKey{Public: x, Issuer: j.Issuer}
	copy(k.KeyID[:], kid)
	if j.Nbf != nil {
		k.NotBefore = time.Unix(*j.Nbf, 0).UTC()
	}
	if j.Exp != nil {
		k.NotAfter = time.Unix(*j.Exp, 0).UTC()
	}
	return k, nil
}

// MarshalJWKSet returns the store as an indented JWK Set, keys in the order
// they were added.
func (ts *TrustStore) MarshalJWKSet() ([]byte, error) {
	keys := make([]jwk, len(ts.keys))
	for i, k := range ts.keys {
		keys[i] = jwk{
			Kty: "OKP", Crv: "Ed25519", Alg: "EdDSA", Use: "sig",
			X:      b64.EncodeToString(k.Public),
			Kid:    b64.EncodeToString(k.KeyID[:]),
			Issuer: k.Issuer,
		}
		if !k.NotBefore.IsZero() {
			v := k.NotBefore.Unix()
			keys[i].Nbf = &v
		}
		if !k.NotAfter.IsZero() {
			v := k.NotAfter.Unix()
			keys[i].Exp = &v
		}
	}
	b, err := json.MarshalIndent(struct {
		Keys []jwk `json:"keys"`
	}{keys}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// KeyIDString returns the unpadded base64url form of kid, as written in a
// JWK Set.
func KeyIDString(kid codec.KeyID) string { return b64.EncodeToString(kid[:]) }
