package service_test

import (
	"bytes"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetricsParse reads /metrics with Prometheus' own text parser and
// checks the values of the service's families after a known set of
// requests, and that the go_* and process_* families dashboards use are
// there.
func TestMetricsParse(t *testing.T) {
	e := newEnv(t)
	e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "red"})
	e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"})
	e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "blue"})
	r := e.do("GET", "/metrics", "", nil)
	if ct := r.header.Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Fatalf("/metrics Content-Type = %q", ct)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("expfmt cannot parse /metrics: %v", err)
	}
	value := func(name string, labels map[string]string) float64 {
		t.Helper()
	next:
		for _, m := range fams[name].GetMetric() {
			for _, l := range m.GetLabel() {
				if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
					continue next
				}
			}
			if h := m.GetHistogram(); h != nil {
				return float64(h.GetSampleCount())
			}
			return m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
		t.Fatalf("/metrics has no %s%v", name, labels)
		return 0
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"offcode_codes_issued_total", map[string]string{"colour": "red", "kind": "personal"}, 1},
		{"offcode_codes_issued_total", map[string]string{"colour": "green", "kind": "personal"}, 1},
		{"offcode_errors_total", map[string]string{"code": "invalid_colour"}, 1},
		{"offcode_http_requests_total", map[string]string{"route": "codes", "status": "201"}, 2},
		{"offcode_http_requests_total", map[string]string{"route": "codes", "status": "400"}, 1},
		{"offcode_http_request_duration_seconds", map[string]string{"route": "codes"}, 3},
		{"offcode_identity_lookups_total", map[string]string{"result": "new"}, 1},
		{"offcode_identity_lookups_total", map[string]string{"result": "hit"}, 1},
		{"offcode_audit_records_total", nil, 2},
		{"go_info", nil, 1},
	} {
		if got := value(c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if f := fams["offcode_http_request_duration_seconds"]; f.GetType() != dto.MetricType_HISTOGRAM ||
		len(f.GetMetric()[0].GetHistogram().GetBucket()) != 15 {
		t.Errorf("offcode_http_request_duration_seconds is not a histogram of 14 buckets and +Inf: %v", f)
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "go_gc_duration_seconds",
		"process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"} {
		if fams[name] == nil {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}
