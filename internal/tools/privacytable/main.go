// Command privacytable measures the identity hash rate of this machine and
// prints the privacy table of SPEC.md §5.4: for each kind of attacker, how
// many ID numbers they must try per code, how many equally good candidates
// the 20-bit digest leaves them, and how long the search takes.
//
// Usage:
//
//	go run ./internal/tools/privacytable [-time 3s] [-bits 20]
//
// The hash rate is measured, never assumed: one goroutine hashing for -time
// (one core), then one goroutine per CPU for -time (the whole machine). The
// GPU column uses the estimate of 3×10^4 Argon2id evaluations a second
// (t = 2, m = 4 MiB) for one GPU, from issue 10; it is labelled an estimate.
// The sizes of the ID space come from SPEC.md §5.1 and §5.4.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

// The ID space (SPEC.md §5.1, §5.4).
const (
	addressCodes  = 3500   // GB/T 2260 county-level codes in use, about
	cityDistricts = 13     // address codes of one city (Xi'an: 13 districts and counties)
	daysPerYear   = 365.25 //
	years         = 100    // birth years an attacker considers
	kinChildYears = 17     // ages 0-16: a kinship code for a child (SPEC.md §4.2)
	sequenceCodes = 1000   // positions 15-17; the check character follows
	gpuRate       = 3e4    // Argon2id (t=2, 4 MiB) per second on one GPU: an estimate
)

type row struct {
	knows   string
	guesses float64
}

func rows() []row {
	return []row{
		{"region + birth date (a neighbour, a colleague)", sequenceCodes},
		{"city + birth date", cityDistricts * sequenceCodes},
		{"city + birth year", cityDistricts * daysPerYear * sequenceCodes},
		{"city + kinship code of a child (age 0-16)", cityDistricts * kinChildYears * daysPerYear * sequenceCodes},
		{"city only (kid names the issuer)", cityDistricts * years * daysPerYear * sequenceCodes},
		{"nothing", addressCodes * years * daysPerYear * sequenceCodes},
	}
}

func main() {
	dur := flag.Duration("time", 3*time.Second, "measure each hash rate for `d`")
	bits := flag.Int("bits", format.SumBits, "digest length in bits for the table")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: privacytable [-time d] [-bits n]\n\nMeasures the Argon2id rate of the identity hash (SPEC.md §5.2) and prints\nthe privacy table of SPEC.md §5.4.\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 || *bits < 1 || *bits > 128 || *dur <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		// Other work on the machine lowers the rates; say how busy it was.
		fmt.Printf("load average before measuring: %s\n", strings.Join(strings.Fields(string(b))[:3], " "))
	}
	one := rate(1, *dur)
	all := rate(runtime.NumCPU(), *dur)
	fmt.Printf("Argon2id t=%d m=%d KiB p=%d, %d-byte output (SPEC.md §5.2), measured for %v each:\n",
		format.Argon2Time, format.Argon2MemoryK, format.Argon2Threads, format.Argon2Output, *dur)
	fmt.Printf("  one core:          %.0f hashes/s (%.2f ms each)\n", one, 1000/one)
	fmt.Printf("  this machine (%d): %.0f hashes/s\n", runtime.NumCPU(), all)
	fmt.Printf("  one GPU:           %.0f hashes/s (estimate, not measured)\n\n", gpuRate)

	fmt.Println("Digest length: a stranger's card matches with probability 2^-b; an attacker who knows")
	fmt.Println("only the city keeps guesses/2^b equally good candidates per code.")
	fmt.Println()
	fmt.Println("| bits | false match | candidates left, city only |")
	fmt.Println("|---|---|---|")
	cityOnly := rows()[4].guesses
	for b := 16; b <= 24; b++ {
		fmt.Printf("| %d | 1 in %s | %s |\n", b, count(math.Exp2(float64(b))), count(candidates(cityOnly, b)))
	}
	fmt.Println()
	fmt.Printf("With a %d-bit digest (false match 1 in %s):\n\n", *bits, count(math.Exp2(float64(*bits))))
	fmt.Println("| attacker knows | guesses per code | candidates left | one core | this machine | one GPU (estimate) |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, r := range rows() {
		fmt.Printf("| %s | %s | %s | %s | %s | %s |\n", r.knows, count(r.guesses), count(candidates(r.guesses, *bits)),
			span(r.guesses/one), span(r.guesses/all), span(r.guesses/gpuRate))
	}
}

// candidates is the expected number of ID numbers among guesses whose
// digest equals the code's: the holder's, and each other one with
// probability 2^-bits.
func candidates(guesses float64, bits int) float64 { return 1 + (guesses-1)/math.Exp2(float64(bits)) }

// rate measures identity hashes per second with n goroutines hashing for d.
func rate(n int, d time.Duration) float64 {
	var done atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	for g := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := []byte(fmt.Sprintf("11010519850307%03d0", g))
			salt := make([]byte, identity.SaltSize)
			for {
				select {
				case <-stop:
					return
				default:
				}
				argon2.IDKey(id, salt, format.Argon2Time, format.Argon2MemoryK, format.Argon2Threads, format.Argon2Output)
				done.Add(1)
			}
		}()
	}
	time.Sleep(d)
	close(stop)
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds()
}

// count writes n with three significant digits: 1,000, 4.75×10^6.
func count(n float64) string {
	if n < 10 {
		return fmt.Sprintf("%.1f", n)
	}
	if n < 1e5 {
		s := fmt.Sprintf("%.0f", n)
		if len(s) > 3 {
			s = s[:len(s)-3] + "," + s[len(s)-3:]
		}
		return s
	}
	e := math.Floor(math.Log10(n))
	return fmt.Sprintf("%.2f×10^%d", n/math.Pow(10, e), int(e))
}

// span writes a duration in seconds in the largest sensible unit.
func span(s float64) string {
	units := []struct {
		name string
		secs float64
	}{{"years", 365.25 * 86400}, {"days", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}}
	for _, u := range units {
		if s >= u.secs*1.5 || u.name == "s" {
			v := s / u.secs
			if v >= 100 {
				return count(v) + " " + u.name
			}
			if v < 0.1 {
				return "instant"
			}
			return fmt.Sprintf("%.1f %s", v, u.name)
		}
	}
	return ""
}
