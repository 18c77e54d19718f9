package nn

import (
	"math"
	"testing"
)

// byteSamples returns n rows of cols bytes (a pattern that covers 0..255) and labels in 0..2.
func byteSamples(n, cols int) (*ByteMatrix, []int) {
	b := make([]uint8, n*cols)
	y := make([]int, n)
	rng := NewRand(3)
	for i := range b {
		b[i] = uint8(rng.Uint32())
	}
	for i := range y {
		y[i] = int(b[i*cols]) % 3
	}
	return FromBytes(n, cols, b, 255), y
}

// TestFitByteMatrix trains the same net on a ByteMatrix and on its Matrix, in sampled and in
// epoch mode: every loss and every weight must be the same bits, the rows converted as drawn
// being exactly the rows of the whole conversion.
func TestFitByteMatrix(t *testing.T) {
	xb, y := byteSamples(250, 7)
	xm := xb.Matrix()
	for i, b := range xb.Data {
		if want := float32(b) / 255; xm.Data[i] != want {
			t.Fatalf("Matrix()[%d] = %v, want %v", i, xm.Data[i], want)
		}
	}
	for _, cfg := range []FitConfig{{BatchSize: 32, Iterations: 40, Seed: 5}, {BatchSize: 32, Epochs: 2, Seed: 6}} {
		net := func() *Sequential {
			rng := NewRand(1)
			return NewSequential(NewDense(7, 16, HeNormal, rng), NewReLU(), NewDense(16, 3, XavierNormal, rng))
		}
		mb, mm := net(), net()
		hb := NewTrainer(mb, NewSoftmaxCrossEntropy(), NewAdam(0.01)).Fit(xb, Labels(y), cfg)
		hm := NewTrainer(mm, NewSoftmaxCrossEntropy(), NewAdam(0.01)).Fit(xm, Labels(y), cfg)
		if len(hb.Loss) != len(hm.Loss) || len(hb.Loss) == 0 {
			t.Fatalf("%+v: %d and %d losses", cfg, len(hb.Loss), len(hm.Loss))
		}
		for i := range hb.Loss {
			if hb.Loss[i] != hm.Loss[i] {
				t.Fatalf("%+v: loss %d: %v from bytes, %v from floats", cfg, i, hb.Loss[i], hm.Loss[i])
			}
		}
		pb, pm := mb.Params(), mm.Params()
		for i := range pb {
			for j := range pb[i].Value.Data {
				if math.Float32bits(pb[i].Value.Data[j]) != math.Float32bits(pm[i].Value.Data[j]) {
					t.Fatalf("%+v: parameter %d[%d] differs", cfg, i, j)
				}
			}
		}
	}
	s := xb.Slice(10, 20)
	if s.Rows != 10 || s.Cols != 7 || &s.Data[0] != &xb.Data[70] || s.Div != 255 {
		t.Fatalf("Slice(10, 20) = %dx%d over %p, div %v", s.Rows, s.Cols, &s.Data[0], s.Div)
	}
}

func TestByteMatrixPanics(t *testing.T) {
	mustPanic(t, func() { FromBytes(2, 3, make([]uint8, 5), 255) }, "nn.FromBytes: shape 2x3 needs 6 bytes, got 5")
	mustPanic(t, func() { FromBytes(1, 1, make([]uint8, 1), 0) }, "nn.FromBytes: divisor 0")
	mustPanic(t, func() { FromBytes(1, 1, make([]uint8, 1), float32(math.Inf(1))) }, "nn.FromBytes: divisor +Inf")
	mustPanic(t, func() { FromBytes(2, 1, make([]uint8, 2), 1).Slice(1, 3) }, "nn.ByteMatrix.Slice: rows [1, 3) out of range for shape 2x1")
	mustPanic(t, func() {
		x := &ByteMatrix{Rows: 4, Cols: 2, Data: make([]uint8, 7), Div: 1}
		NewTrainer(smallNet(1, NewReLU()), NewSoftmaxCrossEntropy(), NewSGD(0.1)).Fit(x, Labels([]int{0, 1, 2, 0}), FitConfig{BatchSize: 2})
	}, "nn.Trainer.Fit: a ByteMatrix of shape 4x2 needs 8 bytes, Data has 7")
}
