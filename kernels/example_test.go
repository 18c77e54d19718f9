package kernels_test

import (
	"fmt"

	"github.com/lanesimd/lanes/kernels"
)

// The examples print results rounded to fewer digits than the element type holds: the ISA paths
// may differ in the last bit of a float32 result, and the output must be the same on all of them.

// A row whose naive softmax overflows: e^1010 is +Inf in float32 and float64 alike. Softmax
// subtracts the row's maximum first.
func ExampleSoftmax() {
	x := []float32{1010, 1000, 990}
	p := make([]float32, len(x))
	kernels.Softmax(p, x, 3) // one row of 3 columns
	fmt.Printf("%.5g\n", p)
	fmt.Printf("sum %.6f\n", kernels.Sum(p))

	// Two rows of two in one call; dst may be src.
	y := []float64{0, 0, 1, 3}
	kernels.Softmax(y, y, 2)
	fmt.Printf("%.4f\n", y)
	// Output:
	// [0.99995 4.5398e-05 2.0611e-09]
	// sum 1.000000
	// [0.5000 0.5000 0.1192 0.8808]
}

func ExampleExp() {
	x := []float32{0, 1, -1, 10}
	kernels.Exp(x, x) // in place
	fmt.Printf("%.5g\n", x)
	// Output:
	// [1 2.7183 0.36788 22026]
}

// MatMul multiplies densely packed row-major matrices; the sizes come in Gemm's order m, n, k.
// Small integers multiply exactly on every path.
func ExampleMatMul() {
	const m, n, k = 2, 2, 3
	a := []float64{ // m x k
		1, 2, 3,
		4, 5, 6,
	}
	b := []float64{ // k x n
		7, 8,
		9, 10,
		11, 12,
	}
	c := make([]float64, m*n)
	kernels.MatMul(c, a, b, m, n, k)
	fmt.Println(c[0:2])
	fmt.Println(c[2:4])
	// Output:
	// [58 64]
	// [139 154]
}

// Gemm computes C = alpha*op(A)*op(B) + beta*C with BLAS semantics on row-major matrices. Here B
// is stored transposed (n x k) and C is a 2 x 2 block of a wider matrix (row stride ldc = 3).
func ExampleGemm() {
	a := []float32{ // 2 x 3
		1, 2, 3,
		4, 5, 6,
	}
	bt := []float32{ // B transposed: 2 x 3, so B is 3 x 2
		1, 0, 1,
		0, 1, 0,
	}
	c := []float32{
		10, 10, -1,
		20, 20, -1,
	}
	// C = 2*A*B + 1*C on the first two columns of c; the third column is not touched.
	kernels.Gemm(false, true, 2, 2, 3, 2, a, 3, bt, 3, 1, c, 3)
	fmt.Println(c[0:3])
	fmt.Println(c[3:6])
	// Output:
	// [18 14 -1]
	// [40 30 -1]
}

// SetISA switches every kernel to another code path at run time, here the pure-Go one that
// every build can run; an unknown or unsupported path is an error and changes nothing.
func ExampleSetISA() {
	prev := kernels.ISA() // "avx512", "avx2", "neon" or "generic", depending on the CPU
	defer kernels.SetISA(prev)

	if err := kernels.SetISA("generic"); err != nil {
		fmt.Println(err)
	}
	fmt.Println("now:", kernels.ISA())
	fmt.Println("sse9 rejected:", kernels.SetISA("sse9") != nil)
	fmt.Println("still:", kernels.ISA())

	supported := kernels.SupportedISAs() // best first; what comes before depends on the CPU
	fmt.Println("always supported:", supported[len(supported)-1])
	fmt.Println("known:", kernels.AllISAs())
	// Output:
	// now: generic
	// sse9 rejected: true
	// still: generic
	// always supported: generic
	// known: [avx512 avx2 neon generic]
}
