package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// rowScanner is a row of either backend: *sql.Row, *sql.Rows, pgx.Row or
// pgx.Rows. Rows both backends read the same way are scanned here once.
type rowScanner interface{ Scan(...any) error }

// rowsScanner is a result set of either backend: *sql.Rows or pgx.Rows.
type rowsScanner interface {
	rowScanner
	Next() bool
	Err() error
}

// collect reads every row of rows with scan; what names the rows in
// errors. It never returns a nil slice, so an empty list encodes as [].
// The caller closes rows.
func collect[T any](rows rowsScanner, scan func(rowScanner) (T, error), what string) ([]T, error) {
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading %s: %w", what, err)
	}
	return out, nil
}

// scanBinding reads one row of bindingColumns; no row is ErrNotFound.
func scanBinding(row rowScanner) (Binding, error) {
	var b Binding
	var g, r []byte
	var at int64
	var until *int64 // NULL for a binding made before eligibility ends were stored
	err := row.Scan(&b.ID, &g, &r, &b.Relation, &b.RelativeLast4, &at, &until)
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
		return b, ErrNotFound
	}
	if err != nil {
		return b, fmt.Errorf("store: reading binding: %w", err)
	}
	copy(b.Guardian[:], g)
	copy(b.Relative[:], r)
	b.CreatedAt = time.UnixMilli(at).UTC()
	if until != nil {
		b.EligibleUntil = time.UnixMilli(*until).UTC()
	}
	return b, nil
}

// scanRevocation reads one row of the revocations table (seq, serial, kid,
// person, sealed, reason, token, request_id, at) and unseals its person.
func scanRevocation(seal *sealer, row rowScanner) (Revocation, error) {
	var rv Revocation
	var serial, kid, person, sealed []byte
	var at int64
	if err := row.Scan(&rv.Seq, &serial, &kid, &person, &sealed, &rv.Reason, &rv.Token, &rv.RequestID, &at); err != nil {
		return rv, fmt.Errorf("store: reading revocations: %w", err)
	}
	if err := fillRevocation(seal, &rv, serial, kid, person, sealed); err != nil {
		return rv, err
	}
	rv.At = time.Unix(at, 0).UTC()
	return rv, nil
}
