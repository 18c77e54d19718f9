package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/lanesimd/lanes/kernels"
)

// Conv2D is a 2-D convolution (PyTorch's nn.Conv2d, a cross-correlation): In input channels to
// Out output channels with a KH x KW kernel, moved by Stride over the input padded with Pad zeros
// on each side. A sample is In x H x W (NCHW, see Shape) and gives Out x OH x OW with
// OH = (H + 2*Pad - KH)/Stride + 1 (and OW likewise):
//
//	y[o][i][j] = b[o] + sum over c, ki, kj of W[o][c][ki][kj] * x[c][i*Stride-Pad+ki][j*Stride-Pad+kj]
//
// W is Out x In*KH*KW, row o holding the kernel of output channel o in PyTorch's [out, in, kh, kw]
// order, so that it is Conv2d's weight as it lies in memory; b is 1 x Out.
//
// The height and width of the input come from Build, which Sequential.Build (and nn.Build) call;
// a Conv2D must be built before it runs.
//
// The computation, image by image, each batch split over up to GOMAXPROCS goroutines by images
// (goroutines that live on, so that a training step allocates nothing): im2col copies the input
// into a column matrix of In*KH*KW rows (plus a row of ones, which carries the bias) and OH*OW
// columns, and one kernels.Gemm multiplies the weights (with the bias as an extra column) by it,
// giving the image's output in NCHW order; a fused ReLU (Sequential's Forward, when a ReLU follows)
// clamps the image while it is in cache. Followed by a ReLU and a 2x2 MaxPool2D, the three run as
// one pass that takes the product pixel by pixel (see fused.go). The weight gradient is one
// product per image, summed in place (the bias gradient is its extra column), on a column matrix
// made again from the input, which costs less than keeping them all; for a first layer fused with
// its ReLU and pooling it comes from the pooled gradient instead, without any product
// (convgrad.go). The input gradient (skipped for the first layer of a Sequential) is the product
// of the transposed weights by the output gradient, added back into the input's shape: whole rows
// at a time with kernels.Axpy for stride 1, by col2im otherwise.
type Conv2D struct {
	In, Out     int // channels
	KH, KW      int // kernel height and width
	Stride, Pad int
	W, B        *Param

	g     geom
	built bool

	// Training state: the last Forward's input, the weights with the bias column (Out x kp),
	// per-goroutine column matrices (kp x P: Backward makes them again from x, which costs less
	// than keeping a batch of them and reading them back from memory), gradient sums and scratch.
	x     *Matrix
	relu  bool   // the last Forward clamped its output (a fused ReLU)
	last  Matrix // the shape (no data) of the last output, written or not (fused.go)
	y, dx buffer
	cols  []colScratch
	wp    []float32
	dwp   [][]float32 // per part: Out x kp
	dcol  [][]float32 // per part: kp x P, the column matrix of dx
	dmask [][]float32 // per part: Out x P, dout where the fused ReLU passed
	// per part, after the fused pooling: the gradient of the NHWC output (P x op) and of the
	// pooled one in pixel order (ph*pw x op); dwp is then kp x op, transposed.
	dn, dpz [][]float32
	needDx  bool
	dout    *Matrix
	par     rangeJob // the parts of Forward and Backward
	fwd     convForward
	bwd     convBackward
	// The fused convolution, ReLU and pooling (fused.go): the transposed weights with the bias
	// row, per-goroutine NHWC outputs and pooled outputs.
	wt      []float32
	yt      [][]float32
	pz      [][]float32 // per part: the pooled image in pixel order (ph*pw x op)
	pool    *MaxPool2D
	pixRows []int32 // kernels.ConvPixels' offsets of the window's rows (pixelRows), set by Build
	fwdPool convPoolForward
	pooled  pooledScratch // the weight gradient from the pooled gradient (convgrad.go)
}

