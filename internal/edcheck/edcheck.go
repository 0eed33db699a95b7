// Package edcheck checks Ed25519 public keys as SPEC.md §9.3 asks. Packages
// verify (issuer keys) and bundle (issuer and root keys) share it.
package edcheck

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"

	"filippo.io/edwards25519"
)

// PublicKey checks that pub is a 32-byte canonical encoding of a point on
// Ed25519 that is not of small order. The error says which check failed;
// callers wrap it with their own sentinel.
func PublicKey(pub []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	p, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return errors.New("public key is not a point on Ed25519")
	}
	if !bytes.Equal(p.Bytes(), pub) {
		return errors.New("public key is not canonically encoded")
	}
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		return errors.New("public key is of small order")
	}
	return nil
}
