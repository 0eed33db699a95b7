package verify

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"filippo.io/edwards25519"

	"github.com/offcode/offcode/internal/jwkset"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

var (
	// nonCanonicalX encodes y = p + 3: a valid point of large order whose
	// canonical encoding is 03 00 .. 00.
	nonCanonicalX = mustHex("f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	// offCurveX encodes y = 2, for which x² is not a square.
	offCurveX = mustHex("0200000000000000000000000000000000000000000000000000000000000000")
)

func TestTestPointsAreWhatTheySay(t *testing.T) {
	p, err := new(edwards25519.Point).SetBytes(nonCanonicalX)
	if err != nil {
		t.Fatalf("SetBytes(nonCanonicalX) = %v, want a point", err)
	}
	if bytes.Equal(p.Bytes(), nonCanonicalX) {
		t.Fatalf("nonCanonicalX re-encodes to itself, want a different canonical encoding")
	}
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		t.Fatalf("nonCanonicalX is of small order, want large order")
	}
	if _, err := new(edwards25519.Point).SetBytes(offCurveX); err == nil {
		t.Fatalf("SetBytes(offCurveX) = nil error, want not on the curve")
	}
}

func TestCheckPublicKey(t *testing.T) {
	good := seedKey(1).Public()
	tests := []struct {
		name string
		pub  []byte
		ok   bool
	}{
		{"valid", good, true},
		{"empty", nil, false},
		{"31 bytes", good[:31], false},
		{"33 bytes", append(bytes.Clone(good), 0), false},
		{"identity 0100..00", smallOrder[0][:], false},
		{"order 4 all zero", make([]byte, 32), false},
		{"non-canonical y = p + 3", nonCanonicalX, false},
		{"non-canonical identity (x = -0)", mustHex("0100000000000000000000000000000000000000000000000000000000000080"), false},
		{"not on the curve", offCurveX, false},
	}
	for _, tt := range tests {
		err := jwkset.CheckPublicKey(tt.pub)
		if (err == nil) != tt.ok || err != nil && !errors.Is(err, jwkset.ErrInvalid) {
			t.Fatalf("jwkset.CheckPublicKey(%s) = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
	for i, p := range smallOrder {
		if err := jwkset.CheckPublicKey(p[:]); !errors.Is(err, jwkset.ErrInvalid) {
			t.Fatalf("jwkset.CheckPublicKey(smallOrder[%d]) = %v, want %v", i, err, jwkset.ErrInvalid)
		}
	}
}

var b64url = base64.RawURLEncoding

// jwkJSON returns one JWK for k with extra members appended verbatim.
func jwkJSON(x, kid []byte, extra string) string {
	return fmt.Sprintf(`{"kty":"OKP","crv":"Ed25519","x":%q,"kid":%q%s}`, b64url.EncodeToString(x), b64url.EncodeToString(kid), extra)
}

func setJSON(keys ...string) []byte {
	return []byte(`{"keys":[` + strings.Join(keys, ",") + `]}`)
}

func TestParseJWKSet(t *testing.T) {
	k1, k2 := seedKey(1), seedKey(2)
	kid1, kid2 := k1.KeyID(), k2.KeyID()
	b := setJSON(
		jwkJSON(k1.Public(), kid1[:], `,"alg":"EdDSA","use":"sig","issuer":"Xi'an health commission","nbf":1767225600,"exp":1798761600`),
		jwkJSON(k2.Public(), kid2[:], ``),
	)
	ts, err := ParseJWKSet(b)
	if err != nil {
		t.Fatalf("ParseJWKSet(%s) = %v, want nil", b, err)
	}
	if ts.size() != 2 {
		t.Fatalf("ParseJWKSet: Len() = %d, want 2", ts.size())
	}
	keys := ts.list()
	want0 := trustedKey{
		KeyID: kid1, Public: k1.Public(), Issuer: "Xi'an health commission",
		NotBefore: time.Unix(1767225600, 0).UTC(), NotAfter: time.Unix(1798761600, 0).UTC(),
	}
	if !equalKey(keys[0], want0) {
		t.Fatalf("ParseJWKSet: key 0 = %+v, want %+v", keys[0], want0)
	}
	if want1 := (trustedKey{KeyID: kid2, Public: k2.Public()}); !equalKey(keys[1], want1) {
		t.Fatalf("ParseJWKSet: key 1 = %+v, want %+v", keys[1], want1)
	}
	// Keys returns copies.
	keys[0].Issuer = "changed"
	if ts.list()[0].Issuer == "changed" {
		t.Fatalf("Keys() shares its elements with the store")
	}
}

func equalKey(a, b trustedKey) bool {
	return a.KeyID == b.KeyID && a.Public.Equal(b.Public) && a.Issuer == b.Issuer &&
		a.NotBefore.Equal(b.NotBefore) && a.NotAfter.Equal(b.NotAfter)
}

func TestParseJWKSetIgnoresUnknownMembers(t *testing.T) {
	k := seedKey(1)
	kid := k.KeyID()
	b := []byte(`{"comment":"test","keys":[` +
		jwkJSON(k.Public(), kid[:], `,"key_ops":["verify"],"ext":true,"x5c":[],"nested":{"a":[1,2]},"y":"ignored"`) +
		`],"other":null}`)
	ts, err := ParseJWKSet(b)
	if err != nil || ts.size() != 1 || ts.list()[0].KeyID != kid {
		t.Fatalf("ParseJWKSet(unknown members) = %v, %v, want one key", ts, err)
	}
	if ts, err := ParseJWKSet([]byte(`{"keys":[]}`)); err != nil || ts.size() != 0 {
		t.Fatalf("ParseJWKSet(no keys) = %v, %v, want an empty store", ts, err)
	}
}

func TestParseJWKSetErrors(t *testing.T) {
	k := seedKey(1)
	pub := k.Public()
	kid := k.KeyID()
	x := b64url.EncodeToString(pub)
	kidS := b64url.EncodeToString(kid[:])
	one := func(members string) []byte { return setJSON("{" + members + "}") }
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"not JSON", []byte("keys")},
		{"array", []byte(`[]`)},
		{"no keys member", []byte(`{}`)},
		{"keys null", []byte(`{"keys":null}`)},
		{"keys not an array", []byte(`{"keys":{}}`)},
		{"key not an object", []byte(`{"keys":[1]}`)},
		{"private part d", setJSON(jwkJSON(pub, kid[:], `,"d":"`+b64url.EncodeToString(make([]byte, 32))+`"`))},
		{"private part d empty", setJSON(jwkJSON(pub, kid[:], `,"d":""`))},
		{"private part d null", setJSON(jwkJSON(pub, kid[:], `,"d":null`))},
		{"member twice", setJSON(jwkJSON(pub, kid[:], `,"kid":"`+kidS+`"`))},
		{"KTY upper case only", one(`"KTY":"OKP","crv":"Ed25519","x":"` + x + `","kid":"` + kidS + `"`)},
		{"kty EC", one(`"kty":"EC","crv":"Ed25519","x":"` + x + `","kid":"` + kidS + `"`)},
		{"kty missing", one(`"crv":"Ed25519","x":"` + x + `","kid":"` + kidS + `"`)},
		{"crv X25519", one(`"kty":"OKP","crv":"X25519","x":"` + x + `","kid":"` + kidS + `"`)},
		{"crv Ed448", one(`"kty":"OKP","crv":"Ed448","x":"` + x + `","kid":"` + kidS + `"`)},
		{"alg ES256", setJSON(jwkJSON(pub, kid[:], `,"alg":"ES256"`))},
		{"use enc", setJSON(jwkJSON(pub, kid[:], `,"use":"enc"`))},
		{"x padded", one(`"kty":"OKP","crv":"Ed25519","x":"` + x + `=","kid":"` + kidS + `"`)},
		{"x standard alphabet +", one(`"kty":"OKP","crv":"Ed25519","x":"` + x[:42] + `+","kid":"` + kidS + `"`)},
		{"x standard alphabet /", one(`"kty":"OKP","crv":"Ed25519","x":"` + x[:42] + `/","kid":"` + kidS + `"`)},
		{"x bad character", one(`"kty":"OKP","crv":"Ed25519","x":"` + x[:42] + `!","kid":"` + kidS + `"`)},
		{"x missing", one(`"kty":"OKP","crv":"Ed25519","kid":"` + kidS + `"`)},
		{"x 31 bytes", setJSON(jwkJSON(pub[:31], kid[:], ``))},
		{"x not a string", one(`"kty":"OKP","crv":"Ed25519","x":1,"kid":"` + kidS + `"`)},
		{"x all zero (small order)", setJSON(jwkJSON(make([]byte, 32), kid[:], ``))},
		{"x identity 0100..00 (small order)", setJSON(jwkJSON(smallOrder[0][:], kid[:], ``))},
		{"x non-canonical", setJSON(jwkJSON(nonCanonicalX, kid[:], ``))},
		{"x not on the curve", setJSON(jwkJSON(offCurveX, kid[:], ``))},
		{"kid 7 bytes", setJSON(jwkJSON(pub, kid[:7], ``))},
		{"kid 9 bytes", setJSON(jwkJSON(pub, append(kid[:], 0), ``))},
		{"kid 32 bytes", setJSON(jwkJSON(pub, pub, ``))},
		{"kid missing", one(`"kty":"OKP","crv":"Ed25519","x":"` + x + `"`)},
		{"kid padded", one(`"kty":"OKP","crv":"Ed25519","x":"` + x + `","kid":"` + kidS + `="`)},
		{"kid hex", one(`"kty":"OKP","crv":"Ed25519","x":"` + x + `","kid":"` + hex.EncodeToString(kid[:]) + `"`)},
		{"exp before nbf", setJSON(jwkJSON(pub, kid[:], `,"nbf":2000,"exp":1999`))},
		{"nbf as string", setJSON(jwkJSON(pub, kid[:], `,"nbf":"2026-01-01"`))},
		{"nbf fractional", setJSON(jwkJSON(pub, kid[:], `,"nbf":1.5`))},
		{"second key bad", setJSON(jwkJSON(pub, kid[:], ``), jwkJSON(make([]byte, 32), kid[:], ``))},
	}
	for _, tt := range tests {
		ts, err := ParseJWKSet(tt.in)
		if !errors.Is(err, jwkset.ErrInvalid) {
			t.Fatalf("ParseJWKSet(%s: %s) = %v, %v, want %v", tt.name, tt.in, ts, err, jwkset.ErrInvalid)
		}
	}
}

func TestParseJWKSetNamesKey(t *testing.T) {
	k := seedKey(1)
	kid := k.KeyID()
	_, err := ParseJWKSet(setJSON(jwkJSON(k.Public(), kid[:], ``), jwkJSON(k.Public(), kid[:7], ``)))
	if err == nil || !strings.HasPrefix(err.Error(), "key 1: ") {
		t.Fatalf("ParseJWKSet(bad second key) = %v, want an error naming key 1", err)
	}
}

func TestMarshalJWKSetRoundTrip(t *testing.T) {
	k1, k2 := seedKey(1), seedKey(2)
	add := []jwkset.Key{
		{KeyID: k1.KeyID(), Public: k1.Public(), Issuer: "西安市卫健委", NotBefore: t0, NotAfter: t0.Add(365 * 24 * time.Hour)},
		{KeyID: k2.KeyID(), Public: k2.Public()},
		{KeyID: k2.KeyID(), Public: k1.Public(), NotAfter: t0}, // a second key under one kid
	}
	b, err := jwkset.Marshal(add)
	if err != nil {
		t.Fatalf("jwkset.Marshal = %v", err)
	}
	got, err := ParseJWKSet(b)
	if err != nil {
		t.Fatalf("ParseJWKSet(jwkset.Marshal()) = %v, want nil\n%s", err, b)
	}
	if got.size() != len(add) {
		t.Fatalf("ParseJWKSet(jwkset.Marshal()) holds %d keys, want %d", got.size(), len(add))
	}
	for i, k := range got.list() {
		if w := add[i]; !equalKey(k, trustedKey{KeyID: w.KeyID, Public: w.Public, Issuer: w.Issuer, NotBefore: w.NotBefore, NotAfter: w.NotAfter}) {
			t.Fatalf("ParseJWKSet(jwkset.Marshal()) key %d = %+v, want %+v", i, k, add[i])
		}
	}
	for _, m := range []string{`"kty": "OKP"`, `"crv": "Ed25519"`, `"alg": "EdDSA"`, `"use": "sig"`, `"kid": "` + k1.KeyID().String() + `"`} {
		if !bytes.Contains(b, []byte(m)) {
			t.Fatalf("jwkset.Marshal() = %s, want it to contain %s", b, m)
		}
	}
	if bytes.Contains(b, []byte(`"d"`)) {
		t.Fatalf("jwkset.Marshal() = %s, has a private part", b)
	}
}

func TestAdd(t *testing.T) {
	k := seedKey(1)
	ts := newTrustStore()
	pub := bytes.Clone(k.Public())
	if err := ts.add(trustedKey{KeyID: k.KeyID(), Public: pub}); err != nil {
		t.Fatalf("Add = %v, want nil", err)
	}
	pub[0] ^= 1 // the store keeps its own copy
	if got := ts.list()[0].Public; !got.Equal(k.Public()) {
		t.Fatalf("Add kept the caller's slice: key is now %x", got)
	}
	if err := ts.add(trustedKey{KeyID: k.KeyID(), Public: k.Public(), NotBefore: t0, NotAfter: t0.Add(-time.Second)}); !errors.Is(err, jwkset.ErrInvalid) {
		t.Fatalf("Add(exp before nbf) = %v, want %v", err, jwkset.ErrInvalid)
	}
	if err := ts.add(trustedKey{KeyID: k.KeyID(), Public: k.Public(), NotBefore: t0, NotAfter: t0}); err != nil {
		t.Fatalf("Add(exp == nbf) = %v, want nil", err)
	}
	if err := ts.add(trustedKey{KeyID: k.KeyID(), Public: make([]byte, 32)}); !errors.Is(err, jwkset.ErrInvalid) {
		t.Fatalf("Add(small order) = %v, want %v", err, jwkset.ErrInvalid)
	}
	if ts.size() != 2 {
		t.Fatalf("Len() = %d after two good and two bad Adds, want 2", ts.size())
	}
	if got := len(ts.lookup(k.KeyID())); got != 2 {
		t.Fatalf("lookup(kid) = %d keys, want 2", got)
	}
}
