package bench

import (
	"slices"
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// The backward kernels of the activations (kernels/grad.go), dx = dy·f'(v), on every ISA path
// this machine supports (the generic path is the pure-Go reference), float32 and float64, at 64K
// elements (the nn layer of the issue, in L2) and 1M (through memory). dy is uniform in [-1, 1),
// v in the row's range (Sigmoid's and Tanh's outputs for SigmoidGrad and TanhGrad). Each reports
// Gelem/s; SetBytes counts the bytes of dy, v and dx.
//
//	go test -run '^$' -bench 'Grads' -benchtime 0.3s ./bench/

// gradRow is one kernel of BenchmarkGrads: its name, the range of v, and its float32 and float64
// forms (dx, dy, v).
type gradRow struct {
	name   string
	lo, hi float64
	f32    func(dx, dy, v []float32)
	f64    func(dx, dy, v []float64)
}

var gradRows = []gradRow{
	{"SigmoidGrad", 0, 1, kernels.SigmoidGrad[float32], kernels.SigmoidGrad[float64]},
	{"TanhGrad", -1, 1, kernels.TanhGrad[float32], kernels.TanhGrad[float64]},
	{"SoftplusGrad", -10, 10, kernels.SoftplusGrad[float32], kernels.SoftplusGrad[float64]},
	{"GELUGrad", -10, 10, kernels.GELUGrad[float32], kernels.GELUGrad[float64]},
	{"ReLUGrad", -5, 5, kernels.ReLUGrad[float32], kernels.ReLUGrad[float64]},
	{"LeakyReLUGrad", -5, 5,
		func(dx, dy, x []float32) { kernels.LeakyReLUGrad(0.01, dx, dy, x) },
		func(dx, dy, x []float64) { kernels.LeakyReLUGrad(0.01, dx, dy, x) }},
	{"ELUGrad", -10, 5,
		func(dx, dy, x []float32) { kernels.ELUGrad(1, dx, dy, x) },
		func(dx, dy, x []float64) { kernels.ELUGrad(1, dx, dy, x) }},
	{"SiLUGrad", -10, 10, kernels.SiLUGrad[float32], kernels.SiLUGrad[float64]},
	{"GELUTanhGrad", -10, 10, kernels.GELUTanhGrad[float32], kernels.GELUTanhGrad[float64]},
}

var gradSizes = []struct {
	name string
	n    int
}{{"64K", 1 << 16}, {"1M", 1 << 20}}

// BenchmarkGrads times every row of gradRows: <row>/F32|F64/lanes-<isa>/<size>.
func BenchmarkGrads(b *testing.B) {
	for _, r := range gradRows {
		b.Run(r.name+"/F32", func(b *testing.B) {
			perISA(b, func(b *testing.B) { gradAt(b, r.lo, r.hi, r.f32) })
		})
		b.Run(r.name+"/F64", func(b *testing.B) {
			perISA(b, func(b *testing.B) { gradAt(b, r.lo, r.hi, r.f64) })
		})
	}
}

// gradAt times kernel at every length of gradSizes, out of place.
func gradAt[T kernels.Float](b *testing.B, lo, hi float64, kernel func(dx, dy, v []T)) {
	for _, s := range gradSizes {
		dy, v, dx := input[T](s.n, -1, 1), input[T](s.n, lo, hi), make([]T, s.n)
		slices.Reverse(v) // input draws by n alone: v's order differs from dy's
		b.Run(s.name, func(b *testing.B) { run(b, s.n, 3*sizeOf[T](), func() { kernel(dx, dy, v) }) })
	}
}
