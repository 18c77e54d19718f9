package nn

import (
	"fmt"
	"math"
	"sync/atomic"
	"unsafe"

	"github.com/lanesimd/lanes/kernels"
)

// The forward pass of a Conv2D, the ReLU after it and a 2x2 MaxPool2D with stride 2 after that, as
// one pass (Sequential.Forward runs such a triple so; SimpleConvNet has one), and its backward
// pass (Conv2D.backwardPool). The convolution's product is taken pixel by pixel instead of
// channel by channel, its output transposed to NHWC (positions x channels): the column matrix is
// then the left operand, which kernels.Gemm reads where it lies instead of packing it, and the
// four inputs of a pooling window are four rows of contiguous channels, so that the pooling runs
// over contiguous values. The pooled output is in NCHW order, as MaxPool2D's; the convolution's
// own output is never written, and its ReLU is the pooling's (clamping the maxima).

// convPoolFits reports whether Sequential may fuse the triple: the pooling is 2x2 with stride 2
// and built for what the convolution gives.
func convPoolFits(c *Conv2D, p *MaxPool2D) bool {
	in, ok := p.InputShape()
	return c.built && ok && p.fast2x2() && in == c.outShape()
}

// forwardPool runs the triple on x and returns the pooled output (p's). If the convolution gives
// a NaN anywhere, the batch is run again the exact way (the convolution, then the pooling with the
// fused ReLU), so that the NaN propagates as the layers say; the products are searched for one
// only when convBounded cannot rule it out.
func (l *Conv2D) forwardPool(x *Matrix, p *MaxPool2D) *Matrix {
	l.checkInput("Forward", x)
	pos, kp, op := l.g.positions(), l.kp(), l.outPadded()
	l.wt = grow(l.wt, kp*op)
	l.packWeightsT(l.wt, op)
	l.wp = grow(l.wp, l.Out*kp) // for Backward's input gradient
	l.packWeights(l.wp)
	parts := parallelParts(x.Rows, 1)
	l.prepareCols(parts)
	out := p.outShape().Size()
	for len(l.yt) < parts {
		l.yt = append(l.yt, nil)
	}
	for len(l.pz) < parts {
		l.pz = append(l.pz, nil)
	}
	pq := p.g.OH * p.g.OW
	for i := range parts {
		l.yt[i] = grow(l.yt[i], pos*op)
		l.pz[i] = grow(l.pz[i], pq*op)
	}
	// p's state, as its forward with the fused ReLU would leave it on the fast path, but with its
	// args in pixel order, op per pixel.
	py := p.y.resize(x.Rows, out)
	p.arg = growBytes(p.arg, x.Rows*pq*op)
	p.slow = growBools(p.slow, x.Rows)
	clear(p.slow)
	l.pool, l.fwdPool.x, l.fwdPool.p = p, x, p
	l.fwdPool.check = !convBounded(x.Data[:x.Rows*x.Cols], l.wt[:kp*op])
	l.fwdPool.nan.Store(false)
	parallelRange(&l.par, x.Rows, parts, &l.fwdPool)
	if l.fwdPool.nan.Load() {
		l.pool = nil
		return p.forward(l.forward(x, false), true)
	}
	// Backward's checks: the convolution ran, giving an output of that shape (not written), without
	// a ReLU of its own; the pooling ran on it with the fused ReLU, its args in pixel order (its
	// input, which only its exact path reads, is that shape without data).
	l.x, l.relu, l.last = x, false, Matrix{Rows: x.Rows, Cols: l.Out * pos}
	p.x, p.relu, p.pixelStride = &l.last, true, op
	return py
}

// outPadded returns the output channels rounded up to the width of the micro-kernels' tiles
// (16 up to 16 channels, else a multiple of 32), so that the pixel-by-pixel product has no
// partial tile; the extra channels have zero weights.
func (l *Conv2D) outPadded() int {
	if l.Out <= 16 {
		return 16
	}
	return (l.Out + 31) &^ 31
}

