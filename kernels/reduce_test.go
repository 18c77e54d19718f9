package kernels

import (
	"fmt"
	"math"
	"math/big"
	"testing"
)

// The reductions are checked on every ISA path, at every length 0..300 and every alignment, and
// on slices that end right before an unmapped page, in two ways:
//
//   - small integers, whose sums and products are exact in any order: the result must be exact,
//     so a lane read twice, skipped or taken from outside the slice shows up;
//   - values with random signs spread over 2^-20..2^20, whose sums cancel: the result must be
//     within the error bound of floating-point summation in any order (see sumBound).

// unitRoundoff is u, half the gap between 1 and the next larger T: 2^-24 or 2^-53.
func unitRoundoff[T Float]() float64 {
	if is32[T]() {
		return 0x1p-24
	}
	return 0x1p-53
}

// gamma is Higham's γ_k = k·u / (1 - k·u) for T.
func gamma[T Float](k int) float64 {
	ku := float64(k) * unitRoundoff[T]()
	return ku / (1 - ku)
}

// exactDot returns Σ x[i]·y[i] (Σ x[i] when y is nil) and Σ |x[i]·y[i]| without rounding: every
// product of two floats is exact in 2·53 bits and 600 bits hold the sums of the inputs used here.
func exactDot[T Float](x, y []T) (sum, abs *big.Float) {
	sum, abs = new(big.Float).SetPrec(600), new(big.Float).SetPrec(600)
	for i, v := range x {
		p := new(big.Float).SetPrec(600).SetFloat64(float64(v))
		if y != nil {
			p.Mul(p, new(big.Float).SetPrec(600).SetFloat64(float64(y[i])))
		}
		sum.Add(sum, p)
		abs.Add(abs, p.Abs(p))
	}
	return sum, abs
}

// checkBound fails t unless got is within gamma(k)·abs of the exact sum.
//
// Why that bound: however the additions are ordered (accumulators per lane, a tree over the
// lanes), the computed sum is Σ t_i·(1+θ_i), where θ_i collects the roundings on term i's path
// to the result. Each of them merges term i's partial sum with a partial sum holding at least one
// other term (an addition of a masked-off zero is exact and does not count), so there are at
// most n-1 of them, and |θ_i| ≤ γ_{n-1} (Higham, Accuracy and Stability of Numerical Algorithms,
// §4.2). Dot with separate multiplications adds one rounding of each product, fused
// multiply-adds add none: γ_n covers both. Hence |computed - exact| ≤ γ_k · Σ|t_i|. It is
// relative to Σ|t_i|, not to the result: the condition number Σ|t_i| / |Σ t_i| of a sum that
// cancels can be huge, and the inputs here are chosen to cancel.
func checkBound[T Float](t *testing.T, what string, n, off int, got T, sum, abs *big.Float, k int) {
	t.Helper()
	d := new(big.Float).SetPrec(600).SetFloat64(float64(got))
	d.Sub(d, sum)
	errAbs, _ := d.Abs(d).Float64()
	a, _ := abs.Float64()
	if bound := gamma[T](k) * a * (1 + 0x1p-40); errAbs > bound {
		want, _ := sum.Float64()
		t.Fatalf("%s n=%d off=%d: got %v, exact %v: error %g above the bound %g", what, n, off, got, want, errAbs, bound)
	}
}

// smallInt returns a nonzero integer in [-1000, 1000]: sums of up to 300 of them (and products
// of two below 100 in magnitude) are exact in float32.
func smallInt[T Float](r *testInput, max uint64) T {
	v := T(1 + r.next()%max)
	if r.next()&1 == 0 {
		v = -v
	}
	return v
}

// spread returns a value with a random sign and a magnitude in 2^-20..2^20.
func spread[T Float](r *testInput) T {
	return T(r.uniform(-1, 1) * math.Ldexp(1, int(r.next()%41)-20))
}

