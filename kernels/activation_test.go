package kernels

import (
	"math"
	"reflect"
	"testing"
)

// The activations of activation.go on every ISA path: every length 0..300 at every alignment with
// guards and page ends (checkActivation), the special values bit for bit at every position of a
// vector, and argument checking. Their accuracy is measured by TestElementwiseF32Sweep (float32,
// every input) and TestActivationsF64Accuracy (float64).

// activationCase is one activation for both element types: want64 is its float64 reference (the
// pure-Go float64 function, itself checked against 192-bit references), lo and hi the range most
// inputs are drawn from.
type activationCase struct {
	name   string
	k32    func(dst, src []float32)
	k64    func(dst, src []float64)
	field  func(tb *table) (f32, f64 any) // the table's functions of this kernel
	want64 func(x float64) float64
	ulps32 uint64 // allowed distance of float32 results from want64 rounded to float32
	ulps64 uint64 // of float64 results from want64
	lo, hi float64
}

// eluAlpha32 is the second alpha the tests use for ELU (the first is 1), and leakyAlpha the
// alpha of LeakyReLU.
const (
	eluAlpha32 = float32(0.3)
	leakyAlpha = 0.01
)

func activationCases() []activationCase {
	elu := func(alpha float32) activationCase {
		a := float64(alpha)
		return activationCase{
			name:   "ELU(" + ftoa(a) + ")",
			k32:    func(dst, src []float32) { ELU(alpha, dst, src) },
			k64:    func(dst, src []float64) { ELU(a, dst, src) },
			field:  func(tb *table) (any, any) { return tb.f32.elu, tb.f64.elu },
			want64: func(x float64) float64 { return eluWant(a, x) },
			ulps32: 2, ulps64: 4, lo: -20, hi: 5,
		}
	}
	return []activationCase{
		{"GELU", GELU[float32], GELU[float64], func(tb *table) (any, any) { return tb.f32.gelu, tb.f64.gelu },
			gelu64, 2, 4, -16, 10},
		{"GELUTanh", GELUTanh[float32], GELUTanh[float64], func(tb *table) (any, any) { return tb.f32.geluTanh, tb.f64.geluTanh },
			geluTanh64, 2, 4, -25, 10},
		{"SiLU", SiLU[float32], SiLU[float64], func(tb *table) (any, any) { return tb.f32.silu, tb.f64.silu },
			silu64, 2, 4, -110, 45},
		{"Softplus", Softplus[float32], Softplus[float64], func(tb *table) (any, any) { return tb.f32.softplus, tb.f64.softplus },
			softplus64, 2, 4, -110, 45},
		elu(1), elu(eluAlpha32),
		{"LeakyReLU", func(dst, src []float32) { LeakyReLU(leakyAlpha, dst, src) },
			func(dst, src []float64) { LeakyReLU(leakyAlpha, dst, src) },
			func(tb *table) (any, any) { return tb.f32.leakyReLU, tb.f64.leakyReLU }, nil, 0, 0, -10, 10},
		{"Log", Log[float32], Log[float64], func(tb *table) (any, any) { return tb.f32.log, tb.f64.log },
			log64, 2, 4, 0, 10},
	}
}

// eluWant is ELU's definition in float64: x for x > 0, alpha·expm1(x) otherwise.
func eluWant(alpha, x float64) float64 {
	if x > 0 {
		return x
	}
	return alpha * math.Expm1(x)
}

// leakyWant is LeakyReLU's definition in T, one rounding: x for x > 0, alpha·x otherwise.
func leakyWant[T Float](x T) T {
	if x > 0 {
		return x
	}
	return leakyAlpha * x
}

// activationInput draws mostly uniform values in [lo, hi], with the special values, tiny values
// and the far tails mixed in.
func activationInput[T Float](lo, hi float64) func(r *testInput) T {
	sp := specials[T]()
	return func(r *testInput) T {
		switch r.next() % 16 {
		case 0:
			return sp[r.next()%uint64(len(sp))]
		case 1:
			return T(r.uniform(-1e-6, 1e-6))
		case 2:
			return T(r.uniform(-800, 800))
		}
		return T(r.uniform(lo, hi))
	}
}