// packWeightsT writes the transposed weights with the bias row, kp x op: row k < K holds the
// weights of input k for every output channel, row K the bias, the rest and the padding channels
// zero.
func (l *Conv2D) packWeightsT(wt []float32, op int) {
	k, kp := l.k(), l.kp()
	clear(wt[:kp*op])
	w := l.W.Value.Data
	for o := range l.Out {
		for i, v := range w[o*k : (o+1)*k] {
			wt[i*op+o] = v
		}
		wt[k*op+o] = l.B.Value.Data[o]
	}
}

// convPoolForward is the triple over a range of images.
type convPoolForward struct {
	l     *Conv2D
	p     *MaxPool2D
	x     *Matrix
	check bool // look for a NaN in each image's product (convBounded could not rule one out)
	nan   atomic.Bool
}

func (f *convPoolForward) run(part, from, to int) {
	l, p := f.l, f.p
	in, out, pq, op := l.g.inSize(), p.outShape().Size(), p.g.OH*p.g.OW, l.outPadded()
	for n := from; n < to; n++ {
		// The image's pooled output, which poolPixels writes last, channel by channel: asked for
		// now, its lines arrive while the product runs (else the transposing writes wait on each).
		kernels.Prefetch(p.y.m.Data[n*out : (n+1)*out])
		if !l.poolImage(p.y.m.Data[n*out:(n+1)*out], l.pz[part], p.arg[n*pq*op:(n+1)*pq*op], l.yt[part],
			l.cols[part].data, l.cols[part].pad, l.wt, f.x.Data[n*in:(n+1)*in], p, f.check) {
			f.nan.Store(true)
			return
		}
	}
}

// poolImage runs the triple on the image x: im2col into col (pad its scratch), the pixel-by-pixel
// product yt (positions x op) = colᵀ · wt, and, unless check finds a NaN in yt (then it returns
// false and writes nothing more), the pooling into y with z and arg as poolPixels takes them.
//
// Where no product can be NaN or infinite (check unset) and the assembly takes the shape
// (pixelsDirect), the product is kernels.ConvPixels, from the input where it lies (padded into pad
// first where the convolution pads): no column matrix, and the window rows of 4 pixels that read
// only zeros are passed over; its sums are those of the product, in the same order, bit for bit.
func (l *Conv2D) poolImage(y, z []float32, arg []uint8, yt, col, pad, wt, x []float32, p *MaxPool2D, check bool) bool {
	pos, op := l.g.positions(), l.outPadded()
	if !check && l.pixelsDirect() {
		src, ldx := x, l.g.W
		if l.g.Pad > 0 {
			src, ldx = padInput(pad, x, &l.g), l.g.W+2*l.g.Pad
		}
		kernels.ConvPixels(yt, op, src, ldx, l.pixRows, l.KW, wt, l.g.OH, l.g.OW)
	} else {
		im2col(col, pos, x, &l.g, pad)
		// yt (pos x op) = col^T (pos x k+1) * wt (k+1 x op): col is read in place, to its row of
		// ones (the rows of zeros after it, which round kp up for Backward's products, are left out).
		kernels.Gemm(true, false, pos, op, l.k()+1, 1, col, pos, wt, op, 0, yt, op)
		if check {
			if m := kernels.Max(yt); m != m {
				return false
			}
		}
	}
	poolPixels(y, z, arg, yt, op, l.Out, l.g.OW, p.g.OH, p.g.OW)
	return true
}

// pixelsDirect reports whether poolImage may take the product with kernels.ConvPixels: stride 1
// and a shape its assembly takes on the active ISA (else the column matrix and Gemm are faster).
func (l *Conv2D) pixelsDirect() bool {
	return l.Stride == 1 && kernels.ConvPixelsAssembly(l.outPadded(), l.KW, l.g.OW)
}

