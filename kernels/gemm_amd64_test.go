//go:build !purego

package kernels

import (
	"math"
	"slices"
	"testing"

	"github.com/lanesimd/lanes/asm"
)

// TestGemmPackTF32AVX2 checks the 8-row transposing packer against its Go loop, for every k
// (a multiple of 8) up to 96; TestGemmPackT16F32AVX512 the 16-row one for every k up to 100
// (checkPackT).
func TestGemmPackTF32AVX2(t *testing.T) {
	if !slices.Contains(SupportedISAs(), "avx2") {
		t.Skip("avx2: skipped (not supported here)")
	}
	checkPackT(t, 8, 8, []int{8, 10, 16, 32}, asm.GemmPackTF32AVX2)
}

func TestGemmPackT16F32AVX512(t *testing.T) {
	if !slices.Contains(SupportedISAs(), "avx512") {
		t.Skip("avx512: skipped (not supported here)")
	}
	checkPackT(t, 16, 1, []int{16, 17, 32, 64}, asm.GemmPackT16F32AVX512)
	if gemmAVX512F32.packT16 == nil || gemmAVX512PairF32.packT16 == nil || gemmAVX512WideF32.packT16 == nil {
		t.Error("an AVX-512 float32 tile packs a transposed B without the 16-row packer")
	}
}

// checkPackT checks pack, a transposing packer of rows source rows, for every k up to 100 that is a
// multiple of kStep, panel widths ws and source strides with 0, 1 and 5 elements of padding: every
// lane it owns holds the source element, the lanes past rows of every step and the guards around
// dst are untouched, and the source rows end where an unmapped page begins (k = ld on the last
// row), so that a read past them faults.
func checkPackT(t *testing.T, rows, kStep int, ws []int, pack func(dst []float32, w int, src []float32, ld, k int)) {
	r := newInput(13)
	for k := 0; k <= 100; k += kStep {
		for _, w := range ws {
			for _, pad := range []int{0, 1, 5} {
				ld := k + pad
				src := pageEnd[float32](t, (rows-1)*ld+k) // ends right after the last row's k elements
				if src == nil {
					src = make([]float32, (rows-1)*ld+k)
				}
				for i := range src {
					src[i] = float32(r.uniform(-1, 1))
				}
				n := 0
				if k > 0 {
					n = (k-1)*w + rows
				}
				dst, check := guarded[float32](n, int(r.next()%16))
				pack(dst, w, src, ld, k)
				check(t)
				for l := range k {
					for i := range w {
						idx := l*w + i
						if idx >= n {
							break
						}
						if i < rows {
							if want := src[i*ld+l]; dst[idx] != want {
								t.Fatalf("k=%d w=%d ld=%d: dst[%d] (step %d, lane %d) = %v, want src[%d] = %v", k, w, ld, idx, l, i, dst[idx], i*ld+l, want)
							}
						} else if !isGuard(dst[idx]) {
							t.Fatalf("k=%d w=%d ld=%d: lane %d of step %d written", k, w, ld, i, l)
						}
					}
				}
			}
		}
	}
}

// TestGemmWideAVX512 runs the 6 x 56 AVX-512 float32 tile through the driver on random shapes
// (with the real blocking and with tiny blocks, so that every edge and block boundary is
// crossed), against the float64 reference, and checks which widths gemmF32 gives it.
func TestGemmWideAVX512(t *testing.T) {
	useISA(t, "avx512")
	r := newInput(14)
	checkTileRandom(t, r, gemmAVX512WideF32, 600, []int{50, 55, 56, 57, 111, 112, 113})
	for _, c := range []struct {
		m, n int
		wide bool
	}{{100, 50, true}, {784, 50, true}, {1, 50, false}, {100, 100, false}, {100, 32, false}, {1024, 1024, false}, {128, 512, false}, {100, 10, false}} {
		if got := fewerCells(c.m, c.n, gemmAVX512WideF32, gemmAVX512F32); got != c.wide {
			t.Errorf("%d x %d: fewerCells = %v, want %v", c.m, c.n, got, c.wide)
		}
	}
}

