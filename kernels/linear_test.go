package kernels

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
)

// allActivations lists every Activation.
var allActivations = []Activation{ActNone, ActReLU, ActSigmoid, ActTanh, ActGELU, ActSiLU}

// actRef64 is act in float64 (the reference), with an upper bound of its slope: an error e in
// the argument moves the result by at most lip*e.
func actRef64(act Activation) (f func(float64) float64, lip float64) {
	switch act {
	case ActNone:
		return func(z float64) float64 { return z }, 1
	case ActReLU:
		return func(z float64) float64 {
			if z > 0 {
				return z
			}
			return 0
		}, 1
	case ActSigmoid:
		return func(z float64) float64 { return 1 / (1 + math.Exp(-z)) }, 0.25
	case ActTanh:
		return math.Tanh, 1
	case ActGELU:
		return gelu64, 1.13
	case ActSiLU:
		return silu64, 1.1
	}
	panic("unknown activation")
}

// linearFunc is Linear's signature for one element type.
type linearFunc[T Float] func(y, x, w, bias []T, m, n, k int, act Activation)

// checkLinear runs linear on random x (m x k), w (k x n) and bias (nil unless withBias) into a
// y filled with NaN and Inf (it must not be read) with guards around it, and compares y with
// act(x·w + bias) computed in float64. The tolerance is Gemm's (checkGemmCase: 2*(k+4)*u times
// the sum of the magnitudes, here of the products and the bias, one more rounding for the bias)
// carried through the activation by its slope, plus 4 ULP of the result for the activation's own
// error (its kernels are within 2 ULP for float32 and 4 for float64).
func checkLinear[T Float](t *testing.T, r *testInput, m, n, k int, act Activation, withBias bool, linear linearFunc[T]) {
	t.Helper()
	checkLinearFill(t, r, m, n, k, act, withBias, linear, nil)
}

// checkLinearFill is checkLinear with the elements of x from xFill (nil: uniform in [-1, 1)).
func checkLinearFill[T Float](t *testing.T, r *testInput, m, n, k int, act Activation, withBias bool, linear linearFunc[T], xFill func() T) {
	t.Helper()
	rnd := func() T { return T(r.uniform(-1, 1)) }
	if xFill == nil {
		xFill = rnd
	}
	x, w := gemmMatrix(m, k, max(k, 1), xFill), gemmMatrix(k, n, max(n, 1), rnd)
	if m*k == 0 {
		x = make([]T, m*k)
	}
	if k*n == 0 {
		w = make([]T, k*n)
	}
	var bias []T
	if withBias {
		bias = make([]T, n)
		for j := range bias {
			bias[j] = T(r.uniform(-2, 2))
		}
	}
	y, checkGuards := guarded[T](m*n, int(r.next()%uint64(maxAlign[T]())))
	vals := []T{T(math.NaN()), T(math.Inf(1)), T(math.Inf(-1))}
	for i := range y {
		y[i] = vals[i%3]
	}
	x0, w0 := append([]T(nil), x...), append([]T(nil), w...)

	linear(y, x, w, bias, m, n, k, act)

	checkGuards(t)
	if !sameBits(x, x0) || !sameBits(w, w0) {
		t.Fatalf("m, n, k = %d, %d, %d: x or w was modified", m, n, k)
	}
	f, lip := actRef64(act)
	u := 0x1p-53
	if is32[T]() {
		u = 0x1p-24
	}
	for i := range m {
		for j := range n {
			var s, abs float64
			for l := range k {
				p := float64(x[i*k+l]) * float64(w[l*n+j])
				s += p
				abs += math.Abs(p)
			}
			if bias != nil {
				s += float64(bias[j])
				abs += math.Abs(float64(bias[j]))
			}
			want := f(s)
			tol := lip*2*float64(k+5)*u*abs + 8*u*math.Abs(want) + 0x1p-140
			if v := float64(y[i*n+j]); !(math.Abs(v-want) <= tol) {
				t.Fatalf("m, n, k = %d, %d, %d, act %v, bias %v: y[%d][%d] = %v, want %v (difference %g, tolerance %g)",
					m, n, k, act, withBias, i, j, v, want, math.Abs(v-want), tol)
			}
		}
	}
}

