package kernels

import "math"

// The pure-Go activations: the generic path of GELU, GELUTanh, SiLU, Softplus, ELU, LeakyReLU
// and Log for both element types, and the reference their assembly is tested against.
//
// Every element goes through a float64 function that is accurate to a few float64 ULP over the
// whole range (gelu64, geluTanh64, silu64, softplus64 and log64 below, math.Expm1 for ELU). The
// float32 kernels round that value once, so they are within 1 ULP of the correctly rounded
// result, and equal to it unless the exact value lies within about 1e-15 (relative) of a rounding
// midpoint.
//
// The float64 functions take care where a plain formula loses accuracy:
//   - an argument that is not a float64 (x/√2 for erfc, x²/2 and 2√(2/π)(x+0.044715x³) for exp)
//     is carried as a double-double: erfc and exp are relatively sensitive to their argument in
//     proportion to its size (erfc(z) by about 2z², e^v by |v|), so rounding the argument alone
//     would cost hundreds of ULP in the tails;
//   - the exponentials come from expParts/expAcc (expacc.go, within 0.51 ULP; math.Exp on amd64
//     is up to 2 ULP off), erfc from 0.84375 on from erfcMid and erfcCFW (erfc.go; math.Erfc is up
//     to 3 ULP off there), and the last product of a result is a fused multiply-add of
//     double-double parts where that saves a rounding;
//   - where an exponential is subnormal, the other factors are multiplied into its unscaled
//     significand and the scaling by 2^m (scale2) rounds once, at the end;
//   - 1 + tanh(u) cancels for negative u: GELUTanh uses x·σ(2u) = x/(1 + e^(-2u)) instead, and
//     x·σ(v) keeps 1 + e^-|v| as a double-double (sigmoidPair);
//   - softplus is max(x, 0) + log1p(e^-|x|) and ELU uses expm1, so neither subtracts nearly equal
//     values.
//
// Measured against 192-bit references (activation64_test.go): within 2 ULP of the correctly
// rounded result.

// Constants, written out to every bit (the tests check them against 192-bit values).
const (
	invSqrt2Hi    = 0x1.6a09e667f3bcdp-01 // 1/√2 = invSqrt2Hi + invSqrt2Lo
	invSqrt2Lo    = -0x1.bdd3413b26456p-55
	twoOverSqrtPi = 0x1.20dd750429b6dp+00  // 2/√π
	invSqrtPi     = 0x1.20dd750429b6dp-01  // 1/√π
	invSqrt2Pi    = 0x1.9884533d43651p-02  // 1/√(2π) = invSqrt2Pi + invSqrt2PiLo
	invSqrt2PiLo  = -0x1.cbc0d30ebfd15p-56 //
	geluTanhAHi   = 0x1.9884533d43651p+00  // 2√(2/π) = geluTanhAHi + geluTanhALo
	geluTanhALo   = -0x1.cbc0d30ebfd15p-54 //
	geluTanhBHi   = 0x1.2444f2a4d8b4bp-04  // 0.044715 · 2√(2/π) = geluTanhBHi + geluTanhBLo
	geluTanhBLo   = -0x1.6c843a29d1c7p-61  //
)

// negZero is -0.
var negZero = math.Copysign(0, -1)

// twoSumErr returns the rounding error of s = a + b: a + b = s + twoSumErr(a, b, s) exactly.
func twoSumErr(a, b, s float64) float64 {
	bb := s - a
	return (a - (s - bb)) + (b - bb)
}

// sigmoidPair returns σ(v) = 1/(1+e^-v) and σ(-v) = 1 - σ(v), each within about 0.6 ULP, for
// v = vh + vl with vh > -708 (or NaN or ±Inf) and vl a low part. With e = e^-|v| in [0, 1],
// 1 + e is held exactly as d + dl and each quotient is corrected by its residual.
func sigmoidPair(vh, vl float64) (s, sm float64) {
	if vh >= 0 {
		vl = -vl
	}
	e := expAcc(-math.Abs(vh), vl) // e^-|v|
	d := 1 + e
	dl := e - (d - 1) // d + dl = 1 + e exactly, as 0 <= e <= 1
	big := 1 / d
	big += (math.FMA(-big, d, 1) - big*dl) / d // 1/(1+e)
	small := e / d
	small += (math.FMA(-small, d, e) - small*dl) / d // e/(1+e)
	if vh < 0 {
		return small, big
	}
	return big, small
}

