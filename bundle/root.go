package bundle

import (
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/edcheck"
	"github.com/offcode/offcode/internal/keyfile"
)

// RootKey is the offline Ed25519 key that signs bundles (SPEC.md §13.2).
type RootKey struct {
	priv ed25519.PrivateKey
	kid  codec.KeyID
}

// GenerateRootKey makes a new root key from rand (normally
// crypto/rand.Reader).
func GenerateRootKey(rand io.Reader) (*RootKey, error) {
	_, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, fmt.Errorf("bundle: generating root key: %w", err)
	}
	return NewRootKey(priv), nil
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

// KeyID returns the kid of the root key.
func (k *RootKey) KeyID() codec.KeyID { return k.kid }

// MarshalRootPublicPEM returns pub as a PEM "PUBLIC KEY" block
// (SubjectPublicKeyInfo, RFC 8410): the file devices are provisioned with.
func MarshalRootPublicPEM(pub ed25519.PublicKey) []byte { return keyfile.MarshalPublic(pub) }

// ParseRootPublicPEM parses a PEM "PUBLIC KEY" block holding an Ed25519
// public key and checks it as SPEC.md §9.3 asks.
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

// WriteRootKeyFile writes k to a new file at path with mode 0600, in the
// form of an issuer key file (package sign). It never overwrites: if path
// exists the error wraps fs.ErrExist.
func WriteRootKeyFile(path string, k *RootKey) error {
	if err := keyfile.WritePrivate(path, k.priv); err != nil {
		return fmt.Errorf("bundle: root key file: %w", err)
	}
	return nil
}

// LoadRootKeyFile reads a key written by WriteRootKeyFile. On Unix it
// refuses a file that group or others can read or write.
func LoadRootKeyFile(path string) (*RootKey, error) {
	priv, err := keyfile.LoadPrivate(path)
	if err != nil {
		return nil, fmt.Errorf("bundle: root key: %w", err)
	}
	return NewRootKey(priv), nil
}
