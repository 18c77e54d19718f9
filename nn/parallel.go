package nn

import (
	"runtime"
	"sync"
)

// The layers that work image by image (Conv2D, the pooling layers) split a batch over up to
// GOMAXPROCS goroutines. The goroutines are long-lived workers fed through a channel, so that
// splitting allocates nothing once the workers exist (a go statement with its closure would
// allocate on every call): the training loop stays free of allocations after its first
// iteration, as Trainer.Step promises.

// ranger is a loop over items [0, n) that can run in contiguous parts at once: run(part, from,
// to) handles items [from, to) and may use scratch of its own indexed by part (part < the number
// of parts, which is at most GOMAXPROCS).
type ranger interface {
	run(part, from, to int)
}

type rangeJob struct {
	r              ranger
	part, from, to int
	wg             *sync.WaitGroup
}

var workers struct {
	mu      sync.Mutex
	started int
	jobs    chan rangeJob
}

// ensureWorkers starts workers until n are running.
func ensureWorkers(n int) {
	workers.mu.Lock()
	defer workers.mu.Unlock()
	if workers.jobs == nil {
		workers.jobs = make(chan rangeJob, 64)
	}
	for ; workers.started < n; workers.started++ {
		go func(jobs <-chan rangeJob) {
			for j := range jobs {
				j.r.run(j.part, j.from, j.to)
				j.wg.Done()
			}
		}(workers.jobs)
	}
}

// parallelParts returns how many parts parallelRange splits n items into: min(GOMAXPROCS, n/grain)
// and at least 1.
func parallelParts(n, grain int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/max(grain, 1)))
}

// parallelRange runs r over [0, n) in parts contiguous parts of nearly equal size (parts from
// parallelParts, so that the caller can size per-part scratch), the last on the calling
// goroutine, the others on workers, and returns when all are done.
// wg is the caller's (a field of the layer, so that nothing is allocated); it must not be in use
// by another call. Parts never wait for one another, so calls from many goroutines at once share
// the workers without deadlock.
func parallelRange(wg *sync.WaitGroup, n, parts int, r ranger) {
	if parts <= 1 {
		r.run(0, 0, n)
		return
	}
	ensureWorkers(parts - 1)
	wg.Add(parts - 1)
	for p := range parts - 1 {
		workers.jobs <- rangeJob{r: r, part: p, from: n * p / parts, to: n * (p + 1) / parts, wg: wg}
	}
	r.run(parts-1, n*(parts-1)/parts, n)
	wg.Wait()
}
