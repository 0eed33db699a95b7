package codec

import (
	"crypto/ed25519"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

// hx decodes hex written with optional spaces, for hand-made CBOR.
func hx(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic("hx(" + s + "): " + err.Error())
	}
	return b
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// bstr returns b as a CBOR byte string with a shortest-form head. It is
// written independently of appendHead so the tests check it.
func bstr(b []byte) []byte {
	n := len(b)
	var h []byte
	switch {
	case n < 24:
		h = []byte{0x40 | byte(n)}
	case n < 256:
		h = []byte{0x58, byte(n)}
	default:
		h = []byte{0x59, byte(n >> 8), byte(n)}
	}
	return cat(h, b)
}

// The fixture: a yellow kinship code issued at 2026-01-01T00:00:00Z
// (0x6955b900) for 7 days (exp 0x695ef380), written out by hand from
// SPEC.md §4 so that MarshalClaims is checked against the wire format.
const (
	hSalt   = "101112131415161718191a1b1c1d1e1f"
	hSum    = "202120" // 20 bits, the last 4 zero
	hExp    = "04 1a 695ef380"
	hIat    = "06 1a 6955b900"
	hCti    = "07 4c 000102030405060708090a0b"
	hOffKey = "3a 00010000"
	hColour = "01 01"
	hKind   = "02 01"
	hIdent  = "03 83 02 50" + hSalt + "43" + hSum
	hInner  = "a3" + hColour + hKind + hIdent
	hClaims = "a4" + hExp + hIat + hCti + hOffKey + hInner
)

var (
	testIat = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	testKey = ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	testKid = KeyIDOf(testKey.Public().(ed25519.PublicKey))
	// testProt is the protected header {1: -8, 4: kid}, by hand.
	testProt = cat(hx("a2 01 27 04 48"), testKid[:])
)

func testClaims() Claims {
	c := Claims{
		IssuedAt:  testIat,
		ExpiresAt: testIat.Add(7 * 24 * time.Hour),
		Colour:    Yellow,
		Kind:      Kin,
		Identity:  identity.Hash{Version: format.HashVersion},
	}
	copy(c.Serial[:], hx("000102030405060708090a0b"))
	copy(c.Identity.Salt[:], hx(hSalt))
	copy(c.Identity.Sum[:], hx(hSum))
	return c
}

// sign1 returns 18([protected, {}, payload, signature]) with a real
// signature by testKey over protected and payload, built by hand.
func sign1(protected, payload []byte) []byte {
	tbs := cat(hx("84 6a"), []byte("Signature1"), bstr(protected), hx("40"), bstr(payload))
	sig := ed25519.Sign(testKey, tbs)
	return cat(hx("d2 84"), bstr(protected), hx("a0"), bstr(payload), bstr(sig))
}

// testCOSE is the fixture message, signed.
func testCOSE() []byte { return sign1(testProt, hx(hClaims)) }

func mustDecode(t *testing.T, text string) *Code {
	t.Helper()
	c, err := Decode(text)
	if err != nil {
		t.Fatalf("Decode(%q) = %v, want nil", text, err)
	}
	return c
}
