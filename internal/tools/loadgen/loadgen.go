// Package loadgen drives POST /v1/codes of an offcode signing service and
// measures codes per second and latency. It is bounded by a request count
// and a duration, and meant for loopback.
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config is one load run.
type Config struct {
	URL         string        // service base URL, such as http://127.0.0.1:8080
	Token       string        // bearer token with scope issue
	Requests    int           // stop after this many requests
	Duration    time.Duration // or after this long
	Concurrency int           // requests in flight
	// People is how many distinct ID numbers the run cycles through,
	// starting at person Offset. With Fresh, every request is a new person
	// never seen before (a random region, birth date and sequence).
	People int
	Offset int
	Fresh  bool
	Seed   uint64 // for Fresh
	Client *http.Client
}

// Result is what a run measured.
type Result struct {
	Requests  int                `json:"requests"`
	OK        int                `json:"ok"`
	Errors    map[string]int     `json:"errors,omitempty"` // by status or transport error
	Elapsed   time.Duration      `json:"elapsed_ns"`
	Rate      float64            `json:"codes_per_second"`
	Latencies map[string]float64 `json:"latency_ms"` // p50, p90, p99, max
}

func (r *Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests, %d codes (201) in %.2fs: %.0f codes/s; latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f",
		r.Requests, r.OK, r.Elapsed.Seconds(), r.Rate, r.Latencies["p50"], r.Latencies["p90"], r.Latencies["p99"], r.Latencies["max"])
	if len(r.Errors) > 0 {
		keys := make([]string, 0, len(r.Errors))
		for k := range r.Errors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("; errors:")
		for _, k := range keys {
			fmt.Fprintf(&b, " %s×%d", k, r.Errors[k])
		}
	}
	return b.String()
}

// ID returns a valid resident ID number for person n (0 <= n < 36,500,000):
// region 110101, a birth date from 1950 on, and a sequence number.
func ID(n int) string {
	day := n / 1000
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day%(365*55))
	return withCheck(fmt.Sprintf("110101%s%03d", birth.Format("20060102"), n%1000))
}

// freshID returns a random valid ID number, born 1950-2004.
func freshID(r *rand.Rand) string {
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365*55))
	return withCheck(fmt.Sprintf("%06d%s%03d", 100000+r.IntN(900000), birth.Format("20060102"), r.IntN(1000)))
}

var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

func withCheck(s string) string {
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// Run runs the load and returns what it measured.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Requests <= 0 || cfg.Duration <= 0 || cfg.Concurrency <= 0 {
		return nil, fmt.Errorf("loadgen: requests, duration and concurrency must be positive")
	}
	if cfg.People <= 0 {
		cfg.People = 1
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{
			Timeout:   30 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Concurrency, MaxConnsPerHost: cfg.Concurrency},
		}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	url := strings.TrimRight(cfg.URL, "/") + "/v1/codes"
	colours := []string{"green", "yellow", "red"}

	var next atomic.Int64
	var mu sync.Mutex
	res := &Result{Errors: map[string]int{}}
	lat := make([]time.Duration, 0, cfg.Requests)
	var wg sync.WaitGroup
	begin := time.Now()
	for w := range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(cfg.Seed, uint64(w)))
			local := make([]time.Duration, 0, cfg.Requests/cfg.Concurrency+1)
			errs := map[string]int{}
			ok := 0
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= cfg.Requests {
					break
				}
				id := ID(cfg.Offset + i%cfg.People)
				if cfg.Fresh {
					id = freshID(rnd)
				}
				body := []byte(`{"id":"` + id + `","colour":"` + colours[i%3] + `"}`)
				req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
				if err != nil {
					errs["request"]++
					continue
				}
				req.Header.Set("Authorization", "Bearer "+cfg.Token)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errs["transport"]++
					}
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				if err != nil {
					errs["transport"]++
					continue
				}
				local = append(local, d)
				if resp.StatusCode == http.StatusCreated {
					ok++
				} else {
					errs[fmt.Sprint(resp.StatusCode)]++
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			res.OK += ok
			for k, v := range errs {
				res.Errors[k] += v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(begin)
	res.Requests = len(lat) + res.Errors["transport"] + res.Errors["request"]
	res.Rate = float64(res.OK) / res.Elapsed.Seconds()
	slices.Sort(lat)
	res.Latencies = map[string]float64{}
	if len(lat) > 0 {
		q := func(p float64) float64 {
			return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
		}
		res.Latencies["p50"], res.Latencies["p90"], res.Latencies["p99"] = q(0.50), q(0.90), q(0.99)
		res.Latencies["max"] = float64(lat[len(lat)-1].Microseconds()) / 1000
	}
	if len(res.Errors) == 0 {
		res.Errors = nil
	}
	return res, nil
}

// JSON returns r as one line of JSON.
func (r *Result) JSON() string {
	b, _ := json.Marshal(r)
	return string(b)
}
