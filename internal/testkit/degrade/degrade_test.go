package degrade

import (
	"bytes"
	"image"
	"math"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
)

type grid struct{}

// Image draws a 21-module checkerboard with its quiet zone.
func (grid) Image(scale int) *image.Gray {
	const n, q = 21, quietZone
	img := image.NewGray(image.Rect(0, 0, (n+2*q)*scale, (n+2*q)*scale))
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			mx, my := x/scale-q, y/scale-q
			img.Pix[y*img.Stride+x] = 0xff
			if mx >= 0 && my >= 0 && mx < n && my < n && (mx+my)%2 == 0 {
				img.Pix[y*img.Stride+x] = 0
			}
		}
	}
	return img
}

func TestMakeDeterministic(t *testing.T) {
	p := Params{Width: 200, Height: 150, PPM: 3, Angle: 33, Tilt: 0.05, Blur: 1, Noise: 10, Uneven: 0.5, Blot: 3, JPEG: 50, Seed: 7}
	a, ja, err := Make(grid{}, p)
	if err != nil {
		t.Fatal(err)
	}
	b, jb, err := Make(grid{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ja, jb) || !bytes.Equal(a.(*image.Gray).Pix, b.(*image.Gray).Pix) || len(ja) == 0 {
		t.Fatalf("Make(%+v) differs between two calls", p)
	}
	p.JPEG = 0
	g, _, err := Make(grid{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := g.(*image.Gray); !ok || g.Bounds().Dx() != 200 || bytes.Equal(g.(*image.Gray).Pix, a.(*image.Gray).Pix) {
		t.Fatalf("Make without JPEG = %T %v, want a 200 px wide *image.Gray", g, g.Bounds())
	}
}

func TestHomography(t *testing.T) {
	from := [4][2]float64{{0, 0}, {10, 0}, {10, 10}, {0, 10}}
	to := [4][2]float64{{1, 2}, {12, 1}, {13, 14}, {-1, 11}}
	m, err := homography(from, to)
	if err != nil {
		t.Fatal(err)
	}
	for i := range from {
		x, y := m.apply(from[i][0], from[i][1])
		if math.Abs(x-to[i][0]) > 1e-9 || math.Abs(y-to[i][1]) > 1e-9 {
			t.Errorf("homography maps %v to (%g, %g), want %v", from[i], x, y, to[i])
		}
	}
	if _, err := homography(from, [4][2]float64{}); err == nil {
		t.Errorf("homography onto a point succeeded")
	}
}

// TestSetCoversConditions: one sample of every condition, each with the
// texts of its symbols (several on a page; phone cards need codes that
// decode).
func TestSetCoversConditions(t *testing.T) {
	var texts []string
	for i := 0; i < 8; i++ {
		texts = append(texts, testcode.Issue(i, codec.Colour(i%3), codec.Kind(i%2)))
	}
	set, err := Set(texts, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(set) != len(Conditions) || len(Conditions) < 12 {
		t.Fatalf("Set(…, 1) = %d samples for %d conditions", len(set), len(Conditions))
	}
	for i, s := range set {
		want := max(Conditions[i].Params(0).Symbols, 1)
		if s.Condition != Conditions[i].Name || s.Image == nil || len(s.Texts) != want || s.Texts[0] != s.Text {
			t.Errorf("sample %d = %s/%s with %d texts, want %s with %d", i, s.Name, s.Condition, len(s.Texts), Conditions[i].Name, want)
		}
	}
}
