package spin

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// parts runs Run over n parts, each claimed from a shared counter, and returns how many times
// each part ran and how many goroutines took part.
func parts(helpers, n int) ([]int32, int) {
	count := make([]int32, n)
	var next atomic.Int32
	var mu sync.Mutex
	seen := map[int]bool{}
	Run(helpers, Func(func() {
		id := goid()
		mu.Lock()
		seen[id] = true
		mu.Unlock()
		for {
			p := int(next.Add(1)) - 1
			if p >= n {
				return
			}
			atomic.AddInt32(&count[p], 1)
			time.Sleep(50 * time.Microsecond)
		}
	}))
	return count, len(seen)
}

// goid returns the calling goroutine's number, from the header of its stack trace.
func goid() int {
	var b [64]byte
	n := runtime.Stack(b[:], false)
	id := 0
	for _, c := range b[len("goroutine "):n] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + int(c-'0')
	}
	return id
}

// TestRunEveryPartOnce checks that every part runs exactly once, with and without helpers, again
// and again (the helpers are reused), and that helpers do join.
func TestRunEveryPartOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	joined := 0
	for it := range 200 {
		helpers := it % 4
		count, goroutines := parts(helpers, 37)
		for p, c := range count {
			if c != 1 {
				t.Fatalf("iteration %d, %d helpers: part %d ran %d times", it, helpers, p, c)
			}
		}
		if goroutines > helpers+1 {
			t.Fatalf("%d goroutines ran the job, with %d helpers allowed", goroutines, helpers)
		}
		if goroutines > 1 {
			joined++
		}
	}
	if joined == 0 {
		t.Error("no helper ever joined a job")
	}
}

// TestRunConcurrent runs jobs from several goroutines at once: one uses the pool, the others
// start goroutines of their own; every part of every job runs exactly once.
func TestRunConcurrent(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for it := range 50 {
				count, _ := parts(1+g%3, 23)
				for p, c := range count {
					if c != 1 {
						t.Errorf("goroutine %d, iteration %d: part %d ran %d times", g, it, p, c)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
