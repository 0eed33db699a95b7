package scan

import (
	"errors"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/degrade"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

// TestUnshake smears a symbol by a long fading trail, so that no finder
// pattern is located, and checks that the smear is found along its
// direction and undone: scanAll reads the symbol at the step "unshaken".
func TestUnshake(t *testing.T) {
	p := degrade.Params{Width: 800, Height: 600, PPM: 5.5, Angle: 12, Motion: 24, MotionAngle: 40, Trail: true, Noise: 4, Seed: 3}
	text, _, pix, w, h, stride := shakenSymbol(t, testcode.Issue(5, codec.Colour(1), codec.Kind(0)), p)
	site, ok := findSmear(pix, w, h, stride)
	if !ok || site.aniso < motionAniso {
		t.Fatalf("findSmear = %+v, %v; want anisotropy ≥ %.2f", site, ok, motionAniso)
	}
	if a := site.angle * 180 / math.Pi; math.Abs(math.Mod(a-p.MotionAngle+360+90, 180)-90) > 5 {
		t.Errorf("findSmear angle %.1f°, want %.0f°", a, p.MotionAngle)
	}
	fs, last, err := scanAll(pix, w, h, stride)
	if err != nil || len(fs) != 1 || fs[0].text != text {
		t.Fatalf("scanAll(trail) = %d symbols, %v", len(fs), err)
	}
	if last != "unshaken" {
		t.Errorf("scanAll(trail) read at step %q, want unshaken (the test no longer needs unshaking)", last)
	}
}

// TestUnshakeGate: a sharp symbol, turned, is not taken as smeared, so
// that a picture that fails for another reason costs no deconvolution.
func TestUnshakeGate(t *testing.T) {
	q, err := render.NewQR(testcode.Issue(6, codec.Colour(2), codec.Kind(1)), render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	for _, angle := range []float64{0, 17, 45} {
		img, _, err := degrade.Make(q, degrade.Params{Width: 640, Height: 480, PPM: 4, Angle: angle, Tilt: 0.05, Noise: 4, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		pix, w, h, stride := luminance(img)
		if site, ok := findSmear(pix, w, h, stride); !ok || site.aniso >= motionAniso {
			t.Errorf("findSmear(sharp, %.0f°) = %+v, %v; want anisotropy < %.2f", angle, site, ok, motionAniso)
		}
	}
	// Too small, and flat: nothing to find.
	if _, ok := findSmear(make([]byte, 64*64), 64, 64, 64); ok {
		t.Error("findSmear(64×64) found a region")
	}
	flat := make([]byte, 320*240)
	s := &scanner{dec: decoder.NewDecoder()}
	if fs := s.motion(flat, 320, 240, 320); fs != nil {
		t.Errorf("motion(flat) = %v", fs)
	}
}

// TestMinPhase: a positive profile falling from its start is minimum
// phase (its zeros lie inside the unit circle), so minPhase rebuilds it
// from its magnitude alone.
// tapsMagnitude scales taps to sum to 1, in place, and returns the
// magnitude of their frequency response at the n/2+1 frequencies of an
// n-point transform, no lower than floor.
func tapsMagnitude(taps []float64, n int, floor float64) []float64 {
	sum := 0.0
	for _, v := range taps {
		sum += v
	}
	for i := range taps {
		taps[i] /= sum
	}
	k := blur{taps: taps}
	mag := make([]float64, n/2+1)
	for r := range mag {
		mag[r] = math.Max(cmplxAbs(k.response(float64(r)/float64(n))), floor)
	}
	return mag
}

func TestMinPhase(t *testing.T) {
	const n = 256
	want := make([]float64, 20)
	for i := range want {
		want[i] = 1 - float64(i)/22 + 0.1*math.Sin(float64(i))*float64(i)/20
	}
	mag := tapsMagnitude(want, n, 1e-3)
	got := minPhase(newFFT(n), mag)
	for i := range want {
		g := 0.0
		if i < len(got) {
			g = got[i]
		}
		if math.Abs(g-want[i]) > 0.01 {
			t.Fatalf("minPhase tap %d = %.4f, want %.4f (got %.3f)", i, g, want[i], got)
		}
	}
}

func cmplxAbs(z complex128) float64 { return math.Hypot(real(z), imag(z)) }

// BenchmarkFindSmear is the cost of the gate of unshaking on a 1280×720
// frame, what every picture that is read by no other step pays.
func BenchmarkFindSmear(b *testing.B) {
	pix := make([]byte, 1280*720)
	seed := uint32(1)
	for i := range pix {
		seed = seed*1664525 + 1013904223
		pix[i] = byte(seed >> 24)
	}
	for b.Loop() {
		findSmear(pix, 1280, 720, 1280)
	}
}

// TestSymmetric: an even smear's transform turns sign at its nulls, so
// symmetric rebuilds a box from its magnitude alone.
func TestSymmetric(t *testing.T) {
	const n, l = 256, 9
	box := make([]float64, l)
	for i := range box {
		box[i] = 1.0 / l
	}
	k := blur{taps: box, origin: l / 2}
	mag := make([]float64, n/2+1)
	for r := range mag {
		mag[r] = math.Max(cmplxAbs(k.response(float64(r)/n)), 1e-3)
	}
	got := symmetric(newFFT(n), mag, mag, l, 0)
	for i, g := range got.taps {
		want := 0.0
		if d := i - got.origin; d >= -l/2 && d <= l/2 {
			want = 1.0 / l
		}
		if math.Abs(g-want) > 0.01 {
			t.Fatalf("symmetric tap %d (origin %d) = %.4f, want %.4f (got %.3f)", i, got.origin, g, want, got.taps)
		}
	}
}

// TestDecay: decay fits a smear that dies away, exponentially or as a
// half Gaussian, from its magnitude alone: the fitted profile's first
// taps are those made, within the 15 % steps of its τ.
func TestDecay(t *testing.T) {
	const n = 512
	for _, c := range []struct{ tau, p float64 }{{4, 1}, {7, 1}, {3, 2}, {8, 2}} {
		want := make([]float64, int(5*c.tau))
		for i := range want {
			want[i] = math.Exp(-math.Pow(float64(i)/c.tau, c.p))
		}
		mag := tapsMagnitude(want, n, smearFloor)
		got := decay(mag, n)
		for i := range 3 {
			if math.Abs(got[i]-want[i]) > 0.1*want[0] {
				t.Errorf("decay(τ %.0f, p %.0f) tap %d = %.4f, want %.4f (got %.3f)", c.tau, c.p, i, got[i], want[i], got[:min(len(got), 12)])
				break
			}
		}
	}
	// Flat: nothing above the floor to fit, yet a profile that sums to 1.
	mag := make([]float64, n/2+1)
	for r := range mag {
		mag[r] = smearFloor
	}
	if got, sum := decay(mag, n), 0.0; len(got) > 0 {
		for _, v := range got {
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("decay(flat) sums to %v", sum)
		}
	} else {
		t.Error("decay(flat) = no taps")
	}
}

// TestRegionSmear: the gradients of a symbol smeared one way are weakest
// along the smear, whatever the symbol's own rotation.
func TestRegionSmear(t *testing.T) {
	q, err := render.NewQR(testcode.Issue(7, codec.Colour(0), codec.Kind(0)), render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ angle, motion float64 }{{10, 30}, {-25, 115}, {40, 160}} {
		img, _, err := degrade.Make(q, degrade.Params{Width: 640, Height: 480, PPM: 4, Angle: c.angle, Motion: 18, Decay: 4, MotionAngle: c.motion, Blur: 1, Noise: 3, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		pix, w, h, stride := luminance(img)
		angle, aniso, ok := regionSmear(pix, w, h, stride, image.Rect(150, 70, 490, 410))
		if a := angle * 180 / math.Pi; !ok || aniso < 0.2 || math.Abs(math.Mod(a-c.motion+360+90, 180)-90) > 6 {
			t.Errorf("regionSmear(smear at %.0f°) = %.1f°, anisotropy %.2f, %v", c.motion, a, aniso, ok)
		}
	}
	if _, _, ok := regionSmear(make([]byte, 64*64), 64, 64, 64, image.Rect(0, 0, 64, 64)); ok {
		t.Error("regionSmear(flat) found a direction")
	}
}

// TestSmearRegionInNoise: a small shaken symbol in the middle of a frame
// of heavy sensor noise. The smeared region is the symbol's, not the
// whole frame (whose noise passes a fifth of the 95th percentile's
// energy), and its direction is the smear's; scanAll reads it.
func TestSmearRegionInNoise(t *testing.T) {
	p := degrade.Params{Width: 1280, Height: 720, PPM: 4, Angle: 10, Motion: 16, MotionAngle: 30, Trail: true, Noise: 24, Seed: 5}
	text, q, pix, w, h, stride := shakenSymbol(t, testcode.Issue(7, codec.Colour(0), codec.Kind(0)), p)
	site, ok := findSmear(pix, w, h, stride)
	if !ok {
		t.Fatal("findSmear found no region")
	}
	side := p.PPM * float64(q.Image(1).Bounds().Dx()) // the symbol and its quiet zone
	if r := site.area; !image.Pt(w/2, h/2).In(r) || float64(r.Dx()) > 2*side || float64(r.Dy()) > 2*side {
		t.Errorf("findSmear area %v, want about the %.0f px symbol at the centre of the %d×%d frame", r, side, w, h)
	}
	if a := site.angle * 180 / math.Pi; math.Abs(math.Mod(a-p.MotionAngle+360+90, 180)-90) > 8 {
		t.Errorf("findSmear angle %.1f°, want %.0f°", a, p.MotionAngle)
	}
	if site.aniso < motionAniso {
		t.Errorf("findSmear anisotropy %.2f, want ≥ %.2f", site.aniso, motionAniso)
	}
	fs, _, err := scanAll(pix, w, h, stride)
	if err != nil || len(fs) != 1 || fs[0].text != text {
		t.Errorf("scanAll = %d symbols, %v", len(fs), err)
	}
}

// TestHopelessSmear: two held-out photos smeared by 6 px of camera shake
// in heavy noise, that unshaking does not read, end the scan at once with
// an error that says so and matches ErrNotFound; and no step of the
// ladder, run in full, reads them either.
func TestHopelessSmear(t *testing.T) {
	for _, name := range []string{"testdata/photos/combination_51.jpg", "testdata/photos/combination_53.jpg"} {
		pix, w, h, stride := jpegPlane(t, name)
		site, ok := findSmear(pix, w, h, stride)
		if !ok || !site.noisy || site.aniso < motionAniso {
			t.Fatalf("%s: findSmear = %+v, %v; want a noisy smear site", name, site, ok)
		}
		fs, _, err := scanAll(pix, w, h, stride)
		var nr *notReadError
		if len(fs) != 0 || !errors.Is(err, ErrNotFound) || !errors.As(err, &nr) || !nr.smeared || !strings.Contains(err.Error(), "smeared") {
			t.Errorf("%s: scanAll = %d symbols, %v; want none, an error that says the picture is smeared", name, len(fs), err)
		}
		s := &scanner{dec: decoder.NewDecoder()}
		for _, st := range pictureSteps(s, pix, w, h, stride) {
			if fs, _ := s.read(st.plane(), st.a); len(fs) > 0 {
				t.Errorf("%s: step %s reads it: the scan should not give up", name, st.name)
			}
		}
	}
}

// shakenSymbol draws the QR symbol of text under p and returns it and the
// picture's luminance plane.
func shakenSymbol(t *testing.T, text string, p degrade.Params) (string, *render.QR, []byte, int, int, int) {
	t.Helper()
	q, err := render.NewQR(text, render.LevelQ)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := degrade.Make(q, p)
	if err != nil {
		t.Fatal(err)
	}
	pix, w, h, stride := luminance(img)
	return text, q, pix, w, h, stride
}