// forSlices calls f with x (and y) of every length 0..300 at every alignment, with guard
// elements around them, and then with x, and y, ending right before an unmapped page. fill
// sets the values; f returns after checking the result.
func forSlices[T Float](t *testing.T, two bool, fill func(x, y []T), f func(n, off int, x, y []T)) {
	for n := 0; n <= 300; n++ {
		for off := 0; off < maxAlign[T](); off++ {
			x, checkX := guarded[T](n, off)
			var y []T
			checkY := func(*testing.T) {}
			if two {
				y, checkY = guarded[T](n, (off*3+5)%maxAlign[T]())
			}
			fill(x, y)
			f(n, off, x, y)
			checkX(t)
			checkY(t)
		}
		if p := pageEnd[T](t, n); p != nil {
			var y []T
			if two {
				y = make([]T, n)
			}
			fill(p, y)
			f(n, -1, p, y) // x at the page end
			if two {
				x := append([]T(nil), p...)
				fill(x, p)
				f(n, -1, x, p) // y at the page end
			}
		}
	}
}

func TestSum(t *testing.T) {
	t.Run("float32", testSum[float32])
	t.Run("float64", testSum[float64])
}

func testSum[T Float](t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(2)
		forSlices(t, false, func(x, _ []T) {
			for i := range x {
				x[i] = smallInt[T](r, 1000)
			}
		}, func(n, off int, x, _ []T) {
			want, _ := exactDot(x, nil)
			w, _ := want.Float64()
			if got := Sum(x); float64(got) != w {
				t.Fatalf("Sum n=%d off=%d of integers = %v, want exactly %v", n, off, got, w)
			}
		})
		forSlices(t, false, func(x, _ []T) {
			for i := range x {
				x[i] = spread[T](r)
			}
		}, func(n, off int, x, _ []T) {
			sum, abs := exactDot(x, nil)
			checkBound(t, "Sum", n, off, Sum(x), sum, abs, n-1)
		})
	})
}

func TestSumSpecial(t *testing.T) {
	t.Run("float32", testSumSpecial[float32])
	t.Run("float64", testSumSpecial[float64])
}

// testSumSpecial puts NaN or infinities at every position of slices that reach every part of
// the kernels: NaN anywhere gives NaN, +Inf gives +Inf, +Inf and -Inf together give NaN.
func testSumSpecial[T Float](t *testing.T) {
	inf, nan := T(math.Inf(1)), T(math.NaN())
	eachISA(t, func(t *testing.T) {
		if got := Sum([]T{}); got != 0 {
			t.Fatalf("Sum(empty) = %v", got)
		}
		for n := 1; n <= 150; n++ {
			x := make([]T, n)
			for i := range x {
				x[i] = T(i % 7)
			}
			for p := 0; p < n; p++ {
				old := x[p]
				x[p] = nan
				if got := Sum(x); got == got {
					t.Fatalf("n=%d: NaN at %d: Sum = %v", n, p, got)
				}
				x[p] = inf
				if got := Sum(x); got != inf {
					t.Fatalf("n=%d: +Inf at %d: Sum = %v", n, p, got)
				}
				x[(p+n/2)%n] = -inf
				if got := Sum(x); got == got && n > 1 {
					t.Fatalf("n=%d: +Inf at %d, -Inf at %d: Sum = %v", n, p, (p+n/2)%n, got)
				}
				x[(p+n/2)%n] = T((p + n/2) % n % 7)
				x[p] = old
			}
		}
	})
}

func TestDot(t *testing.T) {
	t.Run("float32", testDot[float32])
	t.Run("float64", testDot[float64])
}

