package bench

import (
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// The activations of modern networks (kernels/activation.go) on every ISA path this machine
// supports, float32 and float64, at 1K (in L1) and 1M elements (through memory), on the inputs
// of their PyTorch peers (bench/peers/activations_torch.py prints PyTorch's rates on the same
// inputs): uniform in [-10, 10), (0, 10] for Log. One row per kernel in activationRows; each
// reports Gelem/s, and SetBytes counts the input bytes.
//
//	go test -run '^$' -bench 'Activations' -benchtime 0.3s ./bench/
//	/usr/bin/python3 bench/peers/activations_torch.py

// activationRow is one kernel of BenchmarkActivations: its name (the sub-benchmark), the range
// of its inputs, and its float32 and float64 forms (dst, src); f64 may be nil.
type activationRow struct {
	name   string
	lo, hi float64
	f32    func(dst, src []float32)
	f64    func(dst, src []float64)
}

// activationRows are the kernels BenchmarkActivations times. ELU takes alpha 1, LeakyReLU
// slope 0.01 and LogSoftmax rows of 1024, as the PyTorch peers.
var activationRows = []activationRow{
	{"SiLU", -10, 10, kernels.SiLU[float32], kernels.SiLU[float64]},
	{"ELU", -10, 10,
		func(dst, src []float32) { kernels.ELU(1, dst, src) },
		func(dst, src []float64) { kernels.ELU(1, dst, src) }},
	{"LeakyReLU", -10, 10,
		func(dst, src []float32) { kernels.LeakyReLU(0.01, dst, src) },
		func(dst, src []float64) { kernels.LeakyReLU(0.01, dst, src) }},
	{"GELUTanh", -10, 10, kernels.GELUTanh[float32], kernels.GELUTanh[float64]},
	{"GELU", -10, 10, kernels.GELU[float32], kernels.GELU[float64]},
	{"Softplus", -10, 10, kernels.Softplus[float32], kernels.Softplus[float64]},
	// (0, 10]: input draws lo + (hi-lo)·u with u in [0, 1).
	{"Log", 10, 0, kernels.Log[float32], kernels.Log[float64]},
	{"LogSoftmax", -10, 10,
		func(dst, src []float32) { kernels.LogSoftmax(dst, src, 1024) },
		func(dst, src []float64) { kernels.LogSoftmax(dst, src, 1024) }},
}

// activationSizes are the lengths of BenchmarkActivations.
var activationSizes = []struct {
	name string
	n    int
}{{"1K", 1 << 10}, {"1M", 1 << 20}}

// BenchmarkActivations times every row of activationRows: <row>/F32|F64/lanes-<isa>/<size>.
func BenchmarkActivations(b *testing.B) {
	for _, r := range activationRows {
		b.Run(r.name+"/F32", func(b *testing.B) {
			perISA(b, func(b *testing.B) { activationAt(b, r.lo, r.hi, r.f32) })
		})
		if r.f64 != nil {
			b.Run(r.name+"/F64", func(b *testing.B) {
				perISA(b, func(b *testing.B) { activationAt(b, r.lo, r.hi, r.f64) })
			})
		}
	}
}

// activationAt times kernel at every length of activationSizes, from src into dst (no aliasing).
func activationAt[T kernels.Float](b *testing.B, lo, hi float64, kernel func(dst, src []T)) {
	for _, s := range activationSizes {
		src, dst := input[T](s.n, lo, hi), make([]T, s.n)
		b.Run(s.name, func(b *testing.B) { run(b, s.n, sizeOf[T](), func() { kernel(dst, src) }) })
	}
}
