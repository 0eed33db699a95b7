// Package degrade makes a deterministic set of degraded camera images of QR
// symbols, to measure how well package scan reads what phones and handheld
// scanners see: rotation at any angle, perspective, blur, noise, low
// contrast, uneven light, JPEG artefacts, tiny symbols, mirrored and
// inverted symbols, and a blot on the symbol.
//
// Every image is a function of its parameters and a seed: the same call
// gives the same pixels on every machine.
package degrade

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Symbol is a QR symbol that draws itself, such as a *render.QR: Image
// returns it with a quiet zone of quietZone modules, scale pixels per
// module, dark modules black (0).
type Symbol interface {
	Image(scale int) *image.Gray
}

// quietZone is the margin of a Symbol's image, in modules.
const quietZone = 4

// Params describe one degraded image.
type Params struct {
	Width, Height int     // frame size in pixels
	PPM           float64 // pixels per module
	Angle         float64 // rotation, degrees
	Tilt          float64 // perspective: corner displacement, fraction of the side
	Mirror        bool
	Blur          float64 // Gaussian sigma, pixels
	Noise         float64 // Gaussian noise sigma, grey levels
	Ink, Paper    float64 // grey levels of dark modules and of the paper (default 25, 235)
	Uneven        float64 // depth of a light gradient, 0..1
	Invert        bool    // light modules on dark (a phone in dark mode)
	Blot          float64 // diameter of a dark blot on the symbol, modules
	JPEG          int     // JPEG quality, 0 for none
	Seed          uint64
}

// Sample is one image of the set.
type Sample struct {
	Name      string // file name without extension, unique in the set
	Condition string // which condition it exercises
	Text      string // the text of the symbol
	Image     image.Image
	// JPEG holds the encoded file when the sample is a JPEG; Image is
	// then its decoding, as a scanner would see it.
	JPEG []byte
}

// Make renders sym under p.
func Make(sym Symbol, p Params) (image.Image, []byte, error) {
	if p.Ink == 0 && p.Paper == 0 {
		p.Ink, p.Paper = 25, 235
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x0ffc0de))
	grid := sym.Image(1)
	size := grid.Bounds().Dx() - 2*quietZone
	dark := func(x, y int) bool { return grid.Pix[(y+quietZone)*grid.Stride+x+quietZone] == 0 }
	n := float64(size)
	const margin = 4 + 3 // quiet zone + paper edge, modules
	side := (n + 2*margin) * p.PPM
	cx, cy := float64(p.Width)/2, float64(p.Height)/2
	// Corners of the paper square in module space, and in the frame.
	src := [4][2]float64{{-margin, -margin}, {n + margin, -margin}, {n + margin, n + margin}, {-margin, n + margin}}
	a := p.Angle * math.Pi / 180
	var dst [4][2]float64
	for i, c := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		x, y := c[0]*side/2, c[1]*side/2
		if p.Mirror {
			x = -x
		}
		x += (rng.Float64()*2 - 1) * p.Tilt * side
		y += (rng.Float64()*2 - 1) * p.Tilt * side
		dst[i] = [2]float64{cx + x*math.Cos(a) - y*math.Sin(a), cy + x*math.Sin(a) + y*math.Cos(a)}
	}
	h, err := homography(dst, src) // frame -> module space
	if err != nil {
		return nil, nil, err
	}
	bx, by := rng.Float64()*n, rng.Float64()*n // blot centre
	if p.Blot > 0 {
		// Keep the blot off the finder patterns.
		bx, by = n/2+(rng.Float64()-0.5)*n/3, n/2+(rng.Float64()-0.5)*n/3
	}
	sample := func(u, v float64) float64 {
		if u < -margin || v < -margin || u >= n+margin || v >= n+margin {
			return 90 // the table the paper lies on
		}
		if p.Blot > 0 && math.Hypot(u-bx, v-by) < p.Blot/2 {
			return p.Ink
		}
		if u >= 0 && v >= 0 && u < n && v < n && dark(int(u), int(v)) != p.Invert {
			return p.Ink
		}
		if p.Invert && (u < 0 || v < 0 || u >= n || v >= n) && u >= -4 && v >= -4 && u < n+4 && v < n+4 {
			return p.Ink // the quiet zone is dark too on an inverted display
		}
		return p.Paper
	}
	w, ht := p.Width, p.Height
	f := make([]float64, w*ht)
	const ss = 3 // supersampling per axis
	for y := 0; y < ht; y++ {
		for x := 0; x < w; x++ {
			sum := 0.0
			for j := 0; j < ss; j++ {
				for i := 0; i < ss; i++ {
					u, v := h.apply(float64(x)+(float64(i)+0.5)/ss, float64(y)+(float64(j)+0.5)/ss)
					sum += sample(u, v)
				}
			}
			f[y*w+x] = sum / (ss * ss)
		}
	}
	if p.Uneven > 0 {
		gx, gy := rng.Float64()*2-1, rng.Float64()*2-1
		norm := math.Hypot(gx, gy)
		for y := 0; y < ht; y++ {
			for x := 0; x < w; x++ {
				t := ((float64(x)/float64(w)-0.5)*gx + (float64(y)/float64(ht)-0.5)*gy) / norm // -0.7..0.7
				f[y*w+x] *= 1 - p.Uneven*(t+0.7)/1.4
			}
		}
	}
	if p.Blur > 0 {
		gaussian(f, w, ht, p.Blur)
	}
	if p.Noise > 0 {
		for i := range f {
			f[i] += rng.NormFloat64() * p.Noise
		}
	}
	img := image.NewGray(image.Rect(0, 0, w, ht))
	for i, v := range f {
		img.Pix[i] = uint8(math.Max(0, math.Min(255, math.Round(v))))
	}
	if p.JPEG == 0 {
		return img, nil, nil
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: p.JPEG}); err != nil {
		return nil, nil, fmt.Errorf("degrade: %w", err)
	}
	dec, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return nil, nil, fmt.Errorf("degrade: %w", err)
	}
	return dec, buf.Bytes(), nil
}

