package scan

import (
	"math"
	"math/bits"
	"math/cmplx"
)

// This file holds a small two-dimensional fast Fourier transform, enough
// for deblur.go and motion.go to deconvolve a picture of at most
// maxMotion pixels a side, on complex128 samples: radix 4 (after one
// radix-2 stage when the size is an odd power of two), so that half as
// many passes go over the samples as radix 2 takes, with three complex
// multiplications in four butterflies where radix 2 has four.
//
// Rows are transformed in place. Columns are transformed a strip of
// colStrip at a time: the strip is copied, its rows in bit-reversed
// order, into a small block that stays in the cache while every stage's
// butterflies run along its rows, and copied back; no transposition
// goes over the whole plane, and the transforms that deblurring does not
// need (rows known to be zero, columns it will not read) are skipped.

// colStrip is the number of columns transformed together: two 64-byte
// cache lines of each row, so that a strip of 256-point columns is 32 kB.
// (Of strips of 2, 4, 8, 16 and 32 columns, 8 and 16 were the fastest at
// both sizes deblurring uses.)
const colStrip = 8

// fft is a transform of n-point rows and n×n planes (n a power of two)
// with its twiddle factors and bit-reversal table, made once per
// deblurring, and scratch space. It is not safe for concurrent use.
type fft struct {
	n         int
	fwd, back *twiddles
	rev       []int
	swaps     [][2]int32   // the pairs i < rev[i]
	strip     []complex128 // n rows of colStrip samples
	plane     []complex128 // n×n samples that undo reuses
	fine      *fft         // a transform of 4n points, for tapsTable
}

// twiddles are the factors of one direction of the transform, radix-4
// stage by stage: for the stage that joins blocks of q samples into
// blocks of 4q, (W^j, W^2j, W^3j) for j < q, with W = e^(∓2πi/4q).
type twiddles struct {
	inverse bool // the sign of the exponent is +
	w       [][3]complex128
}

func newFFT(n int) *fft {
	f := &fft{n: n, rev: make([]int, n)}
	// The n-th roots of unity e^(−2πik/n), k < n, from which every
	// stage's factors are taken.
	roots := make([]complex128, n)
	for k := range roots {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		roots[k] = complex(c, s)
	}
	f.fwd, f.back = &twiddles{}, &twiddles{inverse: true}
	for q := firstQuarter(n); q < n; q *= 4 {
		step := n / (4 * q)
		for j := 0; j < q; j++ {
			w := [3]complex128{roots[j*step], roots[2*j*step], roots[3*j*step]}
			f.fwd.w = append(f.fwd.w, w)
			f.back.w = append(f.back.w, [3]complex128{cmplx.Conj(w[0]), cmplx.Conj(w[1]), cmplx.Conj(w[2])})
		}
	}
	if n > 1 {
		shift := 64 - uint(bits.TrailingZeros(uint(n)))
		for i := range f.rev {
			f.rev[i] = int(bits.Reverse64(uint64(i)) >> shift)
			if i < f.rev[i] {
				f.swaps = append(f.swaps, [2]int32{int32(i), int32(f.rev[i])})
			}
		}
	}
	return f
}

// firstQuarter returns the size of the blocks the first radix-4 stage of
// an n-point transform joins: 1, or 2 after a radix-2 stage when n is an
// odd power of two.
func firstQuarter(n int) int {
	if bits.TrailingZeros(uint(n))%2 == 1 {
		return 2
	}
	return 1
}

