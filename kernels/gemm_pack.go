package kernels

import (
	"sync"
	"unsafe"

	"github.com/klauspost/cpuid/v2"
)

// Packing and blocking for the GEMM driver (gemm_driver.go has the packed-panel layout).

// packA packs the mcb x kcb block of alpha*op(A) starting at row i0, column l0 of op(A) into dst
// as ceil(mcb/mr) micro-panels of mr rows, zero-padded, and returns the strides of the packed
// block: element (i, l) of micro-panel p is dst[p*ps + i*rs + l*cs]. A stored row by row (not
// transposed) is packed row by row (rs = kcb plus a cache line, cs = 1): each row of the
// micro-panel is a contiguous copy. A stored transposed is packed step by step (rs = 1,
// cs = mr): step l of every micro-panel is a piece of row l0+l of A. For a kernel that reads A
// step by step only (stepA), A stored row by row is packed step by step too (packASteps).
func packA[T Float](g *gemmKernel[T], trans bool, alpha T, a []T, lda, i0, l0, mcb, kcb int, dst []T) (ps, rs, cs int) {
	mr := g.mr
	if !trans && g.stepA {
		return packASteps(g, alpha, a, lda, i0, l0, mcb, kcb, dst)
	}
	if trans {
		if g.packAT != nil && alpha == 1 {
			packAsm(g.packAT, dst, mr, a, lda, l0*lda+i0, mcb, kcb)
		} else {
			packRows(dst, mr, mcb, kcb, a, lda, l0*lda+i0, alpha)
		}
		return mr * kcb, 1, mr
	}
	var z T
	rs = kcb + 64/sizeOf(z) // the extra line spreads the rows of a micro-panel over the L1 sets
	ps = mr * rs
	for i := range (mcb + mr - 1) / mr * mr {
		d := dst[i/mr*ps+i%mr*rs : i/mr*ps+i%mr*rs+kcb]
		if i >= mcb {
			clear(d)
			continue
		}
		s := a[(i0+i)*lda+l0 : (i0+i)*lda+l0+kcb]
		if alpha == 1 {
			copy(d, s)
		} else {
			kern[T]().scale(alpha, d, s) // alpha*x is exact to one rounding on every path
		}
	}
	return ps, rs, 1
}

// packB packs the kcb x ncb block of op(B) starting at row l0, column j0 of op(B) into dst as
// ceil(ncb/nr) micro-panels of g.nr columns, zero-padded. finite reports a block that its packer
// found to hold no Inf or NaN (only packPanel looks; false elsewhere).
func packB[T Float](g *gemmKernel[T], trans bool, b []T, ldb, l0, j0, kcb, ncb int, dst []T) (finite bool) {
	nr := g.nr
	if g.bStep != 0 {
		return packSpread(g, trans, b, ldb, l0, j0, kcb, ncb, dst)
	}
	if !trans {
		// Step l of every micro-panel is contiguous in row l0+l of B.
		if g.packBRows != nil {
			packAsm(g.packBRows, dst, nr, b, ldb, l0*ldb+j0, ncb, kcb)
			return false
		}
		packRows(dst, nr, ncb, kcb, b, ldb, l0*ldb+j0, 1)
		return false
	}
	for q := 0; q < ncb; q += nr {
		// B is stored n x k: column j of the micro-panel is contiguous in row j0+q+j of B.
		packCols(g, dst[q*kcb:(q+nr)*kcb], nr, min(nr, ncb-q), kcb, b, ldb, (j0+q)*ldb+l0)
	}
	return false
}

