package kernels

import (
	"syscall"
	"time"
)

// threadCPU returns the CPU time the calling OS thread has used (getrusage RUSAGE_THREAD), so
// that a benchmark locked to its thread can report throughput per CPU second, which other
// processes on a shared machine disturb far less than the wall clock.
func threadCPU() (time.Duration, bool) {
	const rusageThread = 1
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
