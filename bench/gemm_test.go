package bench_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"

	"github.com/lanesimd/lanes/kernels"
	"github.com/lanesimd/lanes/kernels/gonumblas"
)

// gemmShape is one benchmarked product C = op(A)*op(B): C is m x n, op(A) m x k, op(B) k x n.
// With transA, A is stored k x m; with transB, B is stored n x k.
type gemmShape struct {
	m, k, n        int
	transA, transB bool
}

func (s gemmShape) String() string {
	t := func(b bool) string {
		if b {
			return "T"
		}
		return "N"
	}
	return fmt.Sprintf("%dx%dx%d-%s%s", s.m, s.k, s.n, t(s.transA), t(s.transB))
}

func (s gemmShape) flops() float64 { return 2 * float64(s.m) * float64(s.n) * float64(s.k) }

// gemmShapes are the benchmarked products, named m x k x n: square ones, the layer shapes of
// a small MNIST network (batch 100 or 128, 784 inputs, hidden widths 512 and 50), including the
// transposed products of backpropagation, and a tiny one where fixed costs show.
var gemmShapes = []gemmShape{
	{m: 256, k: 256, n: 256},
	{m: 512, k: 512, n: 512},
	{m: 1024, k: 1024, n: 1024},
	// The book net's Dense(784, 50) on a batch of 100: forward and weight gradient.
	{m: 100, k: 784, n: 50},
	{m: 784, k: 100, n: 50, transA: true},
	{m: 128, k: 784, n: 512},
	{m: 128, k: 512, n: 512},
	{m: 784, k: 128, n: 512, transA: true},
	{m: 128, k: 512, n: 784, transB: true},
	{m: 100, k: 50, n: 10},
	// SimpleConvNet's Dense(4320, 100) on a batch of 100: forward, weight gradient, input gradient.
	{m: 100, k: 4320, n: 100},
	{m: 4320, k: 100, n: 100, transA: true},
	{m: 100, k: 100, n: 4320, transB: true},
	// A layer of 30 units, and 30 channels over the 576 positions of a 5x5 convolution of a 28x28
	// image: C 30 columns wide, its last tile of columns partial on every row.
	{m: 100, k: 784, n: 30},
	{m: 576, k: 26, n: 30, transA: true},
}

// gemmOperands holds the row-major operands of one shape, densely packed.
type gemmOperands[T float32 | float64] struct {
	gemmShape
	a, b, c       []T
	lda, ldb, ldc int
}

func newGemmOperands[T float32 | float64](s gemmShape, seed uint64) gemmOperands[T] {
	rng := rand.New(rand.NewPCG(seed, uint64(s.m*s.k*s.n)))
	fill := func(n int) []T {
		x := make([]T, n)
		for i := range x {
			x[i] = T(rng.Float64()*2 - 1)
		}
		return x
	}
	o := gemmOperands[T]{gemmShape: s, a: fill(s.m * s.k), b: fill(s.k * s.n), c: fill(s.m * s.n)}
	o.lda, o.ldb, o.ldc = s.k, s.n, s.n
	if s.transA {
		o.lda = s.m
	}
	if s.transB {
		o.ldb = s.k
	}
	return o
}

func blasTrans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// gemmPeer is one way of computing C = op(A)*op(B) (alpha 1, beta 0) into o.c.
type gemmPeer struct {
	name  string
	isa   string       // lanes ISA to select first; "" leaves it
	use   blas.Float64 // blas64 implementation to install first; nil leaves it
	use32 blas.Float32 // blas32 implementation to install first; nil leaves it
	run   func()       // one product
}

