package codec

import (
	"errors"
	"strings"

	"github.com/offcode/offcode/internal/format"
)

// Prefix starts the text form of a version 1 code (SPEC.md §6).
const Prefix = "OC1:"

// Code is a decoded offline code. A Code returned by Decode is well-formed;
// its signature is not yet checked (package verify does that).
type Code struct {
	// KeyID is the kid of the protected header: which issuer key signed.
	KeyID  KeyID
	Claims Claims
	// Protected, Payload and Signature are the members of the COSE_Sign1
	// message exactly as received. The signature is over the raw
	// Protected and Payload bytes (SPEC.md §3.3).
	Protected, Payload, Signature []byte
}

// Decode parses the text form of a code strictly (SPEC.md §8 steps 1-6):
// Prefix, Base45, the COSE_Sign1 envelope and the claims. The error says
// what is wrong; verify.VerdictOf names it with the verdict of SPEC.md §8.2
// ("bad_prefix", "noncanonical_cbor", ...).
func Decode(text string) (*Code, error) {
	c := new(Code)
	if err := decode(text, c); err != nil {
		return nil, err
	}
	return c, nil
}

func decode(text string, c *Code) error {
	if len(text) > format.MaxTextSize {
		return wrap(format.ErrTooLarge, "%d characters, at most %d", len(text), format.MaxTextSize)
	}
	if !strings.HasPrefix(text, Prefix) {
		return wrap(format.ErrPrefix, "text does not start with %q", Prefix)
	}
	b, err := format.DecodeBase45(text[len(Prefix):])
	if err != nil {
		var be *format.Base45Error
		if errors.As(err, &be) {
			return wrap(format.ErrBase45, "%s", be.Detail)
		}
		return wrap(format.ErrBase45, "%v", err)
	}
	if err := parseCOSE(b, c); err != nil {
		return err
	}
	c.Claims, err = unmarshalClaims(c.Payload)
	return err
}
