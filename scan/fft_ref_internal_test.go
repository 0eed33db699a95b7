package scan

import (
	"image"
	"math"
	"math/bits"
	"math/cmplx"
)

// This file keeps the frequency-domain code of deblurring as it was
// before the radix-4 transform and the pruned, per-row filter: the tests
// in fft_internal_test.go check the new code against it, and the
// benchmarks there compare the two.

// refFFT is the radix-2 transform fft.go had before its radix-4 one: a
// reference the tests check the new one against.
//
// It is a transform of n×n samples (n a power of two) with its twiddle
// factors, stage by stage, and bit-reversal table, made once per
// deblurring.
type refFFT struct {
	n         int
	fwd, back []complex128 // for sizes 2, 4, … n: e^(∓2πik/size), k < size/2
	rev       []int
}

func newRefFFT(n int) *refFFT {
	f := &refFFT{n: n, fwd: make([]complex128, 0, n), back: make([]complex128, 0, n), rev: make([]int, n)}
	for size := 2; size <= n; size <<= 1 {
		for k := 0; k < size/2; k++ {
			s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(size))
			f.fwd = append(f.fwd, complex(c, s))
			f.back = append(f.back, complex(c, -s))
		}
	}
	shift := 64 - uint(bits.TrailingZeros(uint(n)))
	for i := range f.rev {
		f.rev[i] = int(bits.Reverse64(uint64(i)) >> shift)
	}
	return f
}

// do1 transforms the n samples of a in place with twiddles tw; the
// inverse is unscaled.
func (f *refFFT) do1(a []complex128, tw []complex128) {
	n := f.n
	a = a[:n]
	for i, j := range f.rev {
		if i < j {
			a[i], a[j] = a[j], a[i]
		}
	}
	off := 0
	for size := 2; size <= n; size <<= 1 {
		half := size / 2
		w := tw[off : off+half]
		for start := 0; start < n; start += size {
			lo, hi := a[start:start+half], a[start+half:start+size]
			for k, wk := range w {
				u, v := lo[k], hi[k]*wk
				lo[k], hi[k] = u+v, u-v
			}
		}
		off += half
	}
}

// transpose transposes the n×n samples of a in place.
func (f *refFFT) transpose(a []complex128) {
	n := f.n
	const blk = 16
	for by := 0; by < n; by += blk {
		for bx := by; bx < n; bx += blk {
			for y := by; y < min(by+blk, n); y++ {
				x0 := bx
				if bx == by {
					x0 = y + 1
				}
				for x := x0; x < min(bx+blk, n); x++ {
					a[y*n+x], a[x*n+y] = a[x*n+y], a[y*n+x]
				}
			}
		}
	}
}

// do2 transforms the n×n samples of a, row by row, in place; the
// inverse is scaled by 1/n², so that do2(do2(a, false), true) is a.
func (f *refFFT) do2(a []complex128, inverse bool) {
	n := f.n
	tw := f.fwd
	if inverse {
		tw = f.back
	}
	for pass := 0; pass < 2; pass++ {
		for y := 0; y < n; y++ {
			f.do1(a[y*n:(y+1)*n], tw)
		}
		f.transpose(a)
	}
	if inverse {
		s := complex(1/float64(n*n), 0)
		for i := range a {
			a[i] *= s
		}
	}
}

// real2 transforms the n×n samples of a, whose imaginary parts are 0, in
// place as do2(a, false) does, at about half the cost: two rows are
// transformed as one complex row and parted, and only the columns up to
// n/2 are transformed, the rest following from the symmetry of a real
// input's transform, A[−v][−u] = conj(A[v][u]).
func (f *refFFT) real2(a []complex128) {
	n := f.n
	for y := 0; y < n; y += 2 {
		r0, r1 := a[y*n:(y+1)*n], a[(y+1)*n:(y+2)*n]
		for x := range r0 {
			r0[x] = complex(real(r0[x]), real(r1[x]))
		}
		f.do1(r0, f.fwd)
		// With Z the transform of x + iy: X[k] = (Z[k] + conj Z[−k])/2,
		// Y[k] = (Z[k] − conj Z[−k])/2i, and X[−k] = conj X[k].
		for k := 0; k <= n/2; k++ {
			m := (n - k) % n
			zk, zm := r0[k], cmplx.Conj(r0[m])
			x, yk := (zk+zm)/2, complex(0, -0.5)*(zk-zm)
			r0[k], r0[m] = x, cmplx.Conj(x)
			r1[k], r1[m] = yk, cmplx.Conj(yk)
		}
	}
	f.transpose(a)
	for u := 0; u <= n/2; u++ {
		f.do1(a[u*n:(u+1)*n], f.fwd)
	}
	for u := n/2 + 1; u < n; u++ {
		row, src := a[u*n:(u+1)*n], a[(n-u)*n:(n-u+1)*n]
		for v := range row {
			row[v] = cmplx.Conj(src[(n-v)%n])
		}
	}
	f.transpose(a)
}

