package keyfile

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	p := filepath.Join(t.TempDir(), "k.pem")
	if err := WritePrivate(p, priv); err != nil {
		t.Fatal(err)
	}
	if err := WritePrivate(p, priv); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("WritePrivate over a file = %v, want ErrExist", err)
	}
	got, err := LoadPrivate(p)
	if err != nil || !got.Equal(priv) {
		t.Fatalf("LoadPrivate = %v, want the key written", err)
	}
	if runtime.GOOS != "windows" {
		os.Chmod(p, 0o640)
		var me *ModeError
		if _, err := LoadPrivate(p); !errors.As(err, &me) || me.Mode != 0o640 {
			t.Fatalf("LoadPrivate(0640) = %v, want a ModeError", err)
		}
	}
	pub := priv.Public().(ed25519.PublicKey)
	if got, err := ParsePublic(MarshalPublic(pub)); err != nil || !got.Equal(pub) {
		t.Fatalf("ParsePublic(MarshalPublic) = %v", err)
	}
	if _, err := ParsePublic(MarshalPrivate(priv)); !errors.Is(err, ErrPublicFormat) {
		t.Fatalf("ParsePublic(a private key) = %v, want ErrPublicFormat", err)
	}
	if _, err := ParsePrivate(MarshalPublic(pub)); !errors.Is(err, ErrPrivateFormat) {
		t.Fatalf("ParsePrivate(a public key) = %v, want ErrPrivateFormat", err)
	}
}
