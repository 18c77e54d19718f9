package bench

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// The element-wise kernels and the reductions against Go: every kernel runs on every ISA path
// this machine supports (sub-benchmarks lanes-<isa>, switched with kernels.SetISA) and beside a
// plain Go loop over Go's math package (sub-benchmark math or go) in the same run, at a short
// length, at 1K and at 1M elements. Each reports Gelem/s; SetBytes counts the input bytes.
//
//	go test -run '^$' -bench . ./bench/

// sizes are the slice lengths of every benchmark: 16 and 256, where the cost of a call shows,
// 1K, which stays in L1, and 1M, which streams through memory.
var sizes = []struct {
	name string
	n    int
}{{"16", 16}, {"256", 256}, {"1K", 1 << 10}, {"1M", 1 << 20}}

// shortSizes are the lengths of the float32 exp and sigmoid benchmarks: also 24 and 32, whose
// tails are masked or overlapped (they should run near the speed of 16 and 256), then sizes.
var shortSizes = append([]struct {
	name string
	n    int
}{{"24", 24}, {"32", 32}}, sizes...)

// softmaxCols is the row length of the softmax benchmarks.
const softmaxCols = 1024

// input returns n values uniform in [lo, hi), the same ones on every run.
func input[T kernels.Float](n int, lo, hi float64) []T {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	s := make([]T, n)
	for i := range s {
		s[i] = T(lo + (hi-lo)*r.Float64())
	}
	return s
}

// perISA runs f as a sub-benchmark lanes-<isa> for every supported ISA, with that ISA active,
// and restores the ISA in use before.
func perISA(b *testing.B, f func(b *testing.B)) {
	prev := kernels.ISA()
	defer kernels.SetISA(prev)
	for _, isa := range kernels.SupportedISAs() {
		b.Run("lanes-"+isa, func(b *testing.B) {
			if err := kernels.SetISA(isa); err != nil {
				b.Fatal(err)
			}
			defer kernels.SetISA(prev)
			f(b)
		})
	}
}

