package kernels

import (
	"sync/atomic"

	"github.com/lanesimd/lanes/internal/spin"
)

// splitLines runs run(lo, hi) over [0, n) on up to threads goroutines (the caller and the
// helpers of package spin), in parts of whole 16-element units (a 64-byte line of float32), two
// parts per goroutine handed out on demand, so that a helper that starts late takes fewer parts.
// Each element is in exactly one part.
func splitLines(n, threads int, run func(lo, hi int)) {
	const unit = 16
	units := (n + unit - 1) / unit
	parts := min(units, threads*gemmPartsPerThread)
	var next atomic.Int32
	spin.Run(threads-1, spin.Func(func() {
		for {
			p := int(next.Add(1)) - 1
			if p >= parts {
				return
			}
			if lo, hi := units*p/parts*unit, min(n, units*(p+1)/parts*unit); lo < hi {
				run(lo, hi)
			}
		}
	}))
}
