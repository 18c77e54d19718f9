package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/gotypes"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// elem is an element type.
type elem struct {
	Name string // F32 or F64, as in the function names
	Go   string // float32 or float64
	Size int    // bytes
}

// isa is a vector extension with its vector width and its way of masking the tail.
type isa struct {
	Name     string // AVX512 or AVX2, as in the function names
	Requires string // the extension the doc comments say the function requires
	VecBytes int
	Mask     string // how the tail loads and stores are masked, for the doc comments
}

var (
	f32 = elem{Name: "F32", Go: "float32", Size: 4}
	f64 = elem{Name: "F64", Go: "float64", Size: 8}

	avx512 = isa{Name: "AVX512", Requires: "AVX-512F", VecBytes: 64, Mask: "K-masked"}
	avx2   = isa{Name: "AVX2", Requires: "AVX2", VecBytes: 32, Mask: "VMASKMOV"}
)

// variant is an element type with an ISA: one function of a kernel.
type variant struct {
	elem
	isa
}

// variants are the element types and ISAs every kernel is generated for, in file order.
var variants = []variant{{f32, avx512}, {f32, avx2}, {f64, avx512}, {f64, avx2}}

var (
	xmm = [...]reg.VecPhysical{reg.X0, reg.X1, reg.X2, reg.X3, reg.X4, reg.X5, reg.X6, reg.X7,
		reg.X8, reg.X9, reg.X10, reg.X11, reg.X12, reg.X13, reg.X14, reg.X15}
	ymm = [...]reg.VecPhysical{reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7,
		reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15}
	zmm = [...]reg.VecPhysical{reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7,
		reg.Z8, reg.Z9, reg.Z10, reg.Z11, reg.Z12, reg.Z13, reg.Z14, reg.Z15}
)

// Registers every kernel uses the same way. The registers of a kernel are fixed, not allocated,
// so that each function is the same instruction sequence, register for register, as the
// hand-written assembly it replaced.
var (
	dstPtr = reg.RDI // address of the next dst (or y) element
	srcPtr = reg.RSI // address of the next src (or x) element
	count  = reg.RCX // elements left

	// The tail mask: K1 with AVX-512, Y13 (a VMASKMOV mask loaded from tailmask) with AVX2.
	tailK = reg.K1
	tailY = reg.Y13
)

// fn emits one function: a kernel for one element type and one ISA.
type fn struct {
	*build.Context
	elem
	isa
	Name  string // the function name, e.g. ReLUF32AVX512
	Lanes int    // elements per vector
}

func (f *fn) f64() bool    { return f.elem.Size == 8 }
func (f *fn) avx512() bool { return f.isa.VecBytes == 64 }

// V is vector register i at the width of the ISA: Zi or Yi.
func (f *fn) V(i int) reg.VecPhysical {
	if f.avx512() {
		return zmm[i]
	}
	return ymm[i]
}

// X is the low 128 bits of vector register i, Y the low 256 bits.
func (f *fn) X(i int) reg.VecPhysical { return xmm[i] }
func (f *fn) Y(i int) reg.VecPhysical { return ymm[i] }

// at is the memory operand of vector j from base.
func (f *fn) at(base reg.Register, j int) Mem { return Mem{Base: base, Disp: j * f.VecBytes} }

// addr is the frame address of an argument or result.
func (f *fn) addr(c gotypes.Component) Mem {
	b, err := c.Resolve()
	if err != nil {
		panic(fmt.Sprintf("%s: %v", f.Name, err))
	}
	return b.Addr
}

// The packed and scalar floating-point instructions of the element type.
func (f *fn) pick(s, d func(...Op)) func(...Op) {
	if f.f64() {
		return d
	}
	return s
}

