package main

import (
	"math"

	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// This file is the float64 e^x core of the float64 activations (SiLU, ELU, GELUTanh): the
// method of the AVX2 core of exp_f64_amd64.h (no table, one polynomial), emitted one step at a
// time for one vector register, so that a kernel interleaves the steps of several vectors and
// takes what it needs in between: e^r - 1 itself (ELU's expm1 form), or e^a unscaled, to be
// multiplied by other factors before its scaling by 2^n (x·e^x in SiLU: a subnormal result is
// then rounded once).
//
// Method, for a = ah + al with ah clamped by the kernel to [-1100, 1100] and al a low part
// (|al| below 2^-40 |ah|, or none):
//
//	t = ah/ln2 + 1.5*2^52            rounds ah/ln2 to the integer n, held in the low mantissa
//	                                 bits of t (bits(t) = bits(1.5*2^52) + n)
//	n = t - 1.5*2^52                 exactly
//	r = ah - n*ln2hi - n*ln2lo + al  Cody-Waite with FMA: ln2hi has 32 significant bits, so
//	                                 n*ln2hi is exact and ah - n*ln2hi too; |r| <= ln2/2 + 2^-40
//	s = r + r*(r*q(r))               q of degree 10 for (e^r - 1 - r)/r^2: s = e^r - 1 within
//	                                 about 0.51 ULP of s (the polynomial within 0.01 ULP)
//	e^a = (1 + s)*2^n
//
// 1 + s is within about 0.52 ULP of e^r, and the exact 2^n scaling keeps that where the result
// is normal. ln2 - ln2hi - ln2lo is below 2^-85, so n*ln2 costs at most 2^-74 absolute in r for
// |n| <= 1600. The scaling: AVX-512 uses VSCALEFPD (f64Exp.scalef), which rounds once and gives
// +Inf, subnormals and 0 itself; AVX2 builds 2^n from the bits of t, either whole for n >= -1022
// (f64Exp.pow2) or as two normal factors 2^floor(n/2)·2^(n-floor(n/2)) for |n| <= 2044
// (f64Exp.halves): the first product is exact and the second rounds once.
//
// NaN propagates through every step (the factors of halves are garbage for a NaN a, but they
// multiply a NaN). A kernel clamps a first: n must stay within the range of the scaling, and the
// clamp [-1100, 1100] changes no result (e^a overflows above 709.79 and is 0 below -745.14).

// The float64 bits of the core's constants (those of exp_f64_amd64.h).
const (
	f64ExpMagic  = 0x4338000000000000 // 1.5*2^52
	f64ExpLog2e  = 0x3ff71547652b82fe // 1/ln2
	f64ExpNLn2Hi = 0xbfe62e42fee00000 // -ln2hi, 32 significant bits
	f64ExpNLn2Lo = 0xbdea39ef35793c76 // -(ln2 - ln2hi)
	f64ExpOne    = 0x3ff0000000000000 // 1.0, also 1023<<52
	f64ExpBias   = 0x00000000000003ff // int64 1023
	f64ExpLo     = -1100.0            // the lower clamp of the kernels whose e^a may underflow
)

// f64ExpQ are the coefficients of q, constant term first: (e^r - 1 - r)/r^2 on [-ln2/2, ln2/2].
var f64ExpQ = [...]uint64{
	0x3fe0000000000000, // 0.5
	0x3fc5555555555557, // 0.1666666666666667
	0x3fa5555555555556, // 0.04166666666666667
	0x3f811111111100dc, // 0.008333333333326136
	0x3f56c16c16c162d4, // 0.0013888888888883748
	0x3f2a01a01abe7fe1, // 0.00019841269874820627
	0x3efa01a01a6d889c, // 2.4801587325547743e-05
	0x3ec71de0231960eb, // 2.7557255400206422e-06
	0x3e927e4db646b17e, // 2.75572736431103e-07
	0x3e5af4de97ca4194, // 2.5105217004720745e-08
	0x3e21f730349868ce, // 2.0914686968086876e-09
}

// f64Exp emits the steps of the core for one kernel function, with its constants in tab (every
// constant is a memory operand: a {1to8} broadcast with AVX-512, a YMM operand with AVX2). A
// kernel clamps a, then calls red, poly and one of the scalings per vector; it may emit a step
// for several vectors before the next step. The steps write only the registers they are given.
type f64Exp struct {
	f   *fn
	tab *consts
}

func (f *fn) newF64Exp(tab *consts) *f64Exp { return &f64Exp{f: f, tab: tab} }

// c is the address of the constant with the bits b.
func (e *f64Exp) c(note string, b uint64) Mem { return e.tab.bcast64(note, b) }

// one and magic are the addresses of 1.0 and 1.5*2^52.
func (e *f64Exp) one() Mem   { return e.c("1.0 (also 1023<<52)", f64ExpOne) }
func (e *f64Exp) magic() Mem { return e.c("1.5*2^52", f64ExpMagic) }

// lo is the address of -1100, the clamp of a where e^a may underflow.
func (e *f64Exp) lo() Mem { return e.c("-1100, the clamp of the exponent", f64bits(f64ExpLo)) }

// fma213 is dst = src·dst + m, fma231 dst = a·b + dst, mul dst = src·m, for a memory constant m.
func (e *f64Exp) fma213(m Mem, src, dst reg.VecPhysical) {
	if e.f.avx512() {
		e.f.VFMADD213PD_BCST(m, src, dst)
	} else {
		e.f.VFMADD213PD(m, src, dst)
	}
}

func (e *f64Exp) fma231(m Mem, src, dst reg.VecPhysical) {
	if e.f.avx512() {
		e.f.VFMADD231PD_BCST(m, src, dst)
	} else {
		e.f.VFMADD231PD(m, src, dst)
	}
}

// load sets every lane of r to the constant at m.
func (e *f64Exp) load(m Mem, r reg.VecPhysical) {
	if e.f.avx512() {
		e.f.VBROADCASTSD(m, r)
	} else {
		e.f.VMOVUPD(m, r)
	}
}

// red is the reduction: A holds ah (clamped) and becomes r; T = t, N = n as a float64. lo, if
// not nil, is al, added to r last.
func (e *f64Exp) red(a, t, n reg.VecPhysical, lo Op) {
	f := e.f
	e.load(e.magic(), t)
	e.fma231(e.c("1/ln2", f64ExpLog2e), a, t) // t = a/ln2 + 1.5*2^52
	if f.avx512() {
		f.VSUBPD_BCST(e.magic(), t, n)
	} else {
		f.VSUBPD(e.magic(), t, n) // n, exact
	}
	e.fma231(e.c("-ln2hi", f64ExpNLn2Hi), n, a) // a - n·ln2hi, exact
	e.fma231(e.c("-ln2lo", f64ExpNLn2Lo), n, a) // r
	if lo != nil {
		f.VADDPD(lo, a, a)
	}
}

// poly sets P = s = e^r - 1 = r + r·(r·q(r)) for r in R (kept).
func (e *f64Exp) poly(r, p reg.VecPhysical) {
	f := e.f
	e.polyQ(r, p)
	f.VMULPD(r, p, p)      // r·q
	f.VFMADD213PD(r, r, p) // r + r·(r·q)
}

// polyQ sets P = q(r) for r in R (kept), by Horner's rule.
func (e *f64Exp) polyQ(r, p reg.VecPhysical) {
	e.load(e.c("q10", f64ExpQ[10]), p)
	for i := 9; i >= 0; i-- {
		e.fma213(e.c("q coefficient", f64ExpQ[i]), r, p)
	}
}

// scalef is the AVX-512 scaling: dst = src·2^n, N holding n (a float64 integer), rounded once;
// k, if not nil, limits it to the lanes of the mask (the others of dst are kept).
func (e *f64Exp) scalef(n, src reg.VecPhysical, k reg.OpmaskPhysical, dst reg.VecPhysical) {
	if k == nil {
		e.f.VSCALEFPD(n, src, dst)
	} else {
		e.f.VSCALEFPD(n, src, k, dst)
	}
}

// pow2 is the AVX2 step that turns T (from red) into 2^n, for n >= -1022: bits (n+1023)<<52.
func (e *f64Exp) pow2(t reg.VecPhysical) {
	f := e.f
	f.VPADDQ(e.c("int64 1023", f64ExpBias), t, t)
	f.VPSLLQ(U8(52), t, t)
}

// halves is the AVX2 step that turns T (from red) into 2^(n-floor(n/2)) and sets H =
// 2^floor(n/2), both normal for |n| <= 2044: bits(t) >> 1 holds floor(n/2) in its low 12 bits.
func (e *f64Exp) halves(t, h reg.VecPhysical) {
	f := e.f
	f.VPSRLQ(U8(1), t, h)
	f.VPSLLQ(U8(52), h, h) // floor(n/2)<<52
	e.pow2(t)              // (n+1023)<<52
	f.VPSUBQ(h, t, t)      // (n - floor(n/2) + 1023)<<52
	f.VPADDQ(e.one(), h, h)
}

// The scaling of the float64 backward kernels (ELUGrad, SiLUGrad, SoftplusGrad, GELUTanhGrad):
// dy·(ph + pl)·2^n for n in [-2200, 0] and ph + pl the product of the other factors, a
// double-double (ph normal, in about [2^-500, 2^500]): 2^n = 2^n1·2^n2 with n1 =
// max(n, f64GradSplit) and n2 = n - n1. ph·2^n1 is exact and normal (pl·2^n1 too, but where it
// is far below the result's ULP), so that dy times it neither overflows where dy·(ph + pl)·2^n
// does not (ph·2^n1 is the factor itself where n >= f64GradSplit, and far below 1 elsewhere)
// nor loses bits to an early underflow; dy·ph + dy·pl rounds once (FMA; dy clamped to the finite
// range in dy·pl, so that an infinite dy gives dy·ph), and the scaling by
// 2^n2 <= 1 once more where the result is subnormal (AVX2 scales by 2^n2 in two halves: where
// both products are subnormal, the first rounding is scaled down by the second factor, so that
// the two together are within 1 ULP).
const f64GradSplit = -512

// split is the AVX-512 step that sets N1 = max(N, f64GradSplit) and N = N - N1, for N holding n
// as a float64 integer.
func (e *f64Exp) split(n, n1 reg.VecPhysical) {
	e.f.VMAXPD_BCST(e.c("-512, the first scaling's least exponent", f64bits(f64GradSplit)), n, n1)
	e.f.VSUBPD(n1, n, n)
}

// mulScaled sets PL = dy·(PH + PL)·2^n (see f64GradSplit), from N: with AVX-512 n as a float64
// integer (f64Exp.red), with AVX2 the bits of t (f64Exp.red), whose low doublewords hold n. PH,
// N and tmp are overwritten, and with AVX-512 K7.
func (e *f64Exp) mulScaled(dy Op, n, ph, pl, tmp reg.VecPhysical) {
	f := e.f
	if f.avx512() {
		e.split(n, tmp)
		f.VSCALEFPD(tmp, ph, ph) // ph·2^n1, exact
		f.VSCALEFPD(tmp, pl, pl)
	} else {
		e.maxExp(n, f64GradSplit, tmp) // n1
		f.VPSUBD(tmp, n, n)            // n2 = n - n1
		e.pow2(tmp)
		f.VMULPD(tmp, ph, ph) // ph·2^n1, exact
		f.VMULPD(tmp, pl, pl)
	}
	// dy·pl with dy clamped to the finite range: an infinite dy gives dy·ph, not NaN (from
	// Inf·0 or Inf - Inf).
	maxC := e.c("the largest float64", f64bits(math.MaxFloat64))
	minC := e.c("-the largest float64", f64bits(-math.MaxFloat64))
	f.VMOVUPD(dy, tmp)
	if f.avx512() {
		f.VMINPD_BCST(maxC, tmp, tmp)
		f.VMAXPD_BCST(minC, tmp, tmp)
	} else {
		f.VMINPD(maxC, tmp, tmp)
		f.VMAXPD(minC, tmp, tmp)
	}
	f.VMULPD(tmp, pl, pl)
	f.VFMADD231PD(dy, ph, pl) // dy·ph + dy·pl, one rounding
	// Where dy is ±0, dy·ph: the sum above is +0 where dy·ph and dy·pl are zeros of opposite
	// signs (pl < 0), and dy·f' has the sign of dy·ph.
	zero := e.c("0.0", 0)
	if f.avx512() {
		f.VCMPPD_BCST(U8(cmpEQOQ), zero, tmp, reg.K7) // dy = ±0
		f.VMULPD(tmp, ph, reg.K7, pl)
		f.VSCALEFPD(n, pl, pl) // ·2^n2, rounded once
		return
	}
	f.VMULPD(tmp, ph, ph)
	f.VCMPPD(U8(cmpEQOQ), zero, tmp, tmp) // dy = ±0
	f.VBLENDVPD(tmp, ph, pl, pl)
	f.VPSRAD(U8(1), n, tmp) // floor(n2/2)
	f.VPSUBD(tmp, n, n)     // n2 - floor(n2/2)
	e.pow2(tmp)
	e.pow2(n)
	f.VMULPD(tmp, pl, pl)
	f.VMULPD(n, pl, pl)
}

// maxExp is the AVX2 step that sets P's low doublewords to max(n, lo) from those of T, which
// hold n (the bits of t from f64Exp.red, or exponents derived from them), and leaves T alone.
// The maximum is taken on every doubleword: the high ones become garbage that pow2 shifts out.
func (e *f64Exp) maxExp(t reg.VecPhysical, lo int32, p reg.VecPhysical) {
	e.f.VPMAXSD(e.tab.bcast32("a least exponent, int32", uint32(lo)), t, p)
}
