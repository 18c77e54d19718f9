package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("softplus", genSoftplus) }

// genSoftplus emits Softplus, dst[i] = log(1 + e^x), float32, in float32 lanes on both ISAs
// (softplus32.go: AVX-512 with 16-row tables, AVX2 with 8), then the float64 kernels.
func genSoftplus(c *build.Context) {
	tab := newConsts("softplus32c")
	for _, v := range variants[:2] {
		f := newFn(c, "Softplus", v, "func(dst, src []T)")
		unroll, req := softplusUnroll2, " and FMA"
		if f.avx512() {
			unroll, req = softplusUnroll32, ""
		}
		f.doc(
			f.Name+" sets dst[i] = log(1 + e^x) for x = src[i], computed as max(x, 0) + "+
				"log1p(e^-|x|) in float32 arithmetic (softplus32.go), within 2 ULP of the "+
				"correctly rounded result of",
			"\tfor i, x := range src {\n\t\tdst[i] = T(math.Max(float64(x), 0) + math.Log1p(math.Exp(-math.Abs(float64(x)))))\n\t}",
			"Softplus(+Inf) = +Inf, Softplus(-Inf) = +0, NaN stays NaN; the results of very "+
				"negative x (e^x, down through the subnormals) keep their relative accuracy. It "+
				"requires "+f.isa.Requires+req+". "+f.mapContract(unroll),
		)
		if f.avx512() {
			softplus32(f, tab)
		} else {
			softplus32AVX2(f, tab)
		}
	}
	tab.emit(c)
	genSoftplus64(c)
}

