package metrics

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// A Counter counts events; it only goes up.
type Counter struct {
	n atomic.Uint64
}

// Inc adds one.
func (c *Counter) Inc() { c.n.Add(1) }

// Add adds n.
func (c *Counter) Add(n uint64) { c.n.Add(n) }

// Value returns the count.
func (c *Counter) Value() uint64 { return c.n.Load() }

// vec holds the series of a family with labels, keyed by their label
// values; T is *Counter or *Histogram.
type vec[T any] struct {
	name, help string
	labels     []string
	make       func() T

	mu     sync.RWMutex
	series map[string]*series[T]
}

type series[T any] struct {
	values []string
	m      T
}

func newVec[T any](name, help string, labels []string, mk func() T) *vec[T] {
	for _, l := range labels {
		if !validName(l) || strings.HasPrefix(l, "__") || l == "le" || strings.Contains(l, ":") {
			panic(fmt.Sprintf("metrics: invalid label name %q for %s", l, name))
		}
	}
	return &vec[T]{name: name, help: help, labels: slices.Clone(labels), make: mk, series: map[string]*series[T]{}}
}

// with returns the series for the label values, made on first use. A
// wrong number of values is a programmer error and panics.
func (v *vec[T]) with(values []string) T {
	if len(values) != len(v.labels) {
		panic(fmt.Sprintf("metrics: %s has %d labels, got %d values", v.name, len(v.labels), len(values)))
	}
	key := strings.Join(values, "\xff")
	v.mu.RLock()
	s, ok := v.series[key]
	v.mu.RUnlock()
	if ok {
		return s.m
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.series[key]; ok {
		return s.m
	}
	s = &series[T]{values: slices.Clone(values), m: v.make()}
	v.series[key] = s
	return s.m
}

// sorted returns the series sorted by label values.
func (v *vec[T]) sorted() []*series[T] {
	v.mu.RLock()
	all := make([]*series[T], 0, len(v.series))
	for _, s := range v.series {
		all = append(all, s)
	}
	v.mu.RUnlock()
	slices.SortFunc(all, func(a, b *series[T]) int { return slices.Compare(a.values, b.values) })
	return all
}

// labelsOf pairs the vec's label names with a series' values.
func (v *vec[T]) labelsOf(values []string) []label {
	ls := make([]label, len(values))
	for i := range values {
		ls[i] = label{v.labels[i], values[i]}
	}
	return ls
}

// A CounterVec is a family of counters told apart by label values.
type CounterVec struct {
	v *vec[*Counter]
}

// NewCounterVec registers a counter family. Names follow the Prometheus
// rules; a bad or duplicate name is a programmer error and panics.
func (r *Registry) NewCounterVec(name, help string, labels ...string) *CounterVec {
	cv := &CounterVec{newVec(name, help, labels, func() *Counter { return new(Counter) })}
	r.register(cv, name)
	return cv
}

// WithLabelValues returns the counter for the label values, in the order
// of the labels given to NewCounterVec. It panics if their number is
// wrong.
func (cv *CounterVec) WithLabelValues(values ...string) *Counter {
	return cv.v.with(values)
}

func (cv *CounterVec) collect(add func(family)) {
	f := family{name: cv.v.name, help: cv.v.help, typ: "counter"}
	for _, s := range cv.v.sorted() {
		f.samples = append(f.samples, sample{labels: cv.v.labelsOf(s.values), value: float64(s.m.Value())})
	}
	add(f)
}

// funcMetric is a counter or gauge read from a function at each scrape.
type funcMetric struct {
	name, help, typ string
	f               func() float64
}

func (m *funcMetric) collect(add func(family)) {
	add(family{name: m.name, help: m.help, typ: m.typ, samples: []sample{{value: m.f()}}})
}

// NewCounterFunc registers a counter with no labels whose value f returns
// at each scrape. f must be safe for concurrent use.
func (r *Registry) NewCounterFunc(name, help string, f func() float64) {
	r.register(&funcMetric{name, help, "counter", f}, name)
}

// NewGaugeFunc registers a gauge with no labels whose value f returns at
// each scrape. f must be safe for concurrent use.
func (r *Registry) NewGaugeFunc(name, help string, f func() float64) {
	r.register(&funcMetric{name, help, "gauge", f}, name)
}
