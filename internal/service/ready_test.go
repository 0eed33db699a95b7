package service_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/offcode/offcode/internal/store"
)

// brokenStore is a store whose writes can be made to fail.
type brokenStore struct {
	store.Store
	broken atomic.Bool
}

var errDiskFull = errors.New("disk full")

func (b *brokenStore) Ping(ctx context.Context) error {
	if b.broken.Load() {
		return errDiskFull
	}
	return b.Store.Ping(ctx)
}

func (b *brokenStore) Record(ctx context.Context, recs ...*store.Record) error {
	if b.broken.Load() {
		return errDiskFull
	}
	return b.Store.Record(ctx, recs...)
}

// TestReadyWhenStoreCannotWrite: a failed commit is a 500 that hands out no
// code, and /readyz says 503 until the store can write again.
func TestReadyWhenStoreCannotWrite(t *testing.T) {
	e := newEnv(t)
	var bs *brokenStore
	e.svc = e.newServiceWith(func(c *serviceConfig) {
		bs = &brokenStore{Store: c.Store}
		c.Store = bs
	})
	e.restartHTTP()
	want(t, "ready", e.do("GET", "/readyz", "", nil), 200, "")
	bs.broken.Store(true)
	r := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"})
	want(t, "issue while the store cannot write", r, 500, "internal")
	if r.str("code") != "" {
		t.Fatalf("a code was handed out without its record: %s", r.body)
	}
	want(t, "readyz while the store cannot write", e.do("GET", "/readyz", "", nil), 503, "unavailable")
	bs.broken.Store(false)
	want(t, "readyz once it can", e.do("GET", "/readyz", "", nil), 200, "")
}
