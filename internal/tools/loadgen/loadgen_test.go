package loadgen_test

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/internal/tools/loadgen"
	"github.com/offcode/offcode/sign"
)

func TestID(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	for _, n := range []int{0, 1, 999, 1000, 123456, 20_000_000} {
		s := loadgen.ID(n)
		if _, err := identity.ParseID(s, now); err != nil {
			t.Fatalf("ID(%d) = %s: %v", n, s, err)
		}
		if seen[s] {
			t.Fatalf("ID(%d) = %s repeats", n, s)
		}
		seen[s] = true
	}
}

// TestRun runs a small load against a real service.
func TestRun(t *testing.T) {
	key, _ := sign.GenerateKey(rand.Reader)
	secret := make([]byte, service.SecretSize)
	rand.Read(secret)
	token, tok, _ := service.NewToken(rand.Reader, "load", []service.Scope{service.ScopeIssue})
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "offcode.db"), store.Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Key: key, Secret: secret, Store: st, Tokens: &service.Tokens{Tokens: []*service.Token{tok}}, NewRate: 1e6, NewBurst: 1e5,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	srv := httptest.NewServer(svc.Handler())
	defer srv.Close()
	for _, fresh := range []bool{false, true} {
		res, err := loadgen.Run(context.Background(), loadgen.Config{URL: srv.URL, Token: token, Requests: 200,
			Duration: 20 * time.Second, Concurrency: 8, People: 50, Fresh: fresh})
		if err != nil {
			t.Fatal(err)
		}
		if res.OK != 200 || res.Requests != 200 || res.Errors != nil || res.Latencies["p99"] <= 0 {
			t.Fatalf("Run(fresh=%v) = %s, want 200 codes", fresh, res)
		}
	}
}
