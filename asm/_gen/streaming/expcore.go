package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// This file is the float32 e^x core of the exp-based kernels (SiLU, ELU, GELUTanh, Softplus,
// GELU, ...): the method, constants and steps of the hand-written core in exp_f32_amd64.h,
// emitted for one vector register at a time, plus consts, the file-local constant table it and
// its kernels load from.
//
// Method. With N = 16 (AVX-512) or N = 8 (AVX2) and x clamped by the kernel (see exp32.clamp):
//
//	t = x/ln2 + 1.5*2^(23-log2 N)  rounds x/ln2 to a multiple of 1/N, k/N; k sits in the low
//	                               mantissa bits of t
//	m = t - 1.5*2^(23-log2 N)      k/N exactly
//	r = x - m*ln2hi - m*ln2lo      Cody-Waite with FMA, |r| <= ln2/(2N) (+ rounding)
//	p = 1 + c2 r + c3 r^2 [+ r^3/24]  r*p is e^r - 1 within 2^-29 relative (near-minimax D2,
//	                               D3 with N = 16; Taylor to degree 4 with N = 8)
//	j = k mod N                    the low bits of t: the VPERMPS index
//	e^x = (T[j] + T[j]*(r*p + R[j])) * 2^floor(m)
//
// where T[j]*(1 + R[j]) is 2^(j/N) to about twice float32 precision. Before the scaling the
// result is within about 0.51 ULP of e^x; the scaling by 2^n is exact unless the result is
// subnormal, where it rounds once more, on a grid so much coarser that the total stays below one
// subnormal ULP. Kernels that need e^x times something else (x·e^x in SiLU, GELUTanh) take the
// unscaled value 2^(j/N)·e^r and n from the stages below and multiply before they scale, so that
// a subnormal result is rounded once.

// consts is a file-local table of constants, emitted once per generated file (the symbol
// <name><>): each entry is one 32-byte vector, one value in every lane (bcast32, bcast64) or a
// list of values (vec32). Entries are created on first use and shared by value, so the table
// holds only what the file's functions load.
type consts struct {
	name  string
	words []uint32       // the table, in 4-byte words
	at    map[string]int // an entry's key -> its byte offset
	notes map[int]string // byte offset -> a description, for the comment above the data
	sym   Symbol
}

// newConsts starts the table name<>.
func newConsts(name string) *consts {
	return &consts{
		name:  name,
		at:    map[string]int{},
		notes: map[int]string{},
		sym:   Symbol{Name: name, Static: true},
	}
}

// entry returns the address of the entry holding words (padded with copies of itself to a
// multiple of 8 words), adding it if it is new.
func (t *consts) entry(note string, words ...uint32) Mem {
	key := fmt.Sprint(words)
	off, ok := t.at[key]
	if !ok {
		off = 4 * len(t.words)
		t.at[key] = off
		t.notes[off] = note
		for len(words)%8 != 0 {
			words = append(words, words...)
		}
		t.words = append(t.words, words...)
	}
	return NewDataAddr(t.sym, off)
}

// bcast32 is the address of 8 copies of the 32-bit value bits: a YMM memory operand, or the
// source of VBROADCASTSS/VPBROADCASTD and of an AVX-512 {1to16} broadcast.
func (t *consts) bcast32(note string, bits uint32) Mem { return t.entry(note, bits) }

// f32 is bcast32 of the float32 v.
func (t *consts) f32(note string, v float32) Mem { return t.bcast32(note, math.Float32bits(v)) }

// bcast64 is the address of 4 copies of the 64-bit value bits.
func (t *consts) bcast64(note string, bits uint64) Mem {
	return t.entry(note, uint32(bits), uint32(bits>>32))
}

// vec32 is the address of the 32-bit values, in order (a VPERMPS table, say).
func (t *consts) vec32(note string, bits ...uint32) Mem { return t.entry(note, bits...) }

