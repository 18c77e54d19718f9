package kernels

import (
	"math"
	"runtime"
	"testing"
)

// Tests of the blocked loops (gemm_blocks.go) and the packers (gemm_pack.go): block boundaries,
// tiny blocks, operands read in place, B streamed, packCols.

// TestGemmBlockBoundaries crosses the kc, mc and nc blocks of the real blocking (the sizes
// are read from the active descriptor), on every ISA path.
func TestGemmBlockBoundaries(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(8)
		k32, k64 := kern[float32]().gemm, kern[float64]().gemm
		t.Logf("float32 %dx%d kc=%d mc=%d nc=%d; float64 %dx%d kc=%d mc=%d nc=%d",
			k32.mr, k32.nr, k32.kc, k32.mc, k32.nc, k64.mr, k64.nr, k64.kc, k64.mc, k64.nc)
		shapes := func(kc, mc, nc int) []gemmCase {
			return []gemmCase{
				{m: 7, n: 19, k: kc + 1}, {m: 17, n: 33, k: 2*kc + 3, transA: true, alpha: -0.75, beta: 0.5},
				{m: mc + 5, n: 9, k: 21, transB: true}, {m: 2*mc + 1, n: 3, k: kc + 7, transA: true, transB: true, beta: 1},
				{m: 3, n: nc + 11, k: 5}, {m: 5, n: nc + 3, k: kc + 2, transB: true, alpha: 2.5, beta: 1},
			}
		}
		for _, g := range shapes(k32.kc, k32.mc, k32.nc) {
			if g.alpha == 0 {
				g.alpha = 1
			}
			checkGemmCase(t, r, g.withStrides(1, 3, 2), Gemm[float32])
		}
		for _, g := range shapes(k64.kc, k64.mc, k64.nc) {
			if g.alpha == 0 {
				g.alpha = 1
			}
			checkGemmCase(t, r, g.withStrides(2, 0, 1), Gemm[float64])
		}
	})
}

// smallBlocks returns a copy of g's micro-kernel with tiny blocks (and parallel from the
// smallest product on), so that random shapes of a few dozen cross many blocks of each level.
func smallBlocks[T Float](g *gemmKernel[T], kc, mcTiles, ncTiles int) *gemmKernel[T] {
	s := newGemmKernel(g.name, g.mr, g.nr, g.tile, 1)
	s.gemmAids = g.gemmAids
	s.kc, s.mc, s.nc = kc, mcTiles*g.mr, ncTiles*g.nr
	return s
}

// TestGemmSmallBlocks runs the driver with tiny kc, mc and nc on random shapes, serially and
// split over goroutines.
func TestGemmSmallBlocks(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(9)
		for _, procs := range []int{1, 3} {
			old := runtime.GOMAXPROCS(procs)
			for it := range 200 {
				kc, mt, nt := 1+it%7, 1+it%3, 1+it%2
				g32, g64 := smallBlocks(kern[float32]().gemm, kc, mt, nt), smallBlocks(kern[float64]().gemm, kc, mt, nt)
				g := randomGemmCase(r, gemmDims)
				checkGemmCase(t, r, g, func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
					checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
					if m > 0 && n > 0 {
						gemmDrive(g32, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					}
				})
				checkGemmCase(t, r, g, func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
					checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
					if m > 0 && n > 0 {
						gemmDrive(g64, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					}
				})
			}
			runtime.GOMAXPROCS(old)
		}
	})
}

