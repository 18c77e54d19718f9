// Command speedtable prints the ISA lanes uses on this machine and a short speed table of its
// element-wise kernels against Go's math package: for exp, sigmoid, tanh, ReLU and softmax (rows
// of 1024) on 1M float32 elements, the throughput in Gelem/s of a plain Go loop over Go's math
// package and of lanes on every ISA path this machine supports, and the speed-up of the path in
// use over Go. Each figure is the median of a few timed repetitions; the whole takes seconds.
package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/lanesimd/lanes/kernels"
)

const (
	n    = 1 << 20 // elements per call
	cols = 1024    // softmax row length
	reps = 5       // timed repetitions; the median is reported
	// minTime is how long one repetition runs at least; calls are repeated until it has passed.
	minTime = 40 * time.Millisecond
)

// kernel is one row of the table: lanes' kernel and its Go peer over the same input.
type kernel struct {
	name  string
	lo    float64 // inputs are uniform in [lo, hi)
	hi    float64
	lanes func(dst, src []float32)
	peer  func(dst, src []float32)
}

var table = []kernel{
	{"exp", -10, 10, kernels.Exp[float32], func(dst, src []float32) {
		for i, x := range src {
			dst[i] = float32(math.Exp(float64(x)))
		}
	}},
	{"sigmoid", -10, 10, kernels.Sigmoid[float32], func(dst, src []float32) {
		for i, x := range src {
			dst[i] = float32(1 / (1 + math.Exp(-float64(x))))
		}
	}},
	{"tanh", -5, 5, kernels.Tanh[float32], func(dst, src []float32) {
		for i, x := range src {
			dst[i] = float32(math.Tanh(float64(x)))
		}
	}},
	{"relu", -1, 1, kernels.ReLU[float32], func(dst, src []float32) {
		for i, x := range src {
			dst[i] = max(x, 0)
		}
	}},
	{"softmax/1024", -10, 10, func(dst, src []float32) { kernels.Softmax(dst, src, cols) }, softmaxGo},
}

// softmaxGo is softmax over rows of cols in plain Go: subtract the row maximum, exponentiate
// with math.Exp, divide by the sum.
func softmaxGo(dst, src []float32) {
	for r := 0; r < len(src); r += cols {
		row, out := src[r:r+cols], dst[r:r+cols]
		m := row[0]
		for _, x := range row {
			m = max(m, x)
		}
		var s float64
		for i, x := range row {
			e := math.Exp(float64(x - m))
			out[i] = float32(e)
			s += e
		}
		inv := float32(1 / s)
		for i := range out {
			out[i] *= inv
		}
	}
}

// gelems returns the median throughput of f over n elements, in 10^9 elements per second.
func gelems(f func()) float64 {
	f() // warm up: caches, page faults
	rates := make([]float64, reps)
	for r := range rates {
		calls := 0
		start := time.Now()
		for time.Since(start) < minTime {
			f()
			calls++
		}
		rates[r] = float64(calls) * n / time.Since(start).Seconds() / 1e9
	}
	slices.Sort(rates)
	return rates[reps/2]
}

func main() {
	inUse := kernels.ISA()
	isas := kernels.SupportedISAs()
	fmt.Printf("lanes ISA: %s (supported: %v)\n", inUse, isas)
	fmt.Printf("float32, %d elements per call, Gelem/s (median of %d), speed-up = %s / Go\n\n", n, reps, inUse)

	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "kernel\tGo math\t")
	for _, isa := range isas {
		fmt.Fprintf(w, "%s\t", isa)
	}
	fmt.Fprint(w, "speed-up\t\n")
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range table {
		src, dst := make([]float32, n), make([]float32, n)
		for i := range src {
			src[i] = float32(k.lo + (k.hi-k.lo)*r.Float64())
		}
		peer := gelems(func() { k.peer(dst, src) })
		fmt.Fprintf(w, "%s\t%.3f\t", k.name, peer)
		var best float64
		for _, isa := range isas {
			if err := kernels.SetISA(isa); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			g := gelems(func() { k.lanes(dst, src) })
			if isa == inUse {
				best = g
			}
			fmt.Fprintf(w, "%.3f\t", g)
		}
		fmt.Fprintf(w, "%.1fx\t\n", best/peer)
		if err := kernels.SetISA(inUse); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	w.Flush()
}
