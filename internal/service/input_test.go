package service_test

import (
	"bytes"
	"encoding/hex"
	"image/png"
	"strings"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/scan"
)

func TestIssueRejectsBadInput(t *testing.T) {
	e := newEnv(t)
	badCheck := adult[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", adult[17])+1)%11])
	for _, tc := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"empty body", "", 400, "invalid_json"},
		{"not JSON", "id=1&colour=green", 400, "invalid_json"},
		{"truncated", `{"id": "` + adult, 400, "invalid_json"},
		{"array", `[]`, 400, "invalid_json"},
		{"null", `null`, 400, "invalid_id"},
		{"unknown field", `{"id":"` + adult + `","colour":"green","admin":true}`, 400, "invalid_json"},
		{"trailing data", `{"id":"` + adult + `","colour":"green"} {}`, 400, "invalid_json"},
		{"trailing garbage", `{"id":"` + adult + `","colour":"green"}x`, 400, "invalid_json"},
		{"wrong type", `{"id":18,"colour":"green"}`, 400, "invalid_json"},
		{"too large", `{"id":"` + strings.Repeat("1", 20000) + `","colour":"green"}`, 413, "too_large"},
		{"too large trailing", `{"id":"` + adult + `","colour":"green"}` + strings.Repeat(" ", 20000), 413, "too_large"},
		{"missing id", map[string]string{"colour": "green"}, 400, "invalid_id"},
		{"short id", map[string]string{"id": "11010119900101", "colour": "green"}, 400, "invalid_id"},
		{"bad check digit", map[string]string{"id": badCheck, "colour": "green"}, 400, "invalid_id"},
		{"future birth", map[string]string{"id": makeID("20300101", 1), "colour": "green"}, 400, "invalid_id"},
		{"impossible birth", map[string]string{"id": makeID("19900230", 1), "colour": "green"}, 400, "invalid_id"},
		{"missing colour", map[string]string{"id": adult}, 400, "invalid_colour"},
		{"blue", map[string]string{"id": adult, "colour": "blue"}, 400, "invalid_colour"},
		{"kin kind", map[string]string{"id": adult, "colour": "green", "kind": "kin"}, 400, "invalid_kind"},
		{"other kind", map[string]string{"id": adult, "colour": "green", "kind": "vip"}, 400, "invalid_kind"},
		{"long holder", map[string]string{"id": adult, "colour": "green", "holder": strings.Repeat("张", 41)}, 400, "invalid_field"},
		{"holder shows 8 ID characters", map[string]string{"id": adult, "colour": "green", "holder": "张*华 1101**********002X"}, 400, "invalid_field"},
		{"binary", "\x00\xff\xfe", 400, "invalid_json"},
	} {
		r := e.do("POST", "/v1/codes", "issuer", tc.body)
		want(t, "POST /v1/codes "+tc.name, r, tc.status, tc.code)
		if strings.Contains(string(r.body), adult) {
			t.Fatalf("POST /v1/codes %s: the response repeats the ID number: %s", tc.name, r.body)
		}
	}
	want(t, "Accept text/plain", e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"}, "Accept", "text/plain"), 406, "not_acceptable")
	want(t, "GET /v1/codes", e.do("GET", "/v1/codes", "issuer", nil), 405, "method_not_allowed")
	a := e.do("GET", "/v1/audit", "auditor", nil)
	if n := len(a.json["records"].([]any)); n != 0 {
		t.Fatalf("rejected requests left %d audit records", n)
	}
}

// TestMalformedNever5xx sends garbage to every endpoint: the answer is
// always a 4xx.
func TestMalformedNever5xx(t *testing.T) {
	e := newEnv(t)
	bodies := []string{"", "{", "}", "null", "[]", `{"a":1}`, "\"str\"", "12", strings.Repeat("[", 10000),
		`{"id":null}`, `{"colour":{}}`, `{"guardian_id":[]}`, "\xff", strings.Repeat("x", 2<<20)}
	paths := []struct{ method, path string }{
		{"POST", "/v1/codes"}, {"POST", "/v1/codes/batch"}, {"POST", "/v1/bindings"},
		{"POST", "/v1/bindings/nope/codes"}, {"DELETE", "/v1/bindings/nope"},
		{"POST", "/v1/guardians/bindings"}, {"GET", "/v1/audit?since=zz"},
		{"POST", "/v1/revocations"}, {"GET", "/v1/revocations?after=x"},
	}
	for _, p := range paths {
		for i, b := range bodies {
			r := e.do(p.method, p.path, "all", b)
			if p.path == "/v1/codes/batch" && r.status == 200 && !bytes.Contains(r.body, []byte("OC1:")) {
				continue // a well-formed line with bad values gets its own error line
			}
			if r.status < 400 || r.status >= 500 {
				t.Fatalf("%s %s with body %d (%d bytes) = %d %s, want 4xx", p.method, p.path, i, len(b), r.status, r.body)
			}
		}
	}
}

