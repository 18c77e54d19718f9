package kernels

import "math"

// An exponential for the pure-Go activations that is more accurate than math.Exp (whose amd64
// assembly is up to 2 ULP off) and that hands its result back unrounded and unscaled, so that
// callers can multiply other factors in and round once at the end, also where the result is
// subnormal.
//
// e^(h+l) = 2^m · 2^(j/64) · e^r: k = 64m + j is the integer nearest (h+l)·64/ln2, and
// r = h - k·ln2/64 + l, |r| <= ln2/128 + tiny. k·ln2/64 is split as k·ln2o64Hi (exact: ln2o64Hi
// has 32 significant bits and |k| < 2^17) plus k·ln2o64Lo, so h - k·ln2o64Hi is exact (Sterbenz)
// and r is known to about 1e-18. e^r - 1 is its Taylor polynomial through r^6 (the rest is below
// 3e-20), and 2^(j/64) comes from a double-double table, so yh + yl = 2^(j/64)·e^r is within
// about 2e-18 (0.01 float64 ULP) of the exact value.

const (
	ln2o64Hi = 6.93147180369123816490e-01 / 64 // ln2/64 = ln2o64Hi + ln2o64Lo; 32 significant bits
	ln2o64Lo = 1.90821492927058770002e-10 / 64
)

// exp2DD holds 2^(j/64) for j = 0..63 as double-doubles {hi, lo}: the powers of 2^(1/64), formed
// by double-double products (error below 2^-98; the tests check every entry).
var exp2DD = func() (t [64][2]float64) {
	const ch, cl = 0x1.02c9a3e778061p+00, -0x1.19083535b085dp-56 // 2^(1/64)
	t[0] = [2]float64{1, 0}
	for j := 1; j < 64; j++ {
		ah, al := t[j-1][0], t[j-1][1]
		p := float64(ah * ch)
		e := math.FMA(ah, ch, -p) + (ah*cl + al*ch)
		s := p + e
		t[j] = [2]float64{s, e - (s - p)}
	}
	return t
}()

// expParts returns yh, yl and m with e^(h+l) = (yh + yl)·2^m, yh + yl in [0.99, 2.02] to about
// 2e-18 relative. h must be finite with |h| < 4000 (so that |k| < 2^19 and k·ln2o64Hi is exact);
// l is a low part (|l| < 2^-20).
func expParts(h, l float64) (yh, yl float64, m int) {
	const shift = 0x1.8p52 // adding it rounds a float64 below 2^51 to an integer in the low bits
	kd := float64(h*(64/math.Ln2)) + shift
	k := int(int32(uint32(math.Float64bits(kd))))
	kd -= shift
	r := h - kd*ln2o64Hi // exact
	r = (r - kd*ln2o64Lo) + l
	p := r * (1 + r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
	t := &exp2DD[k&63]
	s := t[1] + t[0]*p
	yh = t[0] + s
	return yh, twoSumErr(t[0], s, yh), k >> 6
}

// expAcc returns e^(h+l) within about 0.51 ULP, l a low part: subnormal results rounded once,
// 0 below -745.2, +Inf above 709.79, NaN for NaN.
func expAcc(h, l float64) float64 {
	switch {
	case h != h:
		return h
	case h < -746:
		return 0
	case h > 710:
		return math.Inf(1)
	}
	yh, yl, m := expParts(h, l)
	return scale2(yh+yl, m)
}

// scale2 returns y·2^m rounded once (correctly): exactly when the result is normal, with one
// rounding where it is subnormal, ±Inf where it overflows. A multiplication by 2^m does that for
// m in the normal exponent range; math.Ldexp, which also rounds once, does the rest.
func scale2(y float64, m int) float64 {
	if m >= -1022 && m <= 1023 {
		return y * pow2(m)
	}
	return math.Ldexp(y, m)
}

// pow2 returns 2^m for m in [-1022, 1023].
func pow2(m int) float64 { return math.Float64frombits(uint64(m+1023) << 52) }