// TestLinearDifferential compares Linear with act(x·w + bias) in float64 on every ISA path, for
// random shapes from Gemm's test sizes (0, 1, primes, the tile sizes and around them), every
// activation, with and without a bias, for both element types.
func TestLinearDifferential(t *testing.T) {
	cases := 400
	if testing.Short() {
		cases = 100
	}
	eachISA(t, func(t *testing.T) {
		r := newInput(21)
		d := func() int { return gemmDims[r.next()%uint64(len(gemmDims))] }
		for it := range cases {
			m, n, k := d(), d(), d()
			switch it % 8 {
			case 0:
				m = 1 // a batch of one row
			case 1:
				n = 1 // a single output
			}
			act := allActivations[it%len(allActivations)]
			bias := it/len(allActivations)%2 == 0
			checkLinear(t, r, m, n, k, act, bias, Linear[float32])
			checkLinear(t, r, m, n, k, act, bias, Linear[float64])
		}
	})
}

// TestLinearBlocks crosses the kc, mc and nc blocks of the active descriptors, where the epilogue
// must run once per block of y and only after its last depth block, and runs products above the
// parallel threshold with GOMAXPROCS 2 and 3, split by rows and by columns (the bias then starts
// at the part's first column).
func TestLinearBlocks(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(22)
		g32, g64 := kern[float32]().gemm, kern[float64]().gemm
		shapes := func(kc, mc, nc int) [][3]int {
			return [][3]int{{7, 19, kc + 1}, {17, 33, 2*kc + 3}, {mc + 5, 9, 21}, {2*mc + 1, 3, kc + 7},
				{3, nc + 11, 5}, {5, nc + 3, kc + 2}, {1, nc + 5, kc + 3}, {mc + 3, 1, kc + 9}}
		}
		for i, s := range shapes(g32.kc, g32.mc, g32.nc) {
			checkLinear(t, r, s[0], s[1], s[2], allActivations[i%len(allActivations)], i%2 == 0, Linear[float32])
		}
		for i, s := range shapes(g64.kc, g64.mc, g64.nc) {
			checkLinear(t, r, s[0], s[1], s[2], allActivations[(i+1)%len(allActivations)], i%2 == 1, Linear[float64])
		}
		for _, procs := range []int{2, 3} {
			old := runtime.GOMAXPROCS(procs)
			for i, s := range [][3]int{{131, 263, 240}, {301, 97, 280}, {3, 2000, 1400}} {
				act := allActivations[(i+procs)%len(allActivations)]
				before := gemmSplits.Load()
				checkLinear(t, r, s[0], s[1], s[2], act, true, Linear[float32])
				checkLinear(t, r, s[0], s[1], s[2], act, true, Linear[float64])
				if got := gemmSplits.Load() - before; got != 2 {
					t.Errorf("GOMAXPROCS %d, m, n, k = %v: %d of 2 products were split over goroutines", procs, s, got)
				}
			}
			runtime.GOMAXPROCS(old)
		}
	})
}

// TestLinearSmallBlocks runs the fused driver with tiny kc, mc and nc (smallBlocks) on random
// shapes, serially and over goroutines, so that every y crosses many blocks of each level.
func TestLinearSmallBlocks(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(23)
		for _, procs := range []int{1, 3} {
			old := runtime.GOMAXPROCS(procs)
			for it := range 120 {
				kc, mt, nt := 1+it%7, 1+it%3, 1+it%2
				g32, g64 := smallBlocks(kern[float32]().gemm, kc, mt, nt), smallBlocks(kern[float64]().gemm, kc, mt, nt)
				d := func() int { return gemmDims[r.next()%uint64(len(gemmDims))] }
				m, n, k := d(), d(), d()
				act := allActivations[it%len(allActivations)]
				checkLinear(t, r, m, n, k, act, it%2 == 0, func(y, x, w, bias []float32, m, n, k int, act Activation) {
					o := kern[float32]()
					if m > 0 && n > 0 {
						epi := gemmEpilogue[float32]{bias: bias, act: o.activation("Linear", act), axpy: o.axpy}
						gemmDriveEpi(g32, false, false, m, n, k, 1, x, max(k, 1), w, max(n, 1), 0, y, max(n, 1), epi)
					}
				})
				checkLinear(t, r, m, n, k, act, it%2 == 1, func(y, x, w, bias []float64, m, n, k int, act Activation) {
					o := kern[float64]()
					if m > 0 && n > 0 {
						epi := gemmEpilogue[float64]{bias: bias, act: o.activation("Linear", act), axpy: o.axpy}
						gemmDriveEpi(g64, false, false, m, n, k, 1, x, max(k, 1), w, max(n, 1), 0, y, max(n, 1), epi)
					}
				})
			}
			runtime.GOMAXPROCS(old)
		}
	})
}

