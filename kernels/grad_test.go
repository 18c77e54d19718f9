package kernels

import (
	"math"
	"math/big"
	"testing"
)

// The backward kernels of grad.go on every ISA path: every length 0..300 at every alignment of
// dx, dy and x (or y) with guards, in place over dy and over x, inputs ending before an unmapped
// page (checkGrad); the derivative at the kinks and the limits, bit for bit; and the float64
// (and float32) results against 192-bit references.

// gradULPs is the largest distance allowed from the reference, in ULP of T: from dy·f' rounded
// to T (float32), or from the pure-Go float64 formula (float64, which itself is measured against
// dy·f' exact by TestGradsAccuracy).
const gradULPs = 4

// gradCase is one backward kernel for both element types. alpha is the kernel's alpha as a T,
// converted to float64 (LeakyReLUGrad, ELUGrad); the other kernels ignore it.
type gradCase struct {
	name  string
	k32   func(dx, dy, v []float32)
	k64   func(dx, dy, v []float64)
	field func(tb *table) (f32, f64 any) // the table's functions of this kernel
	// f64 is the float64 formula dy·f'(v): the pure-Go scalar. Nil for the piecewise-linear
	// kernels, which sel describes entirely.
	f64 func(alpha, dy, v float64) float64
	// sel, where set, returns the exact result (rounded to T by the caller) and true where v is
	// on a side of the kernel that selects dy or alpha·dy; false where f64 applies.
	sel func(alpha, dy, v float64) (float64, bool)
	// scale is the sum of the magnitudes of the two terms whose difference f' is, where f' has a
	// zero (GELU, GELUTanh, SiLU): near it, results within gradULPs·eps·|dy|·scale pass.
	scale func(v float64) float64
	// exact is f'(v) to 192 bits for finite v; limit is f' at ±Inf.
	exact  func(alpha, v float64) *big.Float
	limit  func(alpha, v float64) float64
	lo, hi float64 // v is drawn mostly from [lo, hi]
}

const gradAlpha = 0.3 // the alpha of LeakyReLUGrad and ELUGrad in these tests

