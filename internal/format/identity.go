package format

// Parameters of identity hash version 2 (SPEC.md §5.2), shared by package
// identity, which computes the hash, and package codec, which checks a
// code's digest.
const (
	// HashVersion is the one identity hash version offcode implements.
	// Version 1 carried all 128 bits of the Argon2id output; it is refused.
	HashVersion = 2
	// SaltSize is the size of an identity hash salt.
	SaltSize = 16
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

// SumMask is the mask of the digest's bits in its last byte.
const SumMask = byte(0xff << (8*SumSize - SumBits) & 0xff)

// ValidSum reports whether sum is SumSize bytes with the bits beyond SumBits
// zero, as SPEC.md §4.1 requires of a code's digest.
func ValidSum(sum []byte) bool { return len(sum) == SumSize && sum[SumSize-1]&^SumMask == 0 }
