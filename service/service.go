// Package service is offcode's signing service: an HTTP/JSON API that
// issues offline codes, manages kinship bindings (亲属码) and keeps an audit
// trail of every code it signs, durable before the code is handed out.
//
// Routes (see README.md for examples):
//
//	POST   /v1/codes                      issue a code           (scope issue)
//	POST   /v1/codes/batch                issue many, JSON lines (scope issue)
//	POST   /v1/bindings                   bind a relative        (scope bind)
//	GET    /v1/guardians/{id}/bindings    a guardian's bindings  (scope bind)
//	DELETE /v1/bindings/{binding_id}      unbind, after 24 h     (scope bind)
//	POST   /v1/bindings/{binding_id}/codes  issue a kinship code (scope bind)
//	GET    /v1/audit?since=&after=&limit= the audit trail        (scope audit)
//	GET    /healthz, /readyz, /metrics
//
// People are known to the store only by an HMAC of their ID number under the
// service secret; no raw ID number is stored or logged. A person's identity
// hash (salt and Argon2id sum) is computed once, at first sight, and reused
// for their later codes (SPEC.md §5.3).
package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/store"
)

// Defaults.
const (
	DefaultRate      = 10000 // requests per second per token
	DefaultBurst     = 2000
	DefaultCacheSize = 1 << 18 // identity hashes, ~250 bytes each: ~64 MB when full
	MaxBodySize      = 16 << 10
	MaxBatchSize     = 500 // requests per batch call
	maxBatchBody     = MaxBatchSize * 1024
)

// Config configures a Service.
type Config struct {
	Key    *sign.Key   // the issuer key
	Secret []byte      // keys people's HMACs; SecretSize bytes
	Store  store.Store // the service owns it: Close closes it
	Tokens *Tokens

	Now    func() time.Time // the clock; time.Now if nil
	Rand   io.Reader        // salts, serials, IDs; crypto/rand.Reader if nil; must be safe for concurrent use
	Logger *slog.Logger     // slog.Default() if nil

	Rate      float64 // default per-token requests per second; DefaultRate if 0
	Burst     int     // default per-token burst; DefaultBurst if 0
	CacheSize int     // identity hashes kept in memory; DefaultCacheSize if 0, none if < 0

	// Bundles, if not nil, serves GET /v1/bundle[?since=N]: the signed trust
	// bundles (a *BundlePublisher, SPEC.md §13.13). The service only
	// serves them; the root key that signs them never comes near it.
	Bundles http.Handler
}

// Service is the signing service. Its Handler serves the API.
type Service struct {
	key     atomic.Pointer[sign.Key]
	auth    atomic.Pointer[authState]
	secret  []byte
	store   store.Store
	now     func() time.Time
	rand    io.Reader
	log     *slog.Logger
	metrics *metrics
	cache   *lru
	hashSem chan struct{}

	inflightMu sync.Mutex
	inflight   map[store.PersonKey]*hashCall
	rate       rate.Limit
	burst      int
	ready      atomic.Bool
	mux        *http.ServeMux
	bundles    http.Handler
}

// authState is a loaded tokens file with a rate limiter per token.
type authState struct {
	tokens   *Tokens
	limiters map[string]*rate.Limiter
}

