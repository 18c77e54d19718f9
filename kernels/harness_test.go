package kernels

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// This file is the test harness every kernel test uses: run a test on every ISA path, measure
// ULP distances, build slices with guard elements around them at every alignment, and (where the
// OS allows it) slices that end right before an unmapped page.

// TestMain prints, before any test, which ISA paths this run tests and which it skips because
// the CPU or the build lacks them, so every log of a test run says what it covered.
func TestMain(m *testing.M) {
	fmt.Println(isaCoverage())
	os.Exit(m.Run())
}

// isaCoverage says which ISA paths the tests run here (every supported table) and which they skip.
func isaCoverage() string {
	var ran, skipped []string
	for _, name := range AllISAs() {
		if _, err := lookupISA(name); err != nil {
			skipped = append(skipped, name)
		} else {
			ran = append(ran, name)
		}
	}
	return fmt.Sprintf("lanes kernels: ISA paths tested: %s; skipped (not supported by this CPU or build): %s; active at start: %s",
		strings.Join(ran, ", "), strings.Join(skipped, ", "), ISA())
}

// eachISA runs f as a subtest on every supported table (every ISA path this machine can run),
// with that table active, and restores the active path after. The subtest fails if the switch
// did not take effect.
func eachISA(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	prev := active.Load()
	defer active.Store(prev)
	for _, tb := range supported {
		active.Store(tb)
		t.Run(tb.name, func(t *testing.T) {
			if got := ISA(); got != tb.name {
				t.Fatalf("ISA() = %s with the %s table active", got, tb.name)
			}
			f(t)
		})
	}
}

// useISA makes the path name active for the rest of t, restoring the previous one when t ends,
// and skips t where this CPU or build cannot run it.
func useISA(t testing.TB, name string) {
	t.Helper()
	prev := ISA()
	if err := SetISA(name); err != nil {
		t.Skipf("%s: skipped (not supported here): %v", name, err)
	}
	t.Cleanup(func() { SetISA(prev) })
}

// TestEachISARunsEveryPath asserts that the harness really switches: every supported path is
// visited once, in order, and the switch is visible through ISA().
func TestEachISARunsEveryPath(t *testing.T) {
	var seen []string
	eachISA(t, func(t *testing.T) { seen = append(seen, ISA()) })
	want := SupportedISAs()
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("visited %v, want %v", seen, want)
	}
	t.Logf("ISA paths tested here: %v", seen)
}

// ulp returns the distance between a and b in units in the last place of T: the number of
// representable values between them (0 if equal, both NaN, or +0 and -0). A NaN against a
// number is the maximal distance.
func ulp[T Float](a, b T) uint64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.MaxUint64
	}
	if is32[T]() {
		return uint64(ulpOrd(int64(ord32(float32(a))) - int64(ord32(float32(b)))))
	}
	d := ord64(float64(a)) - ord64(float64(b))
	if (ord64(float64(a)) > ord64(float64(b))) != (d > 0) && d != 0 { // overflow
		return math.MaxUint64
	}
	return ulpOrd(d)
}

func ulpOrd(d int64) uint64 {
	if d < 0 {
		return uint64(-d)
	}
	return uint64(d)
}

// ord32 maps float32 bits to integers ordered like the floats, -0 and +0 both to 0.
func ord32(f float32) int32 {
	b := int32(math.Float32bits(f))
	if b < 0 {
		b = math.MinInt32 - b
	}
	return b
}

func ord64(f float64) int64 {
	b := int64(math.Float64bits(f))
	if b < 0 {
		b = math.MinInt64 - b
	}
	return b
}

// guardBits is the bit pattern of the guard elements: a NaN with a payload no kernel produces.
const (
	guardBits32 = 0x7fa5a5a5
	guardBits64 = 0x7ff5a5a5a5a5a5a5
	guardLen    = 32 // guard elements on each side
)

func guardValue[T Float]() T {
	if is32[T]() {
		v := math.Float32frombits(guardBits32)
		return *(*T)(unsafe.Pointer(&v))
	}
	v := math.Float64frombits(guardBits64)
	return *(*T)(unsafe.Pointer(&v))
}

func isGuard[T Float](v T) bool {
	if is32[T]() {
		return math.Float32bits(*(*float32)(unsafe.Pointer(&v))) == guardBits32
	}
	return math.Float64bits(*(*float64)(unsafe.Pointer(&v))) == guardBits64
}

