// Package testcode issues deterministic offline codes for tests, examples
// and benchmarks of the rendering and scanning packages. Its key is public
// and worthless: never trust it outside tests.
package testcode

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/jwkset"
	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/verify"
)

// At is the issue time of every code Issue makes: 2026-11-23 10:30 UTC
// (18:30 Beijing time).
var At = time.Date(2026, 11, 23, 10, 30, 0, 0, time.UTC)

// IDNumber is a valid resident ID number used for every code.
const IDNumber = "11010519491231002X"

// Key returns the fixed test issuer key.
func Key() *sign.Key {
	seed := sha256.Sum256([]byte("offcode testcode issuer key"))
	return sign.NewKey(ed25519.NewKeyFromSeed(seed[:]))
}

// Trust returns a trust store holding Key's public key.
func Trust() *verify.TrustStore {
	set, err := jwkset.Marshal([]jwkset.Key{{KeyID: Key().KeyID(), Public: Key().Public(), Issuer: "testcode"}})
	if err != nil {
		panic(err)
	}
	ts, err := verify.ParseJWKSet(set)
	if err != nil {
		panic(err)
	}
	return ts
}

// stream is a deterministic io.Reader: SHA-256 in counter mode over seed.
type stream struct {
	seed string
	n    int
	buf  []byte
}

func (s *stream) Read(p []byte) (int, error) {
	for i := range p {
		if len(s.buf) == 0 {
			b := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", s.seed, s.n)))
			s.n++
			s.buf = b[:]
		}
		p[i] = s.buf[0]
		s.buf = s.buf[1:]
	}
	return len(p), nil
}

// Issue returns the text of code number i: deterministic, signed by Key,
// for IDNumber, issued at At.
func Issue(i int, colour codec.Colour, kind codec.Kind) string {
	id, err := identity.ParseID(IDNumber, At)
	if err != nil {
		panic(err)
	}
	c, err := sign.NewClaims(&stream{seed: fmt.Sprint("code ", i)}, id, colour, kind, At)
	if err != nil {
		panic(err)
	}
	text, err := Key().Issue(c)
	if err != nil {
		panic(err)
	}
	return text
}
