//go:build purego || !(amd64 || arm64)

package kernels

// detectISAs for builds without assembly (-tags purego, or a GOARCH lanes has no assembly for):
// the generic table only.
func detectISAs() []*table { return []*table{genericTable} }
