package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
)

// pgStore is the Store on PostgreSQL, for several service instances on one
// database. It uses pgx v5 directly (not database/sql): a connection pool
// built for PostgreSQL, batches that send a group commit's inserts in one
// round trip, and typed access to SQLSTATE codes for retries.
//
// Durability: every connection sets synchronous_commit=on, so COMMIT returns
// only once the WAL is flushed (and, with synchronous standbys configured,
// replicated): a code is handed out only after its record is.
//
// Concurrency across instances:
//   - The audit trail: writers insert concurrently, so that their commits
//     share WAL flushes. A record's seq, the export cursor, is assigned
//     after its commit by sequence, which runs under a transaction-level
//     advisory lock (before every Audit read and every second in each
//     instance): a record committed late gets a later seq, and a reader
//     paging with after=seq never skips one.
//   - Kinship limits: a binding locks the guardian's and the relative's
//     rows in kin_people (row locks, in key order) before it counts, so
//     two instances cannot both take the last place.
//   - First sight of a person: ClaimPerson inserts with ON CONFLICT DO
//     NOTHING and reads back the winner, so racing instances sign with
//     one identity hash.
type pgStore struct {
	pool *pgxpool.Pool
	seal *sealer
	c    *committer // nil when read-only

	stop     chan struct{} // closes the background sequencer
	done     chan struct{}
	stopOnce sync.Once
}

// auditLock is the advisory lock key that orders audit commits.
const auditLock = 0x6f6666636f6465 // "offcode"

// migrateLock is the advisory lock key that serialises migrations of
// instances starting at once.
const migrateLock = auditLock + 1

func openPostgres(ctx context.Context, dsn string, opt Options) (Store, error) {
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 1024
	}
	if opt.MaxConns <= 0 {
		opt.MaxConns = 16
	}
	seal, err := newSealer(opt.Secret)
	if err != nil {
		return nil, err
	}
	if !opt.ReadOnly && seal == nil {
		return nil, ErrNoSecret
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The DSN may hold a password: do not repeat it.
		return nil, fmt.Errorf("store: the PostgreSQL URL does not parse")
	}
	cfg.MaxConns = int32(opt.MaxConns)
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	cfg.ConnConfig.RuntimeParams["application_name"] = "offcode"
	if opt.ReadOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connecting to PostgreSQL: %w", err)
	}
	s := &pgStore{pool: pool, seal: seal}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connecting to PostgreSQL: %w", err)
	}
	if opt.ReadOnly {
		return s, nil
	}
	if err := migratePostgres(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := s.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	s.c = newCommitter(max(1, min(8, opt.MaxConns/2)), opt.MaxBatch, s.commit)
	s.stop, s.done = make(chan struct{}), make(chan struct{})
	go s.sequencer()
	return s, nil
}

// sequencer sequences the audit trail every second, so that a read-only
// reader (offcode audit) sees records without waiting for an Audit call
// of a writer.
func (s *pgStore) sequencer() {
	defer close(s.done)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	s.sequence(ctx) // what instances that died left unnumbered
	cancel()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			s.sequence(ctx) // an error leaves the rows for the next round
			cancel()
		}
	}
}

// sequenceChunk bounds the records one sequencing transaction numbers.
const sequenceChunk = 10000

// sequence gives every committed record without a seq the next ones, under
// the advisory lock: rounds are serialised and each commits before the
// next begins, so seq grows with the order in which records became
// visible to the sequencer.
func (s *pgStore) sequence(ctx context.Context) error {
	for {
		tx, err := s.pool.Begin(ctx)
		if err != nil {
			return fmt.Errorf("store: sequencing the audit trail: %w", err)
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(auditLock)); err != nil {
			return fmt.Errorf("store: sequencing the audit trail: %w", err)
		}
		tag, err := tx.Exec(ctx, `UPDATE audit SET seq = nextval('audit_seq')
			WHERE id IN (SELECT id FROM audit WHERE seq IS NULL ORDER BY id LIMIT $1)`, sequenceChunk)
		if err != nil {
			return fmt.Errorf("store: sequencing the audit trail: %w", err)
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("store: sequencing the audit trail: %w", err)
		}
		if tag.RowsAffected() < sequenceChunk {
			return nil
		}
	}
}

// migratePostgres applies the migrations the database has not had, under
// an advisory lock so that instances starting together take turns.
func migratePostgres(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := loadMigrations("postgres")
	if err != nil {
		return err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	var have int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&have); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	if have > len(ms) {
		return fmt.Errorf("schema version %d is newer than this program knows (%d)", have, len(ms))
	}
	// All pending steps commit together: PostgreSQL's DDL is
	// transactional, so a failed step leaves the schema as it was.
	for _, m := range ms[have:] {
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, m.version); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return tx.Commit(ctx)
}

func (s *pgStore) Stats() Stats {
	if s.c == nil {
		return Stats{}
	}
	return s.c.stats()
}

