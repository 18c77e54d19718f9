package nn

import (
	"errors"
	"fmt"
)

// Shape is the shape of one sample: C channels of H rows and W columns, stored channel by
// channel and row by row in a batch row (PyTorch's NCHW order without N). A vector of n features
// is Shape{n, 1, 1} (Flat(n)): a batch row is the same either way.
type Shape struct{ C, H, W int }

// Flat returns the shape of a vector of n features, Shape{n, 1, 1}.
func Flat(n int) Shape { return Shape{n, 1, 1} }

// Size returns the number of values of a sample, C*H*W: the columns of a batch.
func (s Shape) Size() int { return s.C * s.H * s.W }

// String formats the shape as "CxHxW", or as "n" for a vector (H and W 1).
func (s Shape) String() string {
	if s.H == 1 && s.W == 1 {
		return fmt.Sprint(s.C)
	}
	return fmt.Sprintf("%dx%dx%d", s.C, s.H, s.W)
}

// dims formats the shape as "CxHxW" even for a vector (for the layers that take images).
func (s Shape) dims() string { return fmt.Sprintf("%dx%dx%d", s.C, s.H, s.W) }

func (s Shape) valid() bool {
	c, h, w := int64(s.C), int64(s.H), int64(s.W)
	return c > 0 && h > 0 && w > 0 && c <= maxDim && h <= maxDim && w <= maxDim && c*h <= maxDim && c*h*w <= maxDim
}

// maxDim bounds every size of a shape and the size of a sample (2^31-1), so that products of
// sizes do not overflow.
const maxDim = 1<<31 - 1

// Builder is implemented by the layers that need the shape of a sample, not only its size:
// Conv2D, MaxPool2D, AvgPool2D and Flatten. Sequential.Build (and nn.Build) call Build on each
// with the shape the layer before it gives; a Builder used on its own must be built before its
// first Forward or Infer.
type Builder interface {
	Layer
	// Build fixes the shape of the layer's input samples and returns the shape of its output,
	// or an error naming the layer and the shapes when it cannot take such input. Building
	// again for another shape is allowed (not while the layer is in use).
	Build(in Shape) (out Shape, err error)
	// InputShape returns the shape Build fixed, and false before Build.
	InputShape() (Shape, bool)
}

// Build returns a model of the layers for samples of shape in: NewSequential followed by
// Sequential.Build, whose error it returns.
func Build(in Shape, layers ...Layer) (*Sequential, error) {
	m := NewSequential(layers...)
	if err := m.Build(in); err != nil {
		return nil, err
	}
	return m, nil
}

// Build checks the model for samples of shape in, layer by layer, and fixes the input shape of
// every layer that needs one (see Builder); then Add checks each layer added. The error names the
// first layer that cannot take what the layer before it gives, with both shapes; the model is
// then left unbuilt. A layer that keeps the width of its input (ReLU, Dropout, ...) keeps its
// shape; one that changes it (Dense, Maxout) gives a vector. Not safe for concurrent use.
func (m *Sequential) Build(in Shape) error {
	if !in.valid() {
		return fmt.Errorf("nn.Sequential.Build: the input shape %dx%dx%d is not positive (or too large)", in.C, in.H, in.W)
	}
	m.built = false
	s, known := in, true
	for i, l := range m.Layers {
		var err error
		if s, known, err = buildLayer(i, l, s, known, m.Layers); err != nil {
			return fmt.Errorf("nn.Sequential.Build: %w", err)
		}
	}
	m.in, m.out, m.outKnown, m.built = in, s, known, true
	return nil
}

// InputShape returns the sample shape the model was built for (by Build, nn.Build or a model
// file that records it), and false when it was not built.
func (m *Sequential) InputShape() (Shape, bool) { return m.in, m.built }

// OutputShape returns the shape of the model's output samples for the shape it was built for,
// and false when it was not built (or a layer does not report its output width).
func (m *Sequential) OutputShape() (Shape, bool) { return m.out, m.built && m.outKnown }

// buildLayer gives layer i (of layers) samples of shape in (unknown when known is false) and
// returns the shape of its output.
func buildLayer(i int, l Layer, in Shape, known bool, layers []Layer) (Shape, bool, error) {
	if b, ok := l.(Builder); ok {
		if !known {
			return Shape{}, false, fmt.Errorf("layer %d, %s: the shape of its input is unknown (%s)", i, l.Name(), unknownWhy(layers[:i]))
		}
		out, err := b.Build(in)
		if err != nil {
			return Shape{}, false, fmt.Errorf("layer %d: %w", i, err)
		}
		return out, true, nil
	}
	inf, ok := l.(Inferer)
	if !known || !ok {
		return Shape{}, false, nil
	}
	w, err := outCols(inf, in.Size())
	if err != nil {
		what := in.String()
		if in.H != 1 || in.W != 1 {
			what = fmt.Sprintf("%s (%d values)", in, in.Size())
		}
		from := "the model's input"
		if i > 0 {
			from = fmt.Sprintf("layer %d, %s,", i-1, layers[i-1].Name())
		}
		return Shape{}, false, fmt.Errorf("layer %d, %s: %s gives %s: %v", i, l.Name(), from, what, err)
	}
	if w == in.Size() {
		return in, true, nil
	}
	return Flat(w), true, nil
}

// outCols calls l.OutCols, turning its panic into an error.
func outCols(l Inferer, in int) (w int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(fmt.Sprint(r))
		}
	}()
	return l.OutCols(in), nil
}

// unknownWhy names the last layer of layers that does not report its output width.
func unknownWhy(layers []Layer) string {
	for i := len(layers) - 1; i >= 0; i-- {
		if _, ok := layers[i].(Inferer); !ok {
			if _, ok := layers[i].(Builder); !ok {
				return fmt.Sprintf("layer %d, %s (%T), does not implement Inferer, which reports the width of its output", i, layers[i].Name(), layers[i])
			}
		}
	}
	return "an earlier layer did not report its output"
}
