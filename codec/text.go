package codec

import (
	"errors"
	"strings"

	"github.com/offcode/offcode/internal/format"
)

// Prefix starts the text form of a version 1 code (SPEC.md §6).
const Prefix = "OC1:"

// MaxTextSize bounds the text form a decoder accepts, so that no input makes
// it do unbounded work. A real code is under 300 characters.
const MaxTextSize = 1024

// Code is a decoded offline code: its COSE_Sign1 message and its claims.
// A Code returned by Decode is well-formed; its signature is not yet checked.
type Code struct {
	Message
	Claims Claims
}

// Encode returns the text form of a COSE_Sign1 message: Prefix followed by
// Base45 of its bytes.
func Encode(cose []byte) string {
	b := make([]byte, 0, len(Prefix)+format.Base45EncodedLen(len(cose)))
	b = append(b, Prefix...)
	return string(format.AppendBase45(b, cose))
}

// Decode parses the text form of a code strictly (SPEC.md §8 steps 1-6).
// The error wraps one of the package's sentinels.
func Decode(text string) (*Code, error) {
	c := new(Code)
	if err := decode(text, c); err != nil {
		return nil, err
	}
	return c, nil
}

func decode(text string, c *Code) error {
	if len(text) > MaxTextSize {
		return wrap(ErrTooLarge, "%d characters, at most %d", len(text), MaxTextSize)
	}
	if !strings.HasPrefix(text, Prefix) {
		return wrap(ErrPrefix, "text does not start with %q", Prefix)
	}
	b, err := format.DecodeBase45(text[len(Prefix):])
	if err != nil {
		var be *format.Base45Error
		if errors.As(err, &be) {
			return wrap(ErrBase45, "%s", be.Detail)
		}
		return wrap(ErrBase45, "%v", err)
	}
	if err := parseMessage(b, &c.Message); err != nil {
		return err
	}
	c.Claims, err = UnmarshalClaims(c.Payload)
	return err
}
