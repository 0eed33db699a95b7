package main

import (
	"crypto/rand"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/testkit/benchcpu"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

// benchRows returns n batch rows (one ID number, colours and kinds in
// turn, a holder line on each).
func benchRows(b *testing.B, n int) []batchRow {
	id, err := identity.ParseID(testcode.IDNumber, testcode.At)
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]batchRow, n)
	for i := range rows {
		rows[i] = batchRow{line: i + 2, id: id, colour: codec.Colour(i % 3), kind: codec.Kind(i % 2), holder: "张*华 **************002X"}
	}
	return rows
}

// BenchmarkBatchRows is offcode batch's second pass, per row: issue the
// code (Argon2id, signature), prepare its card and add it to a streamed
// PDF, with the command's worker pool on every core.
func BenchmarkBatchRows(b *testing.B) {
	rows := benchRows(b, b.N)
	pdf, err := render.NewBatch(io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	e := &env{rand: rand.Reader, stderr: io.Discard}
	p := &batchPrinter{e: e, key: testcode.Key(), at: testcode.At, b: pdf, total: len(rows), start: time.Now(), lastReport: time.Now()}
	b.ResetTimer()
	cpu := benchcpu.Now()
	for _, row := range rows {
		if err := p.add(row); err != nil {
			b.Fatal(err)
		}
	}
	if err := p.flush(); err != nil {
		b.Fatal(err)
	}
	if err := pdf.Close(); err != nil {
		b.Fatal(err)
	}
	benchcpu.Report(b, cpu)
}

// BenchmarkArgon2idRows is the floor of BenchmarkBatchRows: the same rows
// and worker pool doing only the Argon2id hash of the ID number that each
// code carries (identity.HashID), in chunks of batchChunk.
func BenchmarkArgon2idRows(b *testing.B) {
	rows := benchRows(b, b.N)
	b.ResetTimer()
	cpu := benchcpu.Now()
	defer benchcpu.Report(b, cpu)
	for len(rows) > 0 {
		chunk := rows[:min(batchChunk, len(rows))]
		rows = rows[len(chunk):]
		next := make(chan int, len(chunk))
		for i := range chunk {
			next <- i
		}
		close(next)
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), len(chunk)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					var salt [identity.SaltSize]byte
					if _, err := rand.Read(salt[:]); err != nil {
						panic(err)
					}
					_ = identity.HashID(chunk[i].id, salt)
				}
			}()
		}
		wg.Wait()
	}
}
