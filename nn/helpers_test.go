package nn

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

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
