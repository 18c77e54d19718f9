package nn

import (
	"runtime"
	"sync/atomic"

	"github.com/lanesimd/lanes/internal/spin"
)

// The layers that work image by image (Conv2D, the pooling layers) split a batch over up to
// GOMAXPROCS goroutines: the helpers of internal/spin, which stay awake between the layers of a
// training step (waking an idle core costs about 100 µs in a virtual machine), fed a rangeJob
// that is a field of the layer, so that splitting allocates nothing once the helpers exist: the
// training loop stays free of allocations after its first iteration, as Trainer.Step promises.

// ranger is a loop over items [0, n) that can run in contiguous parts at once: run(part, from,
// to) handles items [from, to) and may use scratch of its own indexed by part (part < the number
// of parts, which is at most GOMAXPROCS).
type ranger interface {
	run(part, from, to int)
}

// rangeJob hands the parts of one parallelRange call to the goroutines that ask for them.
type rangeJob struct {
	r        ranger
	n, parts int
	next     atomic.Int32
}

// Work runs parts until none is left.
func (j *rangeJob) Work() {
	for {
		p := int(j.next.Add(1)) - 1
		if p >= j.parts {
			return
		}
		j.r.run(p, j.n*p/j.parts, j.n*(p+1)/j.parts)
	}
}

// parallelParts returns how many parts parallelRange splits n items into: min(GOMAXPROCS, n/grain)
// and at least 1.
func parallelParts(n, grain int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/max(grain, 1)))
}

// parallelRange runs r over [0, n) in parts contiguous parts of nearly equal size (parts from
// parallelParts, so that the caller can size per-part scratch), on the calling goroutine and up
// to parts-1 helpers, each part once, and returns when all are done. j is the caller's (a field
// of the layer, so that nothing is allocated); it must not be in use by another call. Parts never
// wait for one another, so calls from many goroutines at once do not deadlock.
func parallelRange(j *rangeJob, n, parts int, r ranger) {
	if parts <= 1 {
		r.run(0, 0, n)
		return
	}
	j.r, j.n, j.parts = r, n, parts
	j.next.Store(0)
	spin.Run(parts-1, j)
	j.r = nil
}
