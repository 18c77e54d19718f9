package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("tanh64", genTanh64) }

const (
	// tanh64Tiny is where the float64 tanh starts to compute: below it, tanh x = x(1 - x²/3 +
	// ...) rounds to x itself (x²/3 < 2^-55), which also keeps ±0 and the subnormals.
	tanh64Tiny = 0x1p-27
	// tanh64Lo is the clamp of -|x|: tanh 20 rounds to 1 (1 - tanh 20 < 2^-55), as does tanh of
	// every x from 19.07 on, and e^-40 is a normal number.
	tanh64Lo = -20.0
	// cmpNGEUQ is the VCMPPD predicate "not greater than or equal, unordered, quiet": x < y or
	// either is NaN.
	cmpNGEUQ = 0x19
)

// genTanh64 emits TanhF64AVX512 and TanhF64AVX2, dst[i] = tanh(src[i]).
//
// Method. For a = |x| >= 2^-27 clamped to 20, tanh a = (1 - e)/(1 + e) with e = e^(-2a), by the
// steps of the core (expcore64.go) with two low parts added, because the quotient magnifies the
// error of e by up to 2e/(1 - e²) (2.7 at a = 0.18) where 1 - e cancels:
//
//	-2a = n·ln2 + r + rl        the reduction of f64Exp.red, with the rounding error of its last
//	                            FMA kept: rl = (rh - r) - n·ln2lo, rh = -2a - n·ln2hi (n = 0,
//	                            a < ln2/4: r = -2a, rl = 0)
//	s = sh + sl                 e^(r+rl) - 1 = r + r·w + rl·(1 + s) for w = r·q(r) rounded:
//	                            sh = r + p, p = r·w rounded, sl = the errors of both (exact,
//	                            FMA and Fast2Sum) + rl·(1 + sh)
//	M = 1 + sh, Ml = (sh - (M - 1)) + sl
//	e = E + El                  E = M·2^n, El = Ml·2^n (VSCALEFPD, or the product with 2^n from
//	                            the bits of t: exact, n >= -58)
//
// Then 1 - e and 1 + e as double-doubles:
//
//	nh0 = 1 - E                         Fast2Sum: 1 >= E
//	g   = ((nh0 - 1) + E) + El          -(nh0's rounding error) + El, so 1 - e = nh0 - g
//	nh  = nh0 - g, nl = (nh0 - nh) - g  Fast2Sum again: nh + nl = 1 - e, nl within nh's ULP
//	dh  = 1 + E, dl = (E - (dh - 1)) + El
//
// For n = 0, 1 - E is exact and nh + nl is -s itself: small a lose nothing to cancellation. The
// quotient is y0 + ql as in the x·σ kernels (f64XSigmoid512): r ≈ 1/dh (AVX-512 VRCP14PD and
// one Newton step, AVX2 VDIVPD), y0 = nh·r and ql = r·((nh - y0·dh) + nl - y0·dl), whose sum
// rounds once. What remains of the error of s is w's rounding and q's (about 2^-55 relative to
// s, halved or less in the quotient), so the result is within about 0.7 ULP of tanh a (0.69
// measured). The sign of x is put back with an OR, and the lanes where |x| < 2^-27 or x is NaN
// take x.
func genTanh64(c *build.Context) {
	tab := newConsts("tanh64c")
	for _, v := range variants[2:] {
		f := newFn(c, "Tanh", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = tanh(src[i]), within 1 ULP of the correctly rounded "+
				"tanh(x) (what this loop computes to within math.Tanh's error):",
			"\tfor i, x := range src {\n\t\tdst[i] = math.Tanh(x)\n\t}",
			"x itself where |x| < 2^-27 (±0 and the subnormals kept), exactly ±1 from |x| = "+
				"19.07 on and for ±Inf, NaN for NaN. It requires "+f.isa.Requires+
				tanh64Requires(f)+". "+f.mapContract(tanh64Unroll(f)),
		)
		e := f.newF64Exp(tab)
		k := tanh64Consts{
			sign: e.c("the sign bit", 1<<63),
			abs:  e.c("every bit but the sign", 1<<63-1),
			lo:   e.c("-20, the clamp of -|x|", f64bits(tanh64Lo)),
			tiny: e.c("2^-27: below, the result is x", f64bits(tanh64Tiny)),
		}
		tanh64(f, e, k)
	}
	tab.emit(c)
}

func tanh64Requires(f *fn) string {
	if f.avx512() {
		return ""
	}
	return " and FMA"
}

