package main

import (
	"context"
	"crypto/ed25519"
	"net/http"

	"github.com/offcode/offcode/web"
)

const verifierUsage = `Write the browser verifier as static files, for any static web server.

Usage:
    offcode verifier --out DIR --root FILE [--bundle-url URL]

The browser verifier is the page a checkpoint volunteer opens on a phone:
it scans codes with the camera (or from a picture), verifies them offline
with offcode's own verifier compiled to WebAssembly, and keeps working with
no network once it has been opened online. It is provisioned with the root
public key and syncs signed trust bundles and deltas from --bundle-url,
keeping the newest it accepted; it never goes back to an older one.

"offcode serve" serves the same page at /verifier/, provisioned with its
--root, syncing from its own /v1/bundle. This command writes it to DIR
(index.html, app.js, offcode.wasm, the service worker, …) with config.json
holding the root key. Serve DIR over HTTPS (or from localhost): camera and
service workers need a secure origin.

Options:
    --out DIR           directory to write the files into (created if absent)
    --root FILE         root public key bundles must be signed by (from
                        "offcode root keygen")
    --bundle-url URL    where the page fetches bundles, relative to the page
                        or absolute (default ../v1/bundle: the same origin's
                        /v1/bundle when DIR is served at /verifier/); the
                        page adds ?since=N, which a static server ignores

Examples:
    $ offcode verifier --out site/verifier --root root.pub
    $ mkdir -p site/v1 && cp bundle.cbor site/v1/bundle
    $ (cd site && python3 -m http.server 8000)    # open http://127.0.0.1:8000/verifier/
`

func runVerifier(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("verifier")
	var out, rootPath, bundleURL string
	fset.StringVar(&out, "out", "", "")
	fset.StringVar(&rootPath, "root", "", "")
	fset.StringVar(&bundleURL, "bundle-url", web.DefaultBundleURL, "")
	pos, code, ok := e.parseArgs(fset, verifierUsage, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		e.errorf("verifier: unexpected argument %q", pos[0])
		e.hintf("run \"offcode help verifier\" for its options and examples")
		return exitUsage
	}
	if !e.require("verifier", "out", out, "root", rootPath) {
		return exitUsage
	}
	pub, err := loadRootPub(rootPath)
	if err != nil {
		e.errorf("verifier: %v", err)
		return exitUsage
	}
	cfg := web.Config{Roots: []ed25519.PublicKey{pub}, BundleURL: bundleURL}
	if err := web.WriteDir(out, cfg); err != nil {
		e.errorf("verifier: %v", err)
		return exitUsage
	}
	e.infof("wrote the browser verifier to %s (bundles from %s)", out, bundleURL)
	return exitOK
}

// withVerifier serves the browser verifier at /verifier/ in front of h,
// provisioned with the root public key at rootPath (none if empty) and
// syncing from the same origin's /v1/bundle. The page needs no token.
func (e *env) withVerifier(h http.Handler, rootPath string) http.Handler {
	var cfg web.Config
	if rootPath != "" {
		pub, err := loadRootPub(rootPath)
		if err != nil {
			e.errorf("serve: browser verifier: %v", err)
			return h
		}
		cfg.Roots = []ed25519.PublicKey{pub}
	}
	vh, err := web.Handler(cfg)
	if err != nil {
		e.errorf("serve: browser verifier: %v", err)
		return h
	}
	mux := http.NewServeMux()
	mux.Handle("/verifier/", http.StripPrefix("/verifier", vh))
	mux.Handle("/verifier", http.RedirectHandler("/verifier/", http.StatusMovedPermanently))
	mux.Handle("/", h)
	return mux
}
