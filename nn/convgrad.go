package nn

import (
	"math"
	"unsafe"

	"github.com/lanesimd/lanes/kernels"
)

// The weight gradient of a convolution, ReLU and 2x2 max pooling triple (fused.go) taken from the
// pooled gradient (kernels.ConvGradPooled): of the four outputs of a pooling window only the one
// its arg names has a gradient, and only where the maximum passed the ReLU, so instead of the
// product of the column matrix by the whole output gradient (three quarters zeros and more) each
// nonzero pooled gradient adds its multiple of the input window that gave the maximum to its
// channel's gradient. The input is read where it lies (no column matrix), padded first when the
// convolution pads. It runs for the first layer (no input gradient, which needs the output
// gradient anyway), with stride 1, kernels at most 8 wide and at most 6 window rows (In*KH), where
// the kernel is assembly (amd64); elsewhere the product stays, faster than the Go loop.

// pooledGradFits reports whether the backward pass after forwardPool takes the weight gradient
// from the pooled gradient: needDx unset, stride 1, a kernel at most 8 wide, kernels.ConvGradPooled
// in assembly on the active ISA for its In*KH rows.
func (l *Conv2D) pooledGradFits(needDx bool) bool {
	return pooledGrad && !needDx && l.Stride == 1 && l.KW <= 8 && kernels.ConvGradPooledAssembly(l.In*l.KH)
}

// pooledGrad lets the backward pass take the pooled-gradient path where it fits (tests turn it
// off to compare with the product).
var pooledGrad = true

// pooledScratch is what the pooled-gradient path keeps: the offsets of kernels.ConvGradPooled
// for the built geometry, and per part the gradient sums (Out rows of ldw: 8 values a row of the
// window, then the bias), a padded copy of the input, and the pooling's args 4 channels a word,
// word rows by pixel rows (kernels.ConvGradPooled's order).
type pooledScratch struct {
	g          geom // the geometry rows and base were made for
	rows, base []int32
	pos        [4]int32
	ldw        int
	dw, xp     [][]float32
	argW       [][]uint8
}

// preparePooledGrad makes s ready for l's geometry, the pooling p and parts goroutines.
func (l *Conv2D) preparePooledGrad(p *MaxPool2D, parts int) {
	s, g := &l.pooled, &l.g
	hp, wp := g.H+2*g.Pad, g.W+2*g.Pad
	if s.g != *g || len(s.base) != p.g.OH*p.g.OW {
		s.g, s.xp = *g, s.xp[:0]
		s.rows = s.rows[:0]
		for c := range g.C {
			for ki := range g.KH {
				s.rows = append(s.rows, int32((c*hp+ki)*wp))
			}
		}
		s.base = s.base[:0]
		for qh := range p.g.OH {
			for qw := range p.g.OW {
				// Stride 1: the window of output (i, j) starts at input (i, j).
				s.base = append(s.base, int32(2*qh*wp+2*qw))
			}
		}
		s.pos = [4]int32{0, 1, int32(wp), int32(wp + 1)}
		s.ldw = 8 * (len(s.rows) + 1)
	}
	pq := p.g.OH * p.g.OW
	for len(s.dw) < parts {
		s.dw, s.argW = append(s.dw, nil), append(s.argW, nil)
	}
	for len(s.xp) < parts { // emptied when the geometry changes
		s.xp = append(s.xp, nil)
	}
	for i := range parts {
		s.dw[i] = grow(s.dw[i], l.Out*s.ldw)
		s.argW[i] = growBytes(s.argW[i], 4*((l.Out+3)/4)*pq)
		if g.Pad > 0 {
			// The padded input and 8 values past it, which the 8-value rows of the last windows read;
			// its zeros stay, only the inside is copied.
			if n := g.C*hp*wp + 8; len(s.xp[i]) != n {
				s.xp[i] = make([]float32, n) // zeros
			}
		} else {
			s.xp[i] = grow(s.xp[i], g.inSize()+8)
		}
	}
}

// pooledImage adds image n's weight gradient to part's sums from its pooled gradient (NCHW, Out x
// ph*pw) and the pooling's args, unless the image holds an Inf or NaN (then it returns false and
// adds nothing: the product, which multiplies every input, must carry them).
func (b *convBackward) pooledImage(part, n int) bool {
	l, s := b.l, &b.l.pooled
	g := &l.g
	in := g.inSize()
	x := b.x.Data[n*in : (n+1)*in]
	if d := kernels.Dot(x, x); math.IsInf(float64(d), 0) || d != d {
		return false
	}
	xp := s.xp[part]
	switch {
	case g.Pad > 0:
		hp, wp := g.H+2*g.Pad, g.W+2*g.Pad
		for c := range g.C {
			for i := range g.H {
				copy(xp[(c*hp+i+g.Pad)*wp+g.Pad:], x[(c*g.H+i)*g.W:(c*g.H+i+1)*g.W])
			}
		}
	case len(b.x.Data)-n*in >= in+8:
		xp = b.x.Data[n*in:] // the next image's values are the 8 past the last window
	default:
		copy(xp, x)
	}
	// The args, 4 channels a word (pixel order: op/4 words a pixel), transposed to the words of
	// the first Out channels pixel by pixel: the 32-bit moves of kernels.Transpose, on float32
	// views of the bytes, leave every bit as it is.
	pq, op, w := b.pool.g.OH*b.pool.g.OW, b.pool.pixelStride, (l.Out+3)/4
	dq, arg := b.dout.Data[n*l.Out*pq:(n+1)*l.Out*pq], b.pool.arg[n*pq*op:(n+1)*pq*op]
	words, aw := op/4, s.argW[part]
	src := unsafe.Slice((*float32)(unsafe.Pointer(&arg[0])), pq*words)
	dst := unsafe.Slice((*float32)(unsafe.Pointer(&aw[0])), w*pq)
	kernels.Transpose(dst, pq, src, words, pq, w)
	kernels.ConvGradPooled(s.dw[part], s.ldw, xp, s.rows, dq, aw, s.base, s.pos[:])
	return true
}

// addPooledGrads adds the parts' sums of the pooled-gradient path to W.Grad and B.Grad.
func (l *Conv2D) addPooledGrads(parts int) {
	s := &l.pooled
	k, kw, nr := l.k(), l.KW, len(s.rows)
	gw, gb := l.W.Grad.Data, l.B.Grad.Data
	for i := range parts {
		d := s.dw[i]
		for o := range l.Out {
			row := d[o*s.ldw : (o+1)*s.ldw]
			for j := range nr {
				kernels.Axpy(1, row[8*j:8*j+kw], gw[o*k+j*kw:o*k+(j+1)*kw])
			}
			gb[o] += row[8*nr]
		}
	}
}