// xSigmoid returns x·σ(v) for v = vh + vl of the sign of x (vl a low part): SiLU and GELUTanh.
// Below v = -700, σ(v) = e^v within 2^-1000, and x is multiplied into e^v's significand before
// its scaling, so that a subnormal result is rounded once; below -1100 the result is 0 with the
// sign of x.
func xSigmoid(x, vh, vl float64) float64 {
	if vh > -700 {
		s, _ := sigmoidPair(vh, vl)
		return x * s
	}
	if vh < -1100 {
		return math.Copysign(0, x)
	}
	yh, yl, m := expParts(vh, vl)
	return scale2(math.FMA(x, yh, x*yl), m)
}

// geluTanhArg returns v = 2u = 2√(2/π)(x + 0.044715x³) = x·(A + B·x²) as a double-double
// vh + vl, within about 2^-100 relative, for |x| <= 30: x², B·x², A + B·x² and the product with x
// each keep their rounding error (FMA, twoSumErr). e^-v is relatively sensitive to v in
// proportion to |v| (up to 750 where the result is still nonzero), so v rounded once would cost
// up to hundreds of ULP.
func geluTanhArg(x float64) (vh, vl float64) {
	sh := float64(x * x)
	sl := math.FMA(x, x, -sh)
	ph := float64(geluTanhBHi * sh)
	pl := math.FMA(geluTanhBHi, sh, -ph) + (geluTanhBHi*sl + geluTanhBLo*sh)
	qh := geluTanhAHi + ph
	ql := twoSumErr(geluTanhAHi, ph, qh) + (geluTanhALo + pl)
	vh = float64(x * qh)
	vl = math.FMA(x, qh, -vh) + x*ql
	return vh, vl
}

// erfcArg returns w = -x/√2 as a double-double wh + wl.
func erfcArg(x float64) (wh, wl float64) {
	wh = float64(-x * invSqrt2Hi)
	return wh, math.FMA(-x, invSqrt2Hi, -wh) - x*invSqrt2Lo
}

// gelu64 returns x·Φ(x) = 0.5·x·erfc(w), w = -x/√2 (a double-double wh + wl), for every float64 x:
//   - x >= 9: x (0.5·erfc(w) is 1 within 2^-60), +Inf, NaN and ±0 included.
//   - wh < 0.84375 (x > -1.19): math.Erfc(wh) - wl·(2/√π)e^(-wh²), accurate there (erfc > 0.2).
//   - wh < 3 (x > -4.24): erfcMid.
//   - x >= -40: x·erfc(w)/2 = -e^(-x²/2)/√(2π) · z/t, with t erfc's continued fraction at z = wh
//     and z/t = 1 - w (erfcCFW), x² a double-double. The result is subnormal below x = -37.62
//     and rounds to -0 below -38.58.
//   - x < -40, -Inf included: -0.
func gelu64(x float64) float64 {
	switch {
	case x >= 9 || x != x || x == 0:
		return x
	case x < -40:
		return negZero
	}
	wh, wl := erfcArg(x)
	hx := 0.5 * x // exact but for subnormal x, where the result then is 0.5x rounded once
	switch {
	case wh < 0.84375:
		return math.FMA(hx, math.Erfc(wh), -hx*wl*twoOverSqrtPi*expAcc(-wh*wh, 0))
	case wh < 3:
		hi, lo := erfcMid(wh, wl)
		return math.FMA(hx, hi, hx*lo)
	}
	h := float64(x * x)
	yh, yl, m := expParts(-0.5*h, -0.5*math.FMA(x, x, -h))
	w := erfcCFW(wh)
	lo := invSqrt2PiLo - invSqrt2Pi*w // 1/√(2π)·(1 - w) = invSqrt2Pi + lo
	return scale2(-math.FMA(yh, invSqrt2Pi, yh*lo+yl*invSqrt2Pi), m)
}

