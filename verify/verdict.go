package verify

import (
	"errors"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
)

// Verdict is the outcome of verifying a code: Valid, or the one reason it was
// rejected. The set is closed: the verdicts of SPEC.md §8.2 and those a
// trust bundle adds (§13.9). Each value is the verdict of a test vector.
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
	KeyRevoked            Verdict = "key_revoked"
	KeyNotValid           Verdict = "key_not_valid"
	KindNotAllowed        Verdict = "kind_not_allowed"
	WindowTooLong         Verdict = "window_too_long"
	NotYetValid           Verdict = "not_yet_valid"
	Expired               Verdict = "expired"
	Revoked               Verdict = "revoked"
	IdentityRevoked       Verdict = "identity_revoked"
	StaleTrust            Verdict = "stale_trust"
	IDMismatch            Verdict = "id_mismatch"
)

// verdicts maps errors onto verdicts, in step order. VerdictOf takes the
// first entry whose error the error wraps, so a sentinel that wraps another
// must come first. To add a verdict, add its constant and one row here.
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
	{ErrKeyRevoked, KeyRevoked},
	{ErrKeyNotValid, KeyNotValid},
	{ErrKindNotAllowed, KindNotAllowed},
	{ErrWindowTooLong, WindowTooLong},
	{ErrNotYetValid, NotYetValid},
	{ErrExpired, Expired},
	{ErrRevoked, Revoked},
	{ErrIdentityRevoked, IdentityRevoked},
	{ErrStaleTrust, StaleTrust},
	{ErrIDMismatch, IDMismatch},
	{format.ErrHashVersion, BadClaim},
}

// Verdicts returns every verdict, Valid first, in step order.
func Verdicts() []Verdict {
	out := []Verdict{Valid}
	seen := map[Verdict]bool{Valid: true}
	for _, e := range verdicts {
		if !seen[e.v] {
			seen[e.v] = true
			out = append(out, e.v)
		}
	}
	return out
}

// VerdictOf returns the verdict for an error returned by Verify, MatchID or
// codec.Decode, and Valid for nil. It is total: an error that is none of
// those (which Verify never returns) is Malformed, the verdict of a code
// that could not be read, and never Valid.
func VerdictOf(err error) Verdict {
	if err == nil {
		return Valid
	}
	for _, e := range verdicts {
		if errors.Is(err, e.err) {
			return e.v
		}
	}
	return Malformed
}
