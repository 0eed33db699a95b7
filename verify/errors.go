package verify

import (
	"errors"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
)

// Errors of the signature, window, bundle and identity steps (SPEC.md §8
// steps 7-11, §13.9). Decoding errors come from package codec. They are not
// exported: a caller branches on the Verdict (errors.Is(err, Expired)), and
// the verdicts table of verdict.go maps each of them onto its own.
var (
	errUnknownKey            = errors.New("verify: no trusted key has the code's kid")
	errKeyRevoked            = errors.New("verify: the code's issuer key is revoked as compromised")
	errKeyNotValid           = errors.New("verify: code was issued outside its key's validity period")
	errKindNotAllowed        = errors.New("verify: the issuer key may not sign this kind of code")
	errNonCanonicalSignature = errors.New("verify: signature S is not canonical (S >= L)")
	errBadSignature          = errors.New("verify: signature does not verify")
	errWindowTooLong         = errors.New("verify: validity window is longer than 7 days")
	errNotYetValid           = errors.New("verify: code is issued in the future")
	errExpired               = errors.New("verify: code expired")
	errRevoked               = errors.New("verify: code is revoked")
	errIdentityRevoked       = errors.New("verify: every code of this person issued before a time is revoked")
	errStaleTrust            = errors.New("verify: trust bundle is stale")
	errIDMismatch            = errors.New("verify: presented ID does not match the code")
)

// unknownKeyError reports a code whose kid is in no trusted key.
type unknownKeyError struct {
	KeyID codec.KeyID
}

func (e *unknownKeyError) Error() string {
	return fmt.Sprintf("verify: no trusted key has kid %s", e.KeyID)
}

// Unwrap returns errUnknownKey.
func (e *unknownKeyError) Unwrap() error { return errUnknownKey }

// windowError reports a code outside its validity window, or with a window
// too long. Err is errWindowTooLong, errNotYetValid or errExpired.
type windowError struct {
	Err                 error
	IssuedAt, ExpiresAt time.Time
	Now                 time.Time
}

func (e *windowError) Error() string {
	switch e.Err {
	case errExpired:
		return fmt.Sprintf("verify: code expired at %s, %s ago", stamp(e.ExpiresAt), e.Now.Sub(e.ExpiresAt))
	case errNotYetValid:
		return fmt.Sprintf("verify: code is issued at %s, %s in the future", stamp(e.IssuedAt), e.IssuedAt.Sub(e.Now))
	}
	return fmt.Sprintf("verify: validity window %s to %s is %s, longer than 7 days",
		stamp(e.IssuedAt), stamp(e.ExpiresAt), e.ExpiresAt.Sub(e.IssuedAt))
}

// Unwrap returns e.Err.
func (e *windowError) Unwrap() error { return e.Err }

// staleError reports a code that would be valid, refused because the trust
// bundle expired longer ago than the Verifier's StaleGrace.
type staleError struct {
	ExpiresAt time.Time
	By        time.Duration // how long ago the bundle expired
	Grace     time.Duration
}

func (e *staleError) Error() string {
	return fmt.Sprintf("verify: trust bundle expired at %s, %s ago (grace %s); sync the device", stamp(e.ExpiresAt), e.By, e.Grace)
}

// Unwrap returns errStaleTrust.
func (e *staleError) Unwrap() error { return errStaleTrust }

// identityRevokedError reports a code of a person whose codes issued before
// a time are revoked.
type identityRevokedError struct {
	IssuedAt, Before time.Time
}

func (e *identityRevokedError) Error() string {
	return fmt.Sprintf("verify: code issued at %s, and this person's codes issued before %s are revoked",
		stamp(e.IssuedAt), stamp(e.Before))
}

// Unwrap returns errIdentityRevoked.
func (e *identityRevokedError) Unwrap() error { return errIdentityRevoked }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