// NewConv2D returns a Conv2D from in to out channels with a kh x kw kernel, the given stride and
// zero padding, its weights drawn by init from rng with fan-in in*kh*kw and fan-out out*kh*kw,
// and a zero bias. A nil init means HeNormal (suited to ReLU); a nil rng means a generator seeded
// with 0. It panics unless the sizes and the stride are positive and the padding is not negative.
func NewConv2D(in, out, kh, kw, stride, pad int, init Initializer, rng *rand.Rand) *Conv2D {
	l, err := newConv2D(in, out, kh, kw, stride, pad)
	if err != nil {
		panic("nn.NewConv2D: " + err.Error())
	}
	if init == nil {
		init = HeNormal
	}
	if rng == nil {
		rng = NewRand(0)
	}
	init.Init(l.W.Value.Data, in*kh*kw, out*kh*kw, rng)
	return l
}

// newConv2D checks the hyperparameters and returns a Conv2D with zero weights.
func newConv2D(in, out, kh, kw, stride, pad int) (*Conv2D, error) {
	if in <= 0 || out <= 0 || kh <= 0 || kw <= 0 || stride <= 0 || pad < 0 {
		return nil, fmt.Errorf("in = %d, out = %d, kernel %dx%d, stride %d must be positive and pad %d not negative", in, out, kh, kw, stride, pad)
	}
	if in > maxDim/kh/kw || out > maxDim/kh/kw || int64(in)*int64(kh)*int64(kw)*int64(out) > maxDim || stride > maxDim || pad > maxDim/4 {
		return nil, fmt.Errorf("in = %d, out = %d, kernel %dx%d, stride %d, pad %d: too large", in, out, kh, kw, stride, pad)
	}
	l := &Conv2D{In: in, Out: out, KH: kh, KW: kw, Stride: stride, Pad: pad}
	name := l.Name()
	l.W = newParam(name+".W", out, in*kh*kw, true)
	l.B = newParam(name+".b", 1, out, false)
	l.fwd.l, l.bwd.l, l.fwdPool.l = l, l, l
	return l, nil
}

// Name implements Layer: "Conv2D(1, 30, 5x5)", with ", stride S" and ", pad P" when they are not
// 1 and 0.
func (l *Conv2D) Name() string {
	s := fmt.Sprintf("Conv2D(%d, %d, %dx%d", l.In, l.Out, l.KH, l.KW)
	if l.Stride != 1 {
		s += fmt.Sprintf(", stride %d", l.Stride)
	}
	if l.Pad != 0 {
		s += fmt.Sprintf(", pad %d", l.Pad)
	}
	return s + ")"
}

// Params implements Layer: W then b.
func (l *Conv2D) Params() []*Param { return []*Param{l.W, l.B} }

// Build implements Builder: the input must have In channels and, padded, be at least as large as
// the kernel.
func (l *Conv2D) Build(in Shape) (Shape, error) {
	if !in.valid() {
		return Shape{}, fmt.Errorf("%s: input shape %dx%dx%d is not positive", l.Name(), in.C, in.H, in.W)
	}
	if in.C != l.In {
		return Shape{}, fmt.Errorf("%s: input %s has %d channels, want %d", l.Name(), in.dims(), in.C, l.In)
	}
	g, ok := newGeom(in, l.KH, l.KW, l.Stride, l.Pad)
	switch {
	case !ok && g.tooLarge():
		return Shape{}, fmt.Errorf("%s: input %s padded by %d holds more than 2^31-1 values", l.Name(), in.dims(), l.Pad)
	case !ok:
		return Shape{}, fmt.Errorf("%s: input %s padded by %d is smaller than the %dx%d kernel", l.Name(), in.dims(), l.Pad, l.KH, l.KW)
	}
	if int64(l.Out)*int64(g.positions()) > maxDim || int64(l.kp())*int64(g.positions()) > maxDim {
		return Shape{}, fmt.Errorf("%s: input %s gives a too large output", l.Name(), in.dims())
	}
	l.g, l.built = g, true
	l.pixRows = pixelRows(&l.g)
	return l.outShape(), nil
}

