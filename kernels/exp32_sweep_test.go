package kernels

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// The sweep of the float32 Exp, Sigmoid and Tanh over every float32 input (every 2^11th
// magnitude with -short, plus the neighbourhoods of every threshold), on every ISA path at once.
// Chunks of magnitudes are handed to GOMAXPROCS goroutines; each chunk holds +m and -m, so one
// math.Exp of -|x| and one of |x| give the float64 reference of both kernels at both signs,
// computed once for all paths (tanh|x| too, from e^-|x|). The generic exp and sigmoid are that
// reference rounded to float32 (expRef, sigmoidRef), so in the full sweep they are checked on
// every 16th chunk only (2^28 inputs): what they can get wrong is the rounding, not the
// function. Every other kernel of every path sees every input.

// Largest distances allowed, in ULP, from the correctly rounded result.
const (
	expF32ULPs     = 1
	sigmoidF32ULPs = 2
	tanhF32ULPs    = 1
)

// ulpStats collects one kernel's distances on one path.
type ulpStats struct {
	worst  uint64  // largest distance from the correctly rounded result, in ULP
	worstX float32 // where
	frac   float64 // largest |got - exact| in ULP of the exact value (from the float64 reference)
	fracX  float32
	off    int64 // results that are not the correctly rounded one
	n      int64 // results checked
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
	if want-want == 0 && got-got == 0 { // both finite
		if f := math.Abs(float64(got)-want) / ulp32Of(want); f > s.frac {
			s.frac, s.fracX = f, x
		}
	}
	if got == cr {
		return nil
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

// roundExact rounds w.exact(x) to float32 (big.Float rounds to nearest even, subnormals included).
func (w *f32Want) roundExact(x float32) float32 {
	f, _ := w.exact(x).Float32()
	return f
}

var (
	expF32Want = f32Want{"Exp", expF32ULPs, func(x float32) *big.Float { return expBig(float64(x)) }}
	// sigmoidF32Want's exact value is e^x / (1 + e^x).
	sigmoidF32Want = f32Want{"Sigmoid", sigmoidF32ULPs, func(x float32) *big.Float {
		e := expBig(float64(x))
		d := new(big.Float).SetPrec(e.Prec()).SetInt64(1)
		return e.Quo(e, d.Add(d, e))
	}}
	// tanhF32Want's exact value is (e^2x - 1) / (e^2x + 1).
	tanhF32Want = f32Want{"Tanh", tanhF32ULPs, func(x float32) *big.Float {
		e := expBig(2 * float64(x))
		one := new(big.Float).SetPrec(e.Prec()).SetInt64(1)
		num := new(big.Float).SetPrec(e.Prec()).Sub(e, one)
		return num.Quo(num, e.Add(e, one))
	}}
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

// sweepF32 checks every path's Exp, Sigmoid and Tanh on the magnitudes [lo, hi) at the given
// stride (both signs of each) and on extra, and returns the statistics per path and kernel.
func sweepF32(t *testing.T, lo, hi, stride uint32, extra []float32) (expStats, sigStats, tanhStats []ulpStats) {
	paths := supported
	expStats, sigStats, tanhStats = make([]ulpStats, len(paths)), make([]ulpStats, len(paths)), make([]ulpStats, len(paths))
	const chunk = 1 << 14 // magnitudes per chunk
	var next atomic.Uint64
	var mu sync.Mutex
	var failed atomic.Bool
	nChunks := (uint64(hi-lo)/uint64(stride) + chunk - 1) / chunk
	// buffers holds one goroutine's slices, reused from chunk to chunk.
	type buffers struct {
		src, dst            []float32
		wantE, wantS, wantT []float64
	}
	work := func(b *buffers, chunkIndex uint64, mags []uint32, extra []float32) {
		n := 2*len(mags) + len(extra)
		if cap(b.src) < n {
			b.src, b.dst = make([]float32, 0, n), make([]float32, n)
			b.wantE, b.wantS, b.wantT = make([]float64, n), make([]float64, n), make([]float64, n)
		}
		src := b.src[:0]
		for _, m := range mags {
			src = append(src, math.Float32frombits(m))
		}
		for _, m := range mags {
			src = append(src, math.Float32frombits(m|0x80000000))
		}
		src = append(src, extra...)
		wantE, wantS, wantT := b.wantE[:n], b.wantS[:n], b.wantT[:n]
		for i, m := range mags {
			x := float64(math.Float32frombits(m))
			ep, en := math.Exp(x), math.Exp(-x) // e^|x|, e^-|x|
			wantE[i], wantE[len(mags)+i] = ep, en
			wantS[i], wantS[len(mags)+i] = 1/(1+en), en/(1+en)
			th := tanhFromExp(math.Abs(x), en)
			wantT[i], wantT[len(mags)+i] = math.Copysign(th, x), -math.Copysign(th, x)
		}
		for i, x := range extra {
			j := 2*len(mags) + i
			wantE[j] = math.Exp(float64(x))
			en := math.Exp(-math.Abs(float64(x)))
			if x < 0 {
				wantS[j] = en / (1 + en)
			} else {
				wantS[j] = 1 / (1 + en)
			}
			wantT[j] = math.Copysign(tanhFromExp(math.Abs(float64(x)), en), float64(x))
		}
		dst := b.dst[:n]
		for p, path := range paths {
			var se, ss, st ulpStats
			var errs []error
			if path != genericTable || stride != 1 || chunkIndex%16 == 0 {
				path.f32.exp(dst, src)
				for i, x := range src {
					if err := expF32Want.check(&se, x, dst[i], wantE[i]); err != nil && len(errs) < 5 {
						errs = append(errs, err)
					}
				}
				path.f32.sigmoid(dst, src)
				for i, x := range src {
					if err := sigmoidF32Want.check(&ss, x, dst[i], wantS[i]); err != nil && len(errs) < 5 {
						errs = append(errs, err)
					}
				}
			}
			path.f32.tanh(dst, src)
			for i, x := range src {
				if err := tanhF32Want.check(&st, x, dst[i], wantT[i]); err != nil && len(errs) < 5 {
					errs = append(errs, err)
				}
			}
			mu.Lock()
			expStats[p].merge(se)
			sigStats[p].merge(ss)
			tanhStats[p].merge(st)
			for _, err := range errs {
				t.Errorf("%s: %v", path.name, err)
				failed.Store(true)
			}
			mu.Unlock()
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
	return expStats, sigStats, tanhStats
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

// TestElementwiseF32Sweep runs Exp, Sigmoid and Tanh on every float32 bit pattern (every 2^11th
// magnitude with -short, both signs, plus 8192 consecutive values around every threshold), on
// every ISA path, and logs the worst distance per path and kernel. LANES_F32_STRIDE=s takes
// every s-th magnitude instead: the arm64 run under emulation takes 256, 2^24 inputs.
func TestElementwiseF32Sweep(t *testing.T) {
	stride := uint32(1)
	if testing.Short() {
		stride = 1 << 11
	}
	if s, err := strconv.ParseUint(os.Getenv("LANES_F32_STRIDE"), 10, 32); err == nil && s > 0 {
		stride = uint32(s)
	}
	expStats, sigStats, tanhStats := sweepF32(t, 0, 1<<31, stride, thresholdInputs(4096))
	for i, p := range supported {
		for _, k := range []struct {
			name string
			s    ulpStats
		}{{"Exp", expStats[i]}, {"Sigmoid", sigStats[i]}, {"Tanh", tanhStats[i]}} {
			t.Logf("%-7s %-7s: %d inputs, worst %d ULP from the correctly rounded result (at %v), %d not correctly rounded; worst error %.3f ULP (at %v)",
				p.name, k.name, k.s.n, k.s.worst, k.s.worstX, k.s.off, k.s.frac, k.s.fracX)
		}
	}
}
