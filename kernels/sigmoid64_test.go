package kernels

import (
	"math"
	"testing"
)

// sigmoidF64ULPs is the largest distance from sigmoidF64Want that Sigmoid[float64] may have on
// any path. For x < 0 the result e/(1+e) can sit one binade below e, which doubles the ULP
// weight of the exp error; both the kernel's e^x and the reference's math.Exp carry one.
const sigmoidF64ULPs = 3

// sigmoidF64Want is the sigmoid 1/(1+e^-x) to about 1 ULP (the error of exp64 carried through):
// with e = e^-|x|, the numerator is e for x < 0 and 1 otherwise, 1+e is kept exactly as a
// double-double, and the quotient is corrected by its FMA residual.
func sigmoidF64Want(x float64) float64 {
	if x != x {
		return x
	}
	e := exp64(-math.Abs(x))
	num := 1.0
	if x < 0 {
		num = e
	}
	s := 1 + e
	se := e - (s - 1) // s + se = 1 + e exactly, as 0 <= e <= 1
	q := num / s
	r := math.FMA(-q, s, num) // num - q*s exactly
	return q + (r-q*se)/s
}

// sigmoidF64Input draws test inputs for Sigmoid[float64]: mostly uniform over [-760, 60], with
// special values, huge values and the neighbourhoods of 0 and the thresholds mixed in.
func sigmoidF64Input(r *testInput) float64 {
	switch k := r.next() % 64; k {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1)
	case 2:
		return math.Inf(-1)
	case 3:
		return 0
	case 4:
		return math.Copysign(0, -1)
	case 5:
		return r.uniform(-1e-6, 1e-6)
	case 6:
		return r.uniform(36, 38)
	case 7:
		return r.uniform(-708.5, -708.3)
	case 8:
		return r.uniform(-745.2, -745.1)
	case 9:
		return r.uniform(-1e300, 1e300)
	case 10, 11, 12, 13, 14, 15, 16, 17:
		return r.uniform(-20, 20)
	default:
		return r.uniform(-760, 60)
	}
}

func TestSigmoidF64Elementwise(t *testing.T) {
	checkElementwise(t, elementwiseCase[float64]{
		name:   "Sigmoid",
		kernel: Sigmoid[float64],
		want:   sigmoidF64Want,
		ulps:   sigmoidF64ULPs,
		input:  sigmoidF64Input,
	})
}

func TestSigmoidF64Special(t *testing.T) {
	cases := []struct{ x, want float64 }{
		{math.Inf(1), 1},
		{math.Inf(-1), 0},
		{0, 0.5},
		{math.Copysign(0, -1), 0.5},
		{38, 1},
		{1e10, 1},
		{math.MaxFloat64, 1},
		{-1e10, 0},
		{-math.MaxFloat64, 0},
		{-746, 0},
		{-745.14, 0},
		{-745.1332191019411, 5e-324},
		{-720, math.Exp(-720)}, // subnormal, not 0
		{-708.4, math.Exp(-708.4)},
		{-40, sigmoidF64Want(-40)},
		{1, 1 / (1 + 1/math.E)},
		{5e-324, 0.5},
	}
	eachISA(t, func(t *testing.T) {
		// Each case is placed at every position of a 37-element vector of NaNs, so that it goes
		// through the unrolled loop, the single-vector loop and the masked tail.
		for _, c := range cases {
			for pos := 0; pos < 37; pos++ {
				src := make([]float64, 37)
				for i := range src {
					src[i] = math.NaN()
				}
				src[pos] = c.x
				dst := make([]float64, len(src))
				Sigmoid(dst, src)
				if d := ulp(dst[pos], c.want); d > 1 || (c.want == 0 || c.want == 1) && dst[pos] != c.want {
					t.Fatalf("Sigmoid(%v) = %v at position %d, want %v", c.x, dst[pos], pos, c.want)
				}
				for i, v := range dst {
					if i != pos && !math.IsNaN(v) {
						t.Fatalf("Sigmoid(NaN) = %v at position %d", v, i)
					}
				}
			}
		}
	})
}

// TestSigmoidF64Accuracy compares Sigmoid[float64] with sigmoidF64Want on 2^23 points spread over
// [-750, 40] (2^20 with -short), 2^22 over [-20, 20], and sweeps of consecutive float64 values
// around 0 and the thresholds; no finite input may give NaN.
func TestSigmoidF64Accuracy(t *testing.T) {
	n := 1 << 23
	if testing.Short() {
		n = 1 << 20
	}
	var sweeps []float64
	for _, x0 := range []float64{0, 1e-9, -1e-9, 36.7368005696771, -708.3964185322641, -745.1332191019411} {
		a, b := x0, x0
		for i := 0; i < 1<<14; i++ {
			sweeps = append(sweeps, a, b)
			a, b = math.Nextafter(a, math.Inf(-1)), math.Nextafter(b, math.Inf(1))
		}
	}
	eachISA(t, func(t *testing.T) {
		const block = 4096
		src := make([]float64, block)
		dst := make([]float64, block)
		var worst uint64
		var worstX float64
		check := func(src []float64) {
			dst := dst[:len(src)]
			Sigmoid(dst, src)
			for i, x := range src {
				if d := ulp(dst[i], sigmoidF64Want(x)); d > worst {
					worst, worstX = d, x
				}
			}
		}
		r := newInput(9)
		for _, rg := range []struct {
			lo, hi float64
			n      int
		}{{-750, 40, n}, {-20, 20, n / 2}} {
			step := (rg.hi - rg.lo) / float64(rg.n)
			for i := 0; i < rg.n; i += block {
				for j := range src {
					src[j] = rg.lo + step*(float64(i+j)+r.uniform(0, 1))
				}
				check(src)
			}
		}
		for i := 0; i < len(sweeps); i += block {
			check(sweeps[i:min(i+block, len(sweeps))])
		}
		t.Logf("%s: worst distance from the reference %d ULP, at x = %v", ISA(), worst, worstX)
		if worst > sigmoidF64ULPs {
			t.Errorf("Sigmoid(%v): %d ULP from the reference, allowed %d", worstX, worst, sigmoidF64ULPs)
		}
	})
}
