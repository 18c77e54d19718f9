package nn

import (
	"math"
	"testing"
)

// TestMaskPositive pins the branch-free ReLU backward against the plain rule on special values.
func TestMaskPositive(t *testing.T) {
	y := []float32{0, 1, 2.5, 1e-45, float32(math.Inf(1)), 3e38, 0.5, 7}
	d := []float32{1, 2, 3, 4, 5, 6, -7, -8}
	got := make([]float32, len(y))
	maskPositive(got, d, y)
	for i, v := range y {
		want := float32(0)
		if v > 0 {
			want = d[i]
		}
		if got[i] != want {
			t.Errorf("y = %g, d = %g: got %g, want %g", v, d[i], got[i], want)
		}
	}
}
