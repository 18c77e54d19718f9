package kernels

import (
	"math"
	"math/big"
	"os"
	"strconv"
	"testing"
)

// tanhWant is tanh rounded to T: math.Tanh is within about 1 ULP of float64, so this is the
// correctly rounded float32 tanh except for inputs within ~1e-16 of a rounding midpoint.
func tanhWant[T Float](x T) T { return T(math.Tanh(float64(x))) }

// tanhF64ULPs is the largest distance from tanhF64Want that Tanh[float64] may have on any path
// in TestTanh (TestActivationsF64Accuracy holds it to activationF64ULPs of the exact value on
// its own sample).
const tanhF64ULPs = 1

// tanhSeries holds the Taylor coefficients of tanh at 0, t[k] the one of x^(2k+1), from
// tanh' = 1 - tanh² in exact rational arithmetic, rounded to float64.
var tanhSeries = func() []float64 {
	const n = 27 // through x^25
	c := make([]*big.Rat, n)
	for i := range c {
		c[i] = new(big.Rat)
	}
	c[1].SetInt64(1)
	for m := 1; m+1 < n; m++ { // (m+1)·c[m+1] = -Σ c[i]·c[m-i]
		s := new(big.Rat)
		for i := 0; i <= m; i++ {
			s.Add(s, new(big.Rat).Mul(c[i], c[m-i]))
		}
		c[m+1].Quo(s.Neg(s), new(big.Rat).SetInt64(int64(m+1)))
	}
	var t []float64
	for k := 1; k < n; k += 2 {
		f, _ := c[k].Float64()
		t = append(t, f)
	}
	return t
}()

// tanhF64Want is tanh x to within about 0.02 ULP before its one rounding (so correctly rounded
// but for inputs very near a rounding midpoint): x itself below 2^-27 and for NaN, ±1 from 19.1
// on; below 0.2 the series a + a·(z·P(z)), z = a², whose correction term is below a/75; above,
// (1 - e)/(1 + e) for e = e^(-2a) from expParts (a double-double within 2e-18), both sums kept
// as double-doubles and the quotient corrected by its FMA residual.
func tanhF64Want(x float64) float64 {
	a := math.Abs(x)
	switch {
	case x != x || a < 0x1p-27:
		return x
	case a > 19.1:
		return math.Copysign(1, x)
	}
	var t float64
	if a < 0.2 {
		z, p := a*a, 0.0
		for k := len(tanhSeries) - 1; k >= 1; k-- {
			p = p*z + tanhSeries[k]
		}
		t = a + a*(z*p)
	} else {
		yh, yl, m := expParts(-2*a, 0)
		eh, el := yh*pow2(m), yl*pow2(m)
		nh := 1 - eh
		nl := (1 - nh) - eh - el
		dh := 1 + eh
		dl := (eh - (dh - 1)) + el
		q := nh / dh
		t = q + (math.FMA(-q, dh, nh)+nl-q*dl)/dh
	}
	return math.Copysign(t, x)
}

func TestTanh(t *testing.T) {
	t.Run("float32", func(t *testing.T) {
		checkElementwise(t, elementwiseCase[float32]{"Tanh", Tanh[float32], tanhWant[float32], 1, specialInput[float32](12)})
	})
	t.Run("float64", func(t *testing.T) {
		checkElementwise(t, elementwiseCase[float64]{"Tanh", Tanh[float64], tanhF64Want, tanhF64ULPs, specialInput[float64](12)})
	})
}

// TestTanhF64Want checks tanhF64Want against the exact tanh (tanhBig) on a sample over [-20, 20],
// [-1, 1], around its switch at 0.2 and over the magnitudes 2^-30..1: within 1 ULP of the
// correctly rounded value, and equal to it but for fewer than one input in 200.
func TestTanhF64Want(t *testing.T) {
	n := 1 << 13
	if testing.Short() {
		n = 1 << 10
	}
	r := newInput(5)
	var xs []float64
	for i := 0; i < n; i++ {
		xs = append(xs, r.uniform(-20, 20), r.uniform(-1, 1), r.uniform(0.19, 0.21), math.Ldexp(r.uniform(0.5, 1), -int(r.next()%30)))
	}
	off := 0
	for _, x := range xs {
		exact := bigF64(tanhBig(x))
		switch d := ulp(tanhF64Want(x), exact); {
		case d > 1:
			t.Fatalf("tanhF64Want(%v) = %v, exact %v (%d ULP)", x, tanhF64Want(x), exact, d)
		case d == 1:
			off++
		}
	}
	if off > len(xs)/200 {
		t.Fatalf("tanhF64Want: %d of %d results not correctly rounded", off, len(xs))
	}
	t.Logf("%d inputs, %d not correctly rounded (1 ULP off)", len(xs), off)
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

// TestTanhF64Special checks the values Tanh[float64] must give exactly, each placed at every
// position of a 37-element vector of NaNs (the unrolled loop, the loop of one vector and the
// masked tail): ±0 and the tiny inputs keep their bits, ±Inf and every |x| from 19.07 on give ±1,
// NaN gives NaN.
func TestTanhF64Special(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct{ x, want float64 }{
		{0, 0}, {math.Copysign(0, -1), math.Copysign(0, -1)},
		{5e-324, 5e-324}, {-5e-324, -5e-324}, {0x1p-1022, 0x1p-1022}, {-0x1p-600, -0x1p-600},
		{0x1p-28, 0x1p-28}, {-0x1.fffffffffffffp-28, -0x1.fffffffffffffp-28},
		{inf, 1}, {-inf, -1}, {math.MaxFloat64, 1}, {-math.MaxFloat64, -1}, {1e10, 1},
		{19.07, 1}, {-19.07, -1}, {20, 1}, {-20, -1}, {25, 1}, {-700, -1},
		{nan, nan}, {math.Float64frombits(0xfff8000000000123), nan},
	}
	eachISA(t, func(t *testing.T) {
		for _, c := range cases {
			for pos := 0; pos < 37; pos++ {
				src := make([]float64, 37)
				for i := range src {
					src[i] = nan
				}
				src[pos] = c.x
				dst := make([]float64, len(src))
				Tanh(dst, src)
				got := dst[pos]
				if c.want != c.want {
					if got == got {
						t.Fatalf("Tanh(%v) = %v at position %d, want NaN", c.x, got, pos)
					}
				} else if math.Float64bits(got) != math.Float64bits(c.want) {
					t.Fatalf("Tanh(%v) = %v at position %d, want %v", c.x, got, pos, c.want)
				}
				for i, v := range dst {
					if i != pos && v == v {
						t.Fatalf("Tanh(NaN) = %v at position %d", v, i)
					}
				}
			}
		}
	})
}
