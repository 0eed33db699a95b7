package scan_test

import (
	"bufio"
	"image"
	_ "image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/scan"
)

// heldOut lists the sets the scanner is measured on but never tuned on
// (scripts/heldout-set.sh makes them, another generator than
// internal/testkit/degrade), each with the fewest codes it must read. Every
// condition of a set must also be read at least once.
var heldOut = []struct {
	dir   string
	floor float64 // fraction of the set's codes
	codes int     // codes the set holds, so that a lost file fails
}{
	{"testdata/photos", 0.94, 56},
	{"testdata/print", 0.96, 60},
}

// TestHeldOutSets reads every picture of the held-out sets with All and
// counts the codes read against expected.tsv: file, condition, text, one
// line per code in the file.
func TestHeldOutSets(t *testing.T) {
	for _, set := range heldOut {
		t.Run(filepath.Base(set.dir), func(t *testing.T) {
			want := readExpected(t, set.dir)
			var files []string
			codes := 0
			for f, cs := range want.byFile {
				files = append(files, f)
				codes += len(cs)
			}
			if codes != set.codes {
				t.Fatalf("%s/expected.tsv lists %d codes, want %d", set.dir, codes, set.codes)
			}
			read := map[string]int{}
			total := map[string]int{}
			ok, single, quick := 0, 0, 0
			for _, f := range want.order {
				img := decodeFile(t, filepath.Join(set.dir, f))
				if cs := want.byFile[f]; len(cs) == 1 {
					// What the live camera's quick path reads.
					single++
					if text, err := quickImage(img); err == nil && text == cs[0].text {
						quick++
					}
				}
				got, err := scan.All(img)
				texts := map[string]bool{}
				for _, c := range got {
					texts[c.Text] = true
				}
				for _, c := range want.byFile[f] {
					total[c.cond]++
					if texts[c.text] {
						read[c.cond]++
						ok++
					}
				}
				if n := len(got); n < len(want.byFile[f]) {
					t.Logf("All(%s) = %d of %d codes, %v", f, n, len(want.byFile[f]), err)
				}
			}
			for _, c := range want.conds {
				t.Logf("%-16s %d/%d", c, read[c], total[c])
				if read[c] == 0 {
					t.Errorf("condition %s: no code read", c)
				}
			}
			rate := float64(ok) / float64(codes)
			t.Logf("%s: read %d/%d = %.1f%%", set.dir, ok, codes, 100*rate)
			t.Logf("%s: quick path (Quick) read %d of the %d pictures of one code", set.dir, quick, single)
			if rate < set.floor {
				t.Errorf("%s: read %.1f%% of the codes, want at least %.0f%%", set.dir, 100*rate, 100*set.floor)
			}
		})
	}
}

type expectedCode struct{ cond, text string }

type expectedSet struct {
	order  []string // files in the order listed
	conds  []string // conditions in the order listed
	byFile map[string][]expectedCode
}

func readExpected(t *testing.T, dir string) expectedSet {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set := expectedSet{byFile: map[string][]expectedCode{}}
	seenCond := map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 3 || parts[2] == "" {
			t.Fatalf("%s/expected.tsv:%d: want file, condition, text", dir, n)
		}
		if _, ok := set.byFile[parts[0]]; !ok {
			set.order = append(set.order, parts[0])
		}
		set.byFile[parts[0]] = append(set.byFile[parts[0]], expectedCode{parts[1], parts[2]})
		if !seenCond[parts[1]] {
			seenCond[parts[1]] = true
			set.conds = append(set.conds, parts[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return set
}

func decodeFile(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// TestAllBatchPage reads a batch page scanned at 200 dpi (pdftoppm -r 200)
// with one call: all eight codes, in the order the page lays them out
// (left to right, top to bottom), each located on its own card.
func TestAllBatchPage(t *testing.T) {
	const file = "batch_scan200_0.jpg"
	want := readExpected(t, "testdata/print").byFile[file]
	img := decodeFile(t, filepath.Join("testdata/print", file))
	got, err := scan.All(img)
	if err != nil {
		t.Fatalf("All(%s) = %v", file, err)
	}
	if len(got) != len(want) || len(want) != 8 {
		t.Fatalf("All(%s) = %d codes, want %d", file, len(got), len(want))
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	for i, c := range got {
		if c.Text != want[i].text {
			t.Errorf("All(%s)[%d] = %.24q…, want %.24q…", file, i, c.Text, want[i].text)
		}
		// Card i is in column i%2 and row i/2 of a 2×4 page.
		mid := c.Center()
		if col, row := 2*mid.X/w, 4*mid.Y/h; col != i%2 || row != i/2 {
			t.Errorf("All(%s)[%d] centred at %v: card %d,%d, want %d,%d", file, i, mid, col, row, i%2, i/2)
		}
	}
}