func testDot[T Float](t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(3)
		forSlices(t, true, func(x, y []T) {
			for i := range x {
				x[i], y[i] = smallInt[T](r, 99), smallInt[T](r, 99)
			}
		}, func(n, off int, x, y []T) {
			want, _ := exactDot(x, y)
			w, _ := want.Float64()
			if got := Dot(x, y); float64(got) != w {
				t.Fatalf("Dot n=%d off=%d of integers = %v, want exactly %v", n, off, got, w)
			}
		})
		forSlices(t, true, func(x, y []T) {
			for i := range x {
				x[i], y[i] = spread[T](r), spread[T](r)
			}
		}, func(n, off int, x, y []T) {
			sum, abs := exactDot(x, y)
			checkBound(t, "Dot", n, off, Dot(x, y), sum, abs, n)
		})
		// NaN in either operand, at every position of a slice reaching every loop.
		for _, n := range []int{1, 5, 16, 31, 70, 133} {
			x, y := make([]T, n), make([]T, n)
			for i := range x {
				x[i], y[i] = 1, 2
			}
			for p := 0; p < n; p++ {
				x[p] = T(math.NaN())
				if got := Dot(x, y); got == got {
					t.Fatalf("n=%d: NaN in x at %d: Dot = %v", n, p, got)
				}
				x[p], y[p] = 1, T(math.NaN())
				if got := Dot(x, y); got == got {
					t.Fatalf("n=%d: NaN in y at %d: Dot = %v", n, p, got)
				}
				y[p] = 2
			}
		}
	})
}

func TestAxpy(t *testing.T) {
	t.Run("float32", testAxpy[float32])
	t.Run("float64", testAxpy[float64])
}

// testAxpy checks y += alpha*x exactly on integers and, on spread values, within one rounding
// of the product and one of the sum: |got - (alpha·x + y)| ≤ 2u·(|alpha·x| + |y|), which holds
// both for a fused multiply-add (one rounding, ≤ u·|alpha·x + y|) and for the Go loop (two).
// x must come back unchanged and nothing around y may be written.
func testAxpy[T Float](t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(4)
		check := func(exact bool, alpha T) func(n, off int, x, y []T) {
			return func(n, off int, x, y []T) {
				x0, y0 := append([]T(nil), x...), append([]T(nil), y...)
				Axpy(alpha, x, y)
				for i := range x {
					if x[i] != x0[i] {
						t.Fatalf("Axpy n=%d off=%d: x[%d] changed from %v to %v", n, off, i, x0[i], x[i])
					}
					// alpha·x + y rounded once to float64: exact for float32 inputs, and the
					// correctly rounded result for float64 ones.
					want := math.FMA(float64(alpha), float64(x0[i]), float64(y0[i]))
					tol := 0.0
					if !exact {
						tol = 2 * unitRoundoff[T]() * (math.Abs(float64(alpha)*float64(x0[i])) + math.Abs(float64(y0[i])))
					}
					if d := math.Abs(float64(y[i]) - want); d > tol {
						t.Fatalf("Axpy(%v) n=%d off=%d: y[%d] = %v + %v*%v gave %v, want %v (error %g, allowed %g)", alpha, n, off, i, y0[i], alpha, x0[i], y[i], want, d, tol)
					}
				}
			}
		}
		forSlices(t, true, func(x, y []T) {
			for i := range x {
				x[i], y[i] = smallInt[T](r, 1000), smallInt[T](r, 1000)
			}
		}, check(true, -3))
		forSlices(t, true, func(x, y []T) {
			for i := range x {
				x[i], y[i] = spread[T](r), spread[T](r)
			}
		}, check(false, T(r.uniform(-4, 4))))
		// x may be y: y[i] += alpha*y[i].
		for n := 0; n <= 100; n++ {
			y := make([]T, n)
			for i := range y {
				y[i] = smallInt[T](r, 1000)
			}
			y0 := append([]T(nil), y...)
			Axpy(2, y, y)
			for i := range y {
				if y[i] != 3*y0[i] {
					t.Fatalf("Axpy(2, y, y) n=%d: y[%d] = %v, want %v", n, i, y[i], 3*y0[i])
				}
			}
		}
	})
}

func TestMax(t *testing.T) {
	t.Run("float32", testMax[float32])
	t.Run("float64", testMax[float64])
}

