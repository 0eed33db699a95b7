package service

import (
	"github.com/offcode/offcode/internal/metrics"
	"github.com/offcode/offcode/internal/store"
)

// serviceMetrics are the service's Prometheus metrics, in a registry of its
// own (no global state). The names and labels are those dashboards use;
// internal/metrics writes them with the go_* and process_* families.
type serviceMetrics struct {
	reg      *metrics.Registry
	requests *metrics.CounterVec   // route, status
	latency  *metrics.HistogramVec // route
	issued   *metrics.CounterVec   // colour, kind
	errors   *metrics.CounterVec   // code
	cache    *metrics.CounterVec   // result: hit, store, new
}

// watchStore adds the audit writer's counters, if st reports them: their
// ratio is the mean number of records per group commit.
func (m *serviceMetrics) watchStore(st store.Store) {
	sr, ok := st.(store.StatsReporter)
	if !ok {
		return
	}
	m.reg.NewCounterFunc("offcode_audit_commits_total", "Audit write transactions (group commits).",
		func() float64 { return float64(sr.Stats().Commits) })
	m.reg.NewCounterFunc("offcode_audit_records_total", "Audit records committed.",
		func() float64 { return float64(sr.Stats().Records) })
}

func newMetrics() *serviceMetrics {
	reg := metrics.NewRegistry()
	reg.RegisterGo()
	reg.RegisterProcess()
	return &serviceMetrics{
		reg: reg,
		requests: reg.NewCounterVec("offcode_http_requests_total",
			"HTTP requests by route and status code.", "route", "status"),
		latency: reg.NewHistogramVec("offcode_http_request_duration_seconds", "HTTP request latency by route.",
			[]float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10}, "route"),
		issued: reg.NewCounterVec("offcode_codes_issued_total",
			"Codes issued and durably audited, by colour and kind.", "colour", "kind"),
		errors: reg.NewCounterVec("offcode_errors_total", "Error responses by error code.", "code"),
		cache: reg.NewCounterVec("offcode_identity_lookups_total",
			"Identity hash lookups by where the hash came from: hit (memory), store, new (Argon2id).", "result"),
	}
}