func TestActivationsElementwise(t *testing.T) {
	for _, c := range activationCases() {
		want32, want64 := leakyWant[float32], leakyWant[float64]
		if c.want64 != nil {
			want32 = func(x float32) float32 { return float32(c.want64(float64(x))) }
			want64 = c.want64
		}
		id32 := func(tb *table) any { f, _ := c.field(tb); return f }
		id64 := func(tb *table) any { _, f := c.field(tb); return f }
		t.Run(c.name+"/float32", func(t *testing.T) {
			checkActivation(t, id32, elementwiseCase[float32]{c.name, c.k32, want32, c.ulps32, activationInput[float32](c.lo, c.hi)})
		})
		t.Run(c.name+"/float64", func(t *testing.T) {
			checkActivation(t, id64, elementwiseCase[float64]{c.name, c.k64, want64, c.ulps64, activationInput[float64](c.lo, c.hi)})
		})
	}
}

// eachOwnISA runs f like eachISA, but skips the paths whose function for the kernel under test
// (field) is the generic table's: running the same Go function again on another path tests
// nothing new. (The assembly tables point at the generic activations until their assembly
// exists; from then on every path runs.)
func eachOwnISA(t *testing.T, field func(tb *table) any, f func(t *testing.T)) {
	t.Helper()
	generic := reflect.ValueOf(field(genericTable)).Pointer()
	eachISA(t, func(t *testing.T) {
		if tb := active.Load(); tb != genericTable && reflect.ValueOf(field(tb)).Pointer() == generic {
			t.Skipf("the %s table uses the generic function: tested on the generic path", tb.name)
		}
		f(t)
	})
}

// checkActivation is checkElementwise on the paths of eachOwnISA: every length 0..300 and
// every alignment of dst and src, out of place and in place, with guard elements around dst and
// src, and on a source that ends right before an unmapped page; every element within c.ulps of
// c.want.
func checkActivation[T Float](t *testing.T, field func(tb *table) any, c elementwiseCase[T]) {
	eachOwnISA(t, field, func(t *testing.T) {
		r := newInput(1)
		na := maxAlign[T]()
		check := func(what string, n int, dst, src []T) {
			t.Helper()
			for i := range dst {
				if d := ulp(dst[i], c.want(src[i])); d > c.ulps {
					t.Fatalf("%s n=%d %s: %s(%v) = %v, want %v (%d ULP, allowed %d)", c.name, n, what, c.name, src[i], dst[i], c.want(src[i]), d, c.ulps)
				}
			}
		}
		for n := 0; n <= 300; n++ {
			for off := 0; off < na; off++ {
				src, checkSrc := guarded[T](n, (off*5+3)%na)
				for i := range src {
					src[i] = c.input(r)
				}
				orig := append([]T(nil), src...)
				dst, checkDst := guarded[T](n, off)
				c.kernel(dst, src)
				checkDst(t)
				checkSrc(t)
				for i := range src {
					if bitsOf(src[i]) != bitsOf(orig[i]) {
						t.Fatalf("%s n=%d off=%d: src[%d] changed from %v to %v", c.name, n, off, i, orig[i], src[i])
					}
				}
				check("out of place", n, dst, orig)
				c.kernel(src, src)
				checkSrc(t)
				for i := range src {
					if bitsOf(src[i]) != bitsOf(dst[i]) && !(src[i] != src[i] && dst[i] != dst[i]) {
						t.Fatalf("%s n=%d off=%d in place: [%d] = %v, out of place gave %v", c.name, n, off, i, src[i], dst[i])
					}
				}
			}
			if src := pageEnd[T](t, n); src != nil {
				for i := range src {
					src[i] = c.input(r)
				}
				dst := make([]T, n)
				c.kernel(dst, src)
				check("at page end", n, dst, src)
				c.kernel(src, src) // and the in-place write up to the page end
			}
		}
	})
}

