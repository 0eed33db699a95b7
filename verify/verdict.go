package verify

import (
	"errors"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
)

// Verdict is the outcome of verifying a code: Valid, or the one reason it was
// rejected. The set is closed and each value is the "verdict" of a test
// vector (SPEC.md §8.2).
type Verdict string

// The verdicts, in the order of the steps that produce them.
const (
	Valid                 Verdict = "valid"
	TooLarge              Verdict = "too_large"
	BadPrefix             Verdict = "bad_prefix"
	BadBase45             Verdict = "bad_base45"
	Malformed             Verdict = "malformed"
	TrailingBytes         Verdict = "trailing_bytes"
	IndefiniteLength      Verdict = "indefinite_length"
	DuplicateKey          Verdict = "duplicate_key"
	NonCanonicalCBOR      Verdict = "noncanonical_cbor"
	BadTag                Verdict = "bad_tag"
	UnsupportedAlg        Verdict = "unsupported_alg"
	MissingKid            Verdict = "missing_kid"
	BadHeader             Verdict = "bad_header"
	MissingClaim          Verdict = "missing_claim"
	UnknownClaim          Verdict = "unknown_claim"
	BadClaim              Verdict = "bad_claim"
	UnknownKid            Verdict = "unknown_kid"
	NonCanonicalSignature Verdict = "noncanonical_signature"
	BadSignature          Verdict = "bad_signature"
	KeyNotValid           Verdict = "key_not_valid"
	WindowTooLong         Verdict = "window_too_long"
	NotYetValid           Verdict = "not_yet_valid"
	Expired               Verdict = "expired"
	IDMismatch            Verdict = "id_mismatch"
)

var verdicts = []struct {
	err error
	v   Verdict
}{
	{codec.ErrTooLarge, TooLarge},
	{codec.ErrPrefix, BadPrefix},
	{codec.ErrBase45, BadBase45},
	{codec.ErrMalformed, Malformed},
	{codec.ErrTrailingBytes, TrailingBytes},
	{codec.ErrIndefinite, IndefiniteLength},
	{codec.ErrDuplicateKey, DuplicateKey},
	{codec.ErrNonCanonical, NonCanonicalCBOR},
	{codec.ErrTag, BadTag},
	{codec.ErrAlgorithm, UnsupportedAlg},
	{codec.ErrMissingKeyID, MissingKid},
	{codec.ErrHeader, BadHeader},
	{codec.ErrMissingClaim, MissingClaim},
	{codec.ErrUnknownClaim, UnknownClaim},
	{codec.ErrClaim, BadClaim},
	{ErrUnknownKey, UnknownKid},
	{ErrNonCanonicalSignature, NonCanonicalSignature},
	{ErrBadSignature, BadSignature},
	{ErrKeyNotValid, KeyNotValid},
	{ErrWindowTooLong, WindowTooLong},
	{ErrNotYetValid, NotYetValid},
	{ErrExpired, Expired},
	{ErrIDMismatch, IDMismatch},
	{identity.ErrHashVersion, BadClaim},
}

// Verdicts returns every verdict, Valid first.
func Verdicts() []Verdict {
	out := []Verdict{Valid}
	for _, e := range verdicts {
		if e.v != out[len(out)-1] && e.err != identity.ErrHashVersion {
			out = append(out, e.v)
		}
	}
	return out
}

// VerdictOf returns the verdict for an error returned by Verify or by
// codec.Decode: Valid for nil, and "" for an error that is not a verdict
// (a programming error such as a nil trust store).
func VerdictOf(err error) Verdict {
	if err == nil {
		return Valid
	}
	for _, e := range verdicts {
		if errors.Is(err, e.err) {
			return e.v
		}
	}
	return ""
}
