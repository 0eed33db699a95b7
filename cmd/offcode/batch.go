package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/sign"
)

const batchUsage = `Issue a code for every row of a CSV file and print them all into one PDF.

Usage:
    offcode batch --key FILE --in people.csv --out sheets.pdf
                  [--skip-bad] [--at TIME] [--level L|M|Q|H]

The CSV file has a header row naming its columns, in any order:
    id       18-character resident ID number (required)
    colour   green, yellow or red (required; also "color")
    kind     personal or kin (optional column; empty means personal)
    holder   a line printed under the code, such as a masked name and ID
             number, e.g. 张*华 **************123X (optional column; not
             signed, and the card says so; GB 2312 characters only)

The PDF has eight cards to an A4 page, two columns by four rows, each
105 × 74.25 mm, separated by dashed cut lines: the QR code (46 mm), the
colour as a band, a shape and a word, the kind, the issue time and
valid-until time in Beijing time, the holder line, key ID and serial.

Every row is checked first. Bad rows are reported with their line numbers,
and no PDF is written unless --skip-bad is given, in which case the bad rows
are listed ("offcode: batch: skipped row FILE:LINE: …") and the rest
printed. The PDF is written as it goes, so memory stays flat however many
rows there are; progress goes to stderr.

Options:
    --key FILE      issuer private key (mode 0600)
    --in FILE       the CSV file
    --out FILE      the PDF to write (replaced if it exists)
    --skip-bad      print the good rows even if some rows are bad
    --at TIME       issue time of every code, RFC 3339 (default: now)
    --level L       QR error correction level (default Q)

Examples:
    $ cat people.csv
    id,colour,kind,holder
    11010519491231002X,green,kin,张*华 **************002X
    $ offcode batch --key issuer.pem --in people.csv --out sheets.pdf
    offcode: batch: 1/1 codes (…/s)
    offcode: batch: wrote 1 code on 1 page to sheets.pdf in …
`

// batchRow is one good CSV row.
type batchRow struct {
	line   int
	id     identity.ID
	colour codec.Colour
	kind   codec.Kind
	holder string
}

// csvColumns reads the header and returns the index of each column.
func csvColumns(r *csv.Reader) (map[string]int, error) {
	head, err := r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("the file is empty: want a header row id,colour,kind,holder")
		}
		return nil, err
	}
	cols := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if h == "color" {
			h = "colour"
		}
		switch h {
		case "id", "colour", "kind", "holder":
		default:
			return nil, fmt.Errorf("line 1: unknown column %q: want id, colour, kind, holder", h)
		}
		if _, dup := cols[h]; dup {
			return nil, fmt.Errorf("line 1: column %q twice", h)
		}
		cols[h] = i
	}
	for _, need := range []string{"id", "colour"} {
		if _, ok := cols[need]; !ok {
			return nil, fmt.Errorf("line 1: no %q column: want a header row id,colour,kind,holder", need)
		}
	}
	return cols, nil
}

// parseRow checks one record.
func parseRow(cols map[string]int, rec []string, at time.Time) (batchRow, error) {
	get := func(c string) string {
		if i, ok := cols[c]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var row batchRow
	var err error
	if row.id, err = identity.ParseID(get("id"), at); err != nil {
		return row, fmt.Errorf("invalid id: %s", strings.TrimPrefix(detail(err), "identity: "))
	}
	if row.colour, err = codec.ParseColour(strings.ToLower(get("colour"))); err != nil {
		return row, fmt.Errorf("invalid colour %q: want green, yellow or red", get("colour"))
	}
	if k := strings.ToLower(get("kind")); k != "" {
		if row.kind, err = codec.ParseKind(k); err != nil {
			return row, fmt.Errorf("invalid kind %q: want personal or kin", get("kind"))
		}
	}
	row.holder = get("holder")
	if err := render.CheckHolder(row.holder); err != nil {
		return row, fmt.Errorf("holder: %s", detailRender(err))
	}
	return row, nil
}

// eachRow reads the CSV file and calls f for every record after the header,
// with its line number and parsed row or error. A malformed file (not a
// row error) is returned.
func eachRow(path string, at time.Time, f func(line int, row batchRow, err error) error) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	r := csv.NewReader(bufio.NewReaderSize(file, 64<<10))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	cols, err := csvColumns(r)
	if err != nil {
		return err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("line %d: %v", pe.Line, pe.Err)
		}
		if err != nil {
			return err
		}
		line, _ := r.FieldPos(0)
		var row batchRow
		if len(rec) != len(cols) {
			err = fmt.Errorf("%d fields, want %d as in the header", len(rec), len(cols))
		} else {
			row, err = parseRow(cols, rec, at)
		}
		row.line = line
		if err := f(line, row, err); err != nil {
			return err
		}
	}
}

