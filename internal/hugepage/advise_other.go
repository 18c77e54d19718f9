//go:build !linux

package hugepage

// advise does nothing outside Linux.
func advise([]float32) error { return nil }