// InputShape implements Builder.
func (l *Conv2D) InputShape() (Shape, bool) { return Shape{l.g.C, l.g.H, l.g.W}, l.built }

func (l *Conv2D) outShape() Shape { return Shape{l.Out, l.g.OH, l.g.OW} }

// k returns the rows of the column matrix, In*KH*KW; kp adds the row of ones of the bias and
// rounds up to a multiple of 8 (rows of zeros), the depth of the products.
func (l *Conv2D) k() int  { return l.In * l.KH * l.KW }
func (l *Conv2D) kp() int { return (l.k() + 1 + 7) &^ 7 }

// mustBeBuilt panics, naming the layer and fn, if the layer has not been built.
func (l *Conv2D) mustBeBuilt(fn string) {
	if !l.built {
		panic(fmt.Sprintf("nn.%s.%s: the input's height and width are not set: build the model with nn.Build or Sequential.Build (or the layer with Build)", l.Name(), fn))
	}
}

// checkInput panics unless x has the columns of a sample of the built input shape.
func (l *Conv2D) checkInput(fn string, x *Matrix) {
	l.mustBeBuilt(fn)
	if n := l.g.inSize(); x.Cols != n {
		in, _ := l.InputShape()
		panic(fmt.Sprintf("nn.%s.%s: input is %s, want %d columns (samples of %s)", l.Name(), fn, x.Shape(), n, in.dims()))
	}
}

// OutCols implements Inferer: Out*OH*OW. It panics unless inCols is the size of the input shape
// the layer was built for.
func (l *Conv2D) OutCols(inCols int) int {
	l.mustBeBuilt("OutCols")
	if inCols != l.g.inSize() {
		in, _ := l.InputShape()
		panic(fmt.Sprintf("nn.%s: input of %d columns, want %d (samples of %s)", l.Name(), inCols, l.g.inSize(), in.dims()))
	}
	return l.outShape().Size()
}

// packWeights writes the weights with the bias column and zero padding, Out x kp, into wp.
func (l *Conv2D) packWeights(wp []float32) {
	k, kp := l.k(), l.kp()
	w, b := l.W.Value.Data, l.B.Value.Data
	for o := range l.Out {
		row := wp[o*kp : (o+1)*kp]
		copy(row, w[o*k:(o+1)*k])
		row[k] = b[o]
		clear(row[k+1:])
	}
}

// Forward implements Layer: the convolution of every row of x (see Conv2D).
func (l *Conv2D) Forward(x *Matrix, training bool) *Matrix { return l.forward(x, false) }

// forward is Forward; with relu set the output is clamped at 0 (a ReLU fused by Sequential).
func (l *Conv2D) forward(x *Matrix, relu bool) *Matrix {
	l.checkInput("Forward", x)
	p, kp := l.g.positions(), l.kp()
	y := l.y.resize(x.Rows, l.Out*p)
	l.last = Matrix{Rows: y.Rows, Cols: y.Cols}
	l.wp = grow(l.wp, l.Out*kp)
	l.packWeights(l.wp)
	parts := parallelParts(x.Rows, 1)
	l.prepareCols(parts)
	l.x, l.relu, l.pool = x, relu, nil
	l.fwd.x, l.fwd.y = x, y
	parallelRange(&l.par, x.Rows, parts, &l.fwd)
	return y
}

// convForward is the forward pass over a range of images.
type convForward struct {
	l    *Conv2D
	x, y *Matrix
}

func (f *convForward) run(part, from, to int) {
	l := f.l
	p, kp, in, out := l.g.positions(), l.kp(), l.g.inSize(), l.Out*l.g.positions()
	col, pad := l.cols[part].data, l.cols[part].pad
	for n := from; n < to; n++ {
		im2col(col, p, f.x.Data[n*in:(n+1)*in], &l.g, pad)
		convImage(f.y.Data[n*out:(n+1)*out], l.wp, col, l.Out, p, kp, l.relu)
	}
}

