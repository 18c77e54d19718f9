package gonumblas_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
)

// level1Args is a random, often invalid, argument set for the Level 1 routines.
type level1Args struct {
	n, incX, incY int
	alpha         float64
	x, y          []float64
}

func (a level1Args) String() string {
	return fmt.Sprintf("n=%d incX=%d incY=%d alpha=%v len(x)=%d len(y)=%d", a.n, a.incX, a.incY, a.alpha, len(a.x), len(a.y))
}

func randLevel1(rng *rand.Rand) level1Args {
	inc := func() int {
		if rng.IntN(3) > 0 {
			return 1 // the accelerated case, most of the time
		}
		return pick(rng, -2, -1, 0, 2, 3)
	}
	n := rng.IntN(300) - 2
	if rng.IntN(4) == 0 {
		n = rng.IntN(8) - 1
	}
	length := func() int { return max(0, n+rng.IntN(5)-2) * pick(rng, 1, 1, 3) }
	a := level1Args{n: n, incX: inc(), incY: inc(), alpha: scalar[float64](rng)}
	a.x, a.y = randSlice[float64](rng, length()), randSlice[float64](rng, length())
	return a
}

// closeEnough compares a lanes result with gonum's: the order of additions may differ.
func closeEnough(got, want float64, n int, eps float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	return math.Abs(got-want) <= 2*float64(n+1)*eps*(math.Abs(want)+float64(n)+1)
}

func closeSlices[T float32 | float64](got, want []T) bool {
	for i := range got {
		if !closeEnough(float64(got[i]), float64(want[i]), 1, eps[T]()) {
			return false
		}
	}
	return len(got) == len(want)
}

// TestLevel1MatchesGonum compares Sdot, Ddot, Saxpy, Daxpy, Sscal and Dscal with gonum's on
// random arguments, valid and not: the same panic message, or close results and y (x for scal)
// changed only where gonum changes it.
func TestLevel1MatchesGonum(t *testing.T) {
	g := gonum.Implementation{}
	eachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		outcomes := map[string]int{}
		check := func(name string, a level1Args, got, want func() any) {
			t.Helper()
			var gv, wv any
			gp := panicOf(func() { gv = got() })
			wp := panicOf(func() { wv = want() })
			if gp != wp {
				t.Fatalf("%s(%v): panic %v, gonum panics with %v", name, a, gp, wp)
			}
			outcomes[fmt.Sprint(name, " ", wp)]++
			if wp != nil {
				return
			}
			switch w := wv.(type) {
			case float64:
				if !closeEnough(gv.(float64), w, a.n, eps[float64]()) {
					t.Fatalf("%s(%v) = %v, gonum gives %v", name, a, gv, w)
				}
			case float32:
				if !closeEnough(float64(gv.(float32)), float64(w), a.n, eps[float32]()) {
					t.Fatalf("%s(%v) = %v, gonum gives %v", name, a, gv, w)
				}
			case []float64:
				if !closeSlices(gv.([]float64), w) {
					t.Fatalf("%s(%v) = %v, gonum gives %v", name, a, gv, w)
				}
			case []float32:
				if !closeSlices(gv.([]float32), w) {
					t.Fatalf("%s(%v) = %v, gonum gives %v", name, a, gv, w)
				}
			}
		}
		cp64 := func(s []float64) []float64 { return append([]float64(nil), s...) }
		for range 5000 {
			a := randLevel1(rng)
			x32, y32 := f32s(a.x), f32s(a.y)
			alpha32 := float32(a.alpha)
			check("Ddot", a,
				func() any { return impl.Ddot(a.n, a.x, a.incX, a.y, a.incY) },
				func() any { return g.Ddot(a.n, a.x, a.incX, a.y, a.incY) })
			check("Sdot", a,
				func() any { return impl.Sdot(a.n, x32, a.incX, y32, a.incY) },
				func() any { return g.Sdot(a.n, x32, a.incX, y32, a.incY) })
			check("Daxpy", a,
				func() any { y := cp64(a.y); impl.Daxpy(a.n, a.alpha, a.x, a.incX, y, a.incY); return y },
				func() any { y := cp64(a.y); g.Daxpy(a.n, a.alpha, a.x, a.incX, y, a.incY); return y })
			check("Saxpy", a,
				func() any { y := f32s(a.y); impl.Saxpy(a.n, alpha32, x32, a.incX, y, a.incY); return y },
				func() any { y := f32s(a.y); g.Saxpy(a.n, alpha32, x32, a.incX, y, a.incY); return y })
			check("Dscal", a,
				func() any { x := cp64(a.x); impl.Dscal(a.n, a.alpha, x, a.incX); return x },
				func() any { x := cp64(a.x); g.Dscal(a.n, a.alpha, x, a.incX); return x })
			check("Sscal", a,
				func() any { x := f32s(a.x); impl.Sscal(a.n, alpha32, x, a.incX); return x },
				func() any { x := f32s(a.x); g.Sscal(a.n, alpha32, x, a.incX); return x })
		}
		for _, name := range []string{"Ddot", "Sdot", "Daxpy", "Saxpy", "Dscal", "Sscal"} {
			if outcomes[name+" <nil>"] == 0 || outcomes[name+" blas: insufficient length of x"] == 0 {
				t.Errorf("%s: the random arguments missed valid calls or short slices: %v", name, outcomes)
			}
		}
	})
}

// TestLevel1SpecialValues checks what gonum does for alpha == 0: Daxpy leaves y alone even
// when x holds NaN, Dscal writes zeros even over NaN.
func TestLevel1SpecialValues(t *testing.T) {
	nan := math.NaN()
	eachISA(t, func(t *testing.T) {
		y := []float64{1, 2, 3}
		impl.Daxpy(3, 0, []float64{nan, nan, nan}, 1, y, 1)
		if !sameBits(y, []float64{1, 2, 3}) {
			t.Errorf("Daxpy with alpha = 0: y = %v, want [1 2 3]", y)
		}
		x := []float32{nan32(), 1, 2, 5}
		impl.Sscal(3, 0, x, 1)
		if !sameBits(x, []float32{0, 0, 0, 5}) {
			t.Errorf("Sscal with alpha = 0: x = %v, want [0 0 0 5]", x)
		}
		x = []float32{1, 2, 3, 5}
		impl.Sscal(3, -2, x, 1)
		if !sameBits(x, []float32{-2, -4, -6, 5}) {
			t.Errorf("Sscal(3, -2): x = %v, want [-2 -4 -6 5]", x)
		}
		if d := impl.Sdot(2, []float32{1, 2, 100}, 1, []float32{3, 4, 100}, 1); d != 11 {
			t.Errorf("Sdot = %v, want 11", d)
		}
	})
}

func nan32() float32 { return float32(math.NaN()) }
