package main

import (
	"slices"
	"sync/atomic"
	"time"
)

// roundTrip returns how long two goroutines take to pass a cache line there and back, the median
// of three runs of up to 20,000 round trips (each run stops after 50 ms), or 0 when the other
// goroutine never answered. The caller sets GOMAXPROCS to 2 or more first, so that the two run
// on two cores at once.
//
// It tells what a two-core figure measured: about 50-60 ns where the two cores share an L3, while
// on a cloud machine whose two vCPUs the host has placed on different core complexes it is 300 ns
// and more, every line one core writes and the other reads costs as much, and the trainings split
// over two cores run little or no faster than on one (docs/performance-sparse.md). The placement can
// change from one minute to the next, so the two-core turns each measure it first.
func roundTrip() time.Duration {
	var runs []time.Duration
	for range 3 {
		if d := roundTrips(20000, 50*time.Millisecond); d > 0 {
			runs = append(runs, d)
		}
	}
	if len(runs) == 0 {
		return 0
	}
	slices.Sort(runs)
	return runs[len(runs)/2]
}

// roundTrips passes a counter between two goroutines n times, or until limit has passed, and
// returns the mean time of a round trip (0 if none completed).
func roundTrips(n int64, limit time.Duration) time.Duration {
	var ball, stop atomic.Int64 // ball odd: the partner's turn; even: ours
	done := make(chan struct{})
	go func() {
		defer close(done)
		for want := int64(1); stop.Load() == 0; {
			if ball.Load() == want {
				ball.Store(want + 1)
				want += 2
			}
		}
	}()
	start := time.Now()
	var i int64
	for i = 0; i < n; i++ {
		ball.Store(2*i + 1)
		for spins := 0; ball.Load() != 2*i+2; spins++ {
			if spins%1024 == 1023 && time.Since(start) > limit {
				goto out
			}
		}
		if i%1024 == 1023 && time.Since(start) > limit {
			i++
			break
		}
	}
out:
	elapsed := time.Since(start)
	stop.Store(1)
	<-done
	if i == 0 {
		return 0
	}
	return elapsed / time.Duration(i)
}