// TestGemmAVX512TilesSameBits: the 10 x 32 and 6 x 56 float32 tiles sum in the same order with the
// same depth blocks, so that gemmForAVX512F32 may pick either (zmmFullWidth) without changing a
// bit of the result; and on a CPU with full-width ZMM multiply-adds it never picks 6 x 56.
func TestGemmAVX512TilesSameBits(t *testing.T) {
	useISA(t, "avx512")
	if gemmAVX512F32.kc != gemmAVX512WideF32.kc {
		t.Fatalf("depth blocks %d and %d differ", gemmAVX512F32.kc, gemmAVX512WideF32.kc)
	}
	r := newInput(15)
	for _, s := range [][3]int{{100, 50, 784}, {784, 50, 100}, {100, 100, 4320}, {37, 113, 600}} {
		m, n, k := s[0], s[1], s[2]
		a, b := make([]float32, m*k), make([]float32, k*n)
		for _, v := range [][]float32{a, b} {
			for i := range v {
				v[i] = float32(r.uniform(-1, 1))
			}
		}
		c1, c2 := make([]float32, m*n), make([]float32, m*n)
		gemmDrive(gemmAVX512F32, false, false, m, n, k, 1, a, k, b, n, 0, c1, n)
		gemmDrive(gemmAVX512WideF32, false, false, m, n, k, 1, a, k, b, n, 0, c2, n)
		if !sameBits(c1, c2) {
			t.Fatalf("%d x %d x %d: the 10 x 32 and 6 x 56 tiles give different bits", m, n, k)
		}
		if zmmFullWidth && gemmForAVX512F32(m, n) == gemmAVX512WideF32 {
			t.Errorf("%d x %d: the 6 x 56 tile picked on a CPU with full-width ZMM multiply-adds", m, n)
		}
	}
	t.Logf("full-width ZMM multiply-adds: %v", zmmFullWidth)
}

// TestGemmEdgeTiles: at the edges of C the driver runs the half-width and fewer-row tiles, which
// must give the bits of the full tile (the same operations in the same order), at every number
// of rows and columns an edge can have, overwriting and adding, with A packed and read in place;
// and edgeTile must pick a kernel that covers the edge, with fewer multiply-adds where it can.
func TestGemmEdgeTiles(t *testing.T) {
	r := newInput(16)
	for _, isa := range []string{"avx512", "avx2"} {
		if !slices.Contains(SupportedISAs(), isa) {
			t.Logf("%s: skipped (not supported here)", isa)
			continue
		}
		g32, g64 := gemmAVX512F32, gemmAVX512F64
		if isa == "avx2" {
			g32, g64 = gemmAVX2F32, gemmAVX2F64
		}
		checkEdgeTiles(t, r, isa, g32)
		checkEdgeTiles(t, r, isa, g64)
	}
}