// New returns a Service for cfg.
func New(cfg Config) (*Service, error) {
	if cfg.Key == nil || cfg.Store == nil || cfg.Tokens == nil {
		return nil, errors.New("service: Config needs Key, Store and Tokens")
	}
	if len(cfg.Secret) != SecretSize {
		return nil, fmt.Errorf("service: secret is %d bytes, want %d", len(cfg.Secret), SecretSize)
	}
	s := &Service{
		secret:   cfg.Secret,
		store:    cfg.Store,
		now:      cfg.Now,
		rand:     cfg.Rand,
		log:      cfg.Logger,
		metrics:  newMetrics(),
		hashSem:  make(chan struct{}, runtime.GOMAXPROCS(0)),
		inflight: make(map[store.PersonKey]*hashCall),
		rate:     rate.Limit(cfg.Rate),
		burst:    cfg.Burst,
		bundles:  cfg.Bundles,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.rate == 0 {
		s.rate = DefaultRate
	}
	if s.burst == 0 {
		s.burst = DefaultBurst
	}
	size := cfg.CacheSize
	if size == 0 {
		size = DefaultCacheSize
	}
	s.cache = newLRU(size) // disabled when size < 0
	s.metrics.watchStore(cfg.Store)
	s.SetKey(cfg.Key)
	s.SetTokens(cfg.Tokens)
	s.routes()
	s.ready.Store(true)
	return s, nil
}

// SetKey makes k the key new codes are signed with. Codes signed with the
// previous key keep verifying wherever the trust store still holds it.
func (s *Service) SetKey(k *sign.Key) {
	old := s.key.Swap(k)
	if old == nil || old.KeyID() != k.KeyID() {
		s.log.Info("issuer key in use", "kid", kidString(k))
	}
}

// SetTokens replaces the API tokens (on reload). Rate limiters start afresh.
func (s *Service) SetTokens(ts *Tokens) {
	a := &authState{tokens: ts, limiters: make(map[string]*rate.Limiter, len(ts.Tokens))}
	for _, t := range ts.Tokens {
		r, b := s.rate, s.burst
		if t.Rate > 0 {
			r = rate.Limit(t.Rate)
		}
		if t.Burst > 0 {
			b = t.Burst
		}
		a.limiters[t.Name] = rate.NewLimiter(r, b)
	}
	s.auth.Store(a)
	s.log.Info("api tokens loaded", "count", len(ts.Tokens))
}

// Handler returns the HTTP handler of the API.
func (s *Service) Handler() http.Handler { return s.mux }

// Close marks the service not ready (so /readyz fails while the HTTP
// server drains) and closes the store, waiting for pending audit writes.
// Call it after http.Server.Shutdown has returned.
func (s *Service) Close() error {
	s.ready.Store(false)
	return s.store.Close()
}

// SetReady sets what /readyz reports; a server sets it false when it
// starts draining.
func (s *Service) SetReady(ok bool) { s.ready.Store(ok) }

func (s *Service) routes() {
	m := http.NewServeMux()
	m.Handle("POST /v1/codes", s.api("codes", ScopeIssue, s.handleIssue))
	m.Handle("POST /v1/codes/batch", s.api("codes_batch", ScopeIssue, s.handleBatch))
	m.Handle("POST /v1/bindings", s.api("bindings", ScopeBind, s.handleBind))
	m.Handle("GET /v1/guardians/{id}/bindings", s.api("guardian_bindings", ScopeBind, s.handleGuardianBindings))
	m.Handle("DELETE /v1/bindings/{binding_id}", s.api("unbind", ScopeBind, s.handleUnbind))
	m.Handle("POST /v1/bindings/{binding_id}/codes", s.api("binding_codes", ScopeBind, s.handleBindingCode))
	m.Handle("GET /v1/audit", s.api("audit", ScopeAudit, s.handleAudit))
	m.Handle("GET /healthz", s.open("healthz", func(w http.ResponseWriter, r *http.Request) *apiError {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		return nil
	}))
	m.Handle("GET /readyz", s.open("readyz", s.handleReady))
	m.Handle("GET /metrics", s.instrument("metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})))
	if s.bundles != nil {
		m.Handle("GET /v1/bundle", s.instrument("bundle", s.bundles))
	}
	// Known paths with another method: 405 in the API's error format.
	for path, allow := range map[string]string{
		"/v1/codes": "POST", "/v1/codes/batch": "POST", "/v1/bindings": "POST",
		"/v1/guardians/{id}/bindings": "GET", "/v1/bindings/{binding_id}": "DELETE",
		"/v1/bindings/{binding_id}/codes": "POST", "/v1/audit": "GET",
		"/healthz": "GET", "/readyz": "GET", "/metrics": "GET",
	} {
		m.Handle(path, s.open("other", func(w http.ResponseWriter, r *http.Request) *apiError {
			w.Header().Set("Allow", allow)
			return errorf(http.StatusMethodNotAllowed, CodeMethod, "%s is not allowed here; use %s", r.Method, allow)
		}))
	}
	m.Handle("/", s.open("other", func(w http.ResponseWriter, r *http.Request) *apiError {
		return errorf(http.StatusNotFound, CodeNotFound, "no such endpoint: %s %s", r.Method, sanitizePath(r.URL.Path))
	}))
	s.mux = m
}

// sanitizePath returns the path with anything that may be an ID number
// (a run of 15 or more digits or X) masked, since paths carry IDs.
func sanitizePath(p string) string {
	b := []byte(p)
	run := 0
	for i := 0; i <= len(b); i++ {
		if i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == 'X' || b[i] == 'x') {
			run++
			continue
		}
		if run >= 15 {
			for j := i - run; j < i; j++ {
				b[j] = '*'
			}
		}
		run = 0
	}
	if len(b) > 200 {
		b = append(b[:200], "..."...)
	}
	return string(b)
}

func (s *Service) handleReady(w http.ResponseWriter, r *http.Request) *apiError {
	if !s.ready.Load() {
		return errorf(http.StatusServiceUnavailable, CodeUnavailable, "shutting down")
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("readiness: store", "err", err)
		return errorf(http.StatusServiceUnavailable, CodeUnavailable, "store unavailable")
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

// handlerFunc is an API handler: it writes a response, or returns an error
// for the wrapper to write.
type handlerFunc func(w http.ResponseWriter, r *http.Request) *apiError

// caller is who made a request.
type caller struct {
	token     *Token
	requestID string
}

type callerKey struct{}

func callerOf(r *http.Request) *caller { return r.Context().Value(callerKey{}).(*caller) }

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// instrument counts and times requests to a route and logs them (route
// name, never the path: paths can hold ID numbers).
func (s *Service) instrument(route string, h http.Handler) http.Handler {
	lat := s.metrics.latency.WithLabelValues(route)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "route", route, "panic", fmt.Sprint(v), "stack", stack())
				if sw.status == 0 {
					writeError(sw, errorf(http.StatusInternalServerError, CodeInternal, "internal error"))
				}
			}
			d := time.Since(start)
			lat.Observe(d.Seconds())
			s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
			if sw.status >= 500 || s.log.Enabled(r.Context(), slog.LevelDebug) {
				s.log.Log(r.Context(), levelFor(sw.status), "request", "route", route, "method", r.Method,
					"status", sw.status, "duration", d, "request_id", w.Header().Get("X-Request-Id"))
			}
		}()
		h.ServeHTTP(sw, r)
	})
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelDebug
}

