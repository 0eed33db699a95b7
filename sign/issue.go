package sign

import (
	"crypto/ed25519"
	"fmt"
	"io"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

// NewClaims returns the claims of a new code for id: a fresh random serial,
// a fresh random identity salt (so it costs one Argon2id evaluation), issued
// at the whole second of at, and expiring Validity later. rand is normally
// crypto/rand.Reader.
//
// A service that re-issues to the same person may keep the identity.Hash and
// build Claims itself (SPEC.md §5.3).
func NewClaims(rand io.Reader, id identity.ID, colour codec.Colour, kind codec.Kind, at time.Time) (*codec.Claims, error) {
	var salt [identity.SaltSize]byte
	if _, err := io.ReadFull(rand, salt[:]); err != nil {
		return nil, fmt.Errorf("sign: reading salt: %w", err)
	}
	c := &codec.Claims{
		IssuedAt: at.Truncate(time.Second).UTC(),
		Colour:   colour,
		Kind:     kind,
		Identity: identity.HashID(id, salt),
	}
	c.ExpiresAt = c.IssuedAt.Add(codec.MaxValidity)
	if _, err := io.ReadFull(rand, c.Serial[:]); err != nil {
		return nil, fmt.Errorf("sign: reading serial: %w", err)
	}
	return c, c.Validate()
}

// Issue signs c and returns the code's text form, ready for a QR code.
func (k *Key) Issue(c *codec.Claims) (string, error) {
	if c.ExpiresAt.Sub(c.IssuedAt) > codec.MaxValidity {
		return "", fmt.Errorf("sign: validity %v is longer than %v", c.ExpiresAt.Sub(c.IssuedAt), codec.MaxValidity)
	}
	payload, err := codec.MarshalClaims(c)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	return format.EncodeText(codec.Prefix, k.signPayload(payload)), nil
}

// signPayload signs payload as it is, with no check of its contents, and
// returns the tagged COSE_Sign1 message. It exists for test-vector
// generation; issuers use Issue.
func (k *Key) signPayload(payload []byte) []byte {
	var buf [512]byte
	tbs := format.AppendSigStructure(buf[:0], k.protected, payload)
	return format.AppendMessage(nil, k.protected, payload, ed25519.Sign(k.priv, tbs))
}
