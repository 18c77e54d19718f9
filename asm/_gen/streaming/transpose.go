package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("transpose", genTranspose) }

// genTranspose emits TransposeBlocksF32AVX2 and TransposeBlocksF64AVX2: the transpose of the whole
// square blocks of a matrix (8 x 8 float32, 4 x 4 float64), each in registers with the classic
// rounds of shuffles (float32: VUNPCKLPS/VUNPCKHPS, VSHUFPS, VPERM2F128; float64: VUNPCKLPD/
// VUNPCKHPD, VPERM2F128). They run on AVX2 and AVX-512 CPUs alike (the AVX-512 table uses them
// too: a ZMM version would save little on a kernel that is a load and a store per element).
func genTranspose(c *build.Context) {
	genTransposeBlocks(c, variant{f32, avx2})
	genTransposeBlocks(c, variant{f64, avx2})
}

func genTransposeBlocks(c *build.Context, v variant) {
	f := newFn(c, "TransposeBlocks", v, "func(dst []T, ldd int, src []T, lds int, rows, cols int)")
	b := f.Lanes // the block: 8 x 8 float32, 4 x 4 float64, one YMM register per row
	shift := uint8(2)
	if f.f64() {
		shift = 3
	}
	f.doc(
		fmt.Sprintf("%s transposes the whole %d x %d blocks of the rows x cols matrix src (row "+
			"stride lds) into dst (row stride ldd): with r = rows&^%d and c = cols&^%d, it computes",
			f.Name, b, b, b-1, b-1),
		"\tfor i := range r {\n\t\tfor j := range c {\n\t\t\tdst[j*ldd+i] = src[i*lds+j]\n\t\t}\n\t}",
		"and leaves the rest of dst alone. It requires AVX2. rows, cols >= 0; when r and c are "+
			"not 0, src must hold (r-1)*lds+c elements, dst (c-1)*ldd+r, and they must not "+
			"overlap. It reads and writes only those elements.",
	)
	var (
		dst, src   = reg.RDI, reg.RSI
		ldd, lds   = reg.R8, reg.R9 // strides in bytes
		ldd3, lds3 = reg.R10, reg.R11
		rows, cols = reg.R12, reg.R13
		i, j       = reg.RAX, reg.RBX
		sp, dp     = reg.RCX, reg.RDX // the block's source and destination rows 0, then 4
		rowY, tmpY = ymm[0:8], ymm[8:16]
	)
	size := 1 << shift
	regs := []string{
		fmt.Sprintf("DI, SI  dst and src; R8, R9  ldd*%d and lds*%d; R10, R11  3*ldd*%d and 3*lds*%d", size, size, size, size),
		fmt.Sprintf("R12, R13  rows&^%d and cols&^%d; AX, BX  the block's first row i and column j", b-1, b-1),
	}
	if b == 8 {
		regs = append(regs,
			"CX  the block's source row 0, then 4; DX  its destination row 0, then 4",
			"Y0-Y7  the source rows, then the second round; Y8-Y15  the first round, then the "+
				"destination rows")
	} else {
		regs = append(regs,
			"CX  the block's source row 0; DX  its destination row 0",
			"Y0-Y3  the source rows; Y8-Y11  the first round; Y0-Y3  the destination rows")
	}
	f.regs(regs...)
	f.base("dst", dst)
	f.base("src", src)
	f.Load(f.Param("ldd"), ldd)
	f.Load(f.Param("lds"), lds)
	f.Load(f.Param("rows"), rows)
	f.Load(f.Param("cols"), cols)
	f.ANDQ(I32(-b), rows)
	f.ANDQ(I32(-b), cols)
	f.JZ(LabelRef("done"))
	f.TESTQ(rows, rows)
	f.JZ(LabelRef("done"))
	f.SHLQ(U8(shift), ldd)
	f.SHLQ(U8(shift), lds)
	f.LEAQ(Mem{Base: ldd, Index: ldd, Scale: 2}, ldd3)
	f.LEAQ(Mem{Base: lds, Index: lds, Scale: 2}, lds3)
	f.XORQ(i, i)
	f.Label("rows")
	f.XORQ(j, j)
	f.Label("cols")
	// sp = src + i*lds + j*size, dp = dst + j*ldd + i*size (ldd and lds are in bytes here).
	f.MOVQ(i, sp)
	f.IMULQ(lds, sp)
	f.LEAQ(Mem{Base: sp, Index: j, Scale: uint8(size)}, sp)
	f.ADDQ(src, sp)
	f.MOVQ(j, dp)
	f.IMULQ(ldd, dp)
	f.LEAQ(Mem{Base: dp, Index: i, Scale: uint8(size)}, dp)
	f.ADDQ(dst, dp)
	rowAt := func(base, ld, ld3 reg.Register, k int) Mem {
		switch k % 4 {
		case 0:
			return Mem{Base: base}
		case 1:
			return Mem{Base: base, Index: ld, Scale: 1}
		case 2:
			return Mem{Base: base, Index: ld, Scale: 2}
		}
		return Mem{Base: base, Index: ld3, Scale: 1}
	}
	for k := range b {
		if k == 4 {
			f.LEAQ(Mem{Base: sp, Index: lds, Scale: 4}, sp)
		}
		f.MOVU(rowAt(sp, lds, lds3, k), rowY[k])
	}
	var outY []reg.VecPhysical
	if b == 8 {
		// Round 1: pairs of rows interleaved.
		for k := 0; k < 8; k += 2 {
			f.VUNPCKLPS(rowY[k+1], rowY[k], tmpY[k])
			f.VUNPCKHPS(rowY[k+1], rowY[k], tmpY[k+1])
		}
		// Round 2: pairs of pairs, four columns of four rows in each 128-bit lane.
		shufY := rowY
		for h := 0; h < 8; h += 4 {
			f.VSHUFPS(U8(0x44), tmpY[h+2], tmpY[h], shufY[h])
			f.VSHUFPS(U8(0xee), tmpY[h+2], tmpY[h], shufY[h+1])
			f.VSHUFPS(U8(0x44), tmpY[h+3], tmpY[h+1], shufY[h+2])
			f.VSHUFPS(U8(0xee), tmpY[h+3], tmpY[h+1], shufY[h+3])
		}
		// Round 3: the low lanes of rows 0-3 with those of rows 4-7 give columns 0-3, the high
		// lanes columns 4-7.
		outY = tmpY
		for k := range 4 {
			f.VPERM2F128(U8(0x20), shufY[k+4], shufY[k], outY[k])
			f.VPERM2F128(U8(0x31), shufY[k+4], shufY[k], outY[k+4])
		}
	} else {
		// Round 1: pairs of rows interleaved: t0 = (r0[0], r1[0], r0[2], r1[2]), t1 the odd
		// columns, t2 and t3 likewise of rows 2 and 3.
		f.VUNPCKLPD(rowY[1], rowY[0], tmpY[0])
		f.VUNPCKHPD(rowY[1], rowY[0], tmpY[1])
		f.VUNPCKLPD(rowY[3], rowY[2], tmpY[2])
		f.VUNPCKHPD(rowY[3], rowY[2], tmpY[3])
		// Round 2: the low lanes give columns 0 and 1, the high lanes columns 2 and 3.
		outY = rowY
		f.VPERM2F128(U8(0x20), tmpY[2], tmpY[0], outY[0])
		f.VPERM2F128(U8(0x20), tmpY[3], tmpY[1], outY[1])
		f.VPERM2F128(U8(0x31), tmpY[2], tmpY[0], outY[2])
		f.VPERM2F128(U8(0x31), tmpY[3], tmpY[1], outY[3])
	}
	for k := range b {
		if k == 4 {
			f.LEAQ(Mem{Base: dp, Index: ldd, Scale: 4}, dp)
		}
		f.MOVU(outY[k], rowAt(dp, ldd, ldd3, k))
	}
	f.ADDQ(U8(b), j)
	f.CMPQ(j, cols)
	f.JB(LabelRef("cols"))
	f.ADDQ(U8(b), i)
	f.CMPQ(i, rows)
	f.JB(LabelRef("rows"))
	f.Label("done")
	f.ret()
}
