//go:build oracle

package scan

// TestShakeOracle measures how far blind unshaking (motion.go) stands
// from the best that Wiener filtering can do: it undoes, on each picture
// of a list, the very blur the held-out generator applied, and reports
// which pictures any of the restorations reads. It is an experiment, not
// part of the suite (build tag oracle); scripts/shake-oracle.sh writes
// the list from a held-out set's parameters and runs it:
//
//	scripts/shake-oracle.sh 1:scan/testdata 9:/tmp/h9
//
// or by hand:
//
//	go test -tags oracle -run 'ShakeOracle|EqualizeOracle' ./scan -args \
//		-oracle.list=LIST -oracle.kernel=W0,W1,...
//
// LIST has one picture a line: path, the angle (degrees) of
// ImageMagick's -motion-blur, the sigma of its -blur after it, and the
// text of its code, tab separated. W0, W1, … are the weights of -motion-blur's impulse response
// at 0, 1, … pixels along its angle, as convert measures them on a single
// white pixel; the smear is the picture W_i pixels back along the angle,
// so it is undone along the angle turned by 180°.
//
// Each picture is restored in the region findSmear chooses, with that
// smear, Gaussian blurs of the given sigma and half a pixel more, and
// Wiener noise-to-signal ratios of 0.003 to 0.1; each restoration, as it
// is and smoothed (3×3), is read with every attempt of the ladder. It
// fails if no picture is read, so that a broken harness is not taken for
// a limit of deconvolution. TestEqualizeOracle, on the same list,
// measures equalize on those restorations.

import (
	"bufio"
	"flag"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"

	"github.com/offcode/offcode/render"
)

var (
	oracleList   = flag.String("oracle.list", "", "file of pictures with the blur applied to each (see TestShakeOracle)")
	oracleKernel = flag.String("oracle.kernel", "", "comma-separated impulse response of -motion-blur, from offset 0")
)

func TestShakeOracle(t *testing.T) {
	taps := oracleTaps(t)
	total, read := 0, 0
	for _, p := range oraclePictures(t) {
		hits := oracleHits(t, p.path, taps, p.angle, p.sigma)
		total++
		if len(hits) > 0 {
			read++
		}
		t.Logf("%s: %d of 112 reads (16 restorations × 7 attempts) %v", p.path, len(hits), hits)
	}
	t.Logf("the true blur undone read %d of %d pictures", read, total)
	if read == 0 {
		t.Errorf("no picture read: the harness, not deconvolution, is likely at fault")
	}
}

// oracleTaps returns the weights of -oracle.kernel, summing to 1.
func oracleTaps(t *testing.T) []float64 {
	t.Helper()
	if *oracleList == "" || *oracleKernel == "" {
		t.Fatal("want -oracle.list and -oracle.kernel (scripts/shake-oracle.sh passes both)")
	}
	var taps []float64
	sum := 0.0
	for _, f := range strings.Split(*oracleKernel, ",") {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || v < 0 {
			t.Fatalf("-oracle.kernel: %q is not a weight", f)
		}
		taps = append(taps, v)
		sum += v
	}
	if sum <= 0 {
		t.Fatal("-oracle.kernel sums to 0")
	}
	for i := range taps {
		taps[i] /= sum
	}
	return taps
}

// oraclePicture is a line of -oracle.list: a picture, the angle (degrees)
// and Gaussian sigma of its blur, and the text of its code.
type oraclePicture struct {
	path         string
	angle, sigma float64
	text         string
}

