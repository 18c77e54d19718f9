package kernels

import (
	"math"
	"math/big"
	"testing"
)

// expF64ULPs is the largest distance from exp64 (math.Exp, corrected near the overflow
// threshold) that Exp[float64] may have on any path. exp64 is itself within 1 ULP of e^x, so
// this bound covers both errors.
const expF64ULPs = 2

// expF64Input draws test inputs for Exp[float64]: mostly uniform over the whole interesting
// range [-750, 720], with special values and the neighbourhoods of 0 and the thresholds mixed in.
func expF64Input(r *testInput) float64 {
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
		return r.uniform(709.7, 709.8)
	case 7:
		return r.uniform(-708.5, -708.3)
	case 8:
		return r.uniform(-745.2, -745.1)
	case 9:
		return r.uniform(-1e300, 1e300)
	default:
		return r.uniform(-750, 720)
	}
}

func TestExpF64Elementwise(t *testing.T) {
	checkElementwise(t, elementwiseCase[float64]{
		name:   "Exp",
		kernel: Exp[float64],
		want:   exp64,
		ulps:   expF64ULPs,
		input:  expF64Input,
	})
}

func TestExpF64Special(t *testing.T) {
	const overflow = 709.782712893384 // the largest x with a finite e^x
	const minSub = -745.1332191019411 // e^x rounds to the smallest subnormal here
	cases := []struct{ x, want float64 }{
		{math.Inf(1), math.Inf(1)},
		{math.Inf(-1), 0},
		{0, 1},
		{math.Copysign(0, -1), 1},
		{1, math.E},
		{overflow, exp64(overflow)},
		{math.Nextafter(overflow, 1000), math.Inf(1)},
		{710, math.Inf(1)},
		{1e10, math.Inf(1)},
		{math.MaxFloat64, math.Inf(1)},
		{-1e10, 0},
		{-math.MaxFloat64, 0},
		{-708, math.Exp(-708)},
		{-708.4, math.Exp(-708.4)}, // subnormal
		{-720, math.Exp(-720)},
		{-740, math.Exp(-740)},
		{minSub, 5e-324},
		{-745.14, 0},
		{-746, 0},
		{5e-324, 1},
		{-5e-324, 1},
		{1e-20, 1},
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
				Exp(dst, src)
				if d := ulp(dst[pos], c.want); d > 1 || (c.want == 0 || math.IsInf(c.want, 0)) && dst[pos] != c.want {
					t.Fatalf("Exp(%v) = %v at position %d, want %v", c.x, dst[pos], pos, c.want)
				}
				for i, v := range dst {
					if i != pos && !math.IsNaN(v) {
						t.Fatalf("Exp(NaN) = %v at position %d", v, i)
					}
				}
			}
		}
	})
}

// TestExpF64Accuracy compares Exp[float64] with exp64 (math.Exp) on a dense sample: 2^24 points spread
// over [-746, 710] (2^20 with -short), and sweeps of consecutive float64 values around 0, the
// overflow threshold, the start of the subnormal range and the point below which e^x is 0.
func TestExpF64Accuracy(t *testing.T) {
	n := 1 << 24
	if testing.Short() {
		n = 1 << 20
	}
	const lo, hi = -746.0, 710.0
	sweep := func(x0 float64, count int) []float64 {
		s := make([]float64, 0, 2*count)
		a, b := x0, x0
		for i := 0; i < count; i++ {
			s = append(s, a, b)
			a, b = math.Nextafter(a, math.Inf(-1)), math.Nextafter(b, math.Inf(1))
		}
		return s
	}
	var sweeps []float64
	for _, x0 := range []float64{0, 1e-9, -1e-9, 0.34657359027997264, -0.34657359027997264,
		709.782712893384, -708.3964185322641, -745.1332191019411, -744.44007192138122} {
		sweeps = append(sweeps, sweep(x0, 1<<14)...)
	}
	eachISA(t, func(t *testing.T) {
		const block = 4096
		src := make([]float64, block)
		dst := make([]float64, block)
		var worst uint64
		var worstX float64
		check := func(src []float64) {
			dst := dst[:len(src)]
			Exp(dst, src)
			for i, x := range src {
				if d := ulp(dst[i], exp64(x)); d > worst {
					worst, worstX = d, x
				}
			}
		}
		step := (hi - lo) / float64(n)
		r := newInput(7)
		for i := 0; i < n; i += block {
			for j := range src {
				src[j] = lo + step*(float64(i+j)+r.uniform(0, 1))
			}
			check(src)
		}
		for i := 0; i < len(sweeps); i += block {
			check(sweeps[i:min(i+block, len(sweeps))])
		}
		t.Logf("%s: worst distance from math.Exp %d ULP, at x = %v", ISA(), worst, worstX)
		if worst > expF64ULPs {
			t.Errorf("Exp(%v): %d ULP from math.Exp, allowed %d", worstX, worst, expF64ULPs)
		}
	})
}

