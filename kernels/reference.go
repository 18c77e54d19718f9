package kernels

import "math"

// This file holds the pure-Go implementation of every kernel: the fallback on CPUs and builds
// without assembly, and the reference the assembly is tested against.

func expRef[T Float](dst, src []T) {
	for i, x := range src {
		dst[i] = T(math.Exp(float64(x)))
	}
}

func sigmoidRef[T Float](dst, src []T) {
	for i, x := range src {
		dst[i] = T(1 / (1 + math.Exp(-float64(x))))
	}
}

func tanhRef[T Float](dst, src []T) {
	for i, x := range src {
		dst[i] = T(math.Tanh(float64(x)))
	}
}

func reluRef[T Float](dst, src []T) {
	for i, x := range src {
		if x < 0 {
			x = 0
		}
		dst[i] = x
	}
}

func stepRef[T Float](dst, src []T) {
	for i, x := range src {
		if x > 0 {
			dst[i] = 1
		} else {
			dst[i] = 0
		}
	}
}

func softmaxRef[T Float](dst, src []T, cols int) {
	for r := 0; r+cols <= len(src); r += cols {
		row, out := src[r:r+cols], dst[r:r+cols]
		m := maxRef(row)
		var s float64
		for i, x := range row {
			e := T(math.Exp(float64(x - m)))
			out[i] = e
			s += float64(e)
		}
		inv := T(1 / s)
		for i := range out {
			out[i] *= inv
		}
	}
}

func maxRef[T Float](x []T) T {
	m := T(math.Inf(-1))
	for _, v := range x {
		if v != v {
			return v
		}
		if v > m {
			m = v
		}
	}
	return m
}

func sumRef[T Float](x []T) T {
	var s T
	for _, v := range x {
		s += v
	}
	return s
}

func dotRef[T Float](x, y []T) T {
	var s T
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

func axpyRef[T Float](alpha T, x, y []T) {
	for i, v := range x {
		y[i] += alpha * v
	}
}

func scaleRef[T Float](alpha T, dst, src []T) {
	for i, v := range src {
		dst[i] = alpha * v
	}
}

// gemmRef is Gemm after argument checking, with m, n > 0.
func gemmRef[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s T
			for l := 0; l < k; l++ {
				var av, bv T
				if transA {
					av = a[l*lda+i]
				} else {
					av = a[i*lda+l]
				}
				if transB {
					bv = b[j*ldb+l]
				} else {
					bv = b[l*ldb+j]
				}
				s += av * bv
			}
			ci := &c[i*ldc+j]
			if beta == 0 {
				*ci = alpha * s
			} else {
				*ci = alpha*s + beta**ci
			}
		}
	}
}
