package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

// TestUpgradeSealsOldRows opens a schema-1 store, whose people and audit
// rows hold clear salts and digests, with the secret: the rows are sealed
// and the clear bytes gone from the file.
func TestUpgradeSealsOldRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := migrations.ReadFile("migrations/sqlite/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	salt, sum := []byte("OLDSALTOLDSALT16"), []byte("OLDDIGESTOLDDIG1")
	p := bytes.Repeat([]byte{7}, 32)
	for _, q := range []string{string(v1), "PRAGMA user_version = 1"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO people VALUES (?, 1, ?, ?, 0)`, p, salt, sum); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO audit (serial, person, hash_version, salt, sum, colour, kind, iat, exp, kid, token, request_id)
		VALUES (x'010203040506070809101112', ?, 1, ?, ?, 1, 1, 0, 1, x'0102030405060708', 't', 'r')`, p, salt, sum); err != nil {
		t.Fatal(err)
	}
	db.Close()
	secret := make([]byte, 32)
	s, err := Open(context.Background(), path, Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	want := identity.Hash{Version: 1}
	copy(want.Salt[:], salt)
	copy(want.Sum[:], sum)
	if h, err := s.Person(context.Background(), PersonKey(p)); err != nil || h != want {
		t.Fatalf("Person after upgrade = %v, %v, want %v", h, err, want)
	}
	recs, err := s.Audit(context.Background(), AuditQuery{})
	if err != nil || len(recs) != 1 || recs[0].Identity != want {
		t.Fatalf("Audit after upgrade = %+v, %v", recs, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, salt) || bytes.Contains(b, sum) {
		t.Fatalf("the upgraded file still holds the clear salt or digest")
	}
}

// TestBackupRestore copies a closed store and its secret elsewhere: the
// copy knows the same people.
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	secret := []byte("0123456789abcdef0123456789abcdef")
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(dir, "a.db"), Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	h := identity.Hash{Version: 1, Salt: [identity.SaltSize]byte{1}, Sum: [format.SumSize]byte{2}}
	if _, err := s.ClaimPerson(ctx, PersonKey{9}, h, time.Unix(1_790_000_000, 0)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, err := os.ReadFile(filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "restored.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, filepath.Join(dir, "restored.db"), Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, err := r.Person(ctx, PersonKey{9}); err != nil || got != h {
		t.Fatalf("Person in the restored copy = %v, %v, want %v", got, err, h)
	}
}