func (f *fn) MOVU(ops ...Op)     { f.pick(f.VMOVUPS, f.VMOVUPD)(ops...) }
func (f *fn) MOVA(ops ...Op)     { f.pick(f.VMOVAPS, f.VMOVAPD)(ops...) }
func (f *fn) MAX(ops ...Op)      { f.pick(f.VMAXPS, f.VMAXPD)(ops...) }
func (f *fn) ADD(ops ...Op)      { f.pick(f.VADDPS, f.VADDPD)(ops...) }
func (f *fn) MUL(ops ...Op)      { f.pick(f.VMULPS, f.VMULPD)(ops...) }
func (f *fn) AND(ops ...Op)      { f.pick(f.VANDPS, f.VANDPD)(ops...) }
func (f *fn) OR(ops ...Op)       { f.pick(f.VORPS, f.VORPD)(ops...) }
func (f *fn) XOR(ops ...Op)      { f.pick(f.VXORPS, f.VXORPD)(ops...) }
func (f *fn) CMP(ops ...Op)      { f.pick(f.VCMPPS, f.VCMPPD)(ops...) }
func (f *fn) FMADD231(ops ...Op) { f.pick(f.VFMADD231PS, f.VFMADD231PD)(ops...) }
func (f *fn) BROADCAST(ops ...Op) {
	f.pick(f.VBROADCASTSS, f.VBROADCASTSD)(ops...)
}

func (f *fn) MOVU_Z(m, k, r Op) {
	if f.f64() {
		f.VMOVUPD_Z(m, k, r)
	} else {
		f.VMOVUPS_Z(m, k, r)
	}
}

func (f *fn) MOVA_Z(m, k, r Op) {
	if f.f64() {
		f.VMOVAPD_Z(m, k, r)
	} else {
		f.VMOVAPS_Z(m, k, r)
	}
}

func (f *fn) MASKMOV(a, b, c Op) {
	if f.f64() {
		f.VMASKMOVPD(a, b, c)
	} else {
		f.VMASKMOVPS(a, b, c)
	}
}

func (f *fn) BLENDV(a, b, c, d Op) {
	if f.f64() {
		f.VBLENDVPD(a, b, c, d)
	} else {
		f.VBLENDVPS(a, b, c, d)
	}
}

// zero clears vector register i (the VEX encoding clears the upper lanes too).
func (f *fn) zero(i int) { f.XOR(f.X(i), f.X(i), f.X(i)) }

// broadcastBits sets every lane of vector register i to the element whose bits are bits, through AX.
func (f *fn) broadcastBits(bits uint64, i int) {
	if f.f64() {
		f.MOVQ(U64(bits), reg.RAX)
		if f.avx512() {
			f.VPBROADCASTQ(reg.RAX, f.V(i))
		} else {
			f.VMOVQ(reg.RAX, f.X(i))
			f.VPBROADCASTQ(f.X(i), f.V(i))
		}
		return
	}
	f.MOVL(U32(bits), reg.EAX)
	if f.avx512() {
		f.VPBROADCASTD(reg.EAX, f.V(i))
	} else {
		f.VMOVD(reg.EAX, f.X(i))
		f.VPBROADCASTD(f.X(i), f.V(i))
	}
}

// imm is n as an immediate of the smallest type that holds it.
func imm(n int) Constant {
	if n >= 0 && n < 256 {
		return U8(n)
	}
	return U32(n)
}

// loop is the skeleton every kernel shares: an unrolled main loop, a loop of one vector, and the
// last count%lanes elements with masked loads and stores. count holds the number of elements.
type loop struct {
	// Unroll is the number of vectors per iteration of the main loop.
	Unroll int
	// Ptrs are advanced by one vector for each vector processed, in this order.
	Ptrs []reg.Register
	// Body is the loop body as stages: each stage is emitted for vectors j = 0..n-1 (n is Unroll
	// in the main loop and 1 in the loop of one vector) before the next stage. Stage j addresses
	// its vector at f.at(ptr, j).
	Body []func(j, n int)
	// TailNote ends the comment on the tail: what happens to the masked-off lanes.
	TailNote string
	// Tail processes the last count%lanes elements, count > 0, with the mask in tailK or tailY
	// (see maskedLoad, maskedLoadFill, maskedStore).
	Tail func()
	// End is the label that follows the tail.
	End string
}