// convImage sets y (out x p, one image's output in NCHW order) to wp (out x kp: the weights, the
// bias column, zeros) times col (kp x p: the column matrix, its row of ones, zeros), clamped at 0
// when relu is set, while y is still in cache.
//
// This is the product with the bias-and-ReLU epilogue. The bias rides in the product (the extra
// column of wp against the row of ones of col), because here it is added per row of the output;
// kernels.Linear(y, x, w, bias, m, n, k, act), whose bias goes per column, does it for the
// transposed product, so with it this function's two calls become the one line
// kernels.Linear(y, wp, col, zeros, out, p, kp, act) on a K-major col (a zero bias of length p).
func convImage(y, wp, col []float32, out, p, kp int, relu bool) {
	kernels.Gemm(false, false, out, p, kp, 1, wp, kp, col, p, 0, y, p)
	if relu {
		kernels.ReLU(y, y)
	}
}

// Infer implements Inferer: the convolution of every row of x into y (x.Rows x Out*OH*OW), on
// scratch of its own, so that calls may run at once.
func (l *Conv2D) Infer(y, x *Matrix) {
	l.checkInput("Infer", x)
	p, kp := l.g.positions(), l.kp()
	if y.Rows != x.Rows || y.Cols != l.Out*p {
		panic(fmt.Sprintf("nn.%s.Infer: y is %s, want %dx%d for input %s", l.Name(), y.Shape(), x.Rows, l.Out*p, x.Shape()))
	}
	if x.Rows == 0 {
		return
	}
	parts := parallelParts(x.Rows, 1)
	per := kp*p + l.g.padScratch()
	scratch := getFloats(l.Out*kp + parts*per)
	defer putFloats(scratch)
	wp := (*scratch)[:l.Out*kp]
	l.packWeights(wp)
	t := &convInfer{l: l, x: x, y: y, wp: wp, cols: (*scratch)[l.Out*kp:], per: per}
	var job rangeJob
	parallelRange(&job, x.Rows, parts, t)
}

type convInfer struct {
	l        *Conv2D
	x, y     *Matrix
	wp, cols []float32
	per      int // floats of scratch per part: a column matrix, then im2col's
}

func (t *convInfer) run(part, from, to int) {
	l := t.l
	p, kp, k, in, out := l.g.positions(), l.kp(), l.k(), l.g.inSize(), l.Out*l.g.positions()
	col := t.cols[part*t.per : part*t.per+kp*p]
	pad := t.cols[part*t.per+kp*p : (part+1)*t.per]
	initConstRows(col, k, kp, p)
	for n := from; n < to; n++ {
		im2col(col, p, t.x.Data[n*in:(n+1)*in], &l.g, pad)
		convImage(t.y.Data[n*out:(n+1)*out], t.wp, col, l.Out, p, kp, false)
	}
}

// initConstRows sets the rows of one image's column matrix that im2col leaves alone: row k to
// ones (the bias), rows k+1 .. kp-1 to zeros.
func initConstRows(col []float32, k, kp, p int) {
	ones := col[k*p : (k+1)*p]
	for i := range ones {
		ones[i] = 1
	}
	clear(col[(k+1)*p : kp*p])
}

// colScratch is one goroutine's column matrix, kp x p, whose constant rows (see initConstRows)
// are set when it is (re)made.
type colScratch struct {
	data     []float32
	pad      []float32 // im2col's scratch
	kp, k, p int       // the geometry the constant rows were set for
}

