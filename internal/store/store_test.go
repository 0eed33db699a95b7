package store_test

import (
	"bytes"
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
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/internal/testkit/pgtest"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

// each runs f on a fresh store of every backend the run has (SQLite, and
// PostgreSQL with -tags postgres): one contract, one suite.
func each(t *testing.T, f func(t *testing.T, s store.Store, dsn string)) {
	for _, b := range pgtest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s, err := store.Open(context.Background(), b.DSN, store.Options{Secret: secret})
			if err != nil {
				t.Fatalf("Open(%s) = %v", b.Name, err)
			}
			t.Cleanup(func() { s.Close() })
			f(t, s, b.DSN)
		})
	}
}

func key(i int) store.PersonKey {
	var k store.PersonKey
	copy(k[:], fmt.Sprintf("person-%08d", i))
	return k
}

func hash(i int) identity.Hash {
	h := identity.Hash{Version: format.HashVersion}
	h.Salt[0], h.Sum[0] = byte(i), byte(i>>8)
	return h
}

func record(i int) *store.Record {
	r := &store.Record{
		Person:    key(i % 10),
		Identity:  hash(i % 10),
		Colour:    codec.Yellow,
		Kind:      codec.Personal,
		IssuedAt:  time.Unix(1_790_000_000+int64(i), 0).UTC(),
		Token:     "test",
		RequestID: fmt.Sprintf("req-%d", i),
	}
	r.ExpiresAt = r.IssuedAt.Add(codec.MaxValidity)
	copy(r.Serial[:], fmt.Sprintf("%012d", i))
	r.KeyID[0] = 7
	return r
}

func TestRecordAndAudit(t *testing.T) {
	each(t, func(t *testing.T, s store.Store, dsn string) {
		ctx := context.Background()
		if _, err := s.Person(ctx, key(1)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Person(unknown) = %v, want ErrNotFound", err)
		}
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Record(ctx, record(i)); err != nil {
					t.Errorf("Record(%d) = %v", i, err)
				}
			}()
		}
		wg.Wait()
		if !store.IsPostgres(dsn) {
			for _, suffix := range []string{"", "-wal"} {
				if fi, err := os.Stat(dsn + suffix); err != nil || fi.Mode().Perm() != 0o600 {
					t.Fatalf("store file %s%s: %v, mode %v, want 0600", dsn, suffix, err, fi.Mode())
				}
			}
		}
		if st := s.(store.StatsReporter).Stats(); st.Records != 200 || st.Commits < 1 || st.Commits > 200 {
			t.Fatalf("Stats() = %+v, want 200 records in 1 to 200 commits", st)
		}
		recs, err := s.Audit(ctx, store.AuditQuery{Limit: 1000})
		if err != nil || len(recs) != 200 {
			t.Fatalf("Audit() = %d records, %v, want 200", len(recs), err)
		}
		seen := map[string]bool{}
		for i, r := range recs {
			if r.Seq <= 0 || i > 0 && r.Seq <= recs[i-1].Seq {
				t.Fatalf("record %d has Seq %d after %d", i, r.Seq, recs[max(i-1, 0)].Seq)
			}
			seen[r.RequestID] = true
			if want := hash(atoi(r.RequestID[4:]) % 10); r.Identity != want {
				t.Fatalf("record %s: Identity %v, want %v (sealed and opened)", r.RequestID, r.Identity, want)
			}
		}
		if len(seen) != 200 {
			t.Fatalf("Audit() misses records")
		}
		// Records were committed in any order: work out what the query selects.
		after := recs[149].Seq
		since := recs[170].IssuedAt
		var want []int64
		for _, r := range recs {
			if r.Seq > after && !r.IssuedAt.Before(since) && len(want) < 5 {
				want = append(want, r.Seq)
			}
		}
		page, err := s.Audit(ctx, store.AuditQuery{After: after, Since: since, Limit: 5})
		if err != nil || len(page) != len(want) || len(want) == 0 {
			t.Fatalf("Audit(after, since) = %d records, %v, want %d", len(page), err, len(want))
		}
		for i, r := range page {
			if r.Seq != want[i] {
				t.Fatalf("Audit(after, since)[%d] has Seq %d, want %d", i, r.Seq, want[i])
			}
		}
		// A read-only store sees the same trail while the writer is open;
		// without the secret it cannot open the identity hashes.
		ro, err := store.Open(ctx, dsn, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("Open(read-only) = %v", err)
		}
		defer ro.Close()
		all, err := ro.Audit(ctx, store.AuditQuery{Limit: 1000})
		if err != nil || len(all) != 200 {
			t.Fatalf("read-only Audit() = %d, %v, want 200", len(all), err)
		}
		if all[0].Identity != (identity.Hash{}) {
			t.Fatalf("read-only Audit() without the secret opened an identity hash")
		}
		if err := ro.Record(ctx, record(1000)); !errors.Is(err, store.ErrClosed) {
			t.Fatalf("read-only Record() = %v, want ErrClosed", err)
		}
	})
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestClaimPersonRace claims one person from many goroutines with different
// hashes: all get the same one, the first stored.
func TestClaimPersonRace(t *testing.T) {
	each(t, func(t *testing.T, s store.Store, dsn string) {
		ctx := context.Background()
		// A second store on the same database stands for another instance
		// (SQLite: the same process; it is not for several processes).
		other := s
		if store.IsPostgres(dsn) {
			o, err := store.Open(ctx, dsn, store.Options{Secret: secret})
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			other = o
		}
		got := make([]identity.Hash, 20)
		var wg sync.WaitGroup
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st := s
				if i%2 == 1 {
					st = other
				}
				h, err := st.ClaimPerson(ctx, key(42), hash(1000+i), time.Unix(1_790_000_000, 0))
				if err != nil {
					t.Errorf("ClaimPerson(%d) = %v", i, err)
				}
				got[i] = h
			}()
		}
		wg.Wait()
		stored, err := s.Person(ctx, key(42))
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range got {
			if h != stored {
				t.Fatalf("ClaimPerson %d got %v, stored is %v", i, h, stored)
			}
		}
	})
}