// pixelRows returns kernels.ConvPixels' rows for the geometry g: the offsets in the padded input
// of the window's rows for the first output pixel, input channel by channel, kernel row by kernel
// row.
func pixelRows(g *geom) []int32 {
	hp, wp := g.H+2*g.Pad, g.W+2*g.Pad
	rows := make([]int32, 0, g.C*g.KH)
	for c := range g.C {
		for ki := range g.KH {
			rows = append(rows, int32((c*hp+ki)*wp))
		}
	}
	return rows
}

// convBoundLimit bounds what convBounded lets through: far under the largest float32, 3.4e38,
// with room for the roundings of the sums.
const convBoundLimit = 1e36

// convBounded reports whether no output of a convolution of the images x (all of them, laid end
// to end) with the packed weights and biases wt can be NaN or infinite, so that the triple need
// not look for a NaN image by image (a pass over all its products, about 2% of SimpleConvNet's
// training). Every partial sum of an output is a sum of products of distinct inputs of one image
// (and 1, for the bias) with one channel's weights (and bias), at most sqrt((|x|²+1)·|wt|²) in
// magnitude (Cauchy-Schwarz), |x| and |wt| the norms of all the images and of all the weights;
// below convBoundLimit nothing overflows, and with every input and weight finite nothing is NaN.
// A NaN or an infinity in x or wt, or norms too large, make the sums of squares NaN, infinite or
// too large, and it reports false.
func convBounded(x, wt []float32) bool {
	xx, ww := float64(kernels.Dot(x, x)), float64(kernels.Dot(wt, wt))
	return math.Sqrt((xx+1)*ww) < convBoundLimit
}

// poolPixels is ReLU then 2x2 max pooling with stride 2 of one image in NHWC order, yt (oh*ow
// pixels of op values, the first out of them the channels): kernels.MaxPool2x2ReLU pools each row
// of windows into z and aq (ph*pw pixels of op values and args, pixel order: the args of
// MaxPool2D's fast path), then y gets the first out channels of z in NCHW order (out x ph*pw).
// The padding channels are zero, so that their args say clamped.
func poolPixels(y, z []float32, aq []uint8, yt []float32, op, out, ow, ph, pw int) {
	row := pw * op
	for qh := range ph {
		top, bottom := yt[2*qh*ow*op:], yt[(2*qh+1)*ow*op:]
		kernels.MaxPool2x2ReLU(z[qh*row:(qh+1)*row], aq[qh*row:(qh+1)*row], top[:2*row], bottom[:2*row], op)
	}
	pixelsToChannels(y, z, ph*pw, op, out)
}

// poolPixelsGrad is poolPixels' backward pass for one image: the output gradient dq (NCHW, out x
// ph*pw) goes, in pixel order through g (ph*pw x op), to the input of each window that aq names
// (kernels.MaxPool2x2ReLUGrad), giving dn, the gradient of yt (oh*ow pixels of op values). The
// pixels no window covers (the last column or row when ow or oh is odd) get 0.
func poolPixelsGrad(dn, g, dq []float32, aq []uint8, op, out, ow, oh, ph, pw int) {
	channelsToPixels(g, dq, ph*pw, op, out)
	if ow != 2*pw || oh != 2*ph {
		clear(dn)
	}
	row := pw * op
	for qh := range ph {
		top, bottom := dn[2*qh*ow*op:], dn[(2*qh+1)*ow*op:]
		kernels.MaxPool2x2ReLUGrad(top[:2*row], bottom[:2*row], g[qh*row:(qh+1)*row], aq[qh*row:(qh+1)*row], op)
	}
}

// pixelsToChannels sets y[o*pq+q] = z[q*op+o] for the pq pixels and the first out of the op
// values of each: from pixel order to NCHW.
func pixelsToChannels(y, z []float32, pq, op, out int) {
	kernels.Transpose(y, pq, z, op, pq, out)
}

// channelsToPixels is pixelsToChannels' inverse: z[q*op+o] = y[o*pq+q] for o < out (the other
// values of each pixel are left alone).
func channelsToPixels(z, y []float32, pq, op, out int) {
	kernels.Transpose(z, op, y, pq, out, pq)
}

