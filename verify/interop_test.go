package verify_test

// Interoperability with an independent COSE implementation,
// github.com/veraison/go-cose: a code issued by offcode verifies there with
// the public key read from the JWK Set, and a message signed there verifies
// here. Nothing of offcode is used on the go-cose side: the JWK Set is
// parsed with encoding/json and the Base45 text is decoded by base45Decode
// below.

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	cose "github.com/veraison/go-cose"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/jwkset"
	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/verify"
)

// base45Decode is RFC 9285 decoding written from the RFC, independent of
// package codec.
func base45Decode(s string) ([]byte, error) {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	var out []byte
	for len(s) > 0 {
		n := min(3, len(s))
		if n == 1 {
			return nil, errors.New("base45: dangling character")
		}
		v, f := 0, 1
		for i := 0; i < n; i++ {
			d := strings.IndexByte(alphabet, s[i])
			if d < 0 {
				return nil, errors.New("base45: bad character")
			}
			v += d * f
			f *= 45
		}
		if n == 3 {
			if v > 0xffff {
				return nil, errors.New("base45: group too large")
			}
			out = append(out, byte(v>>8), byte(v))
		} else {
			if v > 0xff {
				return nil, errors.New("base45: group too large")
			}
			out = append(out, byte(v))
		}
		s = s[n:]
	}
	return out, nil
}

// interopFixture issues a code with offcode and publishes its key as a JWK
// Set, as an issuer would.
func interopFixture(t *testing.T) (key *sign.Key, text string, jwks []byte, payload []byte) {
	t.Helper()
	key = sign.NewKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize)))
	at := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	id, err := identity.ParseID("11010519491231002X", at)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := sign.NewClaims(bytes.NewReader(make([]byte, 28)), id, codec.Red, codec.Kin, at)
	if err != nil {
		t.Fatal(err)
	}
	if text, err = key.Issue(claims); err != nil {
		t.Fatal(err)
	}
	if payload, err = codec.MarshalClaims(claims); err != nil {
		t.Fatal(err)
	}
	if jwks, err = jwkset.Marshal([]jwkset.Key{{KeyID: key.KeyID(), Public: key.Public(), Issuer: "interop"}}); err != nil {
		t.Fatal(err)
	}
	return key, text, jwks, payload
}

