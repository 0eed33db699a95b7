package bundle

import (
	"errors"
	"fmt"
	"time"

	"github.com/offcode/offcode/verify"
)

// Errors of bundle acceptance (SPEC.md §13.8). Each is wrapped with detail;
// AcceptanceOf maps them onto their Acceptance verdict.
var (
	ErrMalformed        = errors.New("bundle: malformed bundle")
	ErrUnknownRoot      = errors.New("bundle: bundle is signed by an unknown root key")
	ErrBadRootSignature = errors.New("bundle: root signature does not verify")
	ErrRollback         = errors.New("bundle: bundle is not newer than the one held")
	ErrDeltaMismatch    = errors.New("bundle: delta does not apply to the bundle held")
)

// Errors of verifying a code under a bundle (SPEC.md §13.9), in addition to
// those of packages codec and verify. VerdictOf maps all of them.
var (
	ErrKeyRevoked      = errors.New("bundle: the code's issuer key is revoked as compromised")
	ErrKindNotAllowed  = errors.New("bundle: the issuer key may not sign this kind of code")
	ErrRevoked         = errors.New("bundle: code is revoked")
	ErrIdentityRevoked = errors.New("bundle: every code of this person issued before a time is revoked")
	ErrStaleTrust      = errors.New("bundle: trust bundle is stale")
)

// RollbackError reports a bundle whose sequence is not above the one held.
type RollbackError struct {
	Held, Got uint64
}

func (e *RollbackError) Error() string {
	return fmt.Sprintf("bundle: bundle has sequence %d, not newer than the %d held", e.Got, e.Held)
}

// Unwrap returns ErrRollback.
func (e *RollbackError) Unwrap() error { return ErrRollback }

// StaleError reports a code that would be valid, refused because the bundle
// expired and the policy refuses stale trust data.
type StaleError struct {
	ExpiresAt time.Time
	By        time.Duration
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("bundle: trust bundle expired at %s, %s ago", stamp(e.ExpiresAt), e.By)
}

// Unwrap returns ErrStaleTrust.
func (e *StaleError) Unwrap() error { return ErrStaleTrust }

// IdentityRevokedError reports a code of a person revoked before a time.
type IdentityRevokedError struct {
	IssuedAt, Before time.Time
}

func (e *IdentityRevokedError) Error() string {
	return fmt.Sprintf("bundle: code issued at %s, and this person's codes issued before %s are revoked",
		stamp(e.IssuedAt), stamp(e.Before))
}

// Unwrap returns ErrIdentityRevoked.
func (e *IdentityRevokedError) Unwrap() error { return ErrIdentityRevoked }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// The code verdicts this package adds to those of SPEC.md §8 (SPEC.md §13.9).
// They are of type verify.Verdict so that a caller handles one kind of value,
// but they are not in verify.Verdicts: they form their own closed set,
// Verdicts.
const (
	KeyRevoked      verify.Verdict = "key_revoked"
	KindNotAllowed  verify.Verdict = "kind_not_allowed"
	Revoked         verify.Verdict = "revoked"
	IdentityRevoked verify.Verdict = "identity_revoked"
	StaleTrust      verify.Verdict = "stale_trust"
)

var codeVerdicts = []struct {
	err error
	v   verify.Verdict
}{
	{ErrKeyRevoked, KeyRevoked},
	{ErrKindNotAllowed, KindNotAllowed},
	{ErrRevoked, Revoked},
	{ErrIdentityRevoked, IdentityRevoked},
	{ErrStaleTrust, StaleTrust},
}

// Verdicts returns the code verdicts this package adds to verify.Verdicts,
// in the order of the steps that produce them.
func Verdicts() []verify.Verdict {
	out := make([]verify.Verdict, len(codeVerdicts))
	for i, e := range codeVerdicts {
		out[i] = e.v
	}
	return out
}

// VerdictOf returns the verdict for an error of Verifier.Verify: one of
// Verdicts, or else verify.VerdictOf(err).
func VerdictOf(err error) verify.Verdict {
	for _, e := range codeVerdicts {
		if errors.Is(err, e.err) {
			return e.v
		}
	}
	return verify.VerdictOf(err)
}

// Acceptance is the outcome of offering a bundle to a device (SPEC.md
// §13.8): Accepted, or the one reason it was refused. The set is closed and
// each value is the "expect_bundle" of a bundle test vector.
type Acceptance string

// The acceptance verdicts, in the order of the steps that produce them.
const (
	Accepted         Acceptance = "accepted"
	MalformedBundle  Acceptance = "malformed_bundle"
	UnknownRoot      Acceptance = "unknown_root"
	BadRootSignature Acceptance = "bad_root_signature"
	Rollback         Acceptance = "rollback"
	DeltaMismatch    Acceptance = "delta_mismatch"
)

var acceptances = []struct {
	err error
	a   Acceptance
}{
	{ErrMalformed, MalformedBundle},
	{ErrUnknownRoot, UnknownRoot},
	{ErrBadRootSignature, BadRootSignature},
	{ErrRollback, Rollback},
	{ErrDeltaMismatch, DeltaMismatch},
}

// Acceptances returns every acceptance verdict, Accepted first.
func Acceptances() []Acceptance {
	out := []Acceptance{Accepted}
	for _, e := range acceptances {
		out = append(out, e.a)
	}
	return out
}

// AcceptanceOf returns the acceptance verdict for an error of Open or
// State.Accept: Accepted for nil, "" for an error that is not a verdict.
func AcceptanceOf(err error) Acceptance {
	if err == nil {
		return Accepted
	}
	for _, e := range acceptances {
		if errors.Is(err, e.err) {
			return e.a
		}
	}
	return ""
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}
