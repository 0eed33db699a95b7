package verify

import (
	"bytes"
	"crypto/ed25519"
	"sync"
	"testing"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/sign"
)

// t0 is the issue time of the fixture codes.
var t0 = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)

const week = 7 * 24 * time.Hour

// seedKey returns the issuer key with the 32-byte seed of b repeated.
func seedKey(b byte) *sign.Key {
	return sign.NewKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize)))
}

const testIDNumber = "11010519491231002X"

func testID(t testing.TB) identity.ID {
	t.Helper()
	id, err := identity.ParseID(testIDNumber, t0)
	if err != nil {
		t.Fatalf("ParseID(%q) = %v", testIDNumber, err)
	}
	return id
}

var (
	hashOnce sync.Once
	testHash identity.Hash
)

// fixtureClaims returns green personal claims for testIDNumber issued at t0
// for 7 days. The identity hash is computed once.
func fixtureClaims(t testing.TB) codec.Claims {
	hashOnce.Do(func() {
		testHash = identity.HashID(testID(t), [identity.SaltSize]byte{1, 2, 3})
	})
	return codec.Claims{
		IssuedAt:  t0,
		ExpiresAt: t0.Add(week),
		Serial:    [codec.SerialSize]byte{9, 8, 7},
		Colour:    codec.Green,
		Kind:      codec.Personal,
		Identity:  testHash,
	}
}

// signClaims signs c with the key of seed byte seed (seedKey) without the
// issuer's window check, so that tests can make codes the issuer refuses.
func signClaims(t testing.TB, seed byte, c codec.Claims) string {
	t.Helper()
	payload, err := codec.MarshalClaims(&c)
	if err != nil {
		t.Fatalf("MarshalClaims(%+v) = %v", c, err)
	}
	k := seedKey(seed)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	prot := format.AppendProtected(nil, k.KeyID())
	sig := ed25519.Sign(priv, format.AppendSigStructure(nil, prot, payload))
	return encode(&codec.Code{Protected: prot, Payload: payload, Signature: sig})
}

// encode returns the text of c's COSE_Sign1 parts.
func encode(c *codec.Code) string {
	return format.EncodeText(codec.Prefix, format.AppendMessage(nil, c.Protected, c.Payload, c.Signature))
}

// storeOf returns a trust store holding the keys filed under their own kid.
func storeOf(t testing.TB, keys ...*sign.Key) *TrustStore {
	t.Helper()
	ts := newTrustStore()
	for _, k := range keys {
		if err := ts.add(trustedKey{KeyID: k.KeyID(), Public: k.Public()}); err != nil {
			t.Fatalf("Add(%x) = %v", k.Public(), err)
		}
	}
	return ts
}

// reencode decodes text, lets mod change the message and returns the new
// text.
func reencode(t testing.TB, text string, mod func(*codec.Code)) string {
	t.Helper()
	c, err := codec.Decode(text)
	if err != nil {
		t.Fatalf("codec.Decode(%q) = %v", text, err)
	}
	c.Signature = bytes.Clone(c.Signature)
	mod(c)
	return encode(c)
}
