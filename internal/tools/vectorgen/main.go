// Command vectorgen writes the offcode conformance test vectors
// (SPEC.md §10) to a directory, one JSON file per case, and removes any
// other *.json file there, so the directory holds exactly the current set.
//
// Usage:
//
//	go run ./internal/tools/vectorgen -out testvectors
//
// or, equivalently, go generate ./testvectors. The output depends only on
// fixed seeds: running it twice gives identical files.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/offcode/offcode/internal/tools/vectorgen/gen"
)

func main() {
	out := flag.String("out", "testvectors", "write the vectors to `dir`")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: vectorgen [-out dir]\n\nWrites the offcode test vectors to dir, one <name>.json per case, and\ndeletes stale *.json files there.\n")
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	n, err := gen.WriteDir(*out)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vectorgen: error: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("vectorgen: wrote %d vectors to %s\n", n, *out)
}
