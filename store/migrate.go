package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// migrations holds the schema, one file per version: NNNN_name.sql brings
// the schema from version NNNN-1 to NNNN. PRAGMA user_version records the
// version a store is at.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies, each in its own transaction, the migrations the store
// at db has not yet had.
func migrate(ctx context.Context, db *sql.DB) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(names) == 0 {
		return fmt.Errorf("no migrations embedded")
	}
	sort.Strings(names)
	var have int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	if have > len(names) {
		return fmt.Errorf("schema version %d is newer than this program knows (%d)", have, len(names))
	}
	for i, name := range names {
		v := i + 1
		base := strings.TrimPrefix(name, "migrations/")
		if n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0]); err != nil || n != v {
			return fmt.Errorf("migration %s is out of sequence, want number %04d", base, v)
		}
		if v <= have {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}
