package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/store"
)

func Example() {
	dir, _ := os.MkdirTemp("", "offcode-store")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	secret := make([]byte, 32) // the service secret: seals identity hashes
	s, err := store.Open(ctx, filepath.Join(dir, "offcode.db"), store.Options{Secret: secret})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	rec := &store.Record{
		Identity:  identity.Hash{Version: format.HashVersion},
		Colour:    codec.Green,
		Kind:      codec.Personal,
		IssuedAt:  at,
		ExpiresAt: at.Add(codec.MaxValidity),
		Token:     "backoffice",
		RequestID: "req-1",
	}
	// Record returns once the record is durable.
	if err := s.Record(ctx, rec); err != nil {
		panic(err)
	}
	recs, _ := s.Audit(ctx, store.AuditQuery{Since: at})
	fmt.Println(len(recs), recs[0].Seq, recs[0].Colour, recs[0].Token, recs[0].ExpiresAt.Format(time.RFC3339))
	// Output:
	// 1 1 green backoffice 2026-11-30T02:00:00Z
}