// emit writes the table into the file of c: RODATA, NOPTR. Call it once, after the last function
// that uses the table (a table nothing used emits nothing).
func (t *consts) emit(c *build.Context) {
	if len(t.words) == 0 {
		return
	}
	c.StaticGlobal(t.name)
	c.DataAttributes(attr.RODATA | attr.NOPTR)
	for i, w := range t.words {
		c.AddDatum(4*i, U32(w))
	}
}

// describe returns the table's entries as comment lines, "offset: note".
func (t *consts) describe() []string {
	var lines []string
	for off := 0; off < 4*len(t.words); off += 32 {
		if n, ok := t.notes[off]; ok {
			lines = append(lines, fmt.Sprintf("%s<>+%d: %s", t.name, off, n))
		}
	}
	return lines
}

// zmmAll are Z0-Z31: the AVX-512 kernels use all 32 vector registers.
var zmmAll = [...]reg.VecPhysical{reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7,
	reg.Z8, reg.Z9, reg.Z10, reg.Z11, reg.Z12, reg.Z13, reg.Z14, reg.Z15,
	reg.Z16, reg.Z17, reg.Z18, reg.Z19, reg.Z20, reg.Z21, reg.Z22, reg.Z23,
	reg.Z24, reg.Z25, reg.Z26, reg.Z27, reg.Z28, reg.Z29, reg.Z30, reg.Z31}

// Z is ZMM register i, 0 <= i < 32.
func Z(i int) reg.VecPhysical { return zmmAll[i] }

// The float32 bits of the core's constants (exp_f32_amd64.h).
const (
	exp32Magic16 = 0x49400000 // 1.5*2^19: adding it to |y| < 2^18 rounds y to a multiple of 1/16
	exp32Magic8  = 0x49c00000 // 1.5*2^20: the same for multiples of 1/8
	exp32Log2e   = 0x3fb8aa3b // 1/ln2
	exp32NLn2Hi  = 0xbf318000 // -ln2hi = -0.693359375 (9 significant bits: m*ln2hi is exact)
	exp32NLn2Lo  = 0x395e8083 // -ln2lo = -(ln2 - ln2hi)
	exp32D2      = 0x3f000115 // AVX-512 coefficient of r^2: 0.50001651
	exp32D3      = 0x3e2aab24 // AVX-512 coefficient of r^3: 0.16666847
	exp32C2      = 0x3f000000 // AVX2: 1/2
	exp32C3      = 0x3e2aaaab // AVX2: 1/6
	exp32C4      = 0x3d2aaaab // AVX2: 1/24
	exp32One     = 0x3f800000 // 1.0
	exp32NBound  = 0xc2d00000 // -104: e^x rounds to 0 below -103.98
	exp32Bound   = 0x42d00000 // 104: e^x is +Inf above 88.73
	exp32Hi89    = 0x42b20000 // 89: the AVX2 upper clamp of scaleSlow
	exp32FastMax = 0x42ae0000 // the bits of 87.0: |x| > 87, ±Inf and NaN compare above them
	exp32Abs     = 0x7fffffff // every bit but the sign
	exp32ExpMask = 0xff800000 // sign and exponent field
	exp32Bias    = 0x0000007f // int32 127
)

// exp32THI16 are the nearest float32 of 2^(j/16), j = 0..15, and exp32RHO16 their relative
// rounding errors: 2^(j/16) = THI16[j]*(1+RHO16[j]). The 8-entry tables are every other entry.
var (
	exp32THI16 = []uint32{0x3f800000, 0x3f85aac3, 0x3f8b95c2, 0x3f91c3d3, 0x3f9837f0, 0x3f9ef532,
		0x3fa5fed7, 0x3fad583f, 0x3fb504f3, 0x3fbd08a4, 0x3fc5672a, 0x3fce248c, 0x3fd744fd,
		0x3fe0ccdf, 0x3feac0c7, 0x3ff5257d}
	exp32RHO16 = []uint32{0x00000000, 0x3346cb6a, 0xb24e0611, 0x334b2482, 0x33092801, 0x331b85f2,
		0xb3051aa8, 0xb2006c56, 0x329302ae, 0xb302e5a2, 0x31b3d0e5, 0x31d1daf2, 0xb27ce182,
		0xb1b4b0da, 0xb1d290be, 0x31b0a147}
)

