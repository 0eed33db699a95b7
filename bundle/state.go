package bundle

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/internal/readlimit"
)

// State is what a device holds: its root public keys and the full bundle it
// last accepted (SPEC.md §13.1, §13.8, §13.14). A State made by OpenState
// also keeps the bundle in a directory, so that it survives a restart and
// an older bundle offered later is refused; a State made as a literal is in
// memory only.
type State struct {
	Roots  []ed25519.PublicKey
	Bundle *Bundle // nil before the first bundle

	dir string // "" for a State in memory only
}

// heldFile is the file of a state directory that holds the payload of the
// full bundle accepted last; the payload carries its sequence.
const heldFile = "bundle.cbor"

// OpenState returns the state kept in dir, a directory holding the bundle a
// device accepted last (SPEC.md §13.14). A missing directory or an empty one
// is a state with no bundle. The held payload is not signed (a delta's
// result has no signature of its own) and is trusted as the device's own
// storage; it is decoded as strictly as a bundle offered.
func OpenState(dir string, roots ...ed25519.PublicKey) (*State, error) {
	s := &State{Roots: roots, dir: dir}
	if err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *State) load() error {
	p := filepath.Join(s.dir, heldFile)
	data, err := readlimit.File(p, MaxSize)
	if errors.Is(err, fs.ErrNotExist) {
		s.Bundle = nil
		return nil
	}
	if err != nil {
		return fmt.Errorf("bundle: reading device state: %w", err)
	}
	b, err := ParsePayload(data)
	if err == nil && b.Delta != nil {
		err = malformed("a delta bundle")
	}
	if err != nil {
		return fmt.Errorf("bundle: device state %s: %w", p, err)
	}
	s.Bundle = b
	return nil
}

// Accept offers a signed bundle, full or delta, to the device (SPEC.md
// §13.8). On success the device holds the new full bundle; on failure it
// keeps what it held, and AcceptanceOf(err) names the reason. A State kept
// in a directory re-reads the bundle held there first, under a lock, and
// writes the new one atomically: however many processes sync at once, the
// directory never goes back to an older or equal sequence.
func (s *State) Accept(data []byte) error {
	if s.dir == "" {
		return s.accept(data)
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return fmt.Errorf("bundle: device state: %w", err)
	}
	unlock, err := lockDir(s.dir)
	if err != nil {
		return fmt.Errorf("bundle: locking device state: %w", err)
	}
	defer unlock()
	if err := s.load(); err != nil {
		return err
	}
	held := s.Bundle
	if err := s.accept(data); err != nil {
		return err
	}
	p, err := MarshalPayload(s.Bundle)
	if err == nil {
		err = atomicfile.WriteFile(filepath.Join(s.dir, heldFile), p, 0o644)
	}
	if err != nil {
		s.Bundle = held
		return fmt.Errorf("bundle: saving device state: %w", err)
	}
	return nil
}

func (s *State) accept(data []byte) error {
	b, err := Open(data, s.Roots...)
	if err != nil {
		return err
	}
	if s.Bundle != nil && b.Sequence <= s.Bundle.Sequence {
		return &RollbackError{Held: s.Bundle.Sequence, Got: b.Sequence, Same: sameBundle(s.Bundle, b)}
	}
	if b.Delta != nil {
		if s.Bundle == nil {
			return fmt.Errorf("%w: a delta needs a bundle to apply to, and none is held", ErrDeltaMismatch)
		}
		if b, err = s.Bundle.apply(b); err != nil {
			return err
		}
	}
	s.Bundle = b
	return nil
}

// sameBundle reports whether offered, full or delta, stands for the full
// bundle held.
func sameBundle(held, offered *Bundle) bool {
	if held.Sequence != offered.Sequence {
		return false
	}
	h, err := payloadDigest(held)
	if err != nil {
		return false
	}
	if offered.Delta != nil {
		return offered.Delta.Result == h
	}
	o, err := payloadDigest(offered)
	return err == nil && bytes.Equal(h[:], o[:])
}