// TestGemmInPlaceA covers the driver's reading of A where it is stored (readAInPlace): shapes
// of at most four micro-panels of columns with alpha 1, A plain and transposed, with full and
// partial micro-panels of rows, several kc blocks, and strides that spread over the L1 sets (and,
// transposed, whose depth block of rows fits in a quarter of any L2 of 256 KiB or more); it checks
// that they take that path and match the reference, on every ISA path. It also checks the cases
// that must pack: alpha other than 1, wide C, strides of a multiple of 4 KiB, and a transposed A
// whose depth block of rows spans more than a quarter of this CPU's L2 (and that such a product,
// a layer's weight gradient of 4320 x 100, matches the reference packed).
func TestGemmInPlaceA(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(12)
		g32, g64 := kern[float32]().gemm, kern[float64]().gemm
		// Past two blocks of rows, with the first stride from there (lda = m+1) that spreads the
		// steps over the L1 sets for both element types (where 17 columns are read in place).
		tall := 2*g32.mc + 9
		spreads := func(g *gemmKernel[float32], h *gemmKernel[float64]) bool {
			return (17 > 4*g.nr || readAInPlace(g.mr, g.nr, float32(1), true, tall+1, 13, 17, 4)) &&
				(17 > 4*h.nr || readAInPlace(h.mr, h.nr, float64(1), true, tall+1, 13, 17, 8))
		}
		for !spreads(g32, g64) {
			tall++
		}
		for _, g := range []gemmCase{
			{m: 100, n: 50, k: 784}, {m: 70, n: 50, k: 100, transA: true},
			{m: 37, n: 9, k: 2*g32.kc + 5, beta: 1}, {m: 68, n: 33, k: 29, transA: true, beta: -1.5},
			{m: tall, n: 17, k: 13, transA: true, transB: true},
		} {
			g.alpha = 1
			g = g.withStrides(1, 2, 3)
			_, aCols, _, _ := g.storage()
			if g.n <= 4*g32.nr && !readAInPlace(g32.mr, g32.nr, float32(1), g.transA, aCols+1, balance(g.k, g32.kc, 8), g.n, 4) {
				t.Fatalf("%v: float32 A is packed, want it read in place", g)
			}
			checkGemmCase(t, r, g, Gemm[float32])
			if g.n <= 4*g64.nr && !readAInPlace(g64.mr, g64.nr, float64(1), g.transA, aCols+1, balance(g.k, g64.kc, 8), g.n, 8) {
				t.Fatalf("%v: float64 A is packed, want it read in place", g)
			}
			checkGemmCase(t, r, g, Gemm[float64])
		}
		wide := gemmL2/4096*2 + 1 // lda for which 256 rows of float32 span more than L2/2
		for _, c := range []struct {
			alpha       float32
			transA      bool
			lda, kc, nc int
		}{{2, false, 785, 64, 8}, {1, false, 785, 64, 4*g32.nr + 1}, {1, false, 1024, 64, 8}, {1, false, 2048, 64, 8},
			{1, true, wide, 256, 8}} {
			if readAInPlace(g32.mr, g32.nr, c.alpha, c.transA, c.lda, c.kc, c.nc, 4) {
				t.Fatalf("alpha %v, transposed %v, lda %d, kc %d, %d columns: A read in place, want it packed", c.alpha, c.transA, c.lda, c.kc, c.nc)
			}
		}
		g := gemmCase{m: 4320, n: 100, k: 100, transA: true, alpha: 1}.withStrides(1, 2, 3)
		if readAInPlace(g32.mr, g32.nr, float32(1), true, g.lda, balance(g.k, g32.kc, 8), g.n, 4) && gemmL2 < 2*g.lda*104*4 {
			t.Fatalf("%v: A read in place, want it packed", g)
		}
		checkGemmCase(t, r, g, Gemm[float32])
	})
}

// TestGemmInPlaceB: a B that already lies as one packed micro-panel (not transposed, ldb = nr,
// n <= nr) is read where it lies, with the same result as packed; columns past n, which the
// micro-kernel then reads, hold NaN and must not reach C.
func TestGemmInPlaceB(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(13)
		testGemmInPlaceB(t, r, kern[float32]().gemm)
		testGemmInPlaceB(t, r, kern[float64]().gemm)
	})
}

func testGemmInPlaceB[T Float](t *testing.T, r *testInput, g *gemmKernel[T]) {
	nr := g.nr
	for _, c := range []gemmCase{
		{m: 26, n: nr, k: 576}, {m: 7, n: nr, k: 2*g.kc + 3, transA: true, beta: 1},
		{m: 2*g.mc + 3, n: nr - 1, k: 33, alpha: -2, beta: 0.5}, {m: 1 + g.mr, n: 1, k: g.kc + 1},
	} {
		if c.alpha == 0 {
			c.alpha = 1
		}
		c = c.withStrides(1, 0, 2)
		c.ldb = nr
		if !readBInPlace(nr, false, c.n, c.k, nr, c.k*nr) || readBInPlace(nr, true, c.n, c.k, nr, c.k*nr) ||
			readBInPlace(nr, false, c.n, c.k, nr, c.k*nr-1) || readBInPlace(nr, false, nr+1, c.k, nr, c.k*nr) {
			t.Fatalf("%v: readBInPlace does not take exactly the whole untransposed single panels", c)
		}
		aRows, aCols, _, _ := c.storage()
		a := gemmMatrix(aRows, aCols, c.lda, func() T { return T(r.uniform(-1, 1)) })
		b := make([]T, c.k*nr)           // a whole last row: read in place
		packed := make([]T, c.k*(c.n+1)) // a stride other than nr: packed
		for i := range b {
			if i%nr < c.n {
				b[i] = T(r.uniform(-1, 1))
				packed[i/nr*(c.n+1)+i%nr] = b[i]
			} else {
				b[i] = T(math.NaN())
			}
		}
		c0 := gemmMatrix(c.m, c.n, c.ldc, func() T { return T(r.uniform(-1, 1)) })
		want, got := append([]T(nil), c0...), append([]T(nil), c0...)
		Gemm(c.transA, false, c.m, c.n, c.k, T(c.alpha), a, c.lda, packed, c.n+1, T(c.beta), want, c.ldc)
		Gemm(c.transA, false, c.m, c.n, c.k, T(c.alpha), a, c.lda, b, nr, T(c.beta), got, c.ldc)
		if !sameBits(want, got) {
			t.Fatalf("%v: B read in place gives another C than B packed", c)
		}
	}
}

