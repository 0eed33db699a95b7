// Command bundlegen writes the trust-bundle test vectors (SPEC.md §13.11)
// to a directory, one JSON file per case, and removes any other *.json file
// there, so the directory holds exactly the current set.
//
// Usage:
//
//	go run ./internal/tools/bundlegen -out testvectors/bundles
//
// The output depends only on fixed seeds: running it twice gives identical
// files.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
	"github.com/offcode/offcode/internal/tools/vectordir"
)

func main() {
	out := flag.String("out", "testvectors/bundles", "write the vectors to `dir`")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: bundlegen [-out dir]\n\nWrites the offcode trust-bundle test vectors to dir, one <name>.json per\ncase, and deletes stale *.json files there.\n")
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	files, err := gen.Generate()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bundlegen: error: %v\n", err)
		os.Exit(1)
	}
	n, err := vectordir.Write(*out, files)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bundlegen: error: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("bundlegen: wrote %d vectors to %s\n", n, *out)
}
