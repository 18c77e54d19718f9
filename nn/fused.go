package nn

import (
	"sync/atomic"

	"github.com/lanesimd/lanes/kernels"
)

// The forward pass of a Conv2D, the ReLU after it and a 2x2 MaxPool2D with stride 2 after that, as
// one pass (Sequential.Forward runs such a triple so; SimpleConvNet has one). The convolution's
// product is taken pixel by pixel instead of channel by channel, its output transposed to NHWC
// (positions x channels): the column matrix is then the left operand, which kernels.Gemm reads
// where it lies instead of packing it, and the four inputs of a pooling window are four rows of
// contiguous channels, so that the pooling runs over contiguous values. The pooled output is in
// NCHW order, as MaxPool2D's; the convolution's own output is never written. Backward is the
// layers' own (MaxPool2D's fast path, then Conv2D's), on the state this pass leaves.

// convPoolFits reports whether Sequential may fuse the triple: the pooling is 2x2 with stride 2
// and built for what the convolution gives.
func convPoolFits(c *Conv2D, p *MaxPool2D) bool {
	in, ok := p.InputShape()
	return c.built && ok && p.fast2x2() && in == c.outShape()
}

// forwardPool runs the triple on x and returns the pooled output (p's). If the convolution gives
// a NaN anywhere, the batch is run again the exact way (the convolution, then the pooling with the
// fused ReLU), so that the NaN propagates as the layers say.
func (l *Conv2D) forwardPool(x *Matrix, p *MaxPool2D) *Matrix {
	l.checkInput("Forward", x)
	pos, kp, op := l.g.positions(), l.kp(), l.outPadded()
	l.wt = grow(l.wt, kp*op)
	l.packWeightsT(l.wt, op)
	l.wp = grow(l.wp, l.Out*kp) // for Backward's input gradient
	l.packWeights(l.wp)
	l.col.prepare(x.Rows, kp, l.k(), pos)
	parts := parallelParts(x.Rows, 1)
	for len(l.yt) < parts {
		l.yt = append(l.yt, nil)
	}
	for i := range parts {
		l.yt[i] = grow(l.yt[i], pos*op)
	}
	// p's state, as its forward with the fused ReLU would leave it on the fast path.
	out := p.outShape().Size()
	py := p.y.resize(x.Rows, out)
	p.arg = growBytes(p.arg, x.Rows*out)
	p.slow = growBools(p.slow, x.Rows)
	clear(p.slow)
	l.pool, l.fwdPool.x, l.fwdPool.p = p, x, p
	l.fwdPool.nan.Store(false)
	parallelRange(&l.wg, x.Rows, parts, &l.fwdPool)
	if l.fwdPool.nan.Load() {
		return p.forward(l.forward(x, false), true)
	}
	// Backward's checks: the convolution ran (its output, which Backward does not read, has its
	// shape) without a ReLU of its own; the pooling ran with the fused ReLU.
	l.x, l.relu = x, false
	l.y.resize(x.Rows, l.Out*pos)
	p.x, p.relu = &l.y.m, true
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
	l   *Conv2D
	p   *MaxPool2D
	x   *Matrix
	nan atomic.Bool
}

func (f *convPoolForward) run(part, from, to int) {
	l, p := f.l, f.p
	pos, kp, op, in := l.g.positions(), l.kp(), l.outPadded(), l.g.inSize()
	out := p.outShape().Size()
	yt := l.yt[part]
	for n := from; n < to; n++ {
		col := l.col.image(n)
		im2col(col, pos, f.x.Data[n*in:(n+1)*in], &l.g)
		// yt (pos x op) = col^T (pos x kp) * wt (kp x op): col is read in place.
		kernels.Gemm(true, false, pos, op, kp, 1, col, pos, l.wt, op, 0, yt, op)
		if m := kernels.Max(yt); m != m {
			f.nan.Store(true)
			return
		}
		poolNHWC(p.y.m.Data[n*out:(n+1)*out], p.arg[n*out:(n+1)*out], yt, op, l.Out, l.g.OH, l.g.OW, p.g.OH, p.g.OW)
	}
}

// poolNHWC is ReLU then 2x2 max pooling with stride 2 of one image in NHWC order, yt (oh*ow
// pixels of op values, the first out of them the channels), into y in NCHW order (out x ph x pw)
// and arg (which input of each window is its first maximum, as MaxPool2D keeps it). yt holds no
// NaN. The values compare as the int32 of their bits, which orders the positive floats and puts
// the rest below +0, where the ReLU clamps them.
func poolNHWC(y []float32, arg []uint8, yt []float32, op, out, oh, ow, ph, pw int) {
	pq := ph * pw
	yb := bitsOf(y)
	for qh := range ph {
		for qw := range pw {
			p00 := (2*qh*ow + 2*qw) * op
			r00 := bitsOf(yt[p00 : p00+out])
			r01 := bitsOf(yt[p00+op : p00+op+out])
			r10 := bitsOf(yt[p00+ow*op : p00+ow*op+out])
			r11 := bitsOf(yt[p00+ow*op+op : p00+ow*op+op+out])
			poolNHWCPixel(yb[qh*pw+qw:], arg[qh*pw+qw:], r00, r01, r10, r11, pq)
		}
	}
}

// poolNHWCPixel pools the four pixels r00, r01 (top row), r10, r11 of one window, channel by
// channel, into y[o*pq] and arg[o*pq] for every channel o.
func poolNHWCPixel(y []uint32, arg []uint8, r00, r01, r10, r11 []uint32, pq int) {
	r01, r10, r11 = r01[:len(r00)], r10[:len(r00)], r11[:len(r00)]
	for o, a := range r00 {
		ka, kb, kc, kd := int32(a), int32(r01[o]), int32(r10[o]), int32(r11[o])
		top, bottom := max(ka, kb), max(kc, kd)
		i := greater(kb, ka)
		i2 := 2 + greater(kd, kc)
		if greater(bottom, top) == 1 {
			i = i2
		}
		y[o*pq] = uint32(max(top, bottom, 0))
		arg[o*pq] = uint8(i)
	}
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
