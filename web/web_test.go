package web_test

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/web"
)

var root = ed25519.PublicKey(bytes.Repeat([]byte{7}, ed25519.PublicKeySize))

func files(t *testing.T, cfg web.Config) map[string][]byte {
	t.Helper()
	fs, err := web.Files(cfg)
	if err != nil {
		t.Fatalf("Files: %v", err)
	}
	m := map[string][]byte{}
	for _, f := range fs {
		m[f.Name] = f.Data
	}
	return m
}

func TestFiles(t *testing.T) {
	m := files(t, web.Config{Roots: []ed25519.PublicKey{root}})
	for _, name := range []string{"index.html", "app.js", "worker.js", "sw.js", "wasm_exec.js", "offcode.wasm",
		"manifest.webmanifest", "style.css", "icon.svg", "config.json"} {
		if len(m[name]) == 0 {
			t.Errorf("Files has no %s", name)
		}
	}
	if !bytes.HasPrefix(m["offcode.wasm"], []byte("\x00asm")) {
		t.Errorf("offcode.wasm is not WebAssembly")
	}
	var cfg struct {
		Roots     []string
		BundleURL string
	}
	if err := json.Unmarshal(m["config.json"], &cfg); err != nil {
		t.Fatalf("config.json: %v", err)
	}
	if len(cfg.Roots) != 1 || cfg.Roots[0] != "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=" || cfg.BundleURL != web.DefaultBundleURL {
		t.Errorf("config.json = %s", m["config.json"])
	}
	// The service worker's version changes with the configuration, so a
	// page provisioned with another root replaces its cache.
	other := files(t, web.Config{Roots: []ed25519.PublicKey{root}, BundleURL: "https://example.org/v1/bundle"})
	sw1, sw2 := string(m["sw.js"]), string(other["sw.js"])
	if !strings.Contains(sw1, "const VERSION = ") || !strings.Contains(sw1, `"offcode.wasm"`) || sw1 == sw2 {
		t.Errorf("sw.js header does not name the version and files:\n%s", sw1[:200])
	}
	if _, err := web.Files(web.Config{Roots: []ed25519.PublicKey{root[:5]}}); err == nil {
		t.Error("Files accepted a 5-byte root key")
	}
}

func TestHandler(t *testing.T) {
	h, err := web.Handler(web.Config{Roots: []ed25519.PublicKey{root}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/verifier", h))
	t.Cleanup(srv.Close) // after the bodies are closed
	m := files(t, web.Config{Roots: []ed25519.PublicKey{root}})

	get := func(path, enc string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	res := get("/verifier/", "")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !bytes.Equal(body, m["index.html"]) || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /verifier/ = %d %s, want index.html", res.StatusCode, res.Header.Get("Content-Type"))
	}

	// The wasm is served gzipped to a client that takes it, and whole otherwise.
	res = get("/verifier/offcode.wasm", "gzip, br")
	if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Content-Type") != "application/wasm" {
		t.Fatalf("wasm: Content-Encoding %q, Content-Type %q", res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
	}
	gz, _ := io.ReadAll(res.Body)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(zr)
	if !bytes.Equal(body, m["offcode.wasm"]) {
		t.Errorf("gunzipped wasm differs from the embedded one")
	}
	t.Logf("offcode.wasm: %d bytes, %d bytes gzipped", len(m["offcode.wasm"]), len(gz))
	res = get("/verifier/offcode.wasm", "gzip;q=0")
	if res.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 got Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	etag := res.Header.Get("ETag")

	// Conditional requests, unknown files, other methods.
	req, _ := http.NewRequest("GET", srv.URL+"/verifier/offcode.wasm", nil)
	req.Header.Set("If-None-Match", etag)
	req.Header.Set("Accept-Encoding", "identity")
	res, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: %d, want 304", etag, res.StatusCode)
	}
	for _, p := range []string{"/verifier/nope.js", "/verifier/../web.go", "/verifier/static/app.js"} {
		if res := get(p, ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
		}
	}
	res, err = http.Post(srv.URL+"/verifier/config.json", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", res.StatusCode)
	}
}

// WriteDir writes exactly the files the handler serves.
func TestWriteDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site", "verifier")
	cfg := web.Config{Roots: []ed25519.PublicKey{root}}
	if err := web.WriteDir(dir, cfg); err != nil {
		t.Fatal(err)
	}
	m := files(t, cfg)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(m) {
		t.Errorf("WriteDir wrote %d files, Files has %d", len(entries), len(m))
	}
	for name, want := range m {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v, or differs from what is served", name, err)
		}
	}
}
