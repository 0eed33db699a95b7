package service_test

import (
	"strings"
	"testing"
	"time"
)

// TestKinshipOverTime: the eligibility end is stored at binding; a kinship
// code is refused from the child's 17th birthday; a guardian must be an
// adult; a pair bound again with another relation says so; the guardian's
// list shows each relative masked to the last 4 characters.
func TestKinshipOverTime(t *testing.T) {
	e := newEnv(t)
	// start is 2026-11-23 10:00 Beijing. The child turns 17 on 2026-11-25.
	teen := makeID("20091125", 40)
	guardian := makeID("19800101", 41)
	b := e.do("POST", "/v1/bindings", "binder", bind(guardian, teen))
	want(t, "bind a 16-year-old", b, 201, "")
	if got := b.str("eligible_until"); got != "2026-11-24T16:00:00Z" {
		t.Fatalf("eligible_until = %q, want 2026-11-24T16:00:00Z (midnight Beijing on the 17th birthday)", got)
	}
	id := b.str("binding_id")
	c := e.do("POST", "/v1/bindings/"+id+"/codes", "binder", map[string]string{"colour": "green"})
	want(t, "kinship code at 16", c, 201, "")
	if c.str("expires_at") != "2026-11-24T16:00:00Z" {
		t.Fatalf("kinship code expires %s, want it to end with eligibility (2026-11-24T16:00:00Z)", c.str("expires_at"))
	}
	e.clock.Advance(38 * time.Hour) // 2026-11-24 16:00 UTC: the birthday in Beijing
	r := e.do("POST", "/v1/bindings/"+id+"/codes", "binder", map[string]string{"colour": "green"})
	want(t, "kinship code on the 17th birthday", r, 422, "not_eligible")
	if msg := string(r.body); !strings.Contains(msg, "turned 17") || strings.Contains(msg, "2009") {
		t.Fatalf("not_eligible message = %s, want it to say 17 and not the birth date", msg)
	}
	// An older person has no end.
	el := e.do("POST", "/v1/bindings", "binder", bind(guardian, elder))
	want(t, "bind an older person", el, 201, "")
	if el.str("eligible_until") != "" {
		t.Fatalf("older person's eligible_until = %q, want none", el.str("eligible_until"))
	}

	// An 11-year-old cannot be a guardian.
	eleven := makeID("20150101", 42)
	r = e.do("POST", "/v1/bindings", "binder", bind(eleven, makeID("20200101", 43)))
	want(t, "11-year-old guardian", r, 422, "guardian_not_adult")
	if msg := string(r.body); !strings.Contains(msg, "18 or over") || !strings.Contains(msg, "is 11") || strings.Contains(msg, "2015") {
		t.Fatalf("guardian_not_adult message = %s", msg)
	}

	// The same pair with another relation.
	want(t, "same pair, same relation", e.do("POST", "/v1/bindings", "binder", bind(guardian, elder)), 200, "")
	other := map[string]string{"guardian_id": guardian, "relative_id": elder, "relation": "grandmother"}
	r = e.do("POST", "/v1/bindings", "binder", other)
	want(t, "same pair, another relation", r, 409, "binding_exists")
	if !strings.Contains(string(r.body), `\"family\"`) {
		t.Fatalf("binding_exists message = %s, want it to name the existing relation", r.body)
	}

	// Eight children told apart by their last 4 characters.
	list := e.do("POST", "/v1/guardians/bindings", "binder", map[string]string{"guardian_id": guardian})
	want(t, "list", list, 200, "")
	bs := list.json["bindings"].([]any)
	seen := map[string]bool{}
	for _, x := range bs {
		rel := x.(map[string]any)["relative"].(string)
		if len(rel) != 18 || !strings.HasPrefix(rel, "**************") {
			t.Fatalf("relative shown as %q, want 14 stars and the last 4", rel)
		}
		seen[rel] = true
	}
	if len(bs) != 2 || !seen["**************"+teen[14:]] || !seen["**************"+elder[14:]] {
		t.Fatalf("bindings = %s", list.body)
	}
}
