package kernels

import (
	"fmt"
	"math"
	"runtime"
)

// AdamUpdate applies one step of the Adam optimizer to the parameters w, with gradients g and
// the first and second moment estimates m and v, all updated in place:
//
//	m[i] = beta1*m[i] + (1-beta1)*g[i]
//	v[i] = beta2*v[i] + (1-beta2)*g[i]*g[i]
//	w[i] = w[i] - lr*m[i] / (sqrt(v[i]) + eps)
//
// Every operation is rounded to float32 in that order (no fused multiply-add), on every path, so
// all paths give the same bits. The bias corrections of Adam are folded into lr and eps by the
// caller. The four slices must have the same length and must not overlap. From adamParallelMin
// elements on, the update is split over up to GOMAXPROCS goroutines (the elements are
// independent, so the result is the same).
func AdamUpdate(w, g, m, v []float32, beta1, beta2, lr, eps float32) {
	if len(g) != len(w) || len(m) != len(w) || len(v) != len(w) {
		panic(fmt.Sprintf("kernels.AdamUpdate: len(w) = %d, len(g) = %d, len(m) = %d, len(v) = %d; they must be equal", len(w), len(g), len(m), len(v)))
	}
	adam := active.Load().adam
	n := len(w)
	threads := min(runtime.GOMAXPROCS(0), n/(adamParallelMin/2))
	if n < adamParallelMin || threads < 2 {
		adam(w, g, m, v, beta1, 1-beta1, beta2, 1-beta2, lr, eps)
		return
	}
	splitLines(n, threads, func(lo, hi int) {
		adam(w[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi], beta1, 1-beta1, beta2, 1-beta2, lr, eps)
	})
}

// adamParallelMin is the length from which AdamUpdate splits its work over goroutines.
const adamParallelMin = 1 << 16

// adamRef is AdamUpdate in pure Go; c1 = 1-b1 and c2 = 1-b2. The conversions keep the compiler
// from fusing a multiply and an add.
func adamRef(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i, gi := range g {
		mi := float32(b1*m[i]) + float32(c1*gi)
		vi := float32(b2*v[i]) + float32(float32(c2*gi)*gi)
		m[i], v[i] = mi, vi
		w[i] = w[i] - float32(lr*mi)/(float32(math.Sqrt(float64(vi)))+eps)
	}
}
