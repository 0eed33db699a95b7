package jpegluma

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/offcode/offcode/internal/testkit/benchcpu"
)

// BenchmarkDecode decodes every picture of a held-out set of the scanner
// (one op: the whole set) with Decode and with image/jpeg, for benchstat
// to compare: go test -bench Decode -count 6 | benchstat -col /dec -.
func BenchmarkDecode(b *testing.B) {
	for _, set := range []string{"photos", "print"} {
		files, _ := filepath.Glob(filepath.Join("../../../scan/testdata", set, "*.jpg"))
		if len(files) == 0 {
			b.Fatalf("no pictures in the %s set", set)
		}
		var data [][]byte
		for _, f := range files {
			d, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			data = append(data, d)
		}
		b.Run("set="+set+"/dec=jpegluma", func(b *testing.B) {
			start := benchcpu.Now()
			for b.Loop() {
				for _, d := range data {
					if _, err := Decode(d, 25_000_000); err != nil {
						b.Fatal(err)
					}
				}
			}
			benchcpu.Report(b, start)
		})
		b.Run("set="+set+"/dec=image-jpeg", func(b *testing.B) {
			start := benchcpu.Now()
			for b.Loop() {
				for _, d := range data {
					if _, err := jpeg.Decode(bytes.NewReader(d)); err != nil {
						b.Fatal(err)
					}
				}
			}
			benchcpu.Report(b, start)
		})
	}
}

// BenchmarkIDCT is the inverse DCT of one block with every coefficient
// non-zero, the slowest case.
func BenchmarkIDCT(b *testing.B) {
	var blk [64]int32
	for i := range blk {
		blk[i] = int32(i*37%41) - 20
	}
	dst := make([]byte, 64*8)
	for b.Loop() {
		idct(&blk, dst, 64, 0xff)
	}
}