// jwkKey reads the one key of a JWK Set with encoding/json.
func jwkKey(t *testing.T, jwks []byte) (x, kid []byte) {
	t.Helper()
	var set struct {
		Keys []struct {
			Kty, Crv, Alg, X, Kid string
		} `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil {
		t.Fatalf("json.Unmarshal(JWK Set) = %v", err)
	}
	if len(set.Keys) != 1 {
		t.Fatalf("JWK Set has %d keys, want 1", len(set.Keys))
	}
	k := set.Keys[0]
	if k.Kty != "OKP" || k.Crv != "Ed25519" || k.Alg != "EdDSA" {
		t.Fatalf("JWK = kty %q crv %q alg %q, want OKP Ed25519 EdDSA (RFC 8037)", k.Kty, k.Crv, k.Alg)
	}
	var err error
	if x, err = base64.RawURLEncoding.DecodeString(k.X); err != nil || len(x) != ed25519.PublicKeySize {
		t.Fatalf("JWK x = %q (%v), want 32 bytes of base64url", k.X, err)
	}
	if kid, err = base64.RawURLEncoding.DecodeString(k.Kid); err != nil || len(kid) != 8 {
		t.Fatalf("JWK kid = %q (%v), want 8 bytes of base64url", k.Kid, err)
	}
	return x, kid
}

// TestInteropGoCOSEVerifiesOffcode verifies an offcode code with go-cose.
func TestInteropGoCOSEVerifiesOffcode(t *testing.T) {
	_, text, jwks, payload := interopFixture(t)
	x, kid := jwkKey(t, jwks)

	body, ok := strings.CutPrefix(text, "OC1:")
	if !ok {
		t.Fatalf("code %q does not start with OC1:", text)
	}
	raw, err := base45Decode(body)
	if err != nil {
		t.Fatalf("base45Decode(%q) = %v", body, err)
	}
	var msg cose.Sign1Message
	if err := msg.UnmarshalCBOR(raw); err != nil {
		t.Fatalf("go-cose Sign1Message.UnmarshalCBOR(%x) = %v, want nil", raw, err)
	}
	alg, err := msg.Headers.Protected.Algorithm()
	if err != nil || alg != cose.AlgorithmEdDSA {
		t.Fatalf("go-cose protected alg = %v, %v, want %v", alg, err, cose.AlgorithmEdDSA)
	}
	gotKid, ok := msg.Headers.Protected[cose.HeaderLabelKeyID].([]byte)
	if !ok || !bytes.Equal(gotKid, kid) {
		t.Fatalf("go-cose protected kid = %#v, want %x (the JWK kid)", msg.Headers.Protected[cose.HeaderLabelKeyID], kid)
	}
	if len(msg.Headers.Protected) != 2 || len(msg.Headers.Unprotected) != 0 {
		t.Fatalf("go-cose headers = %v / %v, want {alg, kid} / {}", msg.Headers.Protected, msg.Headers.Unprotected)
	}
	if !bytes.Equal(msg.Payload, payload) {
		t.Fatalf("go-cose payload = %x, want %x", msg.Payload, payload)
	}
	verifier, err := cose.NewVerifier(cose.AlgorithmEdDSA, ed25519.PublicKey(x))
	if err != nil {
		t.Fatalf("cose.NewVerifier = %v", err)
	}
	if err := msg.Verify(nil, verifier); err != nil {
		t.Fatalf("go-cose Verify(offcode code) = %v, want nil", err)
	}
	// go-cose re-encodes the message to the same bytes.
	if again, err := msg.MarshalCBOR(); err != nil || !bytes.Equal(again, raw) {
		t.Fatalf("go-cose MarshalCBOR = %x, %v, want %x", again, err, raw)
	}

	// The payload is a plain CWT claims map to a generic CBOR decoder.
	var claims map[int64]cbor.RawMessage
	if err := cbor.Unmarshal(msg.Payload, &claims); err != nil {
		t.Fatalf("cbor.Unmarshal(payload) = %v", err)
	}
	var iat, exp uint64
	if cbor.Unmarshal(claims[6], &iat) != nil || cbor.Unmarshal(claims[4], &exp) != nil || exp-iat != 604800 || len(claims) != 4 {
		t.Fatalf("payload claims = %v, want iat, exp = iat + 604800, cti and -65537", claims)
	}

	// And go-cose rejects a changed payload: the check is real.
	msg.Payload = bytes.Clone(msg.Payload)
	msg.Payload[len(msg.Payload)-1] ^= 1
	if err := msg.Verify(nil, verifier); err == nil {
		t.Fatalf("go-cose Verify(changed payload) = nil, want an error")
	}
}

// TestInteropOffcodeVerifiesGoCOSE verifies with offcode a message that
// go-cose signed with offcode's header and payload.
func TestInteropOffcodeVerifiesGoCOSE(t *testing.T) {
	key, text, jwks, payload := interopFixture(t)
	x, kid := jwkKey(t, jwks)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize))
	if !priv.Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(x)) {
		t.Fatalf("JWK x = %x, want the issuer's public key %x", x, key.Public())
	}

	signer, err := cose.NewSigner(cose.AlgorithmEdDSA, priv)
	if err != nil {
		t.Fatalf("cose.NewSigner = %v", err)
	}
	headers := cose.Headers{
		Protected: cose.ProtectedHeader{
			cose.HeaderLabelAlgorithm: cose.AlgorithmEdDSA,
			cose.HeaderLabelKeyID:     kid,
		},
		Unprotected: cose.UnprotectedHeader{},
	}
	raw, err := cose.Sign1(rand.Reader, signer, headers, payload, nil)
	if err != nil {
		t.Fatalf("cose.Sign1 = %v", err)
	}
	trust, err := verify.ParseJWKSet(jwks)
	if err != nil {
		t.Fatalf("ParseJWKSet = %v", err)
	}
	goText := format.EncodeText(codec.Prefix, raw)
	r, err := verify.New(trust).Verify(goText, time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("Verify(go-cose message %x) = %v (%s), want valid", raw, err, verify.VerdictOf(err))
	}
	if r.Code.Claims.Colour != codec.Red || r.Code.Claims.Kind != codec.Kin {
		t.Fatalf("Verify(go-cose message) = %v %v, want red kin", r.Code.Claims.Colour, r.Code.Claims.Kind)
	}
	// Ed25519 is deterministic and both sides encode the same one way, so
	// go-cose produced exactly the bytes offcode issues.
	if goText != text {
		t.Fatalf("go-cose message = %s, offcode code = %s, want identical", goText, text)
	}
}

// TestInteropGoCOSEHeaderVariants signs with go-cose under header layouts
// other than offcode's and checks the verdict offcode gives each: other
// COSE_Sign1 messages are well-formed COSE but not offline codes.
func TestInteropGoCOSEHeaderVariants(t *testing.T) {
	_, _, jwks, payload := interopFixture(t)
	_, kid := jwkKey(t, jwks)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize))
	signer, err := cose.NewSigner(cose.AlgorithmEdDSA, priv)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := verify.ParseJWKSet(jwks)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		headers cose.Headers
		want    verify.Verdict
	}{
		{"offcode layout", cose.Headers{
			Protected: cose.ProtectedHeader{cose.HeaderLabelAlgorithm: cose.AlgorithmEdDSA, cose.HeaderLabelKeyID: kid},
		}, verify.Valid},
		{"kid only unprotected", cose.Headers{
			Protected:   cose.ProtectedHeader{cose.HeaderLabelAlgorithm: cose.AlgorithmEdDSA},
			Unprotected: cose.UnprotectedHeader{cose.HeaderLabelKeyID: kid},
		}, verify.MissingKid},
		{"kid in both", cose.Headers{
			Protected:   cose.ProtectedHeader{cose.HeaderLabelAlgorithm: cose.AlgorithmEdDSA, cose.HeaderLabelKeyID: kid},
			Unprotected: cose.UnprotectedHeader{cose.HeaderLabelKeyID: kid},
		}, verify.BadHeader},
		{"content type in protected", cose.Headers{
			Protected: cose.ProtectedHeader{cose.HeaderLabelAlgorithm: cose.AlgorithmEdDSA, cose.HeaderLabelKeyID: kid, cose.HeaderLabelContentType: 61},
		}, verify.BadHeader},
	}
	for _, tt := range tests {
		raw, err := cose.Sign1(rand.Reader, signer, tt.headers, payload, nil)
		if err != nil {
			t.Fatalf("cose.Sign1(%s) = %v", tt.name, err)
		}
		_, err = verify.New(trust).Verify(format.EncodeText(codec.Prefix, raw), time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC))
		if got := verify.VerdictOf(err); got != tt.want {
			t.Fatalf("Verify(go-cose %s) = %s (%v), want %s", tt.name, got, err, tt.want)
		}
	}
}
