package bench_test

import (
	"fmt"
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// BenchmarkTranspose times kernels.Transpose on every ISA: the pooled image of SimpleConvNet's
// fused convolution (144 pixels x 30 channels, row stride 32, into NCHW) and a 1024 x 1024
// matrix, float32 and float64:
//
//	go test -run '^$' -bench 'Transpose' -benchtime 0.3s -count 5 -cpu 1 ./bench
func BenchmarkTranspose(b *testing.B) {
	prev := kernels.ISA()
	defer kernels.SetISA(prev)
	for _, s := range []struct{ rows, cols, lds int }{{144, 30, 32}, {1024, 1024, 1024}} {
		for _, isa := range kernels.SupportedISAs() {
			name := fmt.Sprintf("%dx%d/%s", s.rows, s.cols, isa)
			b.Run("f32/"+name, func(b *testing.B) { benchTranspose[float32](b, isa, s.rows, s.cols, s.lds) })
			b.Run("f64/"+name, func(b *testing.B) { benchTranspose[float64](b, isa, s.rows, s.cols, s.lds) })
		}
	}
}

func benchTranspose[T float32 | float64](b *testing.B, isa string, rows, cols, lds int) {
	if err := kernels.SetISA(isa); err != nil {
		b.Fatal(err)
	}
	src, dst := make([]T, rows*lds), make([]T, cols*rows)
	for i := range src {
		src[i] = T(i)
	}
	var z T
	size := int64(4)
	if _, ok := any(z).(float64); ok {
		size = 8
	}
	b.SetBytes(2 * size * int64(rows*cols))
	for b.Loop() {
		kernels.Transpose(dst, rows, src, lds, rows, cols)
	}
	b.ReportMetric(float64(rows*cols)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
}
