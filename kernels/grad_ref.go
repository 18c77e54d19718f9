package kernels

import "math"

// The pure-Go backward kernels: the generic path of SigmoidGrad, TanhGrad, ReLUGrad,
// LeakyReLUGrad, ELUGrad, GELUGrad, GELUTanhGrad, SiLUGrad and SoftplusGrad, and the reference
// their assembly is tested against. The piecewise-linear ones (ReLU, LeakyReLU) select dy or
// alpha·dy in T and are exact. The others evaluate dy·f'(·) as a float64 function of the float64
// values of dy and of y or x (below), accurate to a few float64 ULP, and round it once to T; the
// float32 results are within 1 ULP of dy·f' correctly rounded. Each element is read before dx[i]
// is written, so dx may be dy, x or y.

// mapGrad sets dx[i] = T(f(dy[i], v[i])) in float64 (float32 widened as in mapF64).
func mapGrad[T Float](dx, dy, v []T, f func(dy, v float64) float64) {
	if is32[T]() {
		d, g, s := f32(dx), f32(dy), f32(v)
		g, s = g[:len(d)], s[:len(d)]
		for i := range d {
			d[i] = float32(f(widen(g[i]), widen(s[i])))
		}
		return
	}
	dy, v = dy[:len(dx)], v[:len(dx)]
	for i := range dx {
		dx[i] = T(f(float64(dy[i]), float64(v[i])))
	}
}

// sigmoidGrad64 is dy·y·(1-y) (1-y exact for y in [1/2, 1]): within 2 ULP.
func sigmoidGrad64(dy, y float64) float64 { return dy * (y * (1 - y)) }

// tanhGrad64 is dy·(1-y²) as dy·(1-y)·(1+y), which does not cancel for |y| near 1 (1-y is exact
// there): within 2 ULP.
func tanhGrad64(dy, y float64) float64 { return dy * ((1 - y) * (1 + y)) }

// geluGrad64 is dy·(Φ(x) + x·φ(x)), with φ(x) = e^(-x²/2)/√(2π) and Φ(x) = erfc(w)/2 at
// w = -x/√2, the arguments as double-doubles and erfc as in gelu64:
//   - x >= 10: dy (the derivative is 1 within 2^-60), +Inf included; NaN gives NaN.
//   - x > -4.24: the formula above. Near its zero at x = -0.7518 the two terms cancel, and the
//     error there is a few ULP of Φ(x) (about 0.23), not of the result; below x = -1.19, where
//     they still cancel by up to half, x·φ(x) is a double-double and the sum keeps its error.
//   - x >= -60: Φ(x) = φ(x)·S/|x| with S = z/t = 1 - w from erfc's continued fraction
//     (erfcCFW), so f' = x·φ(x)·(1 - S/x²), with dy multiplied into the significand of
//     e^(-x²/2) before its scaling: a large dy (up to the largest float64) times a subnormal or
//     smaller f' still comes out right (where |dy| > 1, 2^-6 of the scaling is taken into dy
//     first, exactly, so that the product, up to 48·|dy|, does not overflow).
//   - x < -60, -Inf included: dy·-0 (|f'| < e^-1790: zero even times the largest float64).
func geluGrad64(dy, x float64) float64 {
	switch {
	case x >= 10:
		return dy
	case x != x:
		return x
	case x < -60:
		return dy * negZero
	}
	wh, wl := erfcArg(x)
	h := float64(x * x)
	l := math.FMA(x, x, -h)
	if wh >= 3 {
		yh, yl, m := expParts(-0.5*h, -0.5*l)
		k := invSqrt2Pi * (1 - (1-erfcCFW(wh))/h)
		v := x * math.FMA(yh, k, yl*k) // |v| < 48
		if math.Abs(dy) > 1 {
			return scale2(dy*0x1p-6*v, m+6) // not to overflow before the scaling
		}
		return scale2(dy*v, m)
	}
	if wh < 0.84375 {
		g := expAcc(-0.5*h, -0.5*l) // e^(-x²/2)
		xphi := x * (g * invSqrt2Pi)
		return dy * (0.5*math.Erfc(wh) + (xphi - wl*invSqrtPi*g))
	}
	// Φ(x) and x·φ(x) cancel by up to half here: x·φ(x) as a double-double, e^(-x²/2) =
	// (yh + yl)·2^m and x/√(2π) = kh + kl, and Φ(x) + x·φ(x) summed with the error of its
	// leading terms.
	hi, lo := erfcMid(wh, wl)
	yh, yl, m := expParts(-0.5*h, -0.5*l)
	kh := x * invSqrt2Pi
	kl := math.FMA(x, invSqrt2Pi, -kh) + x*invSqrt2PiLo
	sc := pow2(m) // m >= -13
	ph := kh * yh
	pl := (math.FMA(kh, yh, -ph) + (kh*yl + kl*yh)) * sc
	ph *= sc
	a := 0.5 * hi
	sum := a + ph
	return dy * (sum + (twoSumErr(a, ph, sum) + (0.5*lo + pl)))
}

