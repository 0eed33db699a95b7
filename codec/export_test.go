package codec

import "github.com/offcode/offcode/internal/format"

// What the tests of codec and codec_test use of the wire format, which is
// not codec's API: internal/format holds it, and verify maps the sentinels.

// Message is the COSE_Sign1 part of a Code.
type Message = Code

// ParseMessage decodes a COSE_Sign1 message alone (SPEC.md §8 steps 3-5).
func ParseMessage(b []byte) (*Code, error) {
	c := new(Code)
	if err := parseCOSE(b, c); err != nil {
		return nil, err
	}
	return c, nil
}

// MarshalMessage is format.AppendMessage of m's parts.
func MarshalMessage(m *Code) []byte {
	return format.AppendMessage(nil, m.Protected, m.Payload, m.Signature)
}

// MarshalProtected is format.AppendProtected.
func MarshalProtected(kid KeyID) []byte { return format.AppendProtected(nil, kid) }

// Encode is format.EncodeText with Prefix.
func Encode(cose []byte) string { return format.EncodeText(Prefix, cose) }

var UnmarshalClaims = unmarshalClaims

const MaxTextSize = format.MaxTextSize

const SignatureSize = signatureSize

var (
	ErrPrefix        = format.ErrPrefix
	ErrBase45        = format.ErrBase45
	ErrMalformed     = format.ErrMalformed
	ErrTrailingBytes = format.ErrTrailingBytes
	ErrIndefinite    = format.ErrIndefinite
	ErrDuplicateKey  = format.ErrDuplicateKey
	ErrNonCanonical  = format.ErrNonCanonical
	ErrTag           = format.ErrTag
	ErrAlgorithm     = format.ErrAlgorithm
	ErrMissingKeyID  = format.ErrMissingKeyID
	ErrHeader        = format.ErrHeader
	ErrMissingClaim  = format.ErrMissingClaim
	ErrUnknownClaim  = format.ErrUnknownClaim
	ErrClaim         = format.ErrClaim
	ErrTooLarge      = format.ErrTooLarge
	ErrSignatureSize = format.ErrSignatureSize
)

func (c Colour) Valid() bool { return c.valid() }
func (k Kind) Valid() bool   { return k.valid() }
