package nn

import (
	"fmt"
	"math"
	"sync"
)

// pool2D is what MaxPool2D and AvgPool2D share: a Size x Size window moved by Stride over each
// channel of the input (no padding; positions that do not fit are dropped, PyTorch's floor mode).
type pool2D struct {
	Size, Stride int

	g     geom
	built bool
	name  string // "MaxPool2D" or "AvgPool2D"

	x     *Matrix
	y, dx buffer
	wg    sync.WaitGroup
}

// init sets the hyperparameters, checking them.
func (l *pool2D) init(name string, size, stride int) error {
	if size <= 0 || stride <= 0 || size > maxDim/size || stride > maxDim {
		return fmt.Errorf("size %d and stride %d must be positive", size, stride)
	}
	l.Size, l.Stride, l.name = size, stride, name
	return nil
}

// Name implements Layer: "MaxPool2D(2)" when the stride is the size, else "MaxPool2D(3, stride 2)".
func (l *pool2D) Name() string {
	if l.Stride == l.Size {
		return fmt.Sprintf("%s(%d)", l.name, l.Size)
	}
	return fmt.Sprintf("%s(%d, stride %d)", l.name, l.Size, l.Stride)
}

// Params implements Layer: pooling has none.
func (*pool2D) Params() []*Param { return nil }

// Build implements Builder: any number of channels, at least Size x Size.
func (l *pool2D) Build(in Shape) (Shape, error) {
	if !in.valid() {
		return Shape{}, fmt.Errorf("%s: input shape %dx%dx%d is not positive", l.Name(), in.C, in.H, in.W)
	}
	g, ok := newGeom(in, l.Size, l.Size, l.Stride, 0)
	if !ok {
		return Shape{}, fmt.Errorf("%s: input %s is smaller than the %dx%d window", l.Name(), in.dims(), l.Size, l.Size)
	}
	l.g, l.built = g, true
	return l.outShape(), nil
}

// InputShape implements Builder.
func (l *pool2D) InputShape() (Shape, bool) { return Shape{l.g.C, l.g.H, l.g.W}, l.built }

func (l *pool2D) outShape() Shape { return Shape{l.g.C, l.g.OH, l.g.OW} }

func (l *pool2D) checkInput(fn string, x *Matrix) {
	if !l.built {
		panic(fmt.Sprintf("nn.%s.%s: the input's shape is not set: build the model with nn.Build or Sequential.Build (or the layer with Build)", l.Name(), fn))
	}
	if n := l.g.inSize(); x.Cols != n {
		in, _ := l.InputShape()
		panic(fmt.Sprintf("nn.%s.%s: input is %s, want %d columns (samples of %s)", l.Name(), fn, x.Shape(), n, in.dims()))
	}
}

// OutCols implements Inferer: C*OH*OW. It panics unless inCols is the size of the input shape
// the layer was built for.
func (l *pool2D) OutCols(inCols int) int {
	if !l.built {
		panic(fmt.Sprintf("nn.%s: the input's shape is not set: build the model with nn.Build or Sequential.Build (or the layer with Build)", l.Name()))
	}
	if inCols != l.g.inSize() {
		in, _ := l.InputShape()
		panic(fmt.Sprintf("nn.%s: input of %d columns, want %d (samples of %s)", l.Name(), inCols, l.g.inSize(), in.dims()))
	}
	return l.outShape().Size()
}

func (l *pool2D) checkInfer(y, x *Matrix) {
	l.checkInput("Infer", x)
	if out := l.outShape().Size(); y.Rows != x.Rows || y.Cols != out {
		panic(fmt.Sprintf("nn.%s.Infer: y is %s, want %dx%d for input %s", l.Name(), y.Shape(), x.Rows, out, x.Shape()))
	}
}

// MaxPool2D is PyTorch's nn.MaxPool2d(Size, Stride): the largest value of each window, channel by
// channel. Backward routes each output's gradient to the position of its maximum (the first one
// on ties; a NaN counts as the largest). With a ReLU just before it in a Sequential, it computes
// the ReLU too: it clamps the maximum at 0 and passes the gradient only where the output is
// positive, which is the same as running the ReLU first (see Sequential.Forward).
type MaxPool2D struct {
	pool2D
	relu bool    // the last Forward clamped its output (a fused ReLU)
	idx  []int32 // per output value of the last Forward: its maximum's index in the sample
	fwd  maxPoolForward
	bwd  maxPoolBackward
}

