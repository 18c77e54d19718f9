package nn

import (
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"testing"
)

// allocsPerRun is testing.AllocsPerRun with the garbage collector off while it counts: a
// collection empties the sync.Pools that keep the kernels' GEMM and GEMV scratch between calls,
// and refilling them would count as an allocation of the step being measured.
func allocsPerRun(runs int, f func()) float64 {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	return testing.AllocsPerRun(runs, f)
}

// randMatrix returns a rows x cols matrix of uniform values in [lo, hi).
func randMatrix(rng *rand.Rand, rows, cols int, lo, hi float32) *Matrix {
	m := NewMatrix(rows, cols)
	for i := range m.Data {
		m.Data[i] = lo + (hi-lo)*rng.Float32()
	}
	return m
}

// awayFromZero moves every element at least gap away from 0, keeping its sign: the kinks of ReLU,
// LeakyReLU and ELU are at 0, and a central difference across a kink is meaningless.
func awayFromZero(m *Matrix, gap float32) {
	for i, v := range m.Data {
		if v >= 0 && v < gap {
			m.Data[i] = v + gap
		} else if v < 0 && v > -gap {
			m.Data[i] = v - gap
		}
	}
}

// mustPanic runs f and fails unless it panics with a message containing every one of want.
func mustPanic(t *testing.T, f func(), want ...string) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one mentioning %q", want)
		}
		msg := fmt.Sprint(r)
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Fatalf("panic %q does not mention %q", msg, w)
			}
		}
	}()
	f()
}
