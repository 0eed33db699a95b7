package sign

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"testing"
	"time"

	"github.com/offcode/offcode/identity"
)

// stream is a deterministic io.Reader: SHA-256(seed || counter) blocks.
type stream struct {
	seed string
	n    uint64
	buf  []byte
}

func (s *stream) Read(p []byte) (int, error) {
	for i := range p {
		if len(s.buf) == 0 {
			var ctr [8]byte
			binary.BigEndian.PutUint64(ctr[:], s.n)
			s.n++
			sum := sha256.Sum256(append([]byte(s.seed), ctr[:]...))
			s.buf = sum[:]
		}
		p[i] = s.buf[0]
		s.buf = s.buf[1:]
	}
	return len(p), nil
}

var testNow = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)

func testKey() *Key {
	return NewKey(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
}

func testID(t testing.TB) identity.ID {
	t.Helper()
	id, err := identity.ParseID("11010519491231002X", testNow)
	if err != nil {
		t.Fatalf("ParseID = %v", err)
	}
	return id
}
