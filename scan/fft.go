package scan

import (
	"math"
	"math/bits"
)

// This file holds a small two-dimensional fast Fourier transform, enough
// for deblur.go to deconvolve a picture of at most maxDeblur pixels a
// side: radix 2, in place, on complex128 samples.

// fft is a transform of n×n samples (n a power of two) with its twiddle
// factors and bit-reversal table, made once per deblurring.
type fft struct {
	n    int
	tw   []complex128 // e^(-2πik/n), k < n/2
	rev  []int
	line []complex128 // one column at a time
}

func newFFT(n int) *fft {
	f := &fft{n: n, tw: make([]complex128, n/2), rev: make([]int, n), line: make([]complex128, n)}
	for k := range f.tw {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		f.tw[k] = complex(c, s)
	}
	shift := 64 - uint(bits.TrailingZeros(uint(n)))
	for i := range f.rev {
		f.rev[i] = int(bits.Reverse64(uint64(i)) >> shift)
	}
	return f
}

// do1 transforms the n samples of a in place; inverse is unscaled.
func (f *fft) do1(a []complex128, inverse bool) {
	n := f.n
	a = a[:n]
	for i, j := range f.rev {
		if i < j {
			a[i], a[j] = a[j], a[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		half, step := size/2, n/size
		for start := 0; start < n; start += size {
			for k := 0; k < half; k++ {
				w := f.tw[k*step]
				if inverse {
					w = complex(real(w), -imag(w))
				}
				u, v := a[start+k], a[start+k+half]*w
				a[start+k], a[start+k+half] = u+v, u-v
			}
		}
	}
}

// do2 transforms the n×n samples of a, row by row, in place; the
// inverse is scaled by 1/n², so that do2(do2(a, false), true) is a.
func (f *fft) do2(a []complex128, inverse bool) {
	n := f.n
	for y := 0; y < n; y++ {
		f.do1(a[y*n:(y+1)*n], inverse)
	}
	col := f.line
	for x := 0; x < n; x++ {
		for y := range col {
			col[y] = a[y*n+x]
		}
		f.do1(col, inverse)
		for y, v := range col {
			a[y*n+x] = v
		}
	}
	if inverse {
		s := complex(1/float64(n*n), 0)
		for i := range a {
			a[i] *= s
		}
	}
}
