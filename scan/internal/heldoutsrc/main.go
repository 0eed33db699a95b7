// Command heldoutsrc writes the clean sources of the held-out scan sets
// (scripts/heldout-set.sh distorts them): symbol PNGs of offline codes, A4
// sheets and batch pages as PDF, and codes.tsv naming the code in each
// source. It shares no code with internal/testkit/degrade, which makes the tuning
// set; the codes are testcode codes numbered from 1000 (from 1000 + 200 ×
// (SEED-1) for another seed), never in the tuning set.
//
//	go run ./scan/internal/heldoutsrc DIR [SEED]
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

const (
	symbols = 64 // symbol PNGs for the photo set
	sheets  = 6  // single-code A4 sheets
	batches = 2  // batch documents of one full page each
	first   = 1000
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: heldoutsrc DIR [SEED]")
		os.Exit(2)
	}
	seed := 1
	if len(os.Args) == 3 {
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n < 1 || n > 1000 {
			fmt.Fprintln(os.Stderr, "heldoutsrc: SEED must be a number from 1 to 1000")
			os.Exit(2)
		}
		seed = n
	}
	if err := run(os.Args[1], first+200*(seed-1)); err != nil {
		fmt.Fprintln(os.Stderr, "heldoutsrc:", err)
		os.Exit(1)
	}
}

func run(dir string, first int) error {
	code := func(i int) string {
		return testcode.Issue(first+i, codec.Colour(i%3), codec.Kind(i/3%2))
	}
	var manifest strings.Builder
	k := 0
	for i := 0; i < symbols; i++ {
		text := code(k)
		k++
		q, err := render.NewQR(text, render.LevelQ)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("sym%02d.png", i)
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		err = q.WritePNG(f, 12)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(&manifest, "%s\t%s\n", name, text)
	}
	for i := 0; i < sheets; i++ {
		text := code(k)
		k++
		name := fmt.Sprintf("sheet%d.pdf", i)
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		err = render.WriteSheet(f, text, &render.Options{Holder: "张*华 **************002X"})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(&manifest, "%s\t%s\n", name, text)
	}
	for i := 0; i < batches; i++ {
		name := fmt.Sprintf("batch%d.pdf", i)
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		b, err := render.NewBatch(f)
		if err != nil {
			f.Close()
			return err
		}
		for j := 0; j < cardsPerPage; j++ {
			text := code(k)
			k++
			c, err := render.NewCard(text, &render.Options{Holder: "李*明 **************123X"})
			if err == nil {
				err = b.Add(c)
			}
			if err != nil {
				f.Close()
				return err
			}
			fmt.Fprintf(&manifest, "%s\t%s\n", name, text)
		}
		err = b.Close()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "codes.tsv"), []byte(manifest.String()), 0o644)
}

// cardsPerPage is the number of cards on a page of a render.Batch (two
// columns, four rows): each batch file is one full page.
const cardsPerPage = 8
