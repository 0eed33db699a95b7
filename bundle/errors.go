package bundle

import (
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
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

// RollbackError reports a bundle whose sequence is not above the one held.
// Same is set when the bundle offered is the one held, a replay that would
// change nothing.
type RollbackError struct {
	Held, Got uint64
	Same      bool
}

// Error names both sequences.
func (e *RollbackError) Error() string {
	if e.Same {
		return fmt.Sprintf("bundle: bundle with sequence %d is the one held", e.Got)
	}
	return fmt.Sprintf("bundle: bundle has sequence %d, not newer than the %d held", e.Got, e.Held)
}

// Unwrap returns ErrRollback.
func (e *RollbackError) Unwrap() error { return ErrRollback }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// kidString returns the unpadded base64url form of kid, as JWK Sets and
// "offcode bundle show" write it.
func kidString(kid codec.KeyID) string { return base64.RawURLEncoding.EncodeToString(kid[:]) }

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

// allAcceptances returns every acceptance verdict, Accepted first.
func allAcceptances() []Acceptance {
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
