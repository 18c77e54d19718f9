package kernels

import (
	"math"
	"os"
	"strconv"
	"testing"
)

// expF32NEONModel is ExpF32NEON (asm/exp_arm64.s) in Go, one lane, operation by operation with
// the same roundings: fma32 for each FMLA, an explicit float32 conversion after every other
// product so that no compiler fuses it. On arm64 the kernel is checked against it bit for bit
// (TestExpF32NEONMatchesModel); here, on any GOARCH, its accuracy is checked over the whole
// range, every input with LANES_EXP32_MODEL_STRIDE=1 (all 2^32: at most 1 ULP from the
// correctly rounded result, which it is for all but 0.06% of them; 8 minutes on 2 cores).
func expF32NEONModel(x float32) float32 {
	const (
		lo, hi = float32(-110), float32(110)
		log2e  = float32(math.Log2E)
	)
	ln2hi := float32(math.Ln2)
	ln2lo := float32(math.Ln2 - float64(ln2hi))
	c := [6]float32{0.5, 0.16666667, 0.041666467, 0.0083333105, 0.0013933647, 0.00019890988}
	if x != x {
		return x
	}
	x = min(max(x, lo), hi)
	n := float32(math.RoundToEven(float64(float32(x * log2e))))
	r1 := fma32(n, -ln2hi, x)
	rl := float32(n * -ln2lo)
	r := r1 + rl
	q := fma32(r, c[5], c[4])
	q = fma32(q, r, c[3])
	q = fma32(q, r, c[2])
	q = fma32(q, r, c[1])
	q = fma32(q, r, c[0])
	s := fma32(float32(r*r), q, rl)
	h := r1 + 1
	e := r1 - (h - 1)
	p := h + (s + e)
	ni := int32(n)
	n1 := ni >> 1
	e1 := math.Float32frombits(uint32(n1<<23) + 0x3f800000)
	e2 := math.Float32frombits(uint32((ni-n1)<<23) + 0x3f800000)
	return float32(float32(p*e1) * e2)
}

// fma32 returns a*b+c rounded once to float32, as FMLA does. The product is exact in float64;
// the float64 sum can round to a float32 midpoint that the exact sum is not on, and then the
// sign of its rounding error decides.
func fma32(a, b, c float32) float32 {
	p, cc := float64(a)*float64(b), float64(c)
	s := p + cc
	bb := s - p
	e := (p - (s - bb)) + (cc - bb) // s + e == p + c exactly
	r := float32(s)
	if e == 0 || math.IsInf(s, 0) || math.IsInf(float64(r), 0) {
		return r
	}
	lo := r
	if float64(lo) > s {
		lo = math.Nextafter32(r, float32(math.Inf(-1)))
	}
	up := math.Nextafter32(lo, float32(math.Inf(1)))
	if s == (float64(lo)+float64(up))/2 {
		if e > 0 {
			return up
		}
		return lo
	}
	return r
}

// TestExpF32NEONModel checks expF32NEONModel within 1 ULP of the correctly rounded e^x (and
// exactly 0, +Inf and NaN where that is) on every 512th float32 bit pattern (4096th with
// -short), or every LANES_EXP32_MODEL_STRIDE-th.
func TestExpF32NEONModel(t *testing.T) {
	stride := uint64(1 << 9)
	if testing.Short() {
		stride = 1 << 12
	}
	if s, err := strconv.ParseUint(os.Getenv("LANES_EXP32_MODEL_STRIDE"), 10, 32); err == nil && s > 0 {
		stride = s
	}
	var worst, off, n uint64
	for b := uint64(0); b < 1<<32; b += stride {
		x := math.Float32frombits(uint32(b))
		got, want := expF32NEONModel(x), expRef1(x)
		n++
		if want != want {
			if got == got {
				t.Fatalf("model(%v) = %v, want NaN", x, got)
			}
			continue
		}
		d := ulp(got, want)
		if d > 1 || (want == 0 || math.IsInf(float64(want), 0)) && got != want {
			t.Fatalf("model(%v) [%#08x] = %v, want %v (%d ULP)", x, b, got, want, d)
		}
		if d > 0 {
			off++
		}
		worst = max(worst, d)
	}
	t.Logf("%d inputs: worst %d ULP from float32(math.Exp), %d not equal to it", n, worst, off)
}

// expRef1 is e^x rounded from float64 to float32: the correctly rounded result except, rarely,
// where e^x is within 2^-29 ULP of a midpoint, where it may be the other neighbour (1 ULP).
func expRef1(x float32) float32 { return float32(math.Exp(float64(x))) }
