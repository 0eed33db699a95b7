// Package sign holds issuer keys and issues signed offline codes, as
// specified in SPEC.md §3 and §7.
//
// An issuer key is an Ed25519 private key, stored as a PEM "PRIVATE KEY"
// block (PKCS #8) in a file of mode 0600. Its public half goes into the trust
// store of every verifier, under its key ID (codec.KeyIDOf).
package sign

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/atomicfile"
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
	return &Key{priv: priv, kid: kid, protected: codec.MarshalProtected(kid)}
}

// Public returns the public key.
func (k *Key) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// KeyID returns the key identifier carried in every code k signs.
func (k *Key) KeyID() codec.KeyID { return k.kid }

const pemType = "PRIVATE KEY"

// MarshalPEM returns the key as a PEM "PRIVATE KEY" block holding PKCS #8.
func (k *Key) MarshalPEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		panic("sign: marshalling an Ed25519 key cannot fail: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der})
}

// ParsePEM parses a PEM "PRIVATE KEY" block holding a PKCS #8 Ed25519 key.
// Errors wrap ErrKeyFormat.
func ParsePEM(b []byte) (*Key, error) {
	block, rest := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block found", ErrKeyFormat)
	}
	if block.Type != pemType {
		return nil, fmt.Errorf("%w: PEM block is %q, want %q", ErrKeyFormat, block.Type, pemType)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("%w: data after the PEM block", ErrKeyFormat)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyFormat, err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: key is %T, want Ed25519", ErrKeyFormat, key)
	}
	return NewKey(priv), nil
}

// WriteKeyFile writes k to a new file at path with mode 0600. It never
// overwrites: if path exists the error wraps fs.ErrExist.
func WriteKeyFile(path string, k *Key) error {
	if err := atomicfile.WriteNew(path, k.MarshalPEM(), 0o600); err != nil {
		return fmt.Errorf("sign: key file: %w", err)
	}
	return nil
}

// LoadKeyFile reads a key written by WriteKeyFile. On Unix it refuses a file
// that group or others can read or write (ErrKeyFileMode), as ssh does.
func LoadKeyFile(path string) (*Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sign: opening key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("sign: opening key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("sign: key file %s is not a regular file", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, &KeyFileModeError{Path: path, Mode: fi.Mode().Perm()}
	}
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("sign: reading key file: %w", err)
	}
	k, err := ParsePEM(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// Errors.
var (
	ErrKeyFormat   = errors.New("sign: not an Ed25519 private key in PEM PKCS #8")
	ErrKeyFileMode = errors.New("sign: key file is readable by others")
)

// KeyFileModeError reports a key file whose permissions are too open.
type KeyFileModeError struct {
	Path string
	Mode fs.FileMode
}

func (e *KeyFileModeError) Error() string {
	return fmt.Sprintf("sign: key file %s has mode %04o, want 0600 (run: chmod 600 %s)", e.Path, e.Mode, e.Path)
}

// Unwrap returns ErrKeyFileMode.
func (e *KeyFileModeError) Unwrap() error { return ErrKeyFileMode }