// do1 transforms the n samples of a in place with twiddles tw (f.fwd or
// f.back); the inverse is unscaled.
func (f *fft) do1(a []complex128, tw *twiddles) {
	n := f.n
	a = a[:n]
	for _, p := range f.swaps {
		a[p[0]], a[p[1]] = a[p[1]], a[p[0]]
	}
	q := firstQuarter(n)
	inverse := tw.inverse
	if q == 2 {
		for i := 0; i+1 < n; i += 2 {
			u, v := a[i], a[i+1]
			a[i], a[i+1] = u+v, u-v
		}
	} else if n >= 4 {
		// The first radix-4 stage: every factor is 1.
		for i := 0; i+3 < n; i += 4 {
			b := (*[4]complex128)(a[i : i+4])
			s0, s1 := b[0]+b[1], b[0]-b[1]
			s2, d2 := b[2]+b[3], b[2]-b[3]
			r := complex(imag(d2), -real(d2))
			b[0], b[2] = s0+s2, s0-s2
			if inverse {
				b[1], b[3] = s1-r, s1+r
			} else {
				b[1], b[3] = s1+r, s1-r
			}
		}
		q = 4
	}
	w := tw.w[q/4:]
	for ; q < n; q *= 4 {
		for start := 0; start < n; start += 4 * q {
			b0 := a[start : start+q]
			b1 := a[start+q : start+2*q][:len(b0)]
			b2 := a[start+2*q : start+3*q][:len(b0)]
			b3 := a[start+3*q : start+4*q][:len(b0)]
			// The outputs that take s1 ∓ i·d2 below swap places
			// backwards.
			o1, o3 := b1, b3
			if inverse {
				o1, o3 = b3, b1
			}
			ws := w[:len(b0)]
			for j := range b0 {
				// The butterflies of two radix-2 stages, the second
				// stage's factor for the odd half, W^q = ∓i, taken out.
				t := &ws[j]
				x0, x1, x2, x3 := b0[j], t[1]*b1[j], t[0]*b2[j], t[2]*b3[j]
				s0, s1 := x0+x1, x0-x1
				s2, d2 := x2+x3, x2-x3
				r := complex(imag(d2), -real(d2)) // −i·d2
				b0[j], o1[j], b2[j], o3[j] = s0+s2, s1+r, s0-s2, s1-r
			}
		}
		w = w[q:]
	}
}

// columns transforms the columns from x0 up to x1 of the n×n samples of
// a in place with twiddles tw, a strip of colStrip at a time, writing
// back only rows up to rows (the others are left as they were).
func (f *fft) columns(a []complex128, x0, x1, rows int, tw *twiddles) {
	n := f.n
	if f.strip == nil {
		f.strip = make([]complex128, n*colStrip)
	}
	s := f.strip
	for x := x0; x < x1; x += colStrip {
		w := min(colStrip, x1-x)
		if w == 1 {
			// A last column alone (real2's column n/2): as a row.
			col := s[:n]
			for y := range col {
				col[y] = a[y*n+x]
			}
			f.do1(col, tw)
			for y := 0; y < rows; y++ {
				a[y*n+x] = col[y]
			}
			continue
		}
		for y, r := range f.rev {
			copy(s[r*colStrip:r*colStrip+w], a[y*n+x:y*n+x+w])
		}
		f.stripStages(s, tw)
		for y := 0; y < rows; y++ {
			copy(a[y*n+x:y*n+x+w], s[y*colStrip:y*colStrip+w])
		}
	}
}

// stripStages runs the butterflies of do1 on the n rows of colStrip
// samples of s, in bit-reversed order, as n vectors.
func (f *fft) stripStages(s []complex128, tw *twiddles) {
	n := f.n
	type vec = [colStrip]complex128
	row := func(i int) *vec { return (*vec)(s[i*colStrip : (i+1)*colStrip]) }
	q := firstQuarter(n)
	if q == 2 {
		for i := 0; i+1 < n; i += 2 {
			u, v := row(i), row(i+1)
			for c := range u {
				u[c], v[c] = u[c]+v[c], u[c]-v[c]
			}
		}
	}
	inverse := tw.inverse
	w := tw.w
	for ; q < n; q *= 4 {
		for start := 0; start < n; start += 4 * q {
			for j, t := range w[:q] {
				w1, w2, w3 := t[0], t[1], t[2]
				b0, b1, b2, b3 := row(start+j), row(start+q+j), row(start+2*q+j), row(start+3*q+j)
				o1, o3 := b1, b3 // as in do1
				if inverse {
					o1, o3 = b3, b1
				}
				for c := range b0 {
					x0, x1, x2, x3 := b0[c], w2*b1[c], w1*b2[c], w3*b3[c]
					s0, s1 := x0+x1, x0-x1
					s2, d2 := x2+x3, x2-x3
					r := complex(imag(d2), -real(d2))
					b0[c], o1[c], b2[c], o3[c] = s0+s2, s1+r, s0-s2, s1-r
				}
			}
		}
		w = w[q:]
	}
}

