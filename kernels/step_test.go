package kernels

import "testing"

// stepOne is Step's definition for one element: 1 above 0, +0 elsewhere (NaN and -0 included).
func stepOne[T Float](x T) T {
	if x > 0 {
		return 1
	}
	return 0
}

func TestStep(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		checkElementwise(t, elementwiseCase[float32]{"Step", Step[float32], stepOne[float32], 0, specialInput[float32](10)})
	})
	t.Run("float64", func(t *testing.T) {
		checkElementwise(t, elementwiseCase[float64]{"Step", Step[float64], stepOne[float64], 0, specialInput[float64](10)})
	})
}

// TestStepSpecialBits checks that Step gives exactly +1 or +0 (never -0) for NaNs, infinities,
// signed zeros and subnormals at every position.
func TestStepSpecialBits(t *testing.T) {
	t.Run("float32", func(t *testing.T) { testSpecialBits(t, "Step", Step[float32], stepOne[float32]) })
	t.Run("float64", func(t *testing.T) { testSpecialBits(t, "Step", Step[float64], stepOne[float64]) })
}