// NewMaxPool2D returns a max pooling layer with a size x size window moved by stride (PyTorch's
// default stride is the size: NewMaxPool2D(2, 2) is nn.MaxPool2d(2)). It panics unless both are
// positive.
func NewMaxPool2D(size, stride int) *MaxPool2D {
	l := &MaxPool2D{}
	if err := l.init("MaxPool2D", size, stride); err != nil {
		panic("nn.NewMaxPool2D: " + err.Error())
	}
	l.fwd.l, l.bwd.l = l, l
	return l
}

// Forward implements Layer.
func (l *MaxPool2D) Forward(x *Matrix, training bool) *Matrix { return l.forward(x, false) }

// forward is Forward; with relu set the outputs are clamped at 0 (a fused ReLU).
func (l *MaxPool2D) forward(x *Matrix, relu bool) *Matrix {
	l.checkInput("Forward", x)
	out := l.outShape().Size()
	y := l.y.resize(x.Rows, out)
	if n := x.Rows * out; cap(l.idx) < n {
		l.idx = make([]int32, n)
	} else {
		l.idx = l.idx[:n]
	}
	l.x, l.relu = x, relu
	l.fwd.x, l.fwd.y, l.fwd.idx, l.fwd.relu = x, y, l.idx, relu
	parallelRange(&l.wg, x.Rows, parallelParts(x.Rows, 4), &l.fwd)
	return y
}

type maxPoolForward struct {
	l    *MaxPool2D
	x, y *Matrix
	idx  []int32 // nil: inference
	relu bool
}

func (f *maxPoolForward) run(_, from, to int) {
	g := &f.l.g
	in, out := g.inSize(), g.C*g.OH*g.OW
	for n := from; n < to; n++ {
		var idx []int32
		if f.idx != nil {
			idx = f.idx[n*out : (n+1)*out]
		}
		maxPoolImage(f.y.Data[n*out:(n+1)*out], idx, f.x.Data[n*in:(n+1)*in], g, f.relu)
	}
}

// maxPoolImage sets y to the window maxima of one sample x, idx (unless nil) to their indices in
// x, and clamps y at 0 when relu is set.
func maxPoolImage(y []float32, idx []int32, x []float32, g *geom, relu bool) {
	hw := g.H * g.W
	o := 0
	for c := range g.C {
		base := c * hw
		for oh := range g.OH {
			top := base + oh*g.Stride*g.W
			for ow := range g.OW {
				first := top + ow*g.Stride
				best, bi := x[first], first
				if g.KH == 2 && g.KW == 2 {
					// The common 2x2 window, unrolled.
					if v := x[first+1]; v > best || v != v {
						best, bi = v, first+1
					}
					if v := x[first+g.W]; v > best || v != v {
						best, bi = v, first+g.W
					}
					if v := x[first+g.W+1]; v > best || v != v {
						best, bi = v, first+g.W+1
					}
				} else {
					for ki := range g.KH {
						row := first + ki*g.W
						for kj := range g.KW {
							if v := x[row+kj]; v > best || v != v {
								best, bi = v, row+kj
							}
						}
					}
				}
				if relu && best < 0 {
					best = 0
				}
				y[o] = best
				if idx != nil {
					idx[o] = int32(bi)
				}
				o++
			}
		}
	}
}

// Infer implements Inferer: the window maxima of every row of x into y.
func (l *MaxPool2D) Infer(y, x *Matrix) {
	l.checkInfer(y, x)
	t := &maxPoolForward{l: l, x: x, y: y}
	var wg sync.WaitGroup
	parallelRange(&wg, x.Rows, parallelParts(x.Rows, 4), t)
}

// Backward implements Layer.
func (l *MaxPool2D) Backward(dout *Matrix) *Matrix { return l.backward(dout, false) }

// backward is Backward after a forward with the same relu.
func (l *MaxPool2D) backward(dout *Matrix, relu bool) *Matrix {
	checkDout(l, dout, &l.y.m, l.x != nil)
	if relu != l.relu {
		panic(fmt.Sprintf("nn.%s.Backward: the last Forward was with the fused ReLU %v, this backward %v", l.Name(), l.relu, relu))
	}
	dx := l.dx.resize(dout.Rows, l.g.inSize())
	l.bwd.dout, l.bwd.dx = dout, dx
	parallelRange(&l.wg, dout.Rows, parallelParts(dout.Rows, 4), &l.bwd)
	return dx
}

