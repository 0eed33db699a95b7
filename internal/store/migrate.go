package store

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// migrations holds the schema of each engine, one file per version:
// NNNN_name.sql brings the schema from version NNNN-1 to NNNN. Migrations
// are forward only; each runs in its own transaction when the store opens.
// SQLite records the version in PRAGMA user_version, PostgreSQL in the
// table schema_version.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// migration is one schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations returns engine's migrations in order, checking that they
// are numbered 1, 2, 3... without gaps.
func loadMigrations(engine string) ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/"+engine+"/*.sql")
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("no %s migrations embedded", engine)
	}
	sort.Strings(names)
	out := make([]migration, 0, len(names))
	for i, name := range names {
		base := name[strings.LastIndexByte(name, '/')+1:]
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || n != i+1 {
			return nil, fmt.Errorf("migration %s is out of sequence, want number %04d", base, i+1)
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: n, name: base, sql: string(body)})
	}
	return out, nil
}
