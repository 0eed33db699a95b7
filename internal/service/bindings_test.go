package service_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/verify"
)

func bind(g, r string) map[string]string {
	return map[string]string{"guardian_id": g, "relative_id": r, "relation": "family"}
}

func TestBindingRules(t *testing.T) {
	e := newEnv(t)
	post := func(what string, body any, status int, code string) *response {
		t.Helper()
		r := e.do("POST", "/v1/bindings", "binder", body)
		want(t, what, r, status, code)
		return r
	}
	// Valid IDs.
	post("invalid guardian", bind(adult[:17]+"0", child), 400, "invalid_id")
	post("invalid relative", bind(adult, "123"), 400, "invalid_id")
	post("relative born tomorrow", bind(adult, makeID("20261124", 5)), 400, "invalid_id")
	post("empty relation", map[string]string{"guardian_id": adult, "relative_id": child}, 400, "invalid_field")
	post("self", bind(elder, elder), 422, "invalid_binding")

	// Age on the day of binding (Beijing): 0-16 or 60 and over.
	// start is 2026-11-23 10:00 Beijing.
	r := post("relative aged 30", bind(adult, makeID("19960101", 9)), 422, "age_not_eligible")
	if msg := r.json["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "0 to 16 or 60 and over") || !strings.Contains(msg, "is 30") {
		t.Fatalf("age_not_eligible message = %q, want it to say the rule and the age", msg)
	}
	post("relative turning 17 today", bind(adult, makeID("20091123", 10)), 422, "age_not_eligible")
	post("relative turning 17 tomorrow", bind(adult, makeID("20091124", 11)), 201, "")
	post("relative turning 60 tomorrow", bind(adult, makeID("19661124", 12)), 422, "age_not_eligible")
	post("relative turning 60 today", bind(adult, makeID("19661123", 13)), 201, "")
	post("newborn today", bind(adult, makeID("20261123", 14)), 201, "")

	// Idempotent: the same pair again returns the same binding, 200.
	first := post("bind child", bind(adult, child), 201, "")
	again := post("bind child again", bind(adult, child), 200, "")
	if first.str("binding_id") == "" || again.str("binding_id") != first.str("binding_id") {
		t.Fatalf("binding twice gave %s then %s, want the same binding", first.str("binding_id"), again.str("binding_id"))
	}
	if first.str("relative") != "**************"+child[14:] {
		t.Fatalf("relative = %q, want the masked ID", first.str("relative"))
	}

	// A guardian binds at most 8 relatives: adult has 4 so far.
	for i := range 4 {
		post("relative", bind(adult, makeID("20200101", 100+i)), 201, "")
	}
	post("9th relative", bind(adult, makeID("20200101", 104)), 409, "guardian_limit")

	// Both parents may bind the same child; a relative has at most 3 guardians.
	mother, father, grandma := makeID("19920202", 20), makeID("19910303", 21), makeID("19550505", 22)
	post("mother binds the child", bind(mother, child), 201, "")
	post("father binds the child too", bind(father, child), 201, "")
	post("4th guardian of the child", bind(grandma, child), 409, "relative_limit")
}