// run times op over n elements of size bytes each and reports Gelem/s.
func run(b *testing.B, n, size int, op func()) {
	b.SetBytes(int64(n * size))
	b.ResetTimer()
	for b.Loop() {
		op()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
}

func sizeOf[T kernels.Float]() int {
	var z T
	if any(z) == any(float32(0)) {
		return 4
	}
	return 8
}

// elementwise benchmarks kernel (dst, src) on every ISA against peer, a Go loop, named peerName.
func elementwise[T kernels.Float](b *testing.B, lo, hi float64, kernel func(dst, src []T), peerName string, peer func(dst, src []T)) {
	elementwiseAt(b, sizes, lo, hi, kernel, peerName, peer)
}

// elementwiseAt is elementwise at the given sizes.
func elementwiseAt[T kernels.Float](b *testing.B, sizes []struct {
	name string
	n    int
}, lo, hi float64, kernel func(dst, src []T), peerName string, peer func(dst, src []T)) {
	each := func(b *testing.B, f func(dst, src []T)) {
		for _, s := range sizes {
			src, dst := input[T](s.n, lo, hi), make([]T, s.n)
			b.Run(s.name, func(b *testing.B) { run(b, s.n, sizeOf[T](), func() { f(dst, src) }) })
		}
	}
	perISA(b, func(b *testing.B) { each(b, kernel) })
	b.Run(peerName, func(b *testing.B) { each(b, peer) })
}

func BenchmarkExpF32(b *testing.B) {
	elementwiseAt(b, shortSizes, -10, 10, kernels.Exp[float32], "math", func(dst, src []float32) {
		for i, x := range src {
			dst[i] = float32(math.Exp(float64(x)))
		}
	})
}

func BenchmarkExpF64(b *testing.B) {
	elementwise(b, -10, 10, kernels.Exp[float64], "math", func(dst, src []float64) {
		for i, x := range src {
			dst[i] = math.Exp(x)
		}
	})
}

func BenchmarkSigmoidF32(b *testing.B) {
	elementwiseAt(b, shortSizes, -10, 10, kernels.Sigmoid[float32], "math", func(dst, src []float32) {
		for i, x := range src {
			dst[i] = float32(1 / (1 + math.Exp(-float64(x))))
		}
	})
}

func BenchmarkSigmoidF64(b *testing.B) {
	elementwise(b, -10, 10, kernels.Sigmoid[float64], "math", func(dst, src []float64) {
		for i, x := range src {
			dst[i] = 1 / (1 + math.Exp(-x))
		}
	})
}

func BenchmarkTanhF32(b *testing.B) {
	elementwise(b, -5, 5, kernels.Tanh[float32], "math", func(dst, src []float32) {
		for i, x := range src {
			dst[i] = float32(math.Tanh(float64(x)))
		}
	})
}

func BenchmarkTanhF64(b *testing.B) {
	elementwise(b, -5, 5, kernels.Tanh[float64], "math", func(dst, src []float64) {
		for i, x := range src {
			dst[i] = math.Tanh(x)
		}
	})
}

func BenchmarkReLUF32(b *testing.B) {
	elementwise(b, -1, 1, kernels.ReLU[float32], "go", func(dst, src []float32) {
		for i, x := range src {
			dst[i] = max(x, 0)
		}
	})
}

// softmaxGo is the peer of Softmax: per row, subtract the maximum, exponentiate with math.Exp,
// divide by the sum.
func softmaxGo[T kernels.Float](dst, src []T, cols int) {
	for r := 0; r < len(src); r += cols {
		row, out := src[r:r+cols], dst[r:r+cols]
		m := row[0]
		for _, x := range row {
			m = max(m, x)
		}
		var s float64
		for i, x := range row {
			e := math.Exp(float64(x - m))
			out[i] = T(e)
			s += e
		}
		inv := T(1 / s)
		for i := range out {
			out[i] *= inv
		}
	}
}

// softmax benchmarks Softmax over rows of softmaxCols: one row, and 1024 rows (1M elements).
func softmax[T kernels.Float](b *testing.B) {
	each := func(b *testing.B, f func(dst, src []T, cols int)) {
		for _, s := range []struct {
			name string
			n    int
		}{{"1K", softmaxCols}, {"1M", 1 << 20}} {
			src, dst := input[T](s.n, -10, 10), make([]T, s.n)
			b.Run(s.name, func(b *testing.B) {
				run(b, s.n, sizeOf[T](), func() { f(dst, src, softmaxCols) })
			})
		}
	}
	perISA(b, func(b *testing.B) { each(b, kernels.Softmax[T]) })
	b.Run("math", func(b *testing.B) { each(b, softmaxGo[T]) })
}

func BenchmarkSoftmaxF32(b *testing.B) { softmax[float32](b) }
func BenchmarkSoftmaxF64(b *testing.B) { softmax[float64](b) }

// sink keeps the results of the reductions alive.
var sink float32

func BenchmarkDotF32(b *testing.B) {
	each := func(b *testing.B, f func(x, y []float32) float32) {
		for _, s := range sizes {
			x, y := input[float32](s.n, -1, 1), input[float32](s.n+1, -1, 1)[:s.n]
			b.Run(s.name, func(b *testing.B) { run(b, s.n, 8, func() { sink += f(x, y) }) })
		}
	}
	perISA(b, func(b *testing.B) { each(b, kernels.Dot[float32]) })
	b.Run("go", func(b *testing.B) {
		each(b, func(x, y []float32) float32 {
			var s float32
			for i, v := range x {
				s += v * y[i]
			}
			return s
		})
	})
}

func BenchmarkSumF32(b *testing.B) {
	each := func(b *testing.B, f func(x []float32) float32) {
		for _, s := range sizes {
			x := input[float32](s.n, -1, 1)
			b.Run(s.name, func(b *testing.B) { run(b, s.n, 4, func() { sink += f(x) }) })
		}
	}
	perISA(b, func(b *testing.B) { each(b, kernels.Sum[float32]) })
	b.Run("go", func(b *testing.B) {
		each(b, func(x []float32) float32 {
			var s float32
			for _, v := range x {
				s += v
			}
			return s
		})
	})
}

func BenchmarkStepF32(b *testing.B) {
	elementwise(b, -1, 1, kernels.Step[float32], "go", func(dst, src []float32) {
		for i, x := range src {
			if x > 0 {
				dst[i] = 1
			} else {
				dst[i] = 0
			}
		}
	})
}

func BenchmarkScaleF32(b *testing.B) {
	elementwise(b, -1, 1, func(dst, src []float32) { kernels.Scale(1.5, dst, src) }, "go", func(dst, src []float32) {
		for i, x := range src {
			dst[i] = 1.5 * x
		}
	})
}

// BenchmarkAxpyF32 measures y += alpha*x; SetBytes counts x and y.
func BenchmarkAxpyF32(b *testing.B) {
	each := func(b *testing.B, f func(alpha float32, x, y []float32)) {
		for _, s := range sizes {
			x, y := input[float32](s.n, -1, 1), input[float32](s.n+1, -1, 1)[:s.n]
			b.Run(s.name, func(b *testing.B) { run(b, s.n, 8, func() { f(1e-3, x, y) }) })
		}
	}
	perISA(b, func(b *testing.B) { each(b, kernels.Axpy[float32]) })
	b.Run("go", func(b *testing.B) {
		each(b, func(alpha float32, x, y []float32) {
			for i, v := range x {
				y[i] += alpha * v
			}
		})
	})
}

func BenchmarkMaxF32(b *testing.B) {
	each := func(b *testing.B, f func(x []float32) float32) {
		for _, s := range sizes {
			x := input[float32](s.n, -1, 1)
			b.Run(s.name, func(b *testing.B) { run(b, s.n, 4, func() { sink += f(x) }) })
		}
	}
	perISA(b, func(b *testing.B) { each(b, kernels.Max[float32]) })
	b.Run("go", func(b *testing.B) {
		each(b, func(x []float32) float32 {
			m := float32(math.Inf(-1))
			for _, v := range x {
				m = max(m, v)
			}
			return m
		})
	})
}

// BenchmarkDivUint8F32 measures bytes to float32, b/255 (MNIST's pixels in [0, 1]), on a row of
// one MNIST image and on 1M bytes; SetBytes counts the input bytes. The peer is the Go loop.
func BenchmarkDivUint8F32(b *testing.B) {
	each := func(b *testing.B, f func(dst []float32, src []uint8)) {
		for _, s := range []struct {
			name string
			n    int
		}{{"784", 784}, {"1M", 1 << 20}} {
			src, dst := make([]uint8, s.n), make([]float32, s.n)
			for i := range src {
				src[i] = uint8(i * 7)
			}
			b.Run(s.name, func(b *testing.B) { run(b, s.n, 1, func() { f(dst, src) }) })
		}
	}
	perISA(b, func(b *testing.B) { each(b, func(dst []float32, src []uint8) { kernels.DivUint8(dst, src, 255) }) })
	b.Run("go", func(b *testing.B) {
		each(b, func(dst []float32, src []uint8) {
			for i, v := range src {
				dst[i] = float32(v) / 255
			}
		})
	})
}
