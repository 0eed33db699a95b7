// Package service is offcode's signing service: an HTTP/JSON API that
// issues offline codes, manages kinship bindings (亲属码) and keeps an audit
// trail of every code it signs, durable before the code is handed out.
//
// Routes (see README.md for examples, and GET /v1/openapi.json):
//
//	POST   /v1/codes                        issue a code           (scope issue)
//	POST   /v1/codes/batch                  issue many, JSON lines (scope issue)
//	POST   /v1/bindings                     bind a relative        (scope bind)
//	POST   /v1/guardians/bindings           a guardian's bindings  (scope bind)
//	DELETE /v1/bindings/{binding_id}        unbind, after 24 h     (scope bind)
//	POST   /v1/bindings/{binding_id}/codes  issue a kinship code   (scope bind)
//	GET    /v1/audit?since=&after=&limit=   the audit trail        (scope audit)
//	POST   /v1/revocations                  revoke a code or person (scope revoke)
//	GET    /v1/revocations?after=           pending revocations    (scope revoke)
//	GET    /v1/openapi.json, /healthz, /readyz, /metrics
//
// People are known to the store only by an HMAC of their ID number under the
// service secret; no ID number is stored, logged or put in a URL, and
// identity hashes are sealed at rest. A person's identity hash (salt and
// Argon2id sum) is computed once, at first sight, and reused for their
// later codes (SPEC.md §5.3); instances sharing a database agree on it.
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

	"golang.org/x/time/rate"

	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/sign"
)

// Defaults, chosen for a city of about 13 million (see README.md, "Limits"):
// a token is one back office or integration; limits are charged per code,
// so a batch of 500 costs 500.
const (
	DefaultRate      = 1000    // codes per second per token
	DefaultBurst     = 1000    // two full batches
	DefaultNewRate   = 100     // first-time identities (one Argon2id each) per second per token
	DefaultNewBurst  = 500     // one full batch of strangers
	DefaultMaxConns  = 1024    // concurrent client connections per instance
	DefaultCacheSize = 1 << 18 // identity hashes, ~250 bytes each: ~64 MB when full
	MaxBodySize      = 16 << 10
	MaxBatchSize     = 500 // requests per batch call
	maxBatchBody     = MaxBatchSize * 1024
	// DefaultGuardianAge is the age a guardian must have reached.
	DefaultGuardianAge = 18
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

	Rate      float64 // default per-token codes per second; DefaultRate if 0
	Burst     int     // default per-token burst; DefaultBurst if 0
	NewRate   float64 // per-token first-time identities per second; DefaultNewRate if 0
	NewBurst  int     // their burst; DefaultNewBurst if 0
	CacheSize int     // identity hashes kept in memory; DefaultCacheSize if 0, none if < 0

	// GuardianAge is the age a guardian must have reached;
	// DefaultGuardianAge if 0.
	GuardianAge int

	// MetricsToken, if true, serves /metrics only to a token with scope
	// metrics (it counts red codes). MetricsOff removes /metrics from the
	// API handler, for an operator who serves MetricsHandler on another
	// address.
	MetricsToken bool
	MetricsOff   bool

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
	metrics *serviceMetrics
	cache   *lru
	hashSem chan struct{}

	inflightMu  sync.Mutex
	inflight    map[store.PersonKey]*hashCall
	rate        rate.Limit
	burst       int
	newRate     rate.Limit
	newBurst    int
	guardianAge int
	ready       atomic.Bool
	mux         *http.ServeMux
	bundles     http.Handler
	metricsTok  bool
	metricsOff  bool
}

