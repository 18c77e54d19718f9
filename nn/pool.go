package nn

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/lanesimd/lanes/kernels"
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
	par   rangeJob // the parts of Forward and Backward
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
// channel (a NaN in a window gives NaN). Backward routes each output's gradient to the position of
// its maximum (the first one on ties; a NaN). With a ReLU just before it in a Sequential, it
// computes the ReLU too: it clamps the maximum at 0 and passes the gradient only where the output
// is positive, which is the same as running the ReLU first (see Sequential.Forward).
//
// The common 2x2 window with stride 2 has a fast path, free of branches, for the samples without
// a NaN (kernels.Max finds those): it compares the values as integers (the bits of a float, with
// the sign folded, order like the float) and keeps which of the four is the maximum, so that
// Backward writes every input gradient once, without clearing and scattering. Other windows, and
// samples with a NaN, take the exact path: float comparisons, and Backward finds each maximum again
// in the input (which the Layer contract keeps unchanged until then).
type MaxPool2D struct {
	pool2D
	relu bool // the last Forward clamped its output (a fused ReLU)
	// arg holds, per output of the last Forward on the fast path, which input of its window is the
	// maximum (0..3: top left, top right, bottom left, bottom right), or 4 when the fused ReLU
	// clamped it (no gradient).
	arg  []uint8
	slow []bool // per sample of the last Forward: it took the exact path
	// pixelStride, when not 0, says that arg is in pixel order (the fused convolution's, see
	// poolPixels): for sample n, arg[(n*OH*OW + q)*pixelStride + o] for window q of channel o.
	pixelStride int
	base        []int32 // per output of a sample: the index of its window's top left input (fast path)
	fwd         maxPoolForward
	bwd         maxPoolBackward
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

// fast2x2 reports whether the layer's geometry has the fast path.
func (l *MaxPool2D) fast2x2() bool { return l.Size == 2 && l.Stride == 2 }

// Forward implements Layer.
func (l *MaxPool2D) Forward(x *Matrix, training bool) *Matrix { return l.forward(x, false) }

// forward is Forward; with relu set the outputs are clamped at 0 (a fused ReLU).
func (l *MaxPool2D) forward(x *Matrix, relu bool) *Matrix {
	l.checkInput("Forward", x)
	out := l.outShape().Size()
	y := l.y.resize(x.Rows, out)
	if l.fast2x2() {
		if n := x.Rows * out; cap(l.arg) < n {
			l.arg = make([]uint8, n)
		} else {
			l.arg = l.arg[:n]
		}
	}
	if cap(l.slow) < x.Rows {
		l.slow = make([]bool, x.Rows)
	}
	l.slow = l.slow[:x.Rows]
	l.x, l.relu, l.pixelStride = x, relu, 0
	l.fwd.x, l.fwd.y, l.fwd.relu, l.fwd.arg, l.fwd.slow = x, y, relu, l.arg, l.slow
	parallelRange(&l.par, x.Rows, parallelParts(x.Rows, 4), &l.fwd)
	return y
}

// maxPoolForward is the forward pass over a range of samples; arg and slow are nil for Infer.
type maxPoolForward struct {
	l    *MaxPool2D
	x, y *Matrix
	relu bool
	arg  []uint8
	slow []bool
}

func (f *maxPoolForward) run(_, from, to int) {
	g := &f.l.g
	in, out := g.inSize(), g.C*g.OH*g.OW
	for n := from; n < to; n++ {
		x, y := f.x.Data[n*in:(n+1)*in], f.y.Data[n*out:(n+1)*out]
		slow := true
		if f.l.fast2x2() {
			if m := kernels.Max(x); m == m { // no NaN
				var arg []uint8
				if f.arg != nil {
					arg = f.arg[n*out : (n+1)*out]
				}
				maxPool2x2(y, arg, x, f.l.base, g.W, f.relu)
				slow = false
			}
		}
		if slow {
			maxPoolImage(y, x, g, f.relu)
		}
		if f.slow != nil {
			f.slow[n] = slow
		}
	}
}

// orderKey maps the bits of a float that is not a NaN to an int32 that orders like the float
// (-0 just below +0).
func orderKey(b uint32) int32 {
	k := int32(b)
	return k ^ (k >> 31 & 0x7fffffff)
}

// greater returns 1 if a > b, else 0.
func greater(a, b int32) uint32 {
	var c uint32
	if a > b {
		c = 1
	}
	return c
}

// maxPool2x2 is the fast path: 2x2 windows with stride 2 over one sample x without a NaN, whose
// top left inputs base lists; y gets the maxima (clamped at 0 when relu is set), arg (unless nil)
// which of each window's four inputs is the first maximum (or clamped). The values compare as
// integers: with relu the int32 of their bits, which orders the positive floats and puts every
// negative one (and -0) below +0, where the ReLU clamps them all anyway; else orderKey's. Each
// step is a max and a flag (CMOV and SETcc: no branch).
func maxPool2x2(y []float32, arg []uint8, x []float32, base []int32, w int, relu bool) {
	xb, yb := bitsOf(x), bitsOf(y)
	base = base[:len(yb)]
	if arg != nil {
		arg = arg[:len(yb)]
	}
	for i, b := range base {
		ka, kb := int32(xb[b]), int32(xb[int(b)+1])
		kc, kd := int32(xb[int(b)+w]), int32(xb[int(b)+w+1])
		if !relu {
			ka, kb, kc, kd = orderKey(uint32(ka)), orderKey(uint32(kb)), orderKey(uint32(kc)), orderKey(uint32(kd))
		}
		top, bottom := max(ka, kb), max(kc, kd)
		k := max(top, bottom)
		if arg != nil {
			j := greater(kb, ka)
			j2 := 2 + greater(kd, kc)
			if greater(bottom, top) == 1 {
				j = j2
			}
			if relu && k <= 0 {
				j = clamped
			}
			arg[i] = uint8(j)
		}
		if relu {
			yb[i] = uint32(max(k, 0)) // a negative maximum becomes +0
		} else {
			yb[i] = uint32(orderKey(uint32(k)))
		}
	}
}

// maxPoolImage is the exact path: the window maxima of one sample x into y, clamped at 0 when
// relu is set, with float comparisons (a NaN wins).
func maxPoolImage(y, x []float32, g *geom, relu bool) {
	hw, ow := g.H*g.W, g.OW
	var zero float32 // max(v, zero) is ReLU, NaN kept; -Inf makes it the identity
	if !relu {
		zero = float32(math.Inf(-1))
	}
	for c := range g.C {
		for oh := range g.OH {
			top := c*hw + oh*g.Stride*g.W
			yr := y[(c*g.OH+oh)*ow : (c*g.OH+oh+1)*ow]
			for j := range yr {
				first := top + j*g.Stride
				m := x[first]
				for ki := range g.KH {
					for _, v := range x[first+ki*g.W : first+ki*g.W+g.KW] {
						m = max(m, v)
					}
				}
				yr[j] = max(m, zero)
			}
		}
	}
}

// Infer implements Inferer: the window maxima of every row of x into y.
func (l *MaxPool2D) Infer(y, x *Matrix) {
	l.checkInfer(y, x)
	t := &maxPoolForward{l: l, x: x, y: y}
	var job rangeJob
	parallelRange(&job, x.Rows, parallelParts(x.Rows, 4), t)
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
	parallelRange(&l.par, dout.Rows, parallelParts(dout.Rows, 4), &l.bwd)
	return dx
}

type maxPoolBackward struct {
	l        *MaxPool2D
	dout, dx *Matrix
}

func (b *maxPoolBackward) run(_, from, to int) {
	l := b.l
	in, out, base := l.g.inSize(), l.outShape().Size(), l.base
	for n := from; n < to; n++ {
		dx, d, y := b.dx.Data[n*in:(n+1)*in], b.dout.Data[n*out:(n+1)*out], l.y.m.Data[n*out:(n+1)*out]
		switch {
		case l.slow[n]:
			maxPoolBackImage(dx, d, y, l.x.Data[n*in:(n+1)*in], &l.g, l.relu)
		case l.pixelStride > 0:
			b.backPixels(n, dx, d)
		default:
			maxPoolBack2x2(dx, d, l.arg[n*out:(n+1)*out], base, l.g.W)
		}
	}
}

// backPixels is the fast path's backward for sample n when the args are in pixel order (after
// the fused convolution's forward, when the pooling's Backward is called by itself): dx is cleared,
// then the gradient of window q of channel o goes to the input its arg names.
func (b *maxPoolBackward) backPixels(n int, dx, d []float32) {
	l := b.l
	g, ps := &l.g, l.pixelStride
	pq, hw := g.OH*g.OW, g.H*g.W
	off := [4]int{0, 1, g.W, g.W + 1}
	clear(dx)
	args := l.arg[n*pq*ps : (n+1)*pq*ps]
	for q, base := range l.base[:pq] {
		for o, a := range args[q*ps : q*ps+g.C] {
			if a < 4 {
				dx[o*hw+int(base)+off[a]] = d[o*pq+q]
			}
		}
	}
}

// clamped is the arg of an output that the fused ReLU clamped at 0: its gradient goes nowhere.
const clamped = 4

// Build implements Builder (see pool2D's); it also makes the table of window positions of the
// fast path.
func (l *MaxPool2D) Build(in Shape) (Shape, error) {
	out, err := l.pool2D.Build(in)
	if err != nil || !l.fast2x2() {
		return out, err
	}
	g := &l.g
	l.base = make([]int32, 0, out.Size())
	for c := range g.C {
		for oh := range g.OH {
			for ow := range g.OW {
				l.base = append(l.base, int32(c*g.H*g.W+oh*g.Stride*g.W+ow*g.Stride))
			}
		}
	}
	return out, nil
}

// maxPoolBack2x2 is the fast path's backward for one sample: dx is cleared, then each d[i] goes
// to the input arg[i] of window i, whose top left input is base[i] (nowhere when arg[i] is
// clamped: a 0 is stored at the top left).
func maxPoolBack2x2(dx, d []float32, arg []uint8, base []int32, w int) {
	clear(dx)
	off := [8]int32{0, 1, int32(w), int32(w) + 1}
	msk := [8]uint32{^uint32(0), ^uint32(0), ^uint32(0), ^uint32(0)}
	xb, db := bitsOf(dx), bitsOf(d)
	arg, base = arg[:len(db)], base[:len(db)]
	for i, g := range db {
		a := arg[i] & 7
		xb[base[i]+off[a]] = g & msk[a]
	}
}

// maxPoolBackImage is the exact path's backward for one sample: dx gets each d[i] at the first
// position of window i whose input has the bits of the output y[i] (its maximum; the first NaN
// when y[i] is one), nothing when relu is set and y[i] is not positive, 0 elsewhere.
func maxPoolBackImage(dx, d, y, x []float32, g *geom, relu bool) {
	hw, ow := g.H*g.W, g.OW
	clear(dx)
	for c := range g.C {
		for oh := range g.OH {
			top := c*hw + oh*g.Stride*g.W
			o := (c*g.OH + oh) * ow
			for j, yv := range y[o : o+ow] {
				if relu && positive(yv) == 0 {
					continue
				}
				m, nan := math.Float32bits(yv), yv != yv
				first := top + j*g.Stride
			search:
				for ki := range g.KH {
					row := first + ki*g.W
					for kj, v := range x[row : row+g.KW] {
						if math.Float32bits(v) == m || nan && v != v {
							dx[row+kj] += d[o+j]
							break search
						}
					}
				}
			}
		}
	}
}

// bitsOf returns the float32s of s as their bits, in the same memory.
func bitsOf(s []float32) []uint32 {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&s[0])), len(s))
}

