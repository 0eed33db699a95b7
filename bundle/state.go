package bundle

import (
	"crypto/ed25519"
	"fmt"
)

// State is what a device holds: its root public keys and the full bundle it
// last accepted (SPEC.md §13.1, §13.8). The device stores Bundle (for
// example with MarshalPayload) and restores it with ParsePayload; the
// signature need not be kept, since the bundle was checked when accepted.
type State struct {
	Roots  []ed25519.PublicKey
	Bundle *Bundle // nil before the first bundle
}

// Accept offers a signed bundle, full or delta, to the device (SPEC.md
// §13.8). On success the device holds the new full bundle; on failure it
// keeps what it held, and AcceptanceOf(err) names the reason.
func (s *State) Accept(data []byte) error {
	b, err := Open(data, s.Roots...)
	if err != nil {
		return err
	}
	if s.Bundle != nil && b.Sequence <= s.Bundle.Sequence {
		return &RollbackError{Held: s.Bundle.Sequence, Got: b.Sequence}
	}
	if b.Delta != nil {
		if s.Bundle == nil {
			return fmt.Errorf("%w: a delta needs a bundle to apply to, and none is held", ErrDeltaMismatch)
		}
		if b, err = s.Bundle.Apply(b); err != nil {
			return err
		}
	}
	s.Bundle = b
	return nil
}