// every2 returns s[0], s[2], s[4], ...
func every2(s []uint32) []uint32 {
	var r []uint32
	for i := 0; i < len(s); i += 2 {
		r = append(r, s[i])
	}
	return r
}

// exp32 emits the float32 e^x core into one function f.
//
// Use: e := f.newExp32(tab) once per function, after its argument loads; e.load() before the
// loop (AVX-512: it loads the constants into Z23-Z31; AVX2: nothing, every constant is a memory
// operand of tab); then, per vector, e.clamp (or a clamp of the kernel's own that keeps the
// argument in range), and the stages e.red, e.poly, e.scale — each stage may be emitted for
// several vectors before the next stage, which is how the kernels interleave the long chains of
// 2..4 vectors. e.exp(vs...) emits clamp-free red, poly, scale for each of vs, stage by stage.
//
// Registers:
//
//	AVX-512  Z23 1/ln2, Z24 1.5*2^19, Z25 -ln2hi, Z26 -ln2lo, Z27 D3, Z28 D2, Z29 1.0,
//	         Z30 the RHO16 table, Z31 the THI16 table: loaded by load, read-only after it,
//	         so the kernel may use Z29 as 1.0 too. The kernel has Z0-Z22 and K1-K7.
//	AVX2     none: every constant is a 32-byte memory operand of tab. The kernel has Y0-Y15.
//
// Per vector the stages take an expVec: X (the argument; r, then the result), and the scratch
// registers T, K, P and (AVX-512) R, all distinct. Nothing else is written (no flags, no
// general-purpose registers, no mask registers).
type exp32 struct {
	f   *fn
	tab *consts
}

// expVec names the registers of one vector of the core.
type expVec struct {
	X reg.VecPhysical // in: the argument x; out: see the stages
	T reg.VecPhysical // t = x/ln2 + magic: k in its low mantissa bits (the table index, and n on AVX2)
	K reg.VecPhysical // k/N (AVX-512: its floor is n, the VSCALEFPS exponent); AVX2: scratch
	P reg.VecPhysical // the polynomial, then T[j] (AVX-512); AVX2: scratch
	R reg.VecPhysical // AVX-512: R[j]; AVX2: unused
}

// newExp32 returns the core for f, with its constants in tab (the file's table).
func (f *fn) newExp32(tab *consts) *exp32 {
	if f.f64() {
		panic(f.Name + ": exp32 is the float32 core")
	}
	return &exp32{f: f, tab: tab}
}

// Registers of the AVX-512 constants.
var (
	exp32RegLog2e  = reg.Z23
	exp32RegMagic  = reg.Z24
	exp32RegNLn2Hi = reg.Z25
	exp32RegNLn2Lo = reg.Z26
	exp32RegD3     = reg.Z27
	exp32RegD2     = reg.Z28
	exp32RegOne    = reg.Z29 // 1.0 in every lane: kernels may read it too
	exp32RegRho    = reg.Z30
	exp32RegThi    = reg.Z31
)

// regs is the register map line of the core's constants, for the kernel's comment.
func (e *exp32) regs() string {
	if e.f.avx512() {
		return "Z23-Z31  e^x constants: 1/ln2, 1.5*2^19, -ln2hi, -ln2lo, D3, D2, 1.0, RHO16, THI16"
	}
	return "e^x constants: memory operands"
}

