package kernels

import (
	"math"
	"math/big"
)

// The activations' part of TestElementwiseF32Sweep (exp32_sweep_test.go): their exact values for
// the rare inputs near a rounding midpoint, and the float64 references of GELU and GELUTanh.

// The activations' exact values at a float32 x (bigmath_test.go), for the few inputs whose float64
// reference lies too near a float32 rounding midpoint.
var (
	geluF32Want     = f32Want{"GELU", activationF32ULPs, func(x float32) *big.Float { return geluBig(float64(x)) }, true}
	geluTanhF32Want = f32Want{"GELUTanh", activationF32ULPs, func(x float32) *big.Float { return geluTanhBig(float64(x)) }, true}
	siluF32Want     = f32Want{"SiLU", activationF32ULPs, func(x float32) *big.Float { return siluBig(float64(x)) }, true}
	softplusF32Want = f32Want{"Softplus", activationF32ULPs, func(x float32) *big.Float { return softplusBig(float64(x)) }, true}
	elu1F32Want     = f32Want{"ELU(1)", activationF32ULPs, func(x float32) *big.Float { return eluBig(1, float64(x)) }, true}
	eluAF32Want     = f32Want{"ELU(0.3)", activationF32ULPs, func(x float32) *big.Float { return eluBig(float64(eluAlpha32), float64(x)) }, true}
	logF32Want      = f32Want{"Log", activationF32ULPs, func(x float32) *big.Float { return logBig(bigOf(float64(x))) }, true}
)

// geluSweepRef is GELU at ±a for a float32 magnitude a: with ec = erfc(a/√2),
// GELU(-a) = -a·ec/2 and GELU(a) = a - a·ec/2 = a·(1 - ec/2) (ec <= 1: no cancellation).
// a/√2 = a·c1 + a·c2 with c1 = 1/√2 rounded to 29 bits, so a·c1 is exact, and
// erfc(z1 + δ) = erfc(z1) - δ·(2/√π)e^(-z1²)·(1 - z1·δ) to second order in δ = a·c2 (about
// 2^-30 z1; the third-order term is below 1e-20).
func geluSweepRef(a, _, _ float64) (float64, float64) {
	const c1 = 0x1.6a09e68p-01 // 1/√2 to 29 bits
	const c2 = 1/math.Sqrt2 - c1
	switch {
	case a != a:
		return a, a
	case math.IsInf(a, 1):
		return a, negZero
	}
	z1, d := a*c1, a*c2
	ec := math.Erfc(z1) - d*twoOverSqrtPi*math.Exp(-z1*z1)*(1-z1*d)
	return a * (1 - ec/2), -a * ec / 2
}

// geluTanhSweepRef is GELUTanh at ±a for a float32 magnitude a: a·σ(v) and -a·σ(-v) with
// v = 2√(2/π)(a + 0.044715a³) (odd in a) as a double-double A·a + B·a³: a² is exact, a³ = a·a²
// and the products with the double-double constants keep their errors by FMA. σ(±v) from
// E = e^-v (corrected by the low part of v): 1/(1+E) and E/(1+E).
func geluTanhSweepRef(a, _, _ float64) (float64, float64) {
	switch {
	case a != a:
		return a, a
	case a > 20: // σ(-v) < e^-600: -a·σ(-v) rounds to -0 in float32
		return a, negZero
	}
	s := a * a // exact
	th := a * s
	tl := math.FMA(a, s, -th) // a³ = th + tl
	qh := geluTanhAHi * a
	ql := math.FMA(geluTanhAHi, a, -qh) + geluTanhALo*a
	ph := geluTanhBHi * th
	pl := math.FMA(geluTanhBHi, th, -ph) + geluTanhBHi*tl + geluTanhBLo*th
	vh := qh + ph
	vl := twoSumErr(qh, ph, vh) + ql + pl
	e := math.Exp(-vh)
	e -= e * vl
	return a / (1 + e), -a * (e / (1 + e))
}
