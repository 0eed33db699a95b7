package bundle

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"filippo.io/edwards25519"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/bundlewire"
	"github.com/offcode/offcode/internal/format"
)

// ContentType is the COSE content type (label 3) of a bundle's protected
// header (SPEC.md §13.3). It keeps a bundle from passing for a code and the
// reverse.
const ContentType = "application/vnd.offcode.bundle+cbor"

// Sign checks b, encodes its payload and signs it with root, returning the
// signed bundle file (SPEC.md §13.3).
func Sign(b *Bundle, root *RootKey) ([]byte, error) {
	p, err := MarshalPayload(b)
	if err != nil {
		return nil, err
	}
	return bundlewire.Sign(p, root.kid, root.priv), nil
}

// parseEnvelope splits a signed bundle strictly (SPEC.md §13.3), bounding
// its size. Errors wrap ErrMalformed.
func parseEnvelope(data []byte) (*bundlewire.Envelope, error) {
	if len(data) > MaxSize {
		return nil, malformed("%d bytes, at most %d", len(data), MaxSize)
	}
	e, err := bundlewire.ParseEnvelope(data)
	if err != nil {
		return nil, malformed("%v", err)
	}
	return e, nil
}

// Open checks a signed bundle against the provisioned root public keys and
// decodes it (SPEC.md §13.8 steps 1-3). It does not check the sequence (see
// State.Accept) or the expiry (a stale bundle opens; package verify reports
// it). The returned bundle aliases data.
func Open(data []byte, roots ...ed25519.PublicKey) (*Bundle, error) {
	e, err := parseEnvelope(data)
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

// payloadDigest returns SHA-256 of the payload of b as a full bundle, the
// value a delta's Result commits to (SPEC.md §13.7).
func payloadDigest(b *Bundle) ([32]byte, error) {
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
