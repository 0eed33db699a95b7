package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestWriterPragmas checks the settings the durability claim rests on, on
// the writer connection itself: WAL, synchronous=FULL (2), a busy timeout.
func TestWriterPragmas(t *testing.T) {
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "offcode.db"), Options{Secret: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(*sqliteStore)
	for _, tc := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"synchronous", "2"},
		{"busy_timeout", "10000"},
		{"foreign_keys", "1"},
		{"user_version", "2"}, {"secure_delete", "1"},
	} {
		var got string
		if err := s.w.QueryRow("PRAGMA " + tc.pragma).Scan(&got); err != nil || got != tc.want {
			t.Errorf("PRAGMA %s = %q, %v, want %q", tc.pragma, got, err, tc.want)
		}
	}
}
