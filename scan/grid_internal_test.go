package scan

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/degrade"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

// TestGridDecode reads a clean symbol through gridDecode alone, from its
// exact finder pattern centres, and from centres off by a module fifth.
func TestGridDecode(t *testing.T) {
	const text = "OC1:GRID TEST 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	const scale = 4
	img := q.Image(scale)
	g := grey{img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride}
	const quiet = 4 // render draws the 4-module quiet zone of ISO/IEC 18004
	c := func(m float64) float64 { return (quiet + m) * scale }
	n := float64(img.Rect.Dx()/scale - 2*quiet)
	for _, off := range []float64{0, 0.8} {
		info := detector.NewFinderPatternInfo(
			detector.NewFinderPattern1(c(3.5)+off, c(n-3.5)-off, scale),
			detector.NewFinderPattern1(c(3.5)-off, c(3.5)+off, scale),
			detector.NewFinderPattern1(c(n-3.5)+off, c(3.5), scale),
		)
		r, _, ok := gridDecode(&g, info, false, decoder.NewDecoder())
		if !ok || r.GetText() != text {
			t.Errorf("gridDecode(centres off by %g px) = %v, want %q", off, ok, text)
		}
	}
}

// TestGridDecodeCut reads a symbol whose left columns the plane's edge
// cuts off, the centres of two finder patterns outside the plane: the
// modules cut off are erased (sampleModules) and error correction
// restores them, up to maxCut of the symbol; past it, the symbol is not
// sampled.
func TestGridDecodeCut(t *testing.T) {
	text := testcode.Issue(31, codec.Yellow, codec.Kin)
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	const scale, quiet = 4, 4
	img := q.Image(scale)
	n := float64(img.Rect.Dx()/scale - 2*quiet)
	for _, tc := range []struct {
		cols int // of the symbol's modules, cut off
		want bool
	}{{0, true}, {3, true}, {5, true}, {int(math.Ceil(maxCut*n)) + 1, false}} {
		x0 := (quiet + tc.cols) * scale
		g := grey{img.Pix[x0:], img.Rect.Dx() - x0, img.Rect.Dy(), img.Stride}
		c := func(m float64) float64 { return (quiet + m) * scale }
		info := detector.NewFinderPatternInfo(
			detector.NewFinderPattern1(c(3.5)-float64(x0), c(n-3.5), scale),
			detector.NewFinderPattern1(c(3.5)-float64(x0), c(3.5), scale),
			detector.NewFinderPattern1(c(n-3.5)-float64(x0), c(3.5), scale),
		)
		r, _, ok := gridDecode(&g, info, false, decoder.NewDecoder())
		if ok != tc.want || (ok && r.GetText() != text) {
			t.Errorf("gridDecode(%d of %g columns cut off) = %v, want %v", tc.cols, n, ok, tc.want)
		}
	}
}

func TestFit(t *testing.T) {
	want := homography{1.1, 0.2, 30, -0.1, 0.9, 40, 0.001, 0.002, 1}
	var mod, pix []pt
	for _, m := range []pt{{0, 0}, {50, 0}, {0, 50}, {50, 50}, {25, 10}} {
		mod = append(mod, m)
		pix = append(pix, want.apply(m))
	}
	h, ok := fit(mod, pix)
	if !ok {
		t.Fatal("fit failed")
	}
	for _, m := range []pt{{10, 10}, {40, 30}} {
		a, b := h.apply(m), want.apply(m)
		if d := (a.x-b.x)*(a.x-b.x) + (a.y-b.y)*(a.y-b.y); d > 1e-6 {
			t.Errorf("fit maps %v to %v, want %v", m, a, b)
		}
	}
}

// TestLikelyDims: with the finder patterns' module size overestimated by
// a quarter (as blur makes it), the side estimated from it is several
// versions short, and likelyDims still puts the true side first, from the
// timing patterns; with a module size a fifth short, too.
func TestLikelyDims(t *testing.T) {
	g, size, finders := likelySymbol(t)
	n := float64(size)
	for _, k := range []float64{1.25, 0.8} {
		est := (n-7)/k + 7
		dims := likelyDims(&g, finders, est, false)
		if len(dims) == 0 || dims[0] != size {
			t.Errorf("likelyDims(module size ×%g, estimate %.1f) = %v, want %d first", k, est, dims, size)
		}
	}
	// Inverted: light modules on dark.
	inv := make([]byte, len(g.pix))
	for i, v := range g.pix {
		inv[i] = 255 - v
	}
	gi := grey{inv, g.w, g.h, g.str}
	if dims := likelyDims(&gi, finders, n, true); len(dims) == 0 || dims[0] != size {
		t.Errorf("likelyDims(inverted) = %v, want %d first", dims, size)
	}
	// A plane with no symbol has no timing patterns.
	blank := grey{make([]byte, len(g.pix)), g.w, g.h, g.str}
	for i := range blank.pix {
		blank.pix[i] = 200
	}
	if dims := likelyDims(&blank, finders, n, false); len(dims) != 0 {
		t.Errorf("likelyDims(blank) = %v, want none", dims)
	}
}

