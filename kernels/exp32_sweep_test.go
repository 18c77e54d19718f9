package kernels

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// The sweep of the float32 element-wise kernels over every float32 input (every 2^11th magnitude
// with -short, plus the neighbourhoods of every threshold), on every ISA path at once: Exp,
// Sigmoid and Tanh, and the activations GELU, GELUTanh, SiLU, Softplus, ELU (alpha 1 and 0.3) and
// Log. Chunks of magnitudes are handed to GOMAXPROCS goroutines; each chunk holds +m and -m, so
// one math.Exp of |x| and its reciprocal give the float64 reference of several kernels at both
// signs (sweepKernels lists how each reference is formed), computed once for all paths.
//
// The generic functions of Exp, Sigmoid and of every activation here evaluate in float64 with an
// accurate float64 method and round once (expRef, sigmoidRef, activation_ref.go): what they can
// get wrong is the rounding, not the function, and their float64 methods are checked against
// 192-bit references by TestActivationsF64Accuracy. So in the full sweep they are checked on
// every 16th chunk only (2^28 inputs each). A table whose entry is the same function as another
// table's (the assembly tables point at the generic activations until their assembly exists) is
// run once for both. Every other kernel of every path sees every input.

// Largest distances allowed, in ULP, from the correctly rounded result.
const (
	expF32ULPs        = 1
	sigmoidF32ULPs    = 2
	tanhF32ULPs       = 1
	activationF32ULPs = 2 // GELU, GELUTanh, SiLU, Softplus, ELU, Log
)

// ulpStats collects one kernel's distances on one path.
type ulpStats struct {
	worst  uint64  // largest distance from the correctly rounded result, in ULP
	worstX float32 // where
	// frac is the largest |got - exact| in ULP of the exact value (from the float64 reference)
	// among the results that are not float32(reference); those that are lie within 1/2 ULP.
	frac  float64
	fracX float32
	off   int64 // results that are not the correctly rounded one
	n     int64 // results checked
}

func (s *ulpStats) merge(o ulpStats) {
	if o.worst > s.worst || s.n == 0 {
		s.worst, s.worstX = o.worst, o.worstX
	}
	if o.frac > s.frac {
		s.frac, s.fracX = o.frac, o.fracX
	}
	s.off += o.off
	s.n += o.n
}

// ulp32Of returns the spacing of float32 numbers at the magnitude of the float64 v: 2^(e-23) in
// the binade [2^e, 2^(e+1)), 2^-149 among the subnormals (and for 0). v must be finite.
func ulp32Of(v float64) float64 {
	e := int(math.Float64bits(v)>>52&0x7ff) - 23
	return math.Float64frombits(uint64(max(e, 1023-149)) << 52)
}

// f32Want is a float64 reference: want within a few float64 ULP of the exact value, and a big
// evaluation of the exact value for the rare want that lies too near a float32 rounding midpoint
// to round correctly.
type f32Want struct {
	name  string
	limit uint64
	exact func(x float32) *big.Float
	// signedZero: a zero result must have the sign of the correctly rounded one.
	signedZero bool
}

// check compares got = kernel(x) with want, the float64 reference, and records the distance. It
// returns an error when got is more than w.limit ULP from the correctly rounded result, or when
// the correctly rounded result is 0, +-Inf or +-1 and got is not exactly that.
func (w *f32Want) check(s *ulpStats, x, got float32, want float64) error {
	s.n++
	if want != want {
		if got == got {
			return fmt.Errorf("%s(%v) = %v, want NaN", w.name, x, got)
		}
		return nil
	}
	cr := float32(want)
	if w.signedZero && cr == 0 && got == 0 && math.Signbit(float64(got)) != math.Signbit(float64(cr)) {
		return fmt.Errorf("%s(%v) [bits %#08x] = %v, want %v: the sign of zero", w.name, x, math.Float32bits(x), got, cr)
	}
	if got == cr {
		return nil
	}
	if want-want == 0 && got-got == 0 { // both finite
		if f := math.Abs(float64(got)-want) / ulp32Of(want); f > s.frac {
			s.frac, s.fracX = f, x
		}
	}
	d := ulp(got, cr)
	// The float64 reference is within about 2^-50 of the exact value: if it lies that near a
	// float32 midpoint, float32(want) may be the wrong neighbour. Decide with the exact value.
	u := ulp32Of(want)
	mid := float64(cr) + math.Copysign(u/2, want-float64(cr))
	if math.Abs(want-mid) < 0x1p-45*math.Abs(want) {
		cr = w.roundExact(x)
		d = ulp(got, cr)
	}
	if d != 0 {
		s.off++
	}
	if d > s.worst {
		s.worst, s.worstX = d, x
	}
	if d > w.limit {
		return fmt.Errorf("%s(%v) [bits %#08x] = %v, correctly rounded %v: %d ULP, allowed %d", w.name, x, math.Float32bits(x), got, cr, d, w.limit)
	}
	if (cr == 0 || cr == 1 || cr == -1 || math.IsInf(float64(cr), 0)) && got != cr {
		return fmt.Errorf("%s(%v) [bits %#08x] = %v, want exactly %v", w.name, x, math.Float32bits(x), got, cr)
	}
	return nil
}