// specialCase is an input and the result a kernel must give for it: bit for bit where that is a
// zero or an infinity (sign included), NaN for NaN, within the case's ULPs otherwise.
type specialCase struct{ x, want float64 }

// testSpecialValues places each case at every position of a 67-element vector of NaNs, so that
// it goes through the unrolled loops, the single-vector loops and the tails of every path, on
// every ISA path; the NaNs must stay NaN.
func testSpecialValues[T Float](t *testing.T, name string, kernel func(dst, src []T), cases []specialCase, ulps uint64) {
	eachISA(t, func(t *testing.T) {
		src, dst := make([]T, 67), make([]T, 67)
		for _, c := range cases {
			x, want := T(c.x), T(c.want)
			for pos := range src {
				for i := range src {
					src[i] = T(math.NaN())
				}
				src[pos] = x
				kernel(dst, src)
				got := dst[pos]
				bad := false
				switch {
				case want != want:
					bad = got == got
				case want == 0 || math.IsInf(float64(want), 0):
					bad = bitsOf(got) != bitsOf(want)
				default:
					bad = ulp(got, want) > ulps
				}
				if bad {
					t.Fatalf("%s(%v) = %v [bits %#x] at position %d, want %v [bits %#x]", name, x, got, bitsOf(got), pos, want, bitsOf(want))
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

// activationSpecials lists the special values of each activation for the element type T, whose
// largest finite value is big and smallest subnormal tiny.
func activationSpecials(big, tiny float64) map[string][]specialCase {
	inf, nan, nz := math.Inf(1), math.NaN(), negZero
	a := float64(eluAlpha32)
	return map[string][]specialCase{
		"GELU": {{inf, inf}, {-inf, nz}, {0, 0}, {nz, nz}, {nan, nan}, {big, big}, {-big, nz},
			{-50, nz}, {-1e10, nz}, {20, 20}, {1, gelu64(1)}, {-1, gelu64(-1)}, {tiny, tiny}},
		"GELUTanh": {{inf, inf}, {-inf, nz}, {0, 0}, {nz, nz}, {nan, nan}, {big, big}, {-big, nz},
			{-50, nz}, {-1e10, nz}, {20, 20}, {1, geluTanh64(1)}, {-1, geluTanh64(-1)}},
		"SiLU": {{inf, inf}, {-inf, nz}, {0, 0}, {nz, nz}, {nan, nan}, {big, big}, {-big, nz},
			{-2000, nz}, {-1e10, nz}, {50, 50}, {1, silu64(1)}, {-1, silu64(-1)}, {-tiny, nz}},
		"Softplus": {{inf, inf}, {-inf, 0}, {0, math.Ln2}, {nz, math.Ln2}, {nan, nan}, {big, big},
			{-big, 0}, {-2000, 0}, {50, 50}, {1, softplus64(1)}, {-1, softplus64(-1)}},
		"ELU(1)": {{inf, inf}, {-inf, -1}, {0, 0}, {nz, nz}, {nan, nan}, {big, big}, {-big, -1},
			{-50, -1}, {1, 1}, {-1, math.Expm1(-1)}, {-tiny, -tiny}},
		"ELU(0.3)": {{inf, inf}, {-inf, -a}, {0, 0}, {nz, nz}, {nan, nan}, {big, big}, {-big, -a},
			{-1000, -a}, {1, 1}, {-1, a * math.Expm1(-1)}},
		"LeakyReLU": {{inf, inf}, {-inf, -inf}, {0, 0}, {nz, nz}, {nan, nan}, {big, big},
			{-big, -big * leakyAlpha}, {1, 1}, {-1, -leakyAlpha}},
		"Log": {{inf, inf}, {-inf, nan}, {0, -inf}, {nz, -inf}, {nan, nan}, {-1, nan}, {-tiny, nan},
			{1, 0}, {math.E, 1}, {tiny, log64(tiny)}, {big, log64(big)}, {0.5, -math.Ln2}},
	}
}

func TestActivationsSpecialValues(t *testing.T) {
	sp32 := activationSpecials(math.MaxFloat32, math.SmallestNonzeroFloat32)
	sp64 := activationSpecials(math.MaxFloat64, math.SmallestNonzeroFloat64)
	for _, c := range activationCases() {
		if sp32[c.name] == nil {
			t.Fatalf("no special values for %s", c.name)
		}
		t.Run(c.name+"/float32", func(t *testing.T) { testSpecialValues(t, c.name, c.k32, sp32[c.name], 2) })
		t.Run(c.name+"/float64", func(t *testing.T) { testSpecialValues(t, c.name, c.k64, sp64[c.name], 4) })
	}
	// Log of the float64 subnormals, which math.Log on amd64 gets wrong: ln(5e-324) = -744.44.
	t.Run("Log/float64 subnormals", func(t *testing.T) {
		testSpecialValues(t, "Log", Log[float64], []specialCase{
			{5e-324, -744.4400719213812}, {1e-310, -713.8013788281542}, {0x1p-1022, -1022 * math.Ln2},
			{math.Nextafter(0x1p-1022, 0), -708.3964185322641}}, 1)
	})
}

// TestActivationsLengthMismatch checks that every kernel of activation.go, grad.go and
// logsoftmax.go panics on mismatched lengths, naming itself and the lengths.
func TestActivationsLengthMismatch(t *testing.T) {
	a, b, c := make([]float32, 3), make([]float32, 4), make([]float32, 4)
	for name, f := range map[string]func(){
		"GELU": func() { GELU(a, b) }, "GELUTanh": func() { GELUTanh(a, b) }, "SiLU": func() { SiLU(a, b) },
		"Softplus": func() { Softplus(a, b) }, "ELU": func() { ELU(1, a, b) }, "LeakyReLU": func() { LeakyReLU(0.1, a, b) },
		"Log": func() { Log(a, b) }, "LogSoftmax": func() { LogSoftmax(a, b, 1) },
	} {
		mustPanic(t, f, "kernels."+name+":", "len(dst) = 3", "len(src) = 4")
	}
	grads := map[string]func(dx, dy, v []float32){
		"SigmoidGrad": SigmoidGrad[float32], "TanhGrad": TanhGrad[float32], "ReLUGrad": ReLUGrad[float32],
		"GELUGrad": GELUGrad[float32], "GELUTanhGrad": GELUTanhGrad[float32], "SiLUGrad": SiLUGrad[float32],
		"SoftplusGrad":  SoftplusGrad[float32],
		"LeakyReLUGrad": func(dx, dy, x []float32) { LeakyReLUGrad(0.1, dx, dy, x) },
		"ELUGrad":       func(dx, dy, x []float32) { ELUGrad(1, dx, dy, x) },
	}
	for name, f := range grads {
		v := "x"
		if name == "SigmoidGrad" || name == "TanhGrad" {
			v = "y"
		}
		mustPanic(t, func() { f(a, b, c) }, "kernels."+name+":", "len(dx) = 3", "len(dy) = 4", "len("+v+") = 4")
		mustPanic(t, func() { f(b, a, c) }, "kernels."+name+":", "len(dy) = 3")
		mustPanic(t, func() { f(b, c, a) }, "kernels."+name+":", "len("+v+") = 3")
	}
	d := make([]float64, 6)
	mustPanic(t, func() { LogSoftmax(d, d, 4) }, "kernels.LogSoftmax", "cols = 4", "6")
	mustPanic(t, func() { LogSoftmax(d, d, 0) }, "kernels.LogSoftmax", "cols = 0")
	mustPanic(t, func() { LogSoftmax(d, d, -1) }, "kernels.LogSoftmax", "cols = -1")
}
