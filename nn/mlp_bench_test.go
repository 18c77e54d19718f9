package nn

import (
	"fmt"
	"testing"
)

// BenchmarkMLP times the MNIST MLP 784-512-512-10 with ReLU (the bench package's mlp-1epoch
// network, random weights and inputs): Predict of a batch (rows = 1000, and a batch of 1), and a
// training step (Forward, Backward and Adam) on a batch of 128. Each Dense and ReLU pair runs as
// one kernels.Linear call. One core:
//
//	go test -run '^$' -bench 'MLP' -benchtime 2s -count 5 -cpu 1 ./nn
func BenchmarkMLP(b *testing.B) {
	rng := NewRand(1)
	m := NewSequential(
		NewDense(784, 512, HeNormal, rng), NewReLU(), NewDense(512, 512, HeNormal, rng), NewReLU(),
		NewDense(512, 10, XavierNormal, rng),
	)
	for _, rows := range []int{1000, 1} {
		x := randMatrix(rng, rows, 784, 0, 1)
		dst := NewMatrix(rows, 10)
		b.Run(fmt.Sprintf("predict/rows=%d", rows), func(b *testing.B) {
			b.SetBytes(int64(rows * 784 * 4))
			for b.Loop() {
				m.PredictInto(dst, x)
			}
		})
	}
	x := randMatrix(rng, 128, 784, 0, 1)
	labels := make([]int, 128)
	for i := range labels {
		labels[i] = i % 10
	}
	tr := NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(1e-4))
	b.Run("train-step/rows=128", func(b *testing.B) {
		b.SetBytes(128 * 784 * 4)
		for b.Loop() {
			tr.Step(x, Labels(labels))
		}
	})
}
