package kernels

import "testing"

// softmaxF64Tol bounds Softmax[float64] against softmaxWant. Both round e^(x-max) (1 ULP each),
// the kernel multiplies by a rounded 1/sum of a sum that carries its own rounding, and the
// quotient can fall one binade below e^(x-max), doubling the ULP weight: 8 ULP per element, 6
// for the row sum. Elements below 2^-1000 are compared in absolute terms: their ULP is far below
// what the sum's rounding contributes.
var softmaxF64Tol = softmaxTol{elem: 8, sum: 6, tiny: 0x1p-1000}

func TestSoftmaxF64Known(t *testing.T)   { testSoftmaxKnown[float64](t) }
func TestSoftmaxF64Special(t *testing.T) { testSoftmaxSpecial[float64](t, 1e-15) }
func TestSoftmaxF64Rows(t *testing.T)    { testSoftmaxRows[float64](t, softmaxF64Tol) }

func TestSoftmaxF64Outliers(t *testing.T) { testSoftmaxOutliers[float64](t, softmaxF64Tol) }
