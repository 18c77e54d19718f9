package nn

import (
	"slices"
	"testing"
)

// TestShiftImage pins shiftImage on a 2-channel 3x3 image: every direction, the channels moved
// together, zeros coming in, and a shift past the edge leaving nothing.
func TestShiftImage(t *testing.T) {
	src := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19}
	shape := Shape{2, 3, 3}
	for _, c := range []struct {
		dy, dx int
		want   []float32
	}{
		{0, 0, src},
		{1, -1, []float32{0, 0, 0, 2, 3, 0, 5, 6, 0, 0, 0, 0, 12, 13, 0, 15, 16, 0}},
		{-1, 2, []float32{0, 0, 4, 0, 0, 7, 0, 0, 0, 0, 0, 14, 0, 0, 17, 0, 0, 0}},
		{0, 3, make([]float32, 18)},
		{-3, 0, make([]float32, 18)},
	} {
		dst := make([]float32, 18)
		for i := range dst {
			dst[i] = -1
		}
		shiftImage(dst, src, shape, c.dy, c.dx)
		if !slices.Equal(dst, c.want) {
			t.Errorf("shift (%d, %d): %v, want %v", c.dy, c.dx, dst, c.want)
		}
	}
}

// TestRandomShift gathers 2000 images of 2x5x7 distinct values through RandomShift(max 2): each
// is its source moved by some (dy, dx) within max, all 25 shifts come up (each at least a third
// as often as a uniform draw's mean), the same seed gives the same images and another seed other
// ones, max 0 moves nothing, and the source is left as it was.
func TestRandomShift(t *testing.T) {
	shape := Shape{2, 5, 7}
	const rows = 40
	x := NewMatrix(rows, shape.Size())
	for i := range x.Data {
		x.Data[i] = float32(i + 1)
	}
	orig := slices.Clone(x.Data)
	idx := make([]int32, 2000)
	for i := range idx {
		idx[i] = int32(i * 7 % rows)
	}
	gather := func(s Samples) []float32 {
		dst := make([]float32, len(idx)*shape.Size())
		s.gather(dst, idx)
		return dst
	}
	const maxShift = 2
	got := gather(RandomShift(x, shape, maxShift, 5))
	n := shape.Size()
	counts := map[[2]int]int{}
	want := make([]float32, n)
	for i, r := range idx {
		img, src := got[i*n:(i+1)*n], x.Data[int(r)*n:(int(r)+1)*n]
		found := false
		for dy := -maxShift; dy <= maxShift && !found; dy++ {
			for dx := -maxShift; dx <= maxShift && !found; dx++ {
				shiftImage(want, src, shape, dy, dx)
				if slices.Equal(img, want) {
					counts[[2]int{dy, dx}]++
					found = true
				}
			}
		}
		if !found {
			t.Fatalf("image %d (row %d) is not its source moved by at most %d pixels: %v", i, r, maxShift, img)
		}
	}
	mean := len(idx) / ((2*maxShift + 1) * (2*maxShift + 1))
	for dy := -maxShift; dy <= maxShift; dy++ {
		for dx := -maxShift; dx <= maxShift; dx++ {
			if c := counts[[2]int{dy, dx}]; c < mean/3 {
				t.Errorf("shift (%d, %d) drawn %d times of %d, a uniform draw's mean is %d", dy, dx, c, len(idx), mean)
			}
		}
	}
	if !slices.Equal(gather(RandomShift(x, shape, maxShift, 5)), got) {
		t.Error("the same seed gave other images")
	}
	if slices.Equal(gather(RandomShift(x, shape, maxShift, 6)), got) {
		t.Error("another seed gave the same images")
	}
	if !slices.Equal(gather(RandomShift(x, shape, 0, 5)), gather(x)) {
		t.Error("max 0 moved the images")
	}
	if !slices.Equal(x.Data, orig) {
		t.Error("the source samples changed")
	}
	if r, c := RandomShift(x, shape, 1, 1).Dims(); r != rows || c != n {
		t.Errorf("Dims() = %d, %d, want %d, %d", r, c, rows, n)
	}
}

// TestRandomShiftFit: Fit on RandomShift samples (bytes, as MNIST's) is deterministic for its
// seeds and trains other weights than the images unmoved.
func TestRandomShiftFit(t *testing.T) {
	shape := Shape{1, 6, 6}
	rng := NewRand(3)
	data := make([]uint8, 64*shape.Size())
	for i := range data {
		data[i] = uint8(rng.IntN(256))
	}
	x := FromBytes(64, shape.Size(), data, 255)
	labels := make([]int, 64)
	for i := range labels {
		labels[i] = i % 3
	}
	train := func(s Samples) []float32 {
		m := NewSequential(NewDense(shape.Size(), 3, nil, NewRand(1)))
		tr := NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(0.01))
		tr.Fit(s, Labels(labels), FitConfig{BatchSize: 16, Epochs: 3, Seed: 2})
		return slices.Clone(m.Params()[0].Value.Data)
	}
	a, b := train(RandomShift(x, shape, 1, 9)), train(RandomShift(x, shape, 1, 9))
	if !slices.Equal(a, b) {
		t.Error("two trainings with the same seeds differ")
	}
	if slices.Equal(a, train(x)) {
		t.Error("the shifted images trained the same weights as the images unmoved")
	}
}

// TestRandomShiftPanics: a shape that does not fit the samples and a max out of range panic,
// naming the function and the values.
func TestRandomShiftPanics(t *testing.T) {
	x := NewMatrix(2, 12)
	const fn = "nn.RandomShift"
	mustPanic(t, func() { RandomShift(x, Shape{1, 3, 3}, 1, 0) }, fn, "shape 1x3x3 has 9 values, the samples 12")
	mustPanic(t, func() { RandomShift(x, Shape{1, 3, 4}, -1, 0) }, fn, "max = -1, want 0 <= max < 3")
	mustPanic(t, func() { RandomShift(x, Shape{1, 3, 4}, 3, 0) }, fn, "max = 3, want 0 <= max < 3 (the image is 3x4)")
}
