package kernels

import (
	"math"
	"math/big"
	"testing"
)

// The float64 activations against their exact values (bigmath_test.go), on every ISA path: a
// dense random sample over each function's interesting range, magnitudes spread over the whole
// float64 range (both signs, subnormals included), and runs of consecutive float64 values around
// every branch point of the pure-Go method and every place where the result turns subnormal or
// zero. Every result must be within activationF64ULPs of the correctly rounded exact value, and
// exactly it (sign included) where that is 0 or infinite.

const activationF64ULPs = 4

// activationF64Case is a float64 kernel and its exact value.
type activationF64Case struct {
	name   string
	kernel func(dst, src []float64)
	exact  func(x float64) *big.Float // finite x; non-finite x go through special
	// special returns the result for NaN and ±Inf.
	special func(x float64) float64
	ranges  [][2]float64 // uniform samples
	edges   []float64    // runs of consecutive values around these
}

// activationF64Cases lists the float64 activations with their exact values.
func activationF64Cases() []activationF64Case {
	inf := math.Inf(1)
	limits := func(pos, neg float64) func(float64) float64 {
		return func(x float64) float64 {
			switch {
			case x != x:
				return x
			case x > 0:
				return pos
			}
			return neg
		}
	}
	elu := func(alpha float64) activationF64Case {
		return activationF64Case{
			name:    "ELU(" + ftoa(alpha) + ")",
			kernel:  func(dst, src []float64) { ELU(alpha, dst, src) },
			exact:   func(x float64) *big.Float { return eluBig(alpha, x) },
			special: limits(inf, -alpha),
			ranges:  [][2]float64{{-40, 5}, {-760, 0}, {-1e-6, 1e-6}},
			edges:   []float64{0, -0x1p-53, -37.5, -745},
		}
	}
	return []activationF64Case{
		{
			name: "GELU", kernel: GELU[float64], exact: geluBig, special: limits(inf, negZero),
			ranges: [][2]float64{{-41, 11}, {-6, 6}, {-1e-6, 1e-6}},
			edges:  []float64{0, 9, -30, -40, -38.66, -37.5, -37.7, -26, -5.9, -1},
		},
		{
			name: "GELUTanh", kernel: GELUTanh[float64], exact: geluTanhBig, special: limits(inf, negZero),
			ranges: [][2]float64{{-31, 11}, {-6, 6}, {-1e-6, 1e-6}},
			edges:  []float64{0, 10, -30, -21.6, -21.4, -21.3, -21.25, -20, -1},
		},
		{
			name: "SiLU", kernel: SiLU[float64], exact: siluBig, special: limits(inf, negZero),
			ranges: [][2]float64{{-1030, 50}, {-30, 30}, {-1e-6, 1e-6}},
			edges:  []float64{0, 40, 37.4, -700, -708.4, -745, -751.1, -1024},
		},
		{
			name: "Softplus", kernel: Softplus[float64], exact: softplusBig, special: limits(inf, 0),
			ranges: [][2]float64{{-760, 40}, {-40, 40}, {-1e-6, 1e-6}},
			edges:  []float64{0, 37, -37, -708.4, -745.1},
		},
		{
			name: "Tanh", kernel: Tanh[float64], exact: tanhBig, special: limits(1, -1),
			ranges: [][2]float64{{-21, 21}, {-1, 1}, {-1e-6, 1e-6}},
			edges:  []float64{0, 0x1p-27, math.Ln2 / 4, 3 * math.Ln2 / 4, 0.625, 19.06, 20},
		},
		elu(1), elu(0.3),
		{
			name: "Log", kernel: Log[float64], exact: func(x float64) *big.Float {
				switch {
				case x < 0:
					return nil
				case x == 0:
					return newBig().SetInf(true)
				}
				return logBig(bigOf(x))
			}, special: limits(inf, math.NaN()),
			ranges: [][2]float64{{0, 2}, {0.5, 1.5}, {0, 1e300}},
			edges:  []float64{1, 0x1p-1022, 2, 0.5},
		},
	}
}

// ftoa formats a small constant for a test name.
func ftoa(x float64) string { return big.NewFloat(x).Text('g', 3) }

// f64Sample returns the inputs of a float64 accuracy test: n uniform samples from each range,
// n magnitudes uniform in exponent over the whole float64 range with both signs, the special
// values, and 2*run consecutive float64 values around each edge (both signs of the edge if it
// is not 0).
func f64Sample(seed uint64, n, run int, ranges [][2]float64, edges []float64) []float64 {
	r := newInput(seed)
	var xs []float64
	for _, rg := range ranges {
		for i := 0; i < n; i++ {
			xs = append(xs, r.uniform(rg[0], rg[1]))
		}
	}
	for i := 0; i < n; i++ {
		m := math.Float64frombits(r.next() >> 1) // every finite magnitude, NaNs and Inf too
		if m != m || math.IsInf(m, 0) {
			continue
		}
		xs = append(xs, m, -m)
	}
	xs = append(xs, specials[float64]()...)
	for _, e := range edges {
		for _, s := range []float64{1, -1} {
			if e == 0 && s < 0 {
				continue
			}
			b := math.Float64bits(e * s)
			for d := -run; d < run; d++ {
				xs = append(xs, math.Float64frombits(uint64(int64(b)+int64(d))))
			}
		}
	}
	return xs
}

// f64Want is the correctly rounded result for x: the special value for NaN and ±Inf, else
// exact(x) rounded (NaN where exact returns nil).
func (c *activationF64Case) want(x float64) float64 {
	if x != x || math.IsInf(x, 0) {
		return c.special(x)
	}
	e := c.exact(x)
	if e == nil {
		return math.NaN()
	}
	return bigF64(e)
}

func TestActivationsF64Accuracy(t *testing.T) {
	n, run := 1<<12, 256
	if testing.Short() {
		n, run = 1<<9, 32
	}
	for ci, c := range activationF64Cases() {
		t.Run(c.name, func(t *testing.T) {
			xs := f64Sample(uint64(ci+1), n, run, c.ranges, c.edges)
			want := make([]float64, len(xs))
			for i, x := range xs {
				want[i] = c.want(x)
			}
			eachISA(t, func(t *testing.T) {
				got := make([]float64, len(xs))
				c.kernel(got, xs)
				var worst uint64
				var worstX float64
				for i, x := range xs {
					d := ulp(got[i], want[i])
					if d > activationF64ULPs || (want[i] == 0 || math.IsInf(want[i], 0)) && math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("%s(%v) [bits %#x] = %v, exact %v (%d ULP, allowed %d)", c.name, x, math.Float64bits(x), got[i], want[i], d, activationF64ULPs)
					}
					if d > worst {
						worst, worstX = d, x
					}
				}
				t.Logf("%s %s: %d inputs, worst %d ULP from the correctly rounded result (at %v)", ISA(), c.name, len(xs), worst, worstX)
			})
		})
	}
}
