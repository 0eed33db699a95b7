package scan

import (
	"bytes"
	"image"
	"math"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/degrade"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

// testPage returns a page of four symbols seen at an angle, two to a row,
// and the four symbols as scanAll reads them, in the order drawn.
func testPage(t *testing.T) (*grey, []found) {
	t.Helper()
	var syms []degrade.Symbol
	var texts []string
	for i := range 4 {
		text := testcode.Issue(20+i, codec.Colour(i%3), codec.Kind(i%2))
		q, err := render.NewQR(text, render.LevelQ)
		if err != nil {
			t.Fatal(err)
		}
		syms = append(syms, q)
		texts = append(texts, text)
	}
	img, _, err := degrade.MakePage(syms, 2, degrade.Params{Width: 900, Height: 900, PPM: 3.2, Angle: 14, Tilt: 0.06, Blur: 0.6, Noise: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	pix, w, h, stride := luminance(img)
	fs, _, err := scanAll(pix, w, h, stride)
	if err != nil {
		t.Fatal(err)
	}
	byText := map[string]found{}
	for _, f := range fs {
		byText[f.text] = f
	}
	var out []found
	for _, text := range texts {
		f, ok := byText[text]
		if !ok {
			t.Fatalf("scanAll read %d of the page's 4 symbols", len(fs))
		}
		out = append(out, f)
	}
	return &grey{pix, w, h, stride}, out
}

// TestFinishPage reads the fourth symbol of a page from the three read
// and from three, two or one of its finder patterns found by the steps
// (pooled), at the picture's module size; and reads nothing from one
// symbol read, or patterns of another size.
func TestFinishPage(t *testing.T) {
	g, fs := testPage(t)
	lost := fs[3]
	ms := math.Hypot(lost.points[1].x-lost.points[2].x, lost.points[1].y-lost.points[2].y) / float64(symbolDim(t, lost.text)-7)
	pool := func(k int, scale float64, reads []found) []pageCentre {
		var out []pageCentre
		for _, f := range reads {
			for _, p := range f.points[:3] {
				out = append(out, pageCentre{p, ms})
			}
		}
		for _, p := range lost.points[:k] {
			out = append(out, pageCentre{pt{p.x + 0.4, p.y - 0.3}, scale * ms})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		reads []found
		k     int
		scale float64
		want  bool
	}{
		{"three patterns", fs[:3], 3, 1, true},
		{"two patterns", fs[:3], 2, 1, true},
		{"one pattern", fs[:3], 1, 1, true},
		{"one symbol read", fs[:1], 3, 1, false},
		{"patterns twice the size", fs[:3], 3, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &scanner{dec: decoder.NewDecoder(), pageCentres: pool(tc.k, tc.scale, tc.reads)}
			got := s.finishPage(g, tc.reads)
			if read := len(got) == 1 && got[0].text == lost.text; read != tc.want || len(got) > 1 {
				t.Errorf("finishPage read %d symbols (the lost one: %v), want it read: %v", len(got), read, tc.want)
			}
		})
	}
}

// TestFinishPageCut reads the fourth symbol of a page whose right edge
// cuts off its top-right finder pattern (and a few per cent of its
// modules), from the three symbols read and the patterns of it that the
// steps found: two, then one (the pattern beside it searched for or,
// when it is the one cut off, taken where the page's shape puts it). On
// the whole plane, the lost symbol's patterns read it too; past maxCut
// of its modules cut off, nothing is read.
func TestFinishPageCut(t *testing.T) {
	g, fs := testPage(t)
	lost := fs[3]
	bl, tl, tr := lost.points[0], lost.points[1], lost.points[2]
	ms := math.Hypot(tl.x-tr.x, tl.y-tr.y) / float64(symbolDim(t, lost.text)-7)
	for _, tc := range []struct {
		name  string
		width float64 // the plane's width, in pixels
		pool  []pt    // the lost symbol's patterns found
		want  bool
	}{
		{"two patterns, the third cut off", tr.x - 2*ms, []pt{bl, tl}, true},
		{"bottom left, top right cut off", tr.x - 2*ms, []pt{bl}, true},
		{"top left, top right cut off", tr.x - 2*ms, []pt{tl}, true},
		{"a third of the symbol cut off", tl.x + 20*ms, []pt{bl, tl}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pool []pageCentre
			for _, f := range fs[:3] {
				for _, p := range f.points[:3] {
					pool = append(pool, pageCentre{p, ms})
				}
			}
			for _, p := range tc.pool {
				pool = append(pool, pageCentre{pt{p.x + 0.4, p.y - 0.3}, ms})
			}
			cut := *g
			cut.w = int(tc.width)
			s := &scanner{dec: decoder.NewDecoder(), pageCentres: pool}
			got := s.finishPage(&cut, fs[:3])
			if read := len(got) == 1 && got[0].text == lost.text; read != tc.want || len(got) > 1 {
				t.Errorf("finishPage on a plane %d px wide read %d symbols (the lost one: %v), want it read: %v", cut.w, len(got), read, tc.want)
			}
		})
	}
}

// TestReadPendingLone: an attempt that reads two symbols of a page and
// finds, outside them, one finder pattern of their size and no other (a
// symbol whose two other patterns it missed) says the page is not
// finished, so that later steps look for the rest.
func TestReadPendingLone(t *testing.T) {
	const scale, quiet = 3, 4
	var qs []*render.QR
	for i := range 3 {
		q, err := render.NewQR(testcode.Issue(40+i, codec.Green, codec.Personal), render.LevelQ)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q)
	}
	side := qs[0].Image(scale).Rect.Dx()
	w, h := 3*side, side
	pix := make([]byte, w*h)
	for i, q := range qs {
		img := q.Image(scale)
		for y := 0; y < side; y++ {
			copy(pix[y*w+i*side:y*w+(i+1)*side], img.Pix[y*img.Stride:y*img.Stride+side])
		}
	}
	// The third symbol keeps its top-left finder pattern; the rest of it
	// is under a grey blot.
	for y := 0; y < side; y++ {
		for x := (quiet + 8) * scale; x < side; x++ {
			pix[y*w+2*side+x] = 128
		}
	}
	for y := (quiet + 8) * scale; y < side; y++ {
		for x := 0; x < side; x++ {
			pix[y*w+2*side+x] = 128
		}
	}
	p := &plane{grey: grey{pix, w, h, w}, scale: 1}
	s := &scanner{dec: decoder.NewDecoder()}
	out, pending := s.read(p, ladder[0])
	cs, _ := (&scanner{dec: decoder.NewDecoder()}).centres(p, p.binarise(ladder[0]), ladder[0])
	lone := 0
	for _, c := range cs {
		if c.GetX() >= float64(2*side) {
			lone++
		}
	}
	if len(out) != 2 || lone != 1 {
		t.Fatalf("read %d symbols of 3 and found %d patterns of the third; the test wants 2 and 1", len(out), lone)
	}
	if pending == 0 {
		t.Error("pending 0: the lone pattern left does not hold the page open")
	}
}

// symbolDim returns the side in modules of text's symbol as render draws
// it.
func symbolDim(t *testing.T, text string) int {
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	return q.Image(1).Rect.Dx() - 8 // less the quiet zone
}

// TestShapeAt: the sides of a page's symbols that vary linearly across
// the page (perspective, to first order) are found anywhere on it from
// three symbols; from two, those of the nearest.
func TestShapeAt(t *testing.T) {
	side := func(p pt) (pt, pt) {
		return pt{100 + 0.05*p.x, 10 - 0.02*p.y}, pt{-12 + 0.01*p.y, 110 - 0.03*p.x}
	}
	symbol := func(tl pt) found {
		u, v := side(tl)
		return found{"", []pt{{tl.x + v.x, tl.y + v.y}, tl, {tl.x + u.x, tl.y + u.y}}}
	}
	fs := []found{symbol(pt{100, 100}), symbol(pt{400, 120}), symbol(pt{120, 420})}
	q := pt{430, 450}
	same := func(a, b, c, d pt) bool {
		return math.Hypot(a.x-c.x, a.y-c.y) < 1e-6 && math.Hypot(b.x-d.x, b.y-d.y) < 1e-6
	}
	u, v := shapeAt(fs, q)
	if wu, wv := side(q); !same(u, v, wu, wv) {
		t.Errorf("shapeAt(%v) = %v, %v, want %v, %v", q, u, v, wu, wv)
	}
	u, v = shapeAt(fs[:2], q)
	if wu, wv := side(pt{400, 120}); !same(u, v, wu, wv) {
		t.Errorf("shapeAt of two symbols = %v, %v, want the nearest's %v, %v", u, v, wu, wv)
	}
	// In a line: no plane to fit, the nearest.
	line := []found{symbol(pt{100, 100}), symbol(pt{300, 100}), symbol(pt{500, 100})}
	u, v = shapeAt(line, pt{480, 300})
	if wu, wv := side(pt{500, 100}); !same(u, v, wu, wv) {
		t.Errorf("shapeAt of symbols in a line = %v, %v, want the nearest's %v, %v", u, v, wu, wv)
	}
}

// TestThirdPattern places the third finder pattern of a symbol from every
// pair of its patterns, either way round, and none from a pair at
// another spacing.
func TestThirdPattern(t *testing.T) {
	tl, tr, bl := pt{100, 100}, pt{190, 120}, pt{80, 190}
	u, v := pt{tr.x - tl.x, tr.y - tl.y}, pt{bl.x - tl.x, bl.y - tl.y}
	for _, tc := range []struct{ a, b, want pt }{
		{tl, tr, bl}, {tr, tl, bl}, {tl, bl, tr}, {bl, tl, tr}, {tr, bl, tl}, {bl, tr, tl},
	} {
		got, ok := thirdPattern(tc.a, tc.b, u, v)
		if !ok || math.Hypot(got.x-tc.want.x, got.y-tc.want.y) > 1e-9 {
			t.Errorf("thirdPattern(%v, %v) = %v, %v, want %v", tc.a, tc.b, got, ok, tc.want)
		}
	}
	// The symbol turned by 8° and 10 % bigger than u and v say: the
	// third is turned and scaled as the pair is.
	c, sn := 1.1*math.Cos(8*math.Pi/180), 1.1*math.Sin(8*math.Pi/180)
	turn := func(p pt) pt {
		d := pt{p.x - tl.x, p.y - tl.y}
		return pt{tl.x + c*d.x - sn*d.y, tl.y + sn*d.x + c*d.y}
	}
	for _, tc := range []struct{ a, b, want pt }{
		{tl, turn(tr), turn(bl)}, {turn(bl), tl, turn(tr)}, {turn(tr), turn(bl), tl},
	} {
		got, ok := thirdPattern(tc.a, tc.b, u, v)
		if !ok || math.Hypot(got.x-tc.want.x, got.y-tc.want.y) > 1e-9 {
			t.Errorf("thirdPattern(%v, %v) of a turned symbol = %v, %v, want %v", tc.a, tc.b, got, ok, tc.want)
		}
	}
	if got, ok := thirdPattern(tl, pt{tl.x + 2*u.x, tl.y + 2*u.y}, u, v); ok {
		t.Errorf("thirdPattern of patterns two sides apart = %v, want none", got)
	}
}

// TestKeepCentres pools the centres of attempts in picture pixels, each
// once, and none of an inverted attempt.
func TestKeepCentres(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	p := &plane{grey: grey{img.Pix, 20, 20, 20}, scale: 2}
	s := &scanner{}
	s.keepCentres(p, false, testPatterns(pt{40, 40}, pt{100, 40}, pt{41, 41}))
	s.keepCentres(p, true, testPatterns(pt{10, 10}, pt{200, 200}))
	if len(s.pageCentres) != 2 || s.pageCentres[1].at != (pt{50, 20}) || s.pageCentres[1].ms != 1 {
		t.Errorf("pooled %v, want (20,20) and (50,20) of module 1", s.pageCentres)
	}
}

func testPatterns(ps ...pt) []*detector.FinderPattern {
	var out []*detector.FinderPattern
	for _, p := range ps {
		out = append(out, detector.NewFinderPattern1(p.x, p.y, 2))
	}
	return out
}

// TestSizedAsKnown: a triple left unread keeps a page going only if its
// module size, in picture pixels, is about that of the symbols read; any
// triple does before a symbol is read.
func TestSizedAsKnown(t *testing.T) {
	p := &plane{scale: 2}
	triple := func(ms float64) *detector.FinderPatternInfo {
		f := func(x, y float64) *detector.FinderPattern { return detector.NewFinderPattern1(x, y, ms) }
		return detector.NewFinderPatternInfo(f(0, 100), f(0, 0), f(100, 0))
	}
	s := &scanner{}
	if !s.sizedAsKnown(p, triple(40)) {
		t.Errorf("sizedAsKnown(no symbol read) = false, want true")
	}
	s.known = []knownSymbol{{module: 3}, {module: 5}} // mean 4 picture pixels
	for _, c := range []struct {
		ms   float64 // on the plane, twice the picture's
		want bool
	}{{8, true}, {6, true}, {10.8, true}, {5.4, false}, {11.4, false}, {2, false}, {40, false}} {
		if got := s.sizedAsKnown(p, triple(c.ms)); got != c.want {
			t.Errorf("sizedAsKnown(module %.1f on a ×2 plane, symbols of 4) = %v, want %v", c.ms, got, c.want)
		}
	}
}

// TestDoubled: a large picture is doubled only around the finder
// patterns pooled with modules under doubleBelow, doubleMargin modules
// out, and the doubled region maps back onto the picture; a large picture
// with no such pattern, or a small one, is doubled whole.
func TestDoubled(t *testing.T) {
	const w, h = 1000, 600
	pix := make([]byte, w*h)
	for i := range pix {
		pix[i] = byte(i*7 + i/w)
	}
	s := &scanner{pageCentres: []pageCentre{{pt{500.4, 300.7}, 2}, {pt{520, 310}, 1.5}, {pt{100, 100}, 4}}}
	p := s.doubled(pix, w, h, w)
	// 80 modules of 2 pixels about (500, 300), and of 1.5 about (520, 310).
	want := image.Rect(500-160, 300-160, 500+161, 300+161).Union(image.Rect(520-120, 310-120, 520+121, 310+121))
	if got := image.Rect(int(p.ox), int(p.oy), int(p.ox)+p.w/2, int(p.oy)+p.h/2); got != want || p.scale != 2 {
		t.Fatalf("doubled region %v at scale %g, want %v at 2", got, p.scale, want)
	}
	ref := resize(pix[want.Min.Y*w+want.Min.X:], want.Dx(), want.Dy(), w, 2*want.Dx(), 2*want.Dy())
	if !bytes.Equal(p.pix, ref) {
		t.Errorf("doubled region differs from the region resized")
	}
	if q := p.toPicture(pt{2 * 10, 2 * 20}); q != (pt{float64(want.Min.X + 10), float64(want.Min.Y + 20)}) {
		t.Errorf("toPicture(20, 40) = %v, want %v", q, pt{float64(want.Min.X + 10), float64(want.Min.Y + 20)})
	}
	for name, s := range map[string]*scanner{"no small pattern": {pageCentres: s.pageCentres[2:]}, "none": {}} {
		if p := s.doubled(pix, w, h, w); p.w != 2*w || p.h != 2*h || p.ox != 0 || p.oy != 0 {
			t.Errorf("doubled(%s) = %d×%d at (%g, %g), want the whole picture", name, p.w, p.h, p.ox, p.oy)
		}
	}
	small := &scanner{pageCentres: s.pageCentres}
	if p := small.doubled(pix[:300*400], 300, 400, 300); p.w != 600 || p.h != 800 {
		t.Errorf("doubled(small picture) = %d×%d, want it whole, 600×800", p.w, p.h)
	}
}

// TestSquarish: the page search tries triples whose sides are in a ratio
// up to 1.6, as triples does, turned or seen at an angle, and not the
// lopsided ones a stray third pattern or two cards' patterns make.
func TestSquarish(t *testing.T) {
	f := detector.NewFinderPattern1
	for _, c := range []struct {
		tr, bl pt
		want   bool
	}{
		{pt{100, 0}, pt{0, 100}, true},
		{pt{120, 40}, pt{-30, 110}, true},
		{pt{150, 0}, pt{0, 100}, true},
		{pt{159, -32}, pt{-16, 83}, false},
		{pt{0, 50}, pt{0, 100}, false},
		{pt{0, 0}, pt{0, 100}, false},
	} {
		info := detector.NewFinderPatternInfo(f(300+c.bl.x, 400+c.bl.y, 3), f(300, 400, 3), f(300+c.tr.x, 400+c.tr.y, 3))
		if got := squarish(info); got != c.want {
			t.Errorf("squarish(top right %v, bottom left %v from the top left) = %v, want %v", c.tr, c.bl, got, c.want)
		}
	}
}

// TestInKnown: a finder pattern found on a plane lies in a symbol read
// before if its picture point is within four modules of the
// parallelogram of that symbol's finder pattern centres.
func TestInKnown(t *testing.T) {
	s := &scanner{known: []knownSymbol{{tl: pt{100, 100}, u: pt{200, 0}, v: pt{0, 200}, module: 10}}}
	p := &plane{scale: 2, ox: 10}
	for _, c := range []struct {
		at   pt // on the plane
		want bool
	}{
		{pt{2 * (70 - 10), 2 * 70}, true},    // 3 modules above and left of the top left centre
		{pt{2 * (50 - 10), 2 * 50}, false},   // 5 modules out
		{pt{2 * (200 - 10), 2 * 200}, true},  // the middle
		{pt{2 * (335 - 10), 2 * 150}, true},  // 3.5 modules right of the top right centre
		{pt{2 * (345 - 10), 2 * 150}, false}, // 4.5 modules right
	} {
		if got := s.inKnown(p, detector.NewFinderPattern1(c.at.x, c.at.y, 20)); got != c.want {
			t.Errorf("inKnown(plane point %v) = %v, want %v", c.at, got, c.want)
		}
	}
	if (&scanner{}).inKnown(p, detector.NewFinderPattern1(200, 200, 20)) {
		t.Errorf("inKnown(no symbol read) = true")
	}
}
