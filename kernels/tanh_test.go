package kernels

import (
	"math"
	"os"
	"strconv"
	"testing"
)

// tanhWant is tanh rounded to T: math.Tanh is within about 1 ULP of float64, so this is the
// correctly rounded float32 tanh except for inputs within ~1e-16 of a rounding midpoint.
func tanhWant[T Float](x T) T { return T(math.Tanh(float64(x))) }

func TestTanh(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		checkElementwise(t, elementwiseCase[float32]{"Tanh", Tanh[float32], tanhWant[float32], 1, specialInput[float32](12)})
	})
	t.Run("float64", func(t *testing.T) {
		checkElementwise(t, elementwiseCase[float64]{"Tanh", Tanh[float64], tanhWant[float64], 0, specialInput[float64](12)})
	})
}

// TestTanhF32Sweep checks the float32 Tanh within 1 ULP of float32(math.Tanh) on every float32
// bit pattern at a stride (every 61st; every 6007th with -short), which visits every exponent
// and both signs, and on every value near the thresholds 2^-13 and 9.1 of the implementation.
// It also counts the results that are not equal to the rounded math.Tanh, which must be rare.
// LANES_TANH_STRIDE=1 sweeps every float32 (minutes).
func TestTanhF32Sweep(t *testing.T) {
	stride := uint64(61)
	if testing.Short() {
		stride = 6007
	}
	if s, err := strconv.ParseUint(os.Getenv("LANES_TANH_STRIDE"), 10, 32); err == nil && s > 0 {
		stride = s
	}
	const block = 1 << 16
	src, dst := make([]float32, 0, block), make([]float32, block)
	var checked, off int
	flush := func() {
		d := dst[:len(src)]
		Tanh(d, src)
		for i, x := range src {
			want := tanhWant(x)
			switch u := ulp(d[i], want); {
			case u > 1:
				t.Fatalf("Tanh(%v) [bits %#x] = %v, want %v (%d ULP)", x, math.Float32bits(x), d[i], want, u)
			case u == 1:
				off++
			}
		}
		checked += len(src)
		src = src[:0]
	}
	add := func(x float32) {
		if src = append(src, x); len(src) == block {
			flush()
		}
	}
	for b := uint64(0); b < 1<<32; b += stride {
		add(math.Float32frombits(uint32(b)))
	}
	for _, edge := range []float32{0x1p-13, 9.1, 0.5, 1} {
		for _, s := range []float32{1, -1} {
			b := math.Float32bits(edge * s)
			for d := uint32(0); d < 4096; d++ {
				add(math.Float32frombits(b - 2048 + d))
			}
		}
	}
	flush()
	if off > checked/10000 {
		t.Fatalf("%d of %d results differ by 1 ULP from the rounded math.Tanh; expected very few", off, checked)
	}
	t.Logf("%d inputs, %d of them 1 ULP from the rounded math.Tanh, none further", checked, off)
}