func gradCases() []gradCase {
	lim := func(pos, neg float64) func(float64, float64) float64 {
		return func(_, v float64) float64 {
			if v > 0 {
				return pos
			}
			return neg
		}
	}
	noAlpha := func(f func(dy, v float64) float64) func(alpha, dy, v float64) float64 {
		return func(_, dy, v float64) float64 { return f(dy, v) }
	}
	bigNoAlpha := func(f func(v float64) *big.Float) func(alpha, v float64) *big.Float {
		return func(_, v float64) *big.Float { return f(v) }
	}
	sigScale := func(v, kx float64) float64 {
		s, sm := 1/(1+math.Exp(-v)), 1/(1+math.Exp(v))
		return s * (1 + math.Abs(kx*sm))
	}
	c := math.Sqrt(2 / math.Pi)
	return []gradCase{
		{name: "SigmoidGrad", field: func(tb *table) (any, any) { return tb.f32.sigmoidGrad, tb.f64.sigmoidGrad }, k32: SigmoidGrad[float32], k64: SigmoidGrad[float64], f64: noAlpha(sigmoidGrad64),
			exact: bigNoAlpha(func(y float64) *big.Float {
				b := bigOf(y)
				return b.Mul(b, newBig().Sub(bigInt(1), bigOf(y)))
			}), limit: lim(math.Inf(-1), math.Inf(-1)), lo: 0, hi: 1},
		{name: "TanhGrad", field: func(tb *table) (any, any) { return tb.f32.tanhGrad, tb.f64.tanhGrad }, k32: TanhGrad[float32], k64: TanhGrad[float64], f64: noAlpha(tanhGrad64),
			exact: bigNoAlpha(func(y float64) *big.Float {
				b := bigOf(y)
				return b.Sub(bigInt(1), b.Mul(b, b))
			}), limit: lim(math.Inf(-1), math.Inf(-1)), lo: -1, hi: 1},
		{name: "ReLUGrad", field: func(tb *table) (any, any) { return tb.f32.reluGrad, tb.f64.reluGrad }, k32: ReLUGrad[float32], k64: ReLUGrad[float64],
			sel: func(_, dy, x float64) (float64, bool) {
				if x <= 0 {
					return 0, true
				}
				return dy, true
			}, lo: -5, hi: 5},
		{name: "LeakyReLUGrad", field: func(tb *table) (any, any) { return tb.f32.leakyReLUGrad, tb.f64.leakyReLUGrad },
			k32: func(dx, dy, x []float32) { LeakyReLUGrad(gradAlpha, dx, dy, x) },
			k64: func(dx, dy, x []float64) { LeakyReLUGrad(gradAlpha, dx, dy, x) },
			sel: func(alpha, dy, x float64) (float64, bool) {
				if x > 0 {
					return dy, true
				}
				return alpha * dy, true
			}, lo: -5, hi: 5},
		{name: "ELUGrad", field: func(tb *table) (any, any) { return tb.f32.eluGrad, tb.f64.eluGrad },
			k32: func(dx, dy, x []float32) { ELUGrad(gradAlpha, dx, dy, x) },
			k64: func(dx, dy, x []float64) { ELUGrad(gradAlpha, dx, dy, x) },
			f64: eluGradNeg64,
			sel: func(_, dy, x float64) (float64, bool) { return dy, !(x <= 0) },
			exact: func(alpha, x float64) *big.Float {
				if x > 0 {
					return bigInt(1)
				}
				e := expBigF(bigOf(x))
				return e.Mul(e, bigOf(alpha))
			}, limit: lim(1, 0), lo: -20, hi: 5},
		{name: "GELUGrad", field: func(tb *table) (any, any) { return tb.f32.geluGrad, tb.f64.geluGrad }, k32: GELUGrad[float32], k64: GELUGrad[float64], f64: noAlpha(geluGrad64),
			scale: func(x float64) float64 {
				return 0.5*math.Erfc(-x/math.Sqrt2) + math.Abs(x)*math.Exp(-x*x/2)/math.Sqrt(2*math.Pi)
			}, exact: bigNoAlpha(geluGradBig), limit: lim(1, negZero), lo: -12, hi: 10},
		{name: "GELUTanhGrad", field: func(tb *table) (any, any) { return tb.f32.geluTanhGrad, tb.f64.geluTanhGrad }, k32: GELUTanhGrad[float32], k64: GELUTanhGrad[float64], f64: noAlpha(geluTanhGrad64),
			scale: func(x float64) float64 {
				return sigScale(2*c*(x+0.044715*x*x*x), x*2*c*(1+3*0.044715*x*x))
			}, exact: bigNoAlpha(geluTanhGradBig), limit: lim(1, negZero), lo: -12, hi: 10},
		{name: "SiLUGrad", field: func(tb *table) (any, any) { return tb.f32.siluGrad, tb.f64.siluGrad }, k32: SiLUGrad[float32], k64: SiLUGrad[float64], f64: noAlpha(siluGrad64),
			scale: func(x float64) float64 { return sigScale(x, x) },
			exact: bigNoAlpha(siluGradBig), limit: lim(1, negZero), lo: -40, hi: 40},
		{name: "SoftplusGrad", field: func(tb *table) (any, any) { return tb.f32.softplusGrad, tb.f64.softplusGrad }, k32: SoftplusGrad[float32], k64: SoftplusGrad[float64], f64: noAlpha(softplusGrad64),
			exact: bigNoAlpha(softplusGradBig), limit: lim(1, 0), lo: -40, hi: 40},
	}
}