// TestNoClearHashAtRest writes a person, codes and a binding with a
// recognisable salt and sum and looks for them in the SQLite files.
func TestNoClearHashAtRest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "offcode.db")
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	h := identity.Hash{Version: 1} // the store seals any version
	copy(h.Salt[:], "SALTSALTSALTSALT")
	copy(h.Sum[:], "DIGESTDIGESTDIGE")
	if _, err := s.ClaimPerson(ctx, key(1), h, time.Now()); err != nil {
		t.Fatal(err)
	}
	r := record(1)
	r.Identity = h
	if err := s.Record(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Bind(ctx, store.Binding{ID: "b", Guardian: key(2), Relative: key(3), Relation: "child", CreatedAt: time.Now()}, h, lim); err != nil {
		t.Fatal(err)
	}
	var files []byte
	matches, _ := filepath.Glob(path + "*")
	for _, m := range matches {
		b, _ := os.ReadFile(m)
		files = append(files, b...)
	}
	if bytes.Contains(files, h.Salt[:]) || bytes.Contains(files, h.Sum[:]) {
		t.Fatalf("store files (%v) hold a clear salt or digest", matches)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// With another secret the hashes do not open.
	s2, err := store.Open(ctx, path, store.Options{Secret: []byte("another secret, 32 bytes long!!!")})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.Person(ctx, key(1)); !errors.Is(err, store.ErrSealed) {
		t.Fatalf("Person with the wrong secret = %v, want ErrSealed", err)
	}
}

func TestReopenKeepsRecords(t *testing.T) {
	each(t, func(t *testing.T, s store.Store, dsn string) {
		ctx := context.Background()
		if err := s.Record(ctx, record(1), record(2)); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("Close() = %v", err)
		}
		if !store.IsPostgres(dsn) {
			if _, err := os.Stat(dsn + "-wal"); !os.IsNotExist(err) {
				t.Fatalf("after Close the WAL is still there (%v): not checkpointed", err)
			}
		}
		if err := s.Record(ctx, record(3)); !errors.Is(err, store.ErrClosed) {
			t.Fatalf("Record after Close = %v, want ErrClosed", err)
		}
		s, err := store.Open(ctx, dsn, store.Options{Secret: secret})
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer s.Close()
		recs, err := s.Audit(ctx, store.AuditQuery{})
		if err != nil || len(recs) != 2 {
			t.Fatalf("Audit after reopen = %d, %v, want 2", len(recs), err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping() = %v", err)
		}
	})
}

func TestOpenNeedsSecretToWrite(t *testing.T) {
	for _, b := range pgtest.Backends(t) {
		if _, err := store.Open(context.Background(), b.DSN, store.Options{}); !errors.Is(err, store.ErrNoSecret) {
			t.Fatalf("%s: Open without secret = %v, want ErrNoSecret", b.Name, err)
		}
	}
	path := filepath.Join(t.TempDir(), "none.db")
	if _, err := store.Open(context.Background(), path, store.Options{ReadOnly: true}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open(missing, read-only) = %v, want not exist", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("Open(missing, read-only) created %s", path)
	}
}

var lim = store.Limits{MaxRelatives: 8, MaxGuardians: 3, MinAge: 24 * time.Hour}

func TestBindLimitsConcurrent(t *testing.T) {
	each(t, func(t *testing.T, s store.Store, dsn string) { testBindLimitsConcurrent(t, s) })
}

func testBindLimitsConcurrent(t *testing.T, s store.Store) {
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
	each(t, func(t *testing.T, s store.Store, dsn string) { testBindIdempotentAndUnbind(t, s) })
}

func testBindIdempotentAndUnbind(t *testing.T, s store.Store) {
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

func TestBindingOverTimeAndRevocations(t *testing.T) {
	each(t, func(t *testing.T, s store.Store, dsn string) {
		ctx := context.Background()
		at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		until := time.Date(2027, 3, 1, 16, 0, 0, 0, time.UTC)
		b := store.Binding{ID: "k", Guardian: key(1), Relative: key(2), Relation: "son", RelativeLast4: "002X", CreatedAt: at, EligibleUntil: until}
		if _, _, err := s.Bind(ctx, b, hash(2), lim); err != nil {
			t.Fatal(err)
		}
		got, err := s.Binding(ctx, "k")
		if err != nil || !got.EligibleUntil.Equal(until) || got.RelativeLast4 != "002X" || got.Relation != "son" {
			t.Fatalf("Binding() = %+v, %v", got, err)
		}
		b2 := store.Binding{ID: "e", Guardian: key(1), Relative: key(3), Relation: "mother", CreatedAt: at.Add(time.Minute)}
		if _, _, err := s.Bind(ctx, b2, hash(3), lim); err != nil {
			t.Fatal(err)
		}
		list, err := s.GuardianBindings(ctx, key(1))
		if err != nil || len(list) != 2 || !list[1].EligibleUntil.IsZero() {
			t.Fatalf("GuardianBindings() = %+v, %v, want two, the second without an end", list, err)
		}
		unknown := &store.Revocation{Serial: [12]byte{9}, Reason: "lost", Token: "t", RequestID: "r0", At: at}
		if err := s.Revoke(ctx, unknown); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Revoke(serial not in the trail) = %v, want ErrNotFound", err)
		}
		rec := record(5)
		if err := s.Record(ctx, rec); err != nil {
			t.Fatal(err)
		}
		rv1 := &store.Revocation{Serial: rec.Serial, Reason: "lost", Token: "t", RequestID: "r1", At: at}
		rv2 := &store.Revocation{Person: key(2), Identity: hash(2), IsPerson: true, Reason: "fraud", Token: "t", RequestID: "r2", At: at}
		for _, rv := range []*store.Revocation{rv1, rv2} {
			if err := s.Revoke(ctx, rv); err != nil {
				t.Fatal(err)
			}
		}
		rvs, err := s.Revocations(ctx, 0, 10)
		if err != nil || len(rvs) != 2 || rvs[0].Serial != rv1.Serial || rvs[0].KeyID != rec.KeyID || !rvs[1].IsPerson || rvs[1].Identity != hash(2) || !rvs[1].At.Equal(at) {
			t.Fatalf("Revocations() = %+v, %v", rvs, err)
		}
		if rest, err := s.Revocations(ctx, rvs[0].Seq, 10); err != nil || len(rest) != 1 {
			t.Fatalf("Revocations(after first) = %d, %v, want 1", len(rest), err)
		}
	})
}

// TestAuditPagingNeverSkips pages through the trail while writers (on two
// stores of one database, for PostgreSQL) are still committing: the pages
// together hold every record once.
func TestAuditPagingNeverSkips(t *testing.T) {
	each(t, func(t *testing.T, s store.Store, dsn string) {
		ctx := context.Background()
		stores := []store.Store{s}
		if store.IsPostgres(dsn) {
			o, err := store.Open(ctx, dsn, store.Options{Secret: secret})
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			stores = append(stores, o)
		}
		const writers, perWriter = 8, 100
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWriter {
					if err := stores[w%len(stores)].Record(ctx, record(10000+w*perWriter+i)); err != nil {
						t.Errorf("Record: %v", err)
						return
					}
				}
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		seen := map[string]bool{}
		var after int64
		for finished := false; ; {
			select {
			case <-done:
				finished = true
			default:
			}
			page, err := stores[len(stores)-1].Audit(ctx, store.AuditQuery{After: after, Limit: 37})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				if seen[r.RequestID] || r.Seq <= after {
					t.Fatalf("record %s (seq %d) seen twice or out of order after %d", r.RequestID, r.Seq, after)
				}
				seen[r.RequestID] = true
				after = r.Seq
			}
			if finished && len(page) == 0 {
				break
			}
		}
		if len(seen) != writers*perWriter {
			t.Fatalf("paging during writes saw %d records, want %d", len(seen), writers*perWriter)
		}
	})
}

// TestRecordAtomic: a group that fails part way (a duplicate serial)
// leaves nothing of itself in the trail.
func TestRecordAtomic(t *testing.T) {
	each(t, func(t *testing.T, s store.Store, dsn string) {
		ctx := context.Background()
		a, b := record(1), record(2)
		b.Serial = a.Serial
		if err := s.Record(ctx, a, b); err == nil {
			t.Fatalf("Record(duplicate serials) = nil, want an error")
		}
		if recs, err := s.Audit(ctx, store.AuditQuery{}); err != nil || len(recs) != 0 {
			t.Fatalf("after a failed group the trail has %d records, %v; want none", len(recs), err)
		}
		if err := s.Record(ctx, record(3)); err != nil {
			t.Fatalf("Record after a failed group = %v", err)
		}
	})
}
