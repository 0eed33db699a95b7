package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"

	"github.com/offcode/offcode/internal/jwkset"
	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/sign"
)

const serveUsage = `Run the signing service: an HTTP/JSON API that issues codes, manages
kinship bindings and keeps a durable audit trail of every code it signs.

Usage:
    offcode serve [--addr HOST:PORT] [--key FILE] [--db FILE|URL] [--tokens FILE]

With no options in a fresh directory it starts on development defaults: it
creates an issuer key (issuer.pem, mode 0600), a trust store with its public
key (trust.json), a service secret (offcode.secret, mode 0600), the store
(offcode.db) and a tokens file (tokens.json) holding one token "dev" with
every scope, printed once on standard output (never in the log, which goes
to standard error). All files but --key default to the key's directory. The
address is checked, and bound, before any file is created.

With --db postgres://USER@HOST/DB several instances share one database:
give each the same secret (copy offcode.secret) and key; kinship limits,
identity hashes and the audit trail hold across them (README.md, "Several
instances").

The key file must be mode 0600, the tokens file not writable by others.
SIGHUP reloads the key file and the tokens file: put a new key in place
(offcode keygen, add it to the verifiers' trust store first) and send
SIGHUP; codes signed by the old key keep verifying while the trust store
holds it. SIGTERM or SIGINT stops the service gracefully: requests in
flight finish and the store is closed.

Options:
    --addr HOST:PORT    listen address (default 127.0.0.1:8080)
    --key FILE          issuer private key (default issuer.pem, created if absent)
    --trust FILE        trust store to create beside a new key (default trust.json)
    --db FILE|URL       store: a SQLite file (default offcode.db beside the
                        key) or a postgres:// URL
    --db-conns N        PostgreSQL connections of this instance (default 16)
    --tokens FILE       API tokens (default tokens.json beside the key)
    --secret FILE       service secret keying people's HMACs and sealing their
                        identity hashes (default offcode.secret beside the key)
    --rate N            codes per second per token (default 1000; a batch of
                        500 costs 500)
    --burst N           burst per token (default 1000)
    --new-rate N        first-time identities (Argon2id) per second per token
                        (default 100)
    --new-burst N       their burst (default 500)
    --max-conns N       concurrent client connections (default 1024)
    --guardian-age N    age a guardian must have reached (default 18)
    --cache N           identity hashes kept in memory in front of the store
                        (default 262144; 0 disables)
    --metrics-token     serve /metrics only to a token with scope metrics
    --metrics-addr A    serve /metrics on address A only (such as
                        127.0.0.1:9090), not on --addr
    --log-level LEVEL   debug, info, warn or error (default info)
    --log-json          log JSON lines instead of text
    --cpuprofile FILE   write a CPU profile of the whole run to FILE
    --bundles DIR       serve the signed trust bundles in DIR (*.cbor, from
                        "offcode bundle sign") at GET /v1/bundle; SIGHUP
                        reloads them. Needs --root
    --root FILE         root public key the bundles must be signed by

Endpoints (a bearer token with the right scope is needed for /v1; the full
description is served at GET /v1/openapi.json):
    POST   /v1/codes                         issue a code (JSON, PNG or PDF)
    POST   /v1/codes/batch                   many codes, JSON lines or one PDF
    POST   /v1/bindings                      bind a relative (亲属码)
    POST   /v1/guardians/bindings            a guardian's bindings (ID in the body)
    DELETE /v1/bindings/{binding_id}         unbind (24 hours after binding)
    POST   /v1/bindings/{binding_id}/codes   issue the relative's kinship code
    GET    /v1/audit?since=RFC3339           the audit trail
    POST   /v1/revocations                   revoke a code or a person's codes
    GET    /v1/revocations?after=N           pending revocations (offcode bundle pull)
    GET    /v1/bundle[?since=N]              the latest trust bundle, or the delta
                                             from N (with --bundles; no token)
    GET    /v1/openapi.json, /healthz, /readyz, /metrics
    GET    /verifier/                        the browser verifier (no token; see
                                             "offcode help verifier")

Examples:
    $ offcode serve
    $ curl -s -H "Authorization: Bearer $TOKEN" -d '{"id":"11010519491231002X","colour":"green"}' \
        http://127.0.0.1:8080/v1/codes
    $ offcode serve --addr 127.0.0.1:8081 --db postgres://offcode@db.internal/offcode
`

// serveFlags are the options of offcode serve.
type serveFlags struct {
	addr, keyPath, trustPath, dbPath, tokensPath, secretPath string
	level, cpuprofile, bundlesDir, rootPath, metricsAddr     string
	rate, newRate                                            float64
	burst, newBurst, cache, maxConns, guardianAge, dbConns   int
	logJSON, metricsToken                                    bool
	devKey                                                   bool
}

