package identity

import (
	"crypto/subtle"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
)

// Sizes and parameters of identity hash version 1 (SPEC.md §5.2).
const (
	HashVersion1 = 1
	SaltSize     = 16
	SumSize      = 16

	// Argon2id parameters of version 1.
	Argon2Time    = 2
	Argon2MemoryK = 4096 // KiB
	Argon2Threads = 1
)

// Hash is the salted identity hash an offline code carries instead of the
// ID number.
type Hash struct {
	Version uint8
	Salt    [SaltSize]byte
	Sum     [SumSize]byte
}

// NewSalt reads a fresh salt from r, normally crypto/rand.Reader.
func NewSalt(r io.Reader) ([SaltSize]byte, error) {
	var s [SaltSize]byte
	if _, err := io.ReadFull(r, s[:]); err != nil {
		return s, fmt.Errorf("identity: reading salt: %w", err)
	}
	return s, nil
}

// HashID computes the version 1 identity hash of id under salt. It costs one
// Argon2id evaluation (about 5 ms on a server core, see BENCHMARKS.md).
// It panics if id is the zero ID, which is a programming error.
func HashID(id ID, salt [SaltSize]byte) Hash {
	if id.IsZero() {
		panic("identity: HashID of zero ID")
	}
	h := Hash{Version: HashVersion1, Salt: salt}
	copy(h.Sum[:], argon2.IDKey([]byte(id.s), salt[:], Argon2Time, Argon2MemoryK, Argon2Threads, SumSize))
	return h
}

// Matches reports whether h is the hash of id. It returns ErrHashVersion for
// a hash version it does not know.
func (h Hash) Matches(id ID) (bool, error) {
	if h.Version != HashVersion1 {
		return false, fmt.Errorf("%w %d", ErrHashVersion, h.Version)
	}
	got := HashID(id, h.Salt)
	return subtle.ConstantTimeCompare(got.Sum[:], h.Sum[:]) == 1, nil
}
