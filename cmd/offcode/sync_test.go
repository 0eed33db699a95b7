package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// syncFixture makes, in dir, a root key, an issuer key and a code issued
// at t0, bundle 1 trusting the key (b1.cbor), bundle 2 with the key
// compromised (b2.cbor) and the delta from 1 to 2 (d12.cbor). It returns
// the code.
func syncFixture(t *testing.T, dir string, must func(int, string, ...string) string) string {
	t.Helper()
	const t0 = "2026-11-23T08:00:00+08:00"
	must(0, t0, "root", "keygen", "--key", "@root.key", "--pub", "@root.pub")
	must(0, t0, "keygen", "--key", "@issuer.pem", "--trust", "@trust.json")
	code := strings.TrimSpace(must(0, t0, "issue", "--key", "@issuer.pem", "--id", "11010519491231002X", "--colour", "green"))
	must(0, t0, "bundle", "init", "@draft")
	must(0, t0, "bundle", "add-key", "--trust", "@trust.json", "@draft")
	must(0, t0, "bundle", "sign", "--key", "@root.key", "@draft", "@b1.cbor")
	kid := kidOfTrust(t, filepath.Join(dir, "trust.json"))
	must(0, t0, "bundle", "remove-key", "--kid", kid, "--compromised", "@draft")
	must(0, t0, "bundle", "sign", "--key", "@root.key", "--delta-from", "@b1.cbor", "--delta-out", "@d12.cbor", "@draft", "@b2.cbor")
	return code
}

