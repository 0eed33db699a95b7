// Package sign holds issuer keys and issues signed offline codes, as
// specified in SPEC.md §3 and §7.
//
// An issuer key is an Ed25519 private key, stored as a PEM "PRIVATE KEY"
// block (PKCS #8) in a file of mode 0600. Its public half goes into the trust
// store of every verifier, under its key ID (codec.KeyIDOf).
package sign

import (
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/keyfile"
)

// Key is an issuer's Ed25519 signing key.
type Key struct {
	priv      ed25519.PrivateKey
	kid       codec.KeyID
	protected []byte
}

// GenerateKey makes a new issuer key from rand (normally crypto/rand.Reader).
func GenerateKey(rand io.Reader) (*Key, error) {
	_, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, fmt.Errorf("sign: generating key: %w", err)
	}
	return NewKey(priv), nil
}

// NewKey wraps an Ed25519 private key. It panics if priv is not
// ed25519.PrivateKeySize bytes long, which is a programming error.
func NewKey(priv ed25519.PrivateKey) *Key {
	if len(priv) != ed25519.PrivateKeySize {
		panic("sign: NewKey: bad private key length")
	}
	kid := codec.KeyIDOf(priv.Public().(ed25519.PublicKey))
	return &Key{priv: priv, kid: kid, protected: format.AppendProtected(nil, kid)}
}

// Public returns the public key.
func (k *Key) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// KeyID returns the key identifier carried in every code k signs.
func (k *Key) KeyID() codec.KeyID { return k.kid }

// marshalPEM returns the key as a PEM "PRIVATE KEY" block holding PKCS #8.
func (k *Key) marshalPEM() []byte { return keyfile.MarshalPrivate(k.priv) }

// parsePEM parses a PEM "PRIVATE KEY" block holding a PKCS #8 Ed25519 key.
// Errors wrap ErrKeyFormat.
func parsePEM(b []byte) (*Key, error) {
	priv, err := keyfile.ParsePrivate(b)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return NewKey(priv), nil
}

// WriteKeyFile writes k to a new file at path with mode 0600. It never
// overwrites: if path exists the error wraps fs.ErrExist.
func WriteKeyFile(path string, k *Key) error {
	if err := keyfile.WritePrivate(path, k.priv); err != nil {
		return fmt.Errorf("sign: key file: %w", err)
	}
	return nil
}

// LoadKeyFile reads a key written by WriteKeyFile. On Unix it refuses a file
// that group or others can read or write, as ssh does; the error says the
// file's mode. A key that does not parse is an error wrapping ErrKeyFormat.
func LoadKeyFile(path string) (*Key, error) {
	priv, err := keyfile.LoadPrivate(path)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return NewKey(priv), nil
}

// ErrKeyFormat is wrapped by the error of LoadKeyFile for a file that is
// not an Ed25519 private key in PEM PKCS #8.
var ErrKeyFormat = keyfile.ErrPrivateFormat
