package main

import (
	"fmt"
	"strings"

	"github.com/lanesimd/lanes/asm/_gen/internal/emit"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
)

// comment lays out a doc comment (emit.Comment), keeping expressions such as "rs = 1",
// "len(c) >= 5*ldc+56" or "6 x 56" on one line.
func comment(paragraphs ...string) []string { return emit.Comment(operators, paragraphs...) }

var operators = map[string]bool{"=": true, "==": true, ">=": true, "<=": true, "<": true, ">": true, "x": true}

// needs is what the CPU must have to run t.
func (t tile) needs() string {
	for v := range t.vecs {
		if t.narrow(v) {
			return t.isa.needs + " and FMA3"
		}
	}
	return t.isa.needs
}

// doc is the doc comment of the Go declaration of t: the loop it computes, the layout of its
// operands, its contract and the ISA it needs.
func (t tile) doc() []string {
	mr, nr, bs := t.rows, t.cols(), t.step()
	sums := fmt.Sprintf("The sums are kept in %d %s registers (%d per row of the tile) for the whole loop over l.",
		mr*len(t.vecs), vecName(t.vecs[0]), len(t.vecs))
	if strings.Contains(t.rowShape(), " and ") {
		sums = fmt.Sprintf("The sums are kept in %d registers for the whole loop over l, %s per row of the tile.",
			mr*len(t.vecs), t.rowColumns())
	}
	consts, bIndex := fmt.Sprintf("const mr, nr = %d, %d", mr, nr), "l*nr+j"
	layout := fmt.Sprintf("b holds, for each step l, the %d elements of row l of the B micro-panel. ", nr)
	bLen := fmt.Sprintf("len(b) >= k*%d", nr)
	bRead := fmt.Sprintf("the first k*%d of b", nr)
	if bs != nr {
		consts, bIndex = fmt.Sprintf("const mr, nr, bs = %d, %d, %d", mr, nr, bs), "l*bs+j"
		layout = fmt.Sprintf("b holds, for each step l, row l of a B micro-panel of %d columns, of which the kernel reads the first %d. ", bs, nr)
		bLen = fmt.Sprintf("len(b) >= (k-1)*%d+%d when k > 0", bs, nr)
		bRead = fmt.Sprintf("the first %d elements of each step of b", nr)
	}
	jEnd, cCols, tileDesc := "nr", fmt.Sprint(nr), fmt.Sprintf("a %d x %d tile of C", mr, nr)
	edge := fmt.Sprintf("a tile at the edge of C must be computed into a %d x %d scratch tile and copied out by the caller", mr, nr)
	if t.masked {
		jEnd, cCols, tileDesc = "cols", "cols", fmt.Sprintf("the first cols columns of a %d x %d tile of C (0 < cols <= %d, not checked)", mr, nr, nr)
		edge = "a tile at the bottom edge of C must be computed into a scratch tile and copied out by the caller"
	}
	return comment(
		fmt.Sprintf("%s is a GEMM micro-kernel: it multiplies an A micro-panel (%d rows, any row and "+
			"column strides) by a packed B micro-panel into %s. It computes", t.name, mr, tileDesc),
		fmt.Sprintf(`	%s
	for i := 0; i < mr; i++ {
		for j := 0; j < `+jEnd+`; j++ {
			var s %s
			for l := 0; l < k; l++ {
				s += a[i*rs+l*cs] * b[%s]
			}
			if add {
				c[i*ldc+j] += s
			} else {
				c[i*ldc+j] = s
			}
		}
	}`, consts, t.elem.name, bIndex),
		"with each product added by a fused multiply-add (rounded once, as math.FMA rounds); that and "+
			"the order of the additions, which is the order of l, are the only differences. "+sums+" "+t.why,
		"Layout (the one kernels' GEMM driver writes): element (i, l) of the A micro-panel is "+
			"a[i*rs+l*cs], so the driver may pack A row by row (rs = k or more, cs = 1) or step by step "+
			fmt.Sprintf("(rs = 1, cs = %d); ", mr)+layout+
			"Padding rows and columns are zeros written by the packer.",
		fmt.Sprintf("Contract: rs, cs >= 0; every a[i*rs+l*cs] for i < %d, l < k lies in a; %s; ", mr, bLen)+
			fmt.Sprintf("len(c) >= %d*ldc+%s; ldc >= %s; k >= 0 (k == 0 stores zeros, or adds nothing). ", mr-1, cCols, cCols)+
			fmt.Sprintf("The kernel reads and writes exactly the %d x %s tile of c, and reads only those elements of a ", mr, cCols)+
			fmt.Sprintf("and %s; it does not check the lengths, so %s. c must not overlap a or b. ", bRead, edge)+
			fmt.Sprintf("No alignment is needed. It requires %s.", t.needs()),
	)
}

// packT8Doc is the doc comment of GemmPackTF32AVX2.
var packT8Doc = comment(
	"GemmPackTF32AVX2 transposes 8 rows of src into k steps of 8 lanes of dst, as the GEMM driver "+
		"packs a B stored transposed into micro-panels of width w. It computes",
	`	for i := 0; i < 8; i++ {
		for l := 0; l < k; l++ {
			dst[l*w+i] = src[i*ld+l]
		}
	}`,
	"exactly (a copy), eight steps at a time with an 8 x 8 transpose in registers. It requires AVX2.",
	"Contract: k >= 0 is a multiple of 8; ld >= k and w >= 8; len(src) >= 7*ld+k and "+
		"len(dst) >= (k-1)*w+8 when k > 0. It reads and writes only those elements (lanes 8..w-1 of "+
		"each step of dst are left alone); it does not check the lengths. dst must not overlap src.",
)

// packT16Doc is the doc comment of GemmPackT16F32AVX512.
var packT16Doc = comment(
	"GemmPackT16F32AVX512 transposes 16 rows of src into k steps of 16 lanes of dst, as the GEMM "+
		"driver packs a B stored transposed into the micro-panels of width w of the AVX-512 tiles. It computes",
	`	for i := 0; i < 16; i++ {
		for l := 0; l < k; l++ {
			dst[l*w+i] = src[i*ld+l]
		}
	}`,
	"exactly (a copy), eight steps at a time with a 16 x 8 transpose in registers, the last k%8 "+
		"steps read with a mask. It requires AVX-512 F and VL.",
	"Contract: k >= 0; ld >= k and w >= 16; len(src) >= 15*ld+k and len(dst) >= (k-1)*w+16 when "+
		"k > 0. It reads and writes only those elements (lanes 16..w-1 of each step of dst are left "+
		"alone); it does not check the lengths. dst must not overlap src.",
)

// paramAddr is the address of the argument name of c's function.
func paramAddr(c *build.Context, name string) operand.Mem {
	b, err := c.Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