func stack() string {
	b := make([]byte, 4096)
	return string(b[:runtime.Stack(b, false)])
}

// open wraps an endpoint that needs no token.
func (s *Service) open(route string, h handlerFunc) http.Handler {
	return s.instrument(route, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e := h(w, r); e != nil {
			s.fail(w, e)
		}
	}))
}

// api wraps an endpoint that needs a token with the given scope: request
// ID, authentication (401), authorisation (403), the token's rate limit
// (429).
func (s *Service) api(route string, scope Scope, h handlerFunc) http.Handler {
	return s.instrument(route, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &caller{requestID: s.requestID(r)}
		w.Header().Set("X-Request-Id", c.requestID)
		a := s.auth.Load()
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || secret == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="offcode"`)
			s.fail(w, errorf(http.StatusUnauthorized, CodeUnauthorized, "missing bearer token"))
			return
		}
		if c.token = a.tokens.lookup(strings.TrimSpace(secret)); c.token == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="offcode", error="invalid_token"`)
			s.fail(w, errorf(http.StatusUnauthorized, CodeUnauthorized, "unknown bearer token"))
			return
		}
		if !c.token.has(scope) {
			s.fail(w, errorf(http.StatusForbidden, CodeForbidden, "token %q lacks scope %q", c.token.Name, scope))
			return
		}
		if lim := a.limiters[c.token.Name]; lim != nil && !lim.Allow() {
			e := errorf(http.StatusTooManyRequests, CodeRateLimited, "token %q is over its rate limit", c.token.Name)
			e.RetryAfter = 1
			s.fail(w, e)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
		if e := h(w, r); e != nil {
			s.fail(w, e)
		}
	}))
}

// fail writes an error response and counts it.
func (s *Service) fail(w http.ResponseWriter, e *apiError) {
	s.metrics.errors.WithLabelValues(e.Code).Inc()
	writeError(w, e)
}

// requestID returns the client's X-Request-Id if it is short and plain,
// else a fresh random one.
func (s *Service) requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); id != "" && len(id) <= 64 && plain(id) {
		return id
	}
	var b [8]byte
	io.ReadFull(s.rand, b[:])
	return hex.EncodeToString(b[:])
}

func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// decodeJSON decodes the request body strictly into v: at most max bytes,
// one JSON object, no unknown fields, nothing after it.
func decodeJSON(w http.ResponseWriter, r *http.Request, max int64, v any) *apiError {
	r.Body = http.MaxBytesReader(w, r.Body, max)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, max)
	}
	if _, err := dec.Token(); err != io.EOF {
		if e := jsonError(err, max); e != nil && e.Code == CodeTooLarge {
			return e
		}
		return errorf(http.StatusBadRequest, CodeInvalidJSON, "data after the JSON object")
	}
	return nil
}

func jsonError(err error, max int64) *apiError {
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return errorf(http.StatusRequestEntityTooLarge, CodeTooLarge, "request body is larger than %d bytes", max)
	case errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, CodeInvalidJSON, "empty request body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(http.StatusBadRequest, CodeInvalidJSON, "truncated JSON")
	case errors.As(err, &syntax):
		return errorf(http.StatusBadRequest, CodeInvalidJSON, "malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return errorf(http.StatusBadRequest, CodeInvalidJSON, "field %q must be a %s", typ.Field, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return errorf(http.StatusBadRequest, CodeInvalidJSON, "%s", strings.TrimPrefix(err.Error(), "json: "))
	default:
		return errorf(http.StatusBadRequest, CodeInvalidJSON, "invalid JSON: %v", err)
	}
}