// Ping reports whether the store can write: it rewrites one row of the
// health table, committed durably.
func (s *pgStore) Ping(ctx context.Context) error {
	if s.c == nil && s.seal == nil {
		if err := s.pool.Ping(ctx); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO health (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at`,
		time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("store: cannot write: %w", err)
	}
	return nil
}

func (s *pgStore) Close() error {
	if s.c != nil {
		s.c.close()
		s.stopOnce.Do(func() { close(s.stop) })
		<-s.done
		// Number what this instance committed last, for readers that
		// cannot (offcode audit).
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		s.sequence(ctx)
		cancel()
	}
	s.pool.Close()
	return nil
}

func (s *pgStore) Record(ctx context.Context, recs ...*Record) error {
	if len(recs) == 0 {
		return nil
	}
	if s.c == nil {
		return ErrClosed
	}
	return s.c.do(ctx, &job{recs: recs})
}

const pgInsertAudit = `INSERT INTO audit (serial, person, hash_version, sealed, colour, kind, iat, exp, kid, token, request_id, binding_id)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`

// commit writes a group of Record calls in one transaction: every insert
// in one batch. Seq is assigned later, by sequence.
func (s *pgStore) commit(batch []*job) error {
	ctx := context.Background() // a batch is never abandoned half way
	var b pgx.Batch
	for _, j := range batch {
		for _, r := range j.recs {
			sealed, err := s.seal.seal(r.Person, r.Identity)
			if err != nil {
				return err
			}
			var binding *string
			if r.BindingID != "" {
				binding = &r.BindingID
			}
			b.Queue(pgInsertAudit, r.Serial[:], r.Person[:], int16(r.Identity.Version), sealed, int16(r.Colour), int16(r.Kind),
				r.IssuedAt.Unix(), r.ExpiresAt.Unix(), r.KeyID[:], r.Token, r.RequestID, binding)
		}
	}
	// One pipeline, one Sync: the extended protocol runs the batch as one
	// implicit transaction, committed (and flushed, synchronous_commit=on)
	// before the last result comes back. One round trip per group.
	res := s.pool.SendBatch(ctx, &b)
	for range b.Len() {
		if _, err := res.Exec(); err != nil {
			res.Close()
			return fmt.Errorf("store: recording code: %w", err)
		}
	}
	if err := res.Close(); err != nil {
		return fmt.Errorf("store: committing: %w", err)
	}
	return nil
}

func (s *pgStore) ClaimPerson(ctx context.Context, p PersonKey, h identity.Hash, at time.Time) (identity.Hash, error) {
	sealed, err := s.seal.seal(p, h)
	if err != nil {
		return identity.Hash{}, err
	}
	// Two statements, two snapshots: the SELECT sees a row another
	// instance committed while the INSERT waited for it.
	if _, err := s.pool.Exec(ctx, `INSERT INTO people (person, hash_version, sealed, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (person) DO NOTHING`, p[:], int16(h.Version), sealed, at.UnixMilli()); err != nil {
		return identity.Hash{}, fmt.Errorf("store: recording person: %w", err)
	}
	return s.Person(ctx, p)
}

func (s *pgStore) Person(ctx context.Context, p PersonKey) (identity.Hash, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT sealed FROM people WHERE person = $1`, p[:]).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return identity.Hash{}, ErrNotFound
	}
	if err != nil {
		return identity.Hash{}, fmt.Errorf("store: reading person: %w", err)
	}
	return s.seal.open(p, b)
}

func (s *pgStore) Audit(ctx context.Context, q AuditQuery) ([]Record, error) {
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	if s.c != nil {
		if err := s.sequence(ctx); err != nil {
			return nil, err
		}
	}
	var since int64
	if !q.Since.IsZero() {
		since = q.Since.Unix()
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, serial, person, sealed, colour, kind, iat, exp, kid, token, request_id, binding_id
		FROM audit WHERE seq > $1 AND iat >= $2 ORDER BY seq LIMIT $3`, q.After, since, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("store: reading audit: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var serial, person, sealed, kid []byte
		var colour, kind int16
		var iat, exp int64
		var binding *string
		if err := rows.Scan(&r.Seq, &serial, &person, &sealed, &colour, &kind, &iat, &exp, &kid, &r.Token, &r.RequestID, &binding); err != nil {
			return nil, fmt.Errorf("store: reading audit: %w", err)
		}
		copy(r.Serial[:], serial)
		copy(r.Person[:], person)
		copy(r.KeyID[:], kid)
		if r.Identity, err = s.seal.open(r.Person, sealed); err != nil {
			return nil, err
		}
		r.Colour, r.Kind = codec.Colour(colour), codec.Kind(kind)
		r.IssuedAt = time.Unix(iat, 0).UTC()
		r.ExpiresAt = time.Unix(exp, 0).UTC()
		if binding != nil {
			r.BindingID = *binding
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading audit: %w", err)
	}
	return out, nil
}

// retryable reports whether err is a deadlock or serialisation failure,
// after which the transaction can simply run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

func (s *pgStore) Bind(ctx context.Context, b Binding, relative identity.Hash, lim Limits) (Binding, bool, error) {
	sealed, err := s.seal.seal(b.Relative, relative)
	if err != nil {
		return Binding{}, false, err
	}
	for try := 0; ; try++ {
		got, created, err := s.bindTx(ctx, b, sealed, relative.Version, lim)
		if !retryable(err) || try == 4 {
			return got, created, err
		}
	}
}

func (s *pgStore) bindTx(ctx context.Context, b Binding, sealed []byte, version uint8, lim Limits) (Binding, bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	defer tx.Rollback(ctx)
	// Lock both people's rows, in key order (no deadlock between two
	// bindings that share them), creating them if new.
	lo, hi := b.Guardian[:], b.Relative[:]
	if bytes.Compare(lo, hi) > 0 {
		lo, hi = hi, lo
	}
	if _, err := tx.Exec(ctx, `INSERT INTO kin_people (person) VALUES ($1), ($2)
		ON CONFLICT (person) DO UPDATE SET person = excluded.person`, lo, hi); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	got, err := scanBinding(tx.QueryRow(ctx, `SELECT `+bindingColumns+` FROM bindings WHERE guardian = $1 AND relative = $2`,
		b.Guardian[:], b.Relative[:]))
	if err == nil {
		return got, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Binding{}, false, err
	}
	if err := checkLimits(func(col string, p PersonKey) (int, error) {
		var n int
		err := tx.QueryRow(ctx, `SELECT count(*) FROM bindings WHERE `+col+` = $1`, p[:]).Scan(&n)
		return n, err
	}, b, lim); err != nil {
		return Binding{}, false, err
	}
	at := b.CreatedAt.UnixMilli()
	if _, err := tx.Exec(ctx, `INSERT INTO people (person, hash_version, sealed, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (person) DO NOTHING`, b.Relative[:], int16(version), sealed, at); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	var until *int64
	if !b.EligibleUntil.IsZero() {
		u := b.EligibleUntil.UnixMilli()
		until = &u
	}
	if _, err := tx.Exec(ctx, `INSERT INTO bindings (`+bindingColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		b.ID, b.Guardian[:], b.Relative[:], b.Relation, b.RelativeLast4, at, until); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Binding{}, false, fmt.Errorf("store: binding: %w", err)
	}
	b.CreatedAt = time.UnixMilli(at).UTC()
	return b, true, nil
}

func (s *pgStore) Binding(ctx context.Context, id string) (Binding, error) {
	return scanBinding(s.pool.QueryRow(ctx, `SELECT `+bindingColumns+` FROM bindings WHERE id = $1`, id))
}

func (s *pgStore) GuardianBindings(ctx context.Context, guardian PersonKey) ([]Binding, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+bindingColumns+` FROM bindings WHERE guardian = $1 ORDER BY created_at, id`, guardian[:])
	if err != nil {
		return nil, fmt.Errorf("store: reading bindings: %w", err)
	}
	defer rows.Close()
	return collect(rows, scanBinding, "bindings")
}

func (s *pgStore) Unbind(ctx context.Context, id string, now time.Time, lim Limits) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: unbinding: %w", err)
	}
	defer tx.Rollback(ctx)
	b, err := scanBinding(tx.QueryRow(ctx, `SELECT `+bindingColumns+` FROM bindings WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return err
	}
	if at := b.CreatedAt.Add(lim.MinAge); now.Before(at) {
		return &TooEarlyError{At: at}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM bindings WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: unbinding: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: unbinding: %w", err)
	}
	return nil
}

func (s *pgStore) Revoke(ctx context.Context, rv *Revocation) error {
	var serial, kid, person, sealed []byte
	if rv.IsPerson {
		b, err := s.seal.seal(rv.Person, rv.Identity)
		if err != nil {
			return err
		}
		person, sealed = rv.Person[:], b
	} else {
		err := s.pool.QueryRow(ctx, `SELECT kid FROM audit WHERE serial = $1`, rv.Serial[:]).Scan(&kid)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: revoking: %w", err)
		}
		copy(rv.KeyID[:], kid)
		serial = rv.Serial[:]
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO revocations (serial, kid, person, sealed, reason, token, request_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq`,
		serial, kid, person, sealed, rv.Reason, rv.Token, rv.RequestID, rv.At.Unix()).Scan(&rv.Seq)
	if err != nil {
		return fmt.Errorf("store: revoking: %w", err)
	}
	return nil
}

func (s *pgStore) Revocations(ctx context.Context, after int64, limit int) ([]Revocation, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, serial, kid, person, sealed, reason, token, request_id, at
		FROM revocations WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: reading revocations: %w", err)
	}
	defer rows.Close()
	return collect(rows, func(r rowScanner) (Revocation, error) { return scanRevocation(s.seal, r) }, "revocations")
}

// compile-time check
var _ Store = (*pgStore)(nil)