// packSpread is packB for a kernel whose packed B steps are longer than its nr columns (bStep):
// each micro-panel by the kernel's packPanel where B is stored row by row, else by packCols into
// the first nr lanes of each step and spreadPanel. finite: every panel went through packPanel,
// which found no Inf or NaN.
func packSpread[T Float](g *gemmKernel[T], trans bool, b []T, ldb, l0, j0, kcb, ncb int, dst []T) (finite bool) {
	nr, w := g.nr, g.bStep
	finite = true
	for q := 0; q < ncb; q += nr {
		panel := dst[q/nr*w*kcb : (q/nr+1)*w*kcb]
		cnt := min(nr, ncb-q)
		if !trans && g.packPanel != nil {
			if cnt > 0 && kcb > 0 {
				off := l0*ldb + j0 + q
				_ = b[off+(kcb-1)*ldb+cnt-1] // the block lies in b
				finite = g.packPanel(panel, b[off:], ldb, cnt, kcb) && finite
			}
			continue
		}
		finite = false // packed in Go, not checked
		if trans {
			packCols(g, panel, w, cnt, kcb, b, ldb, (j0+q)*ldb+l0)
		} else {
			packRows(panel, w, cnt, kcb, b, ldb, l0*ldb+j0+q, 1)
		}
		spreadPanel(panel, w, nr, kcb)
	}
	return finite
}

// spreadPanel turns a micro-panel whose steps hold the nr columns in their first nr lanes into the
// layout of GemmPairF32AVX512's (nr = 50, steps of 64): columns 0-47, then column 48 eight times,
// then column 49 eight times.
func spreadPanel[T Float](panel []T, w, nr, kcb int) {
	if w != 64 || nr != 50 {
		panic("kernels: spreadPanel knows only the 50-column panels of steps of 64")
	}
	for l := range kcb {
		s := panel[l*w : l*w+w]
		c48, c49 := s[48], s[49]
		for i := range 8 {
			s[48+i], s[56+i] = c48, c49
		}
	}
}

// packASteps packs the mcb x kcb block of alpha*A (A stored row by row) starting at row i0, column
// l0 into micro-panels of mr rows stored step by step (rs = 1, cs = mr), zero-padded, for a kernel
// that reads A so (gemmKernel.stepA): each micro-panel by packCols, eight rows at a time through
// packT8.
func packASteps[T Float](g *gemmKernel[T], alpha T, a []T, lda, i0, l0, mcb, kcb int, dst []T) (ps, rs, cs int) {
	mr := g.mr
	for p := 0; p < mcb; p += mr {
		panel := dst[p/mr*mr*kcb : (p/mr+1)*mr*kcb]
		packCols(g, panel, mr, min(mr, mcb-p), kcb, a, lda, (i0+p)*lda+l0)
		if alpha != 1 {
			kern[T]().scale(alpha, panel, panel) // alpha*x is exact to one rounding on every path
		}
	}
	return mr * kcb, 1, mr
}

// packAsm runs pack, an assembly packer of the kcb x cnt block whose rows start ld apart at
// src[off] into micro-panels of w elements a step at dst (ceil(cnt/w) of them), after checking
// that the block and the panels lie in the slices, which the assembly does not.
func packAsm[T Float](pack func(dst, src []T, ld, cnt, kcb int), dst []T, w int, src []T, ld, off, cnt, kcb int) {
	if cnt == 0 || kcb == 0 {
		return
	}
	_ = src[off+(kcb-1)*ld+cnt-1] // the block lies in src
	_ = dst[(cnt+w-1)/w*w*kcb-1]  // and its micro-panels in dst
	pack(dst, src[off:], ld, cnt, kcb)
}

// packRows fills the ceil(cnt/w) micro-panels of width w and depth kcb in dst from rows of
// src: step l of the block is the cnt contiguous elements src[off+l*ld : off+l*ld+cnt] times
// alpha, split into pieces of w (the last one zero-padded). It reads src row by row, so each
// row is one sequential read however many micro-panels it feeds.
func packRows[T Float](dst []T, w, cnt, kcb int, src []T, ld, off int, alpha T) {
	full := cnt / w * w
	for l := range kcb {
		s := src[off+l*ld : off+l*ld+cnt]
		for q := 0; q < full; q += w {
			d := dst[q*kcb+l*w : q*kcb+l*w+w]
			if alpha == 1 {
				copy(d, s[q:q+w])
			} else {
				for i, v := range s[q : q+w] {
					d[i] = alpha * v
				}
			}
		}
		if full < cnt {
			d := dst[full*kcb+l*w : full*kcb+l*w+w]
			if alpha == 1 {
				copy(d, s[full:])
			} else {
				for i, v := range s[full:] {
					d[i] = alpha * v
				}
			}
			clear(d[cnt-full:])
		}
	}
}

