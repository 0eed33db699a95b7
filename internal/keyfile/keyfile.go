// Package keyfile reads and writes the Ed25519 key files of offcode, one
// implementation for issuer keys (package sign) and root keys (package
// bundle): a private key is a PEM "PRIVATE KEY" block holding PKCS #8, in
// a file of mode 0600 that is never overwritten; a public key is a PEM
// "PUBLIC KEY" block holding a SubjectPublicKeyInfo (RFC 8410).
package keyfile

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"

	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/internal/readlimit"
)

// maxFile bounds a key file; a real one is about 120 bytes.
const maxFile = 64 << 10

// Errors, wrapped with detail. Callers wrap them in turn.
var (
	ErrPrivateFormat = errors.New("not an Ed25519 private key in PEM PKCS #8")
	ErrPublicFormat  = errors.New("not an Ed25519 public key in PEM SubjectPublicKeyInfo")
	ErrMode          = errors.New("key file is readable by others")
)

// ModeError reports a private key file whose permissions are too open.
type ModeError struct {
	Path string
	Mode fs.FileMode
}

func (e *ModeError) Error() string {
	return fmt.Sprintf("key file %s has mode %04o, want 0600 (run: chmod 600 %s)", e.Path, e.Mode, e.Path)
}

// Unwrap returns ErrMode.
func (e *ModeError) Unwrap() error { return ErrMode }

const (
	privateType = "PRIVATE KEY"
	publicType  = "PUBLIC KEY"
)

// MarshalPrivate returns priv as a PEM "PRIVATE KEY" block holding PKCS #8.
func MarshalPrivate(priv ed25519.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		panic("keyfile: marshalling an Ed25519 key cannot fail: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: privateType, Bytes: der})
}

// block returns the one PEM block of b, which must be of type typ.
func block(b []byte, typ string, errFormat error) ([]byte, error) {
	blk, rest := pem.Decode(b)
	switch {
	case blk == nil:
		return nil, fmt.Errorf("%w: no PEM %q block found", errFormat, typ)
	case blk.Type != typ:
		return nil, fmt.Errorf("%w: PEM block is %q, want %q", errFormat, blk.Type, typ)
	case len(bytes.TrimSpace(rest)) != 0:
		return nil, fmt.Errorf("%w: data after the PEM block", errFormat)
	}
	return blk.Bytes, nil
}

// ParsePrivate parses a PEM "PRIVATE KEY" block holding a PKCS #8 Ed25519
// key.
func ParsePrivate(b []byte) (ed25519.PrivateKey, error) {
	der, err := block(b, privateType, ErrPrivateFormat)
	if err != nil {
		return nil, err
	}
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPrivateFormat, err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: key is %T, want Ed25519", ErrPrivateFormat, key)
	}
	return priv, nil
}

// MarshalPublic returns pub as a PEM "PUBLIC KEY" block.
func MarshalPublic(pub ed25519.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic("keyfile: marshalling an Ed25519 public key cannot fail: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: publicType, Bytes: der})
}

// ParsePublic parses a PEM "PUBLIC KEY" block holding an Ed25519 public
// key. It does not check the point (package edcheck does).
func ParsePublic(b []byte) (ed25519.PublicKey, error) {
	der, err := block(b, publicType, ErrPublicFormat)
	if err != nil {
		return nil, err
	}
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPublicFormat, err)
	}
	pub, ok := key.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: key is %T, want Ed25519", ErrPublicFormat, key)
	}
	return pub, nil
}

// WritePrivate writes priv to a new file at path with mode 0600. It never
// overwrites: if path exists the error wraps fs.ErrExist.
func WritePrivate(path string, priv ed25519.PrivateKey) error {
	return atomicfile.WriteNew(path, MarshalPrivate(priv), 0o600)
}

// LoadPrivate reads a key written by WritePrivate. It refuses a file that
// is not a regular file, and on Unix one that group or others can read or
// write (*ModeError), as ssh does.
func LoadPrivate(path string) (ed25519.PrivateKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("key file %s is not a regular file", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, &ModeError{Path: path, Mode: fi.Mode().Perm()}
	}
	b, err := readlimit.File(path, maxFile)
	if err != nil {
		return nil, err
	}
	priv, err := ParsePrivate(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return priv, nil
}

// LoadPublic reads a public key file.
func LoadPublic(path string) (ed25519.PublicKey, error) {
	b, err := readlimit.File(path, maxFile)
	if err != nil {
		return nil, err
	}
	pub, err := ParsePublic(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return pub, nil
}
