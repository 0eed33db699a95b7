package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/sign"
)

// TestBundlePull is issue 11's revocation acceptance: a revocation posted
// to the service is pulled into the draft without retyping, the next
// signed bundle carries it, and a device that syncs the bundle says
// REVOKED for that code (and for the revoked person's).
func TestBundlePull(t *testing.T) {
	dir := t.TempDir()
	const t0, later = "2026-11-23T08:00:00+08:00", "2026-11-23T09:00:00+08:00"
	must := func(want int, at string, args ...string) string {
		t.Helper()
		code, out, errOut := bundleRun(t, dir, at, args...)
		if code != want {
			t.Fatalf("offcode %s = exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errOut)
		}
		return out + errOut
	}
	must(0, t0, "root", "keygen", "--key", "@root.key", "--pub", "@root.pub")
	must(0, t0, "keygen", "--key", "@issuer.pem", "--trust", "@trust.json")
	must(0, t0, "bundle", "init", "@draft")
	must(0, t0, "bundle", "add-key", "--trust", "@trust.json", "@draft")

	// The service, with the issuer key, at 09:00.
	key, err := sign.LoadKeyFile(filepath.Join(dir, "issuer.pem"))
	if err != nil {
		t.Fatal(err)
	}
	secret := make([]byte, service.SecretSize)
	rand.Read(secret)
	st, err := store.Open(context.Background(), filepath.Join(dir, "offcode.db"), store.Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	token, tok, _ := service.NewToken(rand.Reader, "ops", []service.Scope{service.ScopeIssue, service.ScopeRevoke})
	now, _ := time.Parse(time.RFC3339, later)
	svc, err := service.New(service.Config{Key: key, Secret: secret, Store: st, Tokens: &service.Tokens{Tokens: []*service.Token{tok}},
		Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	defer func() { srv.Close(); svc.Close() }()
	call := func(method, path, body string) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, b)
		}
		return b
	}
	var lost, other, person struct{ Code, Serial string }
	json.Unmarshal(call("POST", "/v1/codes", `{"id":"11010519491231002X","colour":"green"}`), &lost)
	json.Unmarshal(call("POST", "/v1/codes", `{"id":"110101199001010015","colour":"green"}`), &other)
	json.Unmarshal(call("POST", "/v1/codes", `{"id":"110101195001010033","colour":"yellow"}`), &person)
	call("POST", "/v1/revocations", `{"serial":"`+lost.Serial+`","reason":"phone stolen"}`)
	call("POST", "/v1/revocations", `{"id":"110101195001010033","reason":"fraud"}`)
	export := call("GET", "/v1/revocations", "")
	if err := os.WriteFile(filepath.Join(dir, "revocations.json"), export, 0o600); err != nil {
		t.Fatal(err)
	}

	out := must(0, later, "bundle", "pull", "--from", "@revocations.json", "@draft")
	if !strings.Contains(out, "added 1 code and 1 person revocations") || !strings.Contains(out, "--after 2") {
		t.Fatalf("bundle pull printed %q", out)
	}
	// Pulling again changes nothing.
	must(0, later, "bundle", "pull", "--from", "@revocations.json", "@draft")
	must(0, later, "bundle", "sign", "--key", "@root.key", "@draft", "@b1.cbor")
	if out := must(0, later, "bundle", "show", "--root", "@root.pub", "@b1.cbor"); !strings.Contains(out, "revoked     1 code, 1 person") {
		t.Fatalf("bundle show printed %q, want 1 code and 1 person revoked", out)
	}
	at := "2026-11-23T09:30:00+08:00"
	if out := must(1, at, "verify", "--bundle", "@b1.cbor", "--root", "@root.pub", lost.Code); !strings.HasPrefix(out, "REVOKED") {
		t.Fatalf("verify of the revoked code printed %q, want REVOKED", out)
	}
	if out := must(1, at, "verify", "--bundle", "@b1.cbor", "--root", "@root.pub", person.Code); !strings.Contains(out, "REVOKED") {
		t.Fatalf("verify of the revoked person's code printed %q, want REVOKED", out)
	}
	if out := must(0, at, "verify", "--bundle", "@b1.cbor", "--root", "@root.pub", other.Code); !strings.HasPrefix(out, "VALID") {
		t.Fatalf("verify of another code printed %q, want VALID", out)
	}

	// From the service's URL, with the token in $OFFCODE_TOKEN.
	var o, e bytes.Buffer
	env := &env{stdin: strings.NewReader(""), stdout: &o, stderr: &e, now: func() time.Time { return now }, rand: rand.Reader,
		getenv: func(k string) string {
			if k == "OFFCODE_TOKEN" {
				return token
			}
			return ""
		}}
	if code := run(context.Background(), env, []string{"bundle", "pull", "--from", srv.URL, "--after", "1", filepath.Join(dir, "draft")}); code != exitOK ||
		!strings.Contains(e.String(), "added 0 code and 1 person revocations") {
		t.Fatalf("bundle pull --from URL = exit %d: %s", code, e.String())
	}
	if code, _, errOut := bundleRun(t, dir, later, "bundle", "pull", "--from", "@draft", "@draft"); code != exitUsage || !strings.Contains(errOut, "not a revocation export") {
		t.Fatalf("bundle pull of a non-export = exit %d, %s", code, errOut)
	}
}
