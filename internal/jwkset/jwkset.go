// Package jwkset reads and writes the JWK Set files of issuer keys
// (SPEC.md §9): the loading rules of §9.1, with the reason a set is refused
// as the trust-store vectors name it (§10.5), and the writing of a set that
// keeps the members offcode does not know. verify.ParseJWKSet uses Parse;
// the offcode command writes trust files with Marshal and Add.
package jwkset

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/edcheck"
)

// Key is one issuer public key of a JWK Set (SPEC.md §9.1).
type Key struct {
	// KeyID is the kid the set files the key under, as written in the
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

// ErrInvalid is wrapped by every error of Parse, Add and Marshal about the
// set itself.
var ErrInvalid = errors.New("verify: invalid trust store")

// Error is a JWK Set refused by SPEC.md §9.1, with the reason the
// trust-store vectors name (§10.5). It wraps ErrInvalid.
type Error struct {
	Reason string // one of SPEC.md §9.1's bracketed names
	Detail string
}

// Error returns the message of ErrInvalid with the detail.
func (e *Error) Error() string { return fmt.Sprintf("%v: %s", ErrInvalid, e.Detail) }

// Unwrap returns ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }

// Reasons is the closed set of Error reasons (SPEC.md §9.1, §10.5).
var Reasons = []string{"not_json", "duplicate_member", "no_keys", "missing_member",
	"private_key", "bad_member_type", "bad_value", "bad_public_key", "bad_kid", "bad_period"}

func refuse(reason, format string, args ...any) error {
	return &Error{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// CheckPublicKey checks that pub is a 32-byte canonical encoding of a point
// on Ed25519 that is not of small order (SPEC.md §9.3). Errors wrap
// ErrInvalid.
func CheckPublicKey(pub ed25519.PublicKey) error {
	if err := edcheck.PublicKey(pub); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return nil
}

// Parse parses a JWK Set by the loading rules of SPEC.md §9.1, keys in
// their order in the set. Members it does not know are ignored, as RFC
// 7517 asks; anything the rules refuse (a member name twice in any object,
// a key with a private part "d", a member of the wrong JSON type, an nbf or
// exp that is not a plain integer NumericDate, a public key that fails
// §9.3, a kid that is not 8 bytes of unpadded base64url, ...) refuses the
// whole set, with an *Error that names the key by its index.
func Parse(b []byte) ([]Key, error) {
	if err := checkJSON(b); err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, refuse("not_json", "not a JWK Set: not a JSON object: %v", err)
	}
	var raws []json.RawMessage
	raw, ok := top["keys"]
	if !ok || len(raw) == 0 || raw[0] != '[' {
		return nil, refuse("no_keys", "no \"keys\" array")
	}
	if err := json.Unmarshal(raw, &raws); err != nil {
		return nil, refuse("no_keys", "\"keys\": %v", err)
	}
	keys := make([]Key, 0, len(raws))
	for i, raw := range raws {
		k, err := parseJWK(raw)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
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

// maxNumericDate is 9999-12-31T23:59:59Z, the largest nbf or exp (SPEC.md §9.1).
const maxNumericDate = 253402300799

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
func parseJWK(raw json.RawMessage) (Key, error) {
	m, err := exactMembers(raw)
	if err != nil {
		return Key{}, err
	}
	for _, name := range []string{"kty", "crv", "x", "kid"} {
		if _, ok := m[name]; !ok {
			return Key{}, refuse("missing_member", "key has no %q member", name)
		}
	}
	if _, ok := m["d"]; ok {
		return Key{}, refuse("private_key", "key has a private part (\"d\"); a trust store holds public keys only")
	}
	str := make(map[string]string, len(jwkStrings))
	for _, name := range jwkStrings {
		v, ok := m[name]
		if !ok {
			continue
		}
		var s string
		if len(v) == 0 || v[0] != '"' || json.Unmarshal(v, &s) != nil {
			return Key{}, refuse("bad_member_type", "%s is not a JSON string", name)
		}
		str[name] = s
	}
	_, hasAlg := m["alg"]
	_, hasUse := m["use"]
	switch {
	case str["kty"] != "OKP":
		return Key{}, refuse("bad_value", "kty is %q, want \"OKP\"", str["kty"])
	case str["crv"] != "Ed25519":
		return Key{}, refuse("bad_value", "crv is %q, want \"Ed25519\"", str["crv"])
	case hasAlg && str["alg"] != "EdDSA":
		return Key{}, refuse("bad_value", "alg is %q, want \"EdDSA\"", str["alg"])
	case hasUse && str["use"] != "sig":
		return Key{}, refuse("bad_value", "use is %q, want \"sig\"", str["use"])
	}
	x, err := b64.DecodeString(str["x"])
	if err != nil {
		return Key{}, refuse("bad_public_key", "x is not unpadded base64url: %v", err)
	}
	if err := edcheck.PublicKey(x); err != nil {
		return Key{}, &Error{Reason: "bad_public_key", Detail: err.Error()}
	}
	kid, err := b64.DecodeString(str["kid"])
	if err != nil || len(kid) != codec.KeyIDSize {
		return Key{}, refuse("bad_kid", "kid %q is not %d bytes of unpadded base64url", str["kid"], codec.KeyIDSize)
	}
	k := Key{Public: x, Issuer: str["issuer"]}
	copy(k.KeyID[:], kid)
	if v, ok := m["nbf"]; ok {
		if k.NotBefore, err = numericDate("nbf", v); err != nil {
			return Key{}, err
		}
	}
	if v, ok := m["exp"]; ok {
		if k.NotAfter, err = numericDate("exp", v); err != nil {
			return Key{}, err
		}
	}
	if !k.NotBefore.IsZero() && !k.NotAfter.IsZero() && k.NotAfter.Before(k.NotBefore) {
		return Key{}, refuse("bad_period", "exp is before nbf")
	}
	return k, nil
}

// Marshal returns keys as an indented JWK Set, in their order. A JWK Set
// holds keys and periods only (SPEC.md §9.1). The result is checked with
// Parse; errors wrap ErrInvalid.
func Marshal(keys []Key) ([]byte, error) {
	out := make([]jwk, len(keys))
	for i, k := range keys {
		if err := CheckPublicKey(k.Public); err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
		out[i] = jwk{
			Kty: "OKP", Crv: "Ed25519", Alg: "EdDSA", Use: "sig",
			X:      b64.EncodeToString(k.Public),
			Kid:    b64.EncodeToString(k.KeyID[:]),
			Issuer: k.Issuer,
		}
		if !k.NotBefore.IsZero() {
			v := k.NotBefore.Unix()
			out[i].Nbf = &v
		}
		if !k.NotAfter.IsZero() {
			v := k.NotAfter.Unix()
			out[i].Exp = &v
		}
	}
	b, err := json.MarshalIndent(struct {
		Keys []jwk `json:"keys"`
	}{out}, "", "  ")
	if err != nil {
		return nil, err
	}
	b = append(b, '\n')
	if _, err := Parse(b); err != nil {
		return nil, err
	}
	return b, nil
}

// Add returns the JWK Set document set with k appended to its keys,
// keeping every other member of the set and of its keys as written,
// including members offcode does not know (RFC 7517 §4). A nil or empty set
// is a new JWK Set. If the set already holds k's public key under k's kid,
// Add returns set unchanged and false. The result is checked with Parse;
// errors wrap ErrInvalid.
func Add(set []byte, k Key) ([]byte, bool, error) {
	members := map[string]json.RawMessage{}
	keys := []json.RawMessage{}
	if len(bytes.TrimSpace(set)) > 0 {
		held, err := Parse(set)
		if err != nil {
			return nil, false, err
		}
		for _, old := range held {
			if old.KeyID == k.KeyID && bytes.Equal(old.Public, k.Public) {
				return set, false, nil
			}
		}
		if err := json.Unmarshal(set, &members); err != nil {
			return nil, false, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if err := json.Unmarshal(members["keys"], &keys); err != nil {
			return nil, false, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	}
	b, err := Marshal([]Key{k})
	if err != nil {
		return nil, false, err
	}
	var added struct{ Keys []json.RawMessage }
	if err := json.Unmarshal(b, &added); err != nil {
		return nil, false, err
	}
	if members["keys"], err = json.Marshal(append(keys, added.Keys...)); err != nil {
		return nil, false, err
	}
	out, err := json.MarshalIndent(members, "", "  ")
	if err != nil {
		return nil, false, err
	}
	out = append(out, '\n')
	if _, err := Parse(out); err != nil {
		return nil, false, fmt.Errorf("%w: the new set does not parse (a bug): %v", ErrInvalid, err)
	}
	return out, true, nil
}
