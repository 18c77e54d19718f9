package kernels

import "testing"

// softmaxF32Tol bounds Softmax[float32] against softmaxWant (which rounds x - max to float32 as
// the kernels do): e^(x-max) within 1 ULP, 1/sum and the product rounded once each, and the
// product can fall one binade below e^(x-max): 4 ULP per element; the row sum, exact in
// float64, within 4 ULP of 1.
var softmaxF32Tol = softmaxTol{elem: 4, sum: 4}

func TestSoftmaxF32Known(t *testing.T)    { testSoftmaxKnown[float32](t) }
func TestSoftmaxF32Special(t *testing.T)  { testSoftmaxSpecial[float32](t, 1e-6) }
func TestSoftmaxF32Rows(t *testing.T)     { testSoftmaxRows[float32](t, softmaxF32Tol) }
func TestSoftmaxF32Outliers(t *testing.T) { testSoftmaxOutliers[float32](t, softmaxF32Tol) }
