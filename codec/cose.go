package codec

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/offcode/offcode/internal/format"
)

// COSE parameters (SPEC.md §3).
const (
	// algEdDSA is the COSE algorithm identifier for EdDSA (RFC 9053).
	algEdDSA = -8
	// signatureSize is the size of an Ed25519 signature.
	signatureSize = ed25519.SignatureSize
	// tagSign1 is the CBOR tag of a COSE_Sign1 message (RFC 9052).
	tagSign1 = 18
	// headerAlg and headerKid are COSE header labels.
	headerAlg = 1
	headerKid = 4
)

// KeyIDSize is the size of a key identifier.
const KeyIDSize = 8

// KeyID is a key identifier: the first 8 bytes of SHA-256 over the raw
// 32-byte Ed25519 public key (SPEC.md §3.2).
type KeyID [KeyIDSize]byte

var keyIDEncoding = base64.RawURLEncoding.Strict()

// String returns the kid as unpadded base64url, as a JWK Set writes it
// (SPEC.md §9.2): "qTMP-pBOeeU".
func (k KeyID) String() string { return keyIDEncoding.EncodeToString(k[:]) }

// MarshalText implements encoding.TextMarshaler with the form of String.
func (k KeyID) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler: exactly 8 bytes of
// unpadded base64url.
func (k *KeyID) UnmarshalText(b []byte) error {
	var buf [KeyIDSize + 3]byte
	n, err := keyIDEncoding.Decode(buf[:], b)
	if err != nil || n != KeyIDSize || len(b) != keyIDEncoding.EncodedLen(KeyIDSize) {
		return fmt.Errorf("codec: kid %q is not %d bytes of unpadded base64url", b, KeyIDSize)
	}
	copy(k[:], buf[:n])
	return nil
}

// KeyIDOf returns the key identifier of pub. It panics if pub is not 32
// bytes long, which is a programming error.
func KeyIDOf(pub ed25519.PublicKey) KeyID {
	if len(pub) != ed25519.PublicKeySize {
		panic("codec: KeyIDOf: bad public key length")
	}
	sum := sha256.Sum256(pub)
	var k KeyID
	copy(k[:], sum[:KeyIDSize])
	return k
}

// parseCOSE decodes a tagged COSE_Sign1 message strictly (SPEC.md §8 steps
// 3-5) into c's KeyID, Protected, Payload and Signature, which alias b. It
// does not look inside the payload or check the signature.
func parseCOSE(b []byte, m *Code) error {
	if len(b) == 0 {
		return wrap(format.ErrMalformed, "empty message")
	}
	if b[0]>>5 != majorTag {
		return wrap(format.ErrTag, "message is not tagged COSE_Sign1 (tag 18)")
	}
	tag, n, ok := readHead(b)
	switch {
	case !ok:
		return wrap(format.ErrMalformed, "truncated or invalid tag")
	case tag != tagSign1:
		return wrap(format.ErrTag, "message has tag %d, want 18", tag)
	case n != 1:
		return wrap(format.ErrNonCanonical, "tag 18 is not in its shortest form")
	}
	b = b[n:]
	if len(b) > 0 && b[0]>>5 == majorTag {
		if b[0]&0x1f >= 28 {
			return wrap(format.ErrMalformed, "head %#02x after tag 18 is not well-formed", b[0])
		}
		return wrap(format.ErrTag, "message has a second tag inside tag 18")
	}
	// Step 3.4-3.6: one strict item, an array of a byte string, a map and
	// two byte strings, an unprotected map with no label but 4.
	it, err := readItem(b)
	if err != nil {
		return err
	}
	if it.nodes[0].major != majorArray || it.nodes[0].arg != 4 {
		return wrap(format.ErrMalformed, "COSE_Sign1 is not an array of 4 members")
	}
	var el [4]int
	it.elems(0, el[:0])
	for i, want := range [4]byte{majorBytes, majorMap, majorBytes, majorBytes} {
		if it.nodes[el[i]].major != want {
			return wrap(format.ErrMalformed, "COSE_Sign1 member %d has the wrong type", i+1)
		}
	}
	unprotectedKid := false
	var badLabel bool
	it.pairs(el[1], func(k, _ int) bool {
		if it.isInt(k, headerKid) {
			unprotectedKid = true
			return true
		}
		badLabel = true
		return false
	})
	if badLabel {
		return wrap(format.ErrHeader, "unprotected header has a label other than 4 (kid)")
	}
	prot, payload, sig := it.content(el[0]), it.content(el[2]), it.content(el[3])
	// Step 4.
	if err := parseProtected(prot, &m.KeyID); err != nil {
		return err
	}
	// Step 5.
	if unprotectedKid {
		return wrap(format.ErrHeader, "kid in the unprotected header")
	}
	if len(sig) != signatureSize {
		return wrap(format.ErrSignatureSize, "it is %d bytes", len(sig))
	}
	// What was decoded has one encoding, the one format.AppendMessage
	// writes (after the tag); compare with it rather than re-encode. A
	// message from a text of format.MaxTextSize characters fits buf.
	var buf [format.MaxTextSize * 2 / 3]byte
	if !bytes.Equal(b, format.AppendMessage(buf[:0], prot, payload, sig)[1:]) {
		return wrap(format.ErrNonCanonical, "COSE_Sign1 does not re-encode to itself")
	}
	m.Protected, m.Payload, m.Signature = prot, payload, sig
	return nil
}

// parseProtected checks the protected header b (SPEC.md §8 step 4) and
// returns its kid.
func parseProtected(b []byte, kid *KeyID) error {
	if len(b) == 0 {
		return wrap(format.ErrMissingKeyID, "protected header is empty")
	}
	it, err := readItem(b)
	if err != nil {
		return err
	}
	if it.nodes[0].major != majorMap {
		return wrap(format.ErrHeader, "protected header is not a map")
	}
	alg, kidAt := -1, -1
	var bad string
	it.pairs(0, func(k, v int) bool {
		switch {
		case it.isInt(k, headerAlg):
			alg = v
		case it.isInt(k, headerKid):
			kidAt = v
		default:
			bad = "protected header has a label other than 1 (alg) and 4 (kid)"
		}
		return true
	})
	if alg >= 0 && it.nodes[alg].major != majorUint && it.nodes[alg].major != majorNeg {
		return wrap(format.ErrAlgorithm, "alg is not an integer")
	}
	switch {
	case bad != "":
		return wrap(format.ErrHeader, "%s", bad)
	case kidAt >= 0 && it.nodes[kidAt].major != majorBytes:
		return wrap(format.ErrHeader, "kid is not a byte string")
	case kidAt < 0:
		return wrap(format.ErrMissingKeyID, "protected header has no kid (label 4)")
	case alg < 0:
		return wrap(format.ErrAlgorithm, "protected header has no alg (label 1)")
	case !it.isInt(alg, algEdDSA):
		return wrap(format.ErrAlgorithm, "alg is not %d (EdDSA)", algEdDSA)
	}
	k := it.content(kidAt)
	if len(k) != KeyIDSize {
		return wrap(format.ErrHeader, "kid is %d bytes, want %d", len(k), KeyIDSize)
	}
	copy(kid[:], k)
	// Alg and kid are now known to be -8 and 8 bytes: the header has one
	// encoding, the one format.AppendProtected writes.
	var buf [16]byte
	if !bytes.Equal(b, format.AppendProtected(buf[:0], *kid)) {
		return wrap(format.ErrNonCanonical, "protected header does not re-encode to itself")
	}
	return nil
}
