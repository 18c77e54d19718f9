package nn

import "testing"

// TestShapePanics: misuse panics with a message naming the layer or function and the shapes.
func TestShapePanics(t *testing.T) {
	d := NewDense(4, 3, nil, nil)
	mustPanic(t, func() { d.Forward(NewMatrix(2, 5), false) }, "Dense(4, 3).Forward", "2x5", "4 columns")
	d.Forward(NewMatrix(2, 4), true)
	mustPanic(t, func() { d.Backward(NewMatrix(2, 4)) }, "Dense(4, 3).Backward", "2x4", "2x3")
	mustPanic(t, func() { NewReLU().Backward(NewMatrix(1, 1)) }, "ReLU.Backward", "before Forward")
	r := NewSigmoid()
	r.Forward(NewMatrix(3, 2), true)
	mustPanic(t, func() { r.Backward(NewMatrix(2, 3)) }, "Sigmoid.Backward", "2x3", "3x2")
	mustPanic(t, func() { NewMaxout(3).Forward(NewMatrix(2, 4), false) }, "Maxout(3).Forward", "2x4")
	mustPanic(t, func() { NewBatchNorm(5, 0.9, 1e-5).Forward(NewMatrix(2, 4), true) }, "BatchNorm(5", "2x4")
	m := NewSequential(NewDense(4, 3, nil, nil), NewReLU(), NewDense(5, 2, nil, nil))
	mustPanic(t, func() { m.Forward(NewMatrix(1, 4), false) }, "Dense(5, 2).Forward", "1x3")
	mustPanic(t, func() { NewMSE().Forward(NewMatrix(2, 3), Values(NewMatrix(3, 2))) }, "MSE.Forward", "2x3", "3x2")
	mustPanic(t, func() { NewSoftmaxCrossEntropy().Forward(NewMatrix(2, 3), Labels([]int{1})) }, "SoftmaxCrossEntropy.Forward", "2x3", "1 labels")
	mustPanic(t, func() { NewCrossEntropy().Forward(NewMatrix(1, 3), Labels([]int{3})) }, "CrossEntropy.Forward", "label 3", "[0, 3)")
	mustPanic(t, func() { MatMul(NewMatrix(2, 3), NewMatrix(2, 3)) }, "nn.MatMul", "2x3")
	mustPanic(t, func() { FromSlice(2, 3, make([]float32, 5)) }, "nn.FromSlice", "2x3", "got 5")
	mustPanic(t, func() { NewMatrix(2, 2).At(2, 0) }, "Matrix.At", "(2, 0)", "2x2")
}

func TestMatMulAndArgMax(t *testing.T) {
	a := FromSlice(2, 3, []float32{1, 2, 3, 4, 5, 6})
	b := FromSlice(3, 2, []float32{1, 0, 0, 1, 1, 1})
	c := MatMul(a, b)
	if !equal(c.Data, []float32{4, 5, 10, 11}) {
		t.Fatalf("MatMul = %v", c.Data)
	}
	if got := c.ArgMax(nil); got[0] != 1 || got[1] != 1 {
		t.Fatalf("ArgMax = %v", got)
	}
	// The book's three-layer forward pass (fixed weights, sigmoid, identity output).
	x := FromSlice(1, 2, []float32{1.0, 0.5})
	w1 := FromSlice(2, 3, []float32{0.1, 0.3, 0.5, 0.2, 0.4, 0.6})
	h := MatMul(x, w1)
	for j, b := range []float32{0.1, 0.2, 0.3} {
		h.Data[j] += b
	}
	z1 := NewSigmoid().Forward(h, false)
	w2 := FromSlice(3, 2, []float32{0.1, 0.4, 0.2, 0.5, 0.3, 0.6})
	h2 := MatMul(z1, w2)
	h2.Data[0] += 0.1
	h2.Data[1] += 0.2
	z2 := NewSigmoid().Forward(h2, false)
	w3 := FromSlice(2, 2, []float32{0.1, 0.3, 0.2, 0.4})
	y := MatMul(z2, w3)
	y.Data[0] += 0.1
	y.Data[1] += 0.2
	if d0, d1 := y.Data[0]-0.3168270764, y.Data[1]-0.6962790899; d0*d0+d1*d1 > 1e-12 {
		t.Fatalf("three-layer forward = %v, want [0.3168270764 0.6962790899]", y.Data)
	}
}
