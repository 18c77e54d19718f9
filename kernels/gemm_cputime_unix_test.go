//go:build unix

package kernels

import (
	"syscall"
	"time"
)

// cpuNow is the CPU time this process has used (user and system): on a machine shared with
// other work, flops per CPU second is steadier than flops per wall-clock second.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
