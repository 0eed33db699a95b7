//go:build postgres

package store

import (
	"context"
	"testing"

	"github.com/offcode/offcode/internal/testkit/pgtest"
)

// TestPostgresSettings checks what the durability claim rests on, on the
// store's own connections: synchronous_commit on, and the schema version.
func TestPostgresSettings(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, pgtest.Postgres(t), Options{Secret: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(*pgStore)
	var sc string
	if err := s.pool.QueryRow(ctx, "SHOW synchronous_commit").Scan(&sc); err != nil || sc != "on" {
		t.Fatalf("synchronous_commit = %q, %v, want on", sc, err)
	}
	ms, _ := loadMigrations("postgres")
	var v int
	if err := s.pool.QueryRow(ctx, "SELECT max(version) FROM schema_version").Scan(&v); err != nil || v != len(ms) {
		t.Fatalf("schema version %d, %v, want %d", v, err, len(ms))
	}
}
