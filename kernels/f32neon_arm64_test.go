//go:build !purego

package kernels

import (
	"math"
	"testing"
)

// The float32 Exp, Sigmoid and Softmax on arm64: every path at every length and alignment
// against float32(math.Exp) (the correctly rounded e^x but for double rounding, which is rare
// and within the allowance), and a sweep of the NEON path over every 256th float32 bit pattern
// (2^24 inputs spread over the whole range, both signs, NaNs and infinities included).

func TestF32ExpSigmoidElementwiseARM64(t *testing.T) {
	in := func(r *testInput) float32 {
		switch r.next() % 16 {
		case 0:
			return float32(math.NaN())
		case 1:
			return float32(math.Inf(1))
		case 2:
			return float32(math.Inf(-1))
		case 3:
			return float32(r.uniform(-110, 100))
		}
		return float32(r.uniform(-20, 20))
	}
	checkElementwise(t, elementwiseCase[float32]{"Exp", Exp[float32], func(x float32) float32 { return float32(math.Exp(float64(x))) }, 1, in})
	checkElementwise(t, elementwiseCase[float32]{"Sigmoid", Sigmoid[float32], func(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) }, 2, in})
}

// TestF32ExpSigmoidSweepNEON: Exp within 1 ULP and Sigmoid within 2, exactly 0, 1 and +Inf
// where the reference is, on every 256th bit pattern.
func TestF32ExpSigmoidSweepNEON(t *testing.T) {
	prev := ISA()
	defer SetISA(prev)
	if err := SetISA("neon"); err != nil {
		t.Fatal(err)
	}
	const stride = 1 << 8
	src := make([]float32, 0, 1<<16)
	dst := make([]float32, 1<<16)
	dst2 := make([]float32, 1<<16)
	var worstE, worstS uint64
	var offE int
	flush := func() {
		Exp(dst[:len(src)], src)
		Sigmoid(dst2[:len(src)], src)
		for i, x := range src {
			we := float32(math.Exp(float64(x)))
			ws := float32(1 / (1 + math.Exp(-float64(x))))
			de, ds := ulp(dst[i], we), ulp(dst2[i], ws)
			if de > 0 {
				offE++
			}
			if de > worstE {
				worstE = de
			}
			if ds > worstS {
				worstS = ds
			}
			if de > 1 || ds > 2 || (we == 0 || math.IsInf(float64(we), 0)) && dst[i] != we || (ws == 0 || ws == 1) && dst2[i] != ws {
				t.Fatalf("x=%v (%#x): exp %v want %v (%d), sigmoid %v want %v (%d)", x, math.Float32bits(x), dst[i], we, de, dst2[i], ws, ds)
			}
		}
		src = src[:0]
	}
	for b := uint64(0); b < 1<<32; b += stride {
		src = append(src, math.Float32frombits(uint32(b)))
		if len(src) == cap(src) {
			flush()
		}
	}
	flush()
	t.Logf("worst exp %d ULP (%d not correctly rounded), sigmoid %d ULP", worstE, offE, worstS)
}

// TestF32SoftmaxARM64: the classic row, rows of every width 1..69 within 4 ULP of softmaxRef,
// and a NaN that turns its row, and only its row, into NaN.
func TestF32SoftmaxARM64(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		x := []float32{1010, 1000, 990}
		Softmax(x, x, 3)
		for i, w := range []float32{0.9999546, 4.5398e-05, 2.0611e-09} {
			if math.Abs(float64(x[i]-w)) > 1e-4*float64(w) { // the values are given to 5 digits
				t.Fatalf("Softmax([1010 1000 990]) = %v", x)
			}
		}
		r := newInput(3)
		for cols := 1; cols < 70; cols++ {
			src := make([]float32, cols*3)
			for i := range src {
				src[i] = float32(r.uniform(-50, 50))
			}
			dst := make([]float32, len(src))
			want := make([]float32, len(src))
			Softmax(dst, src, cols)
			softmaxRef(want, src, cols)
			for i := range dst {
				if d := ulp(dst[i], want[i]); d > 4 {
					t.Fatalf("cols %d [%d]: %v want %v (%d)", cols, i, dst[i], want[i], d)
				}
			}
			src[cols+cols/2] = float32(math.NaN())
			Softmax(dst, src, cols)
			for i := range dst {
				if (i >= cols && i < 2*cols) != (dst[i] != dst[i]) {
					t.Fatalf("cols %d, NaN at %d: got %v", cols, cols+cols/2, dst)
				}
			}
		}
	})
}
