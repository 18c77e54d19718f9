package nn

import (
	"math"
	"testing"
)

// The book's examples: t is class 2; y1 puts 0.6 there, y2 puts 0.1 there (0.6 on class 7).
var (
	bookY1 = []float32{0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0}
	bookY2 = []float32{0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0}
)

func TestBookLossValues(t *testing.T) {
	cases := []struct {
		loss Loss
		y    []float32
		want float64
	}{
		{NewSumSquares(), bookY1, 0.0975},
		{NewSumSquares(), bookY2, 0.5975},
		{NewCrossEntropy(), bookY1, 0.510825457},
		{NewCrossEntropy(), bookY2, 2.302584093},
	}
	for _, c := range cases {
		got := c.loss.Forward(FromSlice(1, 10, c.y), Labels([]int{2}))
		if math.Abs(got-c.want) > 1e-6 {
			t.Errorf("%s = %.9g, want %.9g", c.loss.Name(), got, c.want)
		}
	}
	// MSE averages over every element: (0.0975*2)/10.
	if got := NewMSE().Forward(FromSlice(1, 10, bookY1), Labels([]int{2})); math.Abs(got-0.0195) > 1e-7 {
		t.Errorf("MSE = %.9g, want 0.0195", got)
	}
}

// TestSoftmaxCrossEntropyStable: logits far beyond exp's range give the exact loss, and the
// gradient is (p - onehot)/rows.
func TestSoftmaxCrossEntropyStable(t *testing.T) {
	l := NewSoftmaxCrossEntropy()
	z := FromSlice(2, 3, []float32{1010, 1000, 990, -1000, -1000, -1000})
	got := l.Forward(z, Labels([]int{1, 2}))
	// Row 1: lse = 1010 + log(1 + e^-10 + e^-20), loss = lse - 1000. Row 2: log 3.
	r1 := 10 + math.Log1p(math.Exp(-10)+math.Exp(-20))
	want := (r1 + math.Log(3)) / 2
	if math.IsNaN(got) || math.Abs(got-want) > 1e-5 {
		t.Fatalf("loss = %v, want %v", got, want)
	}
	g := l.Backward()
	p1 := []float64{0.9999546, 4.5398e-05, 2.0611e-09}
	wantG := []float64{p1[0] / 2, (p1[1] - 1) / 2, p1[2] / 2, 1.0 / 6, 1.0 / 6, (1.0/3 - 1) / 2}
	for i, v := range g.Data {
		if math.Abs(float64(v)-wantG[i]) > 1e-6 {
			t.Errorf("grad[%d] = %g, want %g", i, v, wantG[i])
		}
	}
	// A label whose probability underflows to 0 still gives a finite loss: z = [0, -200].
	if got := l.Forward(FromSlice(1, 2, []float32{0, -200}), Labels([]int{1})); math.Abs(got-200) > 1e-3 {
		t.Errorf("loss of an underflowing class = %v, want 200", got)
	}
}
