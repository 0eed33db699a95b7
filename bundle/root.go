package bundle

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/internal/edcheck"
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

// MarshalPEM returns the key as a PEM "PRIVATE KEY" block holding PKCS #8.
func (k *RootKey) MarshalPEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		panic("bundle: marshalling an Ed25519 key cannot fail: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// ParseRootKeyPEM parses a PEM "PRIVATE KEY" block holding a PKCS #8
// Ed25519 key.
func ParseRootKeyPEM(b []byte) (*RootKey, error) {
	block, rest := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" || len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("bundle: root key is not one PEM \"PRIVATE KEY\" block")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("bundle: root key: %w", err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("bundle: root key is %T, want Ed25519", key)
	}
	return NewRootKey(priv), nil
}

// MarshalRootPublicPEM returns pub as a PEM "PUBLIC KEY" block
// (SubjectPublicKeyInfo, RFC 8410): the file devices are provisioned with.
func MarshalRootPublicPEM(pub ed25519.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic("bundle: marshalling an Ed25519 public key cannot fail: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// ParseRootPublicPEM parses a PEM "PUBLIC KEY" block holding an Ed25519
// public key and checks it as SPEC.md §9.3 asks.
func ParseRootPublicPEM(b []byte) (ed25519.PublicKey, error) {
	block, rest := pem.Decode(b)
	if block == nil || block.Type != "PUBLIC KEY" || len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("bundle: root public key is not one PEM \"PUBLIC KEY\" block")
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("bundle: root public key: %w", err)
	}
	pub, ok := key.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("bundle: root public key is %T, want Ed25519", key)
	}
	if err := edcheck.PublicKey(pub); err != nil {
		return nil, fmt.Errorf("bundle: root public key: %w", err)
	}
	return pub, nil
}

// WriteRootKeyFile writes k to a new file at path with mode 0600. It never
// overwrites: if path exists the error wraps fs.ErrExist.
func WriteRootKeyFile(path string, k *RootKey) error {
	if err := atomicfile.WriteNew(path, k.MarshalPEM(), 0o600); err != nil {
		return fmt.Errorf("bundle: root key file: %w", err)
	}
	return nil
}

// LoadRootKeyFile reads a key written by WriteRootKeyFile. On Unix it
// refuses a file that group or others can read or write.
func LoadRootKeyFile(path string) (*RootKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bundle: opening root key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("bundle: opening root key file: %w", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("bundle: root key file %s has mode %04o, want 0600 (run: chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("bundle: reading root key file: %w", err)
	}
	k, err := ParseRootKeyPEM(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}