func tanh64Unroll(f *fn) int {
	if f.avx512() {
		return 4
	}
	return 2
}

// tanh64Consts are the addresses of the kernel's own constants.
type tanh64Consts struct{ sign, abs, lo, tiny Mem }

// tanh64Vec are the six registers of one vector.
type tanh64Vec struct{ A, B, C, D, E, F reg.VecPhysical }

// tanh64 emits the body of TanhF64AVX512 (four vectors per iteration: Z0-Z23, K2-K5) or
// TanhF64AVX2 (two: Y0-Y11).
func tanh64(f *fn, e *f64Exp, k tanh64Consts) {
	unroll := tanh64Unroll(f)
	one, tailX := f.V(15), f.V(12)
	vregs, consts := "Y0-Y11  two vectors in flight", []string{"Y12  x in the tail", "Y15  1.0"}
	if f.avx512() {
		one, tailX = Z(24), Z(25)
		vregs = "Z0-Z23  four vectors in flight"
		consts = []string{"Z24  1.0", "Z25  x in the tail", "K2-K5  the lanes where |x| < 2^-27 or x is NaN"}
	}
	f.regs(append(append([]string{
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		vregs + ", six registers each: -2a, then rh and r, then sl, then g, then dh, then x; " +
			"t, then rl (AVX-512) or 2^n (AVX2), then nh, then the residual and ql, then |x|; " +
			"n, then rl (AVX2), then dh - 1, then y0 and the result; rh (AVX2), then q(r), " +
			"then w, then sh, then Ml, then El, then 1/dh; p, then M, then E, then dl; the " +
			"error of p, then M - 1, then nh0, then nl",
	}, consts...), f.tailRegs())...)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	if f.avx512() {
		f.VBROADCASTSD(e.one(), one)
	} else {
		f.VMOVUPD(e.one(), one)
	}
	vr := f.V
	if f.avx512() {
		vr = Z
	}
	vec := func(j int) tanh64Vec {
		return tanh64Vec{vr(6 * j), vr(6*j + 1), vr(6*j + 2), vr(6*j + 3), vr(6*j + 4), vr(6*j + 5)}
	}
	f.mapStages(unroll, []stage{
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			if f.avx512() {
				f.VPORQ_BCST(k.sign, v.A, v.A) // -|x|
				f.VMAXPD_BCST(k.lo, v.A, v.A)
			} else {
				f.VORPD(k.sign, v.A, v.A)
				f.VMAXPD(k.lo, v.A, v.A)
			}
			f.VADDPD(v.A, v.A, v.A) // -2a, exact
			// The reduction of f64Exp.red, with the rounding error of r kept: rl.
			e.load(e.magic(), v.B)
			e.fma231(e.c("1/ln2", f64ExpLog2e), v.A, v.B) // t = -2a/ln2 + 1.5*2^52
			if f.avx512() {
				f.VSUBPD_BCST(e.magic(), v.B, v.C)
			} else {
				f.VSUBPD(e.magic(), v.B, v.C) // n, exact
			}
			nln2lo := e.c("-ln2lo", f64ExpNLn2Lo)
			e.fma231(e.c("-ln2hi", f64ExpNLn2Hi), v.C, v.A) // rh = -2a - n·ln2hi, exact
			if f.avx512() {
				f.VMOVAPD(v.A, v.B)
				e.fma231(nln2lo, v.C, v.A) // r = rh - n·ln2lo rounded
				f.VSUBPD(v.A, v.B, v.B)    // rh - r, exact
				e.fma231(nln2lo, v.C, v.B) // rl = (rh - r) - n·ln2lo
			} else {
				f.VMOVAPD(v.A, v.D)
				e.fma231(nln2lo, v.C, v.A)      // r = rh - n·ln2lo rounded
				f.VSUBPD(v.A, v.D, v.D)         // rh - r, exact
				f.VFMADD132PD(nln2lo, v.D, v.C) // rl = (rh - r) - n·ln2lo
			}
		},
		func(j, n int, x Op) {
			// s = e^(r+rl) - 1 = r + r·w + rl·(1 + s), w = r·q(r), as sh + sl: r + r·w exactly
			// (w rounded), then rl·(1 + sh) added to sl. rl is in B (AVX-512) or C (AVX2).
			v := vec(j)
			rl := v.C
			if f.avx512() {
				rl = v.B
			}
			e.polyQ(v.A, v.D)
			f.VMULPD(v.A, v.D, v.D)      // w = r·q
			f.VMULPD(v.A, v.D, v.E)      // p = r·w rounded
			f.VMOVAPD(v.E, v.F)          //
			f.VFMSUB231PD(v.A, v.D, v.F) // r·w - p, exact
			f.VADDPD(v.E, v.A, v.D)      // sh = r + p rounded
			f.VSUBPD(v.A, v.D, v.A)      // sh - r, exact (|r| >= |p|)
			f.VSUBPD(v.A, v.E, v.A)      // p - (sh - r): the rounding error of sh, exact
			f.VADDPD(v.F, v.A, v.A)      // r + r·w - sh
			f.VFMADD231PD(rl, v.D, rl)   // rl·(1 + sh)
			f.VADDPD(rl, v.A, v.A)       // sl
			f.VADDPD(one, v.D, v.E)      // M = 1 + sh rounded
			f.VSUBPD(one, v.E, v.F)      // M - 1, exact
			f.VSUBPD(v.F, v.D, v.D)      // sh - (M - 1), exact
			f.VADDPD(v.A, v.D, v.D)      // Ml = that + sl
		},
		func(j, n int, x Op) {
			v := vec(j)
			if f.avx512() {
				e.scalef(v.C, v.E, nil, v.E) // E = M·2^n, exact
				e.scalef(v.C, v.D, nil, v.D) // El
			} else {
				e.pow2(v.B)             // 2^n
				f.VMULPD(v.B, v.E, v.E) // E = M·2^n, exact
				f.VMULPD(v.B, v.D, v.D) // El
			}
			f.VSUBPD(v.E, one, v.F) // nh0 = 1 - E
			f.VSUBPD(one, v.F, v.A) // nh0 - 1, exact
			f.VADDPD(v.E, v.A, v.A) // + E: -(the rounding error of nh0), exact
			f.VADDPD(v.D, v.A, v.A) // g = that + El
			f.VSUBPD(v.A, v.F, v.B) // nh = nh0 - g
			f.VSUBPD(v.B, v.F, v.F) // nh0 - nh, exact
			f.VSUBPD(v.A, v.F, v.F) // nl = (nh0 - nh) - g
			f.VADDPD(one, v.E, v.A) // dh = 1 + E
			f.VSUBPD(one, v.A, v.C) // dh - 1, exact
			f.VSUBPD(v.C, v.E, v.E) // E - (dh - 1), exact
			f.VADDPD(v.D, v.E, v.E) // dl = that + El
		},
		func(j, n int, x Op) {
			// nh in B, nl in F, dh in A, dl in E.
			v := vec(j)
			if f.avx512() {
				f.VRCP14PD(v.A, v.D) // r0
				f.VMOVAPD(one, v.C)
				f.VFNMADD231PD(v.A, v.D, v.C) // 1 - dh·r0
				f.VFMADD231PD(v.C, v.D, v.D)  // r = r0 + r0·(1 - dh·r0)
			} else {
				f.VDIVPD(v.A, one, v.D) // r = 1/dh
			}
			f.VMULPD(v.D, v.B, v.C)       // y0 = nh·r
			f.VFNMADD231PD(v.C, v.A, v.B) // nh - y0·dh
			f.VADDPD(v.F, v.B, v.B)       // + nl
			f.VFNMADD231PD(v.C, v.E, v.B) // - y0·dl: the residual
			f.VMULPD(v.D, v.B, v.B)       // ql
			f.VADDPD(v.B, v.C, v.C)       // y0 + ql, one rounding: tanh|x|
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			if f.avx512() {
				f.VPTERNLOGQ_BCST(U8(ternAOrBAndC), k.sign, v.A, v.C) // the sign of x
				f.VPANDQ_BCST(k.abs, v.A, v.B)
				f.VCMPPD_BCST(U8(cmpNGEUQ), k.tiny, v.B, kreg[j]) // |x| < 2^-27 or NaN
				f.VMOVAPD(v.A, kreg[j], v.C)
				return
			}
			f.VANDPD(k.sign, v.A, v.B)
			f.VORPD(v.B, v.C, v.C) // the sign of x
			f.VANDPD(k.abs, v.A, v.B)
			f.VCMPPD(U8(cmpNGEUQ), k.tiny, v.B, v.B) // |x| < 2^-27 or NaN
			f.VBLENDVPD(v.B, v.A, v.C, v.C)
		},
	}, func(j int) reg.VecPhysical { return vec(j).C }, tailX)
}