// do2 transforms the n×n samples of a in place; the inverse is scaled
// by 1/n², so that do2(do2(a, false), true) is a.
func (f *fft) do2(a []complex128, inverse bool) {
	n := f.n
	if !inverse {
		for y := 0; y < n; y++ {
			f.do1(a[y*n:(y+1)*n], f.fwd)
		}
		f.columns(a, 0, n, n, f.fwd)
		return
	}
	f.inverse2(a, n, n)
	s := complex(1/float64(n*n), 0)
	for i := range a {
		a[i] *= s
	}
}

// inverse2 transforms the n×n samples of a back, unscaled, in place, as
// far as the corner of w×h samples at the top left: the rest of a is left
// transformed along its rows only.
func (f *fft) inverse2(a []complex128, w, h int) {
	n := f.n
	for y := 0; y < n; y++ {
		f.do1(a[y*n:(y+1)*n], f.back)
	}
	f.columns(a, 0, w, h, f.back)
}

// real2 transforms the n×n samples of a, whose imaginary parts are 0, in
// place as do2(a, false) does, at about half the cost.
func (f *fft) real2(a []complex128) {
	f.real2Rows(a, f.n)
}

// real2Rows is real2 on samples whose rows from rows on are all 0: two
// rows are transformed as one complex row and parted, rows of zeros not
// at all, and only the columns up to n/2 are transformed, the rest
// following from the symmetry of a real input's transform,
// A[−v][−u] = conj(A[v][u]).
func (f *fft) real2Rows(a []complex128, rows int) {
	n := f.n
	if n < 2 {
		return
	}
	for y := 0; y < min(rows, n); y += 2 {
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
			s, d := zk+zm, zk-zm
			x, yk := complex(real(s)/2, imag(s)/2), complex(imag(d)/2, -real(d)/2)
			r0[k], r0[m] = x, cmplx.Conj(x)
			r1[k], r1[m] = yk, cmplx.Conj(yk)
		}
	}
	f.columns(a, 0, n/2+1, n, f.fwd)
	for v := 0; v < n; v++ {
		row, src := a[v*n:(v+1)*n], a[((n-v)%n)*n:((n-v)%n+1)*n]
		for u := n/2 + 1; u < n; u++ {
			row[u] = cmplx.Conj(src[n-u])
		}
	}
}

// scratchPlane returns n×n samples, the same ones each time, for undo to
// filter into and transform back; they hold what the last use left.
func (f *fft) scratchPlane() []complex128 {
	if f.plane == nil {
		f.plane = make([]complex128, f.n*f.n)
	}
	return f.plane
}

// taper returns the weights of the m samples of a region's side that
// take its edges down to its mean: a raised cosine over 12 samples.
func taper(m int) []float64 {
	const ramp = 12
	t := make([]float64, m)
	for i := range t {
		t[i] = 1
		if d := min(i, m-1-i); d < ramp {
			t[i] = 0.5 - 0.5*math.Cos(math.Pi*float64(d)/ramp)
		}
	}
	return t
}

// response is the transfer function of a blur at the frequencies of an
// n×n transform, made row by row: a smear's depends on the projection
// of the frequency on its direction, fu·cos θ + fv·sin θ, and a
// Gaussian's is separable, g[u]·g[v].
type response struct {
	k      blur
	n      int
	nsr    float64 // the Wiener filter's noise-to-signal ratio
	dy     float64
	fu, pu []float64 // freq(u, n), and its part of the projection
	// table holds a fading or tapped smear's response along its
	// direction at a quarter of a frequency step: entry 3n + i is
	// frequency i/4 (|projection| < n/√2).
	table []complex128
	// wiener, with no Gaussian, is the table through the Wiener filter:
	// the filter of a sample is then a look-up.
	wiener []complex128
	g      []float64 // a Gaussian's factor, by index; nil if none
}

