package scan

import (
	"math"
	"math/bits"
	"math/cmplx"
)

// This file holds a small two-dimensional fast Fourier transform, enough
// for deblur.go to deconvolve a picture of at most maxDeblur pixels a
// side: radix 2, in place, on complex128 samples.

// fft is a transform of n×n samples (n a power of two) with its twiddle
// factors, stage by stage, and bit-reversal table, made once per
// deblurring.
type fft struct {
	n         int
	fwd, back []complex128 // for sizes 2, 4, … n: e^(∓2πik/size), k < size/2
	rev       []int
}

func newFFT(n int) *fft {
	f := &fft{n: n, fwd: make([]complex128, 0, n), back: make([]complex128, 0, n), rev: make([]int, n)}
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
func (f *fft) do1(a []complex128, tw []complex128) {
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
func (f *fft) transpose(a []complex128) {
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
func (f *fft) do2(a []complex128, inverse bool) {
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
func (f *fft) real2(a []complex128) {
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
