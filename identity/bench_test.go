package identity

import (
	"testing"
	"time"
)

// BenchmarkIdentityHash measures one identity hash (Argon2id, version 1):
// the cost an issuer pays per new salt and a checkpoint pays per ID check.
func BenchmarkIdentityHash(b *testing.B) {
	id, err := ParseID("11010519491231002X", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		HashID(id, salt1)
	}
}
