package sign_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/verify"
)

func ExampleKey_Issue() {
	// An issuer key. In production: sign.GenerateKey(rand.Reader), kept in a
	// file written by sign.WriteKeyFile.
	key := sign.NewKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize)))

	at := time.Date(2026, 3, 1, 9, 30, 0, 0, identity.Beijing())
	id, err := identity.ParseID("11010519491231002X", at)
	if err != nil {
		panic(err)
	}
	// The salt and serial come from rand; in production crypto/rand.Reader.
	rand := bytes.NewReader(bytes.Repeat([]byte{7}, identity.SaltSize+codec.SerialSize))
	claims, err := sign.NewClaims(rand, id, codec.Green, codec.Personal, at)
	if err != nil {
		panic(err)
	}
	text, err := key.Issue(claims)
	if err != nil {
		panic(err)
	}
	fmt.Println(text[:len(codec.Prefix)], len(text) < 300)

	// A checkpoint trusts the issuer's public key, published as a JWK Set
	// (SPEC.md §9), and verifies offline.
	jwks := fmt.Sprintf(`{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": %q, "kid": %q}]}`,
		base64.RawURLEncoding.EncodeToString(key.Public()), key.KeyID())
	trust, err := verify.ParseJWKSet([]byte(jwks))
	if err != nil {
		panic(err)
	}
	r, err := verify.New(trust).Verify(text, at.Add(time.Hour))
	fmt.Println(verify.VerdictOf(err), r.Code.Claims.Colour, r.Code.Claims.ExpiresAt.In(identity.Beijing()).Format(time.DateTime))
	// Output:
	// OC1: true
	// valid green 2026-03-08 09:30:00
}
