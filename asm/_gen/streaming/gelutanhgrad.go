package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("gelutanhgrad", genGELUTanhGrad) }

// The float64 coefficients of GELUTanh's v = 2u = x·(gtgA + gtgB·x²) and of its derivative
// v' = gtgA + 3·gtgB·x².
var (
	geluTanhGradA = 2 * math.Sqrt(2/math.Pi)
	geluTanhGradB = 2 * math.Sqrt(2/math.Pi) * 0.044715
)

// genGELUTanhGrad emits GELUTanhGrad, float32: dy·σ(v)·(1 + x·v'·σ(-v)) with v = 2u, the method
// of genXSigmoidGrad.
func genGELUTanhGrad(c *build.Context) {
	genXSigmoidGrad(c, siluGradSpec{
		name:  "GELUTanhGrad",
		table: "gelutanhgrad32c",
		doc: []string{
			" sets dx[i] = dy[i]·f'(x[i]) for f = GELUTanh, computed as σ(v)·(1 + x·v'·σ(-v)) " +
				"with v = 2√(2/π)(x + 0.044715x³) (σ(v) = (1 + tanh(v/2))/2) in float64 lanes and " +
				"rounded once: within 1 ULP of the correctly rounded result of",
			"\tfor i := range dx {\n\t\tv := float64(x[i])\n\t\tc := math.Sqrt(2 / math.Pi)\n\t\tt := math.Tanh(c * (v + 0.044715*v*v*v))\n\t\tdx[i] = T(float64(dy[i]) * (0.5*(1+t) + 0.5*v*(1-t*t)*c*(1+3*0.044715*v*v)))\n\t}",
			"except next to the zero of the derivative (x = -0.7525), where the error is within " +
				"1 ULP of dy·σ(v). dx = dy for x >= 10 (+Inf included), dy·-0 where v < -1500 " +
				"(x below -27.33, -Inf included), as the pure-Go path; NaN gives NaN.",
		},
		hi:  10,
		cut: geluTanhGradCut(),
		arg: func(g *fn, tab *consts, x, a, xdv, s reg.VecPhysical) {
			ca := c64(tab, "2√(2/π)", geluTanhGradA)
			cb := c64(tab, "2√(2/π)·0.044715", geluTanhGradB)
			cb3 := c64(tab, "3·2√(2/π)·0.044715", 3*geluTanhGradB)
			g.VMULPD(x, x, s) // x²
			if g.avx512() {
				g.VBROADCASTSD(cb, a)
				g.VFMADD213PD_BCST(ca, s, a) // A + B·x²
				g.VBROADCASTSD(cb3, xdv)
				g.VFMADD213PD_BCST(ca, s, xdv) // v'
			} else {
				g.VMOVUPD(cb, a)
				g.VFMADD213PD(ca, s, a)
				g.VMOVUPD(cb3, xdv)
				g.VFMADD213PD(ca, s, xdv)
			}
			g.VMULPD(x, xdv, xdv) // x·v'
			g.VMULPD(x, a, a)     // v
		},
		f64: sigGrad64{
			doc: []string{
				" sets dx[i] = dy[i]·f'(x[i]) for f = GELUTanh, computed as σ(v)·(1 + x·v'·σ(-v)) " +
					"with v = 2√(2/π)(x + 0.044715x³) (σ(v) = (1 + tanh(v/2))/2), within 2 ULP " +
					"of the correctly rounded exact value of",
				"\tfor i := range dx {\n\t\tv := x[i]\n\t\tc := math.Sqrt(2 / math.Pi)\n\t\tt := math.Tanh(c * (v + 0.044715*v*v*v))\n\t\tdx[i] = dy[i] * (0.5*(1+t) + 0.5*v*(1-t*t)*c*(1+3*0.044715*v*v))\n\t}",
				"except next to the zero of the derivative (x = -0.7525), where the error is " +
					"within 2 ULP of |dy|·σ(v)·(1 + |x·v'|·σ(-v)). v is carried as a " +
					"double-double, 1 - t as σ(-v) without cancellation, and dy is multiplied " +
					"in before a subnormal factor is scaled, so that any finite dy comes out " +
					"right. dx = dy for x >= 10 (+Inf included), dy·-0 where v < -1500 (x below " +
					"-27.33, -Inf included; NaN for an infinite dy), as the pure-Go path; NaN in x " +
					"gives NaN.",
			},
			hi:      10,
			hiPred:  eluGradGEOQ,
			cut:     geluTanhGrad64Cut(),
			cutZero: math.Copysign(0, -1),
			arg:     geluTanhGrad64Arg,
			pair:    true,
		},
	})
}