// gaussian blurs f in place, separably.
func gaussian(f []float64, w, h int, sigma float64) {
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	sum := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float64, len(f))
	clamp := func(v, hi int) int { return max(0, min(v, hi-1)) }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				s += kv * f[y*w+clamp(x+i-r, w)]
			}
			tmp[y*w+x] = s
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				s += kv * tmp[clamp(y+i-r, h)*w+x]
			}
			f[y*w+x] = s
		}
	}
}

// matrix is a 3×3 projective transform.
type matrix [9]float64

func (m *matrix) apply(x, y float64) (float64, float64) {
	d := m[6]*x + m[7]*y + m[8]
	return (m[0]*x + m[1]*y + m[2]) / d, (m[3]*x + m[4]*y + m[5]) / d
}

// homography returns the transform taking the four points from to the four
// points to.
func homography(from, to [4][2]float64) (*matrix, error) {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return nil, fmt.Errorf("degrade: degenerate quadrilateral")
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < 8; r++ {
			if r == c {
				continue
			}
			k := a[r][c] / a[c][c]
			for j := c; j < 9; j++ {
				a[r][j] -= k * a[c][j]
			}
		}
	}
	var m matrix
	for i := 0; i < 8; i++ {
		m[i] = a[i][8] / a[i][i]
	}
	m[8] = 1
	return &m, nil
}

// Write stores the sample in dir as name.png or name.jpg.
func (s *Sample) Write(dir string) (string, error) {
	var b []byte
	name := s.Name + ".png"
	if s.JPEG != nil {
		b, name = s.JPEG, s.Name+".jpg"
	} else {
		var buf bytes.Buffer
		if err := png.Encode(&buf, s.Image); err != nil {
			return "", fmt.Errorf("degrade: %w", err)
		}
		b = buf.Bytes()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return "", fmt.Errorf("degrade: %w", err)
	}
	return path, nil
}
