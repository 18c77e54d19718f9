package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// elem is an element type.
type elem struct {
	suffix string // F32 or F64, as in the function names
	name   string // float32 or float64
	size   int    // bytes
	shift  uint64 // log2(size)
}

// isa is a vector extension.
type isa struct {
	suffix string // AVX512 or AVX2, as in the function names
	bytes  int    // bytes per vector
	needs  string // what the CPU must have, for the doc comments
	mask   string // how the tails are masked, for the doc comments
}

var (
	f32 = elem{suffix: "F32", name: "float32", size: 4, shift: 2}
	f64 = elem{suffix: "F64", name: "float64", size: 8, shift: 3}

	avx512 = isa{suffix: "AVX512", bytes: 64, needs: "AVX-512F", mask: "K-masked"}
	avx2   = isa{suffix: "AVX2", bytes: 32, needs: "AVX2 and FMA3", mask: "VMASKMOV"}
)

// variant is one function of a kernel: an element type and an ISA.
type variant struct {
	elem
	isa
}

// variants are the functions generated for each kernel, in file order.
var variants = []variant{{f32, avx512}, {f32, avx2}, {f64, avx512}, {f64, avx2}}

// lanes is the number of elements in a vector.
func (v variant) lanes() int { return v.bytes / v.size }

func (v variant) is512() bool { return v.bytes == 64 }

// gen emits one function of a variant.
type gen struct {
	*build.Context
	variant
}

var (
	xmm = [...]reg.VecPhysical{reg.X0, reg.X1, reg.X2, reg.X3, reg.X4, reg.X5, reg.X6, reg.X7,
		reg.X8, reg.X9, reg.X10, reg.X11, reg.X12, reg.X13, reg.X14, reg.X15}
	ymm = [...]reg.VecPhysical{reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7,
		reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15}
	zmm = [...]reg.VecPhysical{reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7,
		reg.Z8, reg.Z9, reg.Z10, reg.Z11, reg.Z12, reg.Z13, reg.Z14, reg.Z15}
)

// V is vector register i at the ISA's width, Y its low 256 bits, X its low 128.
func (g *gen) V(i int) reg.VecPhysical {
	if g.is512() {
		return zmm[i]
	}
	return ymm[i]
}
func (g *gen) Y(i int) reg.VecPhysical { return ymm[i] }
func (g *gen) X(i int) reg.VecPhysical { return xmm[i] }

// vr names vector register i for the register comments.
func (g *gen) vr(i int) string {
	if g.is512() {
		return fmt.Sprintf("Z%d", i)
	}
	return fmt.Sprintf("Y%d", i)
}

// pick returns the single- or double-precision form of an instruction.
func (g *gen) pick(s, d func(...operand.Op)) func(...operand.Op) {
	if g.size == 8 {
		return d
	}
	return s
}

func (g *gen) MOVU(ops ...operand.Op) { g.pick(g.VMOVUPS, g.VMOVUPD)(ops...) }
func (g *gen) MUL(ops ...operand.Op)  { g.pick(g.VMULPS, g.VMULPD)(ops...) }
func (g *gen) ADD(ops ...operand.Op)  { g.pick(g.VADDPS, g.VADDPD)(ops...) }
func (g *gen) HADD(a, b, c operand.Op) {
	if g.size == 8 {
		g.VHADDPD(a, b, c)
	} else {
		g.VHADDPS(a, b, c)
	}
}
func (g *gen) FMA(ops ...operand.Op)       { g.pick(g.VFMADD231PS, g.VFMADD231PD)(ops...) }
func (g *gen) FMAS(ops ...operand.Op)      { g.pick(g.VFMADD231SS, g.VFMADD231SD)(ops...) }
func (g *gen) MOVS(ops ...operand.Op)      { g.pick(g.VMOVSS, g.VMOVSD)(ops...) }
func (g *gen) ADDS(ops ...operand.Op)      { g.pick(g.VADDSS, g.VADDSD)(ops...) }
func (g *gen) BROADCAST(ops ...operand.Op) { g.pick(g.VBROADCASTSS, g.VBROADCASTSD)(ops...) }
func (g *gen) MASKMOV(a, b, c operand.Op) {
	if g.size == 8 {
		g.VMASKMOVPD(a, b, c)
	} else {
		g.VMASKMOVPS(a, b, c)
	}
}

