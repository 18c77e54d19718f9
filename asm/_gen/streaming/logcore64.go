package main

import (
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// This file is the float64 ln core of the float64 kernels Log and Softplus: fdlibm's method (the
// one of Go's math.Log), emitted one step at a time for one vector register so that a kernel
// interleaves the steps of several vectors.
//
// Method. For x = 2^k·(1 + f) with 1 + f in [√2/2, √2) (so |f| <= 0.2929, and f exact):
//
//	s = f/(2 + f)                      |s| <= 0.1716; ln(1+f) = ln(1+s) - ln(1-s)
//	R = z·(Lg1 + z·(Lg2 + ... + z·Lg7)), z = s²: ln(1+f) = f - hfsq + s·(hfsq + R), within
//	                                   2^-58.45 of the remainder (fdlibm's minimax coefficients)
//	hfsq = f²/2
//	ln x = k·ln2hi - ((hfsq - (s·(hfsq + R) + k·ln2lo + lo)) - f)
//
// with ln2hi of 32 significant bits (k·ln2hi is exact) and lo a low part of the argument, if the
// kernel has one (ln(x + xl) = ln x + xl/x): it joins the small terms. The error is below 1 ULP
// (fdlibm's bound; the fused multiply-adds here only remove roundings). A kernel forms k and f
// itself (log64.reduce for a positive number; Softplus knows them), then calls quot, poly and
// combine.

// The float64 bits of fdlibm's constants (those of Go's math.Log).
var log64Lg = [...]uint64{
	0x3fe5555555555593, // Lg1 6.666666666666735130e-01
	0x3fd999999997fa04, // Lg2 3.999999999940941908e-01
	0x3fd2492494229359, // Lg3 2.857142874366239149e-01
	0x3fcc71c51d8e78af, // Lg4 2.222219843214978396e-01
	0x3fc7466496cb03de, // Lg5 1.818357216161805012e-01
	0x3fc39a09d078c69f, // Lg6 1.531383769920937332e-01
	0x3fc2f112df3e5244, // Lg7 1.479819860511658591e-01
}

const (
	log64Ln2Hi = 0x3fe62e42fee00000 // ln2hi, 32 significant bits
	log64Ln2Lo = 0x3dea39ef35793c76 // ln2 - ln2hi
	log64Off   = 0x3fe6a09e667f3bcd // √2/2 rounded: the lower end of 1 + f
	log64Tiny  = 0x0010000000000000 // 2^-1022, the smallest normal float64
)

// log64 emits the steps of the core for one kernel function, with its constants in tab (memory
// operands: {1to8} broadcasts with AVX-512, YMM operands with AVX2).
type log64 struct {
	f   *fn
	tab *consts
}

func (f *fn) newLog64(tab *consts) *log64 { return &log64{f: f, tab: tab} }

// c is the address of the constant with the bits b.
func (l *log64) c(note string, b uint64) Mem { return l.tab.bcast64(note, b) }

func (l *log64) one() Mem { return l.c("1.0", f64bits(1)) }

// op is the AVX-512 {1to8} form of an instruction with a constant m, or its AVX2 form.
func (l *log64) op(plain, bcast func(...Op), m Mem, rest ...Op) {
	if l.f.avx512() {
		bcast(append([]Op{m}, rest...)...)
	} else {
		plain(append([]Op{m}, rest...)...)
	}
}

// log64Vec names the registers of one vector of the core, all distinct.
type log64Vec struct {
	K reg.VecPhysical // k, as a float64 (kept)
	F reg.VecPhysical // f (kept)
	S reg.VecPhysical // s
	Z reg.VecPhysical // z = s², then the low terms k·ln2lo + lo
	R reg.VecPhysical // R
	H reg.VecPhysical // hfsq, then the result
}

// reduce sets v.K = k and v.F = f for x in X (clobbered), a positive float64 (other lanes give
// garbage: the kernel fixes them up). Subnormal x are scaled by 2^54 first (k less 54): with
// AVX-512 the lanes where x < 2^-1022 are the mask sub (clobbered); with AVX2 v.S and v.Z are
// scratch.
func (l *log64) reduce(x reg.VecPhysical, v log64Vec, sub reg.OpmaskPhysical) {
	f := l.f
	tiny := l.c("2^-1022, the smallest normal", log64Tiny)
	p54 := l.c("2^54", f64bits(0x1p54))
	mant := l.c("the mantissa field of a float64", 1<<52-1)
	off := l.c("√2/2 as bits: the lower end of 1 + f", log64Off)
	if f.avx512() {
		f.VCMPPD_BCST(U8(cmpLTOQ), tiny, x, sub) // x < 2^-1022 (and x <= 0)
		f.VMULPD_BCST(p54, x, sub, x)            // scaled into the normal range
		f.VPSUBQ_BCST(off, x, v.F)               // t = bits(x) - bits(√2/2)
		f.VPSRAQ(U8(52), v.F, v.K)
		f.VCVTQQ2PD(v.K, v.K) // k
		f.VSUBPD_BCST(l.c("54", f64bits(54)), v.K, sub, v.K)
		f.VPANDQ_BCST(mant, v.F, v.F)
		f.VPADDQ_BCST(off, v.F, v.F)     // 1 + f in [√2/2, √2)
		f.VSUBPD_BCST(l.one(), v.F, v.F) // f, exact
		return
	}
	f.VCMPPD(U8(cmpLTOQ), tiny, x, v.S) // x < 2^-1022 (and x <= 0)
	f.VMULPD(p54, x, v.Z)
	f.VBLENDVPD(v.S, v.Z, x, x)                            // scaled into the normal range
	f.VANDPD(l.c("54", f64bits(54)), v.S, v.S)             // 54 where scaled, else 0
	offx := l.c("√2/2 as bits, less 2^63", log64Off^1<<63) //
	f.VPSUBQ(offx, x, v.F)                                 // t' = bits(x) - bits(√2/2) + 2^63
	f.VPSRLQ(U8(52), v.F, v.K)                             // k + 2048
	f.VPOR(l.c("the bits of 2^52", f64bits(0x1p52)), v.K, v.K)
	f.VSUBPD(l.c("2^52 + 2048", f64bits(0x1p52+2048)), v.K, v.K) // k
	f.VSUBPD(v.S, v.K, v.K)
	f.VPAND(mant, v.F, v.F)
	f.VPADDQ(off, v.F, v.F)
	f.VSUBPD(l.one(), v.F, v.F)
}

// quot sets v.S = s = f/(2 + f).
func (l *log64) quot(v log64Vec) {
	l.op(l.f.VADDPD, l.f.VADDPD_BCST, l.c("2.0", f64bits(2)), v.F, v.S)
	l.f.VDIVPD(v.S, v.F, v.S)
}

// poly sets v.Z = s² and v.R = R.
func (l *log64) poly(v log64Vec) {
	f := l.f
	f.VMULPD(v.S, v.S, v.Z)
	if f.avx512() {
		f.VBROADCASTSD(l.c("Lg7", log64Lg[6]), v.R)
	} else {
		f.VMOVUPD(l.c("Lg7", log64Lg[6]), v.R)
	}
	for i := 5; i >= 0; i-- {
		l.op(f.VFMADD213PD, f.VFMADD213PD_BCST, l.c("fdlibm's Lg coefficients", log64Lg[i]), v.Z, v.R)
	}
	f.VMULPD(v.Z, v.R, v.R)
}

// combine sets v.H = ln x = k·ln2hi - ((hfsq - (s·(hfsq + R) + k·ln2lo + lo)) - f); lo, if not
// nil, is a register holding the low term (clobbered).
func (l *log64) combine(v log64Vec, lo reg.VecPhysical) {
	f := l.f
	ln2lo := l.c("ln2lo = ln2 - ln2hi", log64Ln2Lo)
	f.VMULPD(v.F, v.F, v.H)
	l.op(f.VMULPD, f.VMULPD_BCST, l.c("0.5", f64bits(0.5)), v.H, v.H) // hfsq
	f.VADDPD(v.H, v.R, v.R)                                           // hfsq + R
	if lo == nil {
		l.op(f.VMULPD, f.VMULPD_BCST, ln2lo, v.K, v.Z) // k·ln2lo
		lo = v.Z
	} else {
		l.op(f.VFMADD231PD, f.VFMADD231PD_BCST, ln2lo, v.K, lo) // k·ln2lo + lo
	}
	f.VFMADD213PD(lo, v.S, v.R)                                                 // s·(hfsq + R) + k·ln2lo + lo
	f.VSUBPD(v.R, v.H, v.H)                                                     // hfsq - (...)
	f.VSUBPD(v.F, v.H, v.H)                                                     // (...) - f
	l.op(f.VFMSUB231PD, f.VFMSUB231PD_BCST, l.c("ln2hi", log64Ln2Hi), v.K, v.H) // k·ln2hi - (...)
}
