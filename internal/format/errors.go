package format

import (
	"errors"
	"fmt"
)

// Errors of decoding a code (SPEC.md §8 steps 1-6). Package codec wraps them
// with detail; package verify maps each onto its verdict (SPEC.md §8.2), and
// its VerdictOf is how a caller outside the module tells them apart. Their
// messages keep the "codec:" prefix of the package that returns them.
var (
	ErrPrefix        = errors.New("codec: wrong or missing prefix")
	ErrBase45        = errors.New("codec: invalid Base45")
	ErrMalformed     = errors.New("codec: malformed CBOR structure")
	ErrTrailingBytes = errors.New("codec: trailing bytes after CBOR item")
	ErrIndefinite    = errors.New("codec: indefinite-length CBOR item")
	ErrDuplicateKey  = errors.New("codec: duplicate CBOR map key")
	ErrNonCanonical  = errors.New("codec: CBOR is not in deterministic encoding")
	ErrTag           = errors.New("codec: missing or wrong COSE_Sign1 tag")
	ErrAlgorithm     = errors.New("codec: algorithm is not EdDSA")
	ErrMissingKeyID  = errors.New("codec: no kid in the protected header")
	ErrHeader        = errors.New("codec: invalid COSE header")
	ErrMissingClaim  = errors.New("codec: required claim missing")
	ErrUnknownClaim  = errors.New("codec: unknown claim")
	ErrClaim         = errors.New("codec: claim has the wrong type or is out of range")
	ErrTooLarge      = errors.New("codec: code is too large")
	// ErrHashVersion is an identity hash version identity does not
	// implement (SPEC.md §5.2); its verdict is bad_claim.
	ErrHashVersion = errors.New("identity: unknown identity hash version")
)

// ErrSignatureSize is a signature that is not 64 bytes long. It refines
// ErrMalformed (the verdict is "malformed"): errors.Is reports true for both.
var ErrSignatureSize = fmt.Errorf("%w: signature is not 64 bytes", ErrMalformed)

// MaxTextSize bounds the text form a decoder accepts, so that no input makes
// it do unbounded work. A real code is under 300 characters.
const MaxTextSize = 1024

// EncodeText returns the text form of a COSE_Sign1 message (SPEC.md §6):
// prefix followed by the Base45 of cose.
func EncodeText(prefix string, cose []byte) string {
	b := make([]byte, 0, len(prefix)+Base45EncodedLen(len(cose)))
	b = append(b, prefix...)
	return string(AppendBase45(b, cose))
}
