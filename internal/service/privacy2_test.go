package service_test

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/verify"
)

// TestNothingCrackableAtRest is issue 10's acceptance: after issuing through
// the service (debug logging, an ID-like X-Request-Id, a request with a bad
// ID), the audit export, the database files (with -wal) and the service log
// hold no clear salt, digest or ID number.
func TestNothingCrackableAtRest(t *testing.T) {
	e := newEnv(t)
	ids := []string{adult, child, elder}
	var codes []string
	for i, id := range ids[:2] {
		r := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": id, "colour": "green"}, "X-Request-Id", "req-"+ids[2-i])
		want(t, "issue", r, 201, "")
		if strings.Contains(r.header.Get("X-Request-Id"), ids[2-i][:8]) {
			t.Fatalf("X-Request-Id echoed as %q: it holds an ID number", r.header.Get("X-Request-Id"))
		}
		codes = append(codes, r.str("code"))
	}
	b := e.do("POST", "/v1/bindings", "binder", bind(adult, elder))
	c := e.do("POST", "/v1/bindings/"+b.str("binding_id")+"/codes", "binder", map[string]string{"colour": "yellow"})
	codes = append(codes, c.str("code"))
	bad := adult[:17] + "0"
	r := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": bad, "colour": "green"})
	want(t, "bad ID", r, 400, "invalid_id")
	future := makeID("20301231", 5)
	r = e.do("POST", "/v1/codes", "issuer", map[string]string{"id": future, "colour": "green"})
	want(t, "birth date in the future", r, 400, "invalid_id")
	if strings.Contains(string(r.body), "2030") {
		t.Fatalf("error message repeats the birth date: %s", r.body)
	}

	// What an attacker would look for: the ID numbers, and each code's
	// salt and digest.
	var secrets [][]byte
	for _, id := range append(ids, bad) {
		secrets = append(secrets, []byte(id), []byte(id[:17]))
	}
	v := verify.New(e.trust)
	for _, code := range codes {
		res, err := v.Verify(code, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		// The salt is 16 random bytes: found anywhere, it is the clear
		// hash. The digest may be short (a few bytes could occur by
		// chance), so it is looked for next to its salt.
		h := res.Code.Claims.Identity
		both := append(h.Salt[:], h.Sum[:]...)
		secrets = append(secrets, h.Salt[:], both, []byte(hex.EncodeToString(h.Salt[:])), []byte(hex.EncodeToString(both)))
	}
	export := e.do("GET", "/v1/audit", "auditor", nil)
	want(t, "audit export", export, 200, "")
	if n := len(export.json["records"].([]any)); n != 3 {
		t.Fatalf("audit export has %d records, want 3", n)
	}
	// Copy the files while the service runs, WAL and all.
	var files []byte
	matches, _ := filepath.Glob(e.dbPath + "*")
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b...)
	}
	if !strings.Contains(strings.Join(matches, " "), "-wal") {
		t.Fatalf("no -wal file among %v: the check would miss it", matches)
	}
	logs := []byte(e.logs.String())
	if !bytes.Contains(logs, []byte("route=codes")) || !bytes.Contains(logs, []byte("level=DEBUG")) && !bytes.Contains(logs, []byte("level=INFO")) {
		t.Fatalf("the log lacks the requests: %s", logs)
	}
	for what, hay := range map[string][]byte{"audit export": export.body, "database files": files, "service log": logs} {
		for _, s := range secrets {
			if bytes.Contains(hay, s) {
				t.Fatalf("%s holds %q (an ID number, salt or digest)", what, s)
			}
		}
	}
	// With scope audit_identity the export has them: the separate scope
	// is what keeps them out.
	full := e.do("GET", "/v1/audit", "all", nil)
	if !bytes.Contains(full.body, secrets[len(secrets)-1]) {
		t.Fatalf("audit_identity export lacks the identity hash: %s", full.body)
	}
}

func TestRequestIDMasked(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"}, "X-Request-Id", "x-"+adult)
	want(t, "issue", r, 201, "")
	if got := r.header.Get("X-Request-Id"); got != "x-******************" {
		t.Fatalf("X-Request-Id = %q, want the digits masked", got)
	}
	r = e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"}, "X-Request-Id", "order-1234567")
	if got := r.header.Get("X-Request-Id"); got != "order-1234567" {
		t.Fatalf("X-Request-Id = %q, want it kept", got)
	}
}

func TestTokensFileWritableByOthers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.json")
	_, tok, _ := service.NewToken(strings.NewReader(strings.Repeat("x", 64)), "a", []service.Scope{service.ScopeIssue})
	if err := service.AddToken(path, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := service.LoadTokens(path); err != nil {
		t.Fatalf("LoadTokens(0600) = %v", err)
	}
	os.Chmod(path, 0o666)
	if _, err := service.LoadTokens(path); err == nil || !strings.Contains(err.Error(), "others can write") {
		t.Fatalf("LoadTokens(0666) = %v, want refused", err)
	}
}

func TestHolderShowsAtMostLast4(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		holder string
		status int
		code   string
	}{
		{"张*华 1101**********002X", 400, "invalid_field"},
		{"张*华 **************002X", 201, ""},
		{"张*华 " + adult, 400, "invalid_field"},
		{"张三", 201, ""},
	} {
		r := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green", "holder": tc.holder}, "Accept", "application/pdf")
		want(t, "holder "+tc.holder, r, tc.status, tc.code)
		if tc.status == 400 && !strings.Contains(string(r.body), "last 4") {
			t.Fatalf("holder %q refused without saying why: %s", tc.holder, r.body)
		}
	}
}

func TestColorAliasAndAuditNext(t *testing.T) {
	e := newEnv(t)
	want(t, "color", e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "color": "red"}), 201, "")
	want(t, "colour and color agree", e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "red", "color": "red"}), 201, "")
	want(t, "colour and color differ", e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "red", "color": "green"}), 400, "invalid_colour")
	want(t, "kind kin", e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "red", "kind": "kin"}), 400, "invalid_kind")
	for _, q := range []string{"", "?limit=1", "?after=2", "?after=99"} {
		a := e.do("GET", "/v1/audit"+q, "auditor", nil)
		if _, ok := a.json["next"]; !ok {
			t.Fatalf("GET /v1/audit%s has no next: %s", q, a.body)
		}
	}
	if a := e.do("GET", "/v1/audit?limit=1", "auditor", nil); a.json["next"].(float64) != 1 {
		t.Fatalf("next after one record = %v", a.json["next"])
	}
}

// TestChargePerCode: a batch costs one per line against the token's rate.
func TestChargePerCode(t *testing.T) {
	e := newEnv(t)
	// The "slow" token has a burst of 1: a batch of 2 is over it.
	r := e.do("POST", "/v1/codes/batch", "slow", `{"id":"`+adult+`","colour":"green"}`+"\n"+`{"id":"`+child+`","colour":"green"}`)
	want(t, "batch of 2 on a burst of 1", r, 429, "rate_limited")
}
