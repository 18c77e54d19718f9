package kernels

import "unsafe"

// Prefetch asks the CPU to bring the memory of s into its caches, so that reading s soon after
// finds it there: a hint for data that is about to be read from main memory in an order the
// hardware cannot guess (the rows of a randomly drawn batch, for instance, a few rows ahead of
// the one being copied). The assembly paths issue a prefetch per cache line (PREFETCHT0 on
// amd64, PRFM PLDL1KEEP on arm64); the generic path does nothing. It never faults, writes
// nothing and returns without waiting for the memory, but a CPU has room for only so many lines
// in flight: asking for many more than that at once (hundreds of KB) stalls it until they
// arrive. s may be floats or bytes. Safe for concurrent use.
func Prefetch[T Float | ~uint8](s []T) {
	if len(s) == 0 {
		return
	}
	var z T
	active.Load().prefetch(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(z))))
}

// prefetchNone is Prefetch on the generic path: nothing.
func prefetchNone([]byte) {}
