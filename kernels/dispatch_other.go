//go:build purego || !(amd64 || arm64)

package kernels

// detectISAs on a build without assembly: pure Go only.
func detectISAs() []isa { return []isa{isaGeneric} }
