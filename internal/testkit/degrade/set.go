package degrade

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"

	"github.com/offcode/offcode/render"
)

// Condition is one kind of degradation, with its parameters for variant v.
type Condition struct {
	Name   string
	Params func(v int) Params
}

// Blurred reports whether c is one of the conditions of heavy blur added
// for the scanner's deblurring step, which a scanner is held to a floor
// of its own on, apart from the rest.
func (c Condition) Blurred() bool {
	switch c.Name {
	case "heavy_shake", "defocused_card", "blurred_combination", "long_trail", "blurred_sheet", "decaying_shake", "decaying_sheet":
		return true
	}
	return false
}

// Conditions lists every condition of the set. All frames are 640×480 at
// about 4 pixels per module unless said otherwise.
var Conditions = []Condition{
	{"rotation", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 4, Angle: math.Mod(13+float64(v)*47, 360)}
	}},
	{"perspective", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 4, Angle: float64(v) * 29, Tilt: 0.05 + 0.02*float64(v%4)}
	}},
	{"blur", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 5, Angle: 5 * float64(v), Blur: 1.2 + 0.3*float64(v%3)}
	}},
	{"noise", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 4, Angle: 7 * float64(v), Noise: 25 + 5*float64(v%3)}
	}},
	{"low_contrast", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 4, Angle: 9 * float64(v), Ink: 115, Paper: 150, Noise: 3}
	}},
	{"uneven_light", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 4, Angle: 3 * float64(v), Uneven: 0.6 + 0.05*float64(v%4)}
	}},
	{"jpeg", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 3.5, Angle: 17 * float64(v), Noise: 4, JPEG: 15 + 5*(v%3)}
	}},
	{"small", func(v int) Params {
		return Params{Width: 320, Height: 240, PPM: 2 + 0.15*float64(v%3), Angle: 11 * float64(v), Blur: 0.5}
	}},
	{"mirrored", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 4, Angle: 31 * float64(v), Mirror: true}
	}},
	{"inverted", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 4, Angle: 19 * float64(v), Invert: true}
	}},
	{"blot", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 4, Angle: 23 * float64(v), Blot: 8 + float64(v%3)}
	}},
	{"phone_1280x720", func(v int) Params {
		return Params{Width: 1280, Height: 720, PPM: 5, Angle: 37 * float64(v), Tilt: 0.05, Blur: 1, Noise: 8, Uneven: 0.4, JPEG: 60}
	}},
	// The conditions below model what an independent set of photos showed
	// the scanner weak at: strong perspective, camera shake, a glare strip,
	// tiny rotated JPEGs, and photos of pages of small, blurred symbols.
	{"strong_perspective", func(v int) Params {
		return Params{Width: 800, Height: 600, PPM: 4.5, Angle: 41 * float64(v), Tilt: 0.12 + 0.02*float64(v%5), Noise: 3}
	}},
	{"shake", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 5 + 0.5*float64(v%3), Angle: 13 * float64(v), Motion: 7 + 1.5*float64(v%4), MotionAngle: 37 * float64(v), Noise: 4}
	}},
	{"glare", func(v int) Params {
		return Params{Width: 640, Height: 480, PPM: 4, Angle: 17 * float64(v), Glare: 0.05 + 0.01*float64(v%3), Noise: 3}
	}},
	{"tiny_jpeg", func(v int) Params {
		return Params{Width: 480, Height: 360, PPM: 1.5 + 0.15*float64(v%4), Angle: 11 + 23*float64(v), Blur: 0.4, Noise: 3, JPEG: 40 + 5*(v%3)}
	}},
	{"small_blurred", func(v int) Params {
		return Params{Width: 800, Height: 600, PPM: 3 + 0.3*float64(v%3), Angle: 19*float64(v) - 30, Tilt: 0.04, Blur: 1.3 + 0.2*float64(v%3), Noise: 6, JPEG: 35}
	}},
	{"combined", func(v int) Params {
		p := Params{Width: 1024, Height: 768, PPM: 3 + 0.25*float64(v%6), Angle: float64(v*31%80 - 40), Tilt: 0.06 + 0.02*float64(v%4),
			Blur: 0.8 + 0.2*float64(v%3), Uneven: 0.4 + 0.05*float64(v%5), Noise: 6 + 2*float64(v%3), JPEG: 30 + 5*(v%4)}
		if v%2 == 1 {
			p.Motion, p.MotionAngle = 5, float64(v*53)
		}
		if v%3 == 0 {
			p.Glare = 0.05
		}
		return p
	}},
	{"page", func(v int) Params {
		return Params{Width: 900, Height: 1200, PPM: 2.7 + 0.2*float64(v%3), Angle: 7*float64(v) - 10, Tilt: 0.03 + 0.01*float64(v%3), Blur: 0.7 + 0.15*float64(v%3), Noise: 5, Uneven: 0.3, JPEG: 50, Symbols: 6, Columns: 2}
	}},
	// Phone cards, four to a sheet: the text and frames around each
	// symbol, at about 3 pixels per module, and (small_cards) about 2.2.
	{"cards", func(v int) Params {
		return Params{Width: 1000, Height: 1400, PPM: 0.27 + 0.02*float64(v%3), Angle: 8*float64(v%5) - 16, Tilt: 0.03 + 0.015*float64(v%3), Blur: 0.7 + 0.15*float64(v%3), Noise: 5, Uneven: 0.3, JPEG: 50, Symbols: 4, Columns: 2, Cards: true}
	}},
	{"small_cards", func(v int) Params {
		return Params{Width: 1000, Height: 1400, PPM: 0.21 + 0.02*float64(v%3), Angle: 8*float64(v%5) - 16, Tilt: 0.04 + 0.02*float64(v%3), Blur: 0.8 + 0.15*float64(v%3), Noise: 5, Uneven: 0.3, JPEG: 50, Symbols: 4, Columns: 2, Cards: true}
	}},
	// Heavy blur that only deblurring reads: camera shake of 10 to 17.5
	// pixels (two modules and more), even or fading; a printed card
	// photographed out of focus; and blur with everything else a hurried
	// photo brings.
	{"heavy_shake", func(v int) Params {
		return Params{Width: 800, Height: 600, PPM: 5 + 0.4*float64(v%4), Angle: 11*float64(v) + 3, Motion: 10 + 2.5*float64(v%4), MotionAngle: 29*float64(v) + 10, Trail: v%2 == 1, Noise: 4, JPEG: 60}
	}},
	{"defocused_card", func(v int) Params {
		return Params{Width: 1280, Height: 720, PPM: 0.5 + 0.05*float64(v%3), Angle: 9*float64(v%5) - 20, Tilt: 0.04 + 0.02*float64(v%3), Blur: 2.6 + 0.4*float64(v%3), Noise: 5, Uneven: 0.3, JPEG: 40, Symbols: 1, Columns: 1, Cards: true}
	}},
	{"blurred_combination", func(v int) Params {
		p := Params{Width: 1024, Height: 768, PPM: 4 + 0.3*float64(v%4), Angle: float64(v*37%70 - 35), Tilt: 0.05 + 0.02*float64(v%3),
			Blur: 2 + 0.3*float64(v%3), Ink: 60, Paper: 180, Uneven: 0.3, Noise: 5, JPEG: 35 + 5*(v%3)}
		if v%2 == 0 {
			p.Motion, p.MotionAngle, p.Blur, p.Trail = 7+2*float64(v%3), float64(v*61+20), 0.8, v%4 == 0
		}
		return p
	}},
	// A long fading trail: the camera jerked and stopped.
	{"long_trail", func(v int) Params {
		return Params{Width: 800, Height: 600, PPM: 5 + 0.5*float64(v%3), Angle: 17*float64(v) - 20, Motion: 20 + 4*float64(v%4), MotionAngle: 43*float64(v) + 5, Trail: true, Noise: 4, JPEG: 60}
	}},
	// A card photographed small (about 3.5 pixels a module) and out of
	// focus, some shaken too: a printed sheet across a phone's frame.
	{"blurred_sheet", func(v int) Params {
		p := Params{Width: 1280, Height: 720, PPM: 0.25 + 0.02*float64(v%3), Angle: 11*float64(v%5) - 22, Tilt: 0.05 + 0.02*float64(v%3), Blur: 1.4 + 0.2*float64(v%3), Noise: 6, Uneven: 0.35, JPEG: 35, Symbols: 1, Columns: 1, Cards: true}
		if v%2 == 1 {
			p.Motion, p.MotionAngle = 5, 70*float64(v)
		}
		return p
	}},
	// A sheet of eight phone cards, four to a row, photographed whole at
	// an angle: perspective, uneven light, blur, noise and JPEG, 2.5 to
	// 3 pixels per module, every symbol to be read in one scan.
	{"card_sheet", func(v int) Params {
		return Params{Width: 1600, Height: 1200, PPM: 0.2 + 0.02*float64(v%3), Angle: 12*float64(v%5) - 24, Tilt: 0.05 + 0.02*float64(v%4), Blur: 0.8 + 0.2*float64(v%3), Noise: 5 + float64(v%3), Uneven: 0.35 + 0.05*float64(v%3), JPEG: 35 + 5*(v%3), Symbols: 8, Columns: 4, Cards: true}
	}},
	// A card photographed small across a phone's frame, sharp but at
	// about 2 pixels per module, tilted, in uneven light.
	{"small_sheet", func(v int) Params {
		return Params{Width: 1280, Height: 720, PPM: 0.18 + 0.015*float64(v%3), Angle: 13*float64(v%5) - 26, Tilt: 0.07 + 0.025*float64(v%3), Blur: 0.5, Noise: 4, Uneven: 0.4 + 0.05*float64(v%3), JPEG: 45 + 5*(v%3), Symbols: 1, Columns: 1, Cards: true}
	}},
	// A page of eight symbols, two to a row, photographed at a steep
	// angle: perspective, rotation, blur, noise, uneven light and JPEG.
	{"tilted_page", func(v int) Params {
		return Params{Width: 1100, Height: 1400, PPM: 3 + 0.2*float64(v%3), Angle: 12*float64(v%5) - 24, Tilt: 0.06 + 0.015*float64(v%3), Blur: 0.7 + 0.15*float64(v%3), Noise: 5, Uneven: 0.35, JPEG: 40 + 5*(v%3), Symbols: 8, Columns: 2}
	}},
	// A camera that jerked and came to rest (a smear whose weight decays
	// exponentially from its start, 3.5 to 4.7 pixels to 1/e), then out
	// of focus, at 3.1 to 4 pixels per module: a bare symbol tilted, a
	// glare strip across some; and a card photographed small on a sheet.
	{"decaying_shake", func(v int) Params {
		p := Params{Width: 800, Height: 600, PPM: 2.9 + 0.3*float64(v%4), Angle: float64(v*23%70 - 35), Tilt: 0.04 + 0.02*float64(v%4),
			Motion: 28, Decay: 5 + 0.8*float64(v%3), MotionAngle: 47*float64(v) + 15, Blur: 0.8 + 0.3*float64(v%3), Uneven: 0.3, Noise: 4, JPEG: 40 + 5*(v%3)}
		if v%3 == 1 {
			p.Glare = 0.05
		}
		return p
	}},
	{"decaying_sheet", func(v int) Params {
		return Params{Width: 1280, Height: 720, PPM: 0.26 + 0.02*float64(v%3), Angle: 9*float64(v%5) - 18, Tilt: 0.04 + 0.015*float64(v%3),
			Motion: 20, Decay: 3 + 0.7*float64(v%3), MotionAngle: 53*float64(v) + 30, Blur: 1.1 + 0.25*float64(v%3), Noise: 5, Uneven: 0.3, JPEG: 35 + 5*(v%2), Symbols: 1, Columns: 1, Cards: true}
	}},
}

