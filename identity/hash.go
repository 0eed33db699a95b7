package identity

import (
	"crypto/subtle"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
)

// Sizes and parameters of identity hash version 2 (SPEC.md §5.2).
const (
	// HashVersion is the one identity hash version this package implements.
	// Version 1 carried all 128 bits of the Argon2id output; it is refused.
	HashVersion = 2
	SaltSize    = 16
	// SumBits is the number of bits of the Argon2id output a code carries:
	// enough that another person's card matches by chance about once in a
	// million checks, few enough that a bulk attacker is left with hundreds
	// of equally good candidates per code (SPEC.md §5.4).
	SumBits = 20
	// SumSize is the size of the carried digest in bytes: the first SumBits
	// bits of the output, the remaining low bits of the last byte zero.
	SumSize = (SumBits + 7) / 8

	// Argon2id parameters, unchanged since version 1.
	Argon2Time    = 2
	Argon2MemoryK = 4096 // KiB
	Argon2Threads = 1
	// Argon2Output is the Argon2id tag length; the digest is its prefix.
	Argon2Output = 16
)

// sumMask is the mask of the digest's bits in its last byte.
const sumMask = byte(0xff << (8*SumSize - SumBits) & 0xff)

// Hash is the salted identity hash an offline code carries instead of the
// ID number: a short digest, so that cracking a code leaves many
// candidates (SPEC.md §5).
type Hash struct {
	Version uint8
	Salt    [SaltSize]byte
	Sum     [SumSize]byte
}

// ValidSum reports whether the bits of sum beyond SumBits are zero, as
// SPEC.md §4.1 requires of a code's digest.
func ValidSum(sum []byte) bool { return len(sum) == SumSize && sum[SumSize-1]&^sumMask == 0 }

// NewSalt reads a fresh salt from r, normally crypto/rand.Reader.
func NewSalt(r io.Reader) ([SaltSize]byte, error) {
	var s [SaltSize]byte
	if _, err := io.ReadFull(r, s[:]); err != nil {
		return s, fmt.Errorf("identity: reading salt: %w", err)
	}
	return s, nil
}

// HashID computes the identity hash of id under salt. It costs one Argon2id
// evaluation (about 5 ms on a server core, see BENCHMARKS.md). It panics if
// id is the zero ID, which is a programming error.
func HashID(id ID, salt [SaltSize]byte) Hash {
	if id.IsZero() {
		panic("identity: HashID of zero ID")
	}
	h := Hash{Version: HashVersion, Salt: salt}
	copy(h.Sum[:], argon2.IDKey([]byte(id.s), salt[:], Argon2Time, Argon2MemoryK, Argon2Threads, Argon2Output))
	h.Sum[SumSize-1] &= sumMask
	return h
}

// Matches reports whether h is the hash of id. It returns ErrHashVersion for
// a hash version it does not know. With a SumBits-bit digest, another
// person's ID matches with probability 2^-SumBits (SPEC.md §5.4).
func (h Hash) Matches(id ID) (bool, error) {
	if h.Version != HashVersion {
		return false, fmt.Errorf("%w %d", ErrHashVersion, h.Version)
	}
	got := HashID(id, h.Salt)
	return subtle.ConstantTimeCompare(got.Sum[:], h.Sum[:]) == 1, nil
}
