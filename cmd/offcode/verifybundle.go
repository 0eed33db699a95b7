package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/offcode/offcode/internal/jwkset"
	"github.com/offcode/offcode/internal/readlimit"
	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/verify"
)

// maxTrustFile bounds a JWK Set file; a real one is a few hundred bytes a
// key.
const maxTrustFile = 4 << 20

// trustOptions are verify's options that choose the trust source.
type trustOptions struct {
	trustPath  string // --trust: a JWK Set
	bundlePath string // --bundle: synced into the state first
	rootPath   string
	stateDir   string
}

// loadVerifyTrust returns the trust store verify uses: the JWK Set of --trust, or
// the bundle the device's state holds, after syncing --bundle into it.
func (e *env) loadVerifyTrust(ctx context.Context, o *trustOptions) (*verify.TrustStore, bool) {
	if o.trustPath != "" {
		trust, keys, err := loadTrust(o.trustPath)
		if err != nil {
			e.errorf("verify: %v", err)
			if errors.Is(err, os.ErrNotExist) {
				e.hintf("make a key and a trust store with: offcode keygen --key issuer.pem --trust %s", o.trustPath)
			}
			return nil, false
		}
		if len(keys) == 0 {
			e.hintf("%s holds no keys: every code will be rejected (unknown_kid)", o.trustPath)
		}
		return trust, true
	}
	dir, ok := e.stateDir("verify", o.stateDir)
	if !ok {
		return nil, false
	}
	s, ok := e.openState("verify", dir, o.rootPath)
	if !ok {
		return nil, false
	}
	if o.bundlePath != "" {
		ctx, cancel := context.WithTimeout(ctx, defaultSyncTimeout)
		defer cancel()
		if !e.syncFrom(ctx, "verify", s, o.bundlePath) {
			return nil, false
		}
	}
	if s.Bundle == nil {
		e.errorf("verify: the trust state in %s holds no bundle", dir)
		e.hintf("get one first: offcode sync --root root.pub --state %s bundle.cbor", dir)
		return nil, false
	}
	trust, err := verify.FromBundle(s.Bundle)
	if err != nil {
		e.errorf("verify: %v", err)
		return nil, false
	}
	return trust, true
}

// loadTrust reads the JWK Set at path: the trust store of its keys, and
// the keys as written.
func loadTrust(path string) (*verify.TrustStore, []jwkset.Key, error) {
	b, err := readlimit.File(path, maxTrustFile)
	if err != nil {
		return nil, nil, fmt.Errorf("reading trust store: %w", err)
	}
	ts, err := verify.ParseJWKSet(b)
	if err != nil {
		return nil, nil, fmt.Errorf("trust store %s: %w", path, err)
	}
	keys, err := jwkset.Parse(b)
	if err != nil {
		return nil, nil, fmt.Errorf("trust store %s: %w", path, err)
	}
	return ts, keys, nil
}

// staleNote is appended to a human verdict line under a stale bundle.
func staleNote(r *verify.Result) string {
	if r == nil || r.Stale <= 0 {
		return ""
	}
	return fmt.Sprintf("  STALE TRUST DATA: bundle %d expired %s ago", r.Sequence, span(r.Stale))
}

func detailBundle(err error) string {
	s := err.Error()
	if len(s) > 8 && s[:8] == "bundle: " {
		return s[8:]
	}
	return s
}

// bundlePublisher loads the signed bundles served by "offcode serve
// --bundles DIR --root FILE"; nil without --bundles.
func (e *env) bundlePublisher(dir, rootPath string) (*service.BundlePublisher, bool) {
	if dir == "" {
		if rootPath != "" {
			e.errorf("serve: --root goes with --bundles")
			return nil, false
		}
		return nil, true
	}
	if !e.require("serve", "root", rootPath) {
		return nil, false
	}
	pub, err := loadRootPub(rootPath)
	if err != nil {
		e.errorf("serve: %v", err)
		return nil, false
	}
	p, err := service.NewBundlePublisher(dir, ed25519.PublicKey(pub))
	if err != nil {
		e.errorf("serve: %s", strings.TrimPrefix(err.Error(), "service: "))
		e.hintf("put the bundles signed by \"offcode bundle sign\" (*.cbor) in %s", dir)
		return nil, false
	}
	return p, true
}

// reloadBundles re-reads the served bundles on SIGHUP; on an error it
// keeps serving what it had.
func reloadBundles(log *slog.Logger, p *service.BundlePublisher) {
	if p == nil {
		return
	}
	if err := p.Reload(); err != nil {
		log.Error("reload: keeping the current trust bundles", "err", err)
		return
	}
	log.Info("trust bundles loaded", "sequence", p.Sequence())
}
