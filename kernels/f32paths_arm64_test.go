//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

// f32Paths lists the float32 exp, sigmoid and tanh of every ISA path this machine supports, as
// functions that take that path whatever the active one, so that sweeps can run them from
// several goroutines at once without SetISA. The generic entries are what the routing in
// exp_arm64.go and tanh_arm64.go call on the generic path.
func f32Paths() []f32Path {
	var p []f32Path
	for _, s := range supported {
		switch s {
		case isaNEON:
			p = append(p, f32Path{s.String(), asm.ExpF32NEON, asm.SigmoidF32NEON, asm.TanhF32NEON})
		case isaGeneric:
			p = append(p, f32Path{s.String(), expRef[float32], sigmoidRef[float32], tanhRef[float32]})
		}
	}
	return p
}
