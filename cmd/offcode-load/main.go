// Command offcode-load drives POST /v1/codes of a running offcode service on
// loopback and reports codes per second and latency percentiles. Every code
// it counts was durably audited by the service before the 201 was sent.
//
// Usage:
//
//	offcode-load --url http://127.0.0.1:8080 --token TOKEN [--n 20000] [--duration 30s]
//	             [--concurrency 32] [--people 1000] [--offset 0] [--fresh] [--json]
//
// Re-issues to known people: first run once over the people (--n equal to
// --people) so the service has seen them, then measure. First-time
// identities: --fresh makes every request a person never seen before.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/offcode/offcode/internal/tools/loadgen"
)

func main() {
	var cfg loadgen.Config
	var asJSON bool
	flag.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "service base URL")
	flag.StringVar(&cfg.Token, "token", os.Getenv("OFFCODE_TOKEN"), "bearer token with scope issue (default $OFFCODE_TOKEN)")
	flag.IntVar(&cfg.Requests, "n", 20000, "stop after this many requests")
	flag.DurationVar(&cfg.Duration, "duration", 30*time.Second, "stop after this long")
	flag.IntVar(&cfg.Concurrency, "concurrency", 32, "requests in flight")
	flag.IntVar(&cfg.People, "people", 1000, "distinct people to cycle through")
	flag.IntVar(&cfg.Offset, "offset", 0, "first person number")
	flag.BoolVar(&cfg.Fresh, "fresh", false, "every request is a person never seen before")
	flag.BoolVar(&asJSON, "json", false, "print the result as JSON")
	flag.Parse()
	cfg.Seed = uint64(time.Now().UnixNano())
	if cfg.Token == "" {
		fmt.Fprintln(os.Stderr, "offcode-load: error: no token: pass --token or set OFFCODE_TOKEN")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "offcode-load: error: %v\n", err)
		os.Exit(2)
	}
	if asJSON {
		fmt.Println(res.JSON())
	} else {
		fmt.Println(res)
	}
	if res.OK == 0 {
		os.Exit(1)
	}
}