// geluTanh64 returns 0.5·x·(1 + tanh(u)), u = √(2/π)(x + 0.044715x³), computed as
// x·σ(2u) = x/(1 + e^(-2u)) (no cancellation for negative x) with 2u a double-double
// (geluTanhArg), for every float64 x: x for x >= 10 (+Inf, NaN and ±0 included); -0 below -30
// (the result rounds to -0 below -21.55).
func geluTanh64(x float64) float64 {
	switch {
	case x >= 10 || x != x || x == 0:
		return x
	case x < -30:
		return negZero
	}
	vh, vl := geluTanhArg(x)
	return xSigmoid(x, vh, vl)
}

// silu64 returns x·σ(x) = x/(1 + e^-x) for every float64 x: x itself above 40 (σ rounds to 1
// from 37.4 on), +Inf, NaN and ±0 included; below -700 see xSigmoid; -0 below -1100 (the result
// rounds to -0 below -751.76), -Inf included.
func silu64(x float64) float64 {
	if x > 40 || x != x || x == 0 {
		return x
	}
	return xSigmoid(x, x, 0)
}

// softplus64 returns log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x (the
// result is x from 37 on), e^x itself below -37 (down through the subnormals to 0), 0 for -Inf
// and +Inf for +Inf.
func softplus64(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(expAcc(-x, 0))
	}
	return math.Log1p(expAcc(x, 0))
}

// mapF64 sets dst[i] = T(f(float64(src[i]))).
func mapF64[T Float](dst, src []T, f func(float64) float64) {
	if is32[T]() {
		d, s := f32(dst), f32(src)
		d = d[:len(s)]
		for i, x := range s {
			d[i] = float32(f(widen(x)))
		}
		return
	}
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = T(f(float64(x)))
	}
}

// widen returns float64(x). For normal x it builds the float64 from the bits: a full register
// write, where the float32 to float64 conversion instruction of amd64 (CVTSS2SD) merges into
// the register's previous value and so waits for the previous element's result, which
// serializes the loop (twice the time per element).
func widen(x float32) float64 {
	b := math.Float32bits(x)
	if (b>>23)&0xff-1 < 0xfe { // a normal number
		return math.Float64frombits(uint64(b&0x80000000)<<32 | (uint64(b&0x7fffffff)<<29 + (1023-127)<<52))
	}
	return float64(x)
}

func geluRef[T Float](dst, src []T)     { mapF64(dst, src, gelu64) }
func geluTanhRef[T Float](dst, src []T) { mapF64(dst, src, geluTanh64) }
func siluRef[T Float](dst, src []T)     { mapF64(dst, src, silu64) }
func softplusRef[T Float](dst, src []T) { mapF64(dst, src, softplus64) }
func logRef[T Float](dst, src []T)      { mapF64(dst, src, log64) }

// log64 is math.Log, except for subnormal x: math.Log on amd64 (assembly) does not normalize
// them and returns about -709 for all of them (Go 1.26: math.Log(5e-324) = -709.09, not
// -744.44). There ln x = ln(x·2^54) - 54 ln2, within 2 ULP.
func log64(x float64) float64 {
	if x < 0x1p-1022 && x > 0 {
		return math.Log(x*0x1p54) - 54*math.Ln2
	}
	return math.Log(x)
}

// eluRef keeps x > 0 and sets alpha·expm1(x) elsewhere (NaN stays NaN, -0 gives alpha·-0), the
// product rounded once in float64 and then to T.
func eluRef[T Float](alpha T, dst, src []T) {
	a := float64(alpha)
	dst = dst[:len(src)]
	for i, x := range src {
		if !(x > 0) {
			x = T(a * math.Expm1(float64(x)))
		}
		dst[i] = x
	}
}

// leakyReLURef keeps x > 0 and sets alpha·x (one rounding, in T) elsewhere: NaN stays NaN and
// -0 gives alpha·-0.
func leakyReLURef[T Float](alpha T, dst, src []T) {
	dst = dst[:len(src)]
	for i, x := range src {
		if !(x > 0) {
			x *= alpha
		}
		dst[i] = x
	}
}
