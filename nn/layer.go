package nn

import "fmt"

// Layer is one stage of a Sequential model.
//
// Forward computes the layer's output for a batch x (one sample per row). training selects the
// training behaviour of the layers that have one (Dropout drops units, BatchNorm uses the batch
// statistics and updates its running ones). The returned matrix belongs to the layer and is
// overwritten by the next Forward; the layer keeps what Backward needs, so x must not be changed
// until then.
//
// Backward takes dL/dy for the output of the last Forward and returns dL/dx. It sets (does not
// accumulate) the gradients of the layer's parameters. The returned matrix belongs to the layer.
//
// Params lists the trainable parameters with their gradients, in a fixed order.
type Layer interface {
	Forward(x *Matrix, training bool) *Matrix
	Backward(dout *Matrix) *Matrix
	Params() []*Param
	// Name returns the layer's kind and hyperparameters, e.g. "Dense(784, 50)".
	Name() string
}

// Param is a trainable tensor and the gradient of the loss with respect to it.
type Param struct {
	Name  string  // e.g. "Dense(784, 50).W"
	Value *Matrix // the parameter
	Grad  *Matrix // dL/dValue, same shape, set by the layer's Backward
	// Decay says whether L2 weight decay applies (weights yes, biases and BatchNorm's shift and
	// scale no).
	Decay bool
}

func newParam(name string, rows, cols int, decay bool) *Param {
	return &Param{Name: name, Value: NewMatrix(rows, cols), Grad: NewMatrix(rows, cols), Decay: decay}
}

// checkCols panics, naming the layer, the function and both shapes, unless x has cols columns.
func checkCols(l Layer, fn string, x *Matrix, cols int) {
	if x.Cols != cols {
		panic(fmt.Sprintf("nn.%s.%s: input is %s, want %d columns (Nx%d)", l.Name(), fn, x.Shape(), cols, cols))
	}
}

// checkDout panics, naming the layer and both shapes, unless dout has the shape of y (the output
// of the last Forward). It also panics if Forward was never called (ran false).
func checkDout(l Layer, dout, y *Matrix, ran bool) {
	if !ran {
		panic(fmt.Sprintf("nn.%s.Backward: called before Forward", l.Name()))
	}
	if dout.Rows != y.Rows || dout.Cols != y.Cols {
		panic(fmt.Sprintf("nn.%s.Backward: dout is %s, the last output was %s", l.Name(), dout.Shape(), y.Shape()))
	}
}
