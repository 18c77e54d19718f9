package main

import (
	"fmt"
	"math"

	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// This file is the ln(x) core of the float32 LogSoftmax (its float64 pass): ln x in
// float64 lanes, within about 2^-31 relative (2^-45 absolute near x = 1), for x a positive normal
// float64 (every positive float32 converted, subnormals included). Other lanes (0, negative, Inf,
// NaN) give finite garbage or NaN: a kernel that takes them fixes them up afterwards.
//
// Method (Tang's table-driven logarithm). With OFF a float64 just below 1 and t = bits(x) - OFF
// as a 64-bit integer:
//
//	k = t >> 52 (arithmetic)        so that x = 2^k·z with z in [OFF, 2·OFF)
//	z = (t & (2^52-1)) + OFF        (as bits), x scaled into [OFF, 2·OFF)
//	i = the next bits of t          the table index: z's subinterval
//	r = z·invc[i] - 1               one FMA, rounded once
//	ln x = k·ln2 - ln(invc[i]) + log1p(r)
//
// and log1p(r) = r + r²·(c2 + c3 r + ... ), the Taylor polynomial. The table entries around
// z = 1 have invc = 1 exactly, so that near x = 1 the result is log1p(z - 1) with z - 1 exact and
// no cancellation: the subinterval around 1 takes r = z - 1.
// Elsewhere invc[i] is 1/c for c the middle of the subinterval, and k·ln2 - ln invc[i] is at
// least about 0.03 in magnitude, far from cancelling against log1p(r).
//
//	AVX-512: 16 subintervals (VPERMI2PD, the low half of each table in a register, the high half
//	         a memory operand), OFF = 1 - 1/64: i = 0 is z in [1 - 1/64, 1 + 1/32), i = 1..15
//	         [1 + (2i-1)/32, 1 + (2i+1)/32); |r| <= 1/32; the polynomial to degree 6 (remainder
//	         below 2^-32 relative).
//	AVX2:    4 subintervals (VPERMPS on pairs of dwords, one YMM table each), OFF = 0.9375: i = 0
//	         is z in [0.9375, 1.125), i = 1..3 [0.875+i/4, 1.125+i/4); |r| <= 1/8; degree 9
//	         (remainder below 2^-30 relative). AVX2 has no 64-bit arithmetic shift: it takes
//	         t' = bits(x) - OFF + 2^63, whose top 12 bits are k + 2048, and converts them with
//	         the 2^52 trick.
//
// k·ln2 rounds once in float64 (below 2^-45 relative for |k| <= 1100), so the core is
// accurate to about 2^-31 relative everywhere: a float32 result rounded from it is within 1 ULP
// of the correctly rounded one, and nearly always equal to it.
type logCore struct {
	f   *fn
	tab *consts
}

// logVec names the registers of one float64 vector of the core, all distinct.
type logVec struct {
	X reg.VecPhysical // in: x; out: ln x
	T reg.VecPhysical // scratch: t, then z
	K reg.VecPhysical // scratch: k, then r²
	C reg.VecPhysical // scratch: the index, then invc, then r
	L reg.VecPhysical // scratch: -ln(invc), then k·ln2 - ln(invc)
}

// The AVX-512 registers of the low halves of the tables: the kernel must not write them after
// load.
var (
	logRegInvc = reg.Z30
	logRegLogc = reg.Z31
)

// logParams are the constants of one ISA's variant of the core.
type logParams struct {
	off    float64 // OFF
	bits   int     // the table has 2^bits entries: i is bits 51..52-bits of t
	degree int     // of the polynomial
}

func (l *logCore) params() logParams {
	if l.f.avx512() {
		return logParams{off: 0.984375, bits: 4, degree: 6}
	}
	return logParams{off: 0.9375, bits: 2, degree: 9}
}

// tables returns invc and -ln(invc) of each subinterval (see the method). Subinterval i holds the
// z whose bits, less those of OFF, have i in bits 51..52-bits: z in [lo, hi).
func (p logParams) tables() (invc, logc []float64) {
	n := 1 << p.bits
	ob := f64bits(p.off)
	for i := 0; i < n; i++ {
		lo := math.Float64frombits(ob + uint64(i)<<(52-p.bits))
		hi := math.Float64frombits(ob + uint64(i+1)<<(52-p.bits))
		c := 1 / ((lo + hi) / 2)
		if lo <= 1 && 1 <= hi || hi <= 1 {
			c = 1 // around z = 1: r = z - 1 exactly
		}
		invc = append(invc, c)
		logc = append(logc, -math.Log(c))
	}
	return invc, logc
}

// log1pCoef is the coefficient of r^k in log1p(r): (-1)^(k+1)/k.
func log1pCoef(k int) float64 {
	if k%2 == 0 {
		return -1 / float64(k)
	}
	return 1 / float64(k)
}

func (f *fn) newLogCore(tab *consts) *logCore { return &logCore{f: f, tab: tab} }

// regs is the register map line of the core's constants.
func (l *logCore) regs() string {
	if l.f.avx512() {
		return "Z30, Z31  ln constants: the low halves of the invc and -ln(invc) tables"
	}
	return "ln constants: memory operands"
}

func (l *logCore) invcTable() Mem {
	invc, _ := l.params().tables()
	return table64(l.tab, "ln: invc, 1/c for c the middle of each subinterval (1 around z = 1)", invc)
}

func (l *logCore) logcTable() Mem {
	_, logc := l.params().tables()
	return table64(l.tab, "ln: -ln(invc)", logc)
}

// load loads the AVX-512 core's registers, Z30 and Z31 (AVX2: nothing).
func (l *logCore) load() {
	if !l.f.avx512() {
		return
	}
	l.f.VMOVUPD(l.invcTable(), logRegInvc)
	l.f.VMOVUPD(l.logcTable(), logRegLogc)
}

// log sets v.X = ln(v.X), clobbering v.T, v.K, v.C and v.L.
func (l *logCore) log(v logVec) {
	f, t, p := l.f, l.tab, l.params()
	coef := func(k int) Mem { return c64(t, "log1p's Taylor coefficients (-1)^(k+1)/k", log1pCoef(k)) }
	one := c64(t, "1.0", 1)
	ln2 := c64(t, "ln2", math.Ln2)
	mant := t.bcast64("the mantissa field of a float64", 1<<52-1)
	off := t.bcast64(fmt.Sprintf("OFF = %v as bits (ln)", p.off), f64bits(p.off))
	if f.avx512() {
		hi := func(m Mem) Mem { m.Disp += 64; return m }
		f.VPSUBQ_BCST(off, v.X, v.T) // t
		f.VPSRLQ(U8(48), v.T, v.C)   // the index in the low 4 bits
		f.VPSRLQ(U8(48), v.T, v.L)
		f.VPERMI2PD(hi(l.invcTable()), logRegInvc, v.C)
		f.VPERMI2PD(hi(l.logcTable()), logRegLogc, v.L)
		f.VPSRAQ(U8(52), v.T, v.K)
		f.VCVTQQ2PD(v.K, v.K) // k
		f.VPANDQ_BCST(mant, v.T, v.T)
		f.VPADDQ_BCST(off, v.T, v.T)      // z
		f.VFMSUB213PD_BCST(one, v.T, v.C) // r = z·invc - 1
		f.VFMADD231PD_BCST(ln2, v.K, v.L) // k·ln2 - ln(invc)
		f.VBROADCASTSD(coef(p.degree), v.X)
		for k := p.degree - 1; k >= 2; k-- {
			f.VFMADD213PD_BCST(coef(k), v.C, v.X)
		}
		f.VMULPD(v.C, v.C, v.K)
		f.VFMADD213PD(v.C, v.K, v.X) // log1p(r)
		f.VADDPD(v.L, v.X, v.X)
		return
	}
	offx := t.bcast64(fmt.Sprintf("OFF - 2^63 = %v as bits, less 2^63 (ln)", p.off), f64bits(p.off)^1<<63)
	f.VPSUBQ(offx, v.X, v.T) // t' = t + 2^63
	f.VPSRLQ(U8(52), v.T, v.K)
	f.VPOR(t.bcast64("the bits of 2^52", f64bits(0x1p52)), v.K, v.K)
	f.VSUBPD(c64(t, "2^52 + 2048", 0x1p52+2048), v.K, v.K) // k
	// The VPERMPS index of the dword pair of entry i: (2i, 2i+1).
	f.VPSRLQ(U8(50), v.T, v.C)    // i in bits 1..0 (higher bits are ignored)
	f.VPSHUFD(U8(0xa0), v.C, v.C) // both dwords of each qword: its low dword
	f.VPSLLD(U8(1), v.C, v.C)
	f.VPOR(t.bcast64("1 in the high dword of each qword", 1<<32), v.C, v.C)
	f.VPERMPS(l.logcTable(), v.C, v.L)
	f.VPERMPS(l.invcTable(), v.C, v.C)
	f.VPAND(mant, v.T, v.T)
	f.VPADDQ(off, v.T, v.T)      // z
	f.VFMSUB213PD(one, v.T, v.C) // r
	f.VFMADD231PD(ln2, v.K, v.L) // k·ln2 - ln(invc)
	f.VMOVUPD(coef(p.degree), v.X)
	for k := p.degree - 1; k >= 2; k-- {
		f.VFMADD213PD(coef(k), v.C, v.X)
	}
	f.VMULPD(v.C, v.C, v.K)
	f.VFMADD213PD(v.C, v.K, v.X)
	f.VADDPD(v.L, v.X, v.X)
}
