// Package metrics keeps a service's counters and histograms and writes
// them in the Prometheus text exposition format, version 0.0.4: what
// /metrics of offcode serve needs and nothing more.
//
// It replaces github.com/prometheus/client_golang, whose package
// initialisation (with procfs, protobuf, expvar and runtime/metrics) cost
// every run of the one offcode binary about 1.3 ms of start-up, scan of a
// single picture included. Everything here is built when a Registry is
// made; the package has no init work and no global state.
//
// Every type is safe for concurrent use.
package metrics

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ContentType is the media type of the text exposition format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// A Registry holds metric families and writes them, sorted by name.
type Registry struct {
	mu         sync.Mutex
	names      map[string]bool
	collectors []collector
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{names: map[string]bool{}}
}

// family is one metric family as written: name, help, type and samples.
type family struct {
	name, help, typ string
	samples         []sample
}

// sample is one line of a family: the name suffix (such as "_bucket"),
// its labels in order and the value.
type sample struct {
	suffix string
	labels []label
	value  float64
}

type label struct{ name, value string }

// collector adds the families it holds, at the time of the call, to a
// scrape.
type collector interface {
	collect(add func(family))
}

// register adds c under the family names it writes. A name registered
// twice, or one that is not a valid metric name, is a programmer error and
// panics.
func (r *Registry) register(c collector, names ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		if !validName(n) {
			panic(fmt.Sprintf("metrics: invalid metric name %q", n))
		}
		if r.names[n] {
			panic(fmt.Sprintf("metrics: metric %s registered twice", n))
		}
		r.names[n] = true
	}
	r.collectors = append(r.collectors, c)
}

// validName reports whether s is a metric or label name of the 0.0.4
// format: [a-zA-Z_:][a-zA-Z0-9_:]* (labels do not use ':', and callers
// here never do).
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c == '_' || c == ':' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9'
		if !ok {
			return false
		}
	}
	return true
}

// WriteText returns every family in the text exposition format, sorted by
// family name, the samples of a family sorted by label values.
func (r *Registry) WriteText() []byte {
	r.mu.Lock()
	cs := slices.Clone(r.collectors)
	r.mu.Unlock()
	var fams []family
	for _, c := range cs {
		c.collect(func(f family) { fams = append(fams, f) })
	}
	slices.SortFunc(fams, func(a, b family) int { return strings.Compare(a.name, b.name) })
	var b bytes.Buffer
	for _, f := range fams {
		if len(f.samples) > 0 { // a vec with no series yet is left out, as client_golang does
			writeFamily(&b, f)
		}
	}
	return b.Bytes()
}

// Handler serves WriteText, gzip-compressed when the request accepts it
// (Prometheus asks for gzip), as client_golang's promhttp does.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body := r.WriteText()
		h := w.Header()
		h.Set("Content-Type", ContentType)
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(req.Header.Values("Accept-Encoding")) {
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write(body) // a bytes.Buffer does not fail
			zw.Close()
			body = z.Bytes()
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
}

// acceptsGzip reports whether Accept-Encoding values list gzip with a
// quality above zero.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			q, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(params)), "q=")
			if !ok {
				return true
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
			return err == nil && f > 0
		}
	}
	return false
}

func writeFamily(b *bytes.Buffer, f family) {
	b.WriteString("# HELP ")
	b.WriteString(f.name)
	b.WriteByte(' ')
	escape(b, f.help, false)
	b.WriteString("\n# TYPE ")
	b.WriteString(f.name)
	b.WriteByte(' ')
	b.WriteString(f.typ)
	b.WriteByte('\n')
	for _, s := range f.samples {
		b.WriteString(f.name)
		b.WriteString(s.suffix)
		if len(s.labels) > 0 {
			b.WriteByte('{')
			for i, l := range s.labels {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(l.name)
				b.WriteString(`="`)
				escape(b, l.value, true)
				b.WriteByte('"')
			}
			b.WriteByte('}')
		}
		b.WriteByte(' ')
		b.WriteString(formatFloat(s.value))
		b.WriteByte('\n')
	}
}

// escape writes s with the escapes of the format: in HELP text a backslash
// and a line feed, in a label value the double quote too.
func escape(b *bytes.Buffer, s string, quote bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '"' && quote:
			b.WriteString(`\"`)
		default:
			b.WriteByte(c)
		}
	}
}

// formatFloat writes a value as Prometheus does: +Inf, -Inf, NaN, or the
// shortest representation that reads back to the same float64.
func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
