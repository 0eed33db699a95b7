package sign

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/keyfile"
)

func TestGenerateKey(t *testing.T) {
	a, err := GenerateKey(&stream{seed: "a"})
	if err != nil {
		t.Fatalf("GenerateKey = %v, want nil", err)
	}
	b, _ := GenerateKey(&stream{seed: "a"})
	c, _ := GenerateKey(&stream{seed: "c"})
	if !a.Public().Equal(b.Public()) || a.Public().Equal(c.Public()) {
		t.Fatalf("GenerateKey: same seed gave %x and %x, other seed %x", a.Public(), b.Public(), c.Public())
	}
	if a.KeyID() != codec.KeyIDOf(a.Public()) {
		t.Fatalf("KeyID() = %x, want %x", a.KeyID(), codec.KeyIDOf(a.Public()))
	}
	if !bytes.Equal(a.protected, format.AppendProtected(nil, a.KeyID())) {
		t.Fatalf("protected = %x, want %x", a.protected, format.AppendProtected(nil, a.KeyID()))
	}
	if _, err := GenerateKey(bytes.NewReader(make([]byte, 31))); err == nil {
		t.Fatalf("GenerateKey(short reader) = nil error, want error")
	}
}

func TestNewKeyPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatalf("NewKey(32 bytes) did not panic")
		}
	}()
	NewKey(make(ed25519.PrivateKey, 32))
}

func TestPEMRoundTrip(t *testing.T) {
	k := testKey()
	b := k.marshalPEM()
	if !bytes.HasPrefix(b, []byte("-----BEGIN PRIVATE KEY-----\n")) {
		t.Fatalf("MarshalPEM = %q, want a PRIVATE KEY block", b)
	}
	got, err := parsePEM(b)
	if err != nil {
		t.Fatalf("parsePEM(marshalPEM()) = %v, want nil", err)
	}
	if !got.Public().Equal(k.Public()) || got.KeyID() != k.KeyID() || !bytes.Equal(got.priv, k.priv) {
		t.Fatalf("parsePEM(marshalPEM()) = key %x, want %x", got.Public(), k.Public())
	}
	// Trailing white space, as an editor may add, is accepted.
	if _, err := parsePEM(append(bytes.Clone(b), "\n\n  \n"...)); err != nil {
		t.Fatalf("parsePEM(with trailing newlines) = %v, want nil", err)
	}
}

func TestParsePEMRejects(t *testing.T) {
	good := testKey().marshalPEM()
	rsaKey, err := rsa.GenerateKey(&stream{seed: "rsa"}, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), &stream{seed: "ec"})
	if err != nil {
		t.Fatal(err)
	}
	pkcs8 := func(key any) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	block, _ := pem.Decode(good)
	retyped := func(typ string) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: block.Bytes})
	}
	ecSEC1, _ := x509.MarshalECPrivateKey(ecKey)
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"not PEM", []byte("hello")},
		{"raw seed", make([]byte, 32)},
		{"RSA PKCS#8", pkcs8(rsaKey)},
		{"EC PKCS#8", pkcs8(ecKey)},
		{"EC SEC 1", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecSEC1})},
		{"type PUBLIC KEY", retyped("PUBLIC KEY")},
		{"type ENCRYPTED PRIVATE KEY", retyped("ENCRYPTED PRIVATE KEY")},
		{"type OPENSSH PRIVATE KEY", retyped("OPENSSH PRIVATE KEY")},
		{"garbage DER", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{0x30, 0x03, 1, 2, 3}})},
		{"trailing text", append(bytes.Clone(good), "x"...)},
		{"second block", append(bytes.Clone(good), good...)},
		{"public key in second block", append(bytes.Clone(good), retyped("PUBLIC KEY")...)},
	}
	for _, tt := range tests {
		k, err := parsePEM(tt.in)
		if !errors.Is(err, ErrKeyFormat) {
			t.Fatalf("parsePEM(%s) = %v, %v, want %v", tt.name, k, err, ErrKeyFormat)
		}
		if !strings.HasPrefix(err.Error(), "sign: ") {
			t.Fatalf("parsePEM(%s) error %q lacks the \"sign: \" prefix", tt.name, err)
		}
	}
}

func TestWriteKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "issuer.key")
	k := testKey()
	if err := WriteKeyFile(path, k); err != nil {
		t.Fatalf("WriteKeyFile(%s) = %v, want nil", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Fatalf("WriteKeyFile: mode %04o, want 0600", m)
	}
	want, _ := os.ReadFile(path)
	if !bytes.Equal(want, k.marshalPEM()) {
		t.Fatalf("WriteKeyFile wrote %q, want %q", want, k.marshalPEM())
	}

	// It never overwrites, even with another key.
	other, _ := GenerateKey(&stream{seed: "other"})
	err = WriteKeyFile(path, other)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("WriteKeyFile(existing) = %v, want %v", err, fs.ErrExist)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
		t.Fatalf("WriteKeyFile(existing) changed the file")
	}

	// Nor through a dangling symbolic link.
	link := filepath.Join(dir, "link.key")
	if err := os.Symlink(filepath.Join(dir, "target.key"), link); err != nil {
		t.Fatal(err)
	}
	if err := WriteKeyFile(link, other); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("WriteKeyFile(dangling symlink) = %v, want %v", err, fs.ErrExist)
	}
	if _, err := os.Lstat(filepath.Join(dir, "target.key")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("WriteKeyFile(dangling symlink) created the link target")
	}

	got, err := LoadKeyFile(path)
	if err != nil {
		t.Fatalf("LoadKeyFile(%s) = %v, want nil", path, err)
	}
	if got.KeyID() != k.KeyID() {
		t.Fatalf("LoadKeyFile(%s) = kid %x, want %x", path, got.KeyID(), k.KeyID())
	}
}

func TestLoadKeyFileMode(t *testing.T) {
	dir := t.TempDir()
	pemBytes := testKey().marshalPEM()
	tests := []struct {
		mode fs.FileMode
		ok   bool
	}{
		{0o600, true},
		{0o400, true},
		{0o700, true},
		{0o644, false},
		{0o640, false},
		{0o604, false},
		{0o620, false},
		{0o602, false},
		{0o666, false},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.mode.String())
		if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, tt.mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadKeyFile(path)
		if tt.ok {
			if err != nil {
				t.Fatalf("LoadKeyFile(mode %04o) = %v, want nil", tt.mode, err)
			}
			continue
		}
		var me *keyfile.ModeError
		if !errors.As(err, &me) || !errors.Is(err, keyfile.ErrMode) {
			t.Fatalf("LoadKeyFile(mode %04o) = %v, want *keyfile.ModeError", tt.mode, err)
		}
		if me.Mode != tt.mode || me.Path != path {
			t.Fatalf("LoadKeyFile(mode %04o) = %+v, want Mode %04o, Path %s", tt.mode, me, tt.mode, path)
		}
		if !strings.Contains(err.Error(), "chmod 600") {
			t.Fatalf("LoadKeyFile(mode %04o) error %q gives no hint", tt.mode, err)
		}
	}
}

func TestLoadKeyFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadKeyFile(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("LoadKeyFile(missing) = %v, want %v", err, fs.ErrNotExist)
	}
	if _, err := LoadKeyFile(dir); err == nil {
		t.Fatalf("LoadKeyFile(directory) = nil error, want error")
	}
	bad := filepath.Join(dir, "bad.key")
	if err := os.WriteFile(bad, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeyFile(bad); !errors.Is(err, ErrKeyFormat) {
		t.Fatalf("LoadKeyFile(bad) = %v, want %v", err, ErrKeyFormat)
	}
}
