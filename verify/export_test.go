package verify

import "github.com/offcode/offcode/codec"

// CheckSignature exposes steps 7-9 alone to the vector tests, which check
// each step's expected result on its own.
func (v *Verifier) CheckSignature(c *codec.Code) (*TrustedKey, error) { return v.checkSignature(c) }

// CheckWindow exposes step 10 alone to the vector tests.
var CheckWindow = checkWindow
