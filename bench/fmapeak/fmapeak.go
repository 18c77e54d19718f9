// Package fmapeak measures the float32 multiply-add peak of one core: the rate at which the core
// retires independent fused multiply-adds on full vector registers, the ceiling of any matrix
// product. `make compare` (bench/cmd/compare) reads every GEMM figure as a fraction of it.
//
// The probe loops are generated with avo by asm/_gen/fmapeak (`go generate ./bench/fmapeak`): 12
// independent multiply-adds per iteration on YMM registers for lanes' avx2 path, on ZMM registers
// for its avx512 path. A core that runs a 512-bit multiply-add as two 256-bit halves shows the same
// peak on both. Without assembly (other architectures, -tags purego) there is no probe.
package fmapeak

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

//go:generate go run -C ../../asm/_gen ./fmapeak -dir ../../bench/fmapeak

// ErrNoProbe is returned for an ISA that has no probe on this build.
var ErrNoProbe = errors.New("fmapeak: no FMA probe for this ISA on this build")

// Result is one measurement.
type Result struct {
	ISA    string  // the lanes ISA path whose registers the probe used: avx2 or avx512
	Bits   int     // the vector width, 256 or 512
	GFLOPS float64 // float32 multiply-adds per second times 2, in 10^9: the best of the repetitions
}

func (r Result) String() string {
	return fmt.Sprintf("%.1f GFLOP/s float32 (%d-bit FMA loop, %s)", r.GFLOPS, r.Bits, r.ISA)
}

// Measure times the probe of isa (one of lanes' ISA names, as kernels.ISA returns them) in reps
// repetitions of about d each, after a warm-up of the same length, and returns the fastest. The
// caller must make sure this CPU runs isa (kernels.SupportedISAs lists what it does); Measure
// returns ErrNoProbe for an ISA without a probe on this build (generic, neon, or -tags purego).
func Measure(isa string, d time.Duration, reps int) (Result, error) {
	p, ok := probes[isa]
	if !ok {
		return Result{}, fmt.Errorf("%w: %q", ErrNoProbe, isa)
	}
	reps = max(reps, 1)
	// Calibrate: how many iterations take about d.
	iters := uint64(1 << 14)
	for {
		t := time.Now()
		p.loop(iters)
		if el := time.Since(t); el >= d/8 || iters >= 1<<40 {
			iters = max(1, uint64(float64(iters)*float64(d)/float64(max(el, time.Microsecond))))
			break
		}
		iters *= 4
	}
	p.loop(iters) // warm-up: clock and power state of the wide units
	rates := make([]float64, reps)
	for i := range rates {
		t := time.Now()
		p.loop(iters)
		rates[i] = float64(iters) * float64(p.flops) / time.Since(t).Seconds() / 1e9
	}
	return Result{ISA: isa, Bits: p.bits, GFLOPS: slices.Max(rates)}, nil
}

// probe is one generated loop: loop(n) runs n iterations of flops floating-point operations.
type probe struct {
	loop  func(n uint64)
	flops int
	bits  int
}