// gradWant is the reference result of c for (dy, v) in T: exact where c.sel selects, else
// c.f64 rounded to T.
func gradWant[T Float](c *gradCase, dy, v T) T {
	alpha := float64(T(gradAlpha))
	if c.sel != nil {
		if r, ok := c.sel(alpha, float64(dy), float64(v)); ok {
			return T(r)
		}
	}
	return T(c.f64(alpha, float64(dy), float64(v)))
}

// gradClose reports whether got is within gradULPs of want, or (where c.scale is set) within
// gradULPs·eps·|dy|·scale(v) of it, eps the unit roundoff of T.
func gradClose[T Float](c *gradCase, got, want, dy, v T) bool {
	if c.f64 == nil {
		return bitsOf(got) == bitsOf(want) || got != got && want != want
	}
	if ulp(got, want) <= gradULPs {
		return true
	}
	if c.scale == nil || got != got || want != want {
		return false
	}
	eps := 0x1p-53
	if is32[T]() {
		eps = 0x1p-24
	}
	return math.Abs(float64(got)-float64(want)) <= gradULPs*eps*math.Abs(float64(dy))*c.scale(float64(v))
}

// gradInput draws (dy, v): dy mostly in [-4, 4], v mostly in [lo, hi], both with the special
// values, tiny values and far tails mixed in.
func gradInput[T Float](r *testInput, lo, hi float64) (dy, v T) {
	sp := specials[T]()
	draw := func(lo, hi float64) T {
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
	return draw(-4, 4), draw(lo, hi)
}

// checkGrad runs c's kernel for T on every ISA path at every length 0..300 and every alignment
// of dx, dy and v, with guards around all three: out of place, in place over dy (dx = dy) and
// over v (dx = v); and with dy, then v, ending right before an unmapped page. Paths that use the
// generic function are skipped (eachOwnISA).
func checkGrad[T Float](t *testing.T, c *gradCase, kernel func(dx, dy, v []T)) {
	field := func(tb *table) any {
		f32, f64 := c.field(tb)
		if is32[T]() {
			return f32
		}
		return f64
	}
	eachOwnISA(t, field, func(t *testing.T) {
		r := newInput(4)
		na := maxAlign[T]()
		check := func(what string, n int, dx, dy, v []T) {
			t.Helper()
			for i := range dx {
				if w := gradWant(c, dy[i], v[i]); !gradClose(c, dx[i], w, dy[i], v[i]) {
					t.Fatalf("%s %s n=%d: [%d] dy=%v v=%v: got %v, want %v (%d ULP)", c.name, what, n, i, dy[i], v[i], dx[i], w, ulp(dx[i], w))
				}
			}
		}
		same := func(what string, n int, a, b []T) {
			t.Helper()
			for i := range a {
				if bitsOf(a[i]) != bitsOf(b[i]) && !(a[i] != a[i] && b[i] != b[i]) {
					t.Fatalf("%s %s n=%d: [%d] = %v, out of place gave %v", c.name, what, n, i, a[i], b[i])
				}
			}
		}
		for n := 0; n <= 300; n++ {
			for off := 0; off < na; off++ {
				dy, checkDy := guarded[T](n, (off*5+3)%na)
				v, checkV := guarded[T](n, (off*3+1)%na)
				for i := range dy {
					dy[i], v[i] = gradInput[T](r, c.lo, c.hi)
				}
				dy0, v0 := append([]T(nil), dy...), append([]T(nil), v...)
				dx, checkDx := guarded[T](n, off)
				kernel(dx, dy, v)
				checkDx(t)
				checkDy(t)
				checkV(t)
				same("input dy", n, dy, dy0)
				same("input v", n, v, v0)
				check("out of place", n, dx, dy0, v0)
				kernel(dy, dy, v) // dx = dy
				checkDy(t)
				checkV(t)
				same("in place over dy", n, dy, dx)
				copy(dy, dy0)
				kernel(v, dy, v) // dx = v
				checkDy(t)
				checkV(t)
				same("in place over v", n, v, dx)
			}
			// dy, then v, ends right before an unmapped page.
			for which := 0; which < 2; which++ {
				p := pageEnd[T](t, n)
				if p == nil {
					break
				}
				o := make([]T, n)
				dy, v := p, o
				if which == 1 {
					dy, v = o, p
				}
				for i := range dy {
					dy[i], v[i] = gradInput[T](r, c.lo, c.hi)
				}
				dx := make([]T, n)
				kernel(dx, dy, v)
				check("at page end", n, dx, dy, v)
				kernel(p, dy, v) // and the write up to the page end
			}
		}
	})
}

func TestGradsElementwise(t *testing.T) {
	cases := gradCases()
	for i := range cases {
		c := &cases[i]
		t.Run(c.name+"/float32", func(t *testing.T) { checkGrad(t, c, c.k32) })
		t.Run(c.name+"/float64", func(t *testing.T) { checkGrad(t, c, c.k64) })
	}
}

// TestGradKinks checks the derivatives at the kinks and in the limits, bit for bit, for both
// element types, each case at every position of a vector whose other elements are ordinary.
func TestGradKinks(t *testing.T) {
	inf, nan, nz := math.Inf(1), math.NaN(), negZero
	type kink struct{ dy, v, want float64 }
	a := gradAlpha
	kinks := map[string][]kink{
		"ReLUGrad": {{3, 0, 0}, {3, nz, 0}, {3, nan, 3}, {inf, -1, 0}, {nan, -1, 0}, {-2, inf, -2},
			{5, -inf, 0}, {3, 1e-30, 3}, {nz, 1, nz}},
		"LeakyReLUGrad": {{3, 0, 3 * a}, {3, nz, 3 * a}, {3, nan, 3 * a}, {3, 1, 3}, {nz, -1, nz},
			{3, -inf, 3 * a}, {3, inf, 3}},
		"ELUGrad": {{3, 0, 3 * a}, {3, nz, 3 * a}, {3, nan, 3}, {3, 1, 3}, {3, -inf, 0}, {3, inf, 3},
			{-3, -inf, nz}, {nan, -1, nan}},
		"GELUGrad": {{3, inf, 3}, {3, -inf, nz}, {-3, -inf, 0}, {3, 0, 1.5}, {3, nan, nan}, {nan, 1, nan},
			{3, 100, 3}, {3, -100, nz}},
		"GELUTanhGrad": {{3, inf, 3}, {3, -inf, nz}, {3, 0, 1.5}, {3, nan, nan}, {nan, 1, nan},
			{3, 100, 3}, {3, -100, nz}},
		"SiLUGrad": {{3, inf, 3}, {3, -inf, nz}, {3, 0, 1.5}, {3, nan, nan}, {nan, 1, nan},
			{3, 1000, 3}, {3, -2000, nz}},
		"SoftplusGrad": {{3, inf, 3}, {3, -inf, 0}, {3, 0, 1.5}, {3, nan, nan}, {3, 1000, 3}, {3, -2000, 0}},
		"SigmoidGrad":  {{3, 0, 0}, {3, 1, 0}, {3, 0.5, 0.75}, {nan, 0.5, nan}, {3, nan, nan}},
		"TanhGrad":     {{3, 1, 0}, {3, -1, 0}, {3, 0, 3}, {nan, 0.5, nan}, {3, nan, nan}},
	}
	cases := gradCases()
	for i := range cases {
		c := &cases[i]
		if kinks[c.name] == nil {
			t.Fatalf("no kinks for %s", c.name)
		}
		run := func(t *testing.T, n int, k func(dx, dy, v []float64), k32 func(dx, dy, v []float32)) {
			eachISA(t, func(t *testing.T) {
				for _, kc := range kinks[c.name] {
					for pos := 0; pos < n; pos++ {
						dy, v := make([]float64, n), make([]float64, n)
						dy32, v32 := make([]float32, n), make([]float32, n)
						for i := range dy {
							dy[i], v[i] = 1, 0.25
							dy32[i], v32[i] = 1, 0.25
						}
						dy[pos], v[pos] = kc.dy, kc.v
						dy32[pos], v32[pos] = float32(kc.dy), float32(kc.v)
						dx, dx32 := make([]float64, n), make([]float32, n)
						k(dx, dy, v)
						k32(dx32, dy32, v32)
						want, want32 := kc.want, float32(kc.want)
						if kc.want == 3*a { // alpha·dy, rounded in each type
							want32 = float32(gradAlpha) * 3
						}
						okBits := func(got, want float64) bool {
							if want != want {
								return got != got
							}
							return math.Float64bits(got) == math.Float64bits(want)
						}
						if !okBits(dx[pos], want) || !okBits(float64(dx32[pos]), float64(want32)) {
							t.Fatalf("%s(dy=%v, v=%v) = %v (float64), %v (float32), want %v", c.name, kc.dy, kc.v, dx[pos], dx32[pos], want)
						}
					}
				}
			})
		}
		t.Run(c.name, func(t *testing.T) { run(t, 37, c.k64, c.k32) })
	}
}

// TestGradsAccuracy measures the backward kernels against dy·f'(v) with f' exact (192 bits), on
// every ISA path, for float64 and float32: v from a dense sample of its range, magnitudes over
// the whole range of the type and runs around the branch points (f64Sample), dy mostly in
// [-4, 4]. Every result must be within gradULPs of dy·f' correctly rounded (or, next to a zero
// of f', within gradULPs·eps·|dy|·scale: see gradClose).
func TestGradsAccuracy(t *testing.T) {
	n, run := 1<<11, 64
	if testing.Short() {
		n, run = 1<<8, 16
	}
	edges := map[string][]float64{
		"GELUGrad":     {0, 10, -0.7518, -1.19, -4.24, -37.5, -38.66, -40, -54, -60},
		"GELUTanhGrad": {0, 10, -0.7525, -21.3, -21.6, -30},
		"SiLUGrad":     {0, 50, -1.2785, -700, -745, -751, -1100, -1500},
		"SoftplusGrad": {0, -700, -745, -1100, -1500},
		"ELUGrad":      {0, -700, -745, -1100, -1500},
		"SigmoidGrad":  {0, 0.5, 1},
		"TanhGrad":     {0, 1, -1},
	}
	cases := gradCases()
	for ci := range cases {
		c := &cases[ci]
		if c.exact == nil {
			continue // piecewise linear: TestGradsElementwise checks them exactly
		}
		t.Run(c.name, func(t *testing.T) {
			vs := f64Sample(uint64(ci+20), n, run, [][2]float64{{c.lo, c.hi}, {-3, 3}}, edges[c.name])
			if c.name == "SigmoidGrad" || c.name == "TanhGrad" {
				// Only the outputs of Sigmoid and Tanh are meaningful (|y| <= 1), and outside
				// them y·(1-y) and 1-y² overflow for large y, whatever dy.
				k := 0
				for _, v := range vs {
					if math.Abs(v) <= 1 || v != v || math.IsInf(v, 0) {
						vs[k] = v
						k++
					}
				}
				vs = vs[:k]
			}
			r := newInput(uint64(ci + 40))
			dys := make([]float64, len(vs))
			for i := range dys {
				dys[i] = r.uniform(-4, 4)
				switch i % 64 {
				case 0:
					dys[i] = r.uniform(-1, 1) * 1e300
				case 1:
					dys[i] = r.uniform(-1, 1) * 1e-300
				case 2, 3:
					dys[i] = math.Copysign(0, float64(i%2)-0.5) // dx = ±0 with the sign of dy·f'
				}
			}
			testGradAccuracy[float64](t, c, c.k64, dys, vs)
			t.Run("float32", func(t *testing.T) {
				testGradAccuracy[float32](t, c, c.k32, dys, vs)
			})
		})
	}
}

// testGradAccuracy runs one backward kernel for T on every path over (dys, vs) converted to T
// and compares it with dy·f'(v) rounded to T.
func testGradAccuracy[T Float](t *testing.T, c *gradCase, kernel func(dx, dy, v []T), dys, vs []float64) {
	alpha := float64(T(gradAlpha))
	dy, v := make([]T, len(vs)), make([]T, len(vs))
	want := make([]T, len(vs))
	for i := range vs {
		d := dys[i]
		if is32[T]() && math.Abs(d) > math.MaxFloat32 {
			d *= 0x1p-900 // keep it finite and large
		}
		dy[i], v[i] = T(d), T(vs[i])
		x := float64(v[i])
		if c.sel != nil {
			if r, ok := c.sel(alpha, float64(dy[i]), x); ok {
				want[i] = T(r)
				continue
			}
		}
		switch {
		case x != x:
			want[i] = T(math.NaN())
		case math.IsInf(x, 0):
			want[i] = T(float64(dy[i]) * c.limit(alpha, x))
		default:
			p := newBig().Mul(bigOf(float64(dy[i])), c.exact(alpha, x))
			if is32[T]() {
				want[i] = T(bigF32(p))
			} else {
				want[i] = T(bigF64(p))
			}
		}
	}
	eachISA(t, func(t *testing.T) {
		got := make([]T, len(vs))
		kernel(got, dy, v)
		var worst uint64
		var worstV T
		var near int
		for i := range got {
			if ulp(got[i], want[i]) > gradULPs {
				if !gradClose(c, got[i], want[i], dy[i], v[i]) {
					t.Fatalf("%s(dy=%v, v=%v [bits %#x]) = %v, exact %v (%d ULP, allowed %d)", c.name, dy[i], v[i], bitsOf(v[i]), got[i], want[i], ulp(got[i], want[i]), gradULPs)
				}
				near++
				continue
			}
			if want[i] == 0 && bitsOf(got[i]) != bitsOf(want[i]) && dy[i] == dy[i] {
				t.Fatalf("%s(dy=%v, v=%v) = %v, exact %v: the sign of zero", c.name, dy[i], v[i], got[i], want[i])
			}
			if d := ulp(got[i], want[i]); d > worst {
				worst, worstV = d, v[i]
			}
		}
		t.Logf("%s %s: %d inputs, worst %d ULP from dy·f' correctly rounded (at v = %v); %d more within the allowance next to the zero of f'", ISA(), c.name, len(got), worst, worstV, near)
	})
}

// TestGradRefLargestDy: the float64 references of the backward kernels that scale e^x give the
// finite product for dy near the largest float64, where multiplying dy into e^x's significand
// first would overflow; every path agrees (TestGradsElementwise runs them against these).
func TestGradRefLargestDy(t *testing.T) {
	big := math.MaxFloat64
	lnBig := math.Log(big)
	for _, c := range []struct {
		name   string
		got    float64
		want   float64
		relTol float64
	}{
		{"softplus x=-764", softplusGrad64(big, -764), math.Exp(lnBig - 764), 1e-13},
		{"softplus x=-701 dy=-max", softplusGrad64(-big, -701), -math.Exp(lnBig - 701), 1e-13},
		{"silu x=-710", siluGrad64(big, -710), -709 * math.Exp(lnBig-710), 1e-12},
		{"elu alpha=1 x=-0.5", eluGradNeg64(1, big, -0.5), big * math.Exp(-0.5), 1e-15},
		{"elu alpha=1 x=-800", eluGradNeg64(1, big, -800), math.Exp(lnBig - 800), 1e-13},
	} {
		if !(math.Abs(c.got-c.want) <= c.relTol*math.Abs(c.want)) {
			t.Errorf("%s, dy = ±MaxFloat64: %g, want %g", c.name, c.got, c.want)
		}
	}
}
