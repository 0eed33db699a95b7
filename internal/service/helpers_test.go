package service_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/jwkset"
	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/verify"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// start is 2026-11-23 10:00 Beijing time.
var start = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is a service on a real listener on 127.0.0.1 over a real SQLite file.
type env struct {
	t      testing.TB
	url    string
	clock  *clock
	svc    *service.Service
	key    *sign.Key
	dbPath string
	secret []byte
	logs   *syncBuffer
	tokens map[string]string // name -> secret
	trust  *verify.TrustStore
	ts     *service.Tokens
	srv    *httptest.Server
}

func newEnv(t testing.TB) *env {
	t.Helper()
	dir := t.TempDir()
	e := &env{t: t, clock: &clock{t: start}, dbPath: filepath.Join(dir, "offcode.db"), logs: &syncBuffer{}, tokens: map[string]string{}}
	var err error
	if e.key, err = sign.GenerateKey(rand.Reader); err != nil {
		t.Fatal(err)
	}
	e.secret = make([]byte, service.SecretSize)
	rand.Read(e.secret)
	ts := &service.Tokens{}
	for _, tk := range []struct {
		name   string
		scopes string
		rate   float64
		burst  int
	}{
		{"all", "issue,bind,audit,audit_identity,revoke", 0, 0},
		{"issuer", "issue", 0, 0},
		{"binder", "bind", 0, 0},
		{"auditor", "audit", 0, 0},
		{"revoker", "revoke", 0, 0},
		{"metrics", "metrics", 0, 0},
		{"slow", "issue", 0.001, 1},
	} {
		scopes, err := service.ParseScopes(tk.scopes)
		if err != nil {
			t.Fatal(err)
		}
		secret, tok, err := service.NewToken(rand.Reader, tk.name, scopes)
		if err != nil {
			t.Fatal(err)
		}
		tok.Rate, tok.Burst = tk.rate, tk.burst
		ts.Tokens = append(ts.Tokens, tok)
		e.tokens[tk.name] = secret
	}
	// Round-trip through the file format, as the service reads it.
	path := filepath.Join(dir, "tokens.json")
	for _, tok := range ts.Tokens {
		if err := service.AddToken(path, tok); err != nil {
			t.Fatal(err)
		}
	}
	loaded, err := service.LoadTokens(path)
	if err != nil {
		t.Fatal(err)
	}
	e.trust = trustOf(t, e.key)
	e.ts = loaded
	e.svc = e.newService(loaded)
	e.srv = httptest.NewServer(e.svc.Handler())
	e.url = e.srv.URL
	t.Cleanup(func() {
		e.srv.Close()
		e.svc.Close()
	})
	return e
}

// restart stops the service and starts a new one on the same store.
func (e *env) restart() {
	e.srv.Close()
	if err := e.svc.Close(); err != nil {
		e.t.Fatalf("Close() = %v", err)
	}
	e.svc = e.newService(e.ts)
	e.srv = httptest.NewServer(e.svc.Handler())
	e.url = e.srv.URL
}

func (e *env) newService(ts *service.Tokens) *service.Service {
	return e.newServiceWith(nil)
}

type serviceConfig = service.Config

// newServiceWith opens the store again and starts a service on it, with
// edit applied to its config.
func (e *env) newServiceWith(edit func(*service.Config)) *service.Service {
	st, err := store.Open(context.Background(), e.dbPath, store.Options{Secret: e.secret})
	if err != nil {
		e.t.Fatal(err)
	}
	cfg := service.Config{
		Key:    e.key,
		Secret: e.secret,
		Store:  st,
		Tokens: e.ts,
		Now:    e.clock.Now,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if edit != nil {
		edit(&cfg)
	}
	svc, err := service.New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	return svc
}

// restartHTTP serves e.svc on a new test server.
func (e *env) restartHTTP() {
	e.srv.Close()
	e.srv = httptest.NewServer(e.svc.Handler())
	e.url = e.srv.URL
	e.t.Cleanup(func() { e.srv.Close(); e.svc.Close() })
}

// response is a decoded JSON response.
type response struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

func (r *response) errCode() string {
	if e, ok := r.json["error"].(map[string]any); ok {
		s, _ := e["code"].(string)
		return s
	}
	return ""
}

func (r *response) str(k string) string { s, _ := r.json[k].(string); return s }

func (e *env) do(method, path, token string, body any, hdr ...string) *response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		if s, ok := e.tokens[token]; ok {
			token = s
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	r := &response{status: resp.StatusCode, header: resp.Header}
	r.body, _ = io.ReadAll(resp.Body)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(r.body, &r.json); err != nil {
			e.t.Fatalf("%s %s: response is not JSON: %v: %q", method, path, err, r.body)
		}
	}
	return r
}

// want fails unless r has the status and, for errors, the error code.
func want(t *testing.T, what string, r *response, status int, code string) {
	t.Helper()
	if r.status != status || r.errCode() != code {
		t.Fatalf("%s = %d %s (%s), want %d %s", what, r.status, r.errCode(), r.body, status, code)
	}
}

// makeID returns a valid ID number born on birth (YYYYMMDD) with sequence
// number seq (0..999).
func makeID(birth string, seq int) string {
	s := fmt.Sprintf("110101%s%03d", birth, seq)
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range s {
		sum += int(c-'0') * w[i]
	}
	return s + string("10X98765432"[sum%11])
}

func parseID(t *testing.T, s string) identity.ID {
	id, err := identity.ParseID(s, start)
	if err != nil {
		t.Fatalf("ParseID(%s) = %v", s, err)
	}
	return id
}

// Adults, children and older people as of start.
var (
	adult = makeID("19900101", 1)
	child = makeID("20180601", 2)
	elder = makeID("19500101", 3)
)

// trustOf returns a trust store of the public keys of keys.
func trustOf(t testing.TB, keys ...*sign.Key) *verify.TrustStore {
	t.Helper()
	var ks []jwkset.Key
	for _, k := range keys {
		ks = append(ks, jwkset.Key{KeyID: k.KeyID(), Public: k.Public()})
	}
	set, err := jwkset.Marshal(ks)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := verify.ParseJWKSet(set)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}
