package nn

import (
	"sync/atomic"

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
// fused ReLU), so that the NaN propagates as the layers say.
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
	for i := range parts {
		l.yt[i] = grow(l.yt[i], pos*op)
	}
	// p's state, as its forward with the fused ReLU would leave it on the fast path.
	py := p.y.resize(x.Rows, out)
	p.arg = growBytes(p.arg, x.Rows*out)
	p.slow = growBools(p.slow, x.Rows)
	clear(p.slow)
	l.pool, l.fwdPool.x, l.fwdPool.p = p, x, p
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
	p.x, p.relu, p.pixelArgs = &l.last, true, true
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
	pos, k1, op, in := l.g.positions(), l.k()+1, l.outPadded(), l.g.inSize()
	out := p.outShape().Size()
	yt := l.yt[part]
	col, pad := l.cols[part].data, l.cols[part].pad
	for n := from; n < to; n++ {
		im2col(col, pos, f.x.Data[n*in:(n+1)*in], &l.g, pad)
		// yt (pos x op) = col^T (pos x k+1) * wt (k+1 x op): col is read in place, to its row of
		// ones (the rows of zeros after it, which round kp up for Backward's products, are left
		// out).
		kernels.Gemm(true, false, pos, op, k1, 1, col, pos, l.wt, op, 0, yt, op)
		if m := kernels.Max(yt); m != m {
			f.nan.Store(true)
			return
		}
		poolNHWC(p.y.m.Data[n*out:(n+1)*out], p.arg[n*out:(n+1)*out], yt, op, l.Out, l.g.OW, p.g.OH, p.g.OW)
	}
}

// poolNHWC is ReLU then 2x2 max pooling with stride 2 of one image in NHWC order, yt (oh*ow
// pixels of op values, the first out of them the channels), into y in NCHW order (out x ph x pw)
// and aq in pixel order (ph*pw pixels of out channels: which input of each window is its first
// maximum, or clamped, as MaxPool2D's arg). yt holds no NaN. The values compare as the int32 of
// their bits, which orders the positive floats and puts the rest below +0, where the ReLU clamps
// them.
func poolNHWC(y []float32, aq []uint8, yt []float32, op, out, ow, ph, pw int) {
	yb := bitsOf(y)
	for qh := range ph {
		for qw := range pw {
			p00 := (2*qh*ow + 2*qw) * op
			q := qh*pw + qw
			poolNHWCPixel(yb[q:], ph*pw, aq[q*out:(q+1)*out],
				bitsOf(yt[p00:p00+out]), bitsOf(yt[p00+op:p00+op+out]),
				bitsOf(yt[p00+ow*op:p00+ow*op+out]), bitsOf(yt[p00+ow*op+op:p00+ow*op+op+out]))
		}
	}
}

// poolNHWCPixel pools the four pixels r00, r01 (top row), r10, r11 of one window, channel by
// channel, into y[o*pq] and arg[o].
func poolNHWCPixel(y []uint32, pq int, arg []uint8, r00, r01, r10, r11 []uint32) {
	n := len(arg)
	r00, r01, r10, r11 = r00[:n], r01[:n], r10[:n], r11[:n]
	_ = y[(n-1)*pq]
	j := 0
	for o := range arg {
		ka, kb, kc, kd := int32(r00[o]), int32(r01[o]), int32(r10[o]), int32(r11[o])
		top, bottom := max(ka, kb), max(kc, kd)
		i := greater(kb, ka)
		i2 := 2 + greater(kd, kc)
		if greater(bottom, top) == 1 {
			i = i2
		}
		k := max(top, bottom)
		if k <= 0 {
			i = clamped
		}
		y[j] = uint32(max(k, 0))
		arg[o] = uint8(i)
		j += pq
	}
}

// maxPoolBackPixels is maxPoolBack2x2 for args in pixel order (poolNHWC's): dx (C x H x W) is
// cleared, then the output gradient d[o][q] (NCHW) goes to the input aq[q*c+o] of window q of
// channel o, whose top left input is base[q] in each channel.
func maxPoolBackPixels(dx, d []float32, aq []uint8, base []int32, c, hw, w int) {
	clear(dx)
	off := [8]int32{0, 1, int32(w), int32(w) + 1}
	msk := [8]uint32{^uint32(0), ^uint32(0), ^uint32(0), ^uint32(0)}
	xb, db := bitsOf(dx), bitsOf(d)
	pq := len(base)
	for q, b := range base {
		as := aq[q*c : (q+1)*c]
		i := q
		for o, a := range as {
			a &= 7
			xb[int32(o*hw)+b+off[a]] = db[i] & msk[a]
			i += pq
		}
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
