package codec

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"

	"github.com/fxamacker/cbor/v2"
)

// COSE parameters (SPEC.md §3).
const (
	// AlgEdDSA is the COSE algorithm identifier for EdDSA (RFC 9053).
	AlgEdDSA = -8
	// KeyIDSize is the size of a key identifier.
	KeyIDSize = 8
	// SignatureSize is the size of an Ed25519 signature.
	SignatureSize = ed25519.SignatureSize
	// TagSign1 is the CBOR tag of a COSE_Sign1 message (RFC 9052).
	TagSign1 = 18
	// headerAlg and headerKid are COSE header labels.
	headerAlg = 1
	headerKid = 4
)

// KeyID is a key identifier: the first 8 bytes of SHA-256 over the raw
// 32-byte Ed25519 public key (SPEC.md §3.2).
type KeyID [KeyIDSize]byte

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

// Message is a decoded COSE_Sign1 message. Protected holds the raw
// protected-header bytes exactly as received, over which the signature is
// verified.
type Message struct {
	Protected []byte
	KeyID     KeyID
	Payload   []byte
	Signature []byte
}

type wireSign1 struct {
	_           struct{} `cbor:",toarray"`
	Protected   []byte
	Unprotected wireUnprotected
	Payload     []byte
	Signature   []byte
}

// wireUnprotected must be empty; Kid is here only to name the mistake of
// putting the kid in the unprotected header.
type wireUnprotected struct {
	Kid []byte `cbor:"4,keyasint,omitempty"`
}

type wireProtected struct {
	Alg int64  `cbor:"1,keyasint"`
	Kid []byte `cbor:"4,keyasint"`
}

// MarshalProtected returns the protected header {1: -8, 4: kid} in
// deterministic encoding.
func MarshalProtected(kid KeyID) []byte {
	return appendProtected(make([]byte, 0, 14), kid)
}

func appendProtected(dst []byte, kid KeyID) []byte {
	dst = append(dst, 0xa2, 0x01, 0x27, 0x04) // map(2), 1: -8, 4:
	dst = appendHead(dst, majorBytes, KeyIDSize)
	return append(dst, kid[:]...)
}

// AppendSigStructure appends the COSE Sig_structure
// ["Signature1", protected, h”, payload] (RFC 9052 §4.4) to dst; it is
// the message that Ed25519 signs.
func AppendSigStructure(dst, protected, payload []byte) []byte {
	dst = append(dst, 0x84, 0x6a)
	dst = append(dst, "Signature1"...)
	dst = appendHead(dst, majorBytes, uint64(len(protected)))
	dst = append(dst, protected...)
	dst = append(dst, 0x40)
	dst = appendHead(dst, majorBytes, uint64(len(payload)))
	return append(dst, payload...)
}

// MarshalMessage returns the tagged COSE_Sign1 encoding of m:
// 18([protected, {}, payload, signature]).
func MarshalMessage(m *Message) []byte {
	b := make([]byte, 0, 16+len(m.Protected)+len(m.Payload)+len(m.Signature))
	return appendMessage(b, m.Protected, m.Payload, m.Signature)
}

func appendMessage(dst, protected, payload, signature []byte) []byte {
	dst = append(dst, 0xd2, 0x84) // tag 18, array(4)
	dst = appendHead(dst, majorBytes, uint64(len(protected)))
	dst = append(dst, protected...)
	dst = append(dst, 0xa0)
	dst = appendHead(dst, majorBytes, uint64(len(payload)))
	dst = append(dst, payload...)
	dst = appendHead(dst, majorBytes, uint64(len(signature)))
	return append(dst, signature...)
}

// ParseMessage decodes a tagged COSE_Sign1 message strictly (SPEC.md §8
// steps 3-5). It does not look inside the payload or check the signature.
func ParseMessage(b []byte) (*Message, error) {
	m := new(Message)
	if err := parseMessage(b, m); err != nil {
		return nil, err
	}
	return m, nil
}

