// Package degrade makes a deterministic set of degraded camera images of QR
// symbols, to measure how well package scan reads what phones and handheld
// scanners see: rotation at any angle, perspective, blur, noise, low
// contrast, uneven light, JPEG artefacts, tiny symbols, mirrored and
// inverted symbols, a blot on the symbol, camera shake (motion blur), a
// glare strip across the symbol, and pages of several symbols.
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
	Motion        float64 // camera shake: length of a straight, even smear, pixels
	MotionAngle   float64 // its direction, degrees
	// Trail makes the smear fade linearly from its start to nothing at
	// its end, one-sided (the camera slowing down while the shutter was
	// open), instead of even and centred.
	Trail bool
	// Decay, if not 0, makes the smear one-sided with a weight falling
	// as e^(−t/Decay) from its start, cut at Motion pixels: a camera
	// that jerked and came to rest, its path's end held longest.
	Decay float64
	Glare float64 // width of a near-white strip across the symbol, fraction of its side
	JPEG  int     // JPEG quality, 0 for none
	Seed  uint64
	// Symbols and Columns make Set draw a page (MakePage) of Symbols
	// symbols, Columns to a row; 0 for one symbol.
	Symbols, Columns int
	// Cards makes Set draw phone cards (render.WriteCardPNG) on the page
	// instead of bare symbols (MakeCardPage; PPM is then frame pixels per
	// card pixel).
	Cards bool
}

// Sample is one image of the set.
type Sample struct {
	Name      string // file name without extension, unique in the set
	Condition string // which condition it exercises
	Text      string // the text of the symbol (the first, on a page)
	// Texts lists the text of every symbol in the image, Text first:
	// one for a single symbol, several for a page.
	Texts []string
	Image image.Image
	// JPEG holds the encoded file when the sample is a JPEG; Image is
	// then its decoding, as a scanner would see it.
	JPEG []byte
}

// Make renders sym under p.
func Make(sym Symbol, p Params) (image.Image, []byte, error) {
	return MakePage([]Symbol{sym}, 1, p)
}

// pageGap is the paper between the quiet zones of two symbols on a page,
// modules.
const pageGap = 6

// MakePage renders the symbols syms, all of one size, on one sheet under
// p: cols to a row, rows top to bottom, each with its quiet zone and
// pageGap modules of paper between them, like the cards of a batch page.
// The blot, if any, is on the first symbol.
func MakePage(syms []Symbol, cols int, p Params) (image.Image, []byte, error) {
	if len(syms) == 0 || cols < 1 {
		return nil, nil, fmt.Errorf("degrade: a page of %d symbols in %d columns", len(syms), cols)
	}
	if p.Ink == 0 && p.Paper == 0 {
		p.Ink, p.Paper = 25, 235
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x0ffc0de))
	grids := make([]*image.Gray, len(syms))
	for i, sym := range syms {
		grids[i] = sym.Image(1)
		if grids[i].Bounds() != grids[0].Bounds() {
			return nil, nil, fmt.Errorf("degrade: symbols of %v and %v pixels on one page", grids[i].Bounds(), grids[0].Bounds())
		}
	}
	dark := func(k, x, y int) bool {
		return grids[k].Pix[(y+quietZone)*grids[k].Stride+x+quietZone] == 0
	}
	n := float64(grids[0].Bounds().Dx() - 2*quietZone)
	cols = min(cols, len(syms))
	rows := (len(syms) + cols - 1) / cols
	const margin = 4 + 3 // quiet zone + paper edge, modules
	pitch := n + 8 + pageGap
	ew, eh := float64(cols-1)*pitch+n+2*margin, float64(rows-1)*pitch+n+2*margin // paper, modules
	sideW, sideH := ew*p.PPM, eh*p.PPM
	side := math.Max(sideW, sideH)
	cx, cy := float64(p.Width)/2, float64(p.Height)/2
	// Corners of the paper in module space, and in the frame.
	src := [4][2]float64{{-margin, -margin}, {ew - margin, -margin}, {ew - margin, eh - margin}, {-margin, eh - margin}}
	a := p.Angle * math.Pi / 180
	var dst [4][2]float64
	for i, c := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		x, y := c[0]*sideW/2, c[1]*sideH/2
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
		if u < -margin || v < -margin || u >= ew-margin || v >= eh-margin {
			return 90 // the table the paper lies on
		}
		if p.Blot > 0 && math.Hypot(u-bx, v-by) < p.Blot/2 {
			return p.Ink
		}
		// The symbol whose tile holds u, v, and u, v in its modules.
		c := min(max(int(math.Floor((u+4+pageGap/2)/pitch)), 0), cols-1)
		r := min(max(int(math.Floor((v+4+pageGap/2)/pitch)), 0), rows-1)
		u, v = u-float64(c)*pitch, v-float64(r)*pitch
		if k := r*cols + c; k < len(syms) && u >= 0 && v >= 0 && u < n && v < n && dark(k, int(u), int(v)) != p.Invert {
			return p.Ink
		}
		if p.Invert && (u < 0 || v < 0 || u >= n || v >= n) && u >= -4 && v >= -4 && u < n+4 && v < n+4 {
			return p.Ink // the quiet zone is dark too on an inverted display
		}
		return p.Paper
	}
	return frame(p, h, n, sample, rng)
}