// The double-double 3B = 3·0.044715·2√(2/π) of v' = A + 3B·x² (as kernels/grad_ref.go's).
const (
	geluTanh64B3Hi = float64(3 * geluTanh64BHi)
	geluTanh64B3Lo = float64(3*geluTanh64BHi-geluTanh64B3Hi) + 3*geluTanh64BLo
)

// geluTanhGrad64Arg is the first stage of GELUTanhGradF64: from x in v.I, c = x clamped to
// [-30, 10]; v' = A + 3B·c² as a double-double dh + dl (c², 3B·c² and the sum with A each keep
// their rounding error: FMA, TwoSum), c·v' as the pair v.I + v.K (c·dh rounded, its error by
// FMA plus c·dl), of the sign of x; a = -|v| as a double-double, clamped at -1500 and reduced
// (geluTanh64Arg).
func geluTanhGrad64Arg(f *fn, e *f64Exp, v sigGrad64Vec) {
	g := newGeluTanh64Arg(f, e)
	b3h := e.c("3B = 3·0.044715·2√(2/π), high part", f64bits(geluTanh64B3Hi))
	b3l := e.c("3B, low part", f64bits(geluTanh64B3Lo))
	g.maxc(g.lo, v.I, v.G)
	g.minc(g.hi, v.G, v.G)       // c
	f.VMULPD(v.G, v.G, v.H)      // sh = c² rounded
	f.VMOVAPD(v.H, v.J)          //
	f.VFMSUB231PD(v.G, v.G, v.J) // sl = c² - sh
	g.mulc(b3h, v.H, v.D)        // ph = 3Bhi·sh rounded
	f.VMOVAPD(v.D, v.E)          //
	g.fmsub231c(b3h, v.H, v.E)   // 3Bhi·sh - ph
	e.fma231(b3h, v.J, v.E)      // + 3Bhi·sl
	e.fma231(b3l, v.H, v.E)      // pl = + 3Blo·sh
	g.addc(g.ahi, v.D, v.F)      // dh = Ahi + ph rounded
	g.subc(g.ahi, v.F, v.A)      // bb = dh - Ahi
	f.VSUBPD(v.A, v.F, v.B)      // dh - bb
	g.subc(g.ahi, v.B, v.B)      // (dh - bb) - Ahi
	f.VSUBPD(v.A, v.D, v.D)      // ph - bb
	f.VSUBPD(v.B, v.D, v.D)      // TwoSum's error of Ahi + ph
	g.addc(g.alo, v.E, v.E)      // Alo + pl
	f.VADDPD(v.E, v.D, v.D)      // dl
	f.VMULPD(v.F, v.G, v.I)      // c·dh rounded, of the sign of x
	f.VMOVAPD(v.F, v.K)          //
	f.VFMSUB213PD(v.I, v.G, v.K) // c·dh - its rounding, exact
	f.VFMADD231PD(v.G, v.D, v.K) // + c·dl: the low part of c·v'
	f.VMOVAPD(v.G, v.A)
	g.arg(f64SigVec{A: v.A, B: v.B, C: v.C, D: v.D, E: v.E, F: v.F},
		func() Mem { return e.c("-1500, the clamp of -|v|", f64bits(grad64Cut)) })
}

// geluTanhGrad64Cut is the least float64 x with v(x) >= -1500, v(x) = x·(A + B·x²) rounded as
// the pure-Go path (and geluTanh64Arg) rounds its high part: below it the pure-Go path takes the
// derivative as -0 (so that an infinite dy gives NaN), and so does GELUTanhGradF64.
func geluTanhGrad64Cut() float64 {
	vh := func(x float64) float64 {
		sh := float64(x * x)
		ph := float64(geluTanh64BHi * sh)
		qh := float64(geluTanh64AHi + ph)
		return float64(x * qh)
	}
	// Negative floats: the larger the bits, the smaller x (and v).
	in, out := math.Float64bits(-20), math.Float64bits(-30) // vh(-20) >= -1500 > vh(-30)
	for out-in > 1 {
		m := in + (out-in)/2
		if vh(math.Float64frombits(m)) >= -1500 {
			in = m
		} else {
			out = m
		}
	}
	return math.Float64frombits(in)
}

// geluTanhGradCut is the least float32 x with v(x) >= -1500: below it the pure-Go path takes the
// derivative as -0 (so that an infinite dy gives NaN), and so do the kernels.
func geluTanhGradCut() float64 {
	v := func(x float32) float64 {
		t := float64(x)
		return t * (geluTanhGradA + geluTanhGradB*t*t)
	}
	x := float32(-30) // v(-30) < -1500
	for v(x) < -1500 {
		x = math.Nextafter32(x, 0)
	}
	return float64(x)
}