// TestLikelyDimsScored: the best timing score likelyDimsScored returns is
// that of the first side it offers, near 1 on the rendered symbol's own
// finder patterns, and below the bar of a side worth trying on a triple
// whose third pattern is moved inside the symbol (a stray pattern among
// the data modules); the sides are likelyDims'.
func TestLikelyDimsScored(t *testing.T) {
	g, size, finders := likelySymbol(t)
	n := float64(size)
	dims, best := likelyDimsScored(&g, finders, n, false)
	if want := likelyDims(&g, finders, n, false); !slices.Equal(dims, want) {
		t.Fatalf("likelyDimsScored sides %v, likelyDims %v", dims, want)
	}
	if len(dims) == 0 || best != timingScore(&g, finders, dims[0], false) || best < 0.9 {
		t.Errorf("likelyDimsScored(symbol) = %v, %.2f, want %d first, scored %.2f (≥ 0.9)", dims, best, size, timingScore(&g, finders, size, false))
	}
	stray := slices.Clone(finders)
	stray[2] = pt{(finders[0].x + finders[2].x) / 2, (finders[0].y + 2*finders[2].y) / 3}
	if _, b := likelyDimsScored(&g, stray, n, false); b >= best {
		t.Errorf("likelyDimsScored(stray third pattern) best %.2f, want below the symbol's %.2f", b, best)
	}
	blank := grey{make([]byte, len(g.pix)), g.w, g.h, g.str}
	if dims, b := likelyDimsScored(&blank, finders, 0, false); len(dims) != 0 || b != -1 {
		t.Errorf("likelyDimsScored(no side in range) = %v, %v, want none, -1", dims, b)
	}
}

// TestTwoFinders: a symbol one of whose finder patterns is all but
// washed out by glare (grey levels moved nine tenths of the way to white)
// is read, and readPairs reads it from the other two alone, in each of
// the three corners.
func TestTwoFinders(t *testing.T) {
	const text = "OC1:TWO FINDERS 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	const scale, quiet = 4, 4 // render draws the 4-module quiet zone of ISO/IEC 18004
	n := q.Image(1).Rect.Dx() - 2*quiet
	c := func(m int) float64 { return (float64(quiet+m) + 3.5) * scale }
	corners := [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}}
	for k, corner := range corners {
		img := q.Image(scale)
		x0, y0 := (quiet+corner[0]-1)*scale, (quiet+corner[1]-1)*scale
		for y := y0; y < y0+9*scale; y++ {
			for x := x0; x < x0+9*scale; x++ {
				v := int(img.Pix[y*img.Stride+x])
				img.Pix[y*img.Stride+x] = byte(v + (250-v)*9/10)
			}
		}
		fs, _, err := scanAll(img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride)
		if err != nil || len(fs) != 1 || fs[0].text != text {
			t.Errorf("finder pattern at module %v under glare: scanAll = %d codes, %v; want %q", corner, len(fs), err, text)
		}
		var two []*detector.FinderPattern
		for i, o := range corners {
			if i != k {
				two = append(two, detector.NewFinderPattern1(c(o[0]), c(o[1]), scale))
			}
		}
		s := &scanner{dec: decoder.NewDecoder()}
		p := &plane{grey: grey{img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride}, scale: 1}
		if got := s.readPairs(p, two, false); len(got) != 1 || got[0].text != text {
			t.Errorf("finder pattern at module %v under glare: readPairs(the other two) = %d codes, want %q", corner, len(got), text)
		}
	}
}

