package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("transpose", genTranspose) }

// genTranspose emits TransposeBlocksF32AVX2: the transpose of the whole 8 x 8 blocks of a float32
// matrix, each with the classic three rounds of in-register shuffles (VUNPCKLPS/VUNPCKHPS, VSHUFPS,
// VPERM2F128). It runs on AVX2 and AVX-512 CPUs alike (the AVX-512 table uses it too: a 16 x 16
// ZMM version would save little on a kernel that is a load and a store per element).
func genTranspose(c *build.Context) {
	f := newFn(c, "TransposeBlocks", variant{f32, avx2}, "func(dst []T, ldd int, src []T, lds int, rows, cols int)")
	f.doc(
		f.Name+" transposes the whole 8 x 8 blocks of the rows x cols matrix src (row stride "+
			"lds) into dst (row stride ldd): with r = rows&^7 and c = cols&^7, it computes",
		"\tfor i := range r {\n\t\tfor j := range c {\n\t\t\tdst[j*ldd+i] = src[i*lds+j]\n\t\t}\n\t}",
		"and leaves the rest of dst alone. It requires AVX2. rows, cols >= 0; when r and c are "+
			"not 0, src must hold (r-1)*lds+c elements, dst (c-1)*ldd+r, and they must not "+
			"overlap. It reads and writes only those elements.",
	)
	var (
		dst, src    = reg.RDI, reg.RSI
		ldd, lds    = reg.R8, reg.R9 // strides in bytes
		ldd3, lds3  = reg.R10, reg.R11
		rows, cols  = reg.R12, reg.R13
		i, j        = reg.RAX, reg.RBX
		sp, dp      = reg.RCX, reg.RDX // the block's source and destination rows 0, then 4
		rowY, tmpY  = ymm[0:8], ymm[8:16]
		shufY, outY = rowY, tmpY
	)
	f.regs(
		"DI, SI  dst and src; R8, R9  ldd*4 and lds*4; R10, R11  3*ldd*4 and 3*lds*4",
		"R12, R13  rows&^7 and cols&^7; AX, BX  the block's first row i and column j",
		"CX  the block's source row 0, then 4; DX  its destination row 0, then 4",
		"Y0-Y7  the source rows, then the second round; Y8-Y15  the first round, then the "+
			"destination rows",
	)
	f.base("dst", dst)
	f.base("src", src)
	f.Load(f.Param("ldd"), ldd)
	f.Load(f.Param("lds"), lds)
	f.Load(f.Param("rows"), rows)
	f.Load(f.Param("cols"), cols)
	f.ANDQ(I32(-8), rows)
	f.ANDQ(I32(-8), cols)
	f.JZ(LabelRef("done"))
	f.TESTQ(rows, rows)
	f.JZ(LabelRef("done"))
	f.SHLQ(U8(2), ldd)
	f.SHLQ(U8(2), lds)
	f.LEAQ(Mem{Base: ldd, Index: ldd, Scale: 2}, ldd3)
	f.LEAQ(Mem{Base: lds, Index: lds, Scale: 2}, lds3)
	f.XORQ(i, i)
	f.Label("rows")
	f.XORQ(j, j)
	f.Label("cols")
	// sp = src + (i*lds + j)*4, dp = dst + (j*ldd + i)*4 (ldd and lds are in bytes here).
	f.MOVQ(i, sp)
	f.IMULQ(lds, sp)
	f.LEAQ(Mem{Base: sp, Index: j, Scale: 4}, sp)
	f.ADDQ(src, sp)
	f.MOVQ(j, dp)
	f.IMULQ(ldd, dp)
	f.LEAQ(Mem{Base: dp, Index: i, Scale: 4}, dp)
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
	for k := range 8 {
		if k == 4 {
			f.LEAQ(Mem{Base: sp, Index: lds, Scale: 4}, sp)
		}
		f.VMOVUPS(rowAt(sp, lds, lds3, k), rowY[k])
	}
	// Round 1: pairs of rows interleaved.
	for k := 0; k < 8; k += 2 {
		f.VUNPCKLPS(rowY[k+1], rowY[k], tmpY[k])
		f.VUNPCKHPS(rowY[k+1], rowY[k], tmpY[k+1])
	}
	// Round 2: pairs of pairs, four columns of four rows in each 128-bit lane.
	for h := 0; h < 8; h += 4 {
		f.VSHUFPS(U8(0x44), tmpY[h+2], tmpY[h], shufY[h])
		f.VSHUFPS(U8(0xee), tmpY[h+2], tmpY[h], shufY[h+1])
		f.VSHUFPS(U8(0x44), tmpY[h+3], tmpY[h+1], shufY[h+2])
		f.VSHUFPS(U8(0xee), tmpY[h+3], tmpY[h+1], shufY[h+3])
	}
	// Round 3: the low lanes of rows 0-3 with those of rows 4-7 give columns 0-3, the high lanes
	// columns 4-7.
	for k := range 4 {
		f.VPERM2F128(U8(0x20), shufY[k+4], shufY[k], outY[k])
		f.VPERM2F128(U8(0x31), shufY[k+4], shufY[k], outY[k+4])
	}
	for k := range 8 {
		if k == 4 {
			f.LEAQ(Mem{Base: dp, Index: ldd, Scale: 4}, dp)
		}
		f.VMOVUPS(outY[k], rowAt(dp, ldd, ldd3, k))
	}
	f.ADDQ(U8(8), j)
	f.CMPQ(j, cols)
	f.JB(LabelRef("cols"))
	f.ADDQ(U8(8), i)
	f.CMPQ(i, rows)
	f.JB(LabelRef("rows"))
	f.Label("done")
	f.ret()
}
