// Package spin runs one function on several goroutines at once, on helper goroutines that stay
// awake for a while after each job.
//
// Waking an idle core is slow in a virtual machine: on a 2-vCPU cloud machine a new goroutine
// starts a median of about 100 µs after it is created, and often only after a 500 µs product has
// finished; a training step runs dozens of products of that size back to back. The helpers here
// spin, waiting for the next job, for spinWait after each one, then sleep until a job wakes them.
package spin

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// spinWait is how long a helper keeps checking for a new job after its last one before it sleeps.
const spinWait = 200 * time.Microsecond

// The pool: one job at a time (mu), helpers started on demand and never stopped.
var (
	mu      sync.Mutex
	started int // helpers running (under mu)

	gen      atomic.Uint64                // incremented for every job
	job      Job                          // the current job, set under mu before gen moves
	limit    atomic.Int64                 // how many helpers may join the current job
	claims   atomic.Int64                 // helpers that asked to join (closed: +1<<40)
	finished atomic.Int64                 // helpers that joined and returned
	parked   atomic.Int32                 // helpers asleep on wake
	wake     = make(chan struct{}, 1<<10) // one token wakes one sleeping helper
)

// A Job is work that several goroutines run at once. Work must be safe for concurrent use and
// return once nothing is left to do (it takes its parts from a shared counter), so that a helper
// that joins late finds nothing left.
type Job interface {
	Work()
}

// Func is a function as a Job.
type Func func()

// Work calls f.
func (f Func) Work() { f() }

// Run runs j.Work on the calling goroutine and on up to helpers other goroutines at the same
// time, and returns when every goroutine that started it has returned. It waits only for the
// helpers that joined before the caller's own Work returned, so that a late helper does not hold
// up the job. Run allocates nothing once the helpers exist (j is best a pointer).
//
// Run is safe for concurrent use; while one call uses the pool, another runs its helpers as new
// goroutines instead.
func Run(helpers int, j Job) {
	if helpers <= 0 {
		j.Work()
		return
	}
	if !mu.TryLock() {
		var wg sync.WaitGroup
		for range helpers {
			wg.Go(j.Work)
		}
		j.Work()
		wg.Wait()
		return
	}
	defer mu.Unlock()
	for ; started < helpers; started++ {
		go helper()
	}
	job = j
	limit.Store(int64(helpers))
	finished.Store(0)
	claims.Store(0)
	gen.Add(1)
	for n := min(int(parked.Load()), helpers); n > 0; n-- {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	j.Work()
	joined := min(claims.Add(1<<40)-1<<40, int64(helpers)) // no helper joins from here on
	for finished.Load() < joined {
		runtime.Gosched()
	}
	job = nil
}

// helper runs the jobs of the pool as they come.
func helper() {
	seen := gen.Load()
	for {
		seen = waitJob(seen)
		if claims.Add(1) > limit.Load() {
			continue // closed, or enough helpers joined
		}
		job.Work() // set before claims was reset for this job, and kept until it finishes
		finished.Add(1)
	}
}

// waitJob returns the job generation once it differs from seen: spinning for spinWait, then
// sleeping until Run sends a token.
func waitJob(seen uint64) uint64 {
	for start := time.Now(); ; {
		for range 64 {
			if g := gen.Load(); g != seen {
				return g
			}
		}
		if time.Since(start) > spinWait {
			break
		}
	}
	for {
		parked.Add(1)
		if g := gen.Load(); g != seen { // a job came while we were going to sleep
			parked.Add(-1)
			return g
		}
		<-wake
		parked.Add(-1)
		if g := gen.Load(); g != seen {
			return g
		}
	}
}
