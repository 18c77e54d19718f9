package kernels

import (
	"math"
	"testing"
)

// The float32 exp, sigmoid and softmax benchmarks (helpers in exp64_bench_test.go):
//
//	go test -run '^$' -bench 'F32' ./kernels

func BenchmarkExpF32(b *testing.B) {
	benchElementwise(b, Exp[float32], math.Exp, func(r *testInput) float64 { return r.uniform(-80, 80) })
}

func BenchmarkSigmoidF32(b *testing.B) {
	benchElementwise(b, Sigmoid[float32], sigmoidMath, func(r *testInput) float64 { return r.uniform(-20, 20) })
}

// BenchmarkSoftmaxF32 runs Softmax[float32] on 64 rows of each width.
func BenchmarkSoftmaxF32(b *testing.B) { benchSoftmax[float32](b) }