// ln2Big is ln 2 to 300 bits: the sum of 1/(k 2^k).
var ln2Big = func() *big.Float {
	const prec = 300
	s := new(big.Float).SetPrec(prec)
	for k := 1; k < 310; k++ {
		t := new(big.Float).SetPrec(prec).SetInt64(1)
		t.SetMantExp(t, -k) // 2^-k at 300 bits (SetMantExp keeps the precision of its argument)
		s.Add(s, t.Quo(t, new(big.Float).SetPrec(prec).SetInt64(int64(k))))
	}
	return s
}()

// expExact returns e^x correctly rounded to float64 (subnormals included). Finite x in
// [-746, 710] only.
func expExact(x float64) float64 {
	f, _ := expBig(x).Float64()
	return f
}

// expBig returns e^x to about 290 bits, by e^x = 2^k e^r with r = x - k ln2 and the Taylor
// series of e^r, all in 300-bit arithmetic. Finite x in [-746, 710] only.
func expBig(x float64) *big.Float {
	const prec = 300
	k := math.Round(x / math.Ln2)
	r := new(big.Float).SetPrec(prec).SetFloat64(x)
	r.Sub(r, new(big.Float).SetPrec(prec).Mul(ln2Big, new(big.Float).SetPrec(prec).SetFloat64(k)))
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); n < 80; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(n))
		sum.Add(sum, term)
	}
	return sum.SetMantExp(sum, int(k))
}

// TestExpF64CorrectlyRounded measures Exp[float64] against the correctly rounded e^x on 2^14
// random points over [-746, 710] (2^11 with -short), plus points near 0 and the thresholds: every
// path must be within 1 ULP of it. It logs how often a path rounds the other way.
func TestExpF64CorrectlyRounded(t *testing.T) {
	n := 1 << 14
	if testing.Short() {
		n = 1 << 11
	}
	r := newInput(11)
	xs := make([]float64, 0, n+1024)
	for i := 0; i < n; i++ {
		xs = append(xs, r.uniform(-746, 710))
	}
	for _, c := range []struct{ lo, hi float64 }{{-1e-3, 1e-3}, {709, 709.78}, {-708.5, -708}, {-745.1, -720}} {
		for i := 0; i < 256; i++ {
			xs = append(xs, r.uniform(c.lo, c.hi))
		}
	}
	want := make([]float64, len(xs))
	for i, x := range xs {
		want[i] = expExact(x)
	}
	eachISA(t, func(t *testing.T) {
		got := make([]float64, len(xs))
		Exp(got, xs)
		var off int
		for i, x := range xs {
			d := ulp(got[i], want[i])
			if d > 1 {
				t.Fatalf("Exp(%v) = %v, correctly rounded %v: %d ULP", x, got[i], want[i], d)
			}
			if d == 1 {
				off++
			}
		}
		t.Logf("%s: within 1 ULP of the correctly rounded e^x; rounded the other way for %d of %d inputs", ISA(), off, len(xs))
	})
}
