package metrics

import (
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// parse reads the registry's output with Prometheus' own text parser.
func parse(t *testing.T, r *Registry) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(r.WriteText()))
	if err != nil {
		t.Fatalf("expfmt cannot parse the output: %v\n%s", err, r.WriteText())
	}
	return fams
}

func labelsOf(m *dto.Metric) map[string]string {
	ls := map[string]string{}
	for _, l := range m.GetLabel() {
		ls[l.GetName()] = l.GetValue()
	}
	return ls
}

func TestCountersParse(t *testing.T) {
	r := NewRegistry()
	cv := r.NewCounterVec("test_events_total", "Events by kind,\nwith a \\ and a \"quote\".", "kind", "status")
	cv.WithLabelValues("plain", "200").Inc()
	cv.WithLabelValues("plain", "200").Add(4)
	odd := "a \"quoted\"\\path\nnext line, 中文"
	cv.WithLabelValues(odd, "500").Inc()
	r.NewCounterFunc("test_func_total", "From a function.", func() float64 { return 42 })
	r.NewGaugeFunc("test_gauge", "A gauge.", func() float64 { return -1.5 })

	fams := parse(t, r)
	f := fams["test_events_total"]
	if f == nil || f.GetType() != dto.MetricType_COUNTER || f.GetHelp() != "Events by kind,\nwith a \\ and a \"quote\"." {
		t.Fatalf("test_events_total = %v", f)
	}
	got := map[string]float64{}
	for _, m := range f.GetMetric() {
		ls := labelsOf(m)
		got[ls["kind"]+"|"+ls["status"]] = m.GetCounter().GetValue()
	}
	if len(got) != 2 || got["plain|200"] != 5 || got[odd+"|500"] != 1 {
		t.Fatalf("test_events_total series = %v", got)
	}
	if v := fams["test_func_total"].GetMetric()[0].GetCounter().GetValue(); v != 42 {
		t.Fatalf("test_func_total = %v", v)
	}
	if g := fams["test_gauge"]; g.GetType() != dto.MetricType_GAUGE || g.GetMetric()[0].GetGauge().GetValue() != -1.5 {
		t.Fatalf("test_gauge = %v", g)
	}
}

func TestHistogramParse(t *testing.T) {
	r := NewRegistry()
	hv := r.NewHistogramVec("test_seconds", "Latency.", []float64{0.001, 0.01, 0.1, 1}, "route")
	for _, v := range []float64{0.0005, 0.001, 0.005, 0.05, 0.05, 2, 100} {
		hv.WithLabelValues("codes").Observe(v)
	}
	hv.WithLabelValues("audit").Observe(0.2)

	fams := parse(t, r)
	f := fams["test_seconds"]
	if f.GetType() != dto.MetricType_HISTOGRAM || len(f.GetMetric()) != 2 {
		t.Fatalf("test_seconds = %v", f)
	}
	for _, m := range f.GetMetric() {
		h := m.GetHistogram()
		var want []uint64
		var count uint64
		var sum float64
		switch labelsOf(m)["route"] {
		case "codes":
			want, count, sum = []uint64{2, 3, 5, 5, 7}, 7, 0.0005+0.001+0.005+0.05+0.05+2+100
		case "audit":
			want, count, sum = []uint64{0, 0, 0, 1, 1}, 1, 0.2
		default:
			t.Fatalf("unexpected series %v", labelsOf(m))
		}
		if h.GetSampleCount() != count || math.Abs(h.GetSampleSum()-sum) > 1e-9 {
			t.Errorf("%v: count %d sum %v, want %d %v", labelsOf(m), h.GetSampleCount(), h.GetSampleSum(), count, sum)
		}
		if len(h.GetBucket()) != len(want) {
			t.Fatalf("%v: %d buckets, want %d (with +Inf)", labelsOf(m), len(h.GetBucket()), len(want))
		}
		for i, b := range h.GetBucket() {
			if b.GetCumulativeCount() != want[i] {
				t.Errorf("%v: bucket le=%v = %d, want %d", labelsOf(m), b.GetUpperBound(), b.GetCumulativeCount(), want[i])
			}
		}
	}
	text := string(r.WriteText())
	for _, s := range []string{`test_seconds_bucket{route="codes",le="0.001"} 2`,
		`test_seconds_bucket{route="codes",le="+Inf"} 7`, `test_seconds_count{route="codes"} 7`} {
		if !strings.Contains(text, s) {
			t.Errorf("output lacks %s:\n%s", s, text)
		}
	}
}

// TestConcurrent counts from many goroutines while scraping; run it with
// -race to check the locking.
func TestConcurrent(t *testing.T) {
	r := NewRegistry()
	cv := r.NewCounterVec("test_total", "Counter.", "g")
	hv := r.NewHistogramVec("test_h", "Histogram.", []float64{1, 2}, "g")
	const workers, each = 8, 1000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				cv.WithLabelValues(string(rune('a' + w%3))).Inc()
				hv.WithLabelValues("x").Observe(float64(i % 3))
				if i%100 == 0 {
					r.WriteText()
				}
			}
		})
	}
	wg.Wait()
	var total float64
	for _, m := range parse(t, r)["test_total"].GetMetric() {
		total += m.GetCounter().GetValue()
	}
	h := parse(t, r)["test_h"].GetMetric()[0].GetHistogram()
	if total != workers*each || h.GetSampleCount() != workers*each {
		t.Fatalf("counted %v and %d observations, want %d", total, h.GetSampleCount(), workers*each)
	}
}