func (f *fn) loop(l loop) {
	block := l.Unroll * f.Lanes
	f.CMPQ(count, imm(block))
	f.JB(LabelRef("one"))

	f.Label("loop")
	f.body(l, l.Unroll)
	f.SUBQ(imm(block), count)
	f.CMPQ(count, imm(block))
	f.JAE(LabelRef("loop"))

	f.Label("one")
	f.CMPQ(count, imm(f.Lanes))
	f.JB(LabelRef("tail"))
	f.body(l, 1)
	f.SUBQ(imm(f.Lanes), count)
	f.JMP(LabelRef("one"))

	f.Comment(fmt.Sprintf("The last len%%%d elements: %s.", f.Lanes, l.TailNote))
	f.Label("tail")
	f.TESTQ(count, count)
	f.JZ(LabelRef(l.End))
	f.tailMask()
	l.Tail()

	f.Label(l.End)
}

// body emits n vectors of the loop body and advances the pointers past them.
func (f *fn) body(l loop, n int) {
	for _, stage := range l.Body {
		for j := 0; j < n; j++ {
			stage(j, n)
		}
	}
	for _, p := range l.Ptrs {
		f.ADDQ(imm(n*f.VecBytes), p)
	}
}

// tailMask sets the mask of the first count lanes (0 < count < lanes), with AX and BX as scratch.
// AVX-512: K1 = 1<<count - 1. AVX2: Y13 = the lanes*size bytes of tailmask at
// size*(lanes-count), whose first count elements are all ones and the rest zero.
func (f *fn) tailMask() {
	if f.avx512() {
		f.MOVQ(I32(-1), reg.RAX)
		f.SHLQ(reg.CL, reg.RAX)
		f.NOTQ(reg.RAX)
		f.KMOVW(reg.EAX, tailK)
		return
	}
	f.MOVQ(U32(f.Lanes), reg.RAX)
	f.SUBQ(count, reg.RAX)
	f.LEAQ(tailmask, reg.RBX)
	f.VMOVDQU(Mem{Base: reg.RBX, Index: reg.RAX, Scale: uint8(f.Size)}, tailY)
}

// maskedLoad loads the tail lanes from m into r and zeroes the others.
func (f *fn) maskedLoad(m Mem, r reg.VecPhysical) {
	if f.avx512() {
		f.MOVU_Z(m, tailK, r)
	} else {
		f.MASKMOV(m, tailY, r)
	}
}

// maskedLoadFill loads the tail lanes from m into r and sets the others to those of fill.
func (f *fn) maskedLoadFill(m Mem, r, fill reg.VecPhysical) {
	if f.avx512() {
		f.MOVA(fill, r)
		f.MOVU(m, tailK, r)
	} else {
		f.MASKMOV(m, tailY, r)
		f.BLENDV(tailY, r, fill, r)
	}
}

// maskedStore stores the tail lanes of r to m and leaves the other elements of m alone.
func (f *fn) maskedStore(r reg.VecPhysical, m Mem) {
	if f.avx512() {
		f.MOVU(r, tailK, m)
	} else {
		f.MASKMOV(r, tailY, m)
	}
}

// ret clears the upper halves of the vector registers and returns.
func (f *fn) ret() {
	f.VZEROUPPER()
	f.RET()
}

// hop is the operation of a horizontal reduction.
type hop int

const (
	hadd hop = iota
	hmax
)

func (f *fn) packed(op hop, a, b, c Op) {
	if op == hadd {
		f.ADD(a, b, c)
	} else {
		f.MAX(a, b, c)
	}
}

func (f *fn) scalar(op hop, a, b, c Op) {
	switch {
	case op == hadd && f.f64():
		f.VADDSD(a, b, c)
	case op == hadd:
		f.VADDSS(a, b, c)
	case f.f64():
		f.VMAXSD(a, b, c)
	default:
		f.VMAXSS(a, b, c)
	}
}