func (e *env) parseServeFlags(args []string) (*serveFlags, int, bool) {
	f := &serveFlags{}
	fset := newFlagSet("serve")
	fset.StringVar(&f.addr, "addr", "127.0.0.1:8080", "")
	fset.StringVar(&f.keyPath, "key", "", "")
	fset.StringVar(&f.trustPath, "trust", "", "")
	fset.StringVar(&f.dbPath, "db", "", "")
	fset.IntVar(&f.dbConns, "db-conns", 16, "")
	fset.StringVar(&f.tokensPath, "tokens", "", "")
	fset.StringVar(&f.secretPath, "secret", "", "")
	fset.Float64Var(&f.rate, "rate", service.DefaultRate, "")
	fset.IntVar(&f.burst, "burst", service.DefaultBurst, "")
	fset.Float64Var(&f.newRate, "new-rate", service.DefaultNewRate, "")
	fset.IntVar(&f.newBurst, "new-burst", service.DefaultNewBurst, "")
	fset.IntVar(&f.maxConns, "max-conns", service.DefaultMaxConns, "")
	fset.IntVar(&f.guardianAge, "guardian-age", service.DefaultGuardianAge, "")
	fset.IntVar(&f.cache, "cache", service.DefaultCacheSize, "")
	fset.BoolVar(&f.metricsToken, "metrics-token", false, "")
	fset.StringVar(&f.metricsAddr, "metrics-addr", "", "")
	fset.StringVar(&f.level, "log-level", "info", "")
	fset.BoolVar(&f.logJSON, "log-json", false, "")
	fset.StringVar(&f.cpuprofile, "cpuprofile", "", "")
	fset.StringVar(&f.bundlesDir, "bundles", "", "")
	fset.StringVar(&f.rootPath, "root", "", "")
	pos, code, ok := e.parseArgs(fset, serveUsage, args)
	if !ok {
		return nil, code, false
	}
	if len(pos) > 0 {
		e.errorf("serve: unexpected argument %q", pos[0])
		e.hintf("run \"offcode help serve\" for its options and examples")
		return nil, exitUsage, false
	}
	if f.rate <= 0 || f.burst <= 0 || f.newRate <= 0 || f.newBurst <= 0 || f.maxConns <= 0 || f.dbConns <= 0 || f.cache < 0 {
		e.errorf("serve: --rate, --burst, --new-rate, --new-burst, --max-conns and --db-conns must be positive, --cache not negative")
		return nil, exitUsage, false
	}
	if f.guardianAge < 14 || f.guardianAge > 120 {
		e.errorf("serve: --guardian-age %d: want an age from 14 to 120", f.guardianAge)
		return nil, exitUsage, false
	}
	if f.cache == 0 {
		f.cache = -1 // service.Config: negative means no cache
	}
	f.devKey = f.keyPath == ""
	if f.devKey {
		f.keyPath = "issuer.pem"
	}
	dir := filepath.Dir(f.keyPath)
	beside := func(p *string, name string) {
		if *p == "" {
			*p = filepath.Join(dir, name)
		}
	}
	beside(&f.trustPath, "trust.json")
	beside(&f.dbPath, "offcode.db")
	beside(&f.tokensPath, "tokens.json")
	beside(&f.secretPath, "offcode.secret")
	return f, exitOK, true
}

func (f *serveFlags) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(f.level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", f.level)
	}
	var h slog.Handler = slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl})
	if f.logJSON {
		h = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lvl})
	}
	return slog.New(h), nil
}

// listen binds addr, before any file is created, and says what to do when
// it cannot.
func (e *env) listen(what, addr string) (net.Listener, bool) {
	if _, port, err := net.SplitHostPort(addr); err != nil {
		e.errorf("serve: %s %q: %v", what, addr, err)
		e.hintf("give HOST:PORT, such as 127.0.0.1:8080")
		return nil, false
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		e.errorf("serve: %s %q: port %q is not a number from 0 to 65535", what, addr, port)
		return nil, false
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		e.errorf("serve: %s %s: %v", what, addr, err)
		if errors.Is(err, syscall.EADDRINUSE) {
			e.hintf("another process (another offcode serve?) is listening on %s: stop it, or pick another port with %s", addr, what)
		}
		return nil, false
	}
	return ln, true
}