// notRounded marks a reference whose float32 rounding is not finite in roundBits' output: it
// matches no float32's bits.
const notRounded = 1 << 32

// roundBits sets bits[i] to the bits of float32(want[i]), or to notRounded where that is NaN or
// infinite.
func roundBits(bits []uint64, want []float64) {
	for i, w := range want {
		cr := float32(w)
		bits[i] = uint64(math.Float32bits(cr))
		if cr-cr != 0 {
			bits[i] = notRounded
		}
	}
}

// checkAll checks got[i] = kernel(xs[i]) against want[i] for every i, as check does, and returns
// the first errors (at most 5); rounded is roundBits of want. Most results are float32(want[i])
// bit for bit (the sign of a zero included), finite: the loop only counts them, and leaves every
// other result to check.
func (w *f32Want) checkAll(s *ulpStats, xs, got []float32, want []float64, rounded []uint64) []error {
	var errs []error
	got, want, rounded = got[:len(xs)], want[:len(xs)], rounded[:len(xs)]
	fast := 0
	for i, g := range got {
		if uint64(math.Float32bits(g)) == rounded[i] {
			fast++
			continue
		}
		if err := w.check(s, xs[i], g, want[i]); err != nil && len(errs) < 5 {
			errs = append(errs, err)
		}
	}
	s.n += int64(fast)
	return errs
}

// roundExact rounds w.exact(x) to float32 (big.Float rounds to nearest even, subnormals included).
func (w *f32Want) roundExact(x float32) float32 {
	f, _ := w.exact(x).Float32()
	return f
}

var (
	expF32Want = f32Want{"Exp", expF32ULPs, func(x float32) *big.Float { return expBig(float64(x)) }, false}
	// sigmoidF32Want's exact value is e^x / (1 + e^x).
	sigmoidF32Want = f32Want{"Sigmoid", sigmoidF32ULPs, func(x float32) *big.Float {
		e := expBig(float64(x))
		d := new(big.Float).SetPrec(e.Prec()).SetInt64(1)
		return e.Quo(e, d.Add(d, e))
	}, false}
	// tanhF32Want's exact value is (e^2x - 1) / (e^2x + 1).
	tanhF32Want = f32Want{"Tanh", tanhF32ULPs, func(x float32) *big.Float {
		e := expBig(2 * float64(x))
		one := new(big.Float).SetPrec(e.Prec()).SetInt64(1)
		num := new(big.Float).SetPrec(e.Prec()).Sub(e, one)
		return num.Quo(num, e.Add(e, one))
	}, false}
)

// tanhFromExp returns tanh|x| to within about 2^-40 relative from e = e^-|x|: (1-e^2)/(1+e^2)
// for |x| >= 2^-13, where 1-e^2 >= 2^-12 keeps the cancellation small, and the Taylor series
// x - x^3/3 + 2x^5/15 below.
func tanhFromExp(ax, e float64) float64 {
	if ax < 0x1p-13 {
		x2 := ax * ax
		return ax - ax*x2*(1.0/3-x2*(2.0/15))
	}
	e2 := e * e
	return (1 - e2) / (1 + e2)
}

// sweepKernel is one float32 kernel of the sweep.
type sweepKernel struct {
	want *f32Want
	// field returns the table's function of this kernel (to tell tables that share one apart
	// from tables that have their own); run runs it.
	field func(o *ops[float32]) any
	run   func(o *ops[float32], dst, src []float32)
	// ref returns the float64 reference at +a and at -a, for a = |x| (NaN, Inf and 0 included),
	// given ep = e^a and en = e^-a.
	ref func(a, ep, en float64) (pos, neg float64)
	// f64Rounded: the generic table's function evaluates in float64 and rounds once, so the full
	// sweep checks it on every 16th chunk only.
	f64Rounded bool
}

