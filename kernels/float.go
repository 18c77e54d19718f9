package kernels

import (
	"fmt"
	"unsafe"
)

// Float is the element type of every kernel: float32 or float64.
type Float interface {
	float32 | float64
}

// is32 reports whether T is float32. It is a constant for each instantiation.
func is32[T Float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// f32 reinterprets s as []float32; T must be float32 (checked by is32 at the call site).
func f32[T Float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// f64 reinterprets s as []float64; T must be float64.
func f64[T Float](s []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// panicLen2 panics, naming the function and both slices.
func panicLen2(fn, a string, na int, b string, nb int) {
	panic(fmt.Sprintf("kernels.%s: len(%s) = %d, len(%s) = %d; they must be equal", fn, a, na, b, nb))
}

// sameLen panics, naming the function, unless dst and src have the same length.
func sameLen(fn string, dst, src int) {
	if dst != src {
		panic(fmt.Sprintf("kernels.%s: len(dst) = %d, len(src) = %d; they must be equal", fn, dst, src))
	}
}
