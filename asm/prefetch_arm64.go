//go:build !purego

package asm

// Prefetch asks the CPU to bring every 64-byte cache line that b touches into its caches (PRFM
// PLDL1KEEP on each), so that reading b soon after finds it there. A prefetch never faults,
// whatever the address; it reads nothing into a register and writes nothing. It computes nothing a
// Go loop could state: its effect is only on the time of later reads.
//
//go:noescape
func Prefetch(b []byte)
