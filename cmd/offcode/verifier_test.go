package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/bundle"
)

// rootPubFile makes a root key in the current directory and returns the
// public key's base64, as config.json holds it.
func rootPubFile(t *testing.T) string {
	t.Helper()
	if code, _, stderr := runLive(t, "root", "keygen", "--key", "root.key", "--pub", "root.pub"); code != exitOK {
		t.Fatalf("root keygen: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile("root.pub")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := bundle.ParseRootPublicPEM(b)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(pub)
}

func TestVerifierCommand(t *testing.T) {
	t.Chdir(t.TempDir())
	pub := rootPubFile(t)
	code, _, stderr := runLive(t, "verifier", "--out", "site/verifier", "--root", "root.pub")
	if code != exitOK {
		t.Fatalf("verifier: exit %d: %s", code, stderr)
	}
	cfg, err := os.ReadFile(filepath.Join("site", "verifier", "config.json"))
	if err != nil || !bytes.Contains(cfg, []byte(pub)) || !bytes.Contains(cfg, []byte(`"../v1/bundle"`)) {
		t.Fatalf("config.json = %s, %v; want the root key and ../v1/bundle", cfg, err)
	}
	for _, f := range []string{"index.html", "app.js", "worker.js", "sw.js", "offcode.wasm", "wasm_exec.js", "manifest.webmanifest"} {
		if _, err := os.Stat(filepath.Join("site", "verifier", f)); err != nil {
			t.Errorf("verifier wrote no %s: %v", f, err)
		}
	}
	os.WriteFile("bad.pub", []byte("not a key"), 0o644)
	for _, args := range [][]string{
		{"verifier", "--out", "x"},
		{"verifier", "--root", "root.pub"},
		{"verifier", "--out", "x", "--root", "bad.pub"},
		{"verifier", "--out", "x", "--root", "missing.pub"},
		{"verifier", "--out", "x", "--root", "root.pub", "extra"},
	} {
		if code, _, stderr := runLive(t, args...); code != exitUsage || !strings.Contains(stderr, "offcode: error: verifier: ") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with an error", args, code, stderr)
		}
	}
}

// The serving side mounts the page at /verifier/ without a token and
// passes everything else through.
func TestVerifierMount(t *testing.T) {
	t.Chdir(t.TempDir())
	pub := rootPubFile(t)
	var stderr bytes.Buffer
	e := liveEnv(io.Discard, &stderr)
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv := httptest.NewServer(e.withVerifier(api, "root.pub"))
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string) {
		t.Helper()
		res, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get("/verifier/"); code != 200 || !strings.Contains(body, "<title>离线码核验</title>") {
		t.Errorf("GET /verifier/ = %d, want the page", code)
	}
	if code, body := get("/verifier/config.json"); code != 200 || !strings.Contains(body, pub) {
		t.Errorf("GET /verifier/config.json = %d %s, want the root key", code, body)
	}
	if code, _ := get("/verifier"); code != http.StatusMovedPermanently {
		t.Errorf("GET /verifier = %d, want a redirect", code)
	}
	if code, _ := get("/v1/bundle"); code != http.StatusTeapot {
		t.Errorf("GET /v1/bundle = %d, want the API's answer", code)
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
	// Without --root the page is served unprovisioned; a bad root is said.
	if code, body := get("/verifier/config.json"); code != 200 || !strings.Contains(body, `"roots"`) {
		t.Errorf("config.json = %d %s", code, body)
	}
	os.WriteFile("bad.pub", []byte("x"), 0o644)
	e.withVerifier(api, "bad.pub")
	if !strings.Contains(stderr.String(), "serve: browser verifier: ") {
		t.Errorf("a bad root key was not reported: %q", stderr.String())
	}
}
