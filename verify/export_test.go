package verify

import (
	"errors"

	"github.com/offcode/offcode/codec"
)

// CheckSignature exposes steps 7-9 alone to the vector tests, which check
// each step's expected result on its own.
func (v *Verifier) CheckSignature(c *codec.Code) (*trustedKey, error) { return v.checkSignature(c) }

// Verdicts returns every verdict, Valid first, in step order.
var Verdicts = allVerdicts

// CheckWindow exposes step 10 alone to the vector tests.
var CheckWindow = checkWindow

// HasVerdict reports whether err is one a verdict is defined for, rather
// than one VerdictOf maps to Malformed only because it knows no other.
func HasVerdict(err error) bool {
	for _, e := range verdicts {
		if errors.Is(err, e.err) {
			return true
		}
	}
	return false
}
