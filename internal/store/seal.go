package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"fmt"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

// sealVersion is the first byte of a sealed identity hash.
const sealVersion = 1

// sealedSize is the size of a sealed identity hash: version, nonce, the
// hash (version, salt, sum) and the GCM tag.
const sealedSize = 1 + 12 + 1 + identity.SaltSize + format.SumSize + 16

// sealer seals identity hashes with AES-256-GCM under a key derived from the
// service secret (HKDF-SHA256, info "offcode store identity v1"). The
// person key is the additional data, so a sealed hash cannot be moved to
// another person's row.
type sealer struct {
	aead cipher.AEAD
}

func newSealer(secret []byte) (*sealer, error) {
	if len(secret) == 0 {
		return nil, nil
	}
	k, err := hkdf.Key(sha256.New, secret, nil, "offcode store identity v1", 32)
	if err != nil {
		return nil, fmt.Errorf("store: deriving the sealing key: %w", err)
	}
	b, err := aes.NewCipher(k)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return &sealer{aead: g}, nil
}

// seal returns h sealed for person p.
func (s *sealer) seal(p PersonKey, h identity.Hash) ([]byte, error) {
	if s == nil {
		return nil, ErrNoSecret
	}
	plain := make([]byte, 0, 1+identity.SaltSize+format.SumSize)
	plain = append(plain, h.Version)
	plain = append(plain, h.Salt[:]...)
	plain = append(plain, h.Sum[:]...)
	out := make([]byte, 1+12, sealedSize)
	out[0] = sealVersion
	if _, err := rand.Read(out[1:13]); err != nil {
		return nil, fmt.Errorf("store: sealing: %w", err)
	}
	return s.aead.Seal(out, out[1:13], plain, p[:]), nil
}

// open returns the identity hash in b, sealed for p. Without a secret it
// returns the zero hash.
func (s *sealer) open(p PersonKey, b []byte) (identity.Hash, error) {
	var h identity.Hash
	if s == nil {
		return h, nil
	}
	if len(b) != sealedSize || b[0] != sealVersion {
		return h, fmt.Errorf("%w: %d bytes, version %d", ErrSealed, len(b), firstByte(b))
	}
	plain, err := s.aead.Open(nil, b[1:13], b[13:], p[:])
	if err != nil {
		return h, ErrSealed
	}
	h.Version = plain[0]
	copy(h.Salt[:], plain[1:1+identity.SaltSize])
	copy(h.Sum[:], plain[1+identity.SaltSize:])
	return h, nil
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}