func TestBatch(t *testing.T) {
	e := newEnv(t)
	body := `{"id":"` + adult + `","colour":"green"}
{"id":"` + adult[:17] + `0","colour":"green"}

{"id":"` + child + `","colour":"red"}
`
	r := e.do("POST", "/v1/codes/batch", "issuer", body)
	if r.status != 200 || r.header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("POST /v1/codes/batch = %d %s", r.status, r.body)
	}
	lines := bytes.Split(bytes.TrimSpace(r.body), []byte("\n"))
	if len(lines) != 3 {
		t.Fatalf("batch answered %d lines, want 3: %s", len(lines), r.body)
	}
	for i, want := range []string{`"line":1,"code":"OC1:`, `"line":2,"error":{"code":"invalid_id"`, `"line":4,"code":"OC1:`} {
		if !bytes.Contains(lines[i], []byte(want)) {
			t.Fatalf("batch line %d = %s, want it to contain %s", i, lines[i], want)
		}
	}
	if a := e.do("GET", "/v1/audit", "auditor", nil); len(a.json["records"].([]any)) != 2 {
		t.Fatalf("audit after batch = %s, want 2 records", a.body)
	}
	want(t, "batch with a bad JSON line", e.do("POST", "/v1/codes/batch", "issuer", "{\"id\":1}\n{"), 400, "invalid_json")
	want(t, "empty batch", e.do("POST", "/v1/codes/batch", "issuer", "\n\n"), 400, "invalid_json")
	big := strings.Repeat(`{"id":"`+adult+`","colour":"green"}`+"\n", 501)
	want(t, "batch of 501", e.do("POST", "/v1/codes/batch", "issuer", big), 413, "batch_too_large")
}

func TestPNGAndPDF(t *testing.T) {
	e := newEnv(t)
	body := map[string]string{"id": adult, "colour": "green", "holder": "张*华"}
	r := e.do("POST", "/v1/codes", "issuer", body, "Accept", "image/png")
	if r.status != 201 || r.header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(r.body, []byte("\x89PNG")) {
		t.Fatalf("POST /v1/codes Accept image/png = %d %s %.20q", r.status, r.header.Get("Content-Type"), r.body)
	}
	// The PNG is the phone card that `offcode issue --out card.png`
	// writes (portrait, in colour), and it scans back to the code issued.
	img, err := png.Decode(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("Accept image/png: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1080 || b.Dy() != 1920 {
		t.Fatalf("Accept image/png: %dx%d, want the 1080x1920 phone card", b.Dx(), b.Dy())
	}
	text, err := scan.Image(img)
	if err != nil {
		t.Fatalf("Accept image/png: scan: %v", err)
	}
	c, err := codec.Decode(text)
	if err != nil {
		t.Fatalf("Accept image/png: decode scanned code: %v", err)
	}
	if got, want := hex.EncodeToString(c.Claims.Serial[:]), r.header.Get("X-Offcode-Serial"); got != want {
		t.Fatalf("Accept image/png: card holds serial %s, response says %s", got, want)
	}
	r = e.do("POST", "/v1/codes", "issuer", body, "Accept", "application/pdf")
	if r.status != 201 || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF")) {
		t.Fatalf("POST /v1/codes Accept application/pdf = %d %s %.20q", r.status, r.header.Get("Content-Type"), r.body)
	}
	if r.header.Get("X-Offcode-Serial") == "" {
		t.Fatalf("PDF response without X-Offcode-Serial")
	}
	if a := e.do("GET", "/v1/audit", "auditor", nil); len(a.json["records"].([]any)) != 2 {
		t.Fatalf("audit after PNG and PDF = %s, want 2 records", a.body)
	}

	// A batch as one PDF: all or nothing.
	good := `{"id":"` + adult + `","colour":"green","holder":"张*华"}` + "\n" + `{"id":"` + child + `","colour":"red"}` + "\n"
	r = e.do("POST", "/v1/codes/batch", "issuer", good, "Accept", "application/pdf")
	if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF")) || r.header.Get("X-Offcode-Codes") != "2" {
		t.Fatalf("POST /v1/codes/batch Accept application/pdf = %d %s %s %.20q", r.status, r.header.Get("Content-Type"), r.header.Get("X-Offcode-Codes"), r.body)
	}
	bad := good + `{"id":"123","colour":"red"}` + "\n"
	r = e.do("POST", "/v1/codes/batch", "issuer", bad, "Accept", "application/pdf")
	want(t, "PDF batch with a bad line", r, 400, "invalid_id")
	if msg := r.json["error"].(map[string]any)["message"].(string); !strings.HasPrefix(msg, "line 3: ") {
		t.Fatalf("PDF batch error message = %q, want it to name line 3", msg)
	}
	if a := e.do("GET", "/v1/audit", "auditor", nil); len(a.json["records"].([]any)) != 4 {
		t.Fatalf("audit after the PDF batches = %d records, want 4", len(a.json["records"].([]any)))
	}
}

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "red"})
	e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "blue"})
	r := e.do("GET", "/metrics", "", nil)
	for _, s := range []string{
		`offcode_codes_issued_total{colour="red",kind="personal"} 1`,
		`offcode_errors_total{code="invalid_colour"} 1`,
		`offcode_http_requests_total{route="codes",status="201"} 1`,
		`offcode_http_request_duration_seconds_bucket{route="codes"`,
		`offcode_identity_lookups_total{result="new"} 1`,
		`offcode_audit_records_total 1`,
	} {
		if !strings.Contains(string(r.body), s) {
			t.Fatalf("/metrics lacks %s", s)
		}
	}
}