func runServe(ctx context.Context, e *env, args []string) int {
	f, code, ok := e.parseServeFlags(args)
	if !ok {
		return code
	}
	log, err := f.logger(e.stderr)
	if err != nil {
		e.errorf("serve: %v", err)
		return exitUsage
	}
	ln, ok := e.listen("--addr", f.addr)
	if !ok {
		return exitUsage
	}
	defer ln.Close()
	var mln net.Listener
	if f.metricsAddr != "" {
		if mln, ok = e.listen("--metrics-addr", f.metricsAddr); !ok {
			return exitUsage
		}
		defer mln.Close()
	}
	key, secret, tokens, ok := e.serveFiles(f)
	if !ok {
		return exitUsage
	}
	if f.cpuprofile != "" {
		pf, err := os.Create(f.cpuprofile)
		if err == nil {
			defer pf.Close()
			err = pprof.StartCPUProfile(pf)
		}
		if err != nil {
			e.errorf("serve: %v", err)
			return exitUsage
		}
		defer pprof.StopCPUProfile()
	}
	pub, ok := e.bundlePublisher(f.bundlesDir, f.rootPath)
	if !ok {
		return exitUsage
	}
	st, err := store.Open(ctx, f.dbPath, store.Options{Secret: secret, MaxConns: f.dbConns})
	if err != nil {
		e.errorf("serve: %s", plainErr(err))
		return exitUsage
	}
	cfg := service.Config{
		Key: key, Secret: secret, Store: st, Tokens: tokens, Now: e.now, Logger: log,
		Rate: f.rate, Burst: f.burst, NewRate: f.newRate, NewBurst: f.newBurst, CacheSize: f.cache,
		GuardianAge: f.guardianAge, MetricsToken: f.metricsToken, MetricsOff: mln != nil,
	}
	if pub != nil {
		cfg.Bundles = pub
	}
	svc, err := service.New(cfg)
	if err != nil {
		st.Close()
		e.errorf("serve: %s", plainErr(err))
		return exitUsage
	}
	return e.serveLoop(ctx, f, log, svc, pub, service.LimitListener(ln, f.maxConns), mln, key)
}

// serveFiles loads the key, the secret and the tokens, creating
// development ones where serve may.
func (e *env) serveFiles(f *serveFlags) (*sign.Key, []byte, *service.Tokens, bool) {
	// Key: a development key is made only when --key was not given.
	if _, err := os.Stat(f.keyPath); errors.Is(err, fs.ErrNotExist) {
		if !f.devKey {
			e.errorf("serve: key file %s does not exist", f.keyPath)
			e.hintf("make one with \"offcode keygen --key %s --trust trust.json\", or omit --key for a development key", f.keyPath)
			return nil, nil, nil, false
		}
		if code := e.makeDevKey(f.keyPath, f.trustPath); code != exitOK {
			return nil, nil, nil, false
		}
	}
	key, err := sign.LoadKeyFile(f.keyPath)
	if err != nil {
		e.errorf("serve: %s", plainErr(err))
		return nil, nil, nil, false
	}
	secret, ok := e.serveSecret(f)
	if !ok {
		return nil, nil, nil, false
	}
	// Tokens: a missing file is created with one development token.
	if _, err := os.Stat(f.tokensPath); errors.Is(err, fs.ErrNotExist) {
		scopes := []service.Scope{service.ScopeIssue, service.ScopeBind, service.ScopeAudit, service.ScopeRevoke}
		secretToken, t, err := service.NewToken(e.rand, "dev", scopes)
		if err == nil {
			err = service.AddToken(f.tokensPath, t)
		}
		if err != nil {
			e.errorf("serve: %s", plainErr(err))
			return nil, nil, nil, false
		}
		// The token goes to standard output, once; the log (standard
		// error) only says where.
		e.infof("created %s with token \"dev\" (scopes issue, bind, audit, revoke), printed once on standard output", f.tokensPath)
		fmt.Fprintf(e.stdout, "%s\n", secretToken)
	}
	tokens, err := service.LoadTokens(f.tokensPath)
	if err != nil {
		e.errorf("serve: %s", plainErr(err))
		return nil, nil, nil, false
	}
	return key, secret, tokens, true
}

// serveSecret loads the secret, made with a new SQLite store only, since a
// new secret would make every person already in the store a stranger.
func (e *env) serveSecret(f *serveFlags) ([]byte, bool) {
	if _, err := os.Stat(f.secretPath); errors.Is(err, fs.ErrNotExist) {
		if store.IsPostgres(f.dbPath) {
			e.errorf("serve: secret file %s is missing", f.secretPath)
			e.hintf("every instance on one database needs the same secret: copy offcode.secret from the first, or make one with head -c 32 /dev/urandom > %s for a new database", f.secretPath)
			return nil, false
		}
		if _, err := os.Stat(f.dbPath); err == nil {
			e.errorf("serve: secret file %s is missing but store %s exists", f.secretPath, f.dbPath)
			e.hintf("restore the secret from backup; without it the store cannot recognise anyone")
			return nil, false
		}
		if err := service.CreateSecret(f.secretPath, e.rand); err != nil {
			e.errorf("serve: %s", plainErr(err))
			return nil, false
		}
		e.infof("created service secret %s (mode 0600): back it up with the key", f.secretPath)
	}
	secret, err := service.LoadSecret(f.secretPath)
	if err != nil {
		e.errorf("serve: %s", plainErr(err))
		return nil, false
	}
	return secret, true
}

