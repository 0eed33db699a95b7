package identity

import (
	"errors"
	"fmt"
)

// Reasons an ID number is refused. An *IDError wraps exactly one of them.
var (
	ErrLength     = errors.New("identity: ID number has the wrong length")
	ErrCharacter  = errors.New("identity: ID number has a character that is not allowed")
	ErrCheckDigit = errors.New("identity: ID number check digit is wrong")
	ErrBirthDate  = errors.New("identity: ID number birth date is impossible or in the future")
)

// ErrHashVersion is returned for an identity hash version this package does
// not implement.
var ErrHashVersion = errors.New("identity: unknown identity hash version")

// IDError describes an ID number that failed validation. Input is what the
// caller passed; it is not included in Error, since it is personal data.
type IDError struct {
	Input  string
	Reason error  // one of ErrLength, ErrCharacter, ErrCheckDigit, ErrBirthDate
	Detail string // what exactly is wrong, without the number itself
}

func (e *IDError) Error() string {
	return fmt.Sprintf("%v: %s", e.Reason, e.Detail)
}

func (e *IDError) Unwrap() error { return e.Reason }
