package verify_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/verify"
)

func ExampleVerifier_Verify() {
	// The issuer's side: a key and a yellow code issued at a fixed time.
	key := sign.NewKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize)))
	issued := time.Date(2026, 3, 1, 9, 30, 0, 0, identity.Beijing())
	id, _ := identity.ParseID("11010519491231002X", issued)
	rand := bytes.NewReader(bytes.Repeat([]byte{7}, identity.SaltSize+codec.SerialSize))
	claims, _ := sign.NewClaims(rand, id, codec.Yellow, codec.Personal, issued)
	text, _ := key.Issue(claims)

	// The checkpoint's side: the trust store comes as a JWK Set of the
	// issuer's public keys (SPEC.md §9).
	jwks := fmt.Sprintf(`{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": %q, "kid": %q, "issuer": "example"}]}`,
		base64.RawURLEncoding.EncodeToString(key.Public()), key.KeyID())
	trust, err := verify.ParseJWKSet([]byte(jwks))
	if err != nil {
		panic(err)
	}
	v := verify.New(trust)

	for _, now := range []time.Time{
		issued.Add(time.Hour),
		issued.Add(7*24*time.Hour + time.Second),
		issued.Add(-time.Hour),
	} {
		r, err := v.Verify(text, now)
		fmt.Println(r.Verdict, r.Code.Claims.Colour, errors.Is(err, verify.Expired))
	}

	// With an ID card presented: one Argon2id evaluation.
	r, _ := v.Verify(text, issued.Add(time.Hour))
	fmt.Println(verify.VerdictOf(verify.MatchID(r.Code, id)))
	other, _ := identity.ParseID("440304198001011239", issued)
	fmt.Println(verify.VerdictOf(verify.MatchID(r.Code, other)))
	// Output:
	// valid yellow false
	// expired yellow true
	// not_yet_valid yellow false
	// valid
	// id_mismatch
}

func ExampleVerdictOf() {
	trust, err := verify.ParseJWKSet([]byte(`{"keys": []}`))
	if err != nil {
		panic(err)
	}
	_, err = verify.New(trust).Verify("HC1:6BFOXN", time.Now())
	fmt.Println(verify.VerdictOf(err))
	fmt.Println(err)
	// Output:
	// bad_prefix
	// codec: wrong or missing prefix: text does not start with "OC1:"
}

// A checkpoint device holds the trust bundle it last synced; the three calls
// are the same as with a JWK Set.
func Example_device() {
	// The root holder's side: a bundle trusting the issuer key, signed.
	issued := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	key := sign.NewKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize)))
	root := bundle.NewRootKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, ed25519.SeedSize)))
	b := &bundle.Bundle{Sequence: 1, IssuedAt: issued, ExpiresAt: issued.Add(30 * 24 * time.Hour)}
	b.AddKey(bundle.Key{Public: key.Public(), NotBefore: issued, NotAfter: issued.AddDate(1, 0, 0)})
	signed, _ := bundle.Sign(b, root)
	id, _ := identity.ParseID("11010519491231002X", issued)
	claims, _ := sign.NewClaims(bytes.NewReader(make([]byte, 64)), id, codec.Green, codec.Personal, issued)
	text, _ := key.Issue(claims)

	// The device: provisioned with the root public key, it accepts the
	// bundle (bundle.OpenState(dir, roots...) keeps it on disk).
	state := bundle.State{Roots: []ed25519.PublicKey{root.Public()}}
	if err := state.Accept(signed); err != nil {
		panic(err)
	}

	// The three calls.
	trust, err := verify.FromBundle(state.Bundle)
	if err != nil {
		panic(err)
	}
	v := verify.New(trust)
	r, _ := v.Verify(text, issued.Add(time.Hour))
	fmt.Println(r.Verdict, r.Code.Claims.Colour, r.Sequence)

	// Forty days on, a fresh code: the bundle has been expired for ten
	// days, past the grace period, so the device must sync first.
	later := issued.Add(40 * 24 * time.Hour)
	claims, _ = sign.NewClaims(bytes.NewReader(make([]byte, 64)), id, codec.Green, codec.Personal, later)
	fresh, _ := key.Issue(claims)
	r, err = v.Verify(fresh, later.Add(time.Hour))
	fmt.Println(r.Verdict, r.Stale)
	fmt.Println(err)
	// Output:
	// valid green 1
	// stale_trust 241h0m0s
	// verify: trust bundle expired at 2026-03-31T09:30:00Z, 241h0m0s ago (grace 72h0m0s); sync the device
}
