package metrics

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
)

// A Histogram counts observations in buckets of upper bounds and keeps
// their sum and count.
type Histogram struct {
	bounds []float64 // strictly increasing, without +Inf; shared by a vec

	mu     sync.Mutex
	counts []uint64 // counts[i]: observations in (bounds[i-1], bounds[i]]; the last one above every bound
	sum    float64
	n      uint64
}

// Observe adds one observation. A NaN counts in +Inf only and makes the
// sum NaN, as in Prometheus.
func (h *Histogram) Observe(v float64) {
	i := sort.SearchFloat64s(h.bounds, v) // first bound >= v
	h.mu.Lock()
	h.counts[i]++
	h.sum += v
	h.n++
	h.mu.Unlock()
}

// snapshot returns the cumulative bucket counts, the sum and the count,
// taken together.
func (h *Histogram) snapshot() (cum []uint64, sum float64, n uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cum = make([]uint64, len(h.counts))
	var c uint64
	for i, k := range h.counts {
		c += k
		cum[i] = c
	}
	return cum, h.sum, h.n
}

// A HistogramVec is a family of histograms told apart by label values,
// all with the same buckets.
type HistogramVec struct {
	v      *vec[*Histogram]
	bounds []float64
}

// NewHistogramVec registers a histogram family with the given bucket upper
// bounds (strictly increasing; +Inf is added). Bad buckets or a bad or
// duplicate name are programmer errors and panic.
func (r *Registry) NewHistogramVec(name, help string, buckets []float64, labels ...string) *HistogramVec {
	bounds := slices.Clone(buckets)
	if n := len(bounds); n > 0 && math.IsInf(bounds[n-1], 1) {
		bounds = bounds[:n-1]
	}
	for i, b := range bounds {
		if math.IsNaN(b) || i > 0 && b <= bounds[i-1] {
			panic(fmt.Sprintf("metrics: buckets of %s are not strictly increasing", name))
		}
	}
	mk := func() *Histogram { return &Histogram{bounds: bounds, counts: make([]uint64, len(bounds)+1)} }
	hv := &HistogramVec{v: newVec(name, help, labels, mk), bounds: bounds}
	r.register(hv, name+"_bucket", name+"_sum", name+"_count", name)
	return hv
}

// WithLabelValues returns the histogram for the label values, in the order
// of the labels given to NewHistogramVec. It panics if their number is
// wrong.
func (hv *HistogramVec) WithLabelValues(values ...string) *Histogram {
	return hv.v.with(values)
}

func (hv *HistogramVec) collect(add func(family)) {
	f := family{name: hv.v.name, help: hv.v.help, typ: "histogram"}
	for _, s := range hv.v.sorted() {
		cum, sum, n := s.m.snapshot()
		ls := hv.v.labelsOf(s.values)
		for i, c := range cum {
			le := math.Inf(1)
			if i < len(hv.bounds) {
				le = hv.bounds[i]
			}
			bl := append(slices.Clip(ls), label{"le", formatFloat(le)})
			f.samples = append(f.samples, sample{suffix: "_bucket", labels: bl, value: float64(c)})
		}
		f.samples = append(f.samples,
			sample{suffix: "_sum", labels: ls, value: sum},
			sample{suffix: "_count", labels: ls, value: float64(n)})
	}
	add(f)
}
