//go:build !amd64 || purego

package fmapeak

// No probe without the generated amd64 assembly.
var probes = map[string]probe{}