// prepareCols makes the column matrices of parts goroutines ready for the built geometry.
func (l *Conv2D) prepareCols(parts int) {
	kp, k, p := l.kp(), l.k(), l.g.positions()
	for len(l.cols) < parts {
		l.cols = append(l.cols, colScratch{})
	}
	for i := range parts {
		c := &l.cols[i]
		c.pad = grow(c.pad, l.g.padScratch())
		if c.kp != kp || c.k != k || c.p != p || len(c.data) != kp*p {
			c.data = grow(c.data, kp*p)
			initConstRows(c.data, k, kp, p)
			c.kp, c.k, c.p = kp, k, p
		}
	}
}

// Backward implements Layer: dW and db summed over the batch, dx through col2im.
func (l *Conv2D) Backward(dout *Matrix) *Matrix { return l.backward(dout, true, false) }

// backward is Backward; needDx false skips dx (and returns nil), relu set masks dout where the
// fused ReLU clamped the output (it must match the last forward).
func (l *Conv2D) backward(dout *Matrix, needDx, relu bool) *Matrix {
	checkDout(l, dout, &l.last, l.x != nil)
	if relu != l.relu {
		panic(fmt.Sprintf("nn.%s.Backward: the last Forward was with the fused ReLU %v, this backward %v", l.Name(), l.relu, relu))
	}
	return l.runBackward(dout, nil, needDx, relu)
}

// backwardPool is the backward pass of the convolution, ReLU and pooling triple after its
// forwardPool (fused.go): dout is the pooling's output gradient; each image's is taken back through
// the pooling (its fast path) into scratch that the convolution's products then read while it is
// in cache.
func (l *Conv2D) backwardPool(dout *Matrix, p *MaxPool2D, needDx bool) *Matrix {
	checkDout(p, dout, &p.y.m, p.x != nil)
	if !p.relu || l.relu || l.pool != p {
		panic(fmt.Sprintf("nn.%s.Backward: the last Forward was not the fused convolution, ReLU and %s", l.Name(), p.Name()))
	}
	return l.runBackward(dout, p, needDx, false)
}

// runBackward sizes the scratch and runs convBackward over the batch.
func (l *Conv2D) runBackward(dout *Matrix, pool *MaxPool2D, needDx, relu bool) *Matrix {
	p, kp, rows := l.g.positions(), l.kp(), dout.Rows
	parts := parallelParts(rows, 1)
	for len(l.dwp) < parts {
		l.dwp = append(l.dwp, nil)
		l.dcol = append(l.dcol, nil)
		l.dmask = append(l.dmask, nil)
		l.dn = append(l.dn, nil)
		l.dpz = append(l.dpz, nil)
	}
	op := l.outPadded()
	for i := range parts {
		l.dwp[i] = grow(l.dwp[i], max(l.Out, op)*kp)
		if pool != nil {
			l.dn[i] = grow(l.dn[i], p*op)
			l.dpz[i] = grow(l.dpz[i], pool.g.OH*pool.g.OW*op)
		}
		if needDx {
			n := kp * p
			if l.Stride == 1 {
				_, n = l.wideSize()
			}
			l.dcol[i] = grow(l.dcol[i], n)
		}
		if relu || pool != nil {
			l.dmask[i] = grow(l.dmask[i], l.Out*p)
		}
	}
	var dx *Matrix
	if needDx {
		dx = l.dx.resize(rows, l.g.inSize())
	}
	l.bwd.dout, l.bwd.dx, l.bwd.x, l.bwd.pool, l.needDx = dout, dx, l.x, pool, needDx
	l.bwd.pooled = pool != nil && l.pooledGradFits(needDx)
	if l.bwd.pooled {
		l.preparePooledGrad(pool, parts)
	}
	l.prepareCols(parts)
	if rows == 0 {
		clear(l.dwp[0])
		if l.bwd.pooled {
			clear(l.pooled.dw[0])
		}
	} else {
		parallelRange(&l.par, rows, parts, &l.bwd)
	}
	if pool != nil {
		l.sumGradsT(parts, op)
	} else {
		l.sumGrads(parts)
	}
	if l.bwd.pooled {
		l.addPooledGrads(parts)
	}
	return dx
}