// sweepKernels lists the kernels of the sweep and their float64 references, each within a few
// float64 ULP (about 1e-15 relative, against the float32 ULP of 2^-24): math.Exp, math.Erfc,
// math.Log1p, math.Expm1 and math.Log where the argument is exact, and double-double arguments
// where it is not (GELU's a/√2, GELUTanh's 2u). They are computed differently from the pure-Go
// kernels (for GELU, GELUTanh and SiLU with other methods).
func sweepKernels() []sweepKernel {
	elu := func(w *f32Want, alpha float32) sweepKernel {
		a := float64(alpha)
		return sweepKernel{w, func(o *ops[float32]) any { return o.elu },
			func(o *ops[float32], dst, src []float32) { o.elu(alpha, dst, src) },
			func(x, _, _ float64) (float64, float64) { return x, a * math.Expm1(-x) }, true}
	}
	return []sweepKernel{
		{&expF32Want, func(o *ops[float32]) any { return o.exp },
			func(o *ops[float32], dst, src []float32) { o.exp(dst, src) },
			func(_, ep, en float64) (float64, float64) { return ep, en }, true},
		{&sigmoidF32Want, func(o *ops[float32]) any { return o.sigmoid },
			func(o *ops[float32], dst, src []float32) { o.sigmoid(dst, src) },
			func(_, _, en float64) (float64, float64) { return 1 / (1 + en), en / (1 + en) }, true},
		{&tanhF32Want, func(o *ops[float32]) any { return o.tanh },
			func(o *ops[float32], dst, src []float32) { o.tanh(dst, src) },
			func(a, _, en float64) (float64, float64) { th := tanhFromExp(a, en); return th, -th }, false},
		{&geluF32Want, func(o *ops[float32]) any { return o.gelu },
			func(o *ops[float32], dst, src []float32) { o.gelu(dst, src) }, geluSweepRef, true},
		{&geluTanhF32Want, func(o *ops[float32]) any { return o.geluTanh },
			func(o *ops[float32], dst, src []float32) { o.geluTanh(dst, src) }, geluTanhSweepRef, true},
		{&siluF32Want, func(o *ops[float32]) any { return o.silu },
			func(o *ops[float32], dst, src []float32) { o.silu(dst, src) },
			func(a, _, en float64) (float64, float64) {
				if math.IsInf(a, 1) {
					return a, negZero
				}
				return a / (1 + en), -a * (en / (1 + en))
			}, true},
		{&softplusF32Want, func(o *ops[float32]) any { return o.softplus },
			func(o *ops[float32], dst, src []float32) { o.softplus(dst, src) },
			func(a, _, en float64) (float64, float64) { l := math.Log1p(en); return a + l, l }, true},
		elu(&elu1F32Want, 1), elu(&eluAF32Want, eluAlpha32),
		{&logF32Want, func(o *ops[float32]) any { return o.log },
			func(o *ops[float32], dst, src []float32) { o.log(dst, src) },
			func(a, _, _ float64) (float64, float64) {
				if a == 0 {
					return math.Inf(-1), math.Inf(-1)
				}
				return math.Log(a), math.NaN()
			}, true},
	}
}

// sweepStats is the result of a sweep: stats[k][p] for kernel k of sweepKernels on path p of
// supported, and shared[k][p], the name of the path whose function path p shares ("" if none).
type sweepStats struct {
	stats  [][]ulpStats
	shared [][]string
}

