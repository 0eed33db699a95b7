package verify

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/edcheck"
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

	// From a bundle (FromBundle): the kinds the key may sign (nil: any)
	// and whether it is compromised (SPEC.md §13.5).
	kinds       []codec.Kind
	compromised bool
}

// validAt reports whether a code issued at iat falls in the key's period.
func (k *TrustedKey) validAt(iat time.Time) bool {
	return (k.NotBefore.IsZero() || !iat.Before(k.NotBefore)) &&
		(k.NotAfter.IsZero() || !iat.After(k.NotAfter))
}

// allows checks that k may have signed c: its status, its period, and the
// kinds it may sign, in that order (SPEC.md §8 step 9, §13.5).
func (k *TrustedKey) allows(c *codec.Code) error {
	switch iat := c.Claims.IssuedAt; {
	case k.compromised:
		return fmt.Errorf("%w: key %s", ErrKeyRevoked, KeyIDString(k.KeyID))
	case !k.validAt(iat):
		return fmt.Errorf("%w: iat %s, key valid %s", ErrKeyNotValid, stamp(iat), period(k))
	case k.kinds != nil && !slices.Contains(k.kinds, c.Claims.Kind):
		return fmt.Errorf("%w: key %s signs %v codes, this one is %s", ErrKindNotAllowed, KeyIDString(k.KeyID), k.kinds, c.Claims.Kind)
	}
	return nil
}

func period(k *TrustedKey) string {
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
	keys   []*TrustedKey
	byKid  map[codec.KeyID][]*TrustedKey
	bundle *bundle.Bundle // nil for a JWK Set
}

// FromBundle returns the trust of a device holding the full bundle b
// (SPEC.md §13.9): its issuer keys, each with its period, kinds and status,
// its revoked codes and people, and its expiry, by which a Verifier tells
// how stale it is. b must not change while the store is in use. It fails
// for a delta bundle, which only updates a full one (bundle.State.Accept).
func FromBundle(b *bundle.Bundle) (*TrustStore, error) {
	if b.Delta != nil {
		return nil, fmt.Errorf("%w: a delta bundle cannot verify codes; apply it to the full bundle held", ErrTrustStore)
	}
	ts := NewTrustStore()
	for _, k := range b.Keys {
		tk := TrustedKey{KeyID: k.KeyID, Public: k.Public, Issuer: k.Issuer, NotBefore: k.NotBefore, NotAfter: k.NotAfter,
			kinds: k.Kinds, compromised: k.Status == bundle.Compromised}
		if err := ts.Add(tk); err != nil {
			return nil, err
		}
	}
	ts.bundle = b
	return ts, nil
}

// NewTrustStore returns an empty trust store.
func NewTrustStore() *TrustStore {
	return &TrustStore{byKid: make(map[codec.KeyID][]*TrustedKey)}
}

