package nn

import "testing"

// The passes of SimpleConvNet at a batch of 100, per image: the layers alone (NCHW, as Forward
// and Backward run them one by one) and the fused convolution, ReLU and pooling triple that
// Sequential runs, then Dense(4320, 100) and a whole training step. One core or more:
//
//	go test -run '^$' -bench 'Layer' -cpu 1,2 ./nn/
func BenchmarkLayer(b *testing.B) {
	rng := NewRand(1)
	m, err := Build(Shape{1, 28, 28},
		NewConv2D(1, 30, 5, 5, 1, 0, nil, rng), NewReLU(), NewMaxPool2D(2, 2), NewFlatten(),
		NewDense(4320, 100, nil, rng), NewReLU(), NewDense(100, 10, nil, rng))
	if err != nil {
		b.Fatal(err)
	}
	conv, pool, dense := m.Layers[0].(*Conv2D), m.Layers[2].(*MaxPool2D), m.Layers[4].(*Dense)
	x := randMatrix(rng, 100, 784, 0, 1)
	y := conv.forward(x, false)
	py := pool.forward(y, true)
	dpool := randMatrix(rng, 100, py.Cols, -1, 1)
	dy := pool.backward(dpool, true).Clone()
	dense.Forward(py, true)
	dh := randMatrix(rng, 100, 100, -1, 1)
	labels := Labels(make([]int, 100))
	tr := NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(1e-3))
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"conv-forward", func() { conv.forward(x, false) }},
		{"conv-backward", func() { conv.backward(dy, false, false) }},
		{"maxpool-forward", func() { pool.forward(y, true) }},
		{"maxpool-backward", func() { pool.backward(dpool, true) }},
		{"triple-forward", func() { conv.forwardPool(x, pool) }},
		{"triple-backward", func() { conv.forwardPool(x, pool); conv.backwardPool(dpool, pool, false) }},
		{"dense-forward", func() { dense.Forward(py, true) }},
		{"dense-backward", func() { dense.backward(dh, true) }},
		{"train-step", func() { tr.Step(x, labels) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				c.f()
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*1e6/100, "µs/image")
		})
	}
}