// sumGradsT is sumGrads for gradients transposed (kp x op, after the fused pooling): W's are the
// first Out columns of the first k rows, b's the row k.
func (l *Conv2D) sumGradsT(parts, op int) {
	k := l.k()
	gw, gb := l.W.Grad.Data, l.B.Grad.Data
	for i := 1; i < parts; i++ {
		kernels.Axpy(1, l.dwp[i][:(k+1)*op], l.dwp[0][:(k+1)*op])
	}
	d := l.dwp[0]
	for o := range l.Out {
		for i := range k {
			gw[o*k+i] = d[i*op+o]
		}
		gb[o] = d[k*op+o]
	}
}

// sumGrads sets W.Grad and B.Grad to the sum of the parts' gradients: W is the first k columns
// of each row, b the column k.
func (l *Conv2D) sumGrads(parts int) {
	kp := l.kp()
	k := l.k()
	gw, gb := l.W.Grad.Data, l.B.Grad.Data
	for o := range l.Out {
		row := l.dwp[0][o*kp : o*kp+k+1]
		copy(gw[o*k:(o+1)*k], row[:k])
		gb[o] = row[k]
		for i := 1; i < parts; i++ {
			kernels.Axpy(1, l.dwp[i][o*kp:o*kp+k], gw[o*k:(o+1)*k])
			gb[o] += l.dwp[i][o*kp+k]
		}
	}
}

// convBackward is the backward pass over a range of images: part's gradient sums dwp[part],
// and dx.
type convBackward struct {
	l           *Conv2D
	dout, dx, x *Matrix
	pool        *MaxPool2D // the fused pooling whose output gradient dout is, or nil
	pooled      bool       // the weight gradient from the pooled gradient (convgrad.go)
}

func (b *convBackward) run(part, from, to int) {
	l := b.l
	p, kp, k, out, in := l.g.positions(), l.kp(), l.k(), l.Out*l.g.positions(), l.g.inSize()
	dwp, col, pad := l.dwp[part], l.cols[part].data, l.cols[part].pad
	if from == to || b.pooled {
		// The pooled-gradient path sums into its own rows; the images it leaves to the product
		// (an Inf or NaN in them) add into dwp.
		clear(dwp)
		if b.pooled {
			clear(l.pooled.dw[part])
		}
		if from == to {
			return
		}
	}
	for n := from; n < to; n++ {
		if b.pooled && b.pooledImage(part, n) {
			continue
		}
		im2col(col, p, b.x.Data[n*in:(n+1)*in], &l.g, pad)
		beta := float32(1)
		if n == from && !b.pooled {
			beta = 0
		}
		var d []float32
		switch {
		case b.pool != nil:
			// The gradient of the NHWC output, dn (P x op), through the pooling; then
			// dW^T (kp x op) += col_n (kp x P) * dn, and d is dn in NCHW order.
			op, pg := b.pool.pixelStride, &b.pool.g
			q, pq := b.pool.outShape().Size(), pg.OH*pg.OW
			dn := l.dn[part]
			poolPixelsGrad(dn, l.dpz[part], b.dout.Data[n*q:(n+1)*q], b.pool.arg[n*pq*op:(n+1)*pq*op], op, l.Out, l.g.OW, l.g.OH, pg.OH, pg.OW)
			kernels.Gemm(false, false, k+1, op, p, 1, col, p, dn, op, beta, dwp, op)
			if l.needDx {
				d = l.dmask[part]
				pixelsToChannels(d, dn, p, op, l.Out)
			}
		case l.relu:
			d = l.dmask[part]
			kernels.ReLUGrad(d, b.dout.Data[n*out:(n+1)*out], l.y.m.Data[n*out:(n+1)*out])
		default:
			d = b.dout.Data[n*out : (n+1)*out]
		}
		if b.pool == nil {
			// dW += dout_n (Out x P) * col_n^T (P x kp)
			kernels.Gemm(false, true, l.Out, kp, p, 1, d, p, col, p, beta, dwp, kp)
		}
		if !l.needDx {
			continue
		}
		if l.Stride == 1 {
			l.inputGradWide(b.dx.Data[n*in:(n+1)*in], d, part)
			continue
		}
		// dcol (k x P) = W^T (k x Out) * dout_n; then col2im.
		dcol := l.dcol[part]
		kernels.Gemm(true, false, k, p, l.Out, 1, l.wp, kp, d, p, 0, dcol, p)
		col2im(b.dx.Data[n*in:(n+1)*in], dcol, p, &l.g, pad)
	}
}