// Set returns variants samples of every condition, each of different
// codes: the k-th symbol drawn is texts[k % len(texts)].
func Set(texts []string, variants int) ([]Sample, error) {
	var out []Sample
	k := 0
	for _, c := range Conditions {
		for v := 0; v < variants; v++ {
			p := c.Params(v)
			count, cols := max(p.Symbols, 1), max(p.Columns, 1)
			var syms []Symbol
			var cards []*image.Gray
			var ts []string
			for range count {
				text := texts[k%len(texts)]
				k++
				ts = append(ts, text)
				if p.Cards {
					g, err := cardImage(text)
					if err != nil {
						return nil, err
					}
					cards = append(cards, g)
					continue
				}
				q, err := render.NewQR(text, render.LevelQ)
				if err != nil {
					return nil, err
				}
				syms = append(syms, q)
			}
			p.Seed = uint64(k)
			var img image.Image
			var jpg []byte
			var err error
			if p.Cards {
				img, jpg, err = MakeCardPage(cards, cols, p)
			} else {
				img, jpg, err = MakePage(syms, cols, p)
			}
			if err != nil {
				return nil, fmt.Errorf("degrade: %s %d: %w", c.Name, v, err)
			}
			out = append(out, Sample{
				Name:      fmt.Sprintf("%s_%02d", c.Name, v),
				Condition: c.Name,
				Text:      ts[0],
				Texts:     ts,
				Image:     img,
				JPEG:      jpg,
			})
		}
	}
	return out, nil
}

// cardImage returns the phone card of text (render.WriteCardPNG) in grey.
func cardImage(text string) (*image.Gray, error) {
	var buf bytes.Buffer
	if err := render.WriteCardPNG(&buf, text, nil); err != nil {
		return nil, err
	}
	c, err := png.Decode(&buf)
	if err != nil {
		return nil, fmt.Errorf("degrade: %w", err)
	}
	g := image.NewGray(c.Bounds())
	draw.Draw(g, g.Rect, c, c.Bounds().Min, draw.Src)
	return g, nil
}
