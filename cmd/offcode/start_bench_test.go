//go:build unix

package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

var (
	startBase = flag.String("start.base", "", "BenchmarkStartCost: an offcode binary (from another revision) to run interleaved with this tree's")
	startTree = flag.String("start.tree", "", "BenchmarkStartCost: this tree's offcode binary, built beforehand (default: go build on every -count round)")
)

// BenchmarkStartCost is the fixed cost of every offcode process, which
// "offcode scan FILE" pays once per picture: start, package
// initialisation, and the error for an empty file (offcode scan /dev/null).
// It reports the child's user+system CPU ("cpu-ns/op") and minor page
// faults ("faults/op") per run. With -start.base=BINARY every iteration
// runs that binary too, right before this tree's, and adds "base-cpu-ns/op",
// "base-faults/op" and "cpu-ratio" (tree over base); ns/op then covers the
// two runs:
//
//	go test -run '^$' -bench StartCost -count 10 ./cmd/offcode -args \
//	    -start.base=/tmp/offcode-main -start.tree=/tmp/offcode | benchstat -
func BenchmarkStartCost(b *testing.B) {
	tree := *startTree
	if tree == "" {
		tree = filepath.Join(b.TempDir(), "offcode")
		if out, err := exec.Command("go", "build", "-o", tree, ".").CombinedOutput(); err != nil {
			b.Fatalf("go build: %v\n%s", err, out)
		}
	}
	bins := []string{tree}
	if *startBase != "" {
		bins = []string{*startBase, tree}
	}
	cpu := make([]time.Duration, len(bins))
	faults := make([]int64, len(bins))
	for b.Loop() {
		for i, bin := range bins {
			c, f := runScanDevNull(b, bin)
			cpu[i] += c
			faults[i] += f
		}
	}
	t := len(bins) - 1
	b.ReportMetric(float64(cpu[t].Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(faults[t])/float64(b.N), "faults/op")
	if t > 0 {
		b.ReportMetric(float64(cpu[0].Nanoseconds())/float64(b.N), "base-cpu-ns/op")
		b.ReportMetric(float64(faults[0])/float64(b.N), "base-faults/op")
		b.ReportMetric(float64(cpu[t])/float64(cpu[0]), "cpu-ratio")
	}
}

// runScanDevNull runs "BIN scan /dev/null", checks that it fails as it
// should (usage error: an empty file), and returns the child's user+system
// CPU time and minor page faults.
func runScanDevNull(b *testing.B, bin string) (time.Duration, int64) {
	cmd := exec.Command(bin, "scan", os.DevNull)
	var ee *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &ee) || ee.ExitCode() != exitUsage {
		b.Fatalf("%s scan %s = %v, want exit status %d", bin, os.DevNull, err, exitUsage)
	}
	var faults int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		faults = int64(ru.Minflt)
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), faults
}