// testMax compares Max with a plain loop (it is exact, so ==), on negative values (a masked-off
// lane taken as 0 instead of -Inf would win there) and on mixed ones, then puts NaN, +Inf and
// -Inf at every position.
func testMax[T Float](t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(5)
		for _, lo := range []float64{-100, 100} {
			forSlices(t, false, func(x, _ []T) {
				for i := range x {
					x[i] = T(r.uniform(-100, lo))
				}
			}, func(n, off int, x, _ []T) {
				want := T(math.Inf(-1))
				for _, v := range x {
					want = max(want, v)
				}
				if got := Max(x); got != want {
					t.Fatalf("Max n=%d off=%d = %v, want %v", n, off, got, want)
				}
			})
		}
		nan, inf := T(math.NaN()), T(math.Inf(1))
		for n := 1; n <= 300; n++ {
			x := make([]T, n)
			for i := range x {
				x[i] = T(r.uniform(-100, 100))
			}
			for p := 0; p < n; p++ {
				old := x[p]
				x[p] = nan
				if got := Max(x); got == got {
					t.Fatalf("n=%d: NaN at %d: Max = %v, want NaN", n, p, got)
				}
				x[p] = inf
				if got := Max(x); got != inf {
					t.Fatalf("n=%d: +Inf at %d: Max = %v, want +Inf", n, p, got)
				}
				x[p] = old
			}
		}
		for n := 0; n <= 40; n++ {
			x := make([]T, n)
			for i := range x {
				x[i] = -inf
			}
			if got := Max(x); got != -inf {
				t.Fatalf("Max of %d × -Inf = %v, want -Inf", n, got)
			}
			if n > 0 {
				x[n/2] = T(math.Copysign(0, -1))
				if got := Max(x); got != 0 {
					t.Fatalf("Max of -Inf and -0 (n=%d) = %v, want 0", n, got)
				}
			}
		}
	})
}

func TestScale(t *testing.T) {
	for _, alpha := range []float64{-1.5, 0, 3e-3} {
		t.Run(fmt.Sprintf("float32/alpha=%g", alpha), func(t *testing.T) {
			a := float32(alpha)
			checkElementwise(t, elementwiseCase[float32]{"Scale",
				func(dst, src []float32) { Scale(a, dst, src) },
				func(x float32) float32 { return a * x }, 0, specialInput[float32](10)})
		})
		t.Run(fmt.Sprintf("float64/alpha=%g", alpha), func(t *testing.T) {
			checkElementwise(t, elementwiseCase[float64]{"Scale",
				func(dst, src []float64) { Scale(alpha, dst, src) },
				func(x float64) float64 { return alpha * x }, 0, specialInput[float64](10)})
		})
	}
}

// TestReduceMisuse checks the length checks of the float64 instantiations (api_test.go covers
// float32) and that Max and Sum accept nil.
func TestReduceMisuse(t *testing.T) {
	a, b := make([]float64, 5), make([]float64, 2)
	mustPanic(t, func() { Dot(a, b) }, "kernels.Dot", "len(x) = 5", "len(y) = 2")
	mustPanic(t, func() { Axpy(1, a, b) }, "kernels.Axpy", "len(x) = 5", "len(y) = 2")
	mustPanic(t, func() { Scale(1, b, a) }, "kernels.Scale", "len(dst) = 2", "len(src) = 5")
	mustPanic(t, func() { ReLU(a, b) }, "kernels.ReLU", "5", "2")
	mustPanic(t, func() { Step(b, a) }, "kernels.Step", "2", "5")
	eachISA(t, func(t *testing.T) {
		if got := Max[float64](nil); !math.IsInf(got, -1) {
			t.Fatalf("Max(nil) = %v, want -Inf", got)
		}
		if got := Sum[float32](nil); got != 0 {
			t.Fatalf("Sum(nil) = %v, want 0", got)
		}
		if got := Dot[float32](nil, nil); got != 0 {
			t.Fatalf("Dot(nil, nil) = %v, want 0", got)
		}
	})
}
