package bundle

import (
	"crypto/ed25519"
	"fmt"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/edcheck"
	"github.com/offcode/offcode/internal/keyfile"
)

// RootKey is the offline Ed25519 key that signs bundles (SPEC.md §13.2).
// The root holder keeps it offline in a key file of the same form as an
// issuer's ("offcode root keygen" writes one).
type RootKey struct {
	priv ed25519.PrivateKey
	kid  codec.KeyID
}

// NewRootKey wraps an Ed25519 private key. It panics if priv is not
// ed25519.PrivateKeySize bytes long, which is a programming error.
func NewRootKey(priv ed25519.PrivateKey) *RootKey {
	if len(priv) != ed25519.PrivateKeySize {
		panic("bundle: NewRootKey: bad private key length")
	}
	return &RootKey{priv: priv, kid: codec.KeyIDOf(priv.Public().(ed25519.PublicKey))}
}

// Public returns the root public key, which devices are provisioned with.
func (k *RootKey) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// ParseRootPublicPEM parses a PEM "PUBLIC KEY" block holding an Ed25519
// public key (SubjectPublicKeyInfo, RFC 8410), the file devices are
// provisioned with, and checks it as SPEC.md §9.3 asks.
func ParseRootPublicPEM(b []byte) (ed25519.PublicKey, error) {
	pub, err := keyfile.ParsePublic(b)
	if err != nil {
		return nil, fmt.Errorf("bundle: root public key: %w", err)
	}
	if err := edcheck.PublicKey(pub); err != nil {
		return nil, fmt.Errorf("bundle: root public key: %w", err)
	}
	return pub, nil
}
