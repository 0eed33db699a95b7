package bundlewire

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
)

// TestSignParse checks that ParseEnvelope splits what Sign writes into its
// parts, and refuses it with a byte cut off or added.
func TestSignParse(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	sum := sha256.Sum256(priv.Public().(ed25519.PublicKey))
	var kid [8]byte
	copy(kid[:], sum[:])
	payload := []byte{0xa1, 0x01, 0x01}
	signed := Sign(payload, kid, priv)
	e, err := ParseEnvelope(signed)
	if err != nil {
		t.Fatalf("ParseEnvelope(Sign(...)) = %v", err)
	}
	if e.KeyID != kid || !bytes.Equal(e.Payload, payload) || !bytes.Equal(e.Protected, Protected(kid)) || len(e.Signature) != ed25519.SignatureSize {
		t.Fatalf("ParseEnvelope(Sign(...)) = %+v", e)
	}
	if _, err := ParseEnvelope(signed[:len(signed)-1]); err == nil {
		t.Fatal("ParseEnvelope of a truncated bundle succeeded")
	}
	if _, err := ParseEnvelope(append(bytes.Clone(signed), 0)); err == nil {
		t.Fatal("ParseEnvelope with a trailing byte succeeded")
	}
}

// TestSubtract checks the set difference of sorted entry lists.
func TestSubtract(t *testing.T) {
	e := func(b ...byte) []byte { return append(b, make([]byte, HashSize-len(b))...) }
	cat := func(es ...[]byte) []byte { return bytes.Join(es, nil) }
	a := cat(e(1), e(2), e(3), e(5))
	b := cat(e(2), e(4), e(5))
	if got, want := Subtract(a, b, HashSize), cat(e(1), e(3)); !bytes.Equal(got, want) {
		t.Fatalf("Subtract = %x, want %x", got, want)
	}
	if got := Subtract(b, b, HashSize); len(got) != 0 {
		t.Fatalf("Subtract(b, b) = %x, want empty", got)
	}
}

// TestDecodeStrict checks that Decode refuses a payload with a null where
// a list belongs, which the CBOR decoder alone would read as empty.
func TestDecodeStrict(t *testing.T) {
	p, err := Encode(&Payload{Version: 1, Sequence: 1, IssuedAt: 1, ExpiresAt: 2, Keys: []Key{}, Serials: []byte{}, Identities: []byte{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(p); err != nil {
		t.Fatalf("Decode(Encode(...)) = %v", err)
	}
	null := bytes.Replace(p, []byte{0x06, 0x40}, []byte{0x06, 0xf6}, 1)
	if bytes.Equal(null, p) {
		t.Fatal("no serials field to replace")
	}
	if _, err := Decode(null); err == nil {
		t.Fatal("Decode with a null serials list succeeded")
	}
}
