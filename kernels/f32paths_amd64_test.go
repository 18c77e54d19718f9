//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

// f32Paths lists the float32 exp, sigmoid and tanh of every ISA path this machine supports, as
// functions that take that path whatever the active one, so that sweeps can run them from
// several goroutines at once without SetISA. The generic entries are what the routing in
// exp_amd64.go, sigmoid_amd64.go and tanh_amd64.go calls on the generic path.
func f32Paths() []f32Path {
	var p []f32Path
	for _, s := range supported {
		switch s {
		case isaAVX512:
			p = append(p, f32Path{s.String(), asm.ExpF32AVX512, asm.SigmoidF32AVX512, asm.TanhF32AVX512})
		case isaAVX2:
			p = append(p, f32Path{s.String(), asm.ExpF32AVX2, asm.SigmoidF32AVX2, asm.TanhF32AVX2})
		case isaGeneric:
			p = append(p, f32Path{s.String(), expRef[float32], sigmoidRef[float32], tanhRef[float32]})
		}
	}
	return p
}