func checkEdgeTiles[T Float](t *testing.T, r *testInput, isa string, g *gemmKernel[T]) {
	t.Helper()
	plain := newGemmKernel(g.name, g.mr, g.nr, g.tile, g.parallel)
	plain.packT8 = g.packT8
	if g.half == nil || len(g.rows) != g.mr {
		t.Fatalf("%s %T: no edge tiles", isa, T(0))
	}
	used := 0
	for em := range g.mr {
		for en := range g.nr {
			tile, rows, cols := g.edgeTile(max(em, 1), max(en, 1))
			if tile == nil || rows < max(em, 1) || cols < max(en, 1) {
				t.Fatalf("%s %T: edgeTile(%d, %d) computes only %d x %d", isa, T(0), em, en, rows, cols)
			}
			if rows*cols < g.mr*g.nr {
				used++
			}
			if en > 0 && en <= g.nr/2 && rows*cols >= g.mr*g.nr {
				t.Fatalf("%s %T: edgeTile(%d, %d) is the full tile", isa, T(0), em, en)
			}
			m, n := 2*g.mr+em, g.nr+en
			for _, k := range []int{1, 7, 300} {
				for _, trans := range []bool{false, true} {
					a, b := make([]T, m*k), make([]T, k*n)
					for _, v := range [][]T{a, b} {
						for i := range v {
							v[i] = T(r.uniform(-1, 1))
						}
					}
					lda := k
					if trans {
						lda = m
					}
					for _, beta := range []T{0, 1} {
						c1, c2 := make([]T, m*n), make([]T, m*n)
						for i := range c1 {
							c1[i] = T(r.uniform(-1, 1))
							c2[i] = c1[i]
						}
						gemmDrive(g, trans, false, m, n, k, 1, a, lda, b, n, beta, c1, n)
						gemmDrive(plain, trans, false, m, n, k, 1, a, lda, b, n, beta, c2, n)
						if !sameBits(c1, c2) {
							t.Fatalf("%s %T: %d x %d x %d, transA %v, beta %v: the edge tiles change the bits", isa, T(0), m, n, k, trans, beta)
						}
					}
				}
			}
		}
	}
	t.Logf("%s %T: %d of %d edge shapes on a smaller tile", isa, T(0), used, g.mr*g.nr)
}

// TestGemmPackRowsAVX512 checks the AVX-512 row packers (B's, of the tiles' width, and A's, of
// their 10 rows) against packRows, the Go loop they replace, for every width 0..3 micro-panels
// wide and several depths and source strides: every
// element of the micro-panels (the zeros past the row included) and nothing around them is
// written, with the last row of the source ending where an unmapped page begins.
func TestGemmPackRowsAVX512(t *testing.T) {
	if !slices.Contains(SupportedISAs(), "avx512") {
		t.Skip("avx512: skipped (not supported here)")
	}
	checkPackRows(t, gemmAVX512F32.nr, gemmAVX512F32.packBRows)
	checkPackRows(t, gemmAVX512F64.nr, gemmAVX512F64.packBRows)
	checkPackRows(t, gemmAVX512F32.mr, gemmAVX512F32.packAT)
	checkPackRows(t, gemmAVX512F64.mr, gemmAVX512F64.packAT)
	checkPackRows(t, gemmAVX512PairF32.mr, gemmAVX512PairF32.packAT)
}

// TestGemmPackRowsAVX2 checks the AVX2 tiles' row copies (B stored row by row, A stored
// transposed) against packRows, as TestGemmPackRowsAVX512 does the AVX-512 ones.
func TestGemmPackRowsAVX2(t *testing.T) {
	if !slices.Contains(SupportedISAs(), "avx2") {
		t.Skip("avx2: skipped (not supported here)")
	}
	checkPackRows(t, gemmAVX2F32.nr, gemmAVX2F32.packBRows)
	checkPackRows(t, gemmAVX2F64.nr, gemmAVX2F64.packBRows)
	checkPackRows(t, gemmAVX2F32.mr, gemmAVX2F32.packAT)
	checkPackRows(t, gemmAVX2F64.mr, gemmAVX2F64.packAT)
}

func checkPackRows[T Float](t *testing.T, w int, pack func(dst, src []T, ld, cnt, k int)) {
	r := newInput(17)
	for cnt := 0; cnt <= 3*w+1; cnt++ {
		for _, k := range []int{0, 1, 2, 5, 33} {
			for _, pad := range []int{0, 1, 7} {
				ld := cnt + pad
				src := packSource[T](t, r, k, cnt, ld)
				size := (cnt + w - 1) / w * w * k
				want := make([]T, size)
				for i := range want {
					want[i] = T(r.uniform(5, 6)) // packRows must overwrite every element
				}
				packRows(want, w, cnt, k, src, ld, 0, 1)
				got, check := guarded[T](size, int(r.next()%16))
				pack(got, src, ld, cnt, k)
				check(t)
				if !sameBits(got, want) {
					t.Fatalf("%T w=%d cnt=%d k=%d ld=%d: the packed panels differ from packRows'", T(0), w, cnt, k, ld)
				}
			}
		}
	}
}

