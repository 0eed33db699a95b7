package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)

	"github.com/offcode/offcode/identity"
)

// Options configure Open.
type Options struct {
	// ReadOnly opens an existing store for reading only (audit export
	// while the service runs).
	ReadOnly bool
	// MaxBatch bounds the records committed in one transaction
	// (default 1024).
	MaxBatch int
}

// sqliteStore is the embedded Store: one SQLite file in WAL mode.
//
// Durability: every write transaction commits with synchronous=FULL, so
// SQLite fsyncs the write-ahead log before COMMIT returns. A record Record
// has returned for survives a crash of the process (SIGKILL) and a loss of
// power, as far as the disk honours fsync. Writes go through one connection,
// so they are serialised, and write transactions begin IMMEDIATE, taking the
// write lock before they read what they check.
type sqliteStore struct {
	w, r     *sql.DB // one writer connection; a pool of readers
	maxBatch int

	commits, records atomic.Int64

	mu     sync.RWMutex // guards closed and sends on jobs
	closed bool
	jobs   chan *job
	done   chan struct{} // closed when the writer goroutine has exited
}

// job is a Record call waiting for the writer.
type job struct {
	recs []*Record
	err  chan error
}

// Open opens (creating if needed) the SQLite store at path and brings its
// schema up to date.
func Open(ctx context.Context, path string, opt Options) (Store, error) {
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 1024
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	s := &sqliteStore{maxBatch: opt.MaxBatch}
	if opt.ReadOnly {
		q.Add("_pragma", "query_only(1)")
		r, err := sql.Open("sqlite", path+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("store: opening %s: %w", path, err)
		}
		s.r = r
		var v int
		if err := r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			r.Close()
			return nil, fmt.Errorf("store: opening %s: %w", path, err)
		}
		if v == 0 {
			r.Close()
			return nil, fmt.Errorf("store: %s is not an offcode store (schema version 0)", path)
		}
		s.closed = true // no writer
		return s, nil
	}
	// The store holds no ID numbers, but people's HMACs and identity
	// hashes are still personal data: create it readable by the owner only
	// (SQLite gives the -wal and -shm files the same mode).
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
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := migrate(ctx, w); err != nil {
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
	s.w, s.r = w, r
	s.jobs = make(chan *job, 4096)
	s.done = make(chan struct{})
	go s.writer()
	return s, nil
}

// Stats implements StatsReporter.
func (s *sqliteStore) Stats() Stats {
	return Stats{Commits: s.commits.Load(), Records: s.records.Load()}
}

func (s *sqliteStore) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

