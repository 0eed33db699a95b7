package service

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/offcode/offcode/internal/store"
)

// metrics are the service's Prometheus metrics, in a registry of its own
// (no global state).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec   // route, status
	latency  *prometheus.HistogramVec // route
	issued   *prometheus.CounterVec   // colour, kind
	errors   *prometheus.CounterVec   // code
	cache    *prometheus.CounterVec   // result: hit, store, new
}

// watchStore adds the audit writer's counters, if st reports them: their
// ratio is the mean number of records per group commit.
func (m *metrics) watchStore(st store.Store) {
	sr, ok := st.(store.StatsReporter)
	if !ok {
		return
	}
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "offcode_audit_commits_total",
			Help: "Audit write transactions (group commits).",
		}, func() float64 { return float64(sr.Stats().Commits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "offcode_audit_records_total",
			Help: "Audit records committed.",
		}, func() float64 { return float64(sr.Stats().Records) }),
	)
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "offcode_http_requests_total",
			Help: "HTTP requests by route and status code.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "offcode_http_request_duration_seconds",
			Help:    "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		issued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "offcode_codes_issued_total",
			Help: "Codes issued and durably audited, by colour and kind.",
		}, []string{"colour", "kind"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "offcode_errors_total",
			Help: "Error responses by error code.",
		}, []string{"code"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "offcode_identity_lookups_total",
			Help: "Identity hash lookups by where the hash came from: hit (memory), store, new (Argon2id).",
		}, []string{"result"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.issued, m.errors, m.cache,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
