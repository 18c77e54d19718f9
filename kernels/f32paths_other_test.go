//go:build purego || !(amd64 || arm64)

package kernels

// f32Paths lists the float32 exp, sigmoid and tanh of every ISA path this build supports: here only
// the pure-Go ones (noasm.go).
func f32Paths() []f32Path {
	return []f32Path{{isaGeneric.String(), expRef[float32], sigmoidRef[float32], tanhRef[float32]}}
}