// load loads the constants of the AVX-512 core into Z23-Z31 (AVX2: nothing).
func (e *exp32) load() {
	f, t := e.f, e.tab
	if !f.avx512() {
		return
	}
	f.VBROADCASTSS(t.bcast32("1/ln2", exp32Log2e), exp32RegLog2e)
	f.VBROADCASTSS(t.bcast32("1.5*2^19", exp32Magic16), exp32RegMagic)
	f.VBROADCASTSS(t.bcast32("-ln2hi", exp32NLn2Hi), exp32RegNLn2Hi)
	f.VBROADCASTSS(t.bcast32("-ln2lo", exp32NLn2Lo), exp32RegNLn2Lo)
	f.VBROADCASTSS(t.bcast32("D3, e^x's r^3 coefficient (AVX-512)", exp32D3), exp32RegD3)
	f.VBROADCASTSS(t.bcast32("D2, e^x's r^2 coefficient (AVX-512)", exp32D2), exp32RegD2)
	f.VBROADCASTSS(t.bcast32("1.0", exp32One), exp32RegOne)
	f.VMOVUPS(t.vec32("RHO16: 2^(j/16) = THI16[j]*(1+RHO16[j])", exp32RHO16...), exp32RegRho)
	f.VMOVUPS(t.vec32("THI16: 2^(j/16) rounded to float32", exp32THI16...), exp32RegThi)
}

// nbound and bound are the addresses of -104 and 104: below -104 e^x rounds to 0, above 88.73
// it is +Inf. one is the address of 1.0.
func (e *exp32) nbound() Mem { return e.tab.bcast32("-104", exp32NBound) }
func (e *exp32) bound() Mem  { return e.tab.bcast32("104", exp32Bound) }
func (e *exp32) one() Mem    { return e.tab.bcast32("1.0", exp32One) }

// clamp clamps X to [lo, hi] (vector registers holding the bounds in every lane) keeping a NaN:
// X is the operand VMAXPS/VMINPS return when one is NaN. Any bounds within [-2^17, 2^17] keep
// the core's intermediates finite; -104 and 104 change no result of e^x itself. hi may be nil
// for a lower clamp only (an argument that is never above 0, say).
func (e *exp32) clamp(x, lo, hi reg.VecPhysical) {
	e.f.VMAXPS(x, lo, x)
	if hi != nil {
		e.f.VMINPS(x, hi, x)
	}
}

// clampSlow is the AVX2 clamp that scaleSlow needs: X to [-104, 89], NaN kept; tmp is scratch.
func (e *exp32) clampSlow(x, tmp reg.VecPhysical) {
	f := e.f
	f.VMOVUPS(e.nbound(), tmp)
	f.VMAXPS(x, tmp, x)
	f.VMOVUPS(e.tab.bcast32("89, the AVX2 upper clamp", exp32Hi89), tmp)
	f.VMINPS(x, tmp, x)
}

// red is the reduction: T = t, K = k/N, and X = r = x - (k/N)*ln2 (two FMAs).
func (e *exp32) red(v expVec) {
	f, t := e.f, e.tab
	if f.avx512() {
		f.VMOVAPS(exp32RegMagic, v.T)
		f.VFMADD231PS(exp32RegLog2e, v.X, v.T)
		f.VSUBPS(exp32RegMagic, v.T, v.K)
		f.VFMADD231PS(exp32RegNLn2Hi, v.K, v.X)
		f.VFMADD231PS(exp32RegNLn2Lo, v.K, v.X)
		return
	}
	magic := t.bcast32("1.5*2^20", exp32Magic8)
	f.VMOVUPS(magic, v.T)
	f.VFMADD231PS(t.bcast32("1/ln2", exp32Log2e), v.X, v.T)
	f.VSUBPS(magic, v.T, v.K)
	f.VFMADD231PS(t.bcast32("-ln2hi", exp32NLn2Hi), v.K, v.X)
	f.VFMADD231PS(t.bcast32("-ln2lo", exp32NLn2Lo), v.K, v.X)
}