func growBytes(s []uint8, n int) []uint8 {
	if cap(s) < n {
		return make([]uint8, n)
	}
	return s[:n]
}

func growBools(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	return s[:n]
}

// convPoolInfer is the inference step of a Conv2D, the ReLU after it and a 2x2 MaxPool2D with
// stride 2 (convPoolFits), as one pass like forwardPool's, on scratch of its own so that calls
// may run at once. An image whose convolution gives a NaN is run the exact way (the convolution
// channel by channel, then the pooling with the fused ReLU), so that the NaN propagates as the
// layers say.
type convPoolInfer struct {
	*Conv2D // the Layer methods (the step is only ever inferred with)
	relu    Layer
	pool    *MaxPool2D
}

// Name names the three layers, for the panics of Infer.
func (f *convPoolInfer) Name() string {
	return f.Conv2D.Name() + " -> " + f.relu.Name() + " -> " + f.pool.Name()
}

// OutCols implements Inferer: the pooling's output width.
func (f *convPoolInfer) OutCols(inCols int) int { return f.pool.OutCols(f.Conv2D.OutCols(inCols)) }

// Infer implements Inferer.
func (f *convPoolInfer) Infer(y, x *Matrix) {
	l, p := f.Conv2D, f.pool
	l.checkInput("Infer", x)
	out := p.outShape().Size()
	if y.Rows != x.Rows || y.Cols != out {
		panic(fmt.Sprintf("nn.%s.Infer: y is %s, want %dx%d for input %s", f.Name(), y.Shape(), x.Rows, out, x.Shape()))
	}
	if x.Rows == 0 {
		return
	}
	pos, kp, op, pq := l.g.positions(), l.kp(), l.outPadded(), p.g.OH*p.g.OW
	parts := parallelParts(x.Rows, 1)
	// Per part: the column matrix and im2col's padding, the NHWC output, the pooled image and its
	// args (as bytes, in floats), the NCHW output of the exact way.
	per := kp*pos + l.g.padScratch() + pos*op + pq*op + (pq*op+3)/4 + l.Out*pos
	scratch := getFloats(kp*op + l.Out*kp + parts*per)
	defer putFloats(scratch)
	s := *scratch
	t := &convPoolInferRun{f: f, x: x, y: y, wt: s[:kp*op], wp: s[kp*op : kp*op+l.Out*kp], scratch: s[kp*op+l.Out*kp:], per: per}
	l.packWeightsT(t.wt, op)
	l.packWeights(t.wp)
	t.check = !convBounded(x.Data[:x.Rows*x.Cols], t.wt)
	var job rangeJob
	parallelRange(&job, x.Rows, parts, t)
}

type convPoolInferRun struct {
	f               *convPoolInfer
	x, y            *Matrix
	wt, wp, scratch []float32
	per             int
	check           bool // as convPoolForward's
}

func (t *convPoolInferRun) run(part, from, to int) {
	l, p := t.f.Conv2D, t.f.pool
	pos, kp, k, op, in := l.g.positions(), l.kp(), l.k(), l.outPadded(), l.g.inSize()
	pq, out := p.g.OH*p.g.OW, p.outShape().Size()
	s := t.scratch[part*t.per : (part+1)*t.per]
	cut := func(n int) []float32 {
		v := s[:n]
		s = s[n:]
		return v
	}
	col, pad := cut(kp*pos), cut(l.g.padScratch())
	yt, z, argf, exact := cut(pos*op), cut(pq*op), cut((pq*op+3)/4), cut(l.Out*pos)
	arg := unsafe.Slice((*uint8)(unsafe.Pointer(&argf[0])), pq*op)
	initConstRows(col, k, kp, pos)
	for n := from; n < to; n++ {
		y := t.y.Data[n*out : (n+1)*out]
		if !l.poolImage(y, z, arg, yt, col, pad, t.wt, t.x.Data[n*in:(n+1)*in], p, t.check) {
			convImage(exact, t.wp, col, l.Out, pos, kp, false)
			maxPoolImage(y, exact, &p.g, true)
		}
	}
}
