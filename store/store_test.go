package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/store"
)

func openTemp(t *testing.T) (store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "offcode.db")
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func key(i int) store.PersonKey {
	var k store.PersonKey
	copy(k[:], fmt.Sprintf("person-%08d", i))
	return k
}

func hash(i int) identity.Hash {
	h := identity.Hash{Version: identity.HashVersion}
	h.Salt[0], h.Sum[0] = byte(i), byte(i>>8)
	return h
}

func record(i int, newPerson bool) *store.Record {
	r := &store.Record{
		Person:    key(i % 10),
		Identity:  hash(i % 10),
		Colour:    codec.Yellow,
		Kind:      codec.Personal,
		IssuedAt:  time.Unix(1_790_000_000+int64(i), 0).UTC(),
		Token:     "test",
		RequestID: fmt.Sprintf("req-%d", i),
		NewPerson: newPerson,
	}
	r.ExpiresAt = r.IssuedAt.Add(codec.MaxValidity)
	copy(r.Serial[:], fmt.Sprintf("%012d", i))
	r.KeyID[0] = 7
	return r
}

func TestRecordAndAudit(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if _, err := s.Person(ctx, key(1)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Person(unknown) = %v, want ErrNotFound", err)
	}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Record(ctx, record(i, true)); err != nil {
				t.Errorf("Record(%d) = %v", i, err)
			}
		}()
	}
	wg.Wait()
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("store file %s%s: %v, mode %v, want 0600", path, suffix, err, fi.Mode())
		}
	}
	if st := s.(store.StatsReporter).Stats(); st.Records != 200 || st.Commits < 1 || st.Commits > 200 {
		t.Fatalf("Stats() = %+v, want 200 records in 1 to 200 commits", st)
	}
	got, err := s.Person(ctx, key(3))
	if err != nil || got != hash(3) {
		t.Fatalf("Person(3) = %v, %v, want %v", got, err, hash(3))
	}
	recs, err := s.Audit(ctx, store.AuditQuery{Limit: 1000})
	if err != nil || len(recs) != 200 {
		t.Fatalf("Audit() = %d records, %v, want 200", len(recs), err)
	}
	seen := map[string]bool{}
	for i, r := range recs {
		if r.Seq != int64(i+1) {
			t.Fatalf("record %d has Seq %d", i, r.Seq)
		}
		seen[r.RequestID] = true
	}
	if !seen["req-0"] || !seen["req-199"] {
		t.Fatalf("Audit() misses records")
	}
	// Records were committed in any order: work out what the query selects.
	since := recs[170].IssuedAt
	var want []int64
	for _, r := range recs {
		if r.Seq > 150 && !r.IssuedAt.Before(since) && len(want) < 5 {
			want = append(want, r.Seq)
		}
	}
	page, err := s.Audit(ctx, store.AuditQuery{After: 150, Since: since, Limit: 5})
	if err != nil || len(page) != len(want) || len(want) == 0 {
		t.Fatalf("Audit(after 150, since) = %d records, %v, want %d", len(page), err, len(want))
	}
	for i, r := range page {
		if r.Seq != want[i] {
			t.Fatalf("Audit(after 150, since)[%d] has Seq %d, want %d", i, r.Seq, want[i])
		}
	}
	// A read-only store sees the same trail while the writer is open.
	ro, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open(read-only) = %v", err)
	}
	defer ro.Close()
	all, err := ro.Audit(ctx, store.AuditQuery{Limit: 1000})
	if err != nil || len(all) != 200 {
		t.Fatalf("read-only Audit() = %d, %v, want 200", len(all), err)
	}
	if err := ro.Record(ctx, record(1000, false)); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("read-only Record() = %v, want ErrClosed", err)
	}
}

func TestReopenKeepsRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "offcode.db")
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Record(ctx, record(1, true), record(2, true)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if _, err := os.Stat(path + "-wal"); !os.IsNotExist(err) {
		t.Fatalf("after Close the WAL is still there (%v): not checkpointed", err)
	}
	if err := s.Record(ctx, record(3, true)); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("Record after Close = %v, want ErrClosed", err)
	}
	s, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	recs, err := s.Audit(ctx, store.AuditQuery{})
	if err != nil || len(recs) != 2 {
		t.Fatalf("Audit after reopen = %d, %v, want 2", len(recs), err)
	}
}

var lim = store.Limits{MaxRelatives: 8, MaxGuardians: 3, MinAge: 24 * time.Hour}

func TestBindLimitsConcurrent(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	// 100 concurrent bindings: guardians 0..9 each try relatives 100..109.
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := store.Binding{ID: fmt.Sprintf("b%03d", i), Guardian: key(i / 10), Relative: key(100 + i%10), Relation: "child", CreatedAt: at}
			_, ok, err := s.Bind(ctx, b, hash(100+i%10), lim)
			if err != nil && !errors.Is(err, store.ErrGuardianLimit) && !errors.Is(err, store.ErrRelativeLimit) {
				t.Errorf("Bind(%d) = %v", i, err)
			}
			if ok {
				mu.Lock()
				created++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	perRelative := map[store.PersonKey]int{}
	for g := range 10 {
		bs, err := s.GuardianBindings(ctx, key(g))
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) > lim.MaxRelatives {
			t.Fatalf("guardian %d has %d relatives, limit %d", g, len(bs), lim.MaxRelatives)
		}
		for _, b := range bs {
			perRelative[b.Relative]++
		}
	}
	total := 0
	for r, n := range perRelative {
		if n > lim.MaxGuardians {
			t.Fatalf("relative %x has %d guardians, limit %d", r[:8], n, lim.MaxGuardians)
		}
		total += n
	}
	if total != created || total != 30 {
		t.Fatalf("%d bindings stored, %d reported created, want 30 (10 relatives × 3 guardians)", total, created)
	}
}

func TestBindIdempotentAndUnbind(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	b := store.Binding{ID: "one", Guardian: key(1), Relative: key(2), Relation: "mother", CreatedAt: at}
	got, created, err := s.Bind(ctx, b, hash(2), lim)
	if err != nil || !created || got.ID != "one" {
		t.Fatalf("Bind = %+v, %v, %v", got, created, err)
	}
	b.ID = "two"
	got, created, err = s.Bind(ctx, b, hash(2), lim)
	if err != nil || created || got.ID != "one" || !got.CreatedAt.Equal(at) {
		t.Fatalf("Bind again = %+v, %v, %v, want the first binding", got, created, err)
	}
	if h, err := s.Person(ctx, key(2)); err != nil || h != hash(2) {
		t.Fatalf("Person(relative) = %v, %v", h, err)
	}
	var tooEarly *store.TooEarlyError
	if err := s.Unbind(ctx, "one", at.Add(24*time.Hour-time.Second), lim); !errors.As(err, &tooEarly) || !tooEarly.At.Equal(at.Add(24*time.Hour)) {
		t.Fatalf("Unbind at 23:59:59 = %v, want TooEarlyError at %v", err, at.Add(24*time.Hour))
	}
	if err := s.Unbind(ctx, "one", at.Add(24*time.Hour), lim); err != nil {
		t.Fatalf("Unbind at 24h = %v", err)
	}
	if err := s.Unbind(ctx, "one", at.Add(48*time.Hour), lim); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Unbind twice = %v, want ErrNotFound", err)
	}
	if _, err := s.Binding(ctx, "one"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Binding(removed) = %v, want ErrNotFound", err)
	}
}
