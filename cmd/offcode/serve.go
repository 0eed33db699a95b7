package main

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/offcode/offcode/service"
	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/store"
	"github.com/offcode/offcode/verify"
)

const serveUsage = `Run the signing service: an HTTP/JSON API that issues codes, manages
kinship bindings and keeps a durable audit trail of every code it signs.

Usage:
    offcode serve [--addr HOST:PORT] [--key FILE] [--db FILE] [--tokens FILE]

With no options in a fresh directory it starts on development defaults: it
creates an issuer key (issuer.pem, mode 0600), a trust store with its public
key (trust.json), a service secret (offcode.secret, mode 0600), the store
(offcode.db) and a tokens file (tokens.json) holding one token "dev" with
every scope, printed once. All files but --key default to the key's
directory.

The key file must be mode 0600. SIGHUP reloads the key file and the tokens
file: put a new key in place (offcode keygen, add it to the verifiers'
trust store first) and send SIGHUP; codes signed by the old key keep
verifying while the trust store holds it. SIGTERM or SIGINT stops the
service gracefully: requests in flight finish and the store is closed.

Options:
    --addr HOST:PORT    listen address (default 127.0.0.1:8080)
    --key FILE          issuer private key (default issuer.pem, created if absent)
    --trust FILE        trust store to create beside a new key (default trust.json)
    --db FILE           store (default offcode.db beside the key)
    --tokens FILE       API tokens (default tokens.json beside the key)
    --secret FILE       service secret keying people's HMACs (default
                        offcode.secret beside the key)
    --rate N            requests per second per token (default 10000)
    --burst N           burst per token (default 2000)
    --cache N           identity hashes kept in memory in front of the store
                        (default 262144; 0 disables)
    --log-level LEVEL   debug, info, warn or error (default info)
    --log-json          log JSON lines instead of text
    --cpuprofile FILE   write a CPU profile of the whole run to FILE
    --bundles DIR       serve the signed trust bundles in DIR (*.cbor, from
                        "offcode bundle sign") at GET /v1/bundle; SIGHUP
                        reloads them. Needs --root
    --root FILE         root public key the bundles must be signed by

Endpoints (a bearer token with the right scope is needed for /v1):
    POST   /v1/codes                         issue a code (JSON, PNG or PDF)
    POST   /v1/codes/batch                   many codes, JSON lines or one PDF
    POST   /v1/bindings                      bind a relative (亲属码)
    GET    /v1/guardians/{id}/bindings       a guardian's bindings
    DELETE /v1/bindings/{binding_id}         unbind (24 hours after binding)
    POST   /v1/bindings/{binding_id}/codes   issue the relative's kinship code
    GET    /v1/audit?since=RFC3339           the audit trail
    GET    /v1/bundle[?since=N]              the latest trust bundle, or the delta
                                             from N (with --bundles; no token)
    GET    /healthz, /readyz, /metrics
    GET    /verifier/                        the browser verifier (no token; see
                                             "offcode help verifier")

Examples:
    $ offcode serve
    $ curl -s -H "Authorization: Bearer $TOKEN" -d '{"id":"11010519491231002X","colour":"green"}' \
        http://127.0.0.1:8080/v1/codes
`