// packCols fills a micro-panel of width w and depth kcb whose lane i (i < cnt) is the kcb
// contiguous elements src[off+i*ld : off+i*ld+kcb], and whose lanes cnt..w-1 are 0, unscaled: a
// B stored transposed, or an A stored row by row for a kernel that reads A step by step.
// It writes with stride w while reading contiguously: sixteen source rows at a time through g's
// packT16 and eight (the last group padded with zero rows) through its packT8 where it has them,
// else four at a time.
func packCols[T Float](g *gemmKernel[T], panel []T, w, cnt, kcb int, src []T, ld, off int) {
	if kcb == 0 {
		return
	}
	_ = panel[(kcb-1)*w+w-1]
	_ = src[off+(cnt-1)*ld+kcb-1]
	i := 0
	if g.packT16 != nil {
		for ; i+16 <= cnt; i += 16 {
			g.packT16(panel[i:], w, src[off+i*ld:], ld, kcb)
		}
	}
	if g.packT8 != nil {
		k8 := kcb &^ 7
		for ; i < cnt && i+8 <= w; i += 8 {
			rows := min(8, cnt-i)
			if rows == 8 {
				g.packT8(panel[i:], w, src[off+i*ld:], ld, k8)
			} else {
				packT8Rows(g.packT8, panel[i:], w, rows, k8, src, ld, off+i*ld)
			}
			for l := k8; l < kcb; l++ {
				d := panel[l*w+i : l*w+i+8]
				for r := range d {
					var v T // 0 past the rows
					if r < rows {
						v = src[off+(i+r)*ld+l]
					}
					d[r] = v
				}
			}
		}
	}
	for ; i+4 <= cnt; i += 4 {
		s0 := src[off+i*ld : off+i*ld+kcb]
		s1 := src[off+(i+1)*ld : off+(i+1)*ld+kcb]
		s2 := src[off+(i+2)*ld : off+(i+2)*ld+kcb]
		s3 := src[off+(i+3)*ld : off+(i+3)*ld+kcb]
		s1, s2, s3 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)] // no bounds checks below
		p := unsafe.Pointer(&panel[i])
		for l, v0 := range s0 {
			d := (*[4]T)(unsafe.Add(p, uintptr(l*w)*unsafe.Sizeof(v0)))
			d[0], d[1], d[2], d[3] = v0, s1[l], s2[l], s3[l]
		}
	}
	if i == w {
		return
	}
	// The last lanes, step by step: the cnt-i < 4 rows left, then zeros.
	for l := range kcb {
		d := panel[l*w+i : l*w+w]
		for j := range d {
			var v T
			if i+j < cnt {
				v = src[off+(i+j)*ld+l]
			}
			d[j] = v
		}
	}
}

// packT8Rows is packT8 for rows < 8 source rows (lanes rows..7 get zeros): the rows are copied
// into the top of an 8-row scratch whose other rows are zero, 256 steps at a time, so that the
// last, partial group of a micro-panel (the 4 rows left of a batch of 100 in panels of 8, for one)
// is transposed by the packer too instead of element by element. k is a multiple of 8.
func packT8Rows[T Float](packT8 func(dst []T, w int, src []T, ld, k int), panel []T, w, rows, k int, src []T, ld, off int) {
	const chunk = 256
	buf := packT8Pool.Get().(*[8 * chunk]float64)
	defer packT8Pool.Put(buf)
	scratch := unsafe.Slice((*T)(unsafe.Pointer(buf)), 8*chunk)
	for l0 := 0; l0 < k; l0 += chunk {
		kb := min(chunk, k-l0)
		for r := range 8 {
			row := scratch[r*kb : (r+1)*kb]
			if r < rows {
				copy(row, src[off+r*ld+l0:off+r*ld+l0+kb])
			} else {
				clear(row)
			}
		}
		packT8(panel[l0*w:], w, scratch[:8*kb], kb, kb)
	}
}

