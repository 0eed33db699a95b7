package edcheck

import (
	"crypto/ed25519"
	"strings"
	"testing"
)

func TestPublicKey(t *testing.T) {
	good := ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)
	if err := PublicKey(good); err != nil {
		t.Fatalf("PublicKey(valid key) = %v, want nil", err)
	}
	identity := make([]byte, 32)
	identity[0] = 1
	notCanonical := make([]byte, 32) // y = p (2^255 - 19) is y = 0 written non-canonically
	notCanonical[0] = 0xed
	for i := 1; i < 31; i++ {
		notCanonical[i] = 0xff
	}
	notCanonical[31] = 0x7f
	for _, c := range []struct {
		name string
		pub  []byte
		want string
	}{
		{"short", good[:31], "31 bytes"},
		{"identity", identity, "small order"},
		{"non-canonical", notCanonical, "canonically"},
	} {
		err := PublicKey(c.pub)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("PublicKey(%s) = %v, want an error containing %q", c.name, err, c.want)
		}
	}
}
