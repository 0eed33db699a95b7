// Package store keeps the signing service's state: the people it has issued
// codes to (keyed by an HMAC of their ID number, never the number itself),
// the audit trail of every code it signed, and kinship bindings (亲属码), as
// described in SPEC.md §5.3.
//
// Store is the interface the service uses; Open returns the embedded SQLite
// implementation. Nothing about SQL leaks through the interface, so another
// engine can implement it.
package store

import (
	"context"
	"errors"
	"fmt"
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
	Identity  identity.Hash
	Colour    codec.Colour
	Kind      codec.Kind
	IssuedAt  time.Time
	ExpiresAt time.Time
	KeyID     codec.KeyID
	Token     string // name of the API token that asked for the code
	RequestID string
	BindingID string // the binding a kinship code was issued through, else ""

	// NewPerson asks the store to remember Identity as the person's hash,
	// in the same transaction, unless it already knows one.
	NewPerson bool
}

// Binding links a guardian to a relative for kinship codes.
type Binding struct {
	ID        string
	Guardian  PersonKey
	Relative  PersonKey
	Relation  string
	CreatedAt time.Time
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

// Store is the service's persistent state. Implementations are safe for
// concurrent use.
type Store interface {
	// Person returns the identity hash stored for p, or ErrNotFound.
	Person(ctx context.Context, p PersonKey) (identity.Hash, error)

	// Record appends recs to the audit trail in one transaction and
	// returns only once they are durable; it sets each Seq. Concurrent
	// calls are committed together (group commit).
	Record(ctx context.Context, recs ...*Record) error

	// Audit returns the records q selects.
	Audit(ctx context.Context, q AuditQuery) ([]Record, error)

	// Bind creates b unless the pair already has a binding, in which case
	// it returns that one and created is false. relative is the
	// relative's identity hash, stored if the store knows none. It fails
	// with ErrGuardianLimit or ErrRelativeLimit if the binding would break
	// lim; the check and the insert are atomic.
	Bind(ctx context.Context, b Binding, relative identity.Hash, lim Limits) (got Binding, created bool, err error)

	// Binding returns the binding with the given ID, or ErrNotFound.
	Binding(ctx context.Context, id string) (Binding, error)

	// GuardianBindings returns a guardian's bindings, oldest first.
	GuardianBindings(ctx context.Context, guardian PersonKey) ([]Binding, error)

	// Unbind removes a binding, or fails with ErrNotFound or a
	// *TooEarlyError if it is younger than lim.MinAge at now.
	Unbind(ctx context.Context, id string, now time.Time, lim Limits) error

	// Ping reports whether the store can serve requests.
	Ping(ctx context.Context) error

	// Close waits for pending writes and closes the store.
	Close() error
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

// Errors.
var (
	ErrNotFound      = errors.New("store: not found")
	ErrGuardianLimit = errors.New("store: guardian has the most relatives allowed")
	ErrRelativeLimit = errors.New("store: relative has the most guardians allowed")
	ErrTooEarly      = errors.New("store: binding is too recent to remove")
	ErrClosed        = errors.New("store: closed")
)

// TooEarlyError reports a binding that cannot be removed before At.
type TooEarlyError struct {
	At time.Time
}

func (e *TooEarlyError) Error() string {
	return fmt.Sprintf("store: binding can be removed from %s", e.At.UTC().Format(time.RFC3339))
}

// Unwrap returns ErrTooEarly.
func (e *TooEarlyError) Unwrap() error { return ErrTooEarly }
