// Package gen generates the offcode conformance test vectors published in
// testvectors/ (SPEC.md §10). The command internal/tools/vectorgen writes them to
// disk; the tests of package testvectors regenerate them and compare.
//
// Everything comes from fixed seeds and fixed times, so the output is the
// same byte for byte on every run. Each vector's expected results are set by
// what the case is built to test, never by running the verifier: the tests
// of codec, sign and verify check the implementation against them.
package gen

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"golang.org/x/crypto/argon2"
)

// Prefix starts the text form of a version 1 code.
const Prefix = "OC1:"

// DefaultSkew is the clock-skew tolerance of most vectors, in seconds.
const DefaultSkew = 300

// KeySeed returns the Ed25519 seed of test key n: SHA-256 of
// "offcode test vector key N". These private keys are published; they are
// for tests only.
func KeySeed(n int) []byte {
	s := sha256.Sum256(fmt.Appendf(nil, "offcode test vector key %d", n))
	return s[:]
}

// Key returns test key n.
func Key(n int) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(KeySeed(n)) }

// NumKeys is the number of test keys the vectors use, numbered from 1.
const NumKeys = 3

// Generate returns every vector file, by file name ("<name>.json").
func Generate() (map[string][]byte, error) {
	vs, err := cases()
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(vs))
	for _, v := range vs {
		b, err := v.marshal()
		if err != nil {
			return nil, fmt.Errorf("gen: vector %s: %w", v.name, err)
		}
		fn := v.name + ".json"
		if _, dup := files[fn]; dup {
			return nil, fmt.Errorf("gen: two vectors named %s", v.name)
		}
		files[fn] = b
	}
	return files, nil
}

// vector is one case as the generator builds it.
type vector struct {
	name, desc string
	payload    []byte // nil: no payload stage
	// payloadNotCBOR marks a payload that is deliberately not well-formed
	// CBOR, which has no diagnostic notation.
	payloadNotCBOR bool
	cose           []byte // nil: no COSE stage
	text           string
	trust          []jwk
	now            time.Time
	skew           int64
	presented      string
	want           expected
}

// The JSON form, in the order the fields are written.

type file struct {
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Stages      stages      `json:"stages"`
	Context     testContext `json:"context"`
	Expected    expected    `json:"expected"`
}

type stages struct {
	PayloadHex  string `json:"payload_hex"`
	PayloadDiag string `json:"payload_diag"`
	COSEHex     string `json:"cose_hex"`
	Text        string `json:"text"`
}

type testContext struct {
	Trust       jwkSet `json:"trust"`
	Now         string `json:"now"`
	NowUnix     int64  `json:"now_unix"`
	SkewSeconds int64  `json:"skew_seconds"`
	PresentedID string `json:"presented_id,omitempty"`
}

type expected struct {
	Decode    bool   `json:"decode"`
	Signature *bool  `json:"signature"`
	Window    *bool  `json:"window"`
	Identity  *bool  `json:"identity"`
	Verdict   string `json:"verdict"`
}

type jwkSet struct {
	Keys []jwk `json:"keys"`
}

// jwk is an Ed25519 public key in a JWK Set (SPEC.md §9).
type jwk struct {
	Kty    string `json:"kty"`
	Crv    string `json:"crv"`
	X      string `json:"x"`
	Kid    string `json:"kid"`
	Alg    string `json:"alg"`
	Use    string `json:"use"`
	Issuer string `json:"issuer,omitempty"`
	Nbf    *int64 `json:"nbf,omitempty"`
	Exp    *int64 `json:"exp,omitempty"`
}

var nameRE = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)

