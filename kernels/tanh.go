package kernels

import "math"

// The float32 Tanh in pure Go: float64 arithmetic with an exp good to about 1e-13, so the
// float32 result is within 1 ULP of float32(math.Tanh(float64(x))) for every float32 x (and
// nearly always equal to it), at a fraction of the cost of math.Tanh. Over all 2^32 inputs
// (LANES_TANH_STRIDE=1 go test -run TanhF32Sweep ./kernels) 962 results are 1 ULP from the
// rounded math.Tanh and none is further.
//
// For 2^-13 <= |x| < 9.1, tanh|x| = (e-1)/(e+1) with e = exp(2|x|) = 2^k · 2^(j/64) · p(r):
// t = 2|x|·log2(e)·64 is split into its nearest integer 64k+j and a remainder, r is that
// remainder times ln2/64 (|r| <= ln2/128), 2^(j/64) comes from a table and p is the degree-4
// Taylor polynomial of e^r (error below 4e-14). e-1 is exact for e in [1, 2] (Sterbenz), so the
// relative error of the quotient stays below about 1e-13 / (2|x|) <= 5e-10, far below the 3e-8
// half-ULP of float32: only inputs whose tanh lies that close to a rounding midpoint can round
// the other way.
// Below 2^-13, tanh x = x·(1 - x²/3 + ...) rounds to x itself (x²/3 < 2^-27.5), which also keeps
// ±0, subnormals and NaN. From 9.1 up, 1 - tanh|x| < 2^-25 and the result rounds to ±1.

// exp2Table holds 2^(j/64) for j = 0..63.
var exp2Table = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()

// tanhF32Go sets dst[i] = tanh(src[i]) as described above.
func tanhF32Go(dst, src []float32) {
	const (
		scale = 2 * math.Log2E * 64 // 2|x| in units of ln2/64
		ln2   = math.Ln2 / 64
		round = 0x1.8p52 // adding it rounds a float64 below 2^51 to an integer in the low bits
	)
	dst = dst[:len(src)]
	for i, x := range src {
		b := math.Float32bits(x)
		ab, sign := b&0x7fffffff, b&0x80000000
		if ab < 0x39000000 || ab > 0x7f800000 { // |x| < 2^-13, ±0 or NaN
			dst[i] = x
			continue
		}
		if ab >= 0x4111999a { // |x| >= 9.1 (float32(9.1), rounded up), ±Inf included
			dst[i] = math.Float32frombits(sign | 0x3f800000)
			continue
		}
		// |x| as a float64, built from the bits: a full register write, where a float32 to
		// float64 conversion would merge into (and wait for) the register's previous value.
		a := math.Float64frombits(uint64(ab)<<29 + (1023-127)<<52)
		t := a * scale
		kd := t + round
		n := math.Float64bits(kd) // low bits: the integer nearest t, 64k+j, below 1700
		kd -= round
		r := (t - kd) * ln2
		p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24))))
		e := exp2Table[n&63] * p * math.Float64frombits((n>>6+1023)<<52)
		dst[i] = math.Float32frombits(math.Float32bits(float32((e-1)/(e+1))) | sign)
	}
}