// pageSamples returns the pages (several symbols to a picture) of the
// degraded tuning set, variants of each condition.
func pageSamples(tb testing.TB, variants int) []degrade.Sample {
	tb.Helper()
	var ts []string
	for i := range 16 {
		ts = append(ts, testcode.Issue(i, codec.Colour(i%3), codec.Kind(i%2)))
	}
	set, err := degrade.Set(ts, variants)
	if err != nil {
		tb.Fatal(err)
	}
	var out []degrade.Sample
	for _, s := range set {
		if len(s.Texts) > 1 {
			out = append(out, s)
		}
	}
	return out
}

// BenchmarkPages reads every page of the tuning set's page conditions
// with All, one iteration a page set.
func BenchmarkPages(b *testing.B) {
	pages := pageSamples(b, 1)
	b.ResetTimer()
	for range b.N {
		for _, s := range pages {
			if _, err := All(s.Image); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestTriplesSame: triples and timingAlternates give what their first
// versions (triplesRef, timingAlternatesRef, kept here) gave, triple for
// triple in the same order, on the finder patterns of the tuning set's
// pages, each binarised as hybridMatrix and localMatrix do, with and
// without the edge finder's patterns, and on timing patterns of every
// side. The first triples took module sizes and sides up to 1.6× apart;
// the triples further apart that triples now also makes, after the others
// (TestTriplesPerspective), are left out of the comparison.
func TestTriplesSame(t *testing.T) {
	pages := pageSamples(t, 1)
	compared := 0
	for _, s := range pages {
		pix, w, h, str := luminance(s.Image)
		g := grey{pix, w, h, str}
		for _, m := range []*gozxing.BitMatrix{hybridMatrix(&g), localMatrix(&g, 12, 2, false)} {
			finder := multidetector.NewMultiFinderPatternFinder(m, nil)
			finder.FindMulti(nil)
			centres := finder.GetPossibleCenters()
			for _, cs := range [][]*detector.FinderPattern{centres, append(slices.Clone(centres), edgeCentres(&g, false, centres)...)} {
				got, want := oldSizes(triples(cs, m)), triplesRef(cs, m)
				if len(got) != len(want) {
					t.Fatalf("%s: triples = %d triples, want %d", s.Name, len(got), len(want))
				}
				for i := range got {
					if *got[i] != *want[i] {
						t.Fatalf("%s: triple %d differs", s.Name, i)
					}
				}
				compared += len(got)
				for _, a := range cs {
					for _, b := range cs {
						for dim := 17.0; dim < 180; dim += 3 {
							if timingAlternates(m, a, b, cs[0], dim) != timingAlternatesRef(m, a, b, cs[0], dim) {
								t.Fatalf("%s: timingAlternates differs", s.Name)
							}
						}
					}
				}
			}
		}
	}
	if compared == 0 {
		t.Fatal("no triples compared")
	}
	t.Logf("%d pages, %d triples compared", len(pages), compared)
}

// oldSizes returns the triples of ts whose top right and bottom left
// finder patterns' module sizes, and distances from the top left, are
// within 0.6 to 1.6 times the top left's and each other's, in their
// order: those triplesRef makes.
func oldSizes(ts []*detector.FinderPatternInfo) []*detector.FinderPatternInfo {
	var out []*detector.FinderPatternInfo
	for _, t := range ts {
		tl, tr, bl := t.GetTopLeft(), t.GetTopRight(), t.GetBottomLeft()
		ms := tl.GetEstimatedModuleSize()
		r1, r2 := tr.GetEstimatedModuleSize()/ms, bl.GetEstimatedModuleSize()/ms
		sides := math.Hypot(tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY()) / math.Hypot(bl.GetX()-tl.GetX(), bl.GetY()-tl.GetY())
		if r1 >= 0.6 && r1 <= 1.6 && r2 >= 0.6 && r2 <= 1.6 && sides >= 1/1.6 && sides <= 1.6 {
			out = append(out, t)
		}
	}
	return out
}

// TestTriplesPerspective: a strong perspective's finder patterns, whose
// module sizes differ by more than 1.6× (those of a held-out photo with a
// 15 % tilt), make a triple; patterns whose sizes differ by more than
// 2.2× do not; and of two triples of the same shape, the one of even
// sizes comes first.
func TestTriplesPerspective(t *testing.T) {
	m, _ := gozxing.NewBitMatrix(1280, 720)
	fp := func(x, y, ms float64) *detector.FinderPattern { return detector.NewFinderPattern1(x, y, ms) }
	has := func(ts []*detector.FinderPatternInfo, tl, tr, bl *detector.FinderPattern) int {
		for i, t := range ts {
			if t.GetTopLeft() == tl && t.GetTopRight() == tr && t.GetBottomLeft() == bl {
				return i
			}
		}
		return -1
	}
	tl, tr, bl := fp(447.5, 236.5, 6.14), fp(689, 227.5, 3.29), fp(527, 527, 7.07)
	if i := has(triples([]*detector.FinderPattern{tl, tr, bl}, m), tl, tr, bl); i < 0 {
		t.Errorf("module sizes 6.14, 3.29, 7.07: no triple")
	}
	far := fp(689, 227.5, 2.7) // 6.14 / 2.7 > 2.2
	if ts := triples([]*detector.FinderPattern{tl, far, bl}, m); has(ts, tl, far, bl) >= 0 {
		t.Errorf("module sizes 6.14, 2.7, 7.07: a triple, want none")
	}
	// The same triangle again, 600 px to the left, of even sizes.
	etl, etr, ebl := fp(47.5, 236.5, 6), fp(289, 227.5, 6), fp(127, 527, 6)
	ts := triples([]*detector.FinderPattern{tl, tr, bl, etl, etr, ebl}, m)
	if even, uneven := has(ts, etl, etr, ebl), has(ts, tl, tr, bl); even < 0 || uneven < 0 || even > uneven {
		t.Errorf("even sizes' triple at %d, uneven's at %d: want both, even first", even, uneven)
	}
	// A symbol stretched by a steep view of its sheet (those of a
	// held-out sheet photo): sides 135 and 220 px, 1.63× apart, make a
	// triple; 2.1× apart do not.
	stl, str, sbl := fp(619.5, 231, 3), fp(742, 287.8, 3.07), fp(500, 415, 3)
	if has(triples([]*detector.FinderPattern{stl, str, sbl}, m), stl, str, sbl) < 0 {
		t.Errorf("sides 135 and 220 px: no triple")
	}
	wide := fp(480, 480, 3) // 287 px from the top left: 2.1× 135
	if has(triples([]*detector.FinderPattern{stl, str, wide}, m), stl, str, wide) >= 0 {
		t.Errorf("sides 135 and 287 px: a triple, want none")
	}
}

func triplesRef(centres []*detector.FinderPattern, m *gozxing.BitMatrix) []*detector.FinderPatternInfo {
	type cand struct {
		info  *detector.FinderPatternInfo
		score float64
	}
	var cs []cand
	n := len(centres)
	if n > 60 {
		// Noise: keep the best confirmed.
		centres = slices.Clone(centres)
		slices.SortStableFunc(centres, func(a, b *detector.FinderPattern) int { return b.GetCount() - a.GetCount() })
		centres, n = centres[:60], 60
	}
	for i := 0; i < n; i++ {
		tl := centres[i]
		for j := 0; j < n; j++ {
			for k := j + 1; k < n; k++ {
				if j == i || k == i {
					continue
				}
				a, b := centres[j], centres[k]
				ms := tl.GetEstimatedModuleSize()
				if r := a.GetEstimatedModuleSize() / ms; r < 0.6 || r > 1.6 {
					continue
				}
				if r := b.GetEstimatedModuleSize() / ms; r < 0.6 || r > 1.6 {
					continue
				}
				ax, ay := a.GetX()-tl.GetX(), a.GetY()-tl.GetY()
				bx, by := b.GetX()-tl.GetX(), b.GetY()-tl.GetY()
				da, db := math.Hypot(ax, ay), math.Hypot(bx, by)
				if da == 0 || db == 0 {
					continue
				}
				ratio := da / db
				if ratio < 1/1.6 || ratio > 1.6 {
					continue
				}
				cos := (ax*bx + ay*by) / (da * db)
				if math.Abs(cos) > 0.6 {
					continue
				}
				mods := (da + db) / 2 / ms
				if mods < 14 || mods > 170 {
					continue
				}
				tr, bl := a, b
				if ax*by-ay*bx < 0 {
					tr, bl = b, a
				}
				score := math.Abs(math.Log(ratio)) + math.Abs(cos)
				// A symbol holds no other finder pattern: a triple around
				// one spans several symbols (a batch page).
				det := ax*by - ay*bx
				for l := 0; l < n; l++ {
					if l == i || l == j || l == k {
						continue
					}
					px, py := centres[l].GetX()-tl.GetX(), centres[l].GetY()-tl.GetY()
					u, v := (px*by-py*bx)/det, (ax*py-ay*px)/det
					if u > 0.1 && v > 0.1 && u < 0.9 && v < 0.9 {
						score++
					}
				}
				if !timingAlternatesRef(m, tl, tr, bl, (da+db)/2/ms+7) {
					score += 2
				}
				cs = append(cs, cand{detector.NewFinderPatternInfo(bl, tl, tr), score})
			}
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return int(math.Copysign(1, a.score-b.score)) })
	out := make([]*detector.FinderPatternInfo, len(cs))
	for i, c := range cs {
		out[i] = c.info
	}
	return out
}

func timingAlternatesRef(m *gozxing.BitMatrix, tl, tr, bl *detector.FinderPattern, dim float64) bool {
	d := math.Round((dim-17)/4)*4 + 17
	if d < 21 {
		return false
	}
	span := d - 7
	at := func(u, v float64) bool {
		fu, fv := (u-3.5)/span, (v-3.5)/span
		x := tl.GetX() + fu*(tr.GetX()-tl.GetX()) + fv*(bl.GetX()-tl.GetX())
		y := tl.GetY() + fu*(tr.GetY()-tl.GetY()) + fv*(bl.GetY()-tl.GetY())
		xi, yi := int(x), int(y)
		if xi < 0 || yi < 0 || xi >= m.GetWidth() || yi >= m.GetHeight() {
			return false
		}
		return m.Get(xi, yi)
	}
	good, n := 0, 0
	for i := 8; i < int(d)-8; i++ {
		dark := i%2 == 0
		if at(float64(i)+0.5, 6.5) == dark {
			good++
		}
		if at(6.5, float64(i)+0.5) == dark {
			good++
		}
		n += 2
	}
	return n > 0 && float64(good) >= 0.7*float64(n)
}

// TestFindConcentricSame checks findConcentric, whose template search
// samples each module centre once, against the search it replaced
// (findConcentricRef): the same point and verdict near the finder
// patterns of a blurred symbol (off by up to three modules, turned, at
// other module sizes, with reaches cut short), in noise, and inverted.
func TestFindConcentricSame(t *testing.T) {
	g, size, finders := likelySymbol(t)
	rng := rand.New(rand.NewPCG(21, 22))
	noise := grey{make([]byte, len(g.pix)), g.w, g.h, g.str}
	for i := range noise.pix {
		noise.pix[i] = byte(rng.IntN(256))
	}
	inv := grey{make([]byte, len(g.pix)), g.w, g.h, g.str}
	for i, v := range g.pix {
		inv.pix[i] = 255 - v
	}
	const ms = 3 // likelySymbol's module size
	agree := 0
	for k := range 300 {
		pl, sign := &g, 1.0
		switch k % 3 {
		case 1:
			pl = &noise
		case 2:
			pl, sign = &inv, -1
		}
		f := finders[k%3]
		c := pt{f.x + (rng.Float64()*6-3)*ms, f.y + (rng.Float64()*6-3)*ms}
		a, scale := rng.Float64()*0.3-0.15, ms*(0.85+rng.Float64()*0.3)
		ex, ey := pt{scale * math.Cos(a), scale * math.Sin(a)}, pt{-scale * math.Sin(a), scale * math.Cos(a)}
		mods := []float64{float64(size - 7), 9.3, 6}[k%7%3]
		for _, m := range []concentricMeasure{templateCorrelation, ringContrast} {
			got, gok := findConcentric(pl, c, ex, ey, sign, mods, m)
			want, wok := findConcentricRef(pl, c, ex, ey, sign, mods, m)
			if got != want || gok != wok {
				t.Fatalf("case %d measure %d: findConcentric = %v, %v, want %v, %v", k, m, got, gok, want, wok)
			}
			if gok {
				agree++
			}
		}
	}
	if agree == 0 {
		t.Fatalf("no case found a pattern: the test proves nothing")
	}
}

// BenchmarkFindConcentric searches for a finder pattern by template
// correlation three modules around a blurred symbol's, with
// findConcentric (impl=table) and with the search it replaced
// (impl=ref):
//
//	go test -run '^$' -bench FindConcentric -count 8 ./scan | benchstat -col /impl -
func BenchmarkFindConcentric(b *testing.B) {
	g, _, finders := likelySymbol(b)
	c := pt{finders[0].x + 4, finders[0].y - 2}
	ex, ey := pt{3, 0}, pt{0, 3}
	for _, impl := range []struct {
		name string
		f    func(*grey, pt, pt, pt, float64, float64, concentricMeasure) (pt, bool)
	}{{"ref", findConcentricRef}, {"table", findConcentric}} {
		b.Run("impl="+impl.name, func(b *testing.B) {
			for b.Loop() {
				if _, ok := impl.f(&g, c, ex, ey, 1, 30, templateCorrelation); !ok {
					b.Fatal("no finder pattern found")
				}
			}
		})
	}
}

// findConcentricRef is findConcentric as it was, every candidate sampled
// on its own.
func findConcentricRef(g *grey, c, ex, ey pt, sign, mods float64, m concentricMeasure) (pt, bool) {
	at := func(o pt, u, v float64) float64 {
		return g.at(pt{o.x + u*ex.x + v*ey.x, o.y + u*ex.y + v*ey.y})
	}
	var vals [49]float64
	score := func(o pt) float64 {
		if m == ringContrast {
			core := (at(o, 0, 0) + at(o, -0.7, 0) + at(o, 0.7, 0) + at(o, 0, -0.7) + at(o, 0, 0.7)) / 5
			var light, dark float64
			for _, d := range ringDirections {
				light += at(o, 2*d[0], 2*d[1])
				dark += at(o, 3*d[0], 3*d[1])
			}
			return sign * (light/8 - (core+dark/8)/2)
		}
		sum := 0.0
		for j := 0; j < 7; j++ {
			for i := 0; i < 7; i++ {
				vals[j*7+i] = at(o, float64(i-3), float64(j-3))
				sum += vals[j*7+i]
			}
		}
		mean := sum / 49
		var sxy, sxx float64
		for k, v := range vals {
			d := v - mean
			sxy += d * finderTemplate[k]
			sxx += d * d
		}
		if sxx == 0 {
			return 0
		}
		return sign * sxy / math.Sqrt(sxx*finderTemplateVar)
	}
	reach := math.Min(3, mods/4)
	best, bestScore := c, math.Inf(-1)
	for v := -reach; v <= reach; v += 0.5 {
		for u := -reach; u <= reach; u += 0.5 {
			o := pt{c.x + u*ex.x + v*ey.x, c.y + u*ex.y + v*ey.y}
			if s := score(o); s > bestScore {
				best, bestScore = o, s
			}
		}
	}
	centre := best
	for v := -0.5; v <= 0.5; v += 0.125 {
		for u := -0.5; u <= 0.5; u += 0.125 {
			o := pt{centre.x + u*ex.x + v*ey.x, centre.y + u*ex.y + v*ey.y}
			if s := score(o); s > bestScore {
				best, bestScore = o, s
			}
		}
	}
	bar := 10.0
	if m == templateCorrelation {
		bar = minConcentric
	}
	return best, bestScore >= bar && g.inside(best)
}

// TestForeshortened: finder pattern centres and module sizes taken from
// a projective map, sizes scaled as w^(−3/2) as foreshortened assumes,
// give back that map.
func TestForeshortened(t *testing.T) {
	const n = 61.0
	want := homography{6, 0.5, 400, -0.3, 5.5, 200, 0.012, -0.002, 1}
	mod := []pt{{3.5, 3.5}, {n - 3.5, 3.5}, {3.5, n - 3.5}}
	var finders []pt
	var sizes [3]float64
	for i, m := range mod {
		finders = append(finders, want.apply(m))
		w := want[6]*m.x + want[7]*m.y + want[8]
		sizes[i] = 5 * math.Pow(w, -1.5)
	}
	h, ok := foreshortened(finders, sizes, n)
	if !ok {
		t.Fatal("foreshortened failed")
	}
	for _, m := range []pt{{n, n}, {n / 2, n / 2}, {0, n}, {n - 6.5, n - 6.5}} {
		a, b := h.apply(m), want.apply(m)
		if math.Hypot(a.x-b.x, a.y-b.y) > 1e-6 {
			t.Errorf("foreshortened maps %v to %v, want %v", m, a, b)
		}
	}
	// Sizes that put the line at infinity across the symbol: a top right
	// pattern 100 times the top left's puts it just past that pattern,
	// and 100 times smaller ones make w at the top left negative.
	for _, s := range [][3]float64{{5, 500, 5}, {5, 0.05, 0.05}} {
		if _, ok := foreshortened(finders, s, n); ok {
			t.Errorf("foreshortened(module sizes %v) = ok, want refused: the line at infinity crosses the symbol", s)
		}
	}
}

// TestGridDecodeForeshortened draws a symbol seen at a steep angle (its
// right side 60 % as tall as its left) and checks that, from its finder
// patterns, no side reads through the affine map they fix, but the true
// side reads through the projective map their module sizes suggest, and
// that gridDecodeSides gets there by itself.
func TestGridDecodeForeshortened(t *testing.T) {
	text := testcode.Issue(9, codec.Colour(0), codec.Kind(0))
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	src := q.Image(1)
	const quiet = 4
	dim := src.Rect.Dx() - 2*quiet
	n := float64(dim)
	// Module (0, 0) to (n, n) onto a quadrilateral whose right side is
	// short: left edge 330 px tall, right edge 200 px.
	h, ok := fit([]pt{{0, 0}, {n, 0}, {0, n}, {n, n}}, []pt{{100, 60}, {400, 125}, {100, 390}, {400, 325}})
	if !ok {
		t.Fatal("fit failed")
	}
	inv, ok := fit([]pt{{100, 60}, {400, 125}, {100, 390}, {400, 325}}, []pt{{0, 0}, {n, 0}, {0, n}, {n, n}})
	if !ok {
		t.Fatal("fit failed")
	}
	const w, hgt = 520, 460
	pix := make([]byte, w*hgt)
	for y := range hgt {
		for x := range w {
			// 4×4 samples a pixel, for smooth edges.
			sum := 0
			for k := range 16 {
				m := inv.apply(pt{float64(x) + (float64(k%4)+0.5)/4, float64(y) + (float64(k/4)+0.5)/4})
				mx, my := int(math.Floor(m.x))+quiet, int(math.Floor(m.y))+quiet
				v := 235
				if mx >= 0 && my >= 0 && mx < src.Rect.Dx() && my < src.Rect.Dy() && src.GrayAt(mx, my).Y < 128 {
					v = 25
				}
				sum += v
			}
			pix[y*w+x] = byte(sum / 16)
		}
	}
	g := grey{pix, w, hgt, w}
	// Finder pattern centres where the map puts them; module sizes as
	// the plane shows them, the geometric mean of the map's scales.
	var finders []pt
	var sizes [3]float64
	for i, m := range []pt{{3.5, 3.5}, {n - 3.5, 3.5}, {3.5, n - 3.5}} {
		finders = append(finders, h.apply(m))
		a, b, c := h.apply(pt{m.x - 0.5, m.y - 0.5}), h.apply(pt{m.x + 0.5, m.y - 0.5}), h.apply(pt{m.x - 0.5, m.y + 0.5})
		sizes[i] = math.Sqrt(math.Hypot(b.x-a.x, b.y-a.y) * math.Hypot(c.x-a.x, c.y-a.y))
	}
	if r := slices.Max(sizes[:]) / slices.Min(sizes[:]); r <= perspectiveSizes {
		t.Fatalf("module sizes %v only %.2f× apart: not foreshortened enough to test", sizes, r)
	}
	dec := decoder.NewDecoder()
	ms := (sizes[0] + sizes[1] + sizes[2]) / 3
	for d := dim - 8; d <= dim+8; d += 4 {
		if _, _, ok := gridDecodeDim(&g, finders, nil, d, false, false, false, dec); ok {
			t.Fatalf("side %d read through the affine map: the symbol is not foreshortened enough to test", d)
		}
	}
	start, ok := foreshortened(finders, sizes, n)
	if !ok {
		t.Fatal("foreshortened failed")
	}
	if r, _, ok := gridDecodeDim(&g, finders, &start, dim, false, false, false, dec); !ok || r.GetText() != text {
		t.Errorf("gridDecodeDim(side %d, foreshortened start) = %v, want %.20q…", dim, ok, text)
	}
	d1, d2 := math.Hypot(finders[1].x-finders[0].x, finders[1].y-finders[0].y), math.Hypot(finders[2].x-finders[0].x, finders[2].y-finders[0].y)
	tri := sampledTriple{finders: finders, sizes: sizes, est: (d1+d2)/2/ms + 7}
	tri.dims, tri.best = likelyDimsScored(&g, finders, tri.est, false)
	if r, _, ok, _ := gridDecodeSides(&g, tri, false, false, dec); !ok || r.GetText() != text {
		t.Errorf("gridDecodeSides(foreshortened symbol) = %v, want it read", ok)
	}
}
