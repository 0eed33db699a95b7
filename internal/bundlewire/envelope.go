// Package bundlewire holds the wire layer of a trust bundle (SPEC.md §13.3,
// §13.4): the COSE_Sign1 envelope, the payload's CBOR structure field by
// field with its strict decoder, and the raw revocation lists. Package
// bundle builds its checked Bundle on it; the vector generator and the CLI
// use it to write or show what a Bundle cannot hold (a malformed list, a
// signature over any payload).
package bundlewire

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/offcode/offcode/internal/format"
)

// ContentType is the COSE content type (label 3) of a bundle's protected
// header (SPEC.md §13.3).
const ContentType = "application/vnd.offcode.bundle+cbor"

// Protected returns the protected header {1: -8, 3: ContentType, 4: kid}
// in deterministic encoding.
func Protected(kid [format.KeyIDSize]byte) []byte {
	b := make([]byte, 0, 16+len(ContentType))
	b = append(b, 0xa3, 0x01, 0x27, 0x03, 0x78, byte(len(ContentType)))
	b = append(b, ContentType...)
	b = append(b, 0x04, 0x48)
	return append(b, kid[:]...)
}

// Sign signs payload as it is, with no check of its contents, under the
// root key priv whose kid is kid, and returns the signed bundle.
func Sign(payload []byte, kid [format.KeyIDSize]byte, priv ed25519.PrivateKey) []byte {
	prot := Protected(kid)
	tbs := format.AppendSigStructure(nil, prot, payload)
	return format.AppendMessage(nil, prot, payload, ed25519.Sign(priv, tbs))
}

// Envelope is a signed bundle split into its parts, not yet verified.
type Envelope struct {
	// Protected is the raw protected header; KeyID the root kid in it.
	Protected []byte
	KeyID     [format.KeyIDSize]byte
	Payload   []byte
	Signature []byte
}

// ParseEnvelope splits a signed bundle strictly (SPEC.md §13.3) without
// checking the signature or decoding the payload. The parts alias data.
// It does not bound len(data): its callers do.
func ParseEnvelope(data []byte) (*Envelope, error) {
	if len(data) < 2 || data[0] != 0xd2 || data[1] != 0x84 {
		return nil, errors.New("not a tagged COSE_Sign1 (want d2 84)")
	}
	rest := data[2:]
	var e Envelope
	var err error
	if e.Protected, rest, err = readBytes(rest, "protected header"); err != nil {
		return nil, err
	}
	if len(rest) == 0 || rest[0] != 0xa0 {
		return nil, errors.New("unprotected header is not the empty map")
	}
	rest = rest[1:]
	if e.Payload, rest, err = readBytes(rest, "payload"); err != nil {
		return nil, err
	}
	if e.Signature, rest, err = readBytes(rest, "signature"); err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d trailing bytes", len(rest))
	}
	if len(e.Signature) != ed25519.SignatureSize {
		return nil, fmt.Errorf("signature is %d bytes, want %d", len(e.Signature), ed25519.SignatureSize)
	}
	if len(e.Protected) != 16+len(ContentType) {
		return nil, fmt.Errorf("protected header is not {1: -8, 3: %q, 4: kid}", ContentType)
	}
	copy(e.KeyID[:], e.Protected[len(e.Protected)-format.KeyIDSize:])
	if string(Protected(e.KeyID)) != string(e.Protected) {
		return nil, fmt.Errorf("protected header is not {1: -8, 3: %q, 4: kid}", ContentType)
	}
	return &e, nil
}

// readBytes reads a definite-length CBOR byte string whose head is in
// its shortest form.
func readBytes(b []byte, what string) (val, rest []byte, err error) {
	if len(b) == 0 || b[0]>>5 != 2 {
		return nil, nil, fmt.Errorf("%s is not a byte string", what)
	}
	ai := b[0] & 0x1f
	var n uint64
	var h int
	switch {
	case ai < 24:
		n, h = uint64(ai), 1
	case ai <= 27:
		h = 1 + 1<<(ai-24)
		if len(b) < h {
			return nil, nil, fmt.Errorf("%s: truncated", what)
		}
		for _, c := range b[1:h] {
			n = n<<8 | uint64(c)
		}
		if min := [...]uint64{24, 1 << 8, 1 << 16, 1 << 32}[ai-24]; n < min {
			return nil, nil, fmt.Errorf("%s: length not in its shortest form", what)
		}
	default:
		return nil, nil, fmt.Errorf("%s: indefinite or reserved length", what)
	}
	if n > uint64(len(b)-h) {
		return nil, nil, fmt.Errorf("%s: truncated", what)
	}
	return b[h : h+int(n)], b[h+int(n):], nil
}
