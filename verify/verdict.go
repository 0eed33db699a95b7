package verify

import (
	"errors"

	"github.com/offcode/offcode/internal/format"
)

// Verdict is the outcome of verifying a code: Valid, or the one reason it was
// rejected. The set is closed: the verdicts of SPEC.md §8.2 and those a
// trust bundle adds (§13.9). Each value is the verdict of a test vector, and
// the string a JSON report carries.
//
// Every error of Verify and MatchID carries its verdict, so a caller can
// branch with errors.Is(err, verify.Expired) as well as with VerdictOf.
type Verdict string

// Error returns the verdict as it is written in a vector, "expired", so
// that a Verdict can be the target of errors.Is. Verify never returns Valid
// as an error.
func (v Verdict) Error() string { return string(v) }

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
	{format.ErrTooLarge, TooLarge},
	{format.ErrPrefix, BadPrefix},
	{format.ErrBase45, BadBase45},
	{format.ErrMalformed, Malformed},
	{format.ErrTrailingBytes, TrailingBytes},
	{format.ErrIndefinite, IndefiniteLength},
	{format.ErrDuplicateKey, DuplicateKey},
	{format.ErrNonCanonical, NonCanonicalCBOR},
	{format.ErrTag, BadTag},
	{format.ErrAlgorithm, UnsupportedAlg},
	{format.ErrMissingKeyID, MissingKid},
	{format.ErrHeader, BadHeader},
	{format.ErrMissingClaim, MissingClaim},
	{format.ErrUnknownClaim, UnknownClaim},
	{format.ErrClaim, BadClaim},
	{errUnknownKey, UnknownKid},
	{errNonCanonicalSignature, NonCanonicalSignature},
	{errBadSignature, BadSignature},
	{errKeyRevoked, KeyRevoked},
	{errKeyNotValid, KeyNotValid},
	{errKindNotAllowed, KindNotAllowed},
	{errWindowTooLong, WindowTooLong},
	{errNotYetValid, NotYetValid},
	{errExpired, Expired},
	{errRevoked, Revoked},
	{errIdentityRevoked, IdentityRevoked},
	{errStaleTrust, StaleTrust},
	{errIDMismatch, IDMismatch},
	{format.ErrHashVersion, BadClaim},
}

// allVerdicts returns every verdict, Valid first, in step order.
func allVerdicts() []Verdict {
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
// codec.Decode, or that wraps a Verdict, and Valid for nil. It is total: an
// error that is none of those (which Verify never returns) is Malformed,
// the verdict of a code that could not be read, and never Valid.
func VerdictOf(err error) Verdict {
	if err == nil {
		return Valid
	}
	var ve *verdictError
	if errors.As(err, &ve) {
		return ve.v
	}
	var v Verdict
	if errors.As(err, &v) && v != Valid {
		return v
	}
	return verdictOfCause(err)
}

// verdictOfCause looks err up in the verdicts table.
func verdictOfCause(err error) Verdict {
	for _, e := range verdicts {
		if errors.Is(err, e.err) {
			return e.v
		}
	}
	return Malformed
}

// verdictError is an error of Verify or MatchID with its verdict: its
// message is the cause's, and errors.Is matches both the cause and the
// Verdict.
type verdictError struct {
	v   Verdict
	err error
}

func (e *verdictError) Error() string { return e.err.Error() }
func (e *verdictError) Unwrap() error { return e.err }

// Is reports whether target is e's Verdict.
func (e *verdictError) Is(target error) bool {
	v, ok := target.(Verdict)
	return ok && v == e.v
}

// withVerdict returns err carrying its verdict, or nil for nil.
func withVerdict(err error) error {
	if err == nil {
		return nil
	}
	var ve *verdictError
	if errors.As(err, &ve) {
		return err
	}
	return &verdictError{v: VerdictOf(err), err: err}
}