// packT8Pool holds packT8Rows' scratch (room for 8 rows of 256 elements): an array of its own
// would escape to the heap, passed to the packer's function value, and be allocated every call.
var packT8Pool = sync.Pool{New: func() any { return new([8 * 256]float64) }}

// gemmBlocking chooses kc, mc and nc for an mr x nr micro-kernel on elements of size bytes from
// the cache sizes cpuid reports (32 KiB, 256 KiB and 4 MiB where it reports none):
//
//   - kc, the depth of a block: a B micro-panel (kc x nr) takes half of L1D, but kc is at
//     least gemmMinKC;
//   - mc, the rows of an A block: the block (mc x kc) takes half of L2; a multiple of mr;
//   - nc, the columns of a B block: the block (kc x nc) takes a quarter of L3, which the other
//     cores share; a multiple of nr.
//
// On this project's reference machine (32 KiB L1D, 1 MiB L2, 32 MiB L3) that gives, for the
// AVX-512 float32 kernel, kc = 512, mc = 250, nc = 4096.
func gemmBlocking(mr, nr, size int) (kc, mc, nc int) {
	l1, l2, l3 := cacheSizes()
	kc = clampInt(l1/2/(nr*size), 64, 1024) / 8 * 8
	kc = max(kc, gemmMinKC)
	mc = clampInt(l2/2/(kc*size), mr, 4096) / mr * mr
	nc = clampInt(l3/4/(kc*size), nr, 1<<14) / nr * nr
	return kc, mc, nc
}

// cacheSizes returns the sizes in bytes of this core's L1D and L2 and of the L3, as cpuid reads
// them, or 32 KiB, 256 KiB and 4 MiB where it cannot.
func cacheSizes() (l1, l2, l3 int) {
	l1, l2, l3 = cpuid.CPU.Cache.L1D, cpuid.CPU.Cache.L2, cpuid.CPU.Cache.L3
	if l1 <= 0 {
		l1 = 32 << 10
	}
	if l2 <= 0 {
		l2 = 256 << 10
	}
	if l3 <= 0 {
		l3 = 4 << 20
	}
	return l1, l2, l3
}

// gemmMinKC is the least depth of a block. The C tile is loaded and stored once per block, and
// below 256 that showed: on a 32 KiB L1D, where half of L1D gives kc = 128 for the 32-wide float32
// tile, kc = 96 or 128 measured 84-89 GFLOP/s against 92-97 for 256 and 384 at n = 1024. Deeper
// still, where the B micro-panel no longer fits L1D and streams from L2, the fewer passes over C
// won again on AMD Zen 4 (32 KiB L1D, 1 MiB L2; one core, medians of 7 alternating turns, kc =
// 256 -> 512): float32 AVX-512 1024^3 107.7 -> 109.5 GFLOP/s, 512^3 110.2 -> 111.9, 128 x 512 x 784
// (m x n x k) 107.4 -> 109.2, 100 x 100 x 4320 100.1 -> 101.3, 100 x 50 x 784 97.5 -> 99.0;
// float64 AVX-512 512^3 52.3 -> 53.6, 1024^3 51.1 -> 52.7; float32 AVX2 1024^3 105.5 both.
const gemmMinKC = 512

func clampInt(x, lo, hi int) int { return min(max(x, lo), hi) }

// sizeOf is the size of an element of type T in bytes.
func sizeOf[T Float](z T) int { return int(unsafe.Sizeof(z)) }

// alignedSlice returns a zeroed slice of n elements whose first element is 64-byte aligned.
func alignedSlice[T Float](n int) []T {
	var z T
	pad := 64 / sizeOf(z)
	buf := make([]T, n+pad)
	off := 0
	for uintptr(unsafe.Pointer(&buf[off]))%64 != 0 {
		off++
	}
	return buf[off : off+n : off+n]
}
