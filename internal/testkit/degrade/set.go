package degrade

import (
	"fmt"
	"math"

	"github.com/offcode/offcode/render"
)

// Condition is one kind of degradation, with its parameters for variant v.
type Condition struct {
	Name   string
	Params func(v int) Params
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
}

// Set returns variants samples of every condition, each of a different
// code: code k is texts[k % len(texts)].
func Set(texts []string, variants int) ([]Sample, error) {
	var out []Sample
	k := 0
	for _, c := range Conditions {
		for v := 0; v < variants; v++ {
			text := texts[k%len(texts)]
			k++
			q, err := render.NewQR(text, render.LevelQ)
			if err != nil {
				return nil, err
			}
			p := c.Params(v)
			p.Seed = uint64(k)
			img, jpg, err := Make(q, p)
			if err != nil {
				return nil, fmt.Errorf("degrade: %s %d: %w", c.Name, v, err)
			}
			out = append(out, Sample{
				Name:      fmt.Sprintf("%s_%02d", c.Name, v),
				Condition: c.Name,
				Text:      text,
				Image:     img,
				JPEG:      jpg,
			})
		}
	}
	return out, nil
}
