package kernels

import (
	"math"
	"testing"
)

// specialInput returns mostly ordinary values in [-lo, lo) and, one time in eight, one of the
// special values (NaN, ±Inf, ±0, subnormals, the largest finite values), so every lane of every
// vector and of every tail sees them.
func specialInput[T Float](lo float64) func(r *testInput) T {
	sp := specials[T]()
	return func(r *testInput) T {
		if v := r.next(); v%8 == 0 {
			return sp[(v>>8)%uint64(len(sp))]
		}
		return T(r.uniform(-lo, lo))
	}
}

// specials lists the values a kernel must treat exactly: NaNs of both signs (with a payload),
// infinities, signed zeros, the smallest subnormals and the largest finite values.
func specials[T Float]() []T {
	negZero := T(math.Copysign(0, -1))
	if is32[T]() {
		return []T{T(math.Float32frombits(0x7fc00123)), T(math.Float32frombits(0xffc00001)),
			T(math.Inf(1)), T(math.Inf(-1)), 0, negZero,
			T(math.SmallestNonzeroFloat32), T(-math.SmallestNonzeroFloat32), T(math.MaxFloat32), T(-math.MaxFloat32), 1, -1}
	}
	nan := math.Float64frombits(0x7ff8000000000123)
	tiny, huge := math.SmallestNonzeroFloat64, math.MaxFloat64
	return []T{T(nan), T(-nan), T(math.Inf(1)), T(math.Inf(-1)), 0, negZero, T(tiny), T(-tiny), T(huge), T(-huge), 1, -1}
}

// bitsOf returns the bit pattern of v, to compare NaN payloads and the signs of zeros.
func bitsOf[T Float](v T) uint64 {
	if is32[T]() {
		return uint64(math.Float32bits(float32(v)))
	}
	return math.Float64bits(float64(v))
}

// reluOne is ReLU's definition for one element: max(x, 0) where -0 is not below 0, so
// ReLU(-0) = -0, and NaN (with its payload) passes through.
func reluOne[T Float](x T) T {
	if x < 0 {
		return 0
	}
	return x
}

func TestReLU(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		checkElementwise(t, elementwiseCase[float32]{"ReLU", ReLU[float32], reluOne[float32], 0, specialInput[float32](10)})
	})
	t.Run("float64", func(t *testing.T) {
		checkElementwise(t, elementwiseCase[float64]{"ReLU", ReLU[float64], reluOne[float64], 0, specialInput[float64](10)})
	})
}

// TestReLUSpecialBits checks the bits, not just the values, of ReLU on the special values at
// every position of slices that reach the unrolled loop, the single-vector loop and the tail:
// -0 gives -0, +0 gives +0, and a NaN comes back with its sign and payload.
func TestReLUSpecialBits(t *testing.T) {
	t.Run("float32", func(t *testing.T) { testSpecialBits(t, "ReLU", ReLU[float32], reluOne[float32]) })
	t.Run("float64", func(t *testing.T) { testSpecialBits(t, "ReLU", ReLU[float64], reluOne[float64]) })
}

// testSpecialBits runs kernel on every ISA path over slices of the special values, rotated so
// each value visits each position, and compares every result bit for bit with want.
func testSpecialBits[T Float](t *testing.T, name string, kernel func(dst, src []T), want func(T) T) {
	sp := specials[T]()
	eachISA(t, func(t *testing.T) {
		for _, n := range []int{1, 7, 15, 17, 33, 64, 65, 100, 131} {
			for rot := range sp {
				src := make([]T, n)
				for i := range src {
					src[i] = sp[(i+rot)%len(sp)]
				}
				dst := make([]T, n)
				kernel(dst, src)
				for i, x := range src {
					if w := want(x); bitsOf(dst[i]) != bitsOf(w) {
						t.Fatalf("n=%d: %s(%v) [bits %#x] = %v [bits %#x], want %v [bits %#x]", n, name, x, bitsOf(x), dst[i], bitsOf(dst[i]), w, bitsOf(w))
					}
				}
			}
		}
	})
}
