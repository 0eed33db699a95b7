package service_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestBodies sends arbitrary bodies to every endpoint that reads one:
// the answer must never be a 5xx.
func FuzzRequestBodies(f *testing.F) {
	seeds := []string{"", "{", "null", "[]", `{"id":"` + adult + `","colour":"green"}`,
		`{"id":"` + adult + `","colour":"green"} x`, `{"guardian_id":"` + adult + `","relative_id":"` + child + `","relation":"son"}`,
		`{"colour":"red","holder":"张*华"}`, "{\"id\":\"\xff\"}", `{"id":1e999}`, strings.Repeat(`{"colour":"green"}`+"\n", 3)}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	e := newEnv(f)
	b := e.do("POST", "/v1/bindings", "all", bind(adult, child))
	paths := []string{"/v1/codes", "/v1/codes/batch", "/v1/bindings", "/v1/bindings/" + b.str("binding_id") + "/codes"}
	h := e.svc.Handler()
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		req := httptest.NewRequest("POST", paths[int(which)%len(paths)], bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.tokens["all"])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 || rec.Code < 200 {
			t.Fatalf("POST %s %q = %d %s", req.URL.Path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && !strings.HasPrefix(rec.Body.String(), `{"error":{"code":"`) {
			t.Fatalf("POST %s %q = %d with body %s, want the error format", req.URL.Path, body, rec.Code, rec.Body)
		}
	})
}