// serveLoop serves until a signal or ctx ends it; SIGHUP reloads.
func (e *env) serveLoop(ctx context.Context, f *serveFlags, log *slog.Logger, svc *service.Service, pub *service.BundlePublisher,
	ln, mln net.Listener, key *sign.Key) int {
	srv := service.NewHTTPServer(f.addr, e.withVerifier(svc.Handler(), f.rootPath), log) // browser verifier at /verifier/
	// Signals are caught before the service says it is up, so a SIGHUP
	// sent as soon as it is cannot kill it.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	db := f.dbPath
	if store.IsPostgres(db) {
		db = "PostgreSQL"
	}
	e.infof("serving on http://%s (key %s, kid %s, store %s, tokens %s)", ln.Addr(), f.keyPath, key.KeyID().String(), db, f.tokensPath)
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if mln != nil {
		msrv := service.NewHTTPServer(f.metricsAddr, svc.MetricsHandler(), log)
		go func() { errc <- msrv.Serve(mln) }()
		defer msrv.Close()
		e.infof("metrics on http://%s/metrics", mln.Addr())
	}
	for {
		select {
		case err := <-errc:
			svc.Close()
			e.errorf("serve: %v", err)
			return exitUsage
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				reload(log, svc, f.keyPath, f.tokensPath)
				reloadBundles(log, pub)
				continue
			}
			log.Info("shutting down", "signal", sig.String())
		case <-ctx.Done():
			log.Info("shutting down", "reason", context.Cause(ctx).Error())
		}
		return shutdown(log, srv, svc)
	}
}

// reload re-reads the key and tokens files; on an error it keeps what it
// has and says why.
func reload(log *slog.Logger, svc *service.Service, keyPath, tokensPath string) {
	if k, err := sign.LoadKeyFile(keyPath); err != nil {
		log.Error("reload: keeping the current key", "err", err)
	} else {
		svc.SetKey(k)
	}
	if ts, err := service.LoadTokens(tokensPath); err != nil {
		log.Error("reload: keeping the current tokens", "err", err)
	} else {
		svc.SetTokens(ts)
	}
}

// shutdown stops accepting, lets requests in flight finish (their audit
// records commit), then closes the store.
func shutdown(log *slog.Logger, srv *http.Server, svc *service.Service) int {
	svc.SetReady(false)
	ctx, cancel := context.WithTimeout(context.Background(), service.ShutdownTimeout)
	defer cancel()
	code := exitOK
	if err := srv.Shutdown(ctx); err != nil {
		log.Error("shutdown: requests still in flight were cut off", "err", err)
		code = exitRejected
	}
	if err := svc.Close(); err != nil {
		log.Error("shutdown: closing the store", "err", err)
		code = exitRejected
	}
	log.Info("stopped")
	return code
}

// makeDevKey writes a development key and adds it to the trust store
// (created if missing).
func (e *env) makeDevKey(keyPath, trustPath string) int {
	k, err := sign.GenerateKey(e.rand)
	if err == nil {
		err = sign.WriteKeyFile(keyPath, k)
	}
	if err != nil {
		e.errorf("serve: %s", plainErr(err))
		return exitUsage
	}
	var set []byte
	if b, err := os.ReadFile(trustPath); err == nil {
		set = b
	}
	b, _, err := jwkset.Add(set, jwkset.Key{KeyID: k.KeyID(), Public: k.Public(), Issuer: "offcode development key"})
	if err != nil {
		e.errorf("serve: %s: %s", trustPath, plainErr(err))
		return exitUsage
	}
	if err == nil {
		err = writeFileReplace(trustPath, b)
	}
	if err != nil {
		e.errorf("serve: writing %s: %v", trustPath, err)
		return exitUsage
	}
	e.infof("created development key %s (mode 0600, kid %s) and added it to %s", keyPath, k.KeyID().String(), trustPath)
	return exitOK
}

// writeFileReplace writes b to path through a temporary file and a rename.
func writeFileReplace(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// plainErr is detail for the service's packages too: the message without
// its package prefixes.
func plainErr(err error) string {
	s := detail(err)
	for _, p := range []string{"service: ", "store: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}
