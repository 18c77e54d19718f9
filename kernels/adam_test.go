package kernels

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// adamInputs fills the four Adam operands with values of the sizes training produces, including
// zero gradients and zero second moments.
func adamInputs(r *testInput, w, g, m, v []float32) {
	for i := range w {
		w[i] = float32(r.uniform(-1, 1))
		g[i] = float32(r.uniform(-1, 1))
		m[i] = float32(r.uniform(-0.1, 0.1))
		v[i] = float32(r.uniform(0, 0.01))
		if i%17 == 5 {
			g[i], m[i], v[i] = 0, 0, 0
		}
	}
}

// TestAdamUpdate: every path gives the pure-Go loop's bits at every length 0..300 and every
// alignment, writes nothing outside w, m and v, does not change g, and reads nothing past the
// end of g (which ends right before an unmapped page).
func TestAdamUpdate(t *testing.T) {
	var b1, b2, lr, eps float32 = 0.9, 0.999, 1e-3, 1e-8 // typed: 1-b1 as AdamUpdate rounds it
	eachISA(t, func(t *testing.T) {
		r := newInput(3)
		for n := 0; n <= 300; n++ {
			for off := 0; off < maxAlign[float32](); off++ {
				w, checkW := guarded[float32](n, off)
				g, checkG := guarded[float32](n, (off+3)%16)
				m, checkM := guarded[float32](n, (off+7)%16)
				v, checkV := guarded[float32](n, (off*5+1)%16)
				adamInputs(r, w, g, m, v)
				ww, gg, mm, vv := clone32(w), clone32(g), clone32(m), clone32(v)
				adamRef(ww, gg, mm, vv, b1, 1-b1, b2, 1-b2, lr, eps)
				AdamUpdate(w, g, m, v, b1, b2, lr, eps)
				for _, c := range []func(*testing.T){checkW, checkG, checkM, checkV} {
					c(t)
				}
				for i := range w {
					if math.Float32bits(w[i]) != math.Float32bits(ww[i]) || m[i] != mm[i] || v[i] != vv[i] || g[i] != gg[i] {
						t.Fatalf("n=%d off=%d [%d]: w, m, v, g = %v %v %v %v, want %v %v %v %v", n, off, i, w[i], m[i], v[i], g[i], ww[i], mm[i], vv[i], gg[i])
					}
				}
			}
			// Each operand in turn ends right before an unmapped page.
			for k := range 4 {
				ops := [4][]float32{make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)}
				if pe := pageEnd[float32](t, n); pe != nil {
					ops[k] = pe
				}
				adamInputs(r, ops[0], ops[1], ops[2], ops[3])
				ref := [4][]float32{clone32(ops[0]), clone32(ops[1]), clone32(ops[2]), clone32(ops[3])}
				adamRef(ref[0], ref[1], ref[2], ref[3], b1, 1-b1, b2, 1-b2, lr, eps)
				AdamUpdate(ops[0], ops[1], ops[2], ops[3], b1, b2, lr, eps)
				for i := range ops[0] {
					if ops[0][i] != ref[0][i] {
						t.Fatalf("n=%d operand %d at page end: w[%d] = %v, want %v", n, k, i, ops[0][i], ref[0][i])
					}
				}
			}
		}
	})
}

// TestAdamUpdateStep pins one step by hand: with m = v = 0 and the usual betas, m = 0.1*g,
// v = 0.001*g^2, so the step is lr*0.1*g/(sqrt(0.001)*|g| + eps). (In float32 1-0.999 is
// 0.00099998713, which moves the result by about 6e-6 relative.)
func TestAdamUpdateStep(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		w := []float32{1, -2, 0.5}
		g := []float32{0.5, -0.25, 0}
		m, v := make([]float32, 3), make([]float32, 3)
		AdamUpdate(w, g, m, v, 0.9, 0.999, 0.1, 1e-8)
		for i, gi := range g {
			step := 0.1 * 0.1 * float64(gi) / (math.Sqrt(0.001)*math.Abs(float64(gi)) + 1e-8)
			want := []float64{1, -2, 0.5}[i] - step
			if math.Abs(float64(w[i])-want) > 2e-5 {
				t.Errorf("w[%d] = %v, want %v", i, w[i], want)
			}
		}
	})
}

func TestAdamUpdateMisuse(t *testing.T) {
	defer func() {
		r := recover()
		if s, _ := r.(string); !strings.Contains(s, "kernels.AdamUpdate") || !strings.Contains(s, "len(v) = 2") {
			t.Fatalf("panic %v, want one naming AdamUpdate and the lengths", r)
		}
	}()
	AdamUpdate(make([]float32, 3), make([]float32, 3), make([]float32, 3), make([]float32, 2), 0.9, 0.999, 0.1, 1e-8)
}

func clone32(s []float32) []float32 { return append([]float32(nil), s...) }

// BenchmarkAdamUpdate: one update of the 669,706 parameters of a 784-512-512-10 network, on each
// path, beside the pure-Go loop (generic).
func BenchmarkAdamUpdate(b *testing.B) {
	const n = 669706
	w, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	adamInputs(newInput(1), w, g, m, v)
	prev := ISA()
	defer SetISA(prev)
	for _, isa := range SupportedISAs() {
		if err := SetISA(isa); err != nil {
			b.Fatal(err)
		}
		b.Run(isa, func(b *testing.B) {
			b.SetBytes(4 * 4 * n)
			for range b.N {
				AdamUpdate(w, g, m, v, 0.9, 0.999, 1e-9, 1e-8)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
		})
	}
}

// TestAdamUpdateSplit checks an update long enough to be split over goroutines: the same bits as
// the pure-Go loop on every path, every element updated once.
func TestAdamUpdateSplit(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const n = 3*adamParallelMin + 37
	r := newInput(11)
	w0, g, m0, v0 := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range w0 {
		w0[i], g[i], m0[i], v0[i] = float32(r.uniform(-1, 1)), float32(r.uniform(-1, 1)), float32(r.uniform(-0.1, 0.1)), float32(r.uniform(0, 0.01))
	}
	var b1, b2, lr, eps float32 = 0.9, 0.999, 1e-3, 1e-8 // typed: 1-b1 as AdamUpdate rounds it
	ww, wm, wv := slices.Clone(w0), slices.Clone(m0), slices.Clone(v0)
	adamRef(ww, g, wm, wv, b1, 1-b1, b2, 1-b2, lr, eps)
	eachISA(t, func(t *testing.T) {
		w, m, v := slices.Clone(w0), slices.Clone(m0), slices.Clone(v0)
		AdamUpdate(w, g, m, v, b1, b2, lr, eps)
		for i := range w {
			if math.Float32bits(w[i]) != math.Float32bits(ww[i]) || m[i] != wm[i] || v[i] != wv[i] {
				t.Fatalf("element %d of %d: w, m, v = %v, %v, %v, want %v, %v, %v", i, n, w[i], m[i], v[i], ww[i], wm[i], wv[i])
			}
		}
	})
}
