package kernels

import (
	"math"
	"testing"
)

// divUint8Divisors are the divisors every length and alignment is tried with: the usual 255,
// values whose quotients are inexact, overflow to Inf, fall into the subnormals, and the
// special ones (±0, ±Inf, NaN).
var divUint8Divisors = []float64{255, 1, 3, 0.1, -2.5, 1.9702824, 6.5e-38, 1e-300, 1e30, 1e300,
	0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN()}

// sameFloat reports whether a and b are the same value: equal bits, or both NaN.
func sameFloat[T Float](a, b T) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	if is32[T]() {
		return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
	}
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b))
}

func testDivUint8[T Float](t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(7)
		for n := 0; n <= 300; n++ {
			for off := 0; off < 64; off++ {
				d := T(divUint8Divisors[(n+off)%len(divUint8Divisors)])
				src, checkSrc := guardedBytes(n, off)
				for i := range src {
					src[i] = uint8(r.next())
				}
				orig := string(src)
				dst, checkDst := guarded[T](n, off%maxAlign[T]())
				DivUint8(dst, src, d)
				checkDst(t)
				checkSrc(t)
				if string(src) != orig {
					t.Fatalf("n=%d off=%d: the source changed", n, off)
				}
				for i, b := range src {
					if want := T(b) / d; !sameFloat(dst[i], want) {
						t.Fatalf("n=%d off=%d: DivUint8 of %d by %v = %v, want %v", n, off, b, d, dst[i], want)
					}
				}
			}
			// The source ends right before an unmapped page: any over-read faults.
			if src := pageEndBytes8(t, n); src != nil {
				for i := range src {
					src[i] = uint8(r.next())
				}
				dst := make([]T, n)
				DivUint8(dst, src, 255)
				for i, b := range src {
					if want := T(b) / 255; !sameFloat(dst[i], want) {
						t.Fatalf("n=%d at page end: DivUint8 of %d by 255 = %v, want %v", n, b, dst[i], want)
					}
				}
			}
		}
	})
}

func TestDivUint8F32(t *testing.T) { testDivUint8[float32](t) }
func TestDivUint8F64(t *testing.T) { testDivUint8[float64](t) }

// TestDivUint8Divisors checks every byte against every divisor of a dense sample: every 61st
// float32 significand in [1, 2) (the quotients of other binades are these scaled by a power of
// two, until they overflow or turn subnormal), and divisors at the ends of the range. The
// float32 kernels multiply by a float64 reciprocal rather than divide; this is where a flaw in
// that argument would show.
func TestDivUint8Divisors(t *testing.T) {
	var all [256]uint8
	for i := range all {
		all[i] = uint8(i)
	}
	var ds []float32
	step := uint32(61)
	if testing.Short() {
		step = 6101
	}
	for b := math.Float32bits(1); b < math.Float32bits(2); b += step {
		ds = append(ds, math.Float32frombits(b))
	}
	ds = append(ds, 1.9702824, 1.9844359, math.MaxFloat32, math.SmallestNonzeroFloat32, 0x1p-126, 0x1p-127*3, 0x1p100, 0x1p-100)
	eachISA(t, func(t *testing.T) {
		dst := make([]float32, 256)
		for _, d := range ds {
			for _, d := range []float32{d, -d} {
				DivUint8(dst, all[:], d)
				for b, got := range dst {
					if want := float32(b) / d; !sameFloat(got, want) {
						t.Fatalf("DivUint8 of %d by %v (%#x) = %v, want %v", b, d, math.Float32bits(d), got, want)
					}
				}
			}
		}
		t.Logf("%d divisors x 256 bytes, each sign", len(ds))
	})
}
