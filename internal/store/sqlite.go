package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)

	"github.com/offcode/offcode/identity"
)

// sqliteStore is the embedded Store: one SQLite file in WAL mode, for one
// process.
//
// Durability: every write transaction commits with synchronous=FULL, so
// SQLite fsyncs the write-ahead log before COMMIT returns. A record Record
// has returned for survives a crash of the process (SIGKILL) and a loss of
// power, as far as the disk honours fsync. Writes go through one connection,
// so they are serialised, and write transactions begin IMMEDIATE, taking the
// write lock before they read what they check.
type sqliteStore struct {
	w, r *sql.DB // one writer connection; a pool of readers
	seal *sealer
	c    *committer // nil when read-only
}

// openSQLite opens (creating if needed) the SQLite store at path and brings its
// schema up to date.
func openSQLite(ctx context.Context, path string, opt Options) (Store, error) {
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 1024
	}
	seal, err := newSealer(opt.Secret)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	s := &sqliteStore{seal: seal}
	if opt.ReadOnly {
		return s.openReadOnly(ctx, path, q)
	}
	if seal == nil {
		return nil, ErrNoSecret
	}
	// The store holds no ID numbers, but people's HMACs are still personal
	// data: create it readable by the owner only (SQLite gives the -wal
	// and -shm files the same mode).
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("store: creating %s: %w", path, err)
	}
	wq := url.Values{}
	for k, v := range q {
		wq[k] = v
	}
	wq.Add("_pragma", "journal_mode(WAL)")
	wq.Add("_pragma", "secure_delete(1)")
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s.w = w
	if err := s.prepare(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	q.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s.r = r
	s.c = newCommitter(1, opt.MaxBatch, s.commit)
	return s, nil
}

// prepare checks the file's integrity, migrates it and seals any identity
// hash an older version left in clear.
func (s *sqliteStore) prepare(ctx context.Context) error {
	var ok string
	if err := s.w.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if ok != "ok" {
		return fmt.Errorf("integrity check failed: %s", ok)
	}
	if err := migrateSQLite(ctx, s.w); err != nil {
		return err
	}
	return s.sealOldRows(ctx)
}

func (s *sqliteStore) openReadOnly(ctx context.Context, path string, q url.Values) (Store, error) {
	// A read-only open must not create the file.
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	q.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", "file:"+path+"?mode=ro&"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	var v int
	if err := r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		r.Close()
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	if v == 0 {
		r.Close()
		return nil, fmt.Errorf("store: %s is not an offcode store (schema version 0)", path)
	}
	s.r = r
	return s, nil
}

