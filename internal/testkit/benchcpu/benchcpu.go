// Package benchcpu reports the CPU time a benchmark used per operation, as
// the metric "cpu-ns/op". Unlike ns/op it leaves out time spent waiting for
// a core, which on a shared machine is most of the noise (BENCHMARKS.md).
package benchcpu

import (
	"testing"
	"time"
)

// Report reports the process CPU time per operation since start, a value
// from Now, as "cpu-ns/op". Where Now is not supported it reports nothing.
func Report(b *testing.B, start time.Duration) {
	if now := Now(); now > 0 {
		b.ReportMetric(float64(now-start)/float64(b.N), "cpu-ns/op")
	}
}
