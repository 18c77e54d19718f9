// Package bench holds lanes' benchmarks against its peers (gonum and Go's math package); run
// them with `go test -bench . ./bench/`.
package bench
