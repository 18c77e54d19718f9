package nn

import (
	"math"
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// TestConvGradPooledSameGradients: a training step's gradients with the first convolution's weight
// gradient taken from the pooled gradient (convgrad.go) are those of the product, to rounding, on
// a padded 3x3 convolution of 2 channels (an odd output, whose last row and column no window
// covers) and an unpadded 5x5 one of 1 channel; an Inf or a NaN in a sample gives the same
// non-numbers (its image takes the product). The path must have run where the kernel is assembly.
func TestConvGradPooledSameGradients(t *testing.T) {
	defer func() { pooledGrad = true }()
	simple := func(seed uint64) *Sequential {
		rng := NewRand(seed)
		m, err := Build(Shape{1, 12, 12},
			NewConv2D(1, 6, 5, 5, 1, 0, nil, rng), NewReLU(), NewMaxPool2D(2, 2), // 6x4x4
			NewFlatten(), NewDense(96, 3, nil, rng))
		if err != nil {
			panic(err)
		}
		return m
	}
	models := []struct {
		name  string
		m     func(uint64) *Sequential
		shape Shape
	}{{"smallCNN", smallCNN, Shape{2, 9, 9}}, {"5x5", simple, Shape{1, 12, 12}}}
	for _, c := range models {
		for _, bad := range []float64{0, math.Inf(1), math.NaN()} {
			run := func(pooled bool) (grads [][]float32, took bool) {
				pooledGrad = pooled
				m := c.m(7)
				x := randMatrix(NewRand(8), 7, c.shape.Size(), -1, 1)
				if bad != 0 {
					x.Data[3*c.shape.Size()+17] = float32(bad)
				}
				loss := NewSoftmaxCrossEntropy()
				loss.Forward(m.Forward(x, true), Labels([]int{0, 1, 2, 0, 1, 2, 0}))
				m.backward(loss.Backward(), false)
				for _, p := range m.Params() {
					grads = append(grads, p.Grad.Clone().Data)
				}
				return grads, m.Layers[0].(*Conv2D).bwd.pooled
			}
			want, _ := run(false)
			got, took := run(true)
			conv := c.m(1).Layers[0].(*Conv2D)
			if fits := kernels.ConvGradPooledAssembly(conv.In * conv.KH); took != fits && bad == 0 {
				t.Fatalf("%s: the pooled-gradient path ran: %v, want %v (on %s)", c.name, took, fits, kernels.ISA())
			}
			for i := range want {
				for j, w := range want[i] {
					g := got[i][j]
					if !(g == w || (g != g && w != w) || math.Abs(float64(g-w)) <= 1e-5*(1+math.Abs(float64(w)))) {
						t.Fatalf("%s, bad input %v: gradient %d[%d] = %v, the product gives %v", c.name, bad, i, j, g, w)
					}
				}
			}
		}
	}
}

// TestConvBounded: convBounded rules out a NaN only where none can appear. It reports false for a
// NaN or an infinity among the images or the weights and for norms whose product passes its
// limit; and over batches scaled from tiny to past the limit, wherever it reports true the fused
// triple's product of every image holds no NaN or infinity.
func TestConvBounded(t *testing.T) {
	x := randMatrix(NewRand(1), 4, 2*9*9, -1, 1)
	w := randMatrix(NewRand(2), 1, 64, -1, 1).Data
	if !convBounded(x.Data, w) {
		t.Fatal("convBounded is false for inputs and weights in [-1, 1]")
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 3e38} {
		xb := x.Clone()
		xb.Data[77] = bad
		wb := append([]float32(nil), w...)
		wb[5] = bad
		if convBounded(xb.Data, w) || convBounded(x.Data, wb) {
			t.Errorf("convBounded is true with %g among the inputs or the weights", bad)
		}
	}
	// Norms: |x| about 15 and |w| about 5 here. Scaled by 1e20 the inputs' sum of squares overflows
	// float32; both scaled by 1e18 the product of the norms passes the limit of 1e36, by 1e17 not.
	scale := func(v []float32, f float32) []float32 {
		s := append([]float32(nil), v...)
		for i := range s {
			s[i] *= f
		}
		return s
	}
	scaled := func(f float32) []float32 { return scale(x.Data, f) }
	for _, c := range []struct {
		fx, fw float32
		want   bool
	}{{1e15, 1, true}, {1e20, 1, false}, {1, 1e20, false}, {1e17, 1e17, true}, {1e18, 1e18, false}} {
		if got := convBounded(scaled(c.fx), scale(w, c.fw)); got != c.want {
			t.Errorf("convBounded(x*%g, w*%g) = %v, want %v", c.fx, c.fw, got, c.want)
		}
	}
	// The fused triple of a small CNN: where convBounded is true, no product holds a NaN or an
	// infinity, and its forward agrees with the layers one by one, bit for bit.
	defer func() { fuseLayers = true }()
	// A NaN with its sign bit set (0 for f below) sorts below every number as the pooling compares
	// them, so that only the check finds it.
	for _, f := range []float32{1e-30, 1, 1e15, 1e19, 1e20, 1e30, 3e38, 0} {
		m := smallCNN(7)
		c := m.Layers[0].(*Conv2D)
		xs := x.Clone()
		copy(xs.Data, scaled(f))
		if f == 0 {
			copy(xs.Data, x.Data)
			xs.Data[100] = math.Float32frombits(0xffc00000)
		}
		fuseLayers = true
		y1 := m.Forward(xs, false).Clone().Data
		bounded := convBounded(xs.Data, c.wt[:c.kp()*c.outPadded()])
		if bounded {
			for part := range c.yt {
				for _, v := range c.yt[part][:c.g.positions()*c.outPadded()] {
					if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
						t.Fatalf("inputs times %g: convBounded is true but a product is %g", f, v)
					}
				}
			}
		}
		fuseLayers = false
		y0 := smallCNN(7).Forward(xs, false).Data
		for i := range y0 {
			if math.Float32bits(y0[i]) != math.Float32bits(y1[i]) && !(y0[i] != y0[i] && y1[i] != y1[i]) {
				t.Fatalf("inputs times %g (bounded %v): output %d is %g fused, %g layer by layer", f, bounded, i, y1[i], y0[i])
			}
		}
	}
}
