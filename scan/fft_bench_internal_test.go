package scan

import (
	"fmt"
	"image"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/degrade"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

// blurSample is a picture that reaches deblurring or unshaking, and the
// blurs those try on it.
type blurSample struct {
	name            string
	pix             []byte
	w, h, stride    int
	area            image.Rectangle // the region deblurred
	module          float64         // the module size deblurring is told, or 0
	maxSide         int
	deblur, unshake bool // which blurs to try: deblur's, unshaking's
}

// blurSamples returns pictures of the kinds that reach deblurring (a
// symbol smeared or out of focus) and unshaking (a long fading trail),
// made as TestDeblurShake and TestUnshake make theirs.
func blurSamples(tb testing.TB) []blurSample {
	tb.Helper()
	var out []blurSample
	for i, c := range []struct {
		name    string
		p       degrade.Params
		area    image.Rectangle // the whole picture if empty
		module  float64
		maxSide int
	}{
		{"shake", degrade.Params{Width: 640, Height: 480, PPM: 5.5, Angle: 8, Motion: 12, MotionAngle: 75, Noise: 4, Seed: 9}, image.Rectangle{}, 0, maxDeblur},
		{"shake-symbol", degrade.Params{Width: 640, Height: 480, PPM: 5.5, Angle: 8, Motion: 12, MotionAngle: 75, Noise: 4, Seed: 9}, image.Rect(150, 90, 490, 390), 5.5, maxDeblur},
		{"focus-symbol", degrade.Params{Width: 800, Height: 600, PPM: 4, Angle: 21, Blur: 2.5, Noise: 5, JPEG: 40, Seed: 4}, image.Rect(230, 140, 570, 460), 4, maxDeblur},
		{"trail", degrade.Params{Width: 800, Height: 600, PPM: 5.5, Angle: 12, Motion: 24, MotionAngle: 40, Trail: true, Noise: 4, Seed: 3}, image.Rectangle{}, 0, maxMotion},
	} {
		q, err := render.NewQR(testcode.Issue(3+i, codec.Colour(i%3), codec.Kind(i%2)), render.LevelQ)
		if err != nil {
			tb.Fatal(err)
		}
		img, _, err := degrade.Make(q, c.p)
		if err != nil {
			tb.Fatal(err)
		}
		pix, w, h, stride := luminance(img)
		if c.area.Empty() {
			c.area = image.Rect(0, 0, w, h)
		}
		out = append(out, blurSample{c.name, pix, w, h, stride, c.area, c.module, c.maxSide, c.maxSide == maxDeblur, c.maxSide == maxMotion})
	}
	return out
}

// blurs returns the blurs deblurring or unshaking tries on b, as
// deblur and motion list them.
func (s blurSample) blurs(b *blurWork) []blur {
	var ks []blur
	if s.deblur {
		ks = append(b.smears(), b.trails()...)
		for _, sigma := range [...]float64{2, 3} {
			ks = append(ks, blur{sigma: sigma * b.scale})
		}
	}
	if s.unshake {
		site, ok := findSmear(s.pix, s.w, s.h, s.stride)
		if !ok {
			site.angle = 0.7
		}
		for _, c := range [...]struct{ sigma, nsr float64 }{{0, wienerK}, {1.5, wienerK}} {
			for _, k := range b.profiles(site.angle) {
				k.sigma, k.nsr = c.sigma*b.scale, c.nsr
				ks = append(ks, k)
			}
		}
	}
	return ks
}

// BenchmarkBlurPaths is the cost of the frequency-domain work of
// deblurring and unshaking on pictures that reach them, with nothing
// read: newBlurWork, the blurs estimated, and every restoration
// (deblur), and the whole scan of the picture (scan). Its names are the
// code's own, so the same file measures an older tree
// (go test -bench BlurPaths ./scan; benchstat old.txt new.txt).
func BenchmarkBlurPaths(b *testing.B) {
	for _, s := range blurSamples(b) {
		if s.name != "shake" && s.name != "trail" {
			continue
		}
		r := s.area
		b.Run(fmt.Sprintf("restore/%s", s.name), func(b *testing.B) {
			for b.Loop() {
				work := newBlurWork(s.pix, s.w, s.h, s.stride, r, s.module, s.maxSide)
				ks := s.blurs(work)
				for i := 0; i < len(ks); i += 2 {
					work.undo(ks[i:])
				}
			}
		})
		b.Run(fmt.Sprintf("scan/%s", s.name), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := scanAll(s.pix, s.w, s.h, s.stride); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