func TestHandler(t *testing.T) {
	r := NewRegistry()
	r.NewCounterVec("test_total", "Counter.", "x").WithLabelValues("y").Inc()
	w := httptest.NewRecorder()
	r.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if ct := w.Header().Get("Content-Type"); ct != ContentType {
		t.Fatalf("Content-Type = %q", ct)
	}
	if w.Body.String() != "# HELP test_total Counter.\n# TYPE test_total counter\ntest_total{x=\"y\"} 1\n" {
		t.Fatalf("body = %q", w.Body.String())
	}
}

func TestProgrammerErrorsPanic(t *testing.T) {
	for name, f := range map[string]func(r *Registry){
		"duplicate":     func(r *Registry) { r.NewCounterVec("a_total", ""); r.NewCounterVec("a_total", "") },
		"bad name":      func(r *Registry) { r.NewCounterVec("1a", "") },
		"bad label":     func(r *Registry) { r.NewCounterVec("a", "", "le") },
		"label count":   func(r *Registry) { r.NewCounterVec("a", "", "x").WithLabelValues() },
		"buckets order": func(r *Registry) { r.NewHistogramVec("h", "", []float64{2, 1}) },
		"bucket clash":  func(r *Registry) { r.NewCounterVec("h_count", ""); r.NewHistogramVec("h", "", nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f(NewRegistry())
		}()
	}
}

// TestRuntimeAndProcess checks the go_* families from the running process
// and the process_* ones from a /proc fixture.
func TestRuntimeAndProcess(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"self/stat": "4242 (off code) S 1 4242 4242 0 -1 4194560 3000 0 0 0 250 50 0 0 20 0 9 0 " +
			"12345 1776070656 8621 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		"stat":             "cpu  1 2 3 4\nbtime 1796000000\nprocesses 9\n",
		"self/limits":      "Limit                     Soft Limit           Hard Limit           Units\nMax address space         unlimited            unlimited            bytes\nMax open files            20000                40000                files\n",
		"self/net/netstat": "TcpExt: A B\nTcpExt: 1 2\nIpExt: InNoRoutes InOctets OutOctets\nIpExt: 0 2949311676 2551916744\n",
		"self/fd/0":        "", "self/fd/1": "", "self/fd/2": "",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := NewRegistry()
	r.RegisterGo()
	r.registerProcess(dir)
	fams := parse(t, r)
	value := func(name string) float64 {
		f := fams[name]
		if f == nil {
			t.Fatalf("no %s", name)
		}
		m := f.GetMetric()[0]
		return m.GetCounter().GetValue() + m.GetGauge().GetValue()
	}
	for name, want := range map[string]float64{
		"process_cpu_seconds_total":            3,
		"process_virtual_memory_bytes":         1776070656,
		"process_resident_memory_bytes":        8621 * float64(os.Getpagesize()),
		"process_start_time_seconds":           1796000000 + 123.45,
		"process_open_fds":                     3,
		"process_max_fds":                      20000,
		"process_virtual_memory_max_bytes":     math.MaxUint64,
		"process_network_receive_bytes_total":  2949311676,
		"process_network_transmit_bytes_total": 2551916744,
		"go_info":                              1,
	} {
		if got := value(name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if value("go_goroutines") < 1 || value("go_memstats_sys_bytes") <= 0 || value("go_sched_gomaxprocs_threads") < 1 {
		t.Errorf("go_* values are not those of a running program")
	}
	if s := fams["go_gc_duration_seconds"]; s.GetType() != dto.MetricType_SUMMARY || len(s.GetMetric()[0].GetSummary().GetQuantile()) != 5 {
		t.Errorf("go_gc_duration_seconds = %v", s)
	}
}

// TestProcessMissing: without /proc (not Linux) there are no process_*
// families, and the scrape still works.
func TestProcessMissing(t *testing.T) {
	r := NewRegistry()
	r.registerProcess(filepath.Join(t.TempDir(), "none"))
	if b := r.WriteText(); len(b) != 0 {
		t.Fatalf("output without /proc = %q", b)
	}
}

func TestHandlerGzip(t *testing.T) {
	r := NewRegistry()
	r.NewCounterVec("test_total", "Counter.", "x").WithLabelValues("y").Inc()
	for _, c := range []struct {
		accept string
		gzip   bool
	}{
		{"", false}, {"gzip", true}, {"deflate, gzip;q=1.0, *;q=0.5", true}, {"GZIP", true},
		{"gzip;q=0", false}, {"gzip; q=0.000", false}, {"gzip;q=0.1", true}, {"identity", false}, {"xgzip", false},
	} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		if c.accept != "" {
			req.Header.Set("Accept-Encoding", c.accept)
		}
		w := httptest.NewRecorder()
		r.Handler().ServeHTTP(w, req)
		body := w.Body.Bytes()
		if got := w.Header().Get("Content-Encoding") == "gzip"; got != c.gzip {
			t.Fatalf("Accept-Encoding %q: gzip = %v, want %v", c.accept, got, c.gzip)
		}
		if c.gzip {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(body, r.WriteText()) {
			t.Fatalf("Accept-Encoding %q: body = %q", c.accept, body)
		}
	}
}

// TestEmptyVecLeftOut: a family with no series yet writes nothing, not a
// HELP and TYPE with no samples.
func TestEmptyVecLeftOut(t *testing.T) {
	r := NewRegistry()
	r.NewCounterVec("test_total", "Counter.", "x")
	r.NewHistogramVec("test_seconds", "Histogram.", []float64{1}, "x")
	if b := r.WriteText(); len(b) != 0 {
		t.Fatalf("output = %q, want nothing", b)
	}
	r.NewGaugeFunc("test_gauge", "Gauge.", func() float64 { return 0 })
	if b := string(r.WriteText()); b != "# HELP test_gauge Gauge.\n# TYPE test_gauge gauge\ntest_gauge 0\n" {
		t.Fatalf("output = %q", b)
	}
}
