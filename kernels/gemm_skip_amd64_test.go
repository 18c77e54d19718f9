//go:build !purego

package kernels

import (
	"math"
	"slices"
	"testing"

	"github.com/lanesimd/lanes/asm"
)

// skipPattern fills the steps of an A micro-panel (8 elements a step, cs apart) for the skipping
// pair kernels' tests: random values, with the steps that zero(l) picks all +0, and -0 in one
// element of the steps that negZero(l) picks (which the kernels must not skip).
func skipPattern(r *testInput, k, cs int, zero, negZero func(l int) bool) []float32 {
	a := make([]float32, max(0, (k-1)*cs+8))
	for l := range k {
		for i := range 8 {
			v := float32(r.uniform(-1, 1))
			if zero(l) {
				v = 0
			}
			a[l*cs+i] = v
		}
		if negZero(l) {
			a[l*cs+3] = float32(math.Copysign(0, -1))
		}
	}
	return a
}

// TestGemmPairSkipAVX512 checks GemmPairSkipF32AVX512 and its R4 variant against the plain pair
// kernels, on depths around the probe (8 steps) and the chunk (1024 steps), A packed (cs = 8) or
// in place (cs = 13), with no, some, most and all steps all +0, and -0 in others. B holds a NaN
// in every step whose A is all +0: where the probe finds such a step among the first 8, the kernel
// must pass over all of them (the result is the plain kernel's with those B steps 0: the NaNs stay
// out); where it finds none, it must run every step (the NaNs come in, as from the plain kernel).
func TestGemmPairSkipAVX512(t *testing.T) {
	if !slices.Contains(SupportedISAs(), "avx512") {
		t.Skip("avx512: skipped (not supported here)")
	}
	r := newInput(23)
	nan := float32(math.NaN())
	kernels := []struct {
		rows        int
		plain, skip func(a []float32, rs, cs int, b, c []float32, k, ldc int, add bool)
	}{
		{8, asm.GemmPairF32AVX512, asm.GemmPairSkipF32AVX512},
		{4, asm.GemmPairF32AVX512R4, asm.GemmPairSkipF32AVX512R4},
	}
	patterns := []struct {
		name string
		zero func(k, l int) bool
	}{
		{"dense", func(k, l int) bool { return false }},
		{"all zero", func(k, l int) bool { return true }},
		{"every third", func(k, l int) bool { return l%3 == 1 }},
		{"most", func(k, l int) bool { return l%5 != 0 }},
		{"after the first steps", func(k, l int) bool { return l >= probeLen && l%2 == 0 }},
		{"one probed step", func(k, l int) bool { return l == probeStep(k, probeLen/2) }},
		{"one step past the probe", func(k, l int) bool { return l == probeStep(k, probeLen/2)+1 }},
		{"random", func(k, l int) bool { return (uint(l)*0x9e3779b9>>7)%3 != 0 }},
	}
	ran := 0
	for _, kr := range kernels {
		for _, k := range []int{0, 1, 7, 8, 9, 100, 1023, 1024, 1025, 2100} {
			for _, cs := range []int{8, 13} {
				for _, p := range patterns {
					zero := func(l int) bool { return p.zero(k, l) }
					negZero := func(l int) bool { return !zero(l) && l%7 == 2 }
					a := skipPattern(r, k, cs, zero, negZero)
					b, bz := make([]float32, 64*k), make([]float32, 64*k)
					for i := range b {
						b[i] = float32(r.uniform(-1, 1))
						bz[i] = b[i]
						if zero(i / 64) {
							b[i], bz[i] = nan, 0
						}
					}
					sparse := false
					for i := range probeLen {
						sparse = sparse || k >= probeLen && zero(probeStep(k, i))
					}
					want := bz
					if !sparse {
						want = b
					}
					for _, add := range []bool{false, true} {
						ldc := 50 + int(r.next()%5)
						got, exp := make([]float32, 8*ldc), make([]float32, 8*ldc)
						for i := range got {
							got[i] = float32(r.uniform(-1, 1))
							exp[i] = got[i]
						}
						kr.skip(a, 1, cs, b, got, k, ldc, add)
						kr.plain(a, 1, cs, want, exp, k, ldc, add)
						if !sameBits(got, exp) {
							t.Fatalf("rows %d, k %d, cs %d, %s, add %v (probe finds a zero step: %v): differs from the plain kernel",
								kr.rows, k, cs, p.name, add, sparse)
						}
						ran++
					}
				}
			}
		}
	}
	t.Logf("%d products checked", ran)
}

// probeLen is the number of steps the skipping kernels probe.
const probeLen = asm.GemmPairSkipF32AVX512Probe

// probeStep is the i-th step the skipping kernels probe on a depth of k >= probeLen: spread
// evenly over the depth, k/probeLen apart from step 0.
func probeStep(k, i int) int { return i * (k / probeLen) }

