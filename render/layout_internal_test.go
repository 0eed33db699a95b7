package render

import (
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
)

// drawing is a canvas that records filled rectangles and text with their
// colour and size.
type drawing struct {
	fill  rgb
	rects []drawnRect
	texts map[string]float64 // text: size in points
}

type drawnRect struct {
	fill       rgb
	x, y, w, h float64
}

func (d *drawing) setFill(k rgb)                     { d.fill = k }
func (d *drawing) rect(x, y, w, h float64)           { d.rects = append(d.rects, drawnRect{d.fill, x, y, w, h}) }
func (d *drawing) polygon([]point)                   {}
func (d *drawing) setStroke(rgb, float64, float64)   {}
func (d *drawing) line(x1, y1, x2, y2 float64)       {}
func (d *drawing) text(x, y, size float64, s string) { d.texts[s] = size }

// blackCovers reports whether a black rectangle covers the point x, y.
func (d *drawing) blackCovers(x, y float64) bool {
	for _, r := range d.rects {
		if r.fill == black && r.x <= x && x <= r.x+r.w && r.y <= y && y <= r.y+r.h {
			return true
		}
	}
	return false
}

// TestKinAtAGlance checks that a kinship sheet, batch card and phone card
// are framed in black at their left edge, halfway down, and a personal one
// is not; that the expiry is the largest type after the colour word; and
// that every text drawn is in the font.
func TestKinAtAGlance(t *testing.T) {
	fi, err := loadFont()
	if err != nil {
		t.Fatal(err)
	}
	f, err := loadOutlines()
	if err != nil {
		t.Fatal(err)
	}
	for kind := codec.Personal; kind <= codec.Kin; kind++ {
		cd, err := newCard(fi, testcode.Issue(int(kind), codec.Green, kind), "李*明", LevelQ)
		if err != nil {
			t.Fatal(err)
		}
		pc := &phoneCard{cd: cd, fi: fi, font: f, holderSize: phoneHolderSize, qrPx: 759, qxPx: 160}
		for _, c := range []struct {
			name     string
			draw     func(*drawing)
			x, y     float64 // a point of the left edge
			validMin float64 // the smallest size the expiry time may have
		}{
			{"sheet", func(d *drawing) { drawSheet(d, fi, cd) }, 2, pageH / 2, 24},
			{"batch card", func(d *drawing) { drawCard(d, fi, cd, 0, 0) }, 1.5, cardH / 2, 12},
			{"phone card", func(d *drawing) { pc.draw(d) }, 1, phoneH / 2, 28},
		} {
			d := &drawing{texts: map[string]float64{}}
			c.draw(d)
			if got, want := d.blackCovers(c.x, c.y), kind == codec.Kin; got != want {
				t.Errorf("%s %v: black at the left edge = %v, want %v", c.name, kind, got, want)
			}
			exp, word := d.texts[beijing(cd.exp)], d.texts[colourWords[cd.colour]]
			if exp < c.validMin || exp >= word {
				t.Errorf("%s %v: expiry time in %gpt, colour word %gpt; want at least %gpt and below the word", c.name, kind, exp, word, c.validMin)
			}
			for s := range d.texts {
				if err := fi.checkText(s); err != nil {
					t.Errorf("%s %v draws %q: %v", c.name, kind, s, err)
				}
			}
			for s, size := range d.texts {
				// Only the sheet has a title (离线码) and kind box larger
				// than the expiry.
				big := s == colourWords[cd.colour] || s == beijing(cd.exp) || c.name == "sheet" && (s == labelTitle || s == kindWords[kind])
				if !big && size > exp {
					t.Errorf("%s %v: %q in %gpt, larger than the expiry (%gpt)", c.name, kind, s, size, exp)
				}
			}
		}
	}
}