func mustIn(t *testing.T, dir string) func(int, string, ...string) string {
	return func(want int, at string, args ...string) string {
		t.Helper()
		code, out, errOut := bundleRun(t, dir, at, args...)
		if code != want {
			t.Fatalf("offcode %s = exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errOut)
		}
		return out + errOut
	}
}

// TestSyncRollback is issue 8's rollback: bundle 1, then bundle 2 with the
// key compromised, then bundle 1 again by sync and by verify --bundle; it
// never gives VALID after bundle 2. A fresh state takes bundle 1 and the
// code is VALID; a tampered bundle is refused.
func TestSyncRollback(t *testing.T) {
	dir := t.TempDir()
	must := mustIn(t, dir)
	code := syncFixture(t, dir, must)
	const at = "2026-11-23T09:00:00+08:00"

	must(0, at, "sync", "--root", "@root.pub", "--state", "@dev", "@b1.cbor")
	if out := must(0, at, "verify", "--state", "@dev", code); !strings.HasPrefix(out, "VALID") {
		t.Fatalf("verify under bundle 1 printed %q, want VALID", out)
	}
	must(0, at, "sync", "--root", "@root.pub", "--state", "@dev", "@b2.cbor")
	if out := must(1, at, "verify", "--state", "@dev", code); !strings.HasPrefix(out, "KEY_REVOKED") {
		t.Fatalf("verify under bundle 2 printed %q, want KEY_REVOKED", out)
	}
	out := must(2, at, "sync", "--root", "@root.pub", "--state", "@dev", "@b1.cbor")
	if !strings.Contains(out, "refused (rollback)") || !strings.Contains(out, "sequence 1") || !strings.Contains(out, "keeps bundle 2") {
		t.Fatalf("sync of bundle 1 after 2 printed %q, want a rollback naming both sequences", out)
	}
	out = must(2, at, "verify", "--bundle", "@b1.cbor", "--root", "@root.pub", "--state", "@dev", code)
	if strings.Contains(out, "VALID") || !strings.Contains(out, "refused (rollback)") {
		t.Fatalf("verify --bundle 1 after 2 printed %q, want a refusal and no verdict", out)
	}
	// The same through the default state directory ($XDG_STATE_HOME).
	must(0, at, "verify", "--bundle", "@b1.cbor", "--root", "@root.pub", code)
	must(1, at, "verify", "--bundle", "@b2.cbor", "--root", "@root.pub", code)
	if out := must(2, at, "verify", "--bundle", "@b1.cbor", "--root", "@root.pub", code); strings.Contains(out, "VALID") {
		t.Fatalf("verify --bundle 1 after 2 in the default state printed %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "state", "offcode", "bundle.cbor")); err != nil {
		t.Fatalf("default state not in $XDG_STATE_HOME/offcode: %v", err)
	}
	// Syncing the bundle held again changes nothing and is no error.
	if out := must(0, at, "sync", "--root", "@root.pub", "--state", "@dev", "@b2.cbor"); !strings.Contains(out, "already holding bundle 2") {
		t.Fatalf("sync of the bundle held printed %q", out)
	}

	// A fresh state takes bundle 1; a delta it cannot apply is refused.
	if out := must(0, at, "verify", "--bundle", "@b1.cbor", "--root", "@root.pub", "--state", "@fresh", code); !strings.HasPrefix(out, "VALID") {
		t.Fatalf("fresh state with bundle 1 printed %q, want VALID", out)
	}
	if out := must(2, at, "sync", "--root", "@root.pub", "--state", "@empty", "@d12.cbor"); !strings.Contains(out, "delta_mismatch") {
		t.Fatalf("delta on an empty state printed %q, want delta_mismatch", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "b2.cbor"))
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-3] ^= 0x40
	if err := os.WriteFile(filepath.Join(dir, "tampered.cbor"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	out = must(2, at, "sync", "--root", "@root.pub", "--state", "@fresh", "@tampered.cbor")
	if !strings.Contains(out, "bad_root_signature") || !strings.Contains(out, "claims sequence 2") || !strings.Contains(out, "keeps bundle 1") {
		t.Fatalf("sync of a tampered bundle printed %q", out)
	}
	// Through the delta, the fresh state moves from 1 to 2.
	if out := must(0, at, "sync", "--root", "@root.pub", "--state", "@fresh", "@d12.cbor"); !strings.Contains(out, "now holding bundle 2 (delta since 1)") {
		t.Fatalf("sync of the delta printed %q", out)
	}
}

// TestSyncFromServe syncs from a running "offcode serve --bundles": a
// fresh state gets the full bundle, a state holding 1 gets the delta, and
// a state holding the latest is told it is up to date.
func TestSyncFromServe(t *testing.T) {
	dir := t.TempDir()
	must := mustIn(t, dir)
	code := syncFixture(t, dir, must)
	const at = "2026-11-23T09:00:00+08:00"
	pub := filepath.Join(dir, "pub")
	if err := os.Mkdir(pub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"b1.cbor", "b2.cbor", "d12.cbor"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pub, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, liveEnv(&stdout, &stderr), []string{"serve", "--addr", "127.0.0.1:0",
			"--bundles", pub, "--root", filepath.Join(dir, "root.pub")})
	}()
	base := waitServing(t, &stderr, done)
	url := base + "/v1/bundle"

	if out := must(0, at, "sync", "--root", "@root.pub", "--state", "@a", url); !strings.Contains(out, "now holding bundle 2 (full)") {
		t.Fatalf("sync of a fresh state printed %q", out)
	}
	if out := must(1, at, "verify", "--state", "@a", code); !strings.HasPrefix(out, "KEY_REVOKED") {
		t.Fatalf("verify after sync printed %q", out)
	}
	must(0, at, "sync", "--root", "@root.pub", "--state", "@b", "@b1.cbor")
	if out := must(0, at, "sync", "--root", "@root.pub", "--state", "@b", url); !strings.Contains(out, "now holding bundle 2 (delta since 1)") {
		t.Fatalf("sync of a state holding 1 printed %q", out)
	}
	if out := must(0, at, "sync", "--root", "@root.pub", "--state", "@b", url); !strings.Contains(out, "up to date: holding bundle 2") {
		t.Fatalf("sync of an up-to-date state printed %q", out)
	}
	if out := must(2, at, "sync", "--root", "@root.pub", "--state", "@b", base+"/nosuch"); !strings.Contains(out, "404") {
		t.Fatalf("sync from a wrong URL printed %q", out)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// waitServing waits for serve to print its address and returns it.
func waitServing(t *testing.T, stderr *lockedBuffer, done chan int) string {
	t.Helper()
	addrRE := regexp.MustCompile(`serving on (http://[0-9.:]+)`)
	for deadline := time.Now().Add(20 * time.Second); ; {
		if m := addrRE.FindStringSubmatch(stderr.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSyncURLLimits: a service that does not answer in time, or answers
// with something that is not a bundle, leaves the state as it was.
func TestSyncURLLimits(t *testing.T) {
	dir := t.TempDir()
	must := mustIn(t, dir)
	must(0, "2026-11-23T08:00:00+08:00", "root", "keygen", "--key", "@root.key", "--pub", "@root.pub")
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer slow.Close()
	defer close(release)
	start := time.Now()
	out := must(2, "2026-11-23T08:00:00+08:00", "sync", "--root", "@root.pub", "--state", "@s", "--timeout", "200ms", slow.URL+"/v1/bundle")
	if !strings.Contains(out, "context deadline exceeded") || time.Since(start) > 10*time.Second {
		t.Errorf("sync from a silent service printed %q after %v", out, time.Since(start))
	}
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html>")
	}))
	defer html.Close()
	out = must(2, "2026-11-23T08:00:00+08:00", "sync", "--root", "@root.pub", "--state", "@s", html.URL)
	if !strings.Contains(out, `Content-Type "text/html"`) {
		t.Errorf("sync from a web page printed %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "s", "bundle.cbor")); !os.IsNotExist(err) {
		t.Errorf("the state holds a bundle after failed syncs: %v", err)
	}
}
