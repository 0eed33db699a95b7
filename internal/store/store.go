// Package store keeps the signing service's state: the people it has issued
// codes to (keyed by an HMAC of their ID number, never the number itself),
// the audit trail of every code it signed, kinship bindings (亲属码) and
// pending revocations, as described in SPEC.md §5.3.
//
// Store is the interface the service uses. Open returns the embedded SQLite
// implementation for a file path and the PostgreSQL one for a postgres://
// URL; both pass the same contract tests. Nothing about SQL leaks through
// the interface.
//
// People's identity hashes (salt and Argon2id sum) are personal data that a
// stolen database would let an attacker crack (issue 10): the store keeps
// them sealed with AES-256-GCM under a key derived from the service secret,
// so the database files hold no clear salt or digest.
package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
)

// PersonKey identifies a person: HMAC-SHA256 of the normalised ID number
// under the service secret.
type PersonKey [32]byte

// Record is one issued code in the audit trail.
type Record struct {
	Seq       int64 // position in the trail, assigned by the store
	Serial    [codec.SerialSize]byte
	Person    PersonKey
	Identity  identity.Hash // zero when read without the secret
	Colour    codec.Colour
	Kind      codec.Kind
	IssuedAt  time.Time
	ExpiresAt time.Time
	KeyID     codec.KeyID
	Token     string // name of the API token that asked for the code
	RequestID string
	BindingID string // the binding a kinship code was issued through, else ""
}

// Binding links a guardian to a relative for kinship codes.
type Binding struct {
	ID       string
	Guardian PersonKey
	Relative PersonKey
	Relation string
	// RelativeLast4 is the last 4 characters of the relative's ID
	// number: enough to tell eight "child" rows apart, too few to name
	// anyone.
	RelativeLast4 string
	CreatedAt     time.Time
	// EligibleUntil is when the relative stops being eligible for kinship
	// codes (a child's 17th birthday); zero if never (an older person).
	// The store holds no ID number to work it out later.
	EligibleUntil time.Time
}

// Limits are the kinship rules the store enforces atomically with the
// change that could break them.
type Limits struct {
	MaxRelatives int           // per guardian
	MaxGuardians int           // per relative
	MinAge       time.Duration // a binding can be removed only this long after it was made
}

// AuditQuery selects audit records: those with Seq > After and issued at or
// after Since, in Seq order, at most Limit of them.
type AuditQuery struct {
	After int64
	Since time.Time
	Limit int
}

// Revocation is a pending revocation: a request, made at the service, that
// the next trust bundle the offline root holder signs carries (SPEC.md
// §13.6). Exactly one of Serial and Person is set.
type Revocation struct {
	Seq    int64 // assigned by the store
	Serial [codec.SerialSize]byte
	KeyID  codec.KeyID // of the code with Serial: the store fills it in from the audit trail
	// Person revokes every code of a person issued before At; Identity is
	// their stored identity hash, which is what a bundle lists.
	Person    PersonKey
	Identity  identity.Hash
	IsPerson  bool
	Reason    string
	Token     string
	RequestID string
	At        time.Time
}

// Store is the service's persistent state. Implementations are safe for
// concurrent use, and by several processes when the engine allows it
// (PostgreSQL).
type Store interface {
	// Person returns the identity hash stored for p, or ErrNotFound.
	Person(ctx context.Context, p PersonKey) (identity.Hash, error)

	// ClaimPerson stores h as p's identity hash unless the store already
	// has one, and returns the hash p's codes must carry: the stored one.
	// Two instances that see a new person at once get the same hash. It
	// returns once the hash is durable.
	ClaimPerson(ctx context.Context, p PersonKey, h identity.Hash, at time.Time) (identity.Hash, error)

	// Record appends recs to the audit trail in one transaction and
	// returns only once they are durable. Concurrent calls are committed
	// together (group commit). A record's Seq, its place in the trail, is
	// what Audit reports: SQLite assigns it at commit; PostgreSQL shortly
	// after, so that instances need not queue their commits. Either way a
	// reader paging with After never skips a record committed later.
	Record(ctx context.Context, recs ...*Record) error

	// Audit returns the records q selects.
	Audit(ctx context.Context, q AuditQuery) ([]Record, error)

	// Bind creates b unless the pair already has a binding, in which case
	// it returns that one and created is false (the caller compares the
	// relation). relative is the relative's identity hash, stored if the
	// store knows none. It fails with ErrGuardianLimit or ErrRelativeLimit
	// if the binding would break lim; the check and the insert are atomic,
	// across processes too.
	Bind(ctx context.Context, b Binding, relative identity.Hash, lim Limits) (got Binding, created bool, err error)

	// Binding returns the binding with the given ID, or ErrNotFound.
	Binding(ctx context.Context, id string) (Binding, error)

	// GuardianBindings returns a guardian's bindings, oldest first.
	GuardianBindings(ctx context.Context, guardian PersonKey) ([]Binding, error)

	// Unbind removes a binding, or fails with ErrNotFound or a
	// *TooEarlyError if it is younger than lim.MinAge at now.
	Unbind(ctx context.Context, id string, now time.Time, lim Limits) error

	// Revoke records a pending revocation and sets its Seq. A code's
	// revocation takes its KeyID from the audit trail, or fails with
	// ErrNotFound for a serial the trail does not hold.
	Revoke(ctx context.Context, rv *Revocation) error

	// Revocations returns the pending revocations with Seq > after, in Seq
	// order, at most limit of them.
	Revocations(ctx context.Context, after int64, limit int) ([]Revocation, error)

	// Ping reports whether the store can serve requests: for a writable
	// store, whether it can write.
	Ping(ctx context.Context) error

	// Close waits for pending writes and closes the store.
	Close() error
}

// Options configure Open.
type Options struct {
	// ReadOnly opens an existing store for reading only (audit export
	// while the service runs).
	ReadOnly bool
	// MaxBatch bounds the records committed in one transaction
	// (default 1024).
	MaxBatch int
	// Secret is the service secret. The store seals identity hashes under
	// a key derived from it; it is needed to write. A read-only store
	// opened without it returns records with a zero Identity.
	Secret []byte
	// MaxConns bounds the connections to a PostgreSQL server (default 16).
	MaxConns int
}

// Open opens (creating if needed) the store at dsn and brings its schema up
// to date: PostgreSQL for a postgres:// or postgresql:// URL, else the
// SQLite file at that path.
func Open(ctx context.Context, dsn string, opt Options) (Store, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn, opt)
	}
	return openSQLite(ctx, dsn, opt)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Stats are counters of the audit writer since the store was opened.
type Stats struct {
	Commits int64 // write transactions of Record calls
	Records int64 // records committed; Records/Commits is the mean group size
}

// StatsReporter is implemented by stores that count their commits.
type StatsReporter interface {
	Stats() Stats
}

// TooEarlyError reports a binding that cannot be removed before At.
type TooEarlyError struct {
	At time.Time
}

func (e *TooEarlyError) Error() string {
	return fmt.Sprintf("store: binding can be removed from %s", e.At.UTC().Format(time.RFC3339))
}

// Unwrap returns ErrTooEarly.
func (e *TooEarlyError) Unwrap() error { return ErrTooEarly }