// gemmPeers lists the peers for o: lanes' kernels.Gemm on every supported ISA, gonum's
// Sgemm/Dgemm, and gonum's high-level entry points with gonum's BLAS and with lanes' adapter
// installed: gonum/mat's Dense.Mul for float64, blas32.Gemm for float32 (gonum/mat has no
// float32 matrices).
func gemmPeers[T float32 | float64](o gemmOperands[T]) []gemmPeer {
	var peers []gemmPeer
	for _, isa := range kernels.SupportedISAs() {
		peers = append(peers, gemmPeer{name: "lanes-" + isa, isa: isa, run: func() {
			kernels.Gemm(o.transA, o.transB, o.m, o.n, o.k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc)
		}})
	}
	tA, tB := blasTrans(o.transA), blasTrans(o.transB)
	switch a := any(o.a).(type) {
	case []float32:
		b, c := any(o.b).([]float32), any(o.c).([]float32)
		peers = append(peers, gemmPeer{name: "gonum-sgemm", run: func() {
			gonum.Implementation{}.Sgemm(tA, tB, o.m, o.n, o.k, 1, a, o.lda, b, o.ldb, 0, c, o.ldc)
		}})
		ga := blas32.General{Rows: o.m, Cols: o.k, Stride: o.lda, Data: a}
		if o.transA {
			ga.Rows, ga.Cols = o.k, o.m
		}
		gb := blas32.General{Rows: o.k, Cols: o.n, Stride: o.ldb, Data: b}
		if o.transB {
			gb.Rows, gb.Cols = o.n, o.k
		}
		gc := blas32.General{Rows: o.m, Cols: o.n, Stride: o.ldc, Data: c}
		gemm := func() { blas32.Gemm(tA, tB, 1, ga, gb, 0, gc) }
		best := kernels.SupportedISAs()[0]
		peers = append(peers,
			gemmPeer{name: "blas32-gonum", use32: gonum.Implementation{}, run: gemm},
			gemmPeer{name: "blas32-lanes-" + best, isa: best, use32: gonumblas.Implementation{}, run: gemm})
	case []float64:
		b, c := any(o.b).([]float64), any(o.c).([]float64)
		peers = append(peers, gemmPeer{name: "gonum-dgemm", run: func() {
			gonum.Implementation{}.Dgemm(tA, tB, o.m, o.n, o.k, 1, a, o.lda, b, o.ldb, 0, c, o.ldc)
		}})

		// gonum/mat views over the same data; the product lands in c.
		var ma, mb mat.Matrix
		if o.transA {
			ma = mat.NewDense(o.k, o.m, a).T()
		} else {
			ma = mat.NewDense(o.m, o.k, a)
		}
		if o.transB {
			mb = mat.NewDense(o.n, o.k, b).T()
		} else {
			mb = mat.NewDense(o.k, o.n, b)
		}
		mc := mat.NewDense(o.m, o.n, c)
		mul := func() { mc.Mul(ma, mb) }
		best := kernels.SupportedISAs()[0]
		peers = append(peers,
			gemmPeer{name: "mat-gonum", use: gonum.Implementation{}, run: mul},
			gemmPeer{name: "mat-lanes-" + best, isa: best, use: gonumblas.Implementation{}, run: mul})
	}
	return peers
}

