package kernels

import "testing"

// TestZeroStepShare checks the sample sparseWins takes of op(A), in both storages: every step of
// a depth up to sparseSteps is sampled, so the share is exact there; past it the sampled steps
// are evenly spaced, and a pattern with their period gives its share.
func TestZeroStepShare(t *testing.T) {
	for _, transA := range []bool{false, true} {
		for _, c := range []struct {
			m, k, mr int
			zero     func(i, l int) bool // element (i, l) of op(A) is zero
			want     float64
		}{
			{16, 64, 8, func(i, l int) bool { return l%4 == 0 }, 0.25},
			{16, 64, 8, func(i, l int) bool { return l%4 == 0 || i%8 != 3 }, 0.25}, // one row of each panel non-zero
			{24, 40, 8, func(i, l int) bool { return true }, 1},
			{24, 40, 8, func(i, l int) bool { return false }, 0},
			{8, 64, 8, func(i, l int) bool { return i == 0 }, 0},
			{80, 640, 10, func(i, l int) bool { return l%20 < 10 }, 0.5}, // steps 0, 10, 20, ... sampled
			{33, 64, 8, func(i, l int) bool { return i >= 8 && l%2 == 0 }, 0.5 * 3 / 4},
		} {
			lda := c.k + 3
			rows, cols := c.m, c.k
			if transA {
				lda, rows, cols = c.m+5, c.k, c.m
			}
			a := make([]float32, (rows-1)*lda+cols)
			for i := range c.m {
				for l := range c.k {
					v := float32(1 + i + l)
					if c.zero(i, l) {
						v = 0
					}
					if transA {
						a[l*lda+i] = v
					} else {
						a[i*lda+l] = v
					}
				}
			}
			if got := zeroStepShare(transA, c.m, c.k, a, lda, c.mr); got != c.want {
				t.Errorf("transA %v, m %d, k %d, mr %d: share %v, want %v", transA, c.m, c.k, c.mr, got, c.want)
			}
		}
	}
}
