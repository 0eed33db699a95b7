package identity

import (
	"crypto/subtle"
	"fmt"

	"github.com/offcode/offcode/internal/format"
	"golang.org/x/crypto/argon2"
)

// SaltSize is the size of an identity hash salt (SPEC.md §5.2).
const SaltSize = 16

// Hash is the salted identity hash an offline code carries instead of the
// ID number: a short digest, so that cracking a code leaves many
// candidates (SPEC.md §5).
type Hash struct {
	// Version is 2, the one version this package implements; a code
	// carrying another is refused (SPEC.md §5.2).
	Version uint8
	Salt    [SaltSize]byte
	// Sum is the first 20 bits of the Argon2id output, the low 4 bits of
	// its last byte zero (SPEC.md §5.4).
	Sum [3]byte
}

// The salt and digest of version 2 are 16 and 3 bytes (internal/format).
var (
	_ [format.SaltSize]byte = Hash{}.Salt
	_ [format.SumSize]byte  = Hash{}.Sum
)

// HashID computes the identity hash of id under salt. It costs one Argon2id
// evaluation (about 5 ms on a server core, see BENCHMARKS.md). It panics if
// id is the zero ID, which is a programming error.
func HashID(id ID, salt [SaltSize]byte) Hash {
	if id.isZero() {
		panic("identity: HashID of zero ID")
	}
	h := Hash{Version: format.HashVersion, Salt: salt}
	copy(h.Sum[:], argon2.IDKey([]byte(id.s), salt[:], format.Argon2Time, format.Argon2MemoryK, format.Argon2Threads, format.Argon2Output))
	h.Sum[format.SumSize-1] &= format.SumMask
	return h
}

// Matches reports whether h is the hash of id. It returns an error for a
// hash version it does not know (verify.VerdictOf names it bad_claim). With
// a 20-bit digest, another person's ID matches with probability 2^-20
// (SPEC.md §5.4).
func (h Hash) Matches(id ID) (bool, error) {
	if h.Version != format.HashVersion {
		return false, fmt.Errorf("%w %d", format.ErrHashVersion, h.Version)
	}
	got := HashID(id, h.Salt)
	return subtle.ConstantTimeCompare(got.Sum[:], h.Sum[:]) == 1, nil
}
