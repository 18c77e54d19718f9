package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// NewRand returns the generator nn uses everywhere: a PCG seeded with seed, so that a model
// built and trained with the same seed is the same bit for bit.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// Initializer fills a weight matrix of fanIn x fanOut (row-major, len(w) == fanIn*fanOut). The
// initializers of this package hold no state and are safe for concurrent use; the *rand.Rand they
// draw from is not.
type Initializer interface {
	Init(w []float32, fanIn, fanOut int, rng *rand.Rand)
	String() string
}

type initializer struct {
	name   string
	normal bool
	std    func(fanIn, fanOut int) float64
}

// String returns the initializer's name.
func (in initializer) String() string { return in.name }

// Init fills w with draws of the initializer's distribution.
func (in initializer) Init(w []float32, fanIn, fanOut int, rng *rand.Rand) {
	std := in.std(fanIn, fanOut)
	if in.normal {
		for i := range w {
			w[i] = float32(rng.NormFloat64() * std)
		}
		return
	}
	// A uniform distribution on [-a, a] has standard deviation a/sqrt(3).
	a := std * math.Sqrt(3)
	for i := range w {
		w[i] = float32((2*rng.Float64() - 1) * a)
	}
}

// The initializers. Glorot (Xavier) keeps the variance of activations and gradients balanced for
// sigmoid and tanh: variance 2/(fanIn+fanOut). He suits ReLU: variance 2/fanIn. The normal forms
// draw from a Gaussian, the uniform forms from [-a, a] with the same variance.
var (
	XavierNormal  Initializer = initializer{"XavierNormal", true, func(i, o int) float64 { return math.Sqrt(2 / float64(i+o)) }}
	XavierUniform Initializer = initializer{"XavierUniform", false, func(i, o int) float64 { return math.Sqrt(2 / float64(i+o)) }}
	HeNormal      Initializer = initializer{"HeNormal", true, func(i, o int) float64 { return math.Sqrt(2 / float64(i)) }}
	HeUniform     Initializer = initializer{"HeUniform", false, func(i, o int) float64 { return math.Sqrt(2 / float64(i)) }}
	// LeCunNormal has variance 1/fanIn: what the classic curriculum calls the "Xavier" initial
	// value (its simplified form of Glorot's).
	LeCunNormal Initializer = initializer{"LeCunNormal", true, func(i, o int) float64 { return math.Sqrt(1 / float64(i)) }}
)

// FixedStd draws weights from a Gaussian with standard deviation std, whatever the fan-in (the
// book's weight_init_std = 0.01).
func FixedStd(std float64) Initializer {
	return initializer{fmt.Sprintf("FixedStd(%g)", std), true, func(int, int) float64 { return std }}
}