// wideSize returns, for stride 1, the width Wp of the padded input, which the input gradient's
// products use as the width of the output (a "wide" row of Wp positions, the last KW-1 of which
// lie past the output), and the length of the scratch inputGradWide needs: the wide output
// gradient (Out x OH*Wp), the wide column gradient (k x OH*Wp), the padded input gradient.
func (l *Conv2D) wideSize() (wp, scratch int) {
	g := &l.g
	wp = g.W + 2*g.Pad
	hp := g.H + 2*g.Pad
	return wp, (l.Out+l.k())*g.OH*wp + g.C*hp*wp + g.KW
}

// inputGradWide sets dx (one sample) to the input gradient of the output gradient d (Out x P)
// for stride 1, without col2im's short rows: with the output rows widened to the padded input's
// width (zeros past the output), row (c, ki, kj) of the column gradient is added to the padded
// input gradient in one piece (kernels.Axpy), from the input position of its first window on.
func (l *Conv2D) inputGradWide(dx, d []float32, part int) {
	g := &l.g
	wp, _ := l.wideSize()
	hp, ow, oh, kp, k := g.H+2*g.Pad, g.OW, g.OH, l.kp(), l.k()
	n := oh * wp
	buf := l.dcol[part]
	dyw, dcol, xp := buf[:l.Out*n], buf[l.Out*n:(l.Out+k)*n], buf[(l.Out+k)*n:]
	for o := range l.Out {
		for i := range oh {
			row := dyw[o*n+i*wp : o*n+(i+1)*wp]
			copy(row, d[(o*oh+i)*ow:(o*oh+i+1)*ow])
			clear(row[ow:])
		}
	}
	// dcol (k x OH*Wp) = W^T (k x Out) * dyw
	kernels.Gemm(true, false, k, n, l.Out, 1, l.wp, kp, dyw, n, 0, dcol, n)
	clear(xp)
	r := 0
	for c := range g.C {
		for ki := range g.KH {
			for kj := range g.KW {
				at := (c*hp+ki)*wp + kj
				kernels.Axpy(1, dcol[r*n:(r+1)*n], xp[at:at+n])
				r++
			}
		}
	}
	for c := range g.C {
		for i := range g.H {
			copy(dx[(c*g.H+i)*g.W:(c*g.H+i+1)*g.W], xp[(c*hp+i+g.Pad)*wp+g.Pad:])
		}
	}
}

// grow returns s with length n, reallocated when its capacity is smaller (contents then zero).
func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// state implements stateLayer: PyTorch's Conv2d weight [out, in, kh, kw] is W as it lies in
// memory; bias [out].
func (l *Conv2D) state() []stateEntry {
	return []stateEntry{
		{name: "weight", shape: []int{l.Out, l.In, l.KH, l.KW},
			get: func() []float32 { return l.W.Value.Data },
			set: func(v []float32) { copy(l.W.Value.Data, v) }},
		{name: "bias", shape: []int{l.Out},
			get: func() []float32 { return l.B.Value.Data },
			set: func(v []float32) { copy(l.B.Value.Data, v) }},
	}
}
