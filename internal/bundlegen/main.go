// Command bundlegen writes the trust-bundle test vectors (SPEC.md §13.11)
// to a directory, one JSON file per case, and removes any other *.json file
// there, so the directory holds exactly the current set.
//
// Usage:
//
//	go run ./internal/bundlegen -out testvectors/bundles
//
// The output depends only on fixed seeds: running it twice gives identical
// files.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/offcode/offcode/internal/bundlegen/gen"
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
	n, err := write(*out)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bundlegen: error: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("bundlegen: wrote %d vectors to %s\n", n, *out)
}

func write(dir string) (int, error) {
	files, err := gen.Generate()
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return 0, err
	}
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep {
			if err := os.Remove(p); err != nil {
				return 0, fmt.Errorf("removing stale vector: %w", err)
			}
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}