// TestGemmSkipDriver runs products whose A is mostly zero, as the pixels of MNIST are, through
// Gemm on AVX-512 where the 8 x 50 tile takes them: against the float64 reference (checkGemmCase,
// A in both storages), counting the B blocks the driver gives the skipping tile; and with an Inf
// in B at a step where A is all zero, which must still make NaN of every element of its column,
// as the reference's 0·Inf does.
func TestGemmSkipDriver(t *testing.T) {
	useISA(t, "avx512")
	r := newInput(29)
	before := gemmSkips.Load()
	for _, s := range []struct{ m, n, k int }{{100, 50, 784}, {784, 50, 100}, {37, 49, 300}, {16, 100, 2000}} {
		for _, transA := range []bool{false, true} {
			g := gemmCase{m: s.m, n: s.n, k: s.k, transA: transA, alpha: 1, beta: 0}.withStrides(0, 0, 0)
			if gemmForAVX512F32(s.m, s.n) != gemmAVX512PairF32 {
				t.Fatalf("%v: not the 8 x 50 tile", g)
			}
			sparseA := func() float32 { // 4 in 5 zero, in runs
				if r.next()%5 != 0 {
					return 0
				}
				return float32(r.uniform(0, 1))
			}
			checkGemmCaseFill(t, r, g, Gemm[float32], sparseA)
		}
	}
	if got := gemmSkips.Load() - before; got == 0 {
		t.Fatalf("no B block went to the skipping tile")
	} else {
		t.Logf("%d B blocks went to the skipping tile", got)
	}

	// Inf in B where A's column is all zero.
	m, n, k := 64, 50, 300
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	for i := range a {
		if l := i % k; l%4 == 3 {
			a[i] = float32(r.uniform(0, 1))
		}
	}
	for i := range b {
		b[i] = float32(r.uniform(-1, 1))
	}
	j := 17
	b[(k/2)*n+j] = float32(math.Inf(1)) // step k/2 is all zero in A
	Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
	for idx, v := range c {
		if isNaN := v != v; isNaN != (idx%n == j) {
			t.Fatalf("Inf at B(%d,%d), A zero there: C[%d][%d] = %v", k/2, j, idx/n, idx%n, v)
		}
	}
}

// TestGemmPackPairFinite checks the finite result of the 8 x 50 tile's B packer: false exactly
// when an element it copies is Inf or NaN (those past cnt, which it does not copy, do not count).
func TestGemmPackPairFinite(t *testing.T) {
	if !slices.Contains(SupportedISAs(), "avx512") {
		t.Skip("avx512: skipped (not supported here)")
	}
	r := newInput(31)
	bad := []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.MaxFloat32}
	for _, cnt := range []int{0, 1, 16, 47, 48, 49, 50} {
		for _, k := range []int{0, 1, 5} {
			ld := cnt + 3
			for _, v := range bad {
				for _, at := range []int{-1, 0, cnt - 1, cnt, ld - 1} { // -1: nowhere
					src := make([]float32, max(0, k*ld))
					for i := range src {
						src[i] = float32(r.uniform(-1, 1))
					}
					want := true
					if at >= 0 && k > 0 && at < ld {
						src[(k-1)*ld+at] = v
						copied := at < cnt
						want = !copied || !(math.IsInf(float64(v), 0) || v != v)
					}
					got := asm.GemmPackPairF32AVX512(make([]float32, 64*k), src, ld, cnt, k)
					if got != want {
						t.Fatalf("cnt %d, k %d, %v at column %d of the last row: finite = %v, want %v", cnt, k, v, at, got, want)
					}
				}
			}
		}
	}
}

// TestGemmSparseRoute checks that Gemm on AVX-512 gives a product whose tile would be the 10 x 32
// one to the 8 x 50 tile and its skipping twin when A is mostly zero in whole steps (as a batch of
// MNIST images is: the Keras MLP's first layer and its weight gradient), and the result against
// the float64 reference; and that a dense A, a B stored transposed (whose packing does not check
// for Inf and NaN) or a shallow product keeps the 10 x 32 tile. The rows kernel, which takes
// most such products first (gemm_rows.go), is left out of the table for the test.
func TestGemmSparseRoute(t *testing.T) {
	useISA(t, "avx512")
	rows := avx512Table.f32.gemmRows
	avx512Table.f32.gemmRows = nil
	t.Cleanup(func() { avx512Table.f32.gemmRows = rows })
	r := newInput(37)
	for _, c := range []struct {
		m, n, k        int
		transA, transB bool
		sparse, routed bool
	}{
		{128, 512, 784, false, false, true, true},
		{784, 512, 128, true, false, true, true},
		{72, 96, 200, false, false, true, true},
		{72, 96, 200, true, false, true, true},
		{128, 512, 784, false, false, false, false}, // dense
		{128, 512, 784, false, true, true, false},   // B transposed
		{128, 512, sparseMinDepth - 1, false, false, true, false},
		{128, 32, 784, false, false, true, false}, // narrower than the 8 x 50 tile
	} {
		g := gemmCase{m: c.m, n: c.n, k: c.k, transA: c.transA, transB: c.transB, alpha: 1, beta: 0}.withStrides(0, 0, 0)
		if gemmForAVX512F32(c.m, c.n) != gemmAVX512F32 {
			t.Fatalf("%v: gemmFor does not pick the 10 x 32 tile", g)
		}
		var fill func() float32
		if c.sparse {
			// Two steps in three all zero, half the elements of the others.
			idx := 0
			fill = func() float32 {
				l := idx % c.k
				if c.transA {
					l = idx / c.m
				}
				idx++
				if l%3 != 0 || r.next()%2 == 0 {
					return 0
				}
				return float32(r.uniform(0, 1))
			}
		}
		routes, skips := gemmSparseRoutes.Load(), gemmSkips.Load()
		checkGemmCaseFill(t, r, g, Gemm[float32], fill)
		gotRoute, gotSkip := gemmSparseRoutes.Load() > routes, gemmSkips.Load() > skips
		if gotRoute != c.routed || gotSkip != c.routed {
			t.Errorf("%v, sparse A %v: routed to the 8 x 50 tile %v, skipping tile ran %v; want %v", g, c.sparse, gotRoute, gotSkip, c.routed)
		}
	}
}
