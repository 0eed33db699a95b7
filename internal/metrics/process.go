package metrics

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// userHZ is the unit of the CPU times in /proc/PID/stat (USER_HZ, 100 on
// every Linux architecture Go supports; procfs assumes the same).
const userHZ = 100

// procCollector writes the process_* families of client_golang's process
// collector, under the same names, from /proc. Where /proc is missing (not
// Linux) it writes none; a file that cannot be read or parsed at a scrape
// leaves its families out of that scrape.
type procCollector struct {
	proc string // "/proc" in production; a test points it at a fixture
}

// RegisterProcess registers the process_* metrics: CPU time, memory,
// file descriptors, start time and network bytes, read from /proc.
func (r *Registry) RegisterProcess() {
	r.registerProcess("/proc")
}

func (r *Registry) registerProcess(proc string) {
	r.register(procCollector{proc}, "process_cpu_seconds_total", "process_max_fds",
		"process_network_receive_bytes_total", "process_network_transmit_bytes_total",
		"process_open_fds", "process_resident_memory_bytes", "process_start_time_seconds",
		"process_virtual_memory_bytes", "process_virtual_memory_max_bytes")
}

func (p procCollector) collect(add func(family)) {
	if st, err := p.stat(); err == nil {
		add(family{name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.",
			typ: "counter", samples: []sample{{value: st.cpu}}})
		add(gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", st.vsize))
		add(gauge("process_resident_memory_bytes", "Resident memory size in bytes.", st.rss))
		if st.start >= 0 {
			add(gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", st.start))
		}
	}
	if fds, err := os.ReadDir(p.proc + "/self/fd"); err == nil {
		add(gauge("process_open_fds", "Number of open file descriptors.", float64(len(fds))))
	}
	if b, err := os.ReadFile(p.proc + "/self/limits"); err == nil {
		if v, err := limit(b, "Max open files"); err == nil {
			add(gauge("process_max_fds", "Maximum number of open file descriptors.", v))
		}
		if v, err := limit(b, "Max address space"); err == nil {
			add(gauge("process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.", v))
		}
	}
	if b, err := os.ReadFile(p.proc + "/self/net/netstat"); err == nil {
		in, out := netOctets(b)
		add(family{name: "process_network_receive_bytes_total", help: "Number of bytes received by the process over the network.",
			typ: "counter", samples: []sample{{value: in}}})
		add(family{name: "process_network_transmit_bytes_total", help: "Number of bytes sent by the process over the network.",
			typ: "counter", samples: []sample{{value: out}}})
	}
}

// procStat is what the process collector takes from /proc/self/stat.
type procStat struct {
	cpu, vsize, rss float64
	start           float64 // -1 when /proc/stat has no btime
}

func (p procCollector) stat() (procStat, error) {
	b, err := os.ReadFile(p.proc + "/self/stat")
	if err != nil {
		return procStat{}, err
	}
	// The command name (field 2) is in parentheses and may hold spaces:
	// fields 3 on start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, errProcFormat
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 22 { // field 24 (rss) is f[21]
		return procStat{}, errProcFormat
	}
	num := func(k int) (float64, error) { // k: field number in proc(5)
		n, err := strconv.ParseUint(f[k-3], 10, 64)
		return float64(n), err
	}
	var v [5]float64
	for j, k := range []int{14, 15, 22, 23, 24} { // utime, stime, starttime, vsize, rss
		if v[j], err = num(k); err != nil {
			return procStat{}, fmt.Errorf("%w: stat field %d: %v", errProcFormat, k, err)
		}
	}
	st := procStat{cpu: (v[0] + v[1]) / userHZ, vsize: v[3], rss: v[4] * float64(os.Getpagesize()), start: -1}
	if bt, err := p.bootTime(); err == nil {
		st.start = bt + v[2]/userHZ
	}
	return st, nil
}

// bootTime is btime of /proc/stat: the boot time in seconds since the epoch.
func (p procCollector) bootTime() (float64, error) {
	b, err := os.ReadFile(p.proc + "/stat")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "btime "); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(rest), 10, 64)
			return float64(n), err
		}
	}
	return 0, errProcFormat
}

// limit returns the soft limit of a row of /proc/self/limits; "unlimited"
// is the largest uint64, as procfs reports it.
func limit(b []byte, row string) (float64, error) {
	for line := range strings.Lines(string(b)) {
		rest, ok := strings.CutPrefix(line, row)
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0, errProcFormat
		}
		if f[0] == "unlimited" {
			return math.MaxUint64, nil
		}
		n, err := strconv.ParseUint(f[0], 10, 64)
		return float64(n), err
	}
	return 0, errProcFormat
}

// netOctets returns InOctets and OutOctets of the IpExt rows of
// /proc/self/net/netstat (a row of names followed by a row of values);
// 0 for one that is missing.
func netOctets(b []byte) (in, out float64) {
	var names []string
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "IpExt:" {
			continue
		}
		if names == nil {
			names = f
			continue
		}
		for i := 1; i < len(f) && i < len(names); i++ {
			n, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch names[i] {
			case "InOctets":
				in = n
			case "OutOctets":
				out = n
			}
		}
		break
	}
	return in, out
}