// Add adds k after checking its public key (checkPublicKey) and period.
// It is not safe to call Add concurrently with verification.
func (ts *TrustStore) Add(k TrustedKey) error {
	if err := checkPublicKey(k.Public); err != nil {
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

// checkPublicKey checks that pub is a 32-byte canonical encoding of a point
// on Ed25519 that is not of small order (SPEC.md §9.3). Errors wrap
// ErrTrustStore.
func checkPublicKey(pub ed25519.PublicKey) error {
	if err := edcheck.PublicKey(pub); err != nil {
		return fmt.Errorf("%w: %v", ErrTrustStore, err)
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

var b64 = base64.RawURLEncoding.Strict()

// loadError is a trust store refused by SPEC.md §9.1, with the reason the
// trust-store vectors name (§10.5). It wraps ErrTrustStore.
type loadError struct {
	reason string // one of SPEC.md §9.1's bracketed names
	detail string
}

func (e *loadError) Error() string { return fmt.Sprintf("%v: %s", ErrTrustStore, e.detail) }
func (e *loadError) Unwrap() error { return ErrTrustStore }

func refuse(reason, format string, args ...any) error {
	return &loadError{reason: reason, detail: fmt.Sprintf(format, args...)}
}

// maxNumericDate is 9999-12-31T23:59:59Z, the largest nbf or exp (SPEC.md §9.1).
const maxNumericDate = 253402300799

// ParseJWKSet parses a JWK Set by the loading rules of SPEC.md §9.1.
// Members it does not know are ignored, as RFC 7517 asks; anything the rules
// refuse (a member name twice in any object, a key with a private part "d",
// a member of the wrong JSON type, an nbf or exp that is not a plain integer
// NumericDate, a public key that fails §9.3, a kid that is not 8 bytes of
// unpadded base64url, ...) refuses the whole set, with an error wrapping
// ErrTrustStore that names the key by its index.
func ParseJWKSet(b []byte) (*TrustStore, error) {
	if err := checkJSON(b); err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, refuse("not_json", "not a JWK Set: not a JSON object: %v", err)
	}
	var keys []json.RawMessage
	raw, ok := top["keys"]
	if !ok || len(raw) == 0 || raw[0] != '[' {
		return nil, refuse("no_keys", "no \"keys\" array")
	}
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil, refuse("no_keys", "\"keys\": %v", err)
	}
	ts := NewTrustStore()
	for i, raw := range keys {
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

// checkJSON checks that b is one JSON value in valid UTF-8 in which no
// object, at any depth, has a member name twice (SPEC.md §9.1).
func checkJSON(b []byte) error {
	if !utf8.Valid(b) {
		return refuse("not_json", "not a JWK Set: not valid UTF-8")
	}
	if !json.Valid(b) {
		return refuse("not_json", "not a JWK Set: not one JSON value")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	// One frame per open array or object; objects track the names seen.
	type frame struct {
		names  map[string]bool
		isName bool // the next token of this object is a member name
	}
	var stack []frame
	for {
		t, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return refuse("not_json", "%v", err)
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && top.names != nil && top.isName {
			if d, ok := t.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			name := t.(string)
			if top.names[name] {
				return refuse("duplicate_member", "member %q appears twice in one object", name)
			}
			top.names[name] = true
			top.isName = false
			continue
		}
		if top != nil && top.names != nil {
			top.isName = true // this token is (or opens) a member value
		}
		if d, ok := t.(json.Delim); ok {
			switch d {
			case '{':
				stack = append(stack, frame{names: make(map[string]bool), isName: true})
			case '[':
				stack = append(stack, frame{})
			case ']', '}':
				stack = stack[:len(stack)-1]
			}
		}
	}
}

// jwkStrings are the members that must be JSON strings when present;
// parseJWK ignores every member it does not read.
var jwkStrings = []string{"kty", "crv", "x", "kid", "alg", "use", "issuer"}

// exactMembers returns the members of the JSON object raw, by name, matched
// exactly (encoding/json alone would match names case-insensitively).
func exactMembers(raw json.RawMessage) (map[string]json.RawMessage, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, refuse("no_keys", "a key is not a JSON object")
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, refuse("not_json", "%v", err)
	}
	return all, nil
}

// numericDate parses a JWK nbf or exp: digits only, 0..maxNumericDate.
func numericDate(name string, raw json.RawMessage) (time.Time, error) {
	s := string(raw)
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return time.Time{}, refuse("bad_period", "%s is not a non-negative JSON integer without fraction or exponent", name)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > maxNumericDate {
		return time.Time{}, refuse("bad_period", "%s is beyond %d (9999-12-31T23:59:59Z)", name, maxNumericDate)
	}
	return time.Unix(int64(n), 0).UTC(), nil
}

// parseJWK parses one key by SPEC.md §9.1, checking in the order listed there.
func parseJWK(raw json.RawMessage) (TrustedKey, error) {
	m, err := exactMembers(raw)
	if err != nil {
		return TrustedKey{}, err
	}
	for _, name := range []string{"kty", "crv", "x", "kid"} {
		if _, ok := m[name]; !ok {
			return TrustedKey{}, refuse("missing_member", "key has no %q member", name)
		}
	}
	if _, ok := m["d"]; ok {
		return TrustedKey{}, refuse("private_key", "key has a private part (\"d\"); a trust store holds public keys only")
	}
	str := make(map[string]string, len(jwkStrings))
	for _, name := range jwkStrings {
		v, ok := m[name]
		if !ok {
			continue
		}
		var s string
		if len(v) == 0 || v[0] != '"' || json.Unmarshal(v, &s) != nil {
			return TrustedKey{}, refuse("bad_member_type", "%s is not a JSON string", name)
		}
		str[name] = s
	}
	_, hasAlg := m["alg"]
	_, hasUse := m["use"]
	switch {
	case str["kty"] != "OKP":
		return TrustedKey{}, refuse("bad_value", "kty is %q, want \"OKP\"", str["kty"])
	case str["crv"] != "Ed25519":
		return TrustedKey{}, refuse("bad_value", "crv is %q, want \"Ed25519\"", str["crv"])
	case hasAlg && str["alg"] != "EdDSA":
		return TrustedKey{}, refuse("bad_value", "alg is %q, want \"EdDSA\"", str["alg"])
	case hasUse && str["use"] != "sig":
		return TrustedKey{}, refuse("bad_value", "use is %q, want \"sig\"", str["use"])
	}
	x, err := b64.DecodeString(str["x"])
	if err != nil {
		return TrustedKey{}, refuse("bad_public_key", "x is not unpadded base64url: %v", err)
	}
	if err := checkPublicKey(x); err != nil {
		return TrustedKey{}, &loadError{reason: "bad_public_key", detail: strings.TrimPrefix(err.Error(), ErrTrustStore.Error()+": ")}
	}
	kid, err := b64.DecodeString(str["kid"])
	if err != nil || len(kid) != codec.KeyIDSize {
		return TrustedKey{}, refuse("bad_kid", "kid %q is not %d bytes of unpadded base64url", str["kid"], codec.KeyIDSize)
	}
	k := TrustedKey{Public: x, Issuer: str["issuer"]}
	copy(k.KeyID[:], kid)
	if v, ok := m["nbf"]; ok {
		if k.NotBefore, err = numericDate("nbf", v); err != nil {
			return TrustedKey{}, err
		}
	}
	if v, ok := m["exp"]; ok {
		if k.NotAfter, err = numericDate("exp", v); err != nil {
			return TrustedKey{}, err
		}
	}
	if !k.NotBefore.IsZero() && !k.NotAfter.IsZero() && k.NotAfter.Before(k.NotBefore) {
		return TrustedKey{}, refuse("bad_period", "exp is before nbf")
	}
	return k, nil
}

// MarshalJWKSet returns the store as an indented JWK Set, keys in the order
// they were added. A JWK Set holds keys and periods only: the kinds, status
// and revocations of a store made by FromBundle are not in it.
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