// MakeCardPage renders pictures (such as render.WriteCardPNG's phone cards,
// with their text and frames around the symbol) cols to a row on one
// sheet under p, as MakePage does symbols, but for p.PPM, which here is
// frame pixels per picture pixel. The pictures must be of one size; the
// glare strip, if any, crosses the top of the first.
func MakeCardPage(cards []*image.Gray, cols int, p Params) (image.Image, []byte, error) {
	if len(cards) == 0 || cols < 1 {
		return nil, nil, fmt.Errorf("degrade: a page of %d pictures in %d columns", len(cards), cols)
	}
	cw, ch := cards[0].Rect.Dx(), cards[0].Rect.Dy()
	for _, c := range cards {
		if c.Rect.Dx() != cw || c.Rect.Dy() != ch {
			return nil, nil, fmt.Errorf("degrade: pictures of %v and %v on one page", cards[0].Rect, c.Rect)
		}
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x0ffc0de))
	cols = min(cols, len(cards))
	rows := (len(cards) + cols - 1) / cols
	gap := float64(cw) / 20 // paper between cards and around them, card pixels
	ew, eh := float64(cols)*(float64(cw)+gap)+gap, float64(rows)*(float64(ch)+gap)+gap
	sideW, sideH := ew*p.PPM, eh*p.PPM
	side := math.Max(sideW, sideH)
	cx, cy := float64(p.Width)/2, float64(p.Height)/2
	src := [4][2]float64{{0, 0}, {ew, 0}, {ew, eh}, {0, eh}}
	a := p.Angle * math.Pi / 180
	var dst [4][2]float64
	for i, c := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		x, y := c[0]*sideW/2, c[1]*sideH/2
		x += (rng.Float64()*2 - 1) * p.Tilt * side
		y += (rng.Float64()*2 - 1) * p.Tilt * side
		dst[i] = [2]float64{cx + x*math.Cos(a) - y*math.Sin(a), cy + x*math.Sin(a) + y*math.Cos(a)}
	}
	h, err := homography(dst, src) // frame -> sheet pixels
	if err != nil {
		return nil, nil, err
	}
	ink, paper := p.Ink, p.Paper
	if ink == 0 && paper == 0 {
		ink, paper = 25, 235
	}
	sample := func(u, v float64) float64 {
		if u < 0 || v < 0 || u >= ew || v >= eh {
			return 90 // the table the paper lies on
		}
		c := int((u - gap/2) / (float64(cw) + gap))
		r := int((v - gap/2) / (float64(ch) + gap))
		x, y := u-gap-float64(c)*(float64(cw)+gap), v-gap-float64(r)*(float64(ch)+gap)
		k := r*cols + c
		if c >= cols || k >= len(cards) || x < 0 || y < 0 || x >= float64(cw) || y >= float64(ch) {
			return paper
		}
		// Printed: the picture's black to ink, its white to paper.
		t := float64(cards[k].Pix[int(y)*cards[k].Stride+int(x)]) / 255
		return ink + t*(paper-ink)
	}
	return frame(p, h, float64(cw), sample, rng)
}

