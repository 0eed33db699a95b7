package store

import "errors"

// Errors callers branch on.
var (
	ErrNotFound      = errors.New("store: not found")
	ErrGuardianLimit = errors.New("store: guardian has the most relatives allowed")
	ErrRelativeLimit = errors.New("store: relative has the most guardians allowed")
	ErrTooEarly      = errors.New("store: binding is too recent to remove")
	ErrClosed        = errors.New("store: closed")
	ErrNoSecret      = errors.New("store: the service secret is needed to write")
	ErrSealed        = errors.New("store: sealed identity hash does not open with this secret")
)