func runBatch(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("batch")
	var keyPath, inPath, outPath, levelText string
	var skipBad bool
	var at atFlag
	fset.StringVar(&keyPath, "key", "", "")
	fset.StringVar(&inPath, "in", "", "")
	fset.StringVar(&outPath, "out", "", "")
	fset.BoolVar(&skipBad, "skip-bad", false, "")
	fset.Var(&at, "at", "")
	fset.StringVar(&levelText, "level", "Q", "")
	pos, code, ok := e.parseArgs(fset, batchUsage, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		e.errorf("batch: unexpected argument %q", pos[0])
		return exitUsage
	}
	if !e.require("batch", "key", keyPath, "in", inPath, "out", outPath) {
		return exitUsage
	}
	level, ok := parseLevel(levelText)
	if !ok {
		e.errorf("batch: invalid --level %q: want L, M, Q or H", levelText)
		return exitUsage
	}
	if strings.ToLower(filepath.Ext(outPath)) != ".pdf" {
		e.errorf("batch: --out %s: want a .pdf file", outPath)
		return exitUsage
	}
	key, err := e.loadKey("batch", keyPath)
	if err != nil {
		return exitUsage
	}
	when := at.time(e.now)
	if e.getenv("GOMEMLIMIT") == "" {
		// Each code costs an Argon2id evaluation that allocates and drops
		// 4 MiB; without a limit the runtime returns that memory to the OS
		// lazily and the process grows with the length of the run. The
		// live heap is under 30 MiB whatever the number of rows.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(batchMemoryLimit))
	}

	good, ok := checkBatchRows(e, inPath, when, skipBad)
	if !ok {
		return exitUsage
	}
	return printBatch(ctx, e, &batchRun{key: key, in: inPath, out: outPath, at: when, level: level, good: good})
}

// checkBatchRows is the first pass of a batch: it checks every row of in,
// reporting each bad one, and returns the number of good rows, with false
// when no PDF may be written.
func checkBatchRows(e *env, inPath string, when time.Time, skipBad bool) (int, bool) {
	good, bad := 0, 0
	err := eachRow(inPath, when, func(line int, _ batchRow, err error) error {
		if err != nil {
			bad++
			if skipBad {
				// Not an error: the run goes on without the row.
				e.infof("batch: skipped row %s:%d: %v", inPath, line, err)
			} else {
				e.errorf("batch: %s:%d: %v", inPath, line, err)
			}
		} else {
			good++
		}
		return nil
	})
	if err != nil {
		e.errorf("batch: %s: %v", inPath, err)
		return good, false
	}
	switch {
	case bad > 0 && !skipBad:
		e.errorf("batch: %d bad row(s) of %d; no PDF written", bad, good+bad)
		e.hintf("fix the rows above, or pass --skip-bad to print the %d good rows", good)
		return good, false
	case good == 0:
		e.errorf("batch: %s has no good rows; no PDF written", inPath)
		return good, false
	case bad > 0:
		e.infof("batch: skipped %d bad row(s) of %d", bad, good+bad)
	}
	return good, true
}

// batchRun is what the second pass of a batch works from.
type batchRun struct {
	key     *sign.Key
	in, out string
	at      time.Time
	level   render.Level
	good    int
}