type maxPoolBackward struct {
	l        *MaxPool2D
	dout, dx *Matrix
}

func (b *maxPoolBackward) run(_, from, to int) {
	l := b.l
	in, out := l.g.inSize(), l.outShape().Size()
	for n := from; n < to; n++ {
		dx := b.dx.Data[n*in : (n+1)*in]
		clear(dx)
		d := b.dout.Data[n*out : (n+1)*out]
		idx := l.idx[n*out : (n+1)*out]
		if l.relu {
			y := l.y.m.Data[n*out : (n+1)*out]
			for i, v := range d {
				// y > 0, or a NaN: what the ReLU's backward passes.
				if b := int32(math.Float32bits(y[i])); b > 0 || b == math.MinInt32 {
					dx[idx[i]] += v
				}
			}
			continue
		}
		for i, v := range d {
			dx[idx[i]] += v
		}
	}
}

// AvgPool2D is PyTorch's nn.AvgPool2d(Size, Stride): the mean of each window, channel by channel;
// Backward spreads each output's gradient evenly over its window.
type AvgPool2D struct {
	pool2D
	fwd avgPoolRun
	bwd avgPoolRun
}

// NewAvgPool2D returns an average pooling layer with a size x size window moved by stride. It
// panics unless both are positive.
func NewAvgPool2D(size, stride int) *AvgPool2D {
	l := &AvgPool2D{}
	if err := l.init("AvgPool2D", size, stride); err != nil {
		panic("nn.NewAvgPool2D: " + err.Error())
	}
	l.fwd.g, l.bwd.g = &l.g, &l.g
	l.bwd.backward = true
	return l
}

// Forward implements Layer.
func (l *AvgPool2D) Forward(x *Matrix, training bool) *Matrix {
	l.checkInput("Forward", x)
	y := l.y.resize(x.Rows, l.outShape().Size())
	l.x = x
	l.fwd.a, l.fwd.b = x, y
	parallelRange(&l.wg, x.Rows, parallelParts(x.Rows, 4), &l.fwd)
	return y
}

// Infer implements Inferer.
func (l *AvgPool2D) Infer(y, x *Matrix) {
	l.checkInfer(y, x)
	t := &avgPoolRun{g: &l.g, a: x, b: y}
	var wg sync.WaitGroup
	parallelRange(&wg, x.Rows, parallelParts(x.Rows, 4), t)
}

// Backward implements Layer.
func (l *AvgPool2D) Backward(dout *Matrix) *Matrix {
	checkDout(l, dout, &l.y.m, l.x != nil)
	dx := l.dx.resize(dout.Rows, l.g.inSize())
	l.bwd.a, l.bwd.b = dout, dx
	parallelRange(&l.wg, dout.Rows, parallelParts(dout.Rows, 4), &l.bwd)
	return dx
}

// avgPoolRun is AvgPool2D's forward (a the input, b the output) or backward (a the output's
// gradient, b the input's) over a range of samples.
type avgPoolRun struct {
	g        *geom
	a, b     *Matrix
	backward bool
}

func (r *avgPoolRun) run(_, from, to int) {
	g := r.g
	in, out, hw := g.inSize(), g.C*g.OH*g.OW, g.H*g.W
	scale := 1 / float32(g.KH*g.KW)
	for n := from; n < to; n++ {
		var x, y []float32
		if r.backward {
			y, x = r.a.Data[n*out:(n+1)*out], r.b.Data[n*in:(n+1)*in]
			clear(x)
		} else {
			x, y = r.a.Data[n*in:(n+1)*in], r.b.Data[n*out:(n+1)*out]
		}
		o := 0
		for c := range g.C {
			for oh := range g.OH {
				for ow := range g.OW {
					first := c*hw + oh*g.Stride*g.W + ow*g.Stride
					if r.backward {
						v := y[o] * scale
						for ki := range g.KH {
							row := x[first+ki*g.W : first+ki*g.W+g.KW]
							for kj := range row {
								row[kj] += v
							}
						}
					} else {
						var s float32
						for ki := range g.KH {
							for _, v := range x[first+ki*g.W : first+ki*g.W+g.KW] {
								s += v
							}
						}
						y[o] = s * scale
					}
					o++
				}
			}
		}
	}
}