// TestGemmPairAVX512 runs the 8 x 50 AVX-512 float32 tile through the driver on random shapes
// (with the real blocking and with tiny blocks, so that every edge and block boundary is
// crossed, A and B in every storage), against the float64 reference; checks that it gives the
// bits of the 10 x 32 tile, whose operations it performs in the same order; and which shapes
// gemmForAVX512F32 gives it.
func TestGemmPairAVX512(t *testing.T) {
	useISA(t, "avx512")
	r := newInput(18)
	checkTileRandom(t, r, gemmAVX512PairF32, 800, []int{49, 50, 51, 99, 100, 101, 150, 8, 16, 24})
	if gemmAVX512F32.kc != gemmAVX512PairF32.kc {
		t.Fatalf("depth blocks %d and %d differ", gemmAVX512F32.kc, gemmAVX512PairF32.kc)
	}
	for _, s := range []struct {
		m, n, k      int
		transA, pair bool
	}{{100, 50, 784, false, true}, {784, 50, 100, true, true}, {4320, 100, 100, true, true}, {100, 100, 4320, false, true}, {37, 113, 600, false, false}, {16, 50, 300, false, true}, {9, 50, 300, false, false}} {
		a, b := make([]float32, s.m*s.k), make([]float32, s.k*s.n)
		for _, v := range [][]float32{a, b} {
			for i := range v {
				v[i] = float32(r.uniform(-1, 1))
			}
		}
		lda := s.k
		if s.transA {
			lda = s.m
		}
		for _, beta := range []float32{0, 1} {
			c1, c2 := make([]float32, s.m*s.n), make([]float32, s.m*s.n)
			for i := range c1 {
				c1[i] = float32(r.uniform(-1, 1))
				c2[i] = c1[i]
			}
			gemmDrive(gemmAVX512F32, s.transA, false, s.m, s.n, s.k, 1, a, lda, b, s.n, beta, c1, s.n)
			gemmDrive(gemmAVX512PairF32, s.transA, false, s.m, s.n, s.k, 1, a, lda, b, s.n, beta, c2, s.n)
			if !sameBits(c1, c2) {
				t.Fatalf("%d x %d x %d, transA %v, beta %v: the 10 x 32 and 8 x 50 tiles give different bits", s.m, s.n, s.k, s.transA, beta)
			}
		}
		if got := gemmForAVX512F32(s.m, s.n) == gemmAVX512PairF32; got != s.pair {
			t.Errorf("%d x %d: the 8 x 50 tile picked: %v, want %v", s.m, s.n, got, s.pair)
		}
	}
}

// TestGemmPackPairAVX512 checks the 8 x 50 tile's B packer against packRows and spreadPanel, its Go
// loop, for every width 0..50 and several depths and strides, with guards around dst and the last
// row of the source ending where an unmapped page begins (so that a read of column 48 or 49 of a
// row that does not have it faults).
func TestGemmPackPairAVX512(t *testing.T) {
	if !slices.Contains(SupportedISAs(), "avx512") {
		t.Skip("avx512: skipped (not supported here)")
	}
	r := newInput(19)
	for cnt := 0; cnt <= 50; cnt++ {
		for _, k := range []int{0, 1, 3, 17} {
			for _, pad := range []int{0, 1, 9} {
				ld := cnt + pad
				src := packSource[float32](t, r, k, cnt, ld)
				want := make([]float32, 64*k)
				packRows(want, 64, cnt, k, src, ld, 0, 1)
				spreadPanel(want, 64, 50, k)
				got, check := guarded[float32](64*k, int(r.next()%16))
				asm.GemmPackPairF32AVX512(got, src, ld, cnt, k)
				check(t)
				if !sameBits(got, want) {
					t.Fatalf("cnt=%d k=%d ld=%d: the packed panel differs from the Go loop's", cnt, k, ld)
				}
			}
		}
	}
}

