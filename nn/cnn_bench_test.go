package nn

import (
	"runtime"
	"testing"
)

// The layers of SimpleConvNet at a batch of 100, one core (-cpu 1) or more:
//
//	go test -run '^$' -bench 'Layer' -cpu 1 ./nn/
func BenchmarkLayer(b *testing.B) {
	rng := NewRand(1)
	x := randMatrix(rng, 100, 784, 0, 1)
	conv := NewConv2D(1, 30, 5, 5, 1, 0, nil, rng)
	conv.Build(Shape{1, 28, 28})
	pool := NewMaxPool2D(2, 2)
	pool.Build(Shape{30, 24, 24})
	y := conv.forward(x, false)
	py := pool.forward(y, true)
	dpool := randMatrix(rng, 100, py.Cols, -1, 1)
	dy := pool.backward(dpool, true).Clone()
	report := func(b *testing.B) {
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*1e6/100, "µs/image")
	}
	b.Run("conv-forward", func(b *testing.B) {
		for range b.N {
			conv.forward(x, false)
		}
		report(b)
	})
	b.Run("conv-backward", func(b *testing.B) {
		for range b.N {
			conv.backward(dy, false, false)
		}
		report(b)
	})
	b.Run("maxpool-forward", func(b *testing.B) {
		for range b.N {
			pool.forward(y, true)
		}
		report(b)
	})
	b.Run("maxpool-backward", func(b *testing.B) {
		for range b.N {
			pool.backward(dpool, true)
		}
		report(b)
	})
	_ = runtime.GOMAXPROCS
}