// sweepF32 checks every path's kernels (sweepKernels) on the magnitudes [lo, hi) at the given
// stride (both signs of each) and on extra.
func sweepF32(t *testing.T, lo, hi, stride uint32, extra []float32) sweepStats {
	paths := supported
	kernels := sweepKernels()
	// groups[k] lists the distinct functions of kernel k over the paths, each with the paths
	// that use it, in the order of supported.
	type group struct {
		paths   []int
		generic bool // the generic table's function
	}
	groups := make([][]group, len(kernels))
	res := sweepStats{make([][]ulpStats, len(kernels)), make([][]string, len(kernels))}
	for k, kn := range kernels {
		res.stats[k] = make([]ulpStats, len(paths))
		res.shared[k] = make([]string, len(paths))
		fns := map[uintptr]int{}
		for p, path := range paths {
			fn := reflect.ValueOf(kn.field(&path.f32)).Pointer()
			g, ok := fns[fn]
			if !ok {
				g = len(groups[k])
				fns[fn] = g
				groups[k] = append(groups[k], group{generic: fn == reflect.ValueOf(kn.field(&genericTable.f32)).Pointer()})
			}
			groups[k][g].paths = append(groups[k][g].paths, p)
		}
		for _, g := range groups[k] {
			for _, p := range g.paths {
				if p != g.paths[len(g.paths)-1] {
					res.shared[k][p] = paths[g.paths[len(g.paths)-1]].name
				}
			}
		}
	}
	// chunk magnitudes give 2*chunk inputs: with their references and results (about 320 KB)
	// they stay in L2 while every kernel and path works on them.
	const chunk = 1 << 12
	var next atomic.Uint64
	var mu sync.Mutex
	var failed atomic.Bool
	nChunks := (uint64(hi-lo)/uint64(stride) + chunk - 1) / chunk
	// buffers holds one goroutine's slices, reused from chunk to chunk.
	type buffers struct {
		src, dst []float32
		ep, en   []float64
		want     []float64
		rounded  []uint64 // the bits of float32(want), or notRounded where that is not finite
	}
	work := func(b *buffers, chunkIndex uint64, mags []uint32, extra []float32) {
		n := 2*len(mags) + len(extra)
		if cap(b.src) < n {
			b.src, b.dst = make([]float32, 0, n), make([]float32, n)
			b.ep, b.en = make([]float64, n), make([]float64, n)
			b.want, b.rounded = make([]float64, n), make([]uint64, n)
		}
		src := b.src[:0]
		for _, m := range mags {
			src = append(src, math.Float32frombits(m))
		}
		for _, m := range mags {
			src = append(src, math.Float32frombits(m|0x80000000))
		}
		src = append(src, extra...)
		// e^|x| and e^-|x| for every magnitude, then kernel by kernel the reference and the check
		// of each path's function. e^-|x| is 1/e^|x|: one more rounding keeps it within 2 float64
		// ULP and saves a math.Exp per magnitude. (Where e^|x| overflows float64, |x| > 709.78,
		// it gives 0 for e^-|x| < 2^-1024, which every reference here takes to the same float32
		// result.)
		ep, en := b.ep[:n], b.en[:n]
		for i, m := range mags {
			e := math.Exp(float64(math.Float32frombits(m)))
			ep[i], en[i] = e, 1/e
		}
		for i, x := range extra {
			e := math.Exp(math.Abs(float64(x)))
			ep[2*len(mags)+i], en[2*len(mags)+i] = e, 1/e
		}
		checked := func(k int, g group) bool {
			return !(g.generic && kernels[k].f64Rounded && stride == 1) || chunkIndex%16 == 0
		}
		want, rounded, dst := b.want[:n], b.rounded[:n], b.dst[:n]
		for k, kn := range kernels {
			need := false
			for _, g := range groups[k] {
				need = need || checked(k, g)
			}
			if !need {
				continue
			}
			for i, m := range mags {
				want[i], want[len(mags)+i] = kn.ref(float64(math.Float32frombits(m)), ep[i], en[i])
			}
			for i, x := range extra {
				j := 2*len(mags) + i
				pos, neg := kn.ref(math.Abs(float64(x)), ep[j], en[j])
				want[j] = pos
				if math.Signbit(float64(x)) {
					want[j] = neg
				}
			}
			roundBits(rounded, want)
			for _, g := range groups[k] {
				if !checked(k, g) {
					continue
				}
				path := paths[g.paths[0]]
				var st ulpStats
				kn.run(&path.f32, dst, src)
				errs := kn.want.checkAll(&st, src, dst, want, rounded)
				mu.Lock()
				for _, p := range g.paths {
					res.stats[k][p].merge(st)
				}
				for _, err := range errs {
					t.Errorf("%s: %v", path.name, err)
					failed.Store(true)
				}
				mu.Unlock()
			}
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < runtime.GOMAXPROCS(0); g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mags := make([]uint32, 0, chunk)
			var b buffers
			for !failed.Load() {
				c := next.Add(1) - 1
				if c > nChunks {
					return
				}
				mags = mags[:0]
				var ex []float32
				if c == nChunks {
					ex = extra // the last piece of work: the extra inputs
				} else {
					for i := c * chunk; i < (c+1)*chunk; i++ {
						m := uint64(lo) + i*uint64(stride)
						if m >= uint64(hi) {
							break
						}
						mags = append(mags, uint32(m))
					}
				}
				work(&b, c, mags, ex)
			}
		}()
	}
	wg.Wait()
	return res
}

