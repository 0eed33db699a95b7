package verify

import (
	"errors"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
)

// Errors of the signature, window, bundle and identity steps (SPEC.md §8
// steps 7-11, §13.9). Decoding errors come from package codec. VerdictOf
// maps every one of them onto its Verdict.
var (
	ErrUnknownKey            = errors.New("verify: no trusted key has the code's kid")
	ErrKeyRevoked            = errors.New("verify: the code's issuer key is revoked as compromised")
	ErrKeyNotValid           = errors.New("verify: code was issued outside its key's validity period")
	ErrKindNotAllowed        = errors.New("verify: the issuer key may not sign this kind of code")
	ErrNonCanonicalSignature = errors.New("verify: signature S is not canonical (S >= L)")
	ErrBadSignature          = errors.New("verify: signature does not verify")
	ErrWindowTooLong         = errors.New("verify: validity window is longer than 7 days")
	ErrNotYetValid           = errors.New("verify: code is issued in the future")
	ErrExpired               = errors.New("verify: code expired")
	ErrRevoked               = errors.New("verify: code is revoked")
	ErrIdentityRevoked       = errors.New("verify: every code of this person issued before a time is revoked")
	ErrStaleTrust            = errors.New("verify: trust bundle is stale")
	ErrIDMismatch            = errors.New("verify: presented ID does not match the code")
	ErrTrustStore            = errors.New("verify: invalid trust store")
)

// UnknownKeyError reports a code whose kid is in no trusted key.
type UnknownKeyError struct {
	KeyID codec.KeyID
}

func (e *UnknownKeyError) Error() string {
	return fmt.Sprintf("verify: no trusted key has kid %s", KeyIDString(e.KeyID))
}

// Unwrap returns ErrUnknownKey.
func (e *UnknownKeyError) Unwrap() error { return ErrUnknownKey }

// WindowError reports a code outside its validity window, or with a window
// too long. Err is ErrWindowTooLong, ErrNotYetValid or ErrExpired.
type WindowError struct {
	Err                 error
	IssuedAt, ExpiresAt time.Time
	Now                 time.Time
}

func (e *WindowError) Error() string {
	switch e.Err {
	case ErrExpired:
		return fmt.Sprintf("verify: code expired at %s, %s ago", stamp(e.ExpiresAt), e.Now.Sub(e.ExpiresAt))
	case ErrNotYetValid:
		return fmt.Sprintf("verify: code is issued at %s, %s in the future", stamp(e.IssuedAt), e.IssuedAt.Sub(e.Now))
	}
	return fmt.Sprintf("verify: validity window %s to %s is %s, longer than 7 days",
		stamp(e.IssuedAt), stamp(e.ExpiresAt), e.ExpiresAt.Sub(e.IssuedAt))
}

// Unwrap returns e.Err.
func (e *WindowError) Unwrap() error { return e.Err }

// StaleError reports a code that would be valid, refused because the trust
// bundle expired longer ago than the Verifier's StaleGrace.
type StaleError struct {
	ExpiresAt time.Time
	By        time.Duration // how long ago the bundle expired
	Grace     time.Duration
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("verify: trust bundle expired at %s, %s ago (grace %s); sync the device", stamp(e.ExpiresAt), e.By, e.Grace)
}

// Unwrap returns ErrStaleTrust.
func (e *StaleError) Unwrap() error { return ErrStaleTrust }

// IdentityRevokedError reports a code of a person whose codes issued before
// a time are revoked.
type IdentityRevokedError struct {
	IssuedAt, Before time.Time
}

func (e *IdentityRevokedError) Error() string {
	return fmt.Sprintf("verify: code issued at %s, and this person's codes issued before %s are revoked",
		stamp(e.IssuedAt), stamp(e.Before))
}

// Unwrap returns ErrIdentityRevoked.
func (e *IdentityRevokedError) Unwrap() error { return ErrIdentityRevoked }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