// TestLinearMatchesPasses checks that Linear gives what Gemm, then a bias pass, then the
// activation kernel give on the same path: the same roundings, so equal bits where both take
// the packed path, and within Gemm's tolerance in any case (checkLinear).
func TestLinearMatchesPasses(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(24)
		for _, s := range [][3]int{{100, 50, 784}, {128, 512, 784}, {37, 61, 97}, {2, 3, 5}} {
			m, n, k := s[0], s[1], s[2]
			x, w, bias := make([]float32, m*k), make([]float32, k*n), make([]float32, n)
			for _, v := range [][]float32{x, w, bias} {
				for i := range v {
					v[i] = float32(r.uniform(-1, 1))
				}
			}
			for _, act := range allActivations {
				y, want := make([]float32, m*n), make([]float32, m*n)
				Linear(y, x, w, bias, m, n, k, act)
				MatMul(want, x, w, m, n, k)
				for i := range m {
					row := want[i*n : (i+1)*n]
					for j := range row {
						row[j] += bias[j]
					}
				}
				if f := kern[float32]().activation("Linear", act); f != nil {
					f(want, want)
				}
				for i := range y {
					if y[i] != want[i] {
						t.Fatalf("m, n, k = %d, %d, %d, act %v: y[%d] = %v, Gemm then bias then %v give %v", m, n, k, act, i, y[i], act, want[i])
					}
				}
			}
		}
	})
}

// TestLinearSpecialValues: NaN in x or w propagates to its row or column of y through every
// activation (before the activation; ReLU of NaN is NaN), and k = 0 gives act(bias).
func TestLinearSpecialValues(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		for _, size := range []int{1, 5, 40} {
			m, n, k := size+2, size+5, size
			for _, act := range allActivations {
				x, w, y := make([]float64, m*k), make([]float64, k*n), make([]float64, m*n)
				x[(m/2)*k+k-1] = math.NaN()
				Linear(y, x, w, nil, m, n, k, act)
				for idx, v := range y {
					if isNaN := v != v; isNaN != (idx/n == m/2) {
						t.Fatalf("size %d act %v: NaN at x(%d,%d): y[%d][%d] = %v", size, act, m/2, k-1, idx/n, idx%n, v)
					}
				}
				x, w = make([]float64, m*k), make([]float64, k*n)
				w[(k-1)*n+n-1] = math.NaN()
				Linear(y, x, w, nil, m, n, k, act)
				for idx, v := range y {
					if isNaN := v != v; isNaN != (idx%n == n-1) {
						t.Fatalf("size %d act %v: NaN at w(%d,%d): y[%d][%d] = %v", size, act, k-1, n-1, idx/n, idx%n, v)
					}
				}
			}
		}
		bias := []float32{-1, 0.5, 2}
		y := []float32{float32(math.NaN()), 7, 7, 7, 7, 7}
		Linear(y, nil, nil, bias, 2, 3, 0, ActReLU)
		if want := []float32{0, 0.5, 2, 0, 0.5, 2}; fmt.Sprint(y) != fmt.Sprint(want) {
			t.Fatalf("k = 0: y = %v, want %v", y, want)
		}
	})
}

