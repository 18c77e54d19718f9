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
//
// Concurrency: Forward and Backward use buffers held by the layer, so a layer (and the model
// holding it) is single-owner for training: one goroutine at a time may call Forward, Backward or
// an optimizer step on it, and no inference may run meanwhile. Inference that many goroutines
// share goes through Sequential's Predict, Classify, PredictProba and Evaluate, which call
// Inferer.Infer: every layer of this package implements Inferer, whose Infer changes nothing in
// the layer and is safe for concurrent use. Name and Params are safe for concurrent use.
type Layer interface {
	Forward(x *Matrix, training bool) *Matrix
	Backward(dout *Matrix) *Matrix
	Params() []*Param
	// Name returns the layer's kind and hyperparameters, e.g. "Dense(784, 50)".
	Name() string
}

// Inferer is a Layer whose evaluation-mode forward pass can run from many goroutines at once on
// memory the caller provides. Every layer of this package implements it. Sequential's inference
// methods call Infer for layers that implement it; a layer that does not is run through
// Forward(x, false) while the model's lock is held, so a model with such a layer predicts from
// one goroutine at a time.
type Inferer interface {
	Layer
	// OutCols returns the number of output columns for an input of inCols columns. It panics,
	// naming the layer and the sizes, if the layer does not accept inCols columns.
	OutCols(inCols int) int
	// Infer writes the evaluation-mode output for x into y, which has x.Rows rows and
	// OutCols(x.Cols) columns and does not overlap x. It reads the layer's parameters and
	// changes nothing else, so any number of Infer calls may run at once (but not while the
	// layer trains). It panics, naming the layer and the shapes, if the shapes are wrong.
	Infer(y, x *Matrix)
}

// passThrough is implemented by the layers that are the identity in evaluation mode (Identity,
// Dropout): Sequential's inference skips them.
type passThrough interface{ evalIdentity() }

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

// checkInfer panics, naming the layer and the shapes, unless x has cols columns and y is
// x.Rows x outCols.
func checkInfer(l Layer, y, x *Matrix, cols, outCols int) {
	checkCols(l, "Infer", x, cols)
	if y.Rows != x.Rows || y.Cols != outCols {
		panic(fmt.Sprintf("nn.%s.Infer: y is %s, want %dx%d for input %s", l.Name(), y.Shape(), x.Rows, outCols, x.Shape()))
	}
}

// checkSameShape panics, naming the layer, unless y and x have the same shape (element-wise
// layers).
func checkSameShape(l Layer, fn string, y, x *Matrix) {
	if y.Rows != x.Rows || y.Cols != x.Cols {
		panic(fmt.Sprintf("nn.%s.%s: y is %s, x is %s; want equal shapes", l.Name(), fn, y.Shape(), x.Shape()))
	}
}
