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

// tanhRef is math.Tanh for float64 and the faster tanhF32Go (tanh.go, within 1 ULP of
// math.Tanh) for float32.
func tanhRef[T Float](dst, src []T) {
	if is32[T]() {
		tanhF32Go(f32(dst), f32(src))
		return
	}
	for i, x := range src {
		dst[i] = T(math.Tanh(float64(x)))
	}
}

// reluRef turns every x with -Inf <= x < 0 into +0 and keeps every other value: NaN (payload
// included) and -0 pass through, as with `if x < 0 { x = 0 }`. It decides on the bits with a
// conditional move, not a branch, which random signs would mispredict half the time.
func reluRef[T Float](dst, src []T) {
	if is32[T]() {
		d, s := f32(dst), f32(src)
		d = d[:len(s)]
		for i, x := range s {
			b := math.Float32bits(x)
			var m uint32
			if b-0x80000001 < 0x7f800000 { // sign set, not -0, not a NaN
				m = ^uint32(0)
			}
			d[i] = math.Float32frombits(b &^ m)
		}
		return
	}
	d, s := f64(dst), f64(src)
	d = d[:len(s)]
	for i, x := range s {
		b := math.Float64bits(x)
		var m uint64
		if b-0x8000000000000001 < 0x7ff0000000000000 {
			m = ^uint64(0)
		}
		d[i] = math.Float64frombits(b &^ m)
	}
}

// stepRef sets 1 where x > 0 and +0 elsewhere (NaN and -0 included), as
// `if x > 0 { 1 } else { 0 }`, deciding on the bits without a branch.
func stepRef[T Float](dst, src []T) {
	if is32[T]() {
		d, s := f32(dst), f32(src)
		d = d[:len(s)]
		for i, x := range s {
			var r uint32
			if math.Float32bits(x)-1 < 0x7f800000 { // sign clear, not +0, not a NaN
				r = 0x3f800000 // 1
			}
			d[i] = math.Float32frombits(r)
		}
		return
	}
	d, s := f64(dst), f64(src)
	d = d[:len(s)]
	for i, x := range s {
		var r uint64
		if math.Float64bits(x)-1 < 0x7ff0000000000000 {
			r = 0x3ff0000000000000
		}
		d[i] = math.Float64frombits(r)
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

// sumRef adds into four partial sums, so that four additions are in flight instead of one; the
// order of the additions is unspecified (see Sum).
func sumRef[T Float](x []T) T {
	var s0, s1, s2, s3 T
	for ; len(x) >= 4; x = x[4:] {
		s0 += x[0]
		s1 += x[1]
		s2 += x[2]
		s3 += x[3]
	}
	for _, v := range x {
		s0 += v
	}
	return (s0 + s1) + (s2 + s3)
}

// dotRef, like sumRef, keeps four partial sums.
func dotRef[T Float](x, y []T) T {
	var s0, s1, s2, s3 T
	y = y[:len(x)]
	for ; len(x) >= 4; x, y = x[4:], y[4:] {
		s0 += x[0] * y[0]
		s1 += x[1] * y[1]
		s2 += x[2] * y[2]
		s3 += x[3] * y[3]
	}
	for i, v := range x {
		s0 += v * y[i]
	}
	return (s0 + s1) + (s2 + s3)
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

func divUint8Ref[T Float](dst []T, src []uint8, d T) {
	for i, b := range src {
		dst[i] = T(b) / d
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