func TestBindingGuardiansAndUnbind(t *testing.T) {
	e := newEnv(t)
	kid := makeID("20150707", 30)
	mother, father, grandma, aunt := makeID("19920202", 20), makeID("19910303", 21), makeID("19550505", 22), makeID("19930404", 23)
	m := e.do("POST", "/v1/bindings", "binder", bind(mother, kid))
	want(t, "mother binds child", m, 201, "")
	want(t, "father binds the same child", e.do("POST", "/v1/bindings", "binder", bind(father, kid)), 201, "")
	want(t, "grandmother binds the same child", e.do("POST", "/v1/bindings", "binder", bind(grandma, kid)), 201, "")
	want(t, "4th guardian", e.do("POST", "/v1/bindings", "binder", bind(aunt, kid)), 409, "relative_limit")
	want(t, "mother again (idempotent at the limit)", e.do("POST", "/v1/bindings", "binder", bind(mother, kid)), 200, "")

	list := e.do("POST", "/v1/guardians/bindings", "binder", map[string]string{"guardian_id": mother})
	want(t, "list mother's bindings", list, 200, "")
	bs := list.json["bindings"].([]any)
	if len(bs) != 1 || bs[0].(map[string]any)["binding_id"] != m.str("binding_id") {
		t.Fatalf("mother's bindings = %s", list.body)
	}
	if strings.Contains(string(list.body), kid) {
		t.Fatalf("binding list shows the raw ID number")
	}
	want(t, "list with invalid ID", e.do("POST", "/v1/guardians/bindings", "binder", map[string]string{"guardian_id": "12345"}), 400, "invalid_id")

	// The kinship code, through the binding.
	id := m.str("binding_id")
	c := e.do("POST", "/v1/bindings/"+id+"/codes", "binder", map[string]string{"colour": "green"})
	want(t, "kinship code", c, 201, "")
	res, err := verify.New(e.trust).Verify(c.str("code"), e.clock.Now())
	if err != nil {
		t.Fatalf("Verify(kinship code) = %v", err)
	}
	if res.Code.Claims.Kind != codec.Kin || c.str("kind") != "kin" || c.str("binding_id") != id {
		t.Fatalf("kinship code = %s, want kind kin through %s", c.body, id)
	}
	if err := verify.MatchID(res.Code, parseID(t, kid)); err != nil {
		t.Fatalf("MatchID(kinship code, relative) = %v", err)
	}
	want(t, "kinship code bad colour", e.do("POST", "/v1/bindings/"+id+"/codes", "binder", map[string]string{"colour": "pink"}), 400, "invalid_colour")
	want(t, "kinship code unknown binding", e.do("POST", "/v1/bindings/nope/codes", "binder", map[string]string{"colour": "green"}), 404, "not_found")
	want(t, "kinship code with issue scope only", e.do("POST", "/v1/bindings/"+id+"/codes", "issuer", map[string]string{"colour": "green"}), 403, "forbidden")

	// Unbinding: only 24 hours after binding.
	e.clock.Advance(23*time.Hour + 59*time.Minute + 59*time.Second)
	r := e.do("DELETE", "/v1/bindings/"+id, "binder", nil)
	want(t, "unbind after 23:59:59", r, 409, "unbind_too_early")
	if msg := r.json["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "2026-11-24T02:00:00Z") || !strings.Contains(msg, "24 hours") || strings.Contains(msg, "24h0m0s") {
		t.Fatalf("unbind_too_early message = %q, want it to say when (2026-11-24T02:00:00Z)", msg)
	}
	e.clock.Advance(time.Second)
	want(t, "unbind after 24h", e.do("DELETE", "/v1/bindings/"+id, "binder", nil), 204, "")
	want(t, "unbind again", e.do("DELETE", "/v1/bindings/"+id, "binder", nil), 404, "not_found")
	want(t, "kinship code after unbind", e.do("POST", "/v1/bindings/"+id+"/codes", "binder", map[string]string{"colour": "green"}), 404, "not_found")
	// The freed place can be taken.
	want(t, "aunt binds after mother left", e.do("POST", "/v1/bindings", "binder", bind(aunt, kid)), 201, "")
}

// TestConcurrentBindingLimits sends 100 binding requests at once, twice:
// one guardian and 100 relatives (exactly 8 may succeed), and 100 guardians
// and one relative (exactly 3 may succeed).
func TestConcurrentBindingLimits(t *testing.T) {
	e := newEnv(t)
	run := func(name string, pair func(i int) map[string]string, limitCode string, wantCreated int) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		counts := map[string]int{}
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.do("POST", "/v1/bindings", "binder", pair(i))
				mu.Lock()
				counts[r.errCode()+"/"+itoa(r.status)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if counts["/201"] != wantCreated || counts[limitCode+"/409"] != 100-wantCreated {
			t.Fatalf("%s: results %v, want %d created and %d %s", name, counts, wantCreated, 100-wantCreated, limitCode)
		}
	}
	guardian := makeID("19800808", 1)
	run("one guardian, 100 relatives", func(i int) map[string]string {
		return bind(guardian, makeID("20200101", i))
	}, "guardian_limit", 8)
	relative := makeID("19400101", 999)
	run("100 guardians, one relative", func(i int) map[string]string {
		return bind(makeID("19850101", i), relative)
	}, "relative_limit", 3)
	list := e.do("POST", "/v1/guardians/bindings", "binder", map[string]string{"guardian_id": guardian})
	if n := len(list.json["bindings"].([]any)); n != 8 {
		t.Fatalf("guardian has %d bindings, want 8", n)
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
