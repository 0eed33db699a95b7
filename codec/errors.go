package codec

import (
	"errors"
	"fmt"
)

// Errors returned when a code cannot be decoded (SPEC.md §8, step 1-6). Each
// is wrapped with detail; test for them with errors.Is. Each corresponds to
// one verdict of SPEC.md §8.
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
	errInvalidColour = errors.New("codec: invalid colour")
	errInvalidKind   = errors.New("codec: invalid kind")
)

// ErrSignatureSize is returned for a signature that is not 64 bytes long. It
// refines ErrMalformed (the verdict is "malformed"): errors.Is reports true
// for both.
var ErrSignatureSize = fmt.Errorf("%w: signature is not 64 bytes", ErrMalformed)

// wrap returns sentinel wrapped with a formatted detail.
func wrap(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}