// genSoftplus64 emits SoftplusF64AVX512 and SoftplusF64AVX2, dst[i] = log(1 + e^x) =
// max(x, 0) + log1p(e) for e = e^-|x|.
//
// Method. e = e^max(-|x|, -1100) from the float64 exp core (expcore64.go, within about 0.52 ULP;
// e rounds to 0 below -745.13), then log1p(e), e in [0, 1], by the ln core (logcore64.go) with
// k and f chosen so that no rounding comes in:
//
//	e <= √2-1:  k = 0, f = e                    1 + f = 1 + e exactly, unrounded
//	e >  √2-1:  k = 1, f = u/2 - 1, u = 1 + e   u rounded, f exact (u - 2 is); the rounding
//	                                            error w = e - (u - 1) (exact) enters as the low
//	                                            term lo = (w/2)/(1 + f) ≈ (w/2)·(1 - f), whose
//	                                            own error, below 2^-57.5, is far below an ULP
//
// and max(x, 0) added last (the maximum returns x where x is NaN; there e is 1100's, 0). log1p(e)
// is relatively as accurate as e (its relative sensitivity to e is at most 1), so the tiny
// results of very negative x (e itself, down through the subnormals) keep their accuracy.
// Softplus(+Inf) = +Inf + 0, Softplus(-Inf) = log1p(0) = +0.
func genSoftplus64(c *build.Context) {
	tab := newConsts("softplus64c")
	for _, v := range variants[2:] {
		f := newFn(c, "Softplus", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = log(1 + e^x) for x = src[i], computed as max(x, 0) + "+
				"log1p(e^-|x|), within 2 ULP of the correctly rounded log(1 + e^x) that the "+
				"loop",
			"\tfor i, x := range src {\n\t\tdst[i] = math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))\n\t}",
			"approximates. Softplus(+Inf) = +Inf, Softplus(-Inf) = +0, NaN stays NaN; the "+
				"results of very negative x (e^x, down through the subnormals) keep their "+
				"relative accuracy. It requires "+f.isa.Requires+logRequires(f)+". "+
				f.mapContract(f64SigUnroll(f)),
		)
		e, l := f.newF64Exp(tab), f.newLog64(tab)
		sign := e.c("the sign bit", 1<<63)
		big := e.c("√2-1: above, k = 1", f64bits(math.Sqrt2-1))
		two := e.c("2.0", f64bits(2))
		half := e.c("0.5", f64bits(0.5))
		if f.avx512() {
			one, zero := Z(24), Z(25)
			f.regs(
				"DI  address of the next dst element",
				"SI  address of the next src element",
				"CX  elements left",
				"AX, BX  scratch (tail mask)",
				"Z0-Z23  four vectors in flight, six registers each: a = -|x|, then r, then f; "+
					"t, then u/2 - 1, then the polynomial R; n, then k; s, then M = 1 + s, then "+
					"s of the ln core; e, then z, then hfsq and the result; u, then w and the "+
					"low term",
				"Z24  1.0",
				"Z25  0.0",
				"Z26  x in the tail",
				"K2-K5  the lanes where e > √2-1",
				f.tailRegs(),
			)
			f.base("dst", dstPtr)
			f.base("src", srcPtr)
			f.length("src", count)
			f.VBROADCASTSD(e.one(), one)
			f.VXORPD(zero, zero, zero)
			vec := func(j int) [6]reg.VecPhysical {
				return [6]reg.VecPhysical{Z(6 * j), Z(6*j + 1), Z(6*j + 2), Z(6*j + 3), Z(6*j + 4), Z(6*j + 5)}
			}
			lv := func(j int) log64Vec {
				r := vec(j)
				return log64Vec{K: r[2], F: r[0], S: r[3], Z: r[4], R: r[1], H: r[4]}
			}
			f.mapStages(4, []stage{
				func(j, n int, x Op) {
					r := vec(j)
					f.VMOVUPD(x, r[0])
					f.VPORQ_BCST(sign, r[0], r[0])    // -|x|
					f.VMAXPD_BCST(e.lo(), r[0], r[0]) // a (NaN: -1100)
					e.red(r[0], r[1], r[2], nil)
				},
				func(j, n int, x Op) {
					r := vec(j)
					e.poly(r[0], r[3])
					f.VADDPD(one, r[3], r[3])       // M = 1 + s
					e.scalef(r[2], r[3], nil, r[4]) // e
				},
				func(j, n int, x Op) {
					r, k := vec(j), kreg[j]
					f.VCMPPD_BCST(U8(cmpGTOQ), big, r[4], k) // e > √2-1: k = 1
					f.VADDPD(one, r[4], r[5])                // u = 1 + e
					f.VSUBPD_BCST(two, r[5], r[1])           // u - 2, exact
					f.VMULPD_BCST(half, r[1], r[1])          // u/2 - 1
					f.VSUBPD(one, r[5], r[5])                // u - 1, exact
					f.VSUBPD(r[5], r[4], r[5])               // w = e - (u - 1)
					f.VMULPD_BCST(half, r[5], r[5])          // w/2
					f.VFNMADD231PD(r[1], r[5], r[5])         // (w/2)·(1 - f)
					f.VMOVAPD_Z(r[5], k, r[5])               // lo: 0 where k = 0
					f.VMOVAPD(r[4], r[0])
					f.VMOVAPD(r[1], k, r[0])  // f: e, or u/2 - 1 where k = 1
					f.VMOVAPD_Z(one, k, r[2]) // k
				},
				func(j, n int, x Op) { l.quot(lv(j)) },
				func(j, n int, x Op) { l.poly(lv(j)) },
				func(j, n int, x Op) {
					r := vec(j)
					l.combine(lv(j), r[5])  // log1p(e)
					f.VMAXPD(x, zero, r[0]) // max(x, 0), x where x is NaN
					f.VADDPD(r[0], r[4], r[4])
				},
			}, func(j int) reg.VecPhysical { return vec(j)[4] }, Z(26))
			continue
		}
		zero, one := f.V(14), f.V(15)
		f.regs(
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
			"Y0-Y11  two vectors in flight, six registers each: a = -|x|, then r, then f; t, "+
				"then 2^(n-floor(n/2)), then u/2 - 1, then the polynomial R; n, then "+
				"2^floor(n/2), then k; s, then M, then the mask e > √2-1, then s of the ln "+
				"core; e, then z, then hfsq and the result; u, then w and the low term",
			"Y12  x in the tail",
			"Y14  0.0",
			"Y15  1.0",
			f.tailRegs(),
		)
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		f.VXORPD(zero, zero, zero)
		f.VMOVUPD(e.one(), one)
		vec := func(j int) [6]reg.VecPhysical {
			return [6]reg.VecPhysical{f.V(6 * j), f.V(6*j + 1), f.V(6*j + 2), f.V(6*j + 3), f.V(6*j + 4), f.V(6*j + 5)}
		}
		lv := func(j int) log64Vec {
			r := vec(j)
			return log64Vec{K: r[2], F: r[0], S: r[3], Z: r[4], R: r[1], H: r[4]}
		}
		f.mapStages(2, []stage{
			func(j, n int, x Op) {
				r := vec(j)
				f.VMOVUPD(x, r[0])
				f.VORPD(sign, r[0], r[0])
				f.VMAXPD(e.lo(), r[0], r[0])
				e.red(r[0], r[1], r[2], nil)
			},
			func(j, n int, x Op) {
				r := vec(j)
				e.poly(r[0], r[3])
				f.VADDPD(one, r[3], r[3]) // M = 1 + s
				e.halves(r[1], r[2])
				f.VMULPD(r[2], r[3], r[3]) // M·2^floor(n/2), exact
				f.VMULPD(r[1], r[3], r[4]) // e
			},
			func(j, n int, x Op) {
				r := vec(j)
				f.VCMPPD(U8(cmpGTOQ), big, r[4], r[3]) // e > √2-1: k = 1
				f.VADDPD(one, r[4], r[5])              // u = 1 + e
				f.VSUBPD(two, r[5], r[1])              // u - 2, exact
				f.VMULPD(half, r[1], r[1])             // u/2 - 1
				f.VSUBPD(one, r[5], r[5])              // u - 1, exact
				f.VSUBPD(r[5], r[4], r[5])             // w = e - (u - 1)
				f.VMULPD(half, r[5], r[5])             // w/2
				f.VFNMADD231PD(r[1], r[5], r[5])       // (w/2)·(1 - f)
				f.VANDPD(r[3], r[5], r[5])             // lo: 0 where k = 0
				f.VBLENDVPD(r[3], r[1], r[4], r[0])    // f: e, or u/2 - 1 where k = 1
				f.VANDPD(one, r[3], r[2])              // k
			},
			func(j, n int, x Op) { l.quot(lv(j)) },
			func(j, n int, x Op) { l.poly(lv(j)) },
			func(j, n int, x Op) {
				r := vec(j)
				l.combine(lv(j), r[5])  // log1p(e)
				f.VMAXPD(x, zero, r[0]) // max(x, 0), x where x is NaN
				f.VADDPD(r[0], r[4], r[4])
			},
		}, func(j int) reg.VecPhysical { return vec(j)[4] }, f.V(12))
	}
	tab.emit(c)
}