// zero clears vector register i (a VEX instruction on X clears the whole register).
func (g *gen) zero(i int) { g.VXORPS(g.X(i), g.X(i), g.X(i)) }

// The tail mask: K1 with AVX-512, Y13 (a VMASKMOV mask) with AVX2.
var (
	tailK = reg.K1
	tailY = reg.Y13
)

// tailmask is the shared VMASKMOV mask of asm/tailmask_amd64.s (written by the streaming
// generator): eight all-ones dwords, then eight zero dwords.
var tailmask = operand.NewDataAddr(operand.Symbol{Name: "·tailmask"}, 0)

// tailMask sets the mask of the first CX lanes (0 <= CX < lanes) from CX, with AX and BX as
// scratch. AVX-512: K1 = 1<<CX - 1. AVX2: Y13 = the 32 bytes of tailmask at size*(lanes-CX).
func (g *gen) tailMask() {
	if g.is512() {
		g.MOVQ(operand.I32(-1), reg.RAX)
		g.SHLQ(reg.CL, reg.RAX)
		g.NOTQ(reg.RAX)
		g.KMOVW(reg.EAX, tailK) // at most 16 lanes
		return
	}
	g.MOVQ(operand.U32(g.lanes()), reg.RAX)
	g.SUBQ(reg.RCX, reg.RAX)
	g.LEAQ(tailmask, reg.RBX)
	g.VMOVDQU(operand.Mem{Base: reg.RBX, Index: reg.RAX, Scale: uint8(g.size)}, tailY)
}

// maskedLoad loads the tail lanes from m into r and zeroes the others (no fault on them).
func (g *gen) maskedLoad(m operand.Mem, r reg.VecPhysical) {
	if g.is512() {
		g.pick(func(ops ...operand.Op) { g.VMOVUPS_Z(ops[0], ops[1], ops[2]) },
			func(ops ...operand.Op) { g.VMOVUPD_Z(ops[0], ops[1], ops[2]) })(m, tailK, r)
		return
	}
	g.MASKMOV(m, tailY, r)
}

// maskedStore stores the tail lanes of r to m and leaves the other elements of m alone.
func (g *gen) maskedStore(r reg.VecPhysical, m operand.Mem) {
	if g.is512() {
		g.MOVU(r, tailK, m)
		return
	}
	g.MASKMOV(r, tailY, m)
}

// maskedFMA adds the tail lanes of m times b to acc (acc += m*b on those lanes, the others
// unchanged), reading only the tail lanes of m; tmp is scratch (AVX2: the masked load of m).
func (g *gen) maskedFMA(m operand.Mem, b, acc, tmp reg.VecPhysical) {
	if g.is512() {
		g.FMA(m, b, tailK, acc) // masked-off lanes of m are not read: no fault there
		return
	}
	g.MASKMOV(m, tailY, tmp)
	g.FMA(tmp, b, acc)
}

// imm is n as an immediate of the smallest type that holds it.
func imm(n int) operand.Constant {
	if n >= 0 && n < 128 {
		return operand.U8(n)
	}
	return operand.U32(n)
}

// param is the frame address of argument name.
func (g *gen) param(name string) operand.Mem {
	b, err := g.Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}

// rowMem addresses row r (0 <= r < 8) of a block of rows lda apart at the column the pointers
// have reached, plus disp bytes: rows 0-3 from p0, rows 4-7 from p4 = p0 + 4*lda, each at
// 0, lda, 2*lda or 3*lda (the registers ldaB and lda3 hold lda and 3*lda in bytes).
func rowMem(r int, p0, p4, ldaB, lda3 reg.GPPhysical, disp int) operand.Mem {
	m := operand.Mem{Base: p0, Disp: disp}
	if r >= 4 {
		m.Base = p4
	}
	switch r % 4 {
	case 1:
		m.Index, m.Scale = ldaB, 1
	case 2:
		m.Index, m.Scale = ldaB, 2
	case 3:
		m.Index, m.Scale = lda3, 1
	}
	return m
}