func runServe(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("serve")
	var addr, keyPath, trustPath, dbPath, tokensPath, secretPath, level, cpuprofile string
	var rate float64
	var burst, cache int
	var logJSON bool
	fset.StringVar(&addr, "addr", "127.0.0.1:8080", "")
	fset.StringVar(&keyPath, "key", "", "")
	fset.StringVar(&trustPath, "trust", "", "")
	fset.StringVar(&dbPath, "db", "", "")
	fset.StringVar(&tokensPath, "tokens", "", "")
	fset.StringVar(&secretPath, "secret", "", "")
	fset.Float64Var(&rate, "rate", service.DefaultRate, "")
	fset.IntVar(&burst, "burst", service.DefaultBurst, "")
	fset.IntVar(&cache, "cache", service.DefaultCacheSize, "")
	fset.StringVar(&level, "log-level", "info", "")
	fset.BoolVar(&logJSON, "log-json", false, "")
	fset.StringVar(&cpuprofile, "cpuprofile", "", "")
	var bundlesDir, rootPath string
	fset.StringVar(&bundlesDir, "bundles", "", "")
	fset.StringVar(&rootPath, "root", "", "")
	pos, code, ok := e.parseArgs(fset, serveUsage, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		e.errorf("serve: unexpected argument %q", pos[0])
		e.hintf("run \"offcode help serve\" for its options and examples")
		return exitUsage
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		e.errorf("serve: --log-level %q: want debug, info, warn or error", level)
		return exitUsage
	}
	if rate <= 0 || burst <= 0 || cache < 0 {
		e.errorf("serve: --rate and --burst must be positive, --cache not negative")
		return exitUsage
	}
	if cache == 0 {
		cache = -1 // service.Config: negative means no cache
	}
	var h slog.Handler = slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: lvl})
	if logJSON {
		h = slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: lvl})
	}
	log := slog.New(h)

	devKey := keyPath == ""
	if devKey {
		keyPath = "issuer.pem"
	}
	dir := filepath.Dir(keyPath)
	beside := func(p *string, name string) {
		if *p == "" {
			*p = filepath.Join(dir, name)
		}
	}
	beside(&trustPath, "trust.json")
	beside(&dbPath, "offcode.db")
	beside(&tokensPath, "tokens.json")
	beside(&secretPath, "offcode.secret")

	// Key: a development key is made only when --key was not given.
	if _, err := os.Stat(keyPath); errors.Is(err, fs.ErrNotExist) {
		if !devKey {
			e.errorf("serve: key file %s does not exist", keyPath)
			e.hintf("make one with \"offcode keygen --key %s --trust trust.json\", or omit --key for a development key", keyPath)
			return exitUsage
		}
		if code := e.makeDevKey(keyPath, trustPath); code != exitOK {
			return code
		}
	}
	key, err := sign.LoadKeyFile(keyPath)
	if err != nil {
		e.errorf("serve: %s", plainErr(err))
		return exitUsage
	}

	// Secret: made with a new store only, since a new secret would make
	// every person already in the store a stranger.
	if _, err := os.Stat(secretPath); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(dbPath); err == nil {
			e.errorf("serve: secret file %s is missing but store %s exists", secretPath, dbPath)
			e.hintf("restore the secret from backup; without it the store cannot recognise anyone")
			return exitUsage
		}
		if err := service.CreateSecret(secretPath, e.rand); err != nil {
			e.errorf("serve: %s", plainErr(err))
			return exitUsage
		}
		e.infof("created service secret %s (mode 0600): back it up with the key", secretPath)
	}
	secret, err := service.LoadSecret(secretPath)
	if err != nil {
		e.errorf("serve: %s", plainErr(err))
		return exitUsage
	}

	// Tokens: a missing file is created with one development token.
	if _, err := os.Stat(tokensPath); errors.Is(err, fs.ErrNotExist) {
		secretToken, t, err := service.NewToken(e.rand, "dev", []service.Scope{service.ScopeIssue, service.ScopeBind, service.ScopeAudit})
		if err == nil {
			err = service.AddToken(tokensPath, t)
		}
		if err != nil {
			e.errorf("serve: %s", plainErr(err))
			return exitUsage
		}
		e.infof("created %s with token \"dev\" (scopes issue, bind, audit), shown only now: %s", tokensPath, secretToken)
	}
	tokens, err := service.LoadTokens(tokensPath)
	if err != nil {
		e.errorf("serve: %s", plainErr(err))
		return exitUsage
	}

	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			e.errorf("serve: %v", err)
			return exitUsage
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			e.errorf("serve: %v", err)
			return exitUsage
		}
		defer pprof.StopCPUProfile()
	}

	pub, ok := e.bundlePublisher(bundlesDir, rootPath)
	if !ok {
		return exitUsage
	}
	st, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		e.errorf("serve: %s", plainErr(err))
		return exitUsage
	}
	cfg := service.Config{
		Key: key, Secret: secret, Store: st, Tokens: tokens, Now: e.now, Logger: log,
		Rate: rate, Burst: burst, CacheSize: cache,
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
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		svc.Close()
		e.errorf("serve: %v", err)
		return exitUsage
	}
	srv := service.NewHTTPServer(addr, e.withVerifier(svc.Handler(), rootPath), log) // browser verifier at /verifier/
	// Signals are caught before the service says it is up, so a SIGHUP
	// sent as soon as it is cannot kill it.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	e.infof("serving on http://%s (key %s, kid %s, store %s, tokens %s)", ln.Addr(), keyPath, verify.KeyIDString(key.KeyID()), dbPath, tokensPath)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	for {
		select {
		case err := <-errc:
			svc.Close()
			e.errorf("serve: %v", err)
			return exitUsage
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				reload(log, svc, keyPath, tokensPath)
				reloadBundles(log, pub)
				continue
			}
			log.Info("shutting down", "signal", sig.String())
		case <-ctx.Done():
			log.Info("shutting down", "reason", context.Cause(ctx).Error())
		}
		return shutdown(e, log, srv, svc)
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
func shutdown(e *env, log *slog.Logger, srv *http.Server, svc *service.Service) int {
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
	ts := verify.NewTrustStore()
	if b, err := os.ReadFile(trustPath); err == nil {
		if ts, err = verify.ParseJWKSet(b); err != nil {
			e.errorf("serve: %s: %s", trustPath, plainErr(err))
			return exitUsage
		}
	}
	if err := ts.Add(verify.TrustedKey{KeyID: k.KeyID(), Public: k.Public(), Issuer: "offcode development key"}); err != nil {
		e.errorf("serve: %s", plainErr(err))
		return exitUsage
	}
	b, err := ts.MarshalJWKSet()
	if err == nil {
		err = writeFileReplace(trustPath, b)
	}
	if err != nil {
		e.errorf("serve: writing %s: %v", trustPath, err)
		return exitUsage
	}
	e.infof("created development key %s (mode 0600, kid %s) and added it to %s", keyPath, verify.KeyIDString(k.KeyID()), trustPath)
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
