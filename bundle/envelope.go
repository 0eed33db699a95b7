package bundle

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"filippo.io/edwards25519"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
)

// ContentType is the COSE content type (label 3) of a bundle's protected
// header (SPEC.md §13.3). It keeps a bundle from passing for a code and the
// reverse.
const ContentType = "application/vnd.offcode.bundle+cbor"

// protectedHeader returns {1: -8, 3: ContentType, 4: kid} in deterministic
// encoding.
func protectedHeader(kid codec.KeyID) []byte {
	b := make([]byte, 0, 16+len(ContentType))
	b = append(b, 0xa3, 0x01, 0x27, 0x03, 0x78, byte(len(ContentType)))
	b = append(b, ContentType...)
	b = append(b, 0x04, 0x48)
	return append(b, kid[:]...)
}

// Sign checks b, encodes its payload and signs it with root, returning the
// signed bundle file (SPEC.md §13.3).
func Sign(b *Bundle, root *RootKey) ([]byte, error) {
	p, err := MarshalPayload(b)
	if err != nil {
		return nil, err
	}
	return SignPayload(p, root), nil
}

// SignPayload signs p as it is, with no check of its contents, and returns
// the signed bundle. It exists for test-vector generation; use Sign.
func SignPayload(p []byte, root *RootKey) []byte {
	prot := protectedHeader(root.kid)
	tbs := format.AppendSigStructure(nil, prot, p)
	return format.AppendMessage(nil, prot, p, ed25519.Sign(root.priv, tbs))
}

// Envelope is a signed bundle split into its parts, not yet verified.
type Envelope struct {
	// Protected is the raw protected header; KeyID the root kid in it.
	Protected []byte
	KeyID     codec.KeyID
	Payload   []byte
	Signature []byte
}

// ParseEnvelope splits a signed bundle strictly (SPEC.md §13.3) without
// checking the signature or decoding the payload. The parts alias data.
// Errors wrap ErrMalformed.
func ParseEnvelope(data []byte) (*Envelope, error) {
	if len(data) > MaxSize {
		return nil, malformed("%d bytes, at most %d", len(data), MaxSize)
	}
	if len(data) < 2 || data[0] != 0xd2 || data[1] != 0x84 {
		return nil, malformed("not a tagged COSE_Sign1 (want d2 84)")
	}
	rest := data[2:]
	var e Envelope
	var err error
	if e.Protected, rest, err = readBytes(rest, "protected header"); err != nil {
		return nil, err
	}
	if len(rest) == 0 || rest[0] != 0xa0 {
		return nil, malformed("unprotected header is not the empty map")
	}
	rest = rest[1:]
	if e.Payload, rest, err = readBytes(rest, "payload"); err != nil {
		return nil, err
	}
	if e.Signature, rest, err = readBytes(rest, "signature"); err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, malformed("%d trailing bytes", len(rest))
	}
	if len(e.Signature) != ed25519.SignatureSize {
		return nil, malformed("signature is %d bytes, want %d", len(e.Signature), ed25519.SignatureSize)
	}
	if len(e.Protected) != 16+len(ContentType) {
		return nil, malformed("protected header is not {1: -8, 3: %q, 4: kid}", ContentType)
	}
	copy(e.KeyID[:], e.Protected[len(e.Protected)-codec.KeyIDSize:])
	if string(protectedHeader(e.KeyID)) != string(e.Protected) {
		return nil, malformed("protected header is not {1: -8, 3: %q, 4: kid}", ContentType)
	}
	return &e, nil
}

// readBytes reads a definite-length CBOR byte string whose head is in
// its shortest form.
func readBytes(b []byte, what string) (val, rest []byte, err error) {
	if len(b) == 0 || b[0]>>5 != 2 {
		return nil, nil, malformed("%s is not a byte string", what)
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
			return nil, nil, malformed("%s: truncated", what)
		}
		for _, c := range b[1:h] {
			n = n<<8 | uint64(c)
		}
		if min := [...]uint64{24, 1 << 8, 1 << 16, 1 << 32}[ai-24]; n < min {
			return nil, nil, malformed("%s: length not in its shortest form", what)
		}
	default:
		return nil, nil, malformed("%s: indefinite or reserved length", what)
	}
	if n > uint64(len(b)-h) {
		return nil, nil, malformed("%s: truncated", what)
	}
	return b[h : h+int(n)], b[h+int(n):], nil
}

// Open checks a signed bundle against the provisioned root public keys and
// decodes it (SPEC.md §13.8 steps 1-3). It does not check the sequence (see
// State.Accept) or the expiry (a stale bundle opens; see Verifier). The
// returned bundle aliases data.
func Open(data []byte, roots ...ed25519.PublicKey) (*Bundle, error) {
	e, err := ParseEnvelope(data)
	if err != nil {
		return nil, err
	}
	b, err := ParsePayload(e.Payload)
	if err != nil {
		return nil, err
	}
	var root ed25519.PublicKey
	for _, r := range roots {
		if codec.KeyIDOf(r) == e.KeyID {
			root = r
			break
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: kid %x", ErrUnknownRoot, e.KeyID[:])
	}
	if !canonicalSignature(e.Signature) {
		return nil, fmt.Errorf("%w: S is not canonical or R is of small order", ErrBadRootSignature)
	}
	tbs := format.AppendSigStructure(make([]byte, 0, len(e.Payload)+len(e.Protected)+32), e.Protected, e.Payload)
	if !ed25519.Verify(root, tbs, e.Signature) {
		return nil, ErrBadRootSignature
	}
	return b, nil
}

// PayloadDigest returns SHA-256 of b's payload, the value a delta's Result
// commits to (SPEC.md §13.7).
func PayloadDigest(b *Bundle) ([32]byte, error) {
	full := *b
	full.Delta = nil
	p, err := MarshalPayload(&full)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(p), nil
}

// canonicalSignature reports whether sig's S is below the group order and
// its R is not a point of small order (SPEC.md §8, §13.3).
func canonicalSignature(sig []byte) bool {
	if _, err := edwards25519.NewScalar().SetCanonicalBytes(sig[32:]); err != nil {
		return false
	}
	r, err := new(edwards25519.Point).SetBytes(sig[:32])
	if err != nil {
		return false
	}
	return new(edwards25519.Point).MultByCofactor(r).Equal(edwards25519.NewIdentityPoint()) != 1
}