// eqMask returns all ones when a == b, else 0, without a branch.
func eqMask(a, b uint32) uint32 {
	var m uint32
	if a == b {
		m = 1
	}
	return -m
}

// positive returns all ones when v > 0 (or v is -0 or a NaN without its sign: what ReLU's
// backward passes, see reluMask), else 0, without a branch.
func positive(v float32) uint32 {
	b := int32(math.Float32bits(v))
	return uint32((-b) >> 31)
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
	parallelRange(&l.par, x.Rows, parallelParts(x.Rows, 4), &l.fwd)
	return y
}

// Infer implements Inferer.
func (l *AvgPool2D) Infer(y, x *Matrix) {
	l.checkInfer(y, x)
	t := &avgPoolRun{g: &l.g, a: x, b: y}
	var job rangeJob
	parallelRange(&job, x.Rows, parallelParts(x.Rows, 4), t)
}

// Backward implements Layer.
func (l *AvgPool2D) Backward(dout *Matrix) *Matrix {
	checkDout(l, dout, &l.y.m, l.x != nil)
	dx := l.dx.resize(dout.Rows, l.g.inSize())
	l.bwd.a, l.bwd.b = dout, dx
	parallelRange(&l.par, dout.Rows, parallelParts(dout.Rows, 4), &l.bwd)
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
