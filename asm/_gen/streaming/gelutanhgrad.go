package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
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
				"(x below -27.8, -Inf included), as the pure-Go path; NaN gives NaN.",
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
	})
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
