package service_test

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/verify"
)

// TestNoRawIDAtRest exercises every endpoint that takes an ID number and
// then looks for the numbers in the store files and the logs.
func TestNoRawIDAtRest(t *testing.T) {
	e := newEnv(t)
	ids := []string{adult, child, elder, makeID("19870909", 77)}
	for _, id := range ids[:2] {
		e.do("POST", "/v1/codes", "all", map[string]string{"id": id, "colour": "green"})
	}
	e.do("POST", "/v1/codes/batch", "all", `{"id":"`+ids[3]+`","colour":"red"}`)
	b := e.do("POST", "/v1/bindings", "all", bind(adult, elder))
	e.do("POST", "/v1/bindings/"+b.str("binding_id")+"/codes", "all", map[string]string{"colour": "yellow"})
	e.do("POST", "/v1/guardians/bindings", "all", map[string]string{"guardian_id": adult})
	e.do("GET", "/v1/guardians/"+adult+"/nothing", "all", nil)
	e.do("POST", "/v1/bindings", "all", bind(adult, adult[:17]+"0"))
	e.restart() // checkpoint the WAL into the main file
	var files []byte
	matches, _ := filepath.Glob(e.dbPath + "*")
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b...)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "route=guardian_bindings") {
		t.Fatalf("debug logs lack the requests: %q", logs)
	}
	for _, id := range ids {
		if bytes.Contains(files, []byte(id)) || bytes.Contains(files, []byte(id[:17])) {
			t.Fatalf("store files hold the ID number %s", id)
		}
		if strings.Contains(logs, id[:17]) {
			t.Fatalf("logs hold the ID number %s", id)
		}
	}
}

// TestKeyRollover swaps the issuer key while serving: new codes carry the
// new kid, and codes signed with the old key keep verifying while the trust
// store holds both.
func TestKeyRollover(t *testing.T) {
	e := newEnv(t)
	old := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"})
	k2, err := sign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e.svc.SetKey(k2)
	e.trust = trustOf(t, e.key, k2)
	e.clock.Advance(time.Minute)
	nu := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"})
	if old.str("kid") == nu.str("kid") || nu.str("kid") != k2.KeyID().String() {
		t.Fatalf("kid after SetKey = %s, want %s (was %s)", nu.str("kid"), k2.KeyID().String(), old.str("kid"))
	}
	v := verify.New(e.trust)
	for _, r := range []*response{old, nu} {
		if _, err := v.Verify(r.str("code"), e.clock.Now()); err != nil {
			t.Fatalf("Verify(code by %s) = %v", r.str("kid"), err)
		}
	}
	if strings.Contains(e.logs.String(), "PRIVATE") {
		t.Fatalf("logs hold key material")
	}
}