// printBatch is the second pass of a batch: it issues a code for every good
// row and streams the cards into the PDF, which replaces the output file
// only when complete.
func printBatch(ctx context.Context, e *env, r *batchRun) int {
	tmp, err := atomicfile.Create(r.out, 0o644)
	if err != nil {
		e.errorf("batch: %v", err)
		return exitUsage
	}
	defer tmp.Abort() // does nothing after Commit
	w := bufio.NewWriterSize(tmp, 256<<10)
	b, err := render.NewBatch(w)
	if err != nil {
		e.errorf("batch: %v", err)
		return exitUsage
	}
	p := &batchPrinter{e: e, key: r.key, at: r.at, b: b, level: r.level, total: r.good, start: time.Now(), lastReport: time.Now()}
	err = eachRow(r.in, r.at, func(_ int, row batchRow, err error) error {
		if err != nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return p.add(row)
	})
	if err == nil {
		err = p.flush()
	}
	if err == nil {
		err = b.Close()
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Commit()
	}
	if err != nil {
		e.errorf("batch: %v; no PDF written", err)
		return exitUsage
	}
	pages := (p.done + cardsPerPage - 1) / cardsPerPage
	d := time.Since(p.start)
	e.infof("batch: wrote %s on %s to %s in %v (%.0f codes/s)",
		plural(p.done, "code"), plural(pages, "page"), r.out, d.Round(time.Millisecond), float64(p.done)/d.Seconds())
	return exitOK
}

// batchPrinter issues codes and prepares their cards in chunks, in parallel
// (Argon2id dominates the cost), and adds them to the PDF in row order.
type batchPrinter struct {
	e          *env
	key        *sign.Key
	at         time.Time
	b          *render.Batch
	level      render.Level
	chunk      []batchRow
	total      int
	done       int
	start      time.Time
	lastReport time.Time
}

const batchChunk = 64

// cardsPerPage is the number of cards render.Batch puts on an A4 page: two
// columns of four.
const cardsPerPage = 8

// batchMemoryLimit is the soft memory limit of a batch run (runtime/debug).
const batchMemoryLimit = 64 << 20

func (p *batchPrinter) add(row batchRow) error {
	p.chunk = append(p.chunk, row)
	if len(p.chunk) == batchChunk {
		return p.flush()
	}
	return nil
}

func (p *batchPrinter) flush() error {
	n := len(p.chunk)
	if n == 0 {
		return nil
	}
	// Randomness is read here, in row order, so a seeded source gives
	// the same document whatever the scheduling.
	const perCode = identity.SaltSize + codec.SerialSize
	random := make([]byte, n*perCode)
	if _, err := io.ReadFull(p.e.rand, random); err != nil {
		return fmt.Errorf("reading randomness: %w", err)
	}
	cards := make([]*render.Card, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				row := p.chunk[i]
				r := strings.NewReader(string(random[i*perCode : (i+1)*perCode]))
				c, err := sign.NewClaims(r, row.id, row.colour, row.kind, p.at)
				var text string
				if err == nil {
					text, err = p.key.Issue(c)
				}
				if err == nil {
					cards[i], err = render.NewCard(text, &render.Options{Holder: row.holder, Level: p.level})
				}
				errs[i] = err
			}
		}()
	}
	wg.Wait()
	for i, row := range p.chunk {
		if errs[i] != nil {
			return fmt.Errorf("line %d: %w", row.line, errs[i])
		}
		if err := p.b.Add(cards[i]); err != nil {
			return fmt.Errorf("line %d: %w", row.line, err)
		}
	}
	p.done += n
	p.chunk = p.chunk[:0]
	if now := time.Now(); now.Sub(p.lastReport) >= 2*time.Second || p.done == p.total {
		p.lastReport = now
		p.e.infof("batch: %d/%d codes (%.0f/s)", p.done, p.total, float64(p.done)/now.Sub(p.start).Seconds())
	}
	return nil
}
