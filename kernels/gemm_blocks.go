package kernels

import "sync/atomic"

// The blocked loops of one goroutine (the layout comment in gemm_driver.go describes them): the
// depth, row and column blocks, where each operand is read from (packed or in place), B streamed
// a chunk at a time when C's rows fit one block, and the tiles of each block.

// gemmStreams counts the row blocks multiplied with B streamed (tests check that it ran).
var gemmStreams atomic.Int64

// gemmSerial runs the blocked loops of the layout comment on one goroutine: C (+)= alpha *
// op(A) * op(B), adding to C when add is set and overwriting it otherwise. Each mc x nc block of
// C gets the epilogue epi right after its last depth block, while it is still in cache.
func gemmSerial[T Float](g *gemmKernel[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, add bool, c []T, ldc int, epi gemmEpilogue[T]) {
	// Blocks of (nearly) equal size, so that no block is a thin remainder; depth blocks of a
	// multiple of 8 steps, which the 8-row transposing packers move whole.
	kc := balance(k, g.kc, 8)
	mc := balance(m, g.mc, g.mr)
	nc := balance(n, g.nc, g.nr)
	var z T
	s := g.scratch((mc+g.mr-1)/g.mr*g.mr*(kc+64/sizeOf(z)), kc*((nc+g.nr-1)/g.nr*g.step()))
	defer g.pool.Put(s)
	for jc := 0; jc < n; jc += nc {
		ncb := min(nc, n-jc)
		// A kernel that reads A step by step (stepA) takes it in place only when it is stored so.
		direct := readAInPlace(g.mr, g.nr, alpha, transA, lda, kc, ncb, sizeOf(z)) && (transA || !g.stepA)
		for pc := 0; pc < k; pc += kc {
			kcb := min(kc, k-pc)
			bp, finite := s.b, false
			inPlaceB := g.step() == g.nr && readBInPlace(g.nr, transB, n, k, ldb, len(b))
			// With one block of rows, each packed B block meets A once: B is then packed a chunk
			// of micro-panels at a time, each chunk multiplied right after, while it is in L1 or
			// L2, instead of the whole kc x nc block being written out to L3 and read back. A B
			// stored transposed, whose packing reads it across its rows anyway, goes two micro-
			// panels at a time, or as many as fill L1D: Gemm(false, true, 100, 4320, 100, ...), the
			// input gradient of a Dense(4320, 100) layer, went from 63 to 73 GFLOP/s so on a 2 MiB
			// L2. A B stored row by row goes in chunks of a quarter of L2, so that its packing
			// still reads long runs of each row: in chunks of two micro-panels, the Keras MLP's
			// 128 x 784 x 512 product ran no faster and its packing took longer.
			budget := g.streamBytes
			if !transB {
				budget = g.streamRowsBytes
			}
			chunk := g.nr * max(2, budget/(kcb*g.step()*sizeOf(z)))
			stream := budget > 0 && m <= mc && !inPlaceB && ncb > chunk
			switch {
			case inPlaceB:
				bp = b[pc*ldb : (pc+kcb)*ldb]
			case !stream:
				finite = packB(g, transB, b, ldb, pc, jc, kcb, ncb, s.b)
			}
			gb := g.forB(finite) // the kernel for this B block, unless B is streamed
			addBlock := add || pc > 0
			finish := pc+kcb == k && epi.active()
			for ic := 0; ic < m; ic += mc {
				mcb := min(mc, m-ic)
				// The A block: full micro-panels from ad, ps apart with strides rs, cs (packed, or
				// A in place), a last partial one from tail with strides trs, tcs.
				var ad, tail []T
				var ps, rs, cs, trs, tcs int
				if direct {
					// Full micro-panels are read from A in place; only a last partial one is packed.
					full := mcb / g.mr * g.mr
					off := ic*lda + pc
					ps, rs, cs = g.mr*lda, lda, 1
					if transA {
						off, ps, rs, cs = pc*lda+ic, g.mr, 1, lda
					}
					ad, tail = a[off:], s.a
					if full < mcb {
						_, trs, tcs = packA(g, transA, alpha, a, lda, ic+full, pc, mcb-full, kcb, s.a)
					}
				} else {
					ps, rs, cs = packA(g, transA, alpha, a, lda, ic, pc, mcb, kcb, s.a)
					ad, tail, trs, tcs = s.a, s.a[mcb/g.mr*ps:], rs, cs
				}
				if stream {
					gemmStreams.Add(1)
					for jr := 0; jr < ncb; jr += chunk {
						w := min(chunk, ncb-jr)
						finite := packB(g, transB, b, ldb, pc, jc+jr, kcb, w, s.b)
						gemmMacro(g.forB(finite), s, ad, ps, rs, cs, tail, trs, tcs, s.b, mcb, w, kcb, c[ic*ldc+jc+jr:], ldc, addBlock)
					}
				} else {
					gemmMacro(gb, s, ad, ps, rs, cs, tail, trs, tcs, bp, mcb, ncb, kcb, c[ic*ldc+jc:], ldc, addBlock)
				}
				if finish {
					epi.apply(c, ic*ldc+jc, ldc, mcb, ncb, jc)
				}
			}
		}
	}
}

// forB returns the kernel for a B block that its packer found to hold no Inf or NaN (finite) or
// not: g's twin that passes over the all-zero steps of A (skip), where g has one and the block is
// finite, else g. Leaving out a·b for a = +0 then changes no sum but for the sign of a zero; a B
// element that is Inf or NaN would have made it NaN.
func (g *gemmKernel[T]) forB(finite bool) *gemmKernel[T] {
	if g.skip == nil || !finite {
		return g
	}
	gemmSkips.Add(1)
	return g.skip
}

// gemmSkips counts the B blocks given to a skipping twin (tests check that it ran).
var gemmSkips atomic.Int64

// readAInPlace reports whether the driver should let the micro-kernel read the full micro-panels of
// A where A is stored, with its own strides, instead of packing them: when alpha is 1 (packing
// would scale), when the block of C has at most four micro-panels of columns (so each A panel is
// read at most four times from where it lies, and packing it, a read and a write of all of A, does
// not pay for itself, as in a neural network's layer of 50 units), when the stride of A spreads
// the rows of a micro-panel (A not transposed) or its successive steps (A transposed) over at least
// 16 of the 64 sets of a 32 KiB 8-way L1D, so that they do not evict one another (a stride of a
// multiple of 4 KiB would put them all in one set), and, for A transposed, when the kc rows of A
// that the micro-panels of a depth block read (kc*lda elements) fit in half of L2. Each
// micro-panel then reads a piece of mr elements from every one of those rows, a cache line shared
// with the next micro-panels, so the lines must stay in L2 from one to the next while the tiles of
// C stream through the rest; past that, packing the block, one sequential read of each row, is
// faster: on a 2 MiB L2, Gemm(true, false, 4320, 100, 100, ...) ran at 76 GFLOP/s in place and 96
// packed, Gemm(true, false, 784, 50, 100, ...) at 93 in place and 79 packed; on Zen 4's 1 MiB L2,
// where that product's 313 KB of rows were packed while the bound was a quarter of L2, at 102 in
// place and 88 packed (medians of 5 alternating turns).
func readAInPlace[T Float](mr, nr int, alpha T, transA bool, lda, kc, ncb, size int) bool {
	if alpha != 1 || ncb > 4*nr {
		return false
	}
	if transA && kc*lda*size > gemmL2/2 {
		return false
	}
	lines := lda * size / 64 % 64 // the stride in cache lines, modulo the 64 sets
	if lda*size%64 != 0 {
		lines++ // a stride between whole lines moves to the next set at least as often
	}
	g := 64
	for x := lines; x != 0; g, x = x, g%x {
	}
	return lines != 0 && 64/g >= 16 && mr <= 64/g
}

// gemmL1 and gemmL2 are the sizes of this core's L1D and L2 in bytes (see cacheSizes).
var gemmL1, gemmL2, _ = cacheSizes()

// readBInPlace reports whether B, not transposed, already has the layout of one packed micro-panel,
// so that the micro-kernel may read it where it lies: its n columns fit in one panel of nr, its
// rows are nr elements apart, and the slice holds all k of them whole (the columns past n, which
// the kernel reads too, only reach the columns of C past n, which an edge tile leaves out).
func readBInPlace(nr int, transB bool, n, k, ldb, lenB int) bool {
	return !transB && n <= nr && ldb == nr && lenB >= k*ldb
}

// gemmMacro multiplies the A block (mcb x kcb) by the packed B block b (kcb x ncb) into the
// mcb x ncb block of C at c, tile by tile. Full micro-panels of A are taken from ad, ps
// elements apart, element (i, l) of each at i*rs+l*cs; a last partial micro-panel (rows past
// mcb zero) is taken from tail with strides trs, tcs. The A block may be packed (ad = tail's
// buffer) or A itself, read in place.
func gemmMacro[T Float](g *gemmKernel[T], s *gemmScratch[T], ad []T, ps, rs, cs int, tail []T, trs, tcs int, b []T, mcb, ncb, kcb int, c []T, ldc int, add bool) {
	mr, nr := g.mr, g.nr
	for jr := 0; jr < ncb; jr += nr {
		nrb := min(nr, ncb-jr)
		bp := b[jr/nr*g.step()*kcb : (jr/nr+1)*g.step()*kcb]
		for ir := 0; ir < mcb; ir += mr {
			mrb := min(mr, mcb-ir)
			ap, rs, cs := ad[ir/mr*ps:], rs, cs
			if mrb < mr {
				ap, rs, cs = tail, trs, tcs
			}
			if mrb == mr && nrb == nr {
				g.tile(ap, rs, cs, bp, c[ir*ldc+jr:], kcb, ldc, add)
				continue
			}
			// An edge tile: on the smallest kernel that covers it, into C where that kernel's tile
			// is exactly the part inside C, or with the columns masked where all its rows are (and
			// more than half its columns: else half and a copy cost fewer multiply-adds), else into
			// the scratch tile and then copied into C.
			tile, rows, cols := g.edgeTile(mrb, nrb)
			if rows == mrb && cols == nrb {
				tile(ap, rs, cs, bp, c[ir*ldc+jr:], kcb, ldc, add)
				continue
			}
			if g.masked != nil && mrb == mr && (g.half == nil || nrb > nr/2) {
				g.masked(ap, rs, cs, bp, c[ir*ldc+jr:], kcb, ldc, add, nrb)
				continue
			}
			tile(ap, rs, cs, bp, s.tile, kcb, nr, false)
			for i := range mrb {
				src := s.tile[i*nr : i*nr+nrb]
				dst := c[(ir+i)*ldc+jr : (ir+i)*ldc+jr+nrb]
				if add {
					for j, v := range src {
						dst[j] += v
					}
				} else {
					copy(dst, src)
				}
			}
		}
	}
}

// balance splits n into ceil(n/block) nearly equal blocks and returns the block size, rounded
// up to a multiple of unit (so it may exceed block by less than unit).
func balance(n, block, unit int) int {
	if n <= block {
		return n
	}
	blocks := (n + block - 1) / block
	size := (n + blocks - 1) / blocks
	return (size + unit - 1) / unit * unit
}