// oraclePictures returns the lines of -oracle.list.
func oraclePictures(t *testing.T) []oraclePicture {
	t.Helper()
	f, err := os.Open(*oracleList)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []oraclePicture
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 4 {
			t.Fatalf("%s: %q: want path, angle, sigma, text", *oracleList, sc.Text())
		}
		angle, err1 := strconv.ParseFloat(fs[1], 64)
		sigma, err2 := strconv.ParseFloat(fs[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %q: angle or sigma is not a number", *oracleList, sc.Text())
		}
		out = append(out, oraclePicture{fs[0], angle, sigma, fs[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEqualizeOracle measures what equalising does to the modules of the
// shaken pictures of -oracle.list once their true blur is undone (noise
// ratios 0.01 and 0.03): on each restoration, the finder patterns found
// by their shape (readShapes' search) make triples, and every triple of
// the symbol's side is sampled as gridDecodeDim samples it; the grid
// whose thresholding (window 4) gets the fewest modules wrong is
// reported with how many equalising it gets wrong, and whether those
// read. It fails if no picture has such a grid.
func TestEqualizeOracle(t *testing.T) {
	taps := oracleTaps(t)
	located := 0
	for _, p := range oraclePictures(t) {
		before, after, read, ok := equalizeOracle(t, p, taps)
		if !ok {
			t.Logf("%s: no grid of the symbol's side located", p.path)
			continue
		}
		located++
		t.Logf("%s: modules wrong thresholded %.1f %%, equalised %.1f %% (read: %v)", p.path, 100*before, 100*after, read)
	}
	if located == 0 {
		t.Error("no symbol located: the harness is likely at fault")
	}
}

// equalizeOracle is TestEqualizeOracle on one picture: the shares of the
// modules wrong, thresholded and equalised, on the best grid, and
// whether the equalised modules read; false if no grid was located.
func equalizeOracle(t *testing.T, p oraclePicture, taps []float64) (before, after float64, read, ok bool) {
	t.Helper()
	q, err := render.NewQR(p.text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	img := q.Image(1)
	dim := img.Rect.Dx() - 8
	wrong := func(b *gozxing.BitMatrix) float64 {
		n := 0
		for y := range dim {
			for x := range dim {
				if b.Get(x, y) != (img.Pix[(y+4)*img.Stride+x+4] < 128) {
					n++
				}
			}
		}
		return float64(n) / float64(dim*dim)
	}
	ver, err := decoder.Version_GetProvisionalVersionForDimension(dim)
	if err != nil {
		t.Fatal(err)
	}
	pix, w, h, stride := jpegPlane(t, p.path)
	site, found := findSmear(pix, w, h, stride)
	if !found {
		return 0, 0, false, false
	}
	b := newBlurWork(pix, w, h, stride, site.area, 0, maxMotion)
	if b == nil {
		return 0, 0, false, false
	}
	before = 1
	n := float64(dim)
	mod := []pt{{3.5, 3.5}, {n - 3.5, 3.5}, {3.5, n - 3.5}}
	for _, nsr := range []float64{0.01, 0.03} {
		k := blur{angle: (p.angle + 180) * math.Pi / 180, taps: taps, sigma: p.sigma * b.scale, nsr: nsr}
		pl := &plane{grey: grey{b.undo([]blur{k})[0], b.rw, b.rh, b.rw}, scale: 1}
		g := &pl.grey
		m := pl.binarise(ladder[0])
		theta := gridAngle(g)
		sat, sd := byteSummedArea(g)
		for _, ms := range shapeSizes {
			for i, info := range triples(shapeFinders(g, sat, shapeStep*sd, ms, theta), m) {
				if i == maxShapeTriples {
					break
				}
				tri := tripleDims(g, info, false)
				if !slices.Contains(tri.dims, dim) {
					continue
				}
				hm, fitted := fit(mod, tri.finders)
				dark, light, seen := finderLevels(g, &hm, mod, false)
				if !fitted || !seen {
					continue
				}
				hm = alignedMap(g, hm, ver, mod, slices.Clone(tri.finders), 1, light-dark)
				vals, sampled := sampleModules(g, &hm, ver, 1, dark, light)
				if !sampled {
					continue
				}
				bits, _ := gozxing.NewSquareBitMatrix(dim)
				threshold(bits, vals, summedArea(vals, dim), dim, 4)
				wb := wrong(bits)
				if wb >= before {
					continue
				}
				eq, equalised := equalize(g, &hm, ver, 1, bits)
				if !equalised {
					continue
				}
				before, after, ok = wb, wrong(eq), true
				_, err := decoder.NewDecoder().Decode(eq, nil)
				read = err == nil
			}
		}
	}
	return before, after, read, ok
}

// oracleHits returns the restorations of the picture at path, with the
// smear taps along angle (degrees) turned by 180° and the Gaussian blur
// sigma, that some attempt reads.
func oracleHits(t *testing.T, path string, taps []float64, angle, sigma float64) []string {
	t.Helper()
	pix, w, h, stride := jpegPlane(t, path)
	site, ok := findSmear(pix, w, h, stride)
	if !ok {
		return nil
	}
	b := newBlurWork(pix, w, h, stride, site.area, 0, maxMotion)
	if b == nil {
		return nil
	}
	var hits []string
	for _, g := range []float64{sigma, sigma + 0.5} {
		for _, nsr := range []float64{0.003, 0.01, 0.03, 0.1} {
			k := blur{angle: (angle + 180) * math.Pi / 180, taps: taps, sigma: g * b.scale, nsr: nsr}
			restored := b.undo([]blur{k})[0]
			for _, smoothed := range []bool{false, true} {
				q := restored
				if smoothed {
					q = smooth(restored, b.rw, b.rh, b.rw)
				}
				p := &plane{grey: grey{q, b.rw, b.rh, b.rw}, scale: b.scale, ox: b.ox, oy: b.oy}
				s := &scanner{dec: decoder.NewDecoder()}
				for _, a := range ladder {
					if out, _ := s.read(p, a); len(out) > 0 {
						hits = append(hits, "sigma="+strconv.FormatFloat(g, 'f', 2, 64)+",nsr="+strconv.FormatFloat(nsr, 'f', 3, 64)+","+a.name+map[bool]string{true: ",smoothed"}[smoothed])
					}
				}
			}
		}
	}
	return hits
}