// frame renders the frame of p: each pixel the mean of sample over 3×3
// points of it, taken through h (frame pixels to the sheet's units), then
// light, glare (across the first n × n units), shake, blur, noise and
// JPEG as p says.
func frame(p Params, h *matrix, n float64, sample func(u, v float64) float64, rng *rand.Rand) (image.Image, []byte, error) {
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
	if p.Glare > 0 {
		glare(f, w, ht, h, n, p.Glare, rng)
	}
	if p.Motion > 0 {
		f = shake(f, w, ht, p.Motion, p.MotionAngle, p.Trail, p.Decay)
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

// glare brightens a straight strip across the first symbol, width × its
// side wide, at a random angle, to near white: light reflected off glossy
// paper. h maps frame pixels to module space; n is the symbol's side in
// modules.
func glare(f []float64, w, ht int, h *matrix, n, width float64, rng *rand.Rand) {
	// The strip in module space: through a point near the symbol's
	// middle, at an angle that crosses it.
	a := (0.15 + 0.7*rng.Float64()) * math.Pi
	px, py := n*(0.3+0.4*rng.Float64()), n*(0.3+0.4*rng.Float64())
	nx, ny := -math.Sin(a), math.Cos(a) // normal to the strip
	half := width * n / 2
	for y := 0; y < ht; y++ {
		for x := 0; x < w; x++ {
			u, v := h.apply(float64(x)+0.5, float64(y)+0.5)
			d := math.Abs((u-px)*nx+(v-py)*ny) / half // 0 at the middle, 1 at the edges
			if d >= 1.3 {
				continue
			}
			k := 0.9 // strength in the strip, fading over its edges
			if d > 0.9 {
				k *= (1.3 - d) / 0.4
			}
			f[y*w+x] += (250 - f[y*w+x]) * k
		}
	}
}

// shake returns f smeared along a straight line length pixels long in
// direction angle (degrees): the frame moved at constant speed while the
// shutter was open, evenly about each pixel, or, for a trail, from it
// onwards with a weight falling linearly to nothing, or, if decay is not
// 0, from it onwards with a weight falling as e^(−t/decay). Samples off
// the frame repeat its border.
func shake(f []float64, w, ht int, length, angle float64, trail bool, decay float64) []float64 {
	steps := int(math.Ceil(length)) + 1
	dx, dy := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
	at := func(x, y float64) float64 {
		x = math.Max(0, math.Min(x, float64(w-1)))
		y = math.Max(0, math.Min(y, float64(ht-1)))
		x0, y0 := min(int(x), w-2), min(int(y), ht-2)
		tx, ty := x-float64(x0), y-float64(y0)
		r0, r1 := f[y0*w+x0:], f[(y0+1)*w+x0:]
		return (r0[0]*(1-tx)+r0[1]*tx)*(1-ty) + (r1[0]*(1-tx)+r1[1]*tx)*ty
	}
	ts := make([]float64, steps)
	ws := make([]float64, steps)
	sum := 0.0
	for i := range ts {
		u := float64(i) / float64(steps-1)
		ts[i], ws[i] = length*(u-0.5), 1
		switch {
		case decay > 0:
			ts[i], ws[i] = length*u, math.Exp(-length*u/decay)
		case trail:
			ts[i], ws[i] = length*u, 1-u+0.5/float64(steps)
		}
		sum += ws[i]
	}
	out := make([]float64, len(f))
	for y := 0; y < ht; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, t := range ts {
				s += ws[i] * at(float64(x)+t*dx, float64(y)+t*dy)
			}
			out[y*w+x] = s / sum
		}
	}
	return out
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