func parseMessage(b []byte, m *Message) error {
	if len(b) == 0 {
		return wrap(ErrMalformed, "empty message")
	}
	if b[0]>>5 != majorTag {
		return wrap(ErrTag, "message is not tagged COSE_Sign1 (tag 18)")
	}
	tag, n, ok := readHead(b)
	switch {
	case !ok:
		return wrap(ErrMalformed, "truncated or invalid tag")
	case tag != TagSign1:
		return wrap(ErrTag, "message has tag %d, want 18", tag)
	case n != 1:
		return wrap(ErrNonCanonical, "tag 18 is not in its shortest form")
	}
	b = b[n:]
	if len(b) > 0 && b[0]>>5 == majorTag {
		return wrap(ErrTag, "message has a second tag inside tag 18")
	}
	var w wireSign1
	if err := decMode.Unmarshal(b, &w); err != nil {
		return classify(err, ErrMalformed, ErrHeader)
	}
	if w.Protected == nil || w.Payload == nil || w.Signature == nil {
		return wrap(ErrMalformed, "COSE_Sign1 member is null")
	}
	if err := parseProtected(w.Protected, &m.KeyID); err != nil {
		return err
	}
	if w.Unprotected.Kid != nil {
		return wrap(ErrHeader, "kid repeated in the unprotected header")
	}
	if len(w.Signature) != SignatureSize {
		return wrap(ErrSignatureSize, "it is %d bytes", len(w.Signature))
	}
	// What was decoded has one encoding, the one appendMessage writes
	// (after the tag); compare with it rather than re-encode w, which
	// would cost an allocation. A message from a text of MaxTextSize
	// characters fits buf.
	var buf [MaxTextSize * 2 / 3]byte
	if !bytes.Equal(b, appendMessage(buf[:0], w.Protected, w.Payload, w.Signature)[1:]) {
		if hasNull(b) {
			return wrap(ErrMalformed, "COSE_Sign1 member is null or undefined")
		}
		return wrap(ErrNonCanonical, "COSE_Sign1 does not re-encode to itself")
	}
	m.Protected, m.Payload, m.Signature = w.Protected, w.Payload, w.Signature
	return nil
}

func parseProtected(b []byte, kid *KeyID) error {
	if len(b) == 0 {
		return wrap(ErrMissingKeyID, "protected header is empty")
	}
	var p wireProtected
	if err := decMode.Unmarshal(b, &p); err != nil {
		if _, ok := errorsAs[*cbor.UnmarshalTypeError](err); ok && !algIsInt(b) {
			return wrap(ErrAlgorithm, "alg is not an integer")
		}
		return classify(err, ErrHeader, ErrHeader)
	}
	if p.Kid == nil {
		if hasNull(b) {
			return wrap(ErrHeader, "protected header holds null or undefined")
		}
		return wrap(ErrMissingKeyID, "protected header has no kid (label 4)")
	}
	if p.Alg != AlgEdDSA {
		return wrap(ErrAlgorithm, "alg is %d, want %d (EdDSA)", p.Alg, AlgEdDSA)
	}
	if len(p.Kid) != KeyIDSize {
		return wrap(ErrHeader, "kid is %d bytes, want %d", len(p.Kid), KeyIDSize)
	}
	copy(kid[:], p.Kid)
	// Alg and kid are now known to be -8 and 8 bytes: the header has one
	// encoding, the one MarshalProtected writes.
	var buf [16]byte
	if !bytes.Equal(b, appendProtected(buf[:0], *kid)) {
		return wrap(ErrNonCanonical, "protected header does not re-encode to itself")
	}
	return nil
}

// algIsInt reports whether the header map b has no alg (label 1) or an alg
// that is an integer. It names the culprit of a type error in parseProtected
// without relying on how the CBOR library words its errors.
func algIsInt(b []byte) bool {
	var h map[int64]cbor.RawMessage
	if decMode.Unmarshal(b, &h) != nil {
		return true
	}
	raw, ok := h[headerAlg]
	if !ok {
		return true
	}
	var alg int64
	return decMode.Unmarshal(raw, &alg) == nil
}
