//go:build postgres

package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/internal/testkit/pgtest"
	"github.com/offcode/offcode/verify"
)

// twoInstances starts two services, each with its own connection pool, on
// one fresh PostgreSQL schema, sharing key, secret and tokens as a
// deployment behind a load balancer would.
func twoInstances(t *testing.T) (a, b *env) {
	dsn := pgtest.Postgres(t)
	a = newEnv(t)
	b = &env{t: t, clock: a.clock, key: a.key, secret: a.secret, logs: a.logs, tokens: a.tokens, trust: a.trust, ts: a.ts}
	for _, e := range []*env{a, b} {
		st, err := store.Open(context.Background(), dsn, store.Options{Secret: e.secret})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := service.New(service.Config{Key: e.key, Secret: e.secret, Store: st, Tokens: e.ts, Now: e.clock.Now,
			Logger: slog.New(slog.NewTextHandler(e.logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		if e.srv != nil {
			e.srv.Close()
			e.svc.Close()
		}
		e.svc, e.srv = svc, httptest.NewServer(svc.Handler())
		e.url = e.srv.URL
		t.Cleanup(func() { e.srv.Close(); e.svc.Close() })
	}
	return a, b
}

// TestTwoInstancesOnePostgres is issue 11's first acceptance line, in
// process: 100 concurrent bindings to one guardian spread over two
// instances give exactly 8 bindings and 92 guardian_limit; a code issued
// by one is in the audit read through the other; first sight of a person
// racing on both gives one identity hash.
func TestTwoInstancesOnePostgres(t *testing.T) {
	a, b := twoInstances(t)
	guardian := makeID("19800808", 1)
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := a
			if i%2 == 1 {
				e = b
			}
			r := e.do("POST", "/v1/bindings", "binder", bind(guardian, makeID("20200101", i)))
			mu.Lock()
			counts[fmt.Sprintf("%d %s", r.status, r.errCode())]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	t.Logf("100 bindings over two instances: %v", counts)
	if counts["201 "] != 8 || counts["409 guardian_limit"] != 92 {
		t.Fatalf("results %v, want 8 created and 92 guardian_limit", counts)
	}
	for _, e := range []*env{a, b} {
		l := e.do("POST", "/v1/guardians/bindings", "binder", map[string]string{"guardian_id": guardian})
		if n := len(l.json["bindings"].([]any)); n != 8 {
			t.Fatalf("guardian has %d bindings through one instance, want 8", n)
		}
	}

	c := a.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"})
	want(t, "issue through A", c, 201, "")
	audit := b.do("GET", "/v1/audit", "auditor", nil)
	if !strings.Contains(string(audit.body), `"serial":"`+c.str("serial")+`"`) {
		t.Fatalf("audit through B lacks the code A issued (%s): %s", c.str("serial"), audit.body)
	}
	t.Logf("code %s issued by A is in the audit read through B", c.str("serial"))

	// First sight of one person on both instances at once.
	stranger := makeID("19770707", 77)
	codes := make([]string, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := a
			if i%2 == 1 {
				e = b
			}
			r := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": stranger, "colour": "green"})
			codes[i] = r.str("code")
		}()
	}
	wg.Wait()
	v := verify.New(a.trust)
	var first string
	for i, code := range codes {
		res, err := v.Verify(code, a.clock.Now())
		if err != nil {
			t.Fatalf("code %d: %v", i, err)
		}
		h := fmt.Sprintf("%x%x", res.Code.Claims.Identity.Salt, res.Code.Claims.Identity.Sum)
		if first == "" {
			first = h
		} else if h != first {
			t.Fatalf("first sight raced on two instances gave two identity hashes: %s and %s", first, h)
		}
	}
}

// TestKillOneOfTwo: two server processes on one PostgreSQL take load; one
// is killed with SIGKILL; the other keeps serving, and every code a client
// received from either is in the audit trail read through the survivor.
func TestKillOneOfTwo(t *testing.T) {
	dsn := pgtest.Postgres(t)
	dir, token := crashSetup(t)
	cmdA, addrA := startCrashServer(t, dir, crashDBEnv+"="+dsn, crashNameEnv+"=a")
	cmdB, addrB := startCrashServer(t, dir, crashDBEnv+"="+dsn, crashNameEnv+"=b")
	defer func() { cmdB.Process.Kill(); cmdB.Wait() }()
	client := &http.Client{Timeout: 10 * time.Second}
	var afterKill atomic.Int64
	var killed atomic.Bool
	l := startLoad(client, token, []string{addrA, addrB},
		func(addr string) bool { return addr == addrA && killed.Load() }, // A is gone
		func(addr string) {
			if killed.Load() && addr == addrB {
				afterKill.Add(1)
			}
		})
	l.waitFor(400, 20*time.Second)
	cmdA.Process.Signal(syscall.SIGKILL)
	cmdA.Wait()
	killed.Store(true)
	for deadline := time.Now().Add(10 * time.Second); afterKill.Load() < 100 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	received := l.halt()
	if afterKill.Load() < 100 {
		t.Fatalf("B issued only %d codes after A was killed", afterKill.Load())
	}
	audited := readAudit(t, client, addrB, token)
	missing := countMissing(received, audited)
	t.Logf("SIGKILL of A under load on both: %d codes received, %d by B after the kill, %d audit records read through B, %d missing",
		len(received), afterKill.Load(), len(audited), missing)
	if missing > 0 {
		t.Fatalf("%d of %d codes clients received are not in the audit trail", missing, len(received))
	}
}