// refNewBlurWork is newBlurWork as it was before the radix-4 transform:
// it takes region r of the w×h plane pix to the frequency domain, in a
// square of at most maxSide pixels (a power of two), scaled down to fit
// and to deblurModule pixels a module if its modules (module pixels, 0 if
// not known) are larger, its edges tapered to its mean so that the square
// wraps round smoothly. Its blurWork carries the new transform, for the
// methods that take one.
func refNewBlurWork(pix []byte, w, h, stride int, r image.Rectangle, module float64, maxSide int) *blurWork {
	r = r.Intersect(image.Rect(0, 0, w, h))
	if r.Dx() < 40 || r.Dy() < 40 {
		return nil
	}
	side := max(r.Dx(), r.Dy())
	scale := 1.0
	if module > deblurModule {
		scale = deblurModule / module
	}
	// The smallest square that holds the region, or holds it scaled
	// down by up to a fifth more.
	n := 64
	for n < maxSide && float64(n-deblurPad)*1.25 < float64(side)*scale {
		n *= 2
	}
	scale = math.Min(scale, float64(n-deblurPad)/float64(side))
	rw, rh := int(float64(r.Dx())*scale), int(float64(r.Dy())*scale)
	src := pix[r.Min.Y*stride+r.Min.X:]
	var reg []byte
	if scale == 1 {
		reg = make([]byte, rw*rh)
		for y := 0; y < rh; y++ {
			copy(reg[y*rw:(y+1)*rw], src[y*stride:])
		}
	} else {
		reg = resize(src, r.Dx(), r.Dy(), stride, rw, rh)
	}
	rf := newRefFFT(n)
	b := &blurWork{f: newFFT(n), n: n, rw: rw, rh: rh, ox: float64(r.Min.X), oy: float64(r.Min.Y), scale: scale}
	mean := 0.0
	for _, v := range reg {
		mean += float64(v)
	}
	mean /= float64(len(reg))
	const ramp = 12
	taper := func(i, m int) float64 {
		d := min(i, m-1-i)
		if d >= ramp {
			return 1
		}
		return 0.5 - 0.5*math.Cos(math.Pi*float64(d)/ramp)
	}
	b.g = make([]complex128, n*n)
	for i := range b.g {
		b.g[i] = complex(mean, 0)
	}
	for y := 0; y < rh; y++ {
		ty := taper(y, rh)
		for x := 0; x < rw; x++ {
			b.g[y*n+x] = complex(mean+(float64(reg[y*rw+x])-mean)*ty*taper(x, rw), 0)
		}
	}
	rf.real2(b.g)
	return b
}

// refUndo is undo as it was before the radix-4 transform: it returns the
// region with each of the one or two blurs ks undone by a Wiener filter,
// as planes of rw×rh bytes. Both restorations are real, so one inverse
// transform of the first's spectrum plus i times the second's gives the
// two.
func refUndo(b *blurWork, ks []blur) [][]byte {
	n := b.n
	f := make([]complex128, n*n)
	for j, k := range ks[:min(len(ks), 2)] {
		refFilter(b, k, f, [2]complex128{1, 1i}[j])
	}
	newRefFFT(n).do2(f, true)
	out := make([][]byte, min(len(ks), 2))
	for j := range out {
		o := make([]byte, b.rw*b.rh)
		for y := 0; y < b.rh; y++ {
			for x := 0; x < b.rw; x++ {
				v := f[y*n+x]
				c := real(v)
				if j == 1 {
					c = imag(v)
				}
				o[y*b.rw+x] = byte(min(max(int(c+256.5)-256, 0), 255))
			}
		}
		out[j] = o
	}
	return out
}

// refFilter is filter as it was: it adds c times the region's spectrum
// with blur k undone by a Wiener filter to f.
func refFilter(b *blurWork, k blur, f []complex128, c complex128) {
	n := b.n
	// The blur's transfer function, known in closed form: a Gaussian's
	// is a Gaussian; an even smear's is a sinc across its direction.
	dx, dy := math.Cos(k.angle), math.Sin(k.angle)
	// A fading smear's response along its direction, tabulated at a
	// quarter of a frequency step.
	var table []complex128
	if k.fade || k.taps != nil {
		// |proj| < n/√2.
		table = make([]complex128, 6*n+1)
		for i := range table {
			table[i] = k.response(float64(i-3*n) / 4 / float64(n))
		}
	}
	nsr := wienerK
	if k.nsr > 0 {
		nsr = k.nsr
	}
	// A Gaussian's response is separable: e^(−c(fu²+fv²)) = g[u]·g[v].
	var g []float64
	if k.sigma > 0 {
		g = make([]float64, n)
		for i := range g {
			f := freq(i, n)
			g[i] = math.Exp(-2 * math.Pi * math.Pi * k.sigma * k.sigma * f * f / float64(n*n))
		}
	}
	for v := 0; v < n; v++ {
		fv := freq(v, n)
		for u := 0; u < n; u++ {
			fu := freq(u, n)
			h := complex(1, 0)
			switch proj := fu*dx + fv*dy; {
			case k.fade || k.taps != nil:
				h = table[int(math.Round(4*proj))+3*n]
			case k.length > 0:
				if x := math.Pi * k.length * proj / float64(n); x != 0 {
					h = complex(math.Sin(x)/x, 0)
				}
			}
			if g != nil {
				h *= complex(g[u]*g[v], 0)
			}
			hr, hi := real(h), imag(h)
			d := hr*hr + hi*hi + nsr
			f[v*n+u] += c * b.g[v*n+u] * complex(hr/d, -hi/d)
		}
	}
}
