package scan_test

import (
	"bufio"
	"flag"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/internal/testkit/degrade"
	"github.com/offcode/offcode/scan"
)

var benchSets = flag.String("sets.dirs", "", "comma-separated directories of pictures with an expected.tsv that BenchmarkSets also scans")

// setPicture is a picture of a set, decoded, and the codes in it.
type setPicture struct {
	img   image.Image
	texts []string
}

// BenchmarkSets scans every picture of whole sets, one op a pass over
// the set: the tuning set (internal/testkit/degrade at -degraded.variants
// images per condition), the committed held-out sets, and the
// directories of -sets.dirs (such as a fresh held-out set of another
// seed). It reports the codes read, so that a change of speed that
// costs reads shows. With -cpuprofile it profiles whole sets, not one
// picture:
//
//	go test -run '^$' -bench Sets -benchtime 1x -cpuprofile cpu.prof ./scan
func BenchmarkSets(b *testing.B) {
	type set struct {
		name string
		load func(testing.TB) []setPicture
	}
	sets := []set{{"tuning", func(tb testing.TB) []setPicture {
		samples, err := degrade.Set(texts(16), *variants)
		if err != nil {
			tb.Fatal(err)
		}
		var out []setPicture
		for _, s := range samples {
			out = append(out, setPicture{s.Image, s.Texts})
		}
		return out
	}}}
	dirs := []string{"testdata/photos", "testdata/print"}
	if *benchSets != "" {
		dirs = append(dirs, strings.Split(*benchSets, ",")...)
	}
	for _, d := range dirs {
		sets = append(sets, set{d, func(tb testing.TB) []setPicture { return readSet(tb, d) }})
	}
	for _, st := range sets {
		name := strings.TrimPrefix(st.name, "testdata/")
		// A set is made or read only if its benchmark runs: -bench
		// 'Sets/set=print' profiles the print set alone.
		b.Run("set="+strings.ReplaceAll(name, "/", "_"), func(b *testing.B) {
			pics := st.load(b)
			b.ResetTimer()
			read := 0
			for b.Loop() {
				read = 0
				for _, p := range pics {
					got, _ := scan.All(p.img)
					for _, t := range p.texts {
						for _, c := range got {
							if c.Text == t {
								read++
								break
							}
						}
					}
				}
			}
			b.ReportMetric(float64(read), "codes")
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(pics)), "ms/picture")
		})
	}
}

// readSet returns the pictures of the set in dir, in the order its
// expected.tsv (file, condition, text) first lists them.
func readSet(tb testing.TB, dir string) []setPicture {
	tb.Helper()
	f, err := os.Open(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var files []string
	byFile := map[string][]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 3 || parts[2] == "" {
			tb.Fatalf("%s/expected.tsv:%d: want file, condition, text", dir, n)
		}
		if _, ok := byFile[parts[0]]; !ok {
			files = append(files, parts[0])
		}
		byFile[parts[0]] = append(byFile[parts[0]], parts[2])
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	var out []setPicture
	for _, name := range files {
		pf, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		img, _, err := image.Decode(pf)
		pf.Close()
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		out = append(out, setPicture{img, byFile[name]})
	}
	if len(out) == 0 {
		tb.Fatalf("%s/expected.tsv lists no pictures", dir)
	}
	return out
}