// TestLinearPanics checks that misuse panics with a message naming Linear and the sizes.
func TestLinearPanics(t *testing.T) {
	x, w, y, b := make([]float32, 6), make([]float32, 6), make([]float32, 4), make([]float32, 2)
	for _, tc := range []struct {
		want string
		call func()
	}{
		{"negative dimension m = -1", func() { Linear(y, x, w, b, -1, 2, 3, ActNone) }},
		{"need len(x) = 6, len(w) = 6, len(y) = 4; got 6, 6, 3", func() { Linear(y[:3], x, w, b, 2, 2, 3, ActNone) }},
		{"need len(x) = 9", func() { Linear(y, x, w, b, 3, 2, 3, ActNone) }},
		{"len(bias) = 1, want n = 2", func() { Linear(y, x, w, b[:1], 2, 2, 3, ActReLU) }},
		{"unknown activation Activation(9)", func() { Linear(y, x, w, b, 2, 2, 3, Activation(9)) }},
	} {
		msg := func() (msg string) {
			defer func() { msg = fmt.Sprint(recover()) }()
			tc.call()
			return "no panic"
		}()
		if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "kernels.Linear") {
			t.Errorf("panic %q, want one naming kernels.Linear and %q", msg, tc.want)
		}
	}
}

// TestActivationString checks the names of the activations.
func TestActivationString(t *testing.T) {
	var names []string
	for _, a := range append(allActivations, Activation(-1)) {
		names = append(names, a.String())
	}
	if got, want := strings.Join(names, " "), "none relu sigmoid tanh gelu silu Activation(-1)"; got != want {
		t.Fatalf("names %q, want %q", got, want)
	}
}

// TestLinearPre: LinearPre's z is bit for bit Linear's output without an activation and its y
// Linear's output with it, on every ISA path, for random shapes (the GEMV path with m = 1 and
// n = 1 among them), across the blocks, and split over goroutines by rows and by columns (where
// z's and y's offsets move with the part); guards around both stay untouched.
func TestLinearPre(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(25)
		d := func() int { return gemmDims[r.next()%uint64(len(gemmDims))] }
		g := kern[float32]().gemm
		var shapes [][3]int
		for it := range 60 {
			m, n, k := d(), d(), d()
			switch it % 6 {
			case 0:
				m = 1
			case 1:
				n = 1
			}
			shapes = append(shapes, [3]int{m, n, k})
		}
		shapes = append(shapes, [3]int{g.mc + 5, 9, g.kc + 3}, [3]int{3, g.nc + 11, 5})
		run := func(s [3]int, it int) {
			m, n, k := s[0], s[1], s[2]
			act := allActivations[it%len(allActivations)]
			x, w := make([]float32, m*k), make([]float32, k*n)
			var bias []float32
			if it%2 == 0 {
				bias = make([]float32, n)
			}
			for _, v := range [][]float32{x, w, bias} {
				for i := range v {
					v[i] = float32(r.uniform(-1, 1))
				}
			}
			y, checkY := guarded[float32](m*n, it%16)
			z, checkZ := guarded[float32](m*n, (it+5)%16)
			wantY, wantZ := make([]float32, m*n), make([]float32, m*n)
			Linear(wantY, x, w, bias, m, n, k, act)
			Linear(wantZ, x, w, bias, m, n, k, ActNone)
			LinearPre(y, z, x, w, bias, m, n, k, act)
			checkY(t)
			checkZ(t)
			if !sameBits(y, wantY) || !sameBits(z, wantZ) {
				t.Fatalf("m, n, k = %d, %d, %d, act %v, bias %v: LinearPre differs from Linear", m, n, k, act, bias != nil)
			}
		}
		for it, s := range shapes {
			run(s, it)
		}
		for _, procs := range []int{2, 3} {
			old := runtime.GOMAXPROCS(procs)
			for it, s := range [][3]int{{131, 263, 240}, {301, 97, 280}, {3, 2000, 1400}} {
				before := gemmSplits.Load()
				run(s, it+procs)
				if gemmSplits.Load()-before != 3 {
					t.Errorf("GOMAXPROCS %d, m, n, k = %v: not every product was split over goroutines", procs, s)
				}
			}
			runtime.GOMAXPROCS(old)
		}
	})
}

func TestLinearPrePanics(t *testing.T) {
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "kernels.LinearPre: len(z) = 5, want len(y) = m*n = 6") {
			t.Fatalf("panic %q", msg)
		}
	}()
	LinearPre(make([]float32, 6), make([]float32, 5), make([]float32, 4), make([]float32, 6), nil, 2, 3, 2, ActReLU)
}