// guarded returns a slice of n elements that starts off elements past a 64-byte boundary, with
// guardLen guard elements on each side, and a function that fails t if a guard was written.
func guarded[T Float](n, off int) (s []T, check func(t *testing.T)) {
	var z T
	size := int(unsafe.Sizeof(z))
	backing := make([]T, n+off+2*guardLen+64/size)
	start := 0
	for uintptr(unsafe.Pointer(&backing[start]))%64 != 0 {
		start++
	}
	buf := backing[start : start+off+n+2*guardLen]
	for i := range buf {
		buf[i] = guardValue[T]()
	}
	s = buf[guardLen+off : guardLen+off+n : guardLen+off+n]
	return s, func(t *testing.T) {
		t.Helper()
		for i := 0; i < guardLen+off; i++ {
			if !isGuard(buf[i]) {
				t.Fatalf("n=%d off=%d: guard %d elements before dst overwritten with %v", n, off, guardLen+off-i, buf[i])
			}
		}
		for i := guardLen + off + n; i < len(buf); i++ {
			if !isGuard(buf[i]) {
				t.Fatalf("n=%d off=%d: guard %d elements after dst overwritten with %v", n, off, i-(guardLen+off+n)+1, buf[i])
			}
		}
	}
}

// maxAlign is the number of alignment offsets (in elements) that cover a 64-byte line.
func maxAlign[T Float]() int {
	var z T
	return 64 / int(unsafe.Sizeof(z))
}

// testInput is a deterministic pseudo-random generator of test inputs (xorshift64*), so a
// failure reproduces.
type testInput struct{ s uint64 }

func newInput(seed uint64) *testInput { return &testInput{s: seed*0x9e3779b97f4a7c15 + 1} }

func (r *testInput) next() uint64 {
	r.s ^= r.s >> 12
	r.s ^= r.s << 25
	r.s ^= r.s >> 27
	return r.s * 2685821657736338717
}

// uniform returns a value uniform in [lo, hi).
func (r *testInput) uniform(lo, hi float64) float64 {
	return lo + (hi-lo)*float64(r.next()>>11)/(1<<53)
}

// elementwiseCase describes an element-wise kernel for checkElementwise.
type elementwiseCase[T Float] struct {
	name   string
	kernel func(dst, src []T) // the public kernel
	want   func(x T) T        // the exact (or reference) result for one element
	ulps   uint64             // largest distance from want allowed
	input  func(r *testInput) T
}

// checkElementwise runs c.kernel on every ISA path, at every length 0..300 and every alignment
// of dst and src, out of place and in place, with guard elements around dst, and on a source
// that ends right before an unmapped page; every element must be within c.ulps of c.want.
func checkElementwise[T Float](t *testing.T, c elementwiseCase[T]) {
	eachISA(t, func(t *testing.T) {
		r := newInput(1)
		for n := 0; n <= 300; n++ {
			for off := 0; off < maxAlign[T](); off++ {
				src, checkSrc := guarded[T](n, (off*5+3)%maxAlign[T]())
				for i := range src {
					src[i] = c.input(r)
				}
				orig := append([]T(nil), src...)
				dst, checkDst := guarded[T](n, off)
				c.kernel(dst, src)
				checkDst(t)
				checkSrc(t)
				for i := range dst {
					if src[i] != orig[i] && !(src[i] != src[i] && orig[i] != orig[i]) {
						t.Fatalf("%s n=%d off=%d: src[%d] changed from %v to %v", c.name, n, off, i, orig[i], src[i])
					}
					if d := ulp(dst[i], c.want(orig[i])); d > c.ulps {
						t.Fatalf("%s n=%d off=%d: %s(%v) = %v, want %v (%d ULP, allowed %d)", c.name, n, off, c.name, orig[i], dst[i], c.want(orig[i]), d, c.ulps)
					}
				}
				// In place: dst is src.
				c.kernel(src, src)
				checkSrc(t)
				for i := range src {
					if src[i] != dst[i] && !(src[i] != src[i] && dst[i] != dst[i]) {
						t.Fatalf("%s n=%d off=%d in place: [%d] = %v, out of place gave %v", c.name, n, off, i, src[i], dst[i])
					}
				}
			}
			// The source ends right before an unmapped page: any over-read faults.
			if src := pageEnd[T](t, n); src != nil {
				for i := range src {
					src[i] = c.input(r)
				}
				dst := make([]T, n)
				c.kernel(dst, src)
				for i := range dst {
					if d := ulp(dst[i], c.want(src[i])); d > c.ulps {
						t.Fatalf("%s n=%d at page end: %s(%v) = %v, want %v", c.name, n, c.name, src[i], dst[i], c.want(src[i]))
					}
				}
				c.kernel(src, src) // and the in-place write up to the page end
			}
		}
	})
}