// thresholdInputs returns 2*n consecutive float32 values around each threshold of the float32
// exp and sigmoid, on both sides of 0 where it matters.
func thresholdInputs(n int) []float32 {
	var xs []float32
	for _, x0 := range []float32{
		0, 0x1p-24, 0x1p-12, 0.5, 1, 0.0108, 0.0433, 0.3466, // 0, where e^x rounds to 1, reduction edges
		88.72284, 88.7, 89, 87, 104, 103.97208, // overflow, the clamps and the fast-path bound
		-87.33654, -87, -103.97208, -103.27893, -104, // first subnormal, fast bound, last nonzero
		16.635532, 17.328680, 15.942385, // sigmoid: where it rounds to 1
		0x1p-13, 9.010913, 20, // tanh: where it is x, where it rounds to 1, the clamp
		1.1932427, 4.2426405, 9, 14.356068, // GELU: the branches of gelu64, where it underflows
		10, 10.770868, 30, // GELUTanh: where it is x, where it underflows
		40, 108.66031, 103.97208, 17.3, 37, // SiLU, Softplus, ELU: where they reach their limits
		0x1p-126, 2, // Log: the subnormals, powers of 2
		float32(math.MaxFloat32), math.SmallestNonzeroFloat32,
	} {
		for _, s := range []float32{1, -1} {
			b := math.Float32bits(x0 * s)
			for d := -n; d < n; d++ {
				xs = append(xs, math.Float32frombits(uint32(int64(b)+int64(d))))
			}
		}
	}
	return xs
}

// TestElementwiseF32Sweep runs the kernels of sweepKernels on every float32 bit pattern (every
// 2^11th magnitude with -short, both signs, plus 8192 consecutive values around every
// threshold), on every ISA path, and logs the worst distance per path and kernel.
// LANES_F32_STRIDE=s takes every s-th magnitude instead: the arm64 run under emulation takes 256,
// 2^24 inputs.
func TestElementwiseF32Sweep(t *testing.T) {
	stride := uint32(1)
	if testing.Short() {
		stride = 1 << 11
	}
	if s, err := strconv.ParseUint(os.Getenv("LANES_F32_STRIDE"), 10, 32); err == nil && s > 0 {
		stride = uint32(s)
	}
	res := sweepF32(t, 0, 1<<31, stride, thresholdInputs(4096))
	kernels := sweepKernels()
	for i, p := range supported {
		for k, kn := range kernels {
			s := res.stats[k][i]
			note := ""
			if o := res.shared[k][i]; o != "" {
				note = " (the same function as " + o + ")"
			}
			worstErr := "<= 0.500 ULP"
			if s.frac > 0.5 {
				worstErr = fmt.Sprintf("%.3f ULP (at %v)", s.frac, s.fracX)
			}
			t.Logf("%-7s %-8s: %d inputs, worst %d ULP from the correctly rounded result (at %v), %d not correctly rounded; worst error %s%s",
				p.name, kn.want.name, s.n, s.worst, s.worstX, s.off, worstErr, note)
		}
	}
}

// TestCheckAll holds checkAll to what check does one result at a time: the same statistics and
// errors on results that are correctly rounded, off by an ULP or more, zeros of either sign, NaN
// and infinities, against references that are finite, zero, infinite and NaN.
func TestCheckAll(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 1 << 14
	xs, got := make([]float32, n), make([]float32, n)
	want := make([]float64, n)
	for i := range xs {
		x := float32(rng.NormFloat64() * 30)
		w := math.Exp(float64(x))
		switch rng.IntN(12) {
		case 0:
			w = 0
		case 1:
			w = math.Inf(1)
		case 2:
			w = math.NaN()
		case 3:
			w = negZero
		}
		g := float32(w)
		switch rng.IntN(10) {
		case 0:
			g = math.Nextafter32(g, float32(math.Inf(1)))
		case 1:
			g = math.Nextafter32(math.Nextafter32(g, 0), 0)
		case 2:
			g = float32(negZero)
		case 3:
			g = float32(math.NaN())
		case 4:
			g = 0
		}
		xs[i], got[i], want[i] = x, g, w
	}
	w := f32Want{"test", 1, func(x float32) *big.Float { return expBig(float64(x)) }, true}
	var one, all ulpStats
	var errs []error
	for i := range xs {
		if err := w.check(&one, xs[i], got[i], want[i]); err != nil && len(errs) < 5 {
			errs = append(errs, err)
		}
	}
	rounded := make([]uint64, n)
	roundBits(rounded, want)
	allErrs := w.checkAll(&all, xs, got, want, rounded)
	if one != all {
		t.Errorf("checkAll: %+v, check: %+v", all, one)
	}
	if fmt.Sprint(allErrs) != fmt.Sprint(errs) || len(errs) != 5 {
		t.Errorf("checkAll's errors %v, check's %v (want 5 of them)", allErrs, errs)
	}
}