func (s *sqliteStore) Close() error {
	s.mu.Lock()
	wasClosed := s.closed
	s.closed = true
	if !wasClosed {
		close(s.jobs)
	}
	s.mu.Unlock()
	if s.w != nil && !wasClosed {
		<-s.done
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
	j := &job{recs: recs, err: make(chan error, 1)}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	select {
	case s.jobs <- j:
	case <-ctx.Done():
		s.mu.RUnlock()
		return ctx.Err()
	}
	s.mu.RUnlock()
	select {
	case err := <-j.err:
		return err
	case <-ctx.Done():
		// The records may still be committed; the caller must not hand
		// out the codes, and an audit record without a delivered code is
		// harmless.
		return ctx.Err()
	}
}

// writer commits queued jobs, as many as are waiting (up to maxBatch
// records) in each transaction: while one commit waits for fsync the next
// batch gathers (group commit).
func (s *sqliteStore) writer() {
	defer close(s.done)
	var batch []*job
	for j := range s.jobs {
		batch = append(batch[:0], j)
		n := len(j.recs)
	drain:
		for n < s.maxBatch {
			select {
			case j, ok := <-s.jobs:
				if !ok {
					break drain
				}
				batch = append(batch, j)
				n += len(j.recs)
			default:
				break drain
			}
		}
		err := s.commit(batch)
		if err == nil {
			s.commits.Add(1)
			s.records.Add(int64(n))
		}
		for _, j := range batch {
			j.err <- err
		}
	}
}

const (
	insertPerson = `INSERT OR IGNORE INTO people (person, hash_version, salt, sum, created_at) VALUES (?, ?, ?, ?, ?)`
	insertAudit  = `INSERT INTO audit (serial, person, hash_version, salt, sum, colour, kind, iat, exp, kid, token, request_id, binding_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
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
	pstmt, err := tx.PrepareContext(ctx, insertPerson)
	if err != nil {
		return fmt.Errorf("store: recording: %w", err)
	}
	astmt, err := tx.PrepareContext(ctx, insertAudit)
	if err != nil {
		return fmt.Errorf("store: recording: %w", err)
	}
	for _, j := range batch {
		for _, r := range j.recs {
			if r.NewPerson {
				if _, err := pstmt.ExecContext(ctx, r.Person[:], r.Identity.Version, r.Identity.Salt[:], r.Identity.Sum[:], r.IssuedAt.UnixMilli()); err != nil {
					return fmt.Errorf("store: recording person: %w", err)
				}
			}
			var binding any
			if r.BindingID != "" {
				binding = r.BindingID
			}
			res, err := astmt.ExecContext(ctx, r.Serial[:], r.Person[:], r.Identity.Version, r.Identity.Salt[:], r.Identity.Sum[:],
				int(r.Colour), int(r.Kind), r.IssuedAt.Unix(), r.ExpiresAt.Unix(), r.KeyID[:], r.Token, r.RequestID, binding)
			if err != nil {
				return fmt.Errorf("store: recording code: %w", err)
			}
			if r.Seq, err = res.LastInsertId(); err != nil {
				return fmt.Errorf("store: recording code: %w", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: committing: %w", err)
	}
	return nil
}

func (s *sqliteStore) Person(ctx context.Context, p PersonKey) (identity.Hash, error) {
	var h identity.Hash
	var salt, sum []byte
	err := s.r.QueryRowContext(ctx, `SELECT hash_version, salt, sum FROM people WHERE person = ?`, p[:]).Scan(&h.Version, &salt, &sum)
	if errors.Is(err, sql.ErrNoRows) {
		return h, ErrNotFound
	}
	if err != nil {
		return h, fmt.Errorf("store: reading person: %w", err)
	}
	if copy(h.Salt[:], salt) != identity.SaltSize || copy(h.Sum[:], sum) != identity.SumSize {
		return h, fmt.Errorf("store: person has a malformed identity hash")
	}
	return h, nil
}

func (s *sqliteStore) Audit(ctx context.Context, q AuditQuery) ([]Record, error) {
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	var since int64
	if !q.Since.IsZero() {
		since = q.Since.Unix()
	}
	rows, err := s.r.QueryContext(ctx, `SELECT seq, serial, person, hash_version, salt, sum, colour, kind, iat, exp, kid, token, request_id, binding_id
		FROM audit WHERE seq > ? AND iat >= ? ORDER BY seq LIMIT ?`, q.After, since, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("store: reading audit: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var serial, person, salt, sum, kid []byte
		var iat, exp int64
		var binding sql.NullString
		if err := rows.Scan(&r.Seq, &serial, &person, &r.Identity.Version, &salt, &sum, &r.Colour, &r.Kind,
			&iat, &exp, &kid, &r.Token, &r.RequestID, &binding); err != nil {
			return nil, fmt.Errorf("store: reading audit: %w", err)
		}
		copy(r.Serial[:], serial)
		copy(r.Person[:], person)
		copy(r.Identity.Salt[:], salt)
		copy(r.Identity.Sum[:], sum)
		copy(r.KeyID[:], kid)
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

func (s *sqliteStore) Bind(ctx context.Context, b Binding, relative identity.Hash, lim Limits) (got Binding, created bool, err error) {
	if s.w == nil {
		return Binding{}, false, ErrClosed
	}
	tx, err := s.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE: takes the write lock now
	if err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	defer tx.Rollback()
	got, err = scanBinding(tx.QueryRowContext(ctx, `SELECT id, guardian, relative, relation, created_at FROM bindings
		WHERE guardian = ? AND relative = ?`, b.Guardian[:], b.Relative[:]))
	if err == nil {
		return got, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Binding{}, false, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bindings WHERE guardian = ?`, b.Guardian[:]).Scan(&n); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	if n >= lim.MaxRelatives {
		return Binding{}, false, fmt.Errorf("%w (%d)", ErrGuardianLimit, lim.MaxRelatives)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bindings WHERE relative = ?`, b.Relative[:]).Scan(&n); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	if n >= lim.MaxGuardians {
		return Binding{}, false, fmt.Errorf("%w (%d)", ErrRelativeLimit, lim.MaxGuardians)
	}
	at := b.CreatedAt.UnixMilli()
	if _, err := tx.ExecContext(ctx, insertPerson, b.Relative[:], relative.Version, relative.Salt[:], relative.Sum[:], at); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO bindings (id, guardian, relative, relation, created_at) VALUES (?, ?, ?, ?, ?)`,
		b.ID, b.Guardian[:], b.Relative[:], b.Relation, at); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	b.CreatedAt = time.UnixMilli(at).UTC()
	return b, true, nil
}

type rowScanner interface{ Scan(...any) error }

func scanBinding(row rowScanner) (Binding, error) {
	var b Binding
	var g, r []byte
	var at int64
	err := row.Scan(&b.ID, &g, &r, &b.Relation, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return b, ErrNotFound
	}
	if err != nil {
		return b, fmt.Errorf("store: reading binding: %w", err)
	}
	copy(b.Guardian[:], g)
	copy(b.Relative[:], r)
	b.CreatedAt = time.UnixMilli(at).UTC()
	return b, nil
}

func (s *sqliteStore) Binding(ctx context.Context, id string) (Binding, error) {
	return scanBinding(s.r.QueryRowContext(ctx, `SELECT id, guardian, relative, relation, created_at FROM bindings WHERE id = ?`, id))
}

func (s *sqliteStore) GuardianBindings(ctx context.Context, guardian PersonKey) ([]Binding, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, guardian, relative, relation, created_at FROM bindings
		WHERE guardian = ? ORDER BY created_at, id`, guardian[:])
	if err != nil {
		return nil, fmt.Errorf("store: reading bindings: %w", err)
	}
	defer rows.Close()
	out := []Binding{}
	for rows.Next() {
		b, err := scanBinding(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading bindings: %w", err)
	}
	return out, nil
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
	b, err := scanBinding(tx.QueryRowContext(ctx, `SELECT id, guardian, relative, relation, created_at FROM bindings WHERE id = ?`, id))
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

// compile-time check
var _ Store = (*sqliteStore)(nil)
