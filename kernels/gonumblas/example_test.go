package gonumblas_test

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/lanesimd/lanes/kernels/gonumblas"
)

// Installing the adapter makes gonum/mat's matrix products run on lanes' Gemm. Programs
// usually do this once, in main or an init function; here the previous implementation is put
// back at the end.
func ExampleImplementation() {
	prev := blas64.Implementation()
	blas64.Use(gonumblas.Implementation{})
	defer blas64.Use(prev)

	a := mat.NewDense(2, 3, []float64{
		1, 2, 3,
		4, 5, 6,
	})
	b := mat.NewDense(3, 2, []float64{
		7, 8,
		9, 10,
		11, 12,
	})
	var c mat.Dense
	c.Mul(a, b) // calls gonumblas.Implementation.Dgemm

	fmt.Printf("%v\n", mat.Formatted(&c))
	// Output:
	// ⎡ 58   64⎤
	// ⎣139  154⎦
}
