package verify

import (
	"errors"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
)

// Errors of the signature, window and identity steps (SPEC.md §8 steps
// 7-11). Decoding errors come from package codec. VerdictOf maps every one
// of them onto its Verdict.
var (
	ErrUnknownKey            = errors.New("verify: no trusted key has the code's kid")
	ErrKeyNotValid           = errors.New("verify: code was issued outside its key's validity period")
	ErrNonCanonicalSignature = errors.New("verify: signature S is not canonical (S >= L)")
	ErrBadSignature          = errors.New("verify: signature does not verify")
	ErrWindowTooLong         = errors.New("verify: validity window is longer than 7 days")
	ErrNotYetValid           = errors.New("verify: code is issued in the future")
	ErrExpired               = errors.New("verify: code expired")
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

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