// packSource returns the k x cnt source of a packer test, rows ld apart, random, its last row
// ending where an unmapped page begins.
func packSource[T Float](t *testing.T, r *testInput, k, cnt, ld int) []T {
	n := 0
	if k > 0 {
		n = (k-1)*ld + cnt
	}
	src := make([]T, n)
	if pe := pageEnd[T](t, n); pe != nil && n > 0 {
		src = pe
	}
	for i := range src {
		src[i] = T(r.uniform(-1, 1))
	}
	return src
}

// checkTileRandom runs the float32 tile g through the driver on cases random shapes from gemmDims
// and dims (every other one with tiny blocks, so that every edge and block boundary is crossed),
// against the float64 reference.
func checkTileRandom(t *testing.T, r *testInput, g0 *gemmKernel[float32], cases int, dims []int) {
	t.Helper()
	dims = append(dims, gemmDims...)
	for it := range cases {
		g := g0
		if it%2 == 1 {
			g = smallBlocks(g, 1+it%7, 1+it%3, 1+it%2)
		}
		checkGemmCase(t, r, randomGemmCase(r, dims), func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
			if m > 0 && n > 0 {
				gemmDrive(g, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			}
		})
	}
}

// TestGemmMaskedAVX512 checks GemmF32AVX512Masked against GemmF32AVX512, whose operations it
// performs in the same order: for every cols 1..32, overwriting and adding, C's first cols columns
// of each of the 10 rows get the plain tile's bits; every other element of C (the columns past
// cols up to ldc, the guards around it) is left alone; where ldc = cols, C's last row ends where an
// unmapped page begins, so that a store or load past cols faults.
func TestGemmMaskedAVX512(t *testing.T) {
	if !slices.Contains(SupportedISAs(), "avx512") {
		t.Skip("avx512: skipped (not supported here)")
	}
	const mr, nr = asm.GemmF32AVX512Rows, asm.GemmF32AVX512Cols
	r := newInput(41)
	ran := 0
	for cols := 1; cols <= nr; cols++ {
		for _, k := range []int{0, 1, 5, 33} {
			for _, pad := range []int{0, 3} {
				ldc := cols + pad
				a := make([]float32, mr*max(k, 1))
				b := make([]float32, k*nr)
				for _, v := range [][]float32{a, b} {
					for i := range v {
						v[i] = float32(r.uniform(-1, 1))
					}
				}
				for _, add := range []bool{false, true} {
					n := (mr-1)*ldc + cols
					c, check := guarded[float32](n, int(r.next()%16))
					if pe := pageEnd[float32](t, n); pe != nil && pad == 0 { // else guards
						c, check = pe, func(*testing.T) {}
					}
					for i := range c {
						c[i] = float32(r.uniform(-1, 1))
					}
					c0 := slices.Clone(c)
					want := make([]float32, mr*nr)
					for i := range mr {
						copy(want[i*nr:i*nr+cols], c0[i*ldc:i*ldc+cols])
					}
					asm.GemmF32AVX512(a, max(k, 1), 1, b, want, k, nr, add)
					asm.GemmF32AVX512Masked(a, max(k, 1), 1, b, c, k, ldc, add, cols)
					check(t)
					for i := range c {
						row, j := i/ldc, i%ldc
						exp := c0[i]
						if j < cols {
							exp = want[row*nr+j]
						}
						if math.Float32bits(c[i]) != math.Float32bits(exp) {
							t.Fatalf("cols %d, k %d, ldc %d, add %v: C[%d][%d] = %v, want %v", cols, k, ldc, add, row, j, c[i], exp)
						}
					}
					ran++
				}
			}
		}
	}
	t.Logf("%d masked tiles checked", ran)
}
