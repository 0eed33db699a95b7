package service_test

import (
	"testing"
)

func TestRevocations(t *testing.T) {
	e := newEnv(t)
	c := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"})
	want(t, "issue", c, 201, "")
	want(t, "revoke without scope", e.do("POST", "/v1/revocations", "issuer", map[string]string{"serial": c.str("serial"), "reason": "lost"}), 403, "forbidden")
	want(t, "revoke bad serial", e.do("POST", "/v1/revocations", "revoker", map[string]string{"serial": "zz", "reason": "lost"}), 400, "invalid_serial")
	want(t, "revoke both", e.do("POST", "/v1/revocations", "revoker", map[string]string{"serial": c.str("serial"), "id": adult, "reason": "x"}), 400, "invalid_field")
	want(t, "revoke no reason", e.do("POST", "/v1/revocations", "revoker", map[string]string{"serial": c.str("serial")}), 400, "invalid_field")
	want(t, "revoke unknown serial", e.do("POST", "/v1/revocations", "revoker", map[string]string{"serial": "000000000000000000000000", "reason": "lost"}), 404, "not_found")
	want(t, "revoke unknown person", e.do("POST", "/v1/revocations", "revoker", map[string]string{"id": child, "reason": "fraud"}), 404, "not_found")
	r1 := e.do("POST", "/v1/revocations", "revoker", map[string]string{"serial": c.str("serial"), "reason": "lost"})
	want(t, "revoke a code", r1, 201, "")
	r2 := e.do("POST", "/v1/revocations", "revoker", map[string]string{"id": adult, "reason": "fraud"})
	want(t, "revoke a person", r2, 201, "")
	if r2.str("identity") == "" || r2.str("before") != "2026-11-23T02:00:01Z" {
		t.Fatalf("person revocation = %s", r2.body)
	}
	list := e.do("GET", "/v1/revocations", "revoker", nil)
	want(t, "export", list, 200, "")
	rvs := list.json["revocations"].([]any)
	if len(rvs) != 2 || rvs[0].(map[string]any)["serial"] != c.str("serial") || rvs[0].(map[string]any)["kid"] != c.str("kid") || list.json["next"].(float64) != r2.json["seq"].(float64) {
		t.Fatalf("export = %s", list.body)
	}
	rest := e.do("GET", "/v1/revocations?after=1", "revoker", nil)
	if n := len(rest.json["revocations"].([]any)); n != 1 {
		t.Fatalf("export after 1 = %d entries, want 1", n)
	}
}

func TestMetricsPrivate(t *testing.T) {
	e := newEnv(t)
	e.svc = e.newServiceWith(func(c *serviceConfig) { c.MetricsToken = true })
	e.restartHTTP()
	want(t, "metrics without token", e.do("GET", "/metrics", "", nil), 401, "unauthorized")
	want(t, "metrics with issue token", e.do("GET", "/metrics", "issuer", nil), 403, "forbidden")
	if r := e.do("GET", "/metrics", "metrics", nil); r.status != 200 {
		t.Fatalf("metrics with metrics token = %d", r.status)
	}
}