// authState is a loaded tokens file with rate limiters per token: one for
// codes, one for first-time identities.
type authState struct {
	tokens   *Tokens
	limiters map[string]*rate.Limiter
	newIDs   map[string]*rate.Limiter
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
		secret:      cfg.Secret,
		store:       cfg.Store,
		now:         cfg.Now,
		rand:        cfg.Rand,
		log:         cfg.Logger,
		metrics:     newMetrics(),
		hashSem:     make(chan struct{}, runtime.GOMAXPROCS(0)),
		inflight:    make(map[store.PersonKey]*hashCall),
		rate:        rate.Limit(cfg.Rate),
		burst:       cfg.Burst,
		newRate:     rate.Limit(cfg.NewRate),
		newBurst:    cfg.NewBurst,
		guardianAge: cfg.GuardianAge,
		bundles:     cfg.Bundles,
		metricsTok:  cfg.MetricsToken,
		metricsOff:  cfg.MetricsOff,
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
	if s.newRate == 0 {
		s.newRate = DefaultNewRate
	}
	if s.newBurst == 0 {
		s.newBurst = DefaultNewBurst
	}
	if s.guardianAge == 0 {
		s.guardianAge = DefaultGuardianAge
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
	a := &authState{tokens: ts, limiters: make(map[string]*rate.Limiter, len(ts.Tokens)), newIDs: make(map[string]*rate.Limiter, len(ts.Tokens))}
	for _, t := range ts.Tokens {
		r, b := s.rate, s.burst
		if t.Rate > 0 {
			r = rate.Limit(t.Rate)
		}
		if t.Burst > 0 {
			b = t.Burst
		}
		a.limiters[t.Name] = rate.NewLimiter(r, b)
		a.newIDs[t.Name] = rate.NewLimiter(s.newRate, s.newBurst)
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

// route is one endpoint of the API: the OpenAPI document lists the same
// set (TestOpenAPIMatchesRoutes).
type route struct {
	method, path, name string
	scope              Scope // "" for no token
	h                  handlerFunc
}

func (s *Service) routeTable() []route {
	return []route{
		{"POST", "/v1/codes", "codes", ScopeIssue, s.handleIssue},
		{"POST", "/v1/codes/batch", "codes_batch", ScopeIssue, s.handleBatch},
		{"POST", "/v1/bindings", "bindings", ScopeBind, s.handleBind},
		{"POST", "/v1/guardians/bindings", "guardian_bindings", ScopeBind, s.handleGuardianBindings},
		{"DELETE", "/v1/bindings/{binding_id}", "unbind", ScopeBind, s.handleUnbind},
		{"POST", "/v1/bindings/{binding_id}/codes", "binding_codes", ScopeBind, s.handleBindingCode},
		{"GET", "/v1/audit", "audit", ScopeAudit, s.handleAudit},
		{"POST", "/v1/revocations", "revocations", ScopeRevoke, s.handleRevoke},
		{"GET", "/v1/revocations", "revocations_export", ScopeRevoke, s.handleRevocations},
		{"GET", "/v1/openapi.json", "openapi", "", s.handleOpenAPI},
		{"GET", "/healthz", "healthz", "", func(w http.ResponseWriter, r *http.Request) *apiError {
			writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
			return nil
		}},
		{"GET", "/readyz", "readyz", "", s.handleReady},
	}
}

func (s *Service) routes() {
	m := http.NewServeMux()
	allow := map[string][]string{}
	for _, rt := range s.routeTable() {
		if rt.scope == "" {
			m.Handle(rt.method+" "+rt.path, s.open(rt.name, rt.h))
		} else {
			m.Handle(rt.method+" "+rt.path, s.api(rt.name, rt.scope, rt.h))
		}
		allow[rt.path] = append(allow[rt.path], rt.method)
	}
	switch {
	case s.metricsOff:
	case s.metricsTok:
		m.Handle("GET /metrics", s.api("metrics", ScopeMetrics, func(w http.ResponseWriter, r *http.Request) *apiError {
			s.MetricsHandler().ServeHTTP(w, r)
			return nil
		}))
		allow["/metrics"] = []string{"GET"}
	default:
		m.Handle("GET /metrics", s.instrument("metrics", s.MetricsHandler()))
		allow["/metrics"] = []string{"GET"}
	}
	if s.bundles != nil {
		m.Handle("GET /v1/bundle", s.instrument("bundle", s.bundles))
		allow["/v1/bundle"] = []string{"GET"}
	}
	// Known paths with another method: 405 in the API's error format.
	for path, methods := range allow {
		list := strings.Join(methods, ", ")
		m.Handle(path, s.open("other", func(w http.ResponseWriter, r *http.Request) *apiError {
			w.Header().Set("Allow", list)
			return errorf(http.StatusMethodNotAllowed, CodeMethod, "%s is not allowed here; use %s", r.Method, list)
		}))
	}
	m.Handle("/", s.open("other", func(w http.ResponseWriter, r *http.Request) *apiError {
		return errorf(http.StatusNotFound, CodeNotFound, "no such endpoint: %s %s", r.Method, sanitizePath(r.URL.Path))
	}))
	s.mux = m
}

// MetricsHandler serves the Prometheus metrics. They count codes by colour
// (how many red codes a district issued is sensitive): serve them to the
// operator only (Config.MetricsToken, or MetricsOff and this handler on a
// private address).
func (s *Service) MetricsHandler() http.Handler {
	return s.metrics.reg.Handler()
}

// sanitizePath returns the path with anything that may be (part of) an ID
// number or a birth date, a run of 6 or more digits or X, masked.
func sanitizePath(p string) string {
	b := []byte(maskRuns(p, 6))
	if len(b) > 200 {
		b = append(b[:200], "..."...)
	}
	return string(b)
}

// maskRuns replaces every run of at least min digits or X in s with '*'.
func maskRuns(s string, min int) string {
	b := []byte(s)
	run := 0
	for i := 0; i <= len(b); i++ {
		if i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == 'X' || b[i] == 'x') {
			run++
			continue
		}
		if run >= min {
			for j := i - run; j < i; j++ {
				b[j] = '*'
			}
		}
		run = 0
	}
	return string(b)
}

func (s *Service) handleReady(w http.ResponseWriter, r *http.Request) *apiError {
	if !s.ready.Load() {
		return errorf(http.StatusServiceUnavailable, CodeUnavailable, "shutting down")
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	// Ping writes: ready means the store can commit now, whatever the
	// last commit did.
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("readiness: store cannot write", "err", err)
		return errorf(http.StatusServiceUnavailable, CodeUnavailable, "store cannot write")
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
	limit     *rate.Limiter // codes (every request costs at least one)
	newIDs    *rate.Limiter // first-time identities
}

// charge takes n from the caller's rate limit: a batch costs one per code.
func (c *caller) charge(n int) *apiError {
	if c.limit == nil || c.limit.AllowN(time.Now(), n) {
		return nil
	}
	e := errorf(http.StatusTooManyRequests, CodeRateLimited, "token %q is over its rate limit (%d codes at once, burst %d)", c.token.Name, n, c.limit.Burst())
	e.RetryAfter = 1
	return e
}

// chargeNew takes one first-time identity (one Argon2id) from the caller's
// budget for them.
func (c *caller) chargeNew() error {
	if c == nil || c.newIDs == nil || c.newIDs.Allow() {
		return nil
	}
	return errNewIDLimit
}

// errNewIDLimit is a caller over its budget of first-time identities.
var errNewIDLimit = errors.New("service: over the budget of first-time identities")

type callerKey struct{}

func callerOf(r *http.Request) *caller { return callerFrom(r.Context()) }

func callerFrom(ctx context.Context) *caller {
	c, _ := ctx.Value(callerKey{}).(*caller)
	return c
}

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
			s.log.Log(r.Context(), levelFor(sw.status), "request", "route", route, "method", r.Method,
				"status", sw.status, "duration", d, "request_id", w.Header().Get("X-Request-Id"))
		}()
		h.ServeHTTP(sw, r)
	})
}

// levelFor is the level of a request log line: info, error for a 5xx.
// The line names the route pattern, never the path.
func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
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
		c.limit, c.newIDs = a.limiters[c.token.Name], a.newIDs[c.token.Name]
		if e := c.charge(1); e != nil {
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
// with any run of 8 or more digits or X (an ID number, a birth date)
// masked, since it is stored in the audit trail and logged; else a fresh
// random one.
func (s *Service) requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); id != "" && len(id) <= 64 && plain(id) {
		return maskRuns(id, 8)
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
