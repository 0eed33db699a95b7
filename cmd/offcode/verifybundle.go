package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/verify"
)

// codeVerifier verifies one code's text: a verify.Verifier over a JWK Set
// (--trust), or a bundleVerifier over a signed trust bundle (--bundle).
type codeVerifier interface {
	Verify(text string, now time.Time) (*verify.Result, error)
}

// bundleVerifier adapts bundle.Verifier to codeVerifier. How stale the
// bundle is follows from the time alone, so the checker reports it from the
// bundle (staleness).
type bundleVerifier struct{ v *bundle.Verifier }

func (b bundleVerifier) Verify(text string, now time.Time) (*verify.Result, error) {
	r, err := b.v.Verify(text, now)
	return &r.Result, err
}

// loadBundleVerifier opens a signed trust bundle with the root public key
// (SPEC.md §13.8 steps 1-3) and returns a verifier over it.
func (e *env) loadBundleVerifier(bundlePath, rootPath string, skew time.Duration, refuseStale bool) (codeVerifier, *bundle.Bundle, bool) {
	pub, err := loadRootPub(rootPath)
	if err != nil {
		e.errorf("verify: %v", err)
		if errors.Is(err, os.ErrNotExist) {
			e.hintf("the root public key comes from: offcode root keygen --key root.key --pub %s", rootPath)
		}
		return nil, nil, false
	}
	data, err := os.ReadFile(bundlePath)
	if err != nil {
		e.errorf("verify: reading trust bundle: %v", err)
		return nil, nil, false
	}
	b, err := bundle.Open(data, ed25519.PublicKey(pub))
	if err != nil {
		e.errorf("verify: trust bundle %s refused (%s): %s", bundlePath, bundle.AcceptanceOf(err), detailBundle(err))
		if errors.Is(err, bundle.ErrUnknownRoot) {
			e.hintf("the bundle was signed by another root key than %s", rootPath)
		}
		return nil, nil, false
	}
	v, err := bundle.NewVerifier(b)
	if err != nil {
		e.errorf("verify: %v", err)
		e.hintf("a delta bundle only updates a device that holds the full bundle; pass the full bundle")
		return nil, nil, false
	}
	v.Skew, v.RefuseStale = skew, refuseStale
	return bundleVerifier{v}, b, true
}

// staleness returns how long the bundle b had expired at now, or 0.
func staleness(b *bundle.Bundle, now time.Time) time.Duration {
	if b == nil || !now.After(b.ExpiresAt) {
		return 0
	}
	return now.Sub(b.ExpiresAt).Truncate(time.Second)
}

// staleNote is appended to a human verdict line under a stale bundle.
func staleNote(b *bundle.Bundle, now time.Time) string {
	d := staleness(b, now)
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("  STALE TRUST DATA: bundle %d expired %s ago", b.Sequence, span(d))
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
func (e *env) bundlePublisher(dir, rootPath string) (*bundle.Publisher, bool) {
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
	p, err := bundle.NewPublisher(dir, ed25519.PublicKey(pub))
	if err != nil {
		e.errorf("serve: %s", detailBundle(err))
		e.hintf("put the bundles signed by \"offcode bundle sign\" (*.cbor) in %s", dir)
		return nil, false
	}
	return p, true
}

// reloadBundles re-reads the served bundles on SIGHUP; on an error it
// keeps serving what it had.
func reloadBundles(log *slog.Logger, p *bundle.Publisher) {
	if p == nil {
		return
	}
	if err := p.Reload(); err != nil {
		log.Error("reload: keeping the current trust bundles", "err", err)
		return
	}
	log.Info("trust bundles loaded", "sequence", p.Sequence())
}
