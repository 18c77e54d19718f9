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