// poly is the polynomial and the table lookups.
//
// AVX-512: P = p = 1 + D2 r + D3 r^2 and R = R[j]; X (r), T and K are kept.
// AVX2: X = 2^(j/8)·e^r, the unscaled result (in [0.98, 1.96]); T is kept, K and P are
// clobbered.
func (e *exp32) poly(v expVec) {
	f, t := e.f, e.tab
	if f.avx512() {
		f.VMOVAPS(exp32RegD3, v.P)
		f.VFMADD213PS(exp32RegD2, v.X, v.P)
		f.VFMADD213PS(exp32RegOne, v.X, v.P)
		f.VPERMPS(exp32RegRho, v.T, v.R)
		return
	}
	f.VMOVUPS(t.bcast32("1/24", exp32C4), v.P)
	f.VFMADD213PS(t.bcast32("1/6", exp32C3), v.X, v.P)
	f.VFMADD213PS(t.bcast32("1/2", exp32C2), v.X, v.P)
	f.VFMADD213PS(e.one(), v.X, v.P)
	f.VPERMPS(t.vec32("RHO8: 2^(j/8) = THI8[j]*(1+RHO8[j])", every2(exp32RHO16)...), v.T, v.K)
	f.VFMADD213PS(v.K, v.P, v.X)
	f.VPERMPS(t.vec32("THI8: 2^(j/8) rounded to float32", every2(exp32THI16)...), v.T, v.P)
	f.VFMADD213PS(v.P, v.P, v.X)
}

// unscaled is the AVX-512 step after poly that leaves X = 2^(j/16)·e^r, the result before its
// scaling by 2^floor(K) (in [0.98, 1.96]); P = T[j]. T and K are kept.
func (e *exp32) unscaled(v expVec) {
	f := e.f
	if !f.avx512() {
		panic("unscaled is AVX-512 only: AVX2's poly leaves the unscaled result")
	}
	f.VFMADD213PS(v.R, v.P, v.X)
	f.VPERMPS(exp32RegThi, v.T, v.P)
	f.VFMADD213PS(v.P, v.P, v.X)
}

// expScale is how the AVX2 core applies 2^n.
type expScale int

const (
	// scaleFast adds n to the exponent field: the result must be a normal number, |x| <= 87 in
	// every lane (see fastCheck). T is clobbered.
	scaleFast expScale = iota
	// scaleSlow multiplies by 2^floor(n/2) (exact) and 2^(n-floor(n/2)) (one rounding), both
	// normal: x must be clamped to [-104, 89] (clampSlow). T and K are clobbered.
	scaleSlow
)

// scale finishes e^x after poly: X = e^x. AVX-512: X = (T[j] + T[j](r p + R[j]))·2^floor(K)
// with VSCALEFPS, which rounds once and gives +Inf, subnormals and 0 itself (s is ignored); P
// ends as T[j]. AVX2: X = X·2^n as s says.
func (e *exp32) scale(v expVec, s expScale) {
	f := e.f
	if f.avx512() {
		e.unscaled(v)
		f.VSCALEFPS(v.K, v.X, v.X)
		return
	}
	e.scale2(v.X, v.T, v.K, s)
}

// scale2 is the AVX2 scaling of x by 2^n, n taken from t (see expScale); t and k are clobbered.
func (e *exp32) scale2(x, t, k reg.VecPhysical, s expScale) {
	f, tab := e.f, e.tab
	if s == scaleFast {
		// bits(t) = bits(1.5*2^20) + k: shifted left by 20 the bits of 1.5*2^20 leave, and the
		// mask keeps n<<23.
		f.VPSLLD(U8(20), t, t)
		f.VPAND(tab.bcast32("sign and exponent field", exp32ExpMask), t, t)
		f.VPADDD(t, x, x)
		return
	}
	bias := tab.bcast32("int32 127", exp32Bias)
	f.VPSUBD(tab.bcast32("1.5*2^20", exp32Magic8), t, t)
	f.VPSRAD(U8(3), t, t)
	f.VPSRAD(U8(1), t, k)
	f.VPSUBD(k, t, t)
	f.VPADDD(bias, k, k)
	f.VPSLLD(U8(23), k, k)
	f.VPADDD(bias, t, t)
	f.VPSLLD(U8(23), t, t)
	f.VMULPS(k, x, x)
	f.VMULPS(t, x, x)
}

// nbits is the AVX2 step that turns T (after poly) into 2^n for a normal 2^n (n >= -126), for
// kernels that scale something other than X: T = bits (n+127)<<23. It is scaleFast's first two
// steps with the bias added: bits(t) << 20 keeps k*2^20, the mask leaves n<<23.
func (e *exp32) nbits(t reg.VecPhysical) {
	f, tab := e.f, e.tab
	f.VPSLLD(U8(20), t, t)
	f.VPAND(tab.bcast32("sign and exponent field", exp32ExpMask), t, t)
	f.VPADDD(e.one(), t, t)
}

