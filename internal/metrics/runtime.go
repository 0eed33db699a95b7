package metrics

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

// goCollector writes the go_* families of client_golang's Go collector,
// under the same names, from runtime.ReadMemStats and debug.ReadGCStats
// (runtime/metrics is left out: its package initialisation alone costs
// more than this whole package).
type goCollector struct{}

// RegisterGo registers the go_* metrics of the Go runtime: goroutines,
// threads, memory statistics, garbage collection pauses and settings.
func (r *Registry) RegisterGo() {
	names := []string{"go_gc_duration_seconds", "go_gc_gogc_percent", "go_gc_gomemlimit_bytes",
		"go_goroutines", "go_info", "go_sched_gomaxprocs_threads", "go_threads"}
	for _, m := range memStats {
		names = append(names, m.name)
	}
	r.register(goCollector{}, names...)
}

// memStat is one go_memstats_* family.
type memStat struct {
	name, help, typ string
	v               func(*runtime.MemStats) float64
}

var memStats = [...]memStat{
	{"go_memstats_alloc_bytes", "Number of bytes allocated in heap and currently in use.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.Alloc) }},
	{"go_memstats_alloc_bytes_total", "Total number of bytes allocated in heap until now, even if released already.", "counter", func(m *runtime.MemStats) float64 { return float64(m.TotalAlloc) }},
	{"go_memstats_buck_hash_sys_bytes", "Number of bytes used by the profiling bucket hash table.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.BuckHashSys) }},
	{"go_memstats_frees_total", "Total number of heap objects frees.", "counter", func(m *runtime.MemStats) float64 { return float64(m.Frees) }},
	{"go_memstats_gc_sys_bytes", "Number of bytes used for garbage collection system metadata.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.GCSys) }},
	{"go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and currently in use, same as go_memstats_alloc_bytes.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.HeapAlloc) }},
	{"go_memstats_heap_idle_bytes", "Number of heap bytes waiting to be used.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.HeapIdle) }},
	{"go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.HeapInuse) }},
	{"go_memstats_heap_objects", "Number of currently allocated objects.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.HeapObjects) }},
	{"go_memstats_heap_released_bytes", "Number of heap bytes released to OS.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.HeapReleased) }},
	{"go_memstats_heap_sys_bytes", "Number of heap bytes obtained from system.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.HeapSys) }},
	{"go_memstats_last_gc_time_seconds", "Number of seconds since 1970 of last garbage collection.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.LastGC) / 1e9 }},
	{"go_memstats_mallocs_total", "Total number of heap objects allocated, both live and gc-ed.", "counter", func(m *runtime.MemStats) float64 { return float64(m.Mallocs) }},
	{"go_memstats_mcache_inuse_bytes", "Number of bytes in use by mcache structures.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.MCacheInuse) }},
	{"go_memstats_mcache_sys_bytes", "Number of bytes used for mcache structures obtained from system.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.MCacheSys) }},
	{"go_memstats_mspan_inuse_bytes", "Number of bytes in use by mspan structures.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.MSpanInuse) }},
	{"go_memstats_mspan_sys_bytes", "Number of bytes used for mspan structures obtained from system.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.MSpanSys) }},
	{"go_memstats_next_gc_bytes", "Number of heap bytes when next garbage collection will take place.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.NextGC) }},
	{"go_memstats_other_sys_bytes", "Number of bytes used for other system allocations.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.OtherSys) }},
	{"go_memstats_stack_inuse_bytes", "Number of bytes obtained from system for stack allocator.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.StackInuse) }},
	{"go_memstats_stack_sys_bytes", "Number of bytes obtained from system for stack allocator.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.StackSys) }},
	{"go_memstats_sys_bytes", "Number of bytes obtained from system.", "gauge", func(m *runtime.MemStats) float64 { return float64(m.Sys) }},
}

func gauge(name, help string, v float64, ls ...label) family {
	return family{name: name, help: help, typ: "gauge", samples: []sample{{labels: ls, value: v}}}
}

func (goCollector) collect(add func(family)) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for _, m := range memStats {
		add(family{name: m.name, help: m.help, typ: m.typ, samples: []sample{{value: m.v(&ms)}}})
	}
	add(gcPauses())
	threads, _ := runtime.ThreadCreateProfile(nil)
	add(gauge("go_goroutines", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine())))
	add(gauge("go_threads", "Number of OS threads created.", float64(threads)))
	add(gauge("go_info", "Information about the Go environment.", 1, label{"version", runtime.Version()}))
	add(gauge("go_sched_gomaxprocs_threads", "The current runtime.GOMAXPROCS setting.", float64(runtime.GOMAXPROCS(0))))
	add(gauge("go_gc_gomemlimit_bytes", "Go runtime memory limit configured by the user, otherwise math.MaxInt64.",
		float64(debug.SetMemoryLimit(-1)))) // a negative limit reads it without changing it
	add(gauge("go_gc_gogc_percent", "Heap size target percentage configured by the GOGC environment variable, otherwise 100.",
		gogcPercent(os.Getenv("GOGC"))))
}

// gcPauses is the summary of garbage collection pauses: quantiles 0, 0.25,
// 0.5, 0.75 and 1 over the pauses the runtime keeps, with the total pause
// time and the number of collections.
func gcPauses() family {
	st := debug.GCStats{PauseQuantiles: make([]time.Duration, 5)}
	debug.ReadGCStats(&st)
	f := family{name: "go_gc_duration_seconds", typ: "summary",
		help: "A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles."}
	for i, q := range []string{"0", "0.25", "0.5", "0.75", "1"} {
		v := math.NaN()
		if st.NumGC > 0 {
			v = st.PauseQuantiles[i].Seconds()
		}
		f.samples = append(f.samples, sample{labels: []label{{"quantile", q}}, value: v})
	}
	f.samples = append(f.samples,
		sample{suffix: "_sum", value: st.PauseTotal.Seconds()},
		sample{suffix: "_count", value: float64(st.NumGC)})
	return f
}

// gogcPercent is the GOGC setting as the runtime reads it: "off" is -1, an
// unset or unreadable value 100. offcode never calls debug.SetGCPercent,
// so this is the value in use.
func gogcPercent(s string) float64 {
	if s == "off" {
		return -1
	}
	if n, err := strconv.Atoi(s); err == nil {
		return float64(n)
	}
	return 100
}
