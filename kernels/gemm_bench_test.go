package kernels

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"
)

// BenchmarkGemmISA measures Gemm on every ISA path at square and MNIST-layer sizes, for
// tuning the blocking and the micro-kernels (bench/ compares with the peers).
func BenchmarkGemmISA(b *testing.B) {
	shapes := []gemmCase{
		{m: 1024, n: 1024, k: 1024}, {m: 512, n: 512, k: 512}, {m: 100, n: 50, k: 784},
		{m: 128, n: 512, k: 784}, {m: 128, n: 512, k: 512},
		{m: 784, n: 512, k: 128, transA: true}, {m: 128, n: 784, k: 512, transB: true},
		{m: 100, n: 10, k: 50}, {m: 784, n: 50, k: 100, transA: true},
	}
	for _, s := range shapes {
		s.alpha = 1
		s = s.withStrides(0, 0, 0)
		benchGemmISA[float32](b, "f32", s)
		benchGemmISA[float64](b, "f64", s)
	}
}

func benchGemmISA[T Float](b *testing.B, typ string, s gemmCase) {
	aRows, aCols, bRows, bCols := s.storage()
	r := newInput(1)
	fill := func() T { return T(r.uniform(-1, 1)) }
	a := gemmMatrix(aRows, aCols, s.lda, fill)
	bm := gemmMatrix(bRows, bCols, s.ldb, fill)
	c := make([]T, s.m*s.ldc)
	prev := ISA()
	defer SetISA(prev)
	for _, isa := range SupportedISAs() {
		name := fmt.Sprintf("%s/%dx%dx%d-%v%v/%s", typ, s.m, s.k, s.n, s.transA, s.transB, isa)
		b.Run(name, func(b *testing.B) {
			if isa == "generic" && s.m*s.n*s.k > 1<<24 {
				b.Skip("slow")
			}
			SetISA(isa)
			b.SetBytes(int64(sizeOf(T(0))) * int64(len(a)+len(bm)+len(c)))
			c0 := cpuNow()
			for b.Loop() {
				Gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, s.lda, bm, s.ldb, 0, c, s.ldc)
			}
			b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			if cpu := cpuNow() - c0; cpu > 0 {
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/cpu.Seconds()/1e9, "cpuGFLOP/s")
			}
		})
	}
}

// BenchmarkGemmSplit measures where splitting over two goroutines starts to pay: cubes of
// side n, float32, on the best ISA, serial and split (GOMAXPROCS 2, threshold forced to 1).
// gemmAsmParallel (table_amd64.go) is set from it.
func BenchmarkGemmSplit(b *testing.B) {
	best := kern[float32]().gemm
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	for _, n := range []int{32, 48, 64, 96, 128, 192, 256} {
		r := newInput(2)
		fill := func() float32 { return float32(r.uniform(-1, 1)) }
		a, bm, c := gemmMatrix(n, n, n, fill), gemmMatrix(n, n, n, fill), make([]float32, n*n)
		for _, split := range []bool{false, true} {
			g := newGemmKernel(best.name, best.mr, best.nr, best.tile, math.MaxInt)
			if split {
				g.parallel = 1
			}
			b.Run(fmt.Sprintf("%d/split=%v", n, split), func(b *testing.B) {
				for b.Loop() {
					gemmDrive(g, false, false, n, n, n, 1, a, n, bm, n, 0, c, n)
				}
				b.ReportMetric(2*float64(n*n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkGemmTile measures the micro-kernels alone, the ceiling of what the driver around them
// can reach: every tile the tables of this CPU pick (for square products, and for 50, 56, 100 and
// 8 columns), each once, multiplying 16 packed A micro-panels (packed step by step, and for the
// tiles that take it row by row too: a=steps, a=rows) by one packed B micro-panel into a tile of
// C, over and over, at depths whose panels fit L1 (64), L2 (256) and neither alone (1024).
// Comparing a tile's figure with the same kernel's in BenchmarkGemmISA shows what packing,
// blocking and the caches cost the whole product.
func BenchmarkGemmTile(b *testing.B) {
	benchGemmTile[float32](b, "f32")
	benchGemmTile[float64](b, "f64")
}

func benchGemmTile[T Float](b *testing.B, typ string) {
	var tiles []*gemmKernel[T] // each once, though several tables may pick it
	for _, t := range supported {
		o := opsOf[T](t)
		for _, s := range [][2]int{{1000, 1000}, {100, 50}, {100, 100}, {128, 512}, {16, 8}, {1000, 56}} {
			if g := o.gemmKernelFor(s[0], s[1]); !slices.Contains(tiles, g) {
				tiles = append(tiles, g)
			}
		}
	}
	for _, g := range tiles {
		for _, k := range []int{64, 256, 1024} {
			for _, rows := range []bool{false, true} {
				if rows && g.stepA {
					continue // it reads A step by step only
				}
				// A micro-panel packed step by step (rs = 1, cs = mr), or row by row as packA
				// packs an A stored so (rs = k plus a cache line, cs = 1).
				layout, ps, rs, cs := "steps", g.mr*k, 1, g.mr
				if rows {
					layout, rs, cs = "rows", k+64/sizeOf(T(0)), 1
					ps = g.mr * rs
				}
				b.Run(fmt.Sprintf("%s/%s/%dx%d/k=%d/a=%s", typ, g.name, g.mr, g.nr, k, layout), func(b *testing.B) {
					const panels = 16
					r := newInput(3)
					a := gemmMatrix(panels*ps, 1, 1, func() T { return T(r.uniform(-1, 1)) })
					bp := gemmMatrix(k, g.step(), g.step(), func() T { return T(r.uniform(-1, 1)) })
					c := make([]T, g.mr*g.nr)
					flops := 2 * float64(panels*g.mr*g.nr*k)
					b.SetBytes(int64(sizeOf(T(0))) * int64(len(a)+len(bp)))
					c0 := cpuNow()
					for b.Loop() {
						for p := range panels {
							g.tile(a[p*ps:], rs, cs, bp, c, k, g.nr, false)
						}
					}
					b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					if cpu := cpuNow() - c0; cpu > 0 {
						b.ReportMetric(flops*float64(b.N)/cpu.Seconds()/1e9, "cpuGFLOP/s")
					}
				})
			}
		}
	}
}
