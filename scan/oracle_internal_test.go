//go:build oracle

package scan

// TestShakeOracle measures how far blind unshaking (motion.go) stands
// from the best that Wiener filtering can do: it undoes, on each picture
// of a list, the very blur the held-out generator applied, and reports
// which pictures any of the restorations reads. It is an experiment, not
// part of the suite (build tag oracle); scripts/shake-oracle.sh writes
// the list from a held-out set's parameters and runs it:
//
//	scripts/shake-oracle.sh scan/testdata /tmp/h9
//
// or by hand:
//
//	go test -tags oracle -run ShakeOracle ./scan -args \
//		-oracle.list=LIST -oracle.kernel=W0,W1,...
//
// LIST has one picture a line: path, the angle (degrees) of
// ImageMagick's -motion-blur, and the sigma of its -blur after it, tab
// separated. W0, W1, … are the weights of -motion-blur's impulse response
// at 0, 1, … pixels along its angle, as convert measures them on a single
// white pixel; the smear is the picture W_i pixels back along the angle,
// so it is undone along the angle turned by 180°.
//
// Each picture is restored in the region findSmear chooses, with that
// smear, Gaussian blurs of the given sigma and half a pixel more, and
// Wiener noise-to-signal ratios of 0.003 to 0.1; each restoration, as it
// is and smoothed (3×3), is read with every attempt of the ladder. It
// fails if no picture is read, so that a broken harness is not taken for
// a limit of deconvolution.

import (
	"bufio"
	"flag"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

var (
	oracleList   = flag.String("oracle.list", "", "file of pictures with the blur applied to each (see TestShakeOracle)")
	oracleKernel = flag.String("oracle.kernel", "", "comma-separated impulse response of -motion-blur, from offset 0")
)

func TestShakeOracle(t *testing.T) {
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
	f, err := os.Open(*oracleList)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	total, read := 0, 0
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 3 {
			t.Fatalf("%s: %q: want path, angle, sigma", *oracleList, sc.Text())
		}
		angle, err1 := strconv.ParseFloat(fs[1], 64)
		sigma, err2 := strconv.ParseFloat(fs[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %q: angle or sigma is not a number", *oracleList, sc.Text())
		}
		hits := oracleHits(t, fs[0], taps, angle, sigma)
		total++
		if len(hits) > 0 {
			read++
		}
		t.Logf("%s: %d of 112 reads (16 restorations × 7 attempts) %v", fs[0], len(hits), hits)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("the true blur undone read %d of %d pictures", read, total)
	if read == 0 {
		t.Errorf("no picture read: the harness, not deconvolution, is likely at fault")
	}
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
