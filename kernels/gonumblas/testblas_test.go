package gonumblas_test

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/testblas"

	"github.com/lanesimd/lanes/kernels"
	"github.com/lanesimd/lanes/kernels/gonumblas"
)

// gonum's own BLAS test suite, on every ISA path, for each routine the package routes to lanes.

var impl gonumblas.Implementation

func TestDgemm(t *testing.T) {
	eachISA(t, func(t *testing.T) { testblas.TestDgemm(t, impl) })
}

func TestDdot(t *testing.T) {
	eachISA(t, func(t *testing.T) { testblas.DdotTest(t, impl) })
}

func TestDaxpy(t *testing.T) {
	eachISA(t, func(t *testing.T) { testblas.DaxpyTest(t, impl) })
}

func TestDscal(t *testing.T) {
	eachISA(t, func(t *testing.T) { testblas.DscalTest(t, impl) })
}

// The Level 3 tests below exercise routines that stay gonum's; they check that embedding keeps
// them working, and they are cheap.

func TestDsymm(t *testing.T) {
	testblas.DsymmTest(t, impl)
}

func TestDtrsm(t *testing.T) {
	testblas.DtrsmTest(t, impl)
}

// BenchmarkDgemm runs gonum's Dgemm benchmark on lanes (every ISA path) and on gonum's own
// Dgemm, at gonum's small and medium sizes, for each transpose combination.
func BenchmarkDgemm(b *testing.B) {
	type peer struct {
		name string
		impl testblas.Dgemmer
		isa  string
	}
	var peers []peer
	for _, isa := range kernels.SupportedISAs() {
		peers = append(peers, peer{"lanes-" + isa, impl, isa})
	}
	peers = append(peers, peer{name: "gonum", impl: impl.Implementation})
	old := kernels.ISA()
	defer kernels.SetISA(old)
	trans := []struct {
		name   string
		tA, tB blas.Transpose
	}{
		{"NN", blas.NoTrans, blas.NoTrans},
		{"TN", blas.Trans, blas.NoTrans},
		{"NT", blas.NoTrans, blas.Trans},
		{"TT", blas.Trans, blas.Trans},
	}
	for _, size := range []int{testblas.SmallMat, testblas.MediumMat} {
		for _, tr := range trans {
			for _, p := range peers {
				b.Run(fmt.Sprintf("%d/%s/%s", size, tr.name, p.name), func(b *testing.B) {
					if p.isa != "" {
						if err := kernels.SetISA(p.isa); err != nil {
							b.Fatal(err)
						}
					}
					b.SetBytes(int64(8 * 3 * size * size)) // A, B and C once
					testblas.DgemmBenchmark(b, p.impl, size, size, size, tr.tA, tr.tB)
					n := float64(size)
					b.ReportMetric(2*n*n*n*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