// reduce combines the accumulators V(0)..V(n-1) (n a power of two) with op, pairwise (V(i)
// with V(i+n/2), then half of those, and so on), then the lanes of V(0) pairwise (upper half
// with lower half down to one element), and stores the result to the function's return value.
// V(1) is scratch.
func (f *fn) reduce(op hop, n int) {
	for h := n / 2; h >= 1; h /= 2 {
		for i := 0; i < h; i++ {
			f.packed(op, f.V(i+h), f.V(i), f.V(i))
		}
	}
	if f.avx512() {
		f.VEXTRACTF64X4(U8(1), f.V(0), f.Y(1))
		f.packed(op, f.Y(1), f.Y(0), f.Y(0))
	}
	f.VEXTRACTF128(U8(1), f.Y(0), f.X(1))
	f.packed(op, f.X(1), f.X(0), f.X(0))
	ret := f.addr(f.ReturnIndex(0))
	if f.f64() {
		f.VUNPCKHPD(f.X(0), f.X(0), f.X(1))
		f.scalar(op, f.X(1), f.X(0), f.X(0))
		f.VMOVSD(f.X(0), ret)
	} else {
		f.VMOVHLPS(f.X(0), f.X(0), f.X(1))
		f.packed(op, f.X(1), f.X(0), f.X(0))
		f.VMOVSHDUP(f.X(0), f.X(1))
		f.scalar(op, f.X(1), f.X(0), f.X(0))
		f.VMOVSS(f.X(0), ret)
	}
	f.ret()
}

// base and length load the base address and the length of slice argument name into r.
func (f *fn) base(name string, r reg.Register)   { f.Load(f.Param(name).Base(), r) }
func (f *fn) length(name string, r reg.Register) { f.Load(f.Param(name).Len(), r) }

// mapContract is the end of the doc comment of an element-wise kernel (dst[i] = op(src[i])) that
// works through unroll vectors per iteration.
func (f *fn) mapContract(unroll int) string {
	return fmt.Sprintf("len(dst) must be at least len(src); dst may be src (exactly, not a shifted "+
		"overlap). Any length and alignment: it works through %d elements per iteration, then %d, "+
		"and does the last len(src)%%%d with a %s load and store, so it never reads or writes "+
		"outside the slices.", unroll*f.Lanes, f.Lanes, f.Lanes, f.Mask)
}

// mapUnroll is the number of vectors per main-loop iteration of the element-wise kernels.
const mapUnroll = 4

// unary emits the body of an element-wise kernel dst[i] = op(src[i]), with dst in DI, src in SI
// and len(src) in CX: 4 vectors per iteration, each computed into V(j) by op from the memory
// operand in, then stored; the tail with a masked load into V(0), op, and a masked store. op
// computes vector j (0 in the tail) from in, a memory operand or V(0), into out.
func (f *fn) unary(op func(in Op, j int, out reg.VecPhysical)) {
	f.loop(loop{
		Unroll: mapUnroll,
		Ptrs:   []reg.Register{srcPtr, dstPtr},
		Body: []func(j, n int){
			func(j, n int) { op(f.at(srcPtr, j), j, f.V(j)) },
			func(j, n int) { f.MOVU(f.V(j), f.at(dstPtr, j)) },
		},
		TailNote: "masked-off lanes are neither read nor written",
		Tail: func() {
			f.maskedLoad(f.at(srcPtr, 0), f.V(0))
			op(f.V(0), 0, f.V(0))
			f.maskedStore(f.V(0), f.at(dstPtr, 0))
		},
		End: "done",
	})
	f.ret()
}

// tailRegs is the register map line of the tail mask.
func (f *fn) tailRegs() string {
	if f.avx512() {
		return "K1  tail mask"
	}
	return "Y13  tail mask (VMASKMOV)"
}

// vr names vector registers i..j (or i if j < 0) for register map comments: Z0-Z3.
func (f *fn) vr(i, j int) string {
	p := "Y"
	if f.avx512() {
		p = "Z"
	}
	if j < 0 {
		return fmt.Sprintf("%s%d", p, i)
	}
	return fmt.Sprintf("%s%d-%s%d", p, i, p, j)
}

// perIteration is the doc comment's account of the loops of a kernel over slice s that works
// through unroll vectors per iteration: "64 elements per iteration, then 16, then the last
// len(x)%16".
func (f *fn) perIteration(unroll int, s string) string {
	return fmt.Sprintf("%d elements per iteration, then %d, then the last len(%s)%%%d",
		unroll*f.Lanes, f.Lanes, s, f.Lanes)
}