// selectPeer installs what p needs and returns the function that puts the previous state back.
func (p gemmPeer) selectPeer(tb testing.TB) func() {
	oldISA, oldBLAS, oldBLAS32 := kernels.ISA(), blas64.Implementation(), blas32.Implementation()
	if p.isa != "" {
		if err := kernels.SetISA(p.isa); err != nil {
			tb.Fatal(err)
		}
	}
	if p.use != nil {
		blas64.Use(p.use)
	}
	if p.use32 != nil {
		blas32.Use(p.use32)
	}
	return func() {
		blas64.Use(oldBLAS)
		blas32.Use(oldBLAS32)
		if err := kernels.SetISA(oldISA); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkGemm compares, in one run, C = op(A)*op(B) by lanes (each ISA), by gonum's BLAS,
// and by gonum/mat's Dense.Mul (float64) or blas32.Gemm (float32) with and without lanes'
// adapter. One
// iteration of the largest shape takes seconds on the pure-Go path; -benchtime 1x bounds it.
func BenchmarkGemm(b *testing.B) {
	for _, s := range gemmShapes {
		benchGemm[float32](b, "f32", s)
		benchGemm[float64](b, "f64", s)
	}
}

func benchGemm[T float32 | float64](b *testing.B, typ string, s gemmShape) {
	o := newGemmOperands[T](s, 1)
	var zero T
	elem := int64(4)
	if _, ok := any(zero).(float64); ok {
		elem = 8
	}
	for _, p := range gemmPeers(o) {
		b.Run(fmt.Sprintf("%s/%v/%s", typ, s, p.name), func(b *testing.B) {
			defer p.selectPeer(b)()
			b.SetBytes(elem * int64(s.m*s.k+s.k*s.n+s.m*s.n))
			p.run() // warm up (packing buffers, caches), so that -benchtime Nx measures the steady state
			b.ResetTimer()
			for range b.N {
				p.run()
			}
			b.ReportMetric(s.flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// TestGemmPeers checks the benchmark wiring: every peer of BenchmarkGemm computes the same
// product, within a rounding bound, for every shape but the 1024-cubed one (the same code as the
// 512-cubed one, and tens of seconds on the pure-Go path; 512 cubed is left out by -short). The
// reference is gonum's Dgemm in float64 on the same data; the bound per element is
// 2*k*eps*sum_l |op(A)[i][l]|*|op(B)[l][j]|, eps of the peer's type.
func TestGemmPeers(t *testing.T) {
	for _, s := range gemmShapes {
		limit := 2 * 512 * 512 * 512.0
		if testing.Short() {
			limit = 2 * 256 * 256 * 256 * 4.0
		}
		if s.flops() > limit {
			t.Logf("skipping %v (too slow for the unit tests; see the doc comment)", s)
			continue
		}
		t.Run("f32/"+s.String(), func(t *testing.T) { checkGemmPeers[float32](t, s, 0x1p-24) })
		t.Run("f64/"+s.String(), func(t *testing.T) { checkGemmPeers[float64](t, s, 0x1p-53) })
	}
}

func checkGemmPeers[T float32 | float64](t *testing.T, s gemmShape, eps float64) {
	o := newGemmOperands[T](s, 2)
	a64, b64 := make([]float64, len(o.a)), make([]float64, len(o.b))
	absA, absB := make([]float64, len(o.a)), make([]float64, len(o.b))
	for i, v := range o.a {
		a64[i], absA[i] = float64(v), math.Abs(float64(v))
	}
	for i, v := range o.b {
		b64[i], absB[i] = float64(v), math.Abs(float64(v))
	}
	want, bound := make([]float64, s.m*s.n), make([]float64, s.m*s.n)
	tA, tB := blasTrans(s.transA), blasTrans(s.transB)
	gonum.Implementation{}.Dgemm(tA, tB, s.m, s.n, s.k, 1, a64, o.lda, b64, o.ldb, 0, want, o.ldc)
	gonum.Implementation{}.Dgemm(tA, tB, s.m, s.n, s.k, 2*float64(s.k)*eps, absA, o.lda, absB, o.ldb, 0, bound, o.ldc)

	for _, p := range gemmPeers(o) {
		for i := range o.c {
			o.c[i] = T(math.NaN()) // beta is 0: C must be overwritten
		}
		restore := p.selectPeer(t)
		p.run()
		restore()
		for i, v := range o.c {
			// The reference itself is off by at most about k*2^-53 relative to the sum of
			// magnitudes, which bound covers for float32 and, doubled, for float64.
			if d := math.Abs(float64(v) - want[i]); !(d <= 2*bound[i]) {
				t.Fatalf("%s: c[%d] (row %d, col %d) = %v, want %v (bound %g)", p.name, i, i/s.n, i%s.n, v, want[i], 2*bound[i])
			}
		}
	}
}

// BenchmarkGemmThreads runs lanes' n = 1024 product on every ISA with GOMAXPROCS 1 and 2, so
// that the speed-up of the goroutine split is a ratio within one run.
func BenchmarkGemmThreads(b *testing.B) {
	s := gemmShape{m: 1024, k: 1024, n: 1024}
	benchGemmThreads[float32](b, "f32", s)
	benchGemmThreads[float64](b, "f64", s)
}

func benchGemmThreads[T float32 | float64](b *testing.B, typ string, s gemmShape) {
	o := newGemmOperands[T](s, 1)
	elem := int64(unsafe.Sizeof(o.a[0]))
	for _, isa := range kernels.SupportedISAs() {
		if isa == "generic" {
			continue // seconds per product
		}
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/%v/lanes-%s/threads=%d", typ, s, isa, threads), func(b *testing.B) {
				defer gemmPeer{isa: isa}.selectPeer(b)()
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(threads))
				b.SetBytes(elem * int64(s.m*s.k+s.k*s.n+s.m*s.n))
				kernels.Gemm(false, false, s.m, s.n, s.k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc) // warm up
				for b.Loop() {
					kernels.Gemm(false, false, s.m, s.n, s.k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc)
				}
				b.ReportMetric(s.flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
