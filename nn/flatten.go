package nn

import "fmt"

// Flatten is PyTorch's nn.Flatten: it turns each sample of shape C x H x W into a vector of
// C*H*W values. Batch rows are already flat, so it copies nothing: Forward returns its input and
// Backward the gradient it gets (the same matrices). What it changes is the shape Sequential.Build
// passes on, and it keeps the layer indices of a Sequential equal to PyTorch's, so that the
// state_dict names match.
type Flatten struct {
	in    Shape
	built bool
	ran   bool
}

// NewFlatten returns a Flatten layer.
func NewFlatten() *Flatten { return &Flatten{} }

// Name implements Layer.
func (*Flatten) Name() string { return "Flatten" }

// Params implements Layer.
func (*Flatten) Params() []*Param { return nil }

// Build implements Builder: any shape in gives Flat(in.Size()).
func (l *Flatten) Build(in Shape) (Shape, error) {
	if !in.valid() {
		return Shape{}, fmt.Errorf("Flatten: input shape %dx%dx%d is not positive", in.C, in.H, in.W)
	}
	l.in, l.built = in, true
	return Flat(in.Size()), nil
}

// InputShape implements Builder.
func (l *Flatten) InputShape() (Shape, bool) { return l.in, l.built }

// Forward implements Layer: x itself.
func (l *Flatten) Forward(x *Matrix, training bool) *Matrix {
	if l.built && x.Cols != l.in.Size() {
		panic(fmt.Sprintf("nn.Flatten.Forward: input is %s, want %d columns (samples of %s)", x.Shape(), l.in.Size(), l.in))
	}
	l.ran = true
	return x
}

// Backward implements Layer: dout itself.
func (l *Flatten) Backward(dout *Matrix) *Matrix {
	if !l.ran {
		panic("nn.Flatten.Backward: called before Forward")
	}
	return dout
}

// OutCols implements Inferer: the width does not change.
func (l *Flatten) OutCols(inCols int) int {
	if l.built && inCols != l.in.Size() {
		panic(fmt.Sprintf("nn.Flatten: input of %d columns, want %d (samples of %s)", inCols, l.in.Size(), l.in))
	}
	return inCols
}

// Infer implements Inferer: y = x (copied; Sequential's inference skips the layer instead).
func (l *Flatten) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	copy(y.Data, x.Data)
}

func (*Flatten) evalIdentity() {}