// fastCheck sets m to all ones in the lanes of x that scaleFast cannot take: |x| > 87,
// infinite or NaN (as integers, the bits of |x| exceed those of 87).
func (e *exp32) fastCheck(x, m reg.VecPhysical) {
	f, t := e.f, e.tab
	f.VANDPS(t.bcast32("every bit but the sign", exp32Abs), x, m)
	f.VPCMPGTD(t.bcast32("the bits of 87.0", exp32FastMax), m, m)
}

// exp emits e^x for each of vs, stage by stage (all reductions, then all polynomials, then all
// scalings), without clamping: on AVX-512 every argument must be within [-2^17, 2^17] (clamp
// ±Inf), on AVX2 as s requires.
func (e *exp32) exp(s expScale, vs ...expVec) {
	for _, v := range vs {
		e.red(v)
	}
	for _, v := range vs {
		e.poly(v)
	}
	for _, v := range vs {
		e.scale(v, s)
	}
}

// expRegsLine describes an expVec for a register map comment.
func (v expVec) String() string {
	var s []string
	for _, r := range []reg.VecPhysical{v.X, v.T, v.K, v.P, v.R} {
		if r != nil {
			s = append(s, r.Asm())
		}
	}
	return strings.Join(s, ",")
}

// halves is the AVX2 step that turns T (after poly) into the two factors of scaleSlow, without
// multiplying: K = 2^floor(n/2) and T = 2^(n-floor(n/2)), both normal for -252 <= n <= 254
// (x in [-174, 176]). Multiplying by K first is exact where the product stays normal.
func (e *exp32) halves(t, k reg.VecPhysical) {
	f, tab := e.f, e.tab
	bias := tab.bcast32("int32 127", exp32Bias)
	f.VPSUBD(tab.bcast32("1.5*2^20", exp32Magic8), t, t)
	f.VPSRAD(U8(3), t, t)
	f.VPSRAD(U8(1), t, k)
	f.VPSUBD(k, t, t)
	f.VPADDD(bias, k, k)
	f.VPSLLD(U8(23), k, k)
	f.VPADDD(bias, t, t)
	f.VPSLLD(U8(23), t, t)
}

// stage is one step of an element-wise kernel for vector j of a block of n (n = 1 in the loop
// of one vector and in the tail), with x the operand of its source vector: a memory operand in
// the loops, a register (the masked load) in the tail. A stage may load x as often as it
// likes; dst is written only by the store after the last stage, so dst may be src.
type stage func(j, n int, x Op)

// mapStages emits the body of an element-wise kernel dst[i] = op(src[i]) in stages, with dst in
// DI, src in SI and len(src) in CX: unroll vectors per iteration of the main loop, each stage
// emitted for every vector before the next (so that the long chains of the vectors overlap),
// then the result out(j) of each stored; then a loop of one vector; then the last len%lanes
// elements with a masked load into tailX (its other lanes zero) and a masked store.
func (f *fn) mapStages(unroll int, stages []stage, out func(j int) reg.VecPhysical, tailX reg.VecPhysical) {
	var body []func(j, n int)
	for _, s := range stages {
		body = append(body, func(j, n int) { s(j, n, f.at(srcPtr, j)) })
	}
	body = append(body, func(j, n int) { f.MOVU(out(j), f.at(dstPtr, j)) })
	f.loop(loop{
		Unroll:   unroll,
		Ptrs:     []reg.Register{srcPtr, dstPtr},
		Body:     body,
		TailNote: "masked-off lanes are neither read nor written",
		Tail: func() {
			f.maskedLoad(f.at(srcPtr, 0), tailX)
			for _, s := range stages {
				s(0, 1, tailX)
			}
			f.maskedStore(out(0), f.at(dstPtr, 0))
		},
		End: "done",
	})
	f.ret()
}