// xSigmoidGrad returns dy · d/dx[x·σ(v(x))] = dy·σ(v)·(1 + x·σ(-v)·v'(x)) for v = vh + vl of
// the sign of x and v'(x) = dv + dvl > 0 (a low part): SiLU (v = x) and GELUTanh. σ(v) and σ(-v)
// come from sigmoidPair, so neither is 1 - (something close to 1); x·v' is held as a pair and
// its product with σ(-v) rounded once. Below v = -700, σ(v) = e^v and σ(-v) = 1 within 2^-1000,
// with dy multiplied in before e^v is scaled below 2^-512 (mulScale2: no early overflow, one
// rounding of a subnormal result); below -1500 the result is dy·-0 (zero even for the largest
// dy).
func xSigmoidGrad(dy, x, vh, vl, dv, dvl float64) float64 {
	w := float64(x * dv)
	wl := math.FMA(x, dv, -w) + x*dvl // x·v' = w + wl
	if vh > -700 {
		s, sm := sigmoidPair(vh, vl)
		return dy * math.FMA(s, math.FMA(w, sm, wl*sm), s)
	}
	if vh < -1500 {
		return dy * negZero
	}
	yh, yl, m := expParts(vh, vl)
	k := 1 + w
	return mulScale2(dy, math.FMA(yh, k, yl*k), m)
}

// geluTanhGrad64 is dy times the derivative of geluTanh64: with v = 2u as in geluTanh64 and
// v' = 2√(2/π)(1 + 3·0.044715x²) (a double-double, as v), dy·σ(v)·(1 + x·σ(-v)·v'). dy for
// x >= 10 (the derivative is 1 within 2^-70), +Inf included; dy·-0 below -30. It cancels near
// its zero at x = -0.7525, where the error is a few ULP of σ(v) (about 0.23), not of the result.
func geluTanhGrad64(dy, x float64) float64 {
	switch {
	case x >= 10:
		return dy
	case x != x:
		return x
	case x < -30:
		return dy * negZero
	}
	vh, vl := geluTanhArg(x)
	dv, dvl := geluTanhDArg(x)
	return xSigmoidGrad(dy, x, vh, vl, dv, dvl)
}

// geluTanhDArg returns v'(x) = A + 3B·x² (v = x·(A + B·x²) as in geluTanhArg) as a double-double
// dh + dl, within about 2^-100 relative: x², 3B·x² and the sum with A each keep their rounding
// error (FMA, twoSumErr), and 3B is itself a double-double.
func geluTanhDArg(x float64) (dh, dl float64) {
	const (
		b3h = float64(3 * geluTanhBHi)
		b3l = float64(3*geluTanhBHi-b3h) + 3*geluTanhBLo
	)
	sh := float64(x * x)
	sl := math.FMA(x, x, -sh)
	ph := float64(b3h * sh)
	pl := math.FMA(b3h, sh, -ph) + (b3h*sl + b3l*sh)
	dh = geluTanhAHi + ph
	dl = twoSumErr(geluTanhAHi, ph, dh) + (geluTanhALo + pl)
	return dh, dl
}

