package kernels

import (
	"math"
	"testing"
)

// Element-wise and special-value tests of the float32 Exp and Sigmoid on every ISA path; the
// accuracy over every input is TestElementwiseF32Sweep's.

// expF32Ref and sigmoidF32Ref are the float64 results rounded to float32: correctly rounded but
// for rare double roundings, which the random inputs here do not meet.
func expF32Ref(x float32) float32 { return float32(math.Exp(float64(x))) }

func sigmoidF32Ref(x float32) float32 {
	e := math.Exp(-math.Abs(float64(x)))
	if x < 0 {
		return float32(e / (1 + e))
	}
	return float32(1 / (1 + e))
}

// f32Input draws inputs over [-lo, hi] with the special values and the neighbourhoods of the
// thresholds mixed in.
func f32Input(lo, hi float64) func(r *testInput) float32 {
	sp := specials[float32]()
	return func(r *testInput) float32 {
		switch k := r.next() % 16; k {
		case 0:
			return sp[r.next()%uint64(len(sp))]
		case 1:
			return float32(r.uniform(88.5, 89))
		case 2:
			return float32(r.uniform(-104.5, -86.5))
		case 3:
			return float32(r.uniform(-1e-5, 1e-5))
		case 4:
			return float32(r.uniform(-20, 20))
		default:
			return float32(r.uniform(-lo, hi))
		}
	}
}

func TestExpF32Elementwise(t *testing.T) {
	checkElementwise(t, elementwiseCase[float32]{"Exp", Exp[float32], expF32Ref, expF32ULPs, f32Input(110, 95)})
}

func TestSigmoidF32Elementwise(t *testing.T) {
	checkElementwise(t, elementwiseCase[float32]{"Sigmoid", Sigmoid[float32], sigmoidF32Ref, sigmoidF32ULPs, f32Input(110, 30)})
}

// testF32Special places each case at every position of a 67-element vector of NaNs, so that it
// goes through the unrolled loops, the single-vector loops and the masked tails of every path;
// the result must be exactly want where want is 0, 1 or infinite, within ulps of it otherwise,
// and the NaNs must stay NaN.
func testF32Special(t *testing.T, name string, kernel func(dst, src []float32), cases []struct{ x, want float32 }, ulps uint64) {
	eachISA(t, func(t *testing.T) {
		for _, c := range cases {
			for pos := 0; pos < 67; pos++ {
				src := make([]float32, 67)
				for i := range src {
					src[i] = float32(math.NaN())
				}
				src[pos] = c.x
				dst := make([]float32, len(src))
				kernel(dst, src)
				exact := c.want == 0 || c.want == 1 || math.IsInf(float64(c.want), 0) || c.want != c.want
				if d := ulp(dst[pos], c.want); d > ulps || exact && dst[pos] != c.want && !(c.want != c.want && dst[pos] != dst[pos]) {
					t.Fatalf("%s(%v) = %v at position %d, want %v", name, c.x, dst[pos], pos, c.want)
				}
				for i, v := range dst {
					if i != pos && v == v {
						t.Fatalf("%s(NaN) = %v at position %d", name, v, i)
					}
				}
			}
		}
	})
}

func TestExpF32Special(t *testing.T) {
	inf := float32(math.Inf(1))
	maxX := float32(88.72283)    // the largest float32 with a finite e^x
	minX := float32(-103.972076) // the smallest float32 whose e^x rounds to a nonzero subnormal
	if expF32Ref(maxX) == inf || expF32Ref(math.Nextafter32(maxX, 100)) != inf {
		t.Fatalf("overflow threshold %v is wrong", maxX)
	}
	if expF32Ref(minX) != math.SmallestNonzeroFloat32 || expF32Ref(math.Nextafter32(minX, -200)) != 0 {
		t.Fatalf("underflow threshold %v is wrong", minX)
	}
	cases := []struct{ x, want float32 }{
		{inf, inf}, {-inf, 0}, {float32(math.NaN()), float32(math.NaN())},
		{0, 1}, {float32(math.Copysign(0, -1)), 1}, {math.SmallestNonzeroFloat32, 1}, {1e-30, 1},
		{1, math.E}, {-1, 1 / math.E},
		{maxX, expF32Ref(maxX)}, {math.Nextafter32(maxX, 100), inf}, {89, inf}, {1e30, inf}, {math.MaxFloat32, inf},
		{-87, expF32Ref(-87)}, {-87.4, expF32Ref(-87.4)}, {-95, expF32Ref(-95)}, {-100, expF32Ref(-100)},
		{-103.5, expF32Ref(-103.5)}, {minX, math.SmallestNonzeroFloat32}, {math.Nextafter32(minX, -200), 0},
		{-104, 0}, {-1e30, 0}, {-math.MaxFloat32, 0},
	}
	testF32Special(t, "Exp", Exp[float32], cases, 1)
}

func TestSigmoidF32Special(t *testing.T) {
	inf := float32(math.Inf(1))
	cases := []struct{ x, want float32 }{
		{inf, 1}, {-inf, 0}, {float32(math.NaN()), float32(math.NaN())},
		{0, 0.5}, {float32(math.Copysign(0, -1)), 0.5}, {math.SmallestNonzeroFloat32, 0.5},
		{1, sigmoidF32Ref(1)}, {-1, sigmoidF32Ref(-1)}, {-20, sigmoidF32Ref(-20)},
		{17.4, 1}, {30, 1}, {1e30, 1}, {math.MaxFloat32, 1},
		{-87.4, sigmoidF32Ref(-87.4)}, {-100, sigmoidF32Ref(-100)}, // subnormal, not 0
		{-103.972076, math.SmallestNonzeroFloat32}, {-104, 0}, {-1e30, 0}, {-math.MaxFloat32, 0},
	}
	testF32Special(t, "Sigmoid", Sigmoid[float32], cases, 2)
}
