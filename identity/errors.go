package identity

import (
	"errors"
	"fmt"
)

// Reasons an ID number is refused (SPEC.md §5.1). The error of ParseID wraps
// exactly one of them; test for them with errors.Is.
var (
	ErrLength     = errors.New("identity: ID number has the wrong length")
	ErrCharacter  = errors.New("identity: ID number has a character that is not allowed")
	ErrCheckDigit = errors.New("identity: ID number check digit is wrong")
	ErrBirthDate  = errors.New("identity: ID number birth date is impossible or in the future")
)

// idError describes an ID number that failed validation. It never holds
// the number, which is personal data.
type idError struct {
	reason error  // one of ErrLength, ErrCharacter, ErrCheckDigit, ErrBirthDate
	detail string // what exactly is wrong, without the number itself
}

func (e *idError) Error() string {
	return fmt.Sprintf("%v: %s", e.reason, e.detail)
}

func (e *idError) Unwrap() error { return e.reason }