func (v *vector) marshal() ([]byte, error) {
	if !nameRE.MatchString(v.name) {
		return nil, errors.New("name is not snake_case")
	}
	if v.desc == "" || v.want.Verdict == "" || v.text == "" {
		return nil, errors.New("description, verdict or text missing")
	}
	f := file{
		Name:        v.name,
		Description: v.desc,
		Stages: stages{
			PayloadHex: hex.EncodeToString(v.payload),
			COSEHex:    hex.EncodeToString(v.cose),
			Text:       v.text,
		},
		Context: testContext{
			Trust:       jwkSet{Keys: v.trust},
			Now:         v.now.UTC().Format(time.RFC3339Nano),
			NowUnix:     v.now.Unix(),
			SkewSeconds: v.skew,
			PresentedID: v.presented,
		},
		Expected: v.want,
	}
	if f.Context.Trust.Keys == nil {
		f.Context.Trust.Keys = []jwk{}
	}
	if v.payload != nil && !v.payloadNotCBOR {
		d, err := diag(v.payload)
		if err != nil {
			return nil, fmt.Errorf("payload: %w", err)
		}
		f.Stages.PayloadDiag = d
	}
	if (v.presented == "" || !v.want.Decode) != (v.want.Identity == nil) {
		return nil, errors.New("identity result must be set exactly when there is a presented ID and the code decodes")
	}
	if !v.want.Decode && (v.want.Signature != nil || v.want.Window != nil) {
		return nil, errors.New("a code that does not decode has no signature or window result")
	}
	if v.want.Decode && (v.want.Signature == nil || v.want.Window == nil) {
		return nil, errors.New("a code that decodes has a signature and a window result")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Expected results by intent.

func ptr(b bool) *bool { return &b }

// valid is a code that passes every step.
func valid() expected {
	return expected{Decode: true, Signature: ptr(true), Window: ptr(true), Verdict: "valid"}
}

// decodeFails is a code refused while decoding (SPEC.md §8 steps 1-6).
func decodeFails(verdict string) expected { return expected{Verdict: verdict} }

// signatureFails is a well-formed code inside its window that no trusted key
// authenticates (steps 7-9).
func signatureFails(verdict string) expected {
	return expected{Decode: true, Signature: ptr(false), Window: ptr(true), Verdict: verdict}
}

// windowFails is an authentic code outside its validity window (step 10).
func windowFails(verdict string) expected {
	return expected{Decode: true, Signature: ptr(true), Window: ptr(false), Verdict: verdict}
}

// withIdentity sets the identity result of an expectation for a vector with
// a presented ID.
func withIdentity(e expected, match bool) expected {
	e.Identity = ptr(match)
	if !match && e.Verdict == "valid" {
		e.Verdict = "id_mismatch"
	}
	return e
}

// Keys and trust stores.

var b64 = base64.RawURLEncoding

// kidOf is the key identifier of pub: SHA-256(pub)[:8].
func kidOf(pub ed25519.PublicKey) []byte {
	s := sha256.Sum256(pub)
	return s[:8]
}

func pubOf(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// trusted returns the JWK of test key n, filed under its own kid.
func trusted(n int) jwk { return trustedAs(n, kidOf(pubOf(Key(n)))) }

// trustedAs returns the JWK of test key n, filed under kid.
func trustedAs(n int, kid []byte) jwk {
	return jwk{
		Kty: "OKP", Crv: "Ed25519", Alg: "EdDSA", Use: "sig",
		X:      b64.EncodeToString(pubOf(Key(n))),
		Kid:    b64.EncodeToString(kid),
		Issuer: fmt.Sprintf("offcode test issuer %d", n),
	}
}

// period bounds the issue times of a JWK's codes.
func period(k jwk, nbf, exp *time.Time) jwk {
	if nbf != nil {
		v := nbf.Unix()
		k.Nbf = &v
	}
	if exp != nil {
		v := exp.Unix()
		k.Exp = &v
	}
	return k
}

// Identity hash version 2: Argon2id, t=2, m=4096 KiB, p=1, 16 bytes of
// output, of which the digest is the first 20 bits, carried in 3 bytes whose
// last 4 bits are zero.
func identitySum(id string, salt []byte) []byte {
	sum := argon2.IDKey([]byte(id), salt, 2, 4096, 1, 16)[:3]
	sum[2] &= 0xf0
	return sum
}

// identityVersion is the identity hash version of the codes.
const identityVersion = 2

// COSE_Sign1.

// protected is the canonical protected header {1: -8, 4: kid}.
func protected(kid []byte) []byte {
	return entries{{u(1), integer(-8)}, {u(4), bs(kid)}}.encode()
}

// sigStructure is ["Signature1", protected, h”, payload] (RFC 9052 §4.4).
func sigStructure(prot, payload []byte) []byte {
	return array(ts("Signature1"), bs(prot), bs(nil), bs(payload))
}

// signWith signs the Sig_structure of prot and payload with key.
func signWith(key ed25519.PrivateKey, prot, payload []byte) []byte {
	return ed25519.Sign(key, sigStructure(prot, payload))
}

// sign1 is the tagged COSE_Sign1 18([protected, unprotected, payload, signature])
// with every member given as an encoded item.
func sign1(prot, unprot, payload, sig []byte) []byte {
	return tag(18, array(prot, unprot, payload, sig))
}

// emptyMap is the empty unprotected header.
var emptyMap = []byte{0xa0}

// signed is payload signed by key in a conforming envelope.
func signed(key ed25519.PrivateKey, payload []byte) []byte {
	prot := protected(kidOf(pubOf(key)))
	return sign1(bs(prot), emptyMap, bs(payload), bs(signWith(key, prot, payload)))
}

// Text form.

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// base45 encodes b as RFC 9285 Base45.
func base45(b []byte) string {
	out := make([]byte, 0, len(b)/2*3+2)
	for ; len(b) >= 2; b = b[2:] {
		v := int(b[0])<<8 | int(b[1])
		out = append(out, base45Alphabet[v%45], base45Alphabet[v/45%45], base45Alphabet[v/2025])
	}
	if len(b) == 1 {
		out = append(out, base45Alphabet[int(b[0])%45], base45Alphabet[int(b[0])/45])
	}
	return string(out)
}

// text is the text form of cose.
func text(cose []byte) string { return Prefix + base45(cose) }

// zlibStored wraps b in a zlib stream (RFC 1950) holding one stored
// (uncompressed) DEFLATE block (RFC 1951 §3.2.4), written by hand so that
// the bytes do not depend on a compressor's version. b must be shorter than
// 65536 bytes.
func zlibStored(b []byte) []byte {
	n := len(b)
	out := []byte{0x78, 0x01, 0x01, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)}
	out = append(out, b...)
	a, c := uint32(1), uint32(0)
	for _, x := range b {
		a = (a + uint32(x)) % 65521
		c = (c + a) % 65521
	}
	return append(out, byte(c>>8), byte(c), byte(a>>8), byte(a))
}
