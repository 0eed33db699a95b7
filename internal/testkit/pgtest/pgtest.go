// Package pgtest gives tests a store DSN for each backend a test run has:
// always a fresh SQLite file, and with the build tag "postgres" a fresh
// schema in the PostgreSQL database named by $OFFCODE_TEST_POSTGRES (which
// .ci/run starts). A postgres-tagged run without that variable fails
// rather than skipping.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the environment variable holding the PostgreSQL test
// database's URL.
const EnvDSN = "OFFCODE_TEST_POSTGRES"

// Backend is one store engine for a test.
type Backend struct {
	Name string // "sqlite" or "postgres"
	// DSN opens the same fresh store every time it is passed to
	// store.Open.
	DSN string
}

// Backends returns a fresh SQLite store path and, in a postgres-tagged
// run, a fresh PostgreSQL schema, both removed when t ends.
func Backends(t testing.TB) []Backend {
	t.Helper()
	bs := []Backend{{Name: "sqlite", DSN: filepath.Join(t.TempDir(), "offcode.db")}}
	if Tagged {
		bs = append(bs, Backend{Name: "postgres", DSN: Postgres(t)})
	}
	return bs
}

// Postgres returns the URL of a fresh schema in the test database. It
// fails t if $OFFCODE_TEST_POSTGRES is not set.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		t.Fatalf("built with -tags postgres but $%s is not set: run bash .ci/run, or set it to a postgres:// URL", EnvDSN)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to $%s: %v", EnvDSN, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("$%s does not parse: %v", EnvDSN, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