// TestGemmStreamB checks gemmSerial's streamed B (one block of rows, B packed a chunk of micro-panels
// at a time, here two) against the float64 reference and bit for bit against the whole-block
// packing, on every ISA path: chunks whole and partial, both transposes, A in place (alpha 1, at
// most four micro-panels of columns) and packed, beta 0 and not, and Linear's epilogue.
func TestGemmStreamB(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		old := runtime.GOMAXPROCS(1)
		defer runtime.GOMAXPROCS(old)
		testGemmStreamB(t, kern[float32]())
		testGemmStreamB(t, kern[float64]())
	})
}

func testGemmStreamB[T Float](t *testing.T, o *ops[T]) {
	base := o.gemm
	variant := func(bytes int) *gemmKernel[T] {
		v := newGemmKernel(base.name, base.mr, base.nr, base.tile, base.parallel)
		v.gemmAids = base.gemmAids
		v.streamBytes, v.streamRowsBytes = bytes, bytes
		return v
	}
	streamed, whole := variant(1), variant(0)
	// run returns a gemmFunc that multiplies on kernel g and keeps a copy of C in out.
	run := func(g *gemmKernel[T], out *[]T) gemmFunc[T] {
		return func(tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
			gemmDrive(g, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			*out = append([]T(nil), c...)
		}
	}
	linear := func(g *gemmKernel[T], out *[]T) linearFunc[T] {
		return func(y, x, w, bias []T, m, n, k int, act Activation) {
			epi := gemmEpilogue[T]{bias: bias, act: o.activation("Linear", act), axpy: o.axpy}
			gemmDriveEpi(g, false, false, m, n, k, 1, x, k, w, n, 0, y, n, epi)
			*out = append([]T(nil), y...)
		}
	}
	before, cases := gemmStreams.Load(), int64(0)
	seed := uint64(40)
	for _, m := range []int{2, base.mr + 3, 3 * base.mr} {
		for _, n := range []int{2*base.nr + 5, 5*base.nr + 7} {
			for _, k := range []int{9, 70, base.kc + 9} {
				for tr := range 4 {
					seed++
					g := gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: m, n: n, k: k, alpha: 1}
					if seed%3 == 0 {
						g.alpha, g.beta = 2.5, 0.5
					}
					g = g.withStrides(int(seed%3), int(seed%5), int(seed%2))
					var got, want []T
					checkGemmCase(t, newInput(seed), g, run(streamed, &got))
					checkGemmCase(t, newInput(seed), g, run(whole, &want))
					if !sameBits(got, want) {
						t.Fatalf("%s %v: streamed B gives other bits than B packed whole", base.name, g)
					}
					cases++
				}
				act := allActivations[int(seed)%len(allActivations)]
				var got, want []T
				checkLinear(t, newInput(seed), m, n, k, act, true, linear(streamed, &got))
				checkLinear(t, newInput(seed), m, n, k, act, true, linear(whole, &want))
				if !sameBits(got, want) {
					t.Fatalf("%s m, n, k = %d, %d, %d, %v: Linear with streamed B gives other bits than B packed whole", base.name, m, n, k, act)
				}
				cases++
			}
		}
	}
	if got := gemmStreams.Load() - before; got < cases {
		t.Errorf("%s: B was streamed in %d row blocks, want at least one in each of the %d products", base.name, got, cases)
	}
}

// TestPackCols checks packCols, with the transposing packers of each ISA path's float32 and float64
// kernels, against its definition: lane i < cnt of step l is src[off+i*ld+l], the lanes cnt..w-1
// are 0 (the panel starts full of NaN), for panel widths 8 to 64, every count of rows up to the
// width (whole groups of 16 and 8, partial ones padded with zero rows), depths around multiples of
// 8 and past packT8Rows' chunks of 256, and padded strides, the source ending at an unmapped page.
func TestPackCols(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		testPackCols(t, kern[float32]().gemm)
		testPackCols(t, kern[float64]().gemm)
	})
}

func testPackCols[T Float](t *testing.T, g *gemmKernel[T]) {
	r := newInput(51)
	for _, w := range []int{8, 16, 32, 64} {
		for cnt := 1; cnt <= w; cnt++ {
			for _, kcb := range []int{1, 7, 8, 9, 100, 263, 520} {
				if w > 16 && cnt%3 != 0 && kcb > 100 {
					continue // keep the long depths to a third of the counts
				}
				ld := kcb + int(r.next()%3)
				off := int(r.next() % 5)
				n := off + (cnt-1)*ld + kcb
				src := pageEnd[T](t, n)
				if src == nil {
					src = make([]T, n)
				}
				for i := range src {
					src[i] = T(r.uniform(-1, 1))
				}
				panel := make([]T, kcb*w)
				for i := range panel {
					panel[i] = T(math.NaN())
				}
				packCols(g, panel, w, cnt, kcb, src, ld, off)
				for l := range kcb {
					for i := range w {
						var want T
						if i < cnt {
							want = src[off+i*ld+l]
						}
						if got := panel[l*w+i]; got != want {
							t.Fatalf("%s w=%d cnt=%d kcb=%d ld=%d off=%d: step %d, lane %d = %v, want %v", g.name, w, cnt, kcb, ld, off, l, i, got, want)
						}
					}
				}
			}
		}
	}
}