// newResponse returns the transfer function of blur k, in the form a
// Gaussian's and a smear's take: a Gaussian's is a Gaussian, an even
// smear's a sinc across its direction, and a fading or tapped smear's
// its response along its direction tabulated.
func (f *fft) newResponse(k blur) *response {
	n := f.n
	dx, dy := math.Cos(k.angle), math.Sin(k.angle)
	r := &response{k: k, n: n, nsr: wienerK, dy: dy, fu: make([]float64, n), pu: make([]float64, n)}
	if k.nsr > 0 {
		r.nsr = k.nsr
	}
	for u := range r.fu {
		r.fu[u] = freq(u, n)
		r.pu[u] = r.fu[u] * dx
	}
	switch {
	case k.taps != nil && len(k.taps) <= 4*n:
		r.table = f.tapsTable(k.taps, k.origin)
	case k.fade || k.taps != nil:
		r.table = make([]complex128, 6*n+1)
		for i := range r.table {
			r.table[i] = k.response(float64(i-3*n) / 4 / float64(n))
		}
	}
	if k.sigma > 0 {
		r.g = make([]float64, n)
		for i, fi := range r.fu {
			r.g[i] = math.Exp(-2 * math.Pi * math.Pi * k.sigma * k.sigma * fi * fi / float64(n*n))
		}
	} else if r.table != nil {
		r.wiener = make([]complex128, len(r.table))
		wiener(r.wiener, r.table, nil, r.nsr)
	}
	return r
}

// filter sets w to the spectrum g, row v from column u0 on, through the
// Wiener filter of the response; h is scratch of len(w).
func (r *response) filter(v, u0 int, w, g, h []complex128) {
	if r.wiener != nil {
		n := r.n
		pv := freq(v, n) * r.dy
		g = g[:len(w)]
		for u, p := range r.pu[u0 : u0+len(w)] {
			w[u] = g[u] * r.wiener[int(math.Round(4*(p+pv)))+3*n]
		}
		return
	}
	r.row(v, u0, h)
	wiener(w, h, g, r.nsr)
}

// tapsTable returns the response of a smear of weights taps, the first
// origin pixels back, at every quarter frequency step of f from −3n/4 to
// 3n/4 cycles, as response.table holds it: the transform of the weights
// at four times f's size, whose period covers them.
func (f *fft) tapsTable(taps []float64, origin int) []complex128 {
	n := f.n
	if f.fine == nil {
		f.fine = newFFT(4 * n)
	}
	a := make([]complex128, 4*n)
	for i, t := range taps {
		a[((i-origin)%(4*n)+4*n)%(4*n)] += complex(t, 0)
	}
	f.fine.do1(a, f.fine.fwd)
	table := make([]complex128, 6*n+1)
	for i := range table {
		table[i] = a[(i-3*n+4*n)%(4*n)]
	}
	return table
}

// row sets h to the response at row v of the transform, from column u0
// on, for len(h) columns.
func (r *response) row(v, u0 int, h []complex128) {
	n, k := r.n, r.k
	fv := freq(v, n)
	pv := fv * r.dy
	pu := r.pu[u0 : u0+len(h)]
	switch {
	case r.table != nil:
		for u, p := range pu {
			h[u] = r.table[int(math.Round(4*(p+pv)))+3*n]
		}
	case k.length > 0:
		for u, p := range pu {
			h[u] = 1
			if x := math.Pi * k.length * (p + pv) / float64(n); x != 0 {
				h[u] = complex(math.Sin(x)/x, 0)
			}
		}
	default:
		for u := range h {
			h[u] = 1
		}
	}
	if r.g != nil {
		gv := r.g[v]
		for u, gu := range r.g[u0 : u0+len(h)] {
			h[u] *= complex(gu*gv, 0)
		}
	}
}

// wiener sets w to the spectrum g through the Wiener filter of the
// response h, conj(h)/(|h|² + nsr), or to the filter itself if g is nil.
func wiener(w, h, g []complex128, nsr float64) {
	w = w[:len(h)]
	for u, x := range h {
		hr, hi := real(x), imag(x)
		d := 1 / (hr*hr + hi*hi + nsr)
		w[u] = complex(hr*d, -hi*d)
	}
	if g == nil {
		return
	}
	g = g[:len(h)]
	for u := range w {
		w[u] *= g[u]
	}
}
