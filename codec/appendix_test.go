package codec_test

import (
	"crypto/ed25519"
	"encoding/hex"
	"testing"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

// TestSpecAppendixA rebuilds the worked example of SPEC.md Appendix A and
// compares every stage with the bytes printed there.
func TestSpecAppendixA(t *testing.T) {
	seed, _ := hex.DecodeString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	key := ed25519.NewKeyFromSeed(seed)
	kid := codec.KeyIDOf(key.Public().(ed25519.PublicKey))
	id, err := identity.ParseID("11010519491231002X", time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var salt [identity.SaltSize]byte
	for i := range salt {
		salt[i] = byte(i)
	}
	c := codec.Claims{
		IssuedAt: time.Unix(1777622400, 0).UTC(), ExpiresAt: time.Unix(1778227200, 0).UTC(),
		Colour: codec.Green, Kind: codec.Personal, Identity: identity.HashID(id, salt),
	}
	for i := range c.Serial {
		c.Serial[i] = 0xa0 + byte(i)
	}
	payload, err := codec.MarshalClaims(&c)
	if err != nil {
		t.Fatal(err)
	}
	prot := codec.MarshalProtected(kid)
	sig := ed25519.Sign(key, format.AppendSigStructure(nil, prot, payload))
	cose := codec.MarshalMessage(&codec.Message{Protected: prot, Payload: payload, Signature: sig})
	for _, tt := range []struct{ name, got, want string }{
		{"kid", hex.EncodeToString(kid[:]), "21fe31dfa154a261"},
		{"sum", hex.EncodeToString(c.Identity.Sum[:]), "869d10"},
		{"payload", hex.EncodeToString(payload), "a4041a69fd9800061a69f45d80074ca0a1a2a3a4a5a6a7a8a9aaab3a00010000a301000200" +
			"03830250000102030405060708090a0b0c0d0e0f43869d10"},
		{"signature", hex.EncodeToString(sig), "860178a515c2927728cbd13b4f91d07f96357ef212eaef589d4a972678d408bf" +
			"9b455cd2d0a2bcec9f079b9d332806f236365802dc801fc265d28d018bd3ff0e"},
		{"text", codec.Encode(cose), "OC1:RRQT 9P60GO0HD4WD6ZHKYNK8CKUZ7FN0/HDW9JWY0YHD- BN-0 DKAPKT K33LMEL-PL/E7V50S30V50HB0:J07D0100KB0*M0DY0W016C1PN1:" +
			"Y16O8N%J27BF.GFBFZX2ANI375DKQT2A5GQN:I82GRH2RBU *J*4JHCFY41ESJ2XB+GQY*NV4KCUJ1L6N*0I%6U5BI*RU04B*C7$HKUH:AW"},
	} {
		if tt.got != tt.want {
			t.Errorf("Appendix A %s = %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	if len(cose) != 146 || len(codec.Encode(cose)) != 223 {
		t.Errorf("Appendix A: COSE %d bytes, text %d characters, want 146 and 223", len(cose), len(codec.Encode(cose)))
	}
}