// migrateSQLite applies, each in its own transaction, the migrations the
// store at db has not yet had.
func migrateSQLite(ctx context.Context, db *sql.DB) error {
	ms, err := loadMigrations("sqlite")
	if err != nil {
		return err
	}
	var have int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	if have > len(ms) {
		return fmt.Errorf("schema version %d is newer than this program knows (%d)", have, len(ms))
	}
	for _, m := range ms[have:] {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// sealOldRows seals the clear identity hashes schema version 1 stored.
func (s *sqliteStore) sealOldRows(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, table := range []string{"people", "audit"} {
		key := "person"
		if table == "audit" {
			key = "seq"
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+key+`, person, hash_version, salt, sum FROM `+table+` WHERE sealed IS NULL`)
		if err != nil {
			return fmt.Errorf("sealing old rows: %w", err)
		}
		type row struct {
			id     any
			sealed []byte
		}
		var todo []row
		for rows.Next() {
			var id any
			var p, salt, sum []byte
			var h identity.Hash
			if err := rows.Scan(&id, &p, &h.Version, &salt, &sum); err != nil {
				rows.Close()
				return fmt.Errorf("sealing old rows: %w", err)
			}
			copy(h.Salt[:], salt)
			copy(h.Sum[:], sum)
			b, err := s.seal.seal(PersonKey(p), h)
			if err != nil {
				rows.Close()
				return err
			}
			todo = append(todo, row{id, b})
		}
		rows.Close()
		for _, r := range todo {
			if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET sealed = ?, salt = x'', sum = x'' WHERE `+key+` = ?`, r.sealed, r.id); err != nil {
				return fmt.Errorf("sealing old rows: %w", err)
			}
		}
	}
	return tx.Commit()
}

// Stats implements StatsReporter.
func (s *sqliteStore) Stats() Stats {
	if s.c == nil {
		return Stats{}
	}
	return s.c.stats()
}

// Ping reports whether the store can write: it rewrites one row of the
// health table, durably.
func (s *sqliteStore) Ping(ctx context.Context) error {
	if s.w == nil {
		if err := s.r.PingContext(ctx); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO health (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at`,
		time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("store: cannot write: %w", err)
	}
	return nil
}

func (s *sqliteStore) Close() error {
	if s.c != nil {
		s.c.close()
	}
	// Readers first: the writer, closing last, checkpoints the WAL into
	// the database file.
	errs := []error{s.r.Close()}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// Record hands recs to the writer goroutine and waits for their commit.
func (s *sqliteStore) Record(ctx context.Context, recs ...*Record) error {
	if len(recs) == 0 {
		return nil
	}
	if s.c == nil {
		return ErrClosed
	}
	return s.c.do(ctx, &job{recs: recs})
}

// ClaimPerson goes through the group commit with the records.
func (s *sqliteStore) ClaimPerson(ctx context.Context, p PersonKey, h identity.Hash, at time.Time) (identity.Hash, error) {
	if s.c == nil {
		return identity.Hash{}, ErrClosed
	}
	cl := &claim{p: p, h: h, at: at}
	if err := s.c.do(ctx, &job{claim: cl}); err != nil {
		return identity.Hash{}, err
	}
	return cl.got, nil
}

const (
	sqliteInsertPerson = `INSERT OR IGNORE INTO people (person, hash_version, salt, sum, sealed, created_at) VALUES (?, ?, x'', x'', ?, ?)`
	sqliteInsertAudit  = `INSERT INTO audit (serial, person, hash_version, salt, sum, sealed, colour, kind, iat, exp, kid, token, request_id, binding_id)
		VALUES (?, ?, ?, x'', x'', ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

func (s *sqliteStore) commit(batch []*job) (err error) {
	ctx := context.Background() // a batch is never abandoned half way
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: recording: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	pstmt, err := tx.PrepareContext(ctx, sqliteInsertPerson)
	if err != nil {
		return fmt.Errorf("store: recording: %w", err)
	}
	astmt, err := tx.PrepareContext(ctx, sqliteInsertAudit)
	if err != nil {
		return fmt.Errorf("store: recording: %w", err)
	}
	for _, j := range batch {
		if j.claim != nil {
			if err := s.claimTx(ctx, tx, pstmt, j.claim); err != nil {
				return err
			}
		}
		for _, r := range j.recs {
			if err := s.insertAudit(ctx, astmt, r); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: committing: %w", err)
	}
	return nil
}

func (s *sqliteStore) claimTx(ctx context.Context, tx *sql.Tx, pstmt *sql.Stmt, c *claim) error {
	sealed, err := s.seal.seal(c.p, c.h)
	if err != nil {
		return err
	}
	if _, err := pstmt.ExecContext(ctx, c.p[:], c.h.Version, sealed, c.at.UnixMilli()); err != nil {
		return fmt.Errorf("store: recording person: %w", err)
	}
	var b []byte
	if err := tx.QueryRowContext(ctx, `SELECT sealed FROM people WHERE person = ?`, c.p[:]).Scan(&b); err != nil {
		return fmt.Errorf("store: recording person: %w", err)
	}
	c.got, err = s.seal.open(c.p, b)
	return err
}

func (s *sqliteStore) insertAudit(ctx context.Context, astmt *sql.Stmt, r *Record) error {
	sealed, err := s.seal.seal(r.Person, r.Identity)
	if err != nil {
		return err
	}
	var binding any
	if r.BindingID != "" {
		binding = r.BindingID
	}
	res, err := astmt.ExecContext(ctx, r.Serial[:], r.Person[:], r.Identity.Version, sealed,
		int(r.Colour), int(r.Kind), r.IssuedAt.Unix(), r.ExpiresAt.Unix(), r.KeyID[:], r.Token, r.RequestID, binding)
	if err != nil {
		return fmt.Errorf("store: recording code: %w", err)
	}
	if r.Seq, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("store: recording code: %w", err)
	}
	return nil
}

func (s *sqliteStore) Person(ctx context.Context, p PersonKey) (identity.Hash, error) {
	var b []byte
	err := s.r.QueryRowContext(ctx, `SELECT sealed FROM people WHERE person = ?`, p[:]).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return identity.Hash{}, ErrNotFound
	}
	if err != nil {
		return identity.Hash{}, fmt.Errorf("store: reading person: %w", err)
	}
	return s.seal.open(p, b)
}

func (s *sqliteStore) Audit(ctx context.Context, q AuditQuery) ([]Record, error) {
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	var since int64
	if !q.Since.IsZero() {
		since = q.Since.Unix()
	}
	rows, err := s.r.QueryContext(ctx, `SELECT seq, serial, person, sealed, colour, kind, iat, exp, kid, token, request_id, binding_id
		FROM audit WHERE seq > ? AND iat >= ? ORDER BY seq LIMIT ?`, q.After, since, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("store: reading audit: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var serial, person, sealed, kid []byte
		var iat, exp int64
		var binding sql.NullString
		if err := rows.Scan(&r.Seq, &serial, &person, &sealed, &r.Colour, &r.Kind,
			&iat, &exp, &kid, &r.Token, &r.RequestID, &binding); err != nil {
			return nil, fmt.Errorf("store: reading audit: %w", err)
		}
		copy(r.Serial[:], serial)
		copy(r.Person[:], person)
		copy(r.KeyID[:], kid)
		if r.Identity, err = s.seal.open(r.Person, sealed); err != nil {
			return nil, err
		}
		r.IssuedAt = time.Unix(iat, 0).UTC()
		r.ExpiresAt = time.Unix(exp, 0).UTC()
		r.BindingID = binding.String
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading audit: %w", err)
	}
	return out, nil
}

const bindingColumns = `id, guardian, relative, relation, relative_last4, created_at, eligible_until`

func (s *sqliteStore) Bind(ctx context.Context, b Binding, relative identity.Hash, lim Limits) (got Binding, created bool, err error) {
	if s.w == nil {
		return Binding{}, false, ErrClosed
	}
	sealed, err := s.seal.seal(b.Relative, relative)
	if err != nil {
		return Binding{}, false, err
	}
	tx, err := s.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE: takes the write lock now
	if err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	defer tx.Rollback()
	got, err = scanBinding(tx.QueryRowContext(ctx, `SELECT `+bindingColumns+` FROM bindings
		WHERE guardian = ? AND relative = ?`, b.Guardian[:], b.Relative[:]))
	if err == nil {
		return got, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Binding{}, false, err
	}
	if err := checkLimits(func(col string, p PersonKey) (int, error) {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bindings WHERE `+col+` = ?`, p[:]).Scan(&n)
		return n, err
	}, b, lim); err != nil {
		return Binding{}, false, err
	}
	at := b.CreatedAt.UnixMilli()
	if _, err := tx.ExecContext(ctx, sqliteInsertPerson, b.Relative[:], relative.Version, sealed, at); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO bindings (`+bindingColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.Guardian[:], b.Relative[:], b.Relation, b.RelativeLast4, at, nullMillis(b.EligibleUntil)); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	b.CreatedAt = time.UnixMilli(at).UTC()
	return b, true, nil
}

// checkLimits counts the guardian's relatives and the relative's guardians
// with count and fails with ErrGuardianLimit or ErrRelativeLimit.
func checkLimits(count func(col string, p PersonKey) (int, error), b Binding, lim Limits) error {
	n, err := count("guardian", b.Guardian)
	if err != nil {
		return fmt.Errorf("store: binding: %w", err)
	}
	if n >= lim.MaxRelatives {
		return fmt.Errorf("%w (%d)", ErrGuardianLimit, lim.MaxRelatives)
	}
	if n, err = count("relative", b.Relative); err != nil {
		return fmt.Errorf("store: binding: %w", err)
	}
	if n >= lim.MaxGuardians {
		return fmt.Errorf("%w (%d)", ErrRelativeLimit, lim.MaxGuardians)
	}
	return nil
}

func nullMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func (s *sqliteStore) Binding(ctx context.Context, id string) (Binding, error) {
	return scanBinding(s.r.QueryRowContext(ctx, `SELECT `+bindingColumns+` FROM bindings WHERE id = ?`, id))
}

func (s *sqliteStore) GuardianBindings(ctx context.Context, guardian PersonKey) ([]Binding, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+bindingColumns+` FROM bindings
		WHERE guardian = ? ORDER BY created_at, id`, guardian[:])
	if err != nil {
		return nil, fmt.Errorf("store: reading bindings: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanBinding, "bindings")
}

func (s *sqliteStore) Unbind(ctx context.Context, id string, now time.Time, lim Limits) error {
	if s.w == nil {
		return ErrClosed
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: unbinding: %w", err)
	}
	defer tx.Rollback()
	b, err := scanBinding(tx.QueryRowContext(ctx, `SELECT `+bindingColumns+` FROM bindings WHERE id = ?`, id))
	if err != nil {
		return err
	}
	if at := b.CreatedAt.Add(lim.MinAge); now.Before(at) {
		return &TooEarlyError{At: at}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM bindings WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: unbinding: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: unbinding: %w", err)
	}
	return nil
}

func (s *sqliteStore) Revoke(ctx context.Context, rv *Revocation) error {
	if s.w == nil {
		return ErrClosed
	}
	var serial, kid, person, sealed any
	if rv.IsPerson {
		b, err := s.seal.seal(rv.Person, rv.Identity)
		if err != nil {
			return err
		}
		person, sealed = rv.Person[:], b
	} else {
		var k []byte
		err := s.r.QueryRowContext(ctx, `SELECT kid FROM audit WHERE serial = ?`, rv.Serial[:]).Scan(&k)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: revoking: %w", err)
		}
		copy(rv.KeyID[:], k)
		serial, kid = rv.Serial[:], k
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO revocations (serial, kid, person, sealed, reason, token, request_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		serial, kid, person, sealed, rv.Reason, rv.Token, rv.RequestID, rv.At.Unix())
	if err != nil {
		return fmt.Errorf("store: revoking: %w", err)
	}
	if rv.Seq, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("store: revoking: %w", err)
	}
	return nil
}

func (s *sqliteStore) Revocations(ctx context.Context, after int64, limit int) ([]Revocation, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, serial, kid, person, sealed, reason, token, request_id, at
		FROM revocations WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: reading revocations: %w", err)
	}
	defer rows.Close()
	return collect(rows, func(r rowScanner) (Revocation, error) { return scanRevocation(s.seal, r) }, "revocations")
}

func fillRevocation(seal *sealer, rv *Revocation, serial, kid, person, sealed []byte) error {
	if person == nil {
		copy(rv.Serial[:], serial)
		copy(rv.KeyID[:], kid)
		return nil
	}
	rv.IsPerson = true
	copy(rv.Person[:], person)
	var err error
	rv.Identity, err = seal.open(rv.Person, sealed)
	return err
}

// compile-time check
var _ Store = (*sqliteStore)(nil)