// siluGrad64 is dy·σ(x)·(1 + x·σ(-x)). dy for x > 50 (the derivative, 1 + (x-1)e^-x nearly, is 1
// within 2^-65), +Inf included; dy·-0 for -Inf. It cancels near its zero at x = -1.2785, where
// the error is a few ULP of σ(x) (about 0.22), not of the result.
func siluGrad64(dy, x float64) float64 {
	switch {
	case x > 50:
		return dy
	case x != x:
		return x
	}
	return xSigmoidGrad(dy, x, x, 0, 1, 0)
}

// softplusGrad64 is dy·σ(x), σ from sigmoidPair; below -700, dy·e^x with dy multiplied in before
// e^x is scaled below 2^-512 (mulScale2); 0 below -1500 (-Inf included).
func softplusGrad64(dy, x float64) float64 {
	switch {
	case x > -700 || x != x:
		s, _ := sigmoidPair(x, 0)
		return dy * s
	case x < -1500:
		return dy * 0
	}
	yh, yl, m := expParts(x, 0)
	return mulScale2(dy, yh+yl, m)
}

// eluGradNeg64 is dy·alpha·e^x for x <= 0, with dy multiplied in before e^x is scaled below
// 2^-512 (mulScale2: a subnormal result rounds once, and dy·alpha·e^x overflows only where the
// result does, for |alpha| in about [2^-500, 2^500]); 0 below -1500 (-Inf included).
func eluGradNeg64(alpha, dy, x float64) float64 {
	if x < -1500 {
		return dy * (alpha * 0)
	}
	yh, yl, m := expParts(x, 0)
	return mulScale2(dy, math.FMA(alpha, yh, alpha*yl), m)
}

// mulScale2 returns dy·y·2^m for m <= 0 and |y| in about [2^-500, 2^500]: with m1 = max(m, -512),
// y·2^m1 is exact and normal, so that dy times it overflows only where the result does (dy·y
// itself would overflow for |dy| near the largest float64 where the scaling brings the product
// back into range) and keeps every bit until the product with dy, which rounds once; the
// scaling by 2^(m-m1) <= 1 rounds once more only where the result is subnormal.
func mulScale2(dy, y float64, m int) float64 {
	m1 := max(m, -512)
	return scale2(dy*(y*pow2(m1)), m-m1)
}

func sigmoidGradRef[T Float](dx, dy, y []T)  { mapGrad(dx, dy, y, sigmoidGrad64) }
func tanhGradRef[T Float](dx, dy, y []T)     { mapGrad(dx, dy, y, tanhGrad64) }
func geluGradRef[T Float](dx, dy, x []T)     { mapGrad(dx, dy, x, geluGrad64) }
func geluTanhGradRef[T Float](dx, dy, x []T) { mapGrad(dx, dy, x, geluTanhGrad64) }
func siluGradRef[T Float](dx, dy, x []T)     { mapGrad(dx, dy, x, siluGrad64) }
func softplusGradRef[T Float](dx, dy, x []T) { mapGrad(dx, dy, x, softplusGrad64) }

// reluGradRef sets dx = 0 where x <= 0 and dy elsewhere (x > 0 or NaN), as a select: an
// infinite or NaN dy at x <= 0 gives 0, not NaN.
func reluGradRef[T Float](dx, dy, x []T) {
	dy, x = dy[:len(dx)], x[:len(dx)]
	for i := range dx {
		g := dy[i]
		if x[i] <= 0 {
			g = 0
		}
		dx[i] = g
	}
}

// leakyReLUGradRef sets dx = dy where x > 0 and alpha·dy (one rounding, in T) elsewhere, NaN x
// included.
func leakyReLUGradRef[T Float](alpha T, dx, dy, x []T) {
	dy, x = dy[:len(dx)], x[:len(dx)]
	for i := range dx {
		g := dy[i]
		if !(x[i] > 0) {
			g *= alpha
		}
		dx[i] = g
	}
}

// eluGradRef sets dx = dy·alpha·e^x where x <= 0 (eluGradNeg64, rounded once to T) and dy
// elsewhere (x > 0 or NaN).
func eluGradRef[T Float](alpha T, dx, dy, x []T) {
	a := float64(alpha)
	dy, x = dy[:len(dx)], x[:len(dx)]
	for i := range dx {
		g := dy[i]
		if v := x[i]; v <= 0 {
			g = T(eluGradNeg64(a, float64(g), float64(v)))
		}
		dx[i] = g
	}
}
