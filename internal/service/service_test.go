package service_test

import (
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/verify"
)

func TestAuth(t *testing.T) {
	e := newEnv(t)
	body := map[string]string{"id": adult, "colour": "green"}
	want(t, "POST /v1/codes without token", e.do("POST", "/v1/codes", "", body), 401, "unauthorized")
	want(t, "POST /v1/codes with wrong token", e.do("POST", "/v1/codes", "oc_nottherighttoken", body), 401, "unauthorized")
	want(t, "POST /v1/codes with Basic auth", e.do("POST", "/v1/codes", "", body, "Authorization", "Basic Zm9vOmJhcg=="), 401, "unauthorized")
	want(t, "POST /v1/codes with audit scope", e.do("POST", "/v1/codes", "auditor", body), 403, "forbidden")
	want(t, "POST /v1/codes with bind scope", e.do("POST", "/v1/codes", "binder", body), 403, "forbidden")
	want(t, "POST /v1/bindings with issue scope", e.do("POST", "/v1/bindings", "issuer", map[string]string{}), 403, "forbidden")
	want(t, "GET /v1/audit with issue scope", e.do("GET", "/v1/audit", "issuer", nil), 403, "forbidden")
	want(t, "GET /v1/audit without token", e.do("GET", "/v1/audit", "", nil), 401, "unauthorized")
	want(t, "POST /v1/codes with issue scope", e.do("POST", "/v1/codes", "issuer", body), 201, "")
	want(t, "GET /v1/audit with audit scope", e.do("GET", "/v1/audit", "auditor", nil), 200, "")
	want(t, "GET /healthz", e.do("GET", "/healthz", "", nil), 200, "")
	want(t, "GET /readyz", e.do("GET", "/readyz", "", nil), 200, "")
	want(t, "GET /nowhere", e.do("GET", "/nowhere", "all", nil), 404, "not_found")
	// The "slow" token allows one request, then 429.
	want(t, "first request of slow token", e.do("POST", "/v1/codes", "slow", body), 201, "")
	r := e.do("POST", "/v1/codes", "slow", body)
	want(t, "second request of slow token", r, 429, "rate_limited")
	if r.header.Get("Retry-After") == "" {
		t.Fatalf("429 without Retry-After")
	}
}

func TestIssueVerifyAudit(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "yellow"}, "X-Request-Id", "req-42")
	want(t, "POST /v1/codes", r, 201, "")
	v := verify.New(e.trust)
	res, err := v.Verify(r.str("code"), e.clock.Now())
	if err != nil {
		t.Fatalf("Verify(issued code) = %v", err)
	}
	if res.Code.Claims.Colour != codec.Yellow || res.Code.Claims.Kind != codec.Personal {
		t.Fatalf("claims = %+v, want yellow personal", res.Code.Claims)
	}
	if err := verify.MatchID(res.Code, parseID(t, adult)); err != nil {
		t.Fatalf("MatchID(holder) = %v", err)
	}
	if err := verify.MatchID(res.Code, parseID(t, child)); err == nil {
		t.Fatalf("MatchID(other person) = nil, want mismatch")
	}
	if got := r.str("serial"); got != hex.EncodeToString(res.Code.Claims.Serial[:]) {
		t.Fatalf("serial = %s, want the code's", got)
	}
	if r.str("issued_at") != "2026-11-23T02:00:00Z" || r.str("expires_at") != "2026-11-30T02:00:00Z" {
		t.Fatalf("times = %s..%s", r.str("issued_at"), r.str("expires_at"))
	}

	// A renewal reuses the person's identity hash: no second Argon2id.
	e.clock.Advance(6 * 24 * time.Hour)
	r2 := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"})
	want(t, "renewal", r2, 201, "")
	res2, err := v.Verify(r2.str("code"), e.clock.Now())
	if err != nil {
		t.Fatalf("Verify(renewal) = %v", err)
	}
	if res2.Code.Claims.Identity != res.Code.Claims.Identity {
		t.Fatalf("renewal has identity hash %x, want the first one %x", res2.Code.Claims.Identity.Salt, res.Code.Claims.Identity.Salt)
	}

	// The audit trail holds both, with token and request ID.
	a := e.do("GET", "/v1/audit", "auditor", nil)
	want(t, "GET /v1/audit", a, 200, "")
	recs := a.json["records"].([]any)
	if len(recs) != 2 {
		t.Fatalf("audit has %d records, want 2: %s", len(recs), a.body)
	}
	first := recs[0].(map[string]any)
	if first["serial"] != r.str("serial") || first["token"] != "issuer" || first["request_id"] != "req-42" ||
		first["colour"] != "yellow" || first["kind"] != "personal" || first["kid"] != r.str("kid") {
		t.Fatalf("audit record = %v, want serial %s by issuer, req-42", first, r.str("serial"))
	}
	since := e.do("GET", "/v1/audit?since=2026-11-25T00:00:00Z", "auditor", nil)
	if n := len(since.json["records"].([]any)); n != 1 {
		t.Fatalf("audit since 25 Nov has %d records, want 1", n)
	}
	page := e.do("GET", "/v1/audit?limit=1", "auditor", nil)
	if n := len(page.json["records"].([]any)); n != 1 || page.json["next"] != float64(1) {
		t.Fatalf("audit limit=1 = %s, want 1 record and next 1", page.body)
	}
	want(t, "audit bad since", e.do("GET", "/v1/audit?since=yesterday", "auditor", nil), 400, "invalid_argument")
	want(t, "audit bad limit", e.do("GET", "/v1/audit?limit=0", "auditor", nil), 400, "invalid_argument")

	// A restarted service (empty cache) still reuses the stored hash.
	e.restart()
	r3 := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "red"})
	want(t, "issue after restart", r3, 201, "")
	res3, err := v.Verify(r3.str("code"), e.clock.Now())
	if err != nil {
		t.Fatalf("Verify(after restart) = %v", err)
	}
	if res3.Code.Claims.Identity != res.Code.Claims.Identity {
		t.Fatalf("after restart the identity hash changed")
	}
}

// TestFirstSightOnce sends 20 concurrent first requests for one person:
// they share one Argon2id, so every code carries the same identity hash.
func TestFirstSightOnce(t *testing.T) {
	e := newEnv(t)
	person := makeID("19770707", 7)
	codes := make([]string, 20)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": person, "colour": "green"})
			codes[i] = r.str("code")
		}()
	}
	wg.Wait()
	v := verify.New(e.trust)
	var first *codec.Claims
	for i, c := range codes {
		res, err := v.Verify(c, e.clock.Now())
		if err != nil {
			t.Fatalf("Verify(code %d) = %v", i, err)
		}
		if first == nil {
			first = &res.Code.Claims
		} else if res.Code.Claims.Identity != first.Identity {
			t.Fatalf("code %d has another identity hash than code 0", i)
		}
	}
	m := e.do("GET", "/metrics", "", nil)
	if !strings.Contains(string(m.body), `offcode_audit_records_total 20`) {
		t.Fatalf("metrics after 20 codes: want 20 audit records")
	}
}
