package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// refConv is the convolution of the rows of x by the definition, in float64: Conv2D's forward
// without im2col or products.
func refConv(l *Conv2D, x *Matrix) []float64 {
	g := l.g
	out := make([]float64, 0, x.Rows*l.Out*g.OH*g.OW)
	w, b := l.W.Value.Data, l.B.Value.Data
	for n := range x.Rows {
		xs := x.Row(n)
		for o := range l.Out {
			for i := range g.OH {
				for j := range g.OW {
					s := float64(b[o])
					for c := range l.In {
						for ki := range l.KH {
							for kj := range l.KW {
								ih, iw := i*l.Stride-l.Pad+ki, j*l.Stride-l.Pad+kj
								if ih < 0 || ih >= g.H || iw < 0 || iw >= g.W {
									continue
								}
								s += float64(w[((o*l.In+c)*l.KH+ki)*l.KW+kj]) * float64(xs[(c*g.H+ih)*g.W+iw])
							}
						}
					}
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// convCases are geometries worth checking: square and rectangular kernels, strides, padding,
// several channels, an input no larger than the padded kernel, 1x1.
var convCases = []struct {
	in, out, kh, kw, stride, pad int
	shape                        Shape
}{
	{1, 30, 5, 5, 1, 0, Shape{1, 12, 12}},
	{3, 4, 3, 3, 1, 1, Shape{3, 7, 6}},
	{2, 5, 3, 2, 2, 0, Shape{2, 9, 8}},
	{2, 3, 4, 4, 3, 2, Shape{2, 10, 11}},
	{4, 6, 1, 1, 1, 0, Shape{4, 3, 5}},
	{1, 2, 3, 3, 1, 1, Shape{1, 1, 1}},
	{3, 7, 5, 3, 2, 1, Shape{3, 5, 3}},
	{16, 9, 3, 3, 1, 1, Shape{16, 6, 6}},
}

// TestConv2DForward compares Conv2D's forward and Infer with the definition, on every ISA path.
func TestConv2DForward(t *testing.T) {
	prev := kernels.ISA()
	defer kernels.SetISA(prev)
	for _, isa := range kernels.SupportedISAs() {
		if err := kernels.SetISA(isa); err != nil {
			t.Fatal(err)
		}
		for _, c := range convCases {
			rng := NewRand(uint64(c.in*100 + c.kh))
			l := NewConv2D(c.in, c.out, c.kh, c.kw, c.stride, c.pad, nil, rng)
			for i := range l.B.Value.Data {
				l.B.Value.Data[i] = float32(i)*0.1 - 0.2
			}
			out, err := l.Build(c.shape)
			if err != nil {
				t.Fatalf("%s: %v", l.Name(), err)
			}
			for _, rows := range []int{1, 5} {
				x := randMatrix(rng, rows, c.shape.Size(), -1, 1)
				want := refConv(l, x)
				y := l.Forward(x, true)
				if y.Rows != rows || y.Cols != out.Size() || len(want) != len(y.Data) {
					t.Fatalf("%s on %s: output %s, want %dx%d", l.Name(), c.shape, y.Shape(), rows, out.Size())
				}
				yi := NewMatrix(rows, out.Size())
				l.Infer(yi, x)
				for i, w := range want {
					tol := 1e-5 * (1 + math.Abs(w))
					if d := math.Abs(float64(y.Data[i]) - w); !(d <= tol) {
						t.Fatalf("%s %s on %s, %d rows: output %d is %g, want %g", isa, l.Name(), c.shape, rows, i, y.Data[i], w)
					}
					if yi.Data[i] != y.Data[i] {
						t.Fatalf("%s %s: Infer gives %g at %d, Forward %g", isa, l.Name(), yi.Data[i], i, y.Data[i])
					}
				}
			}
		}
	}
}

// TestIm2colAdjoint: col2im is the adjoint of im2col, <im2col(x), c> = <x, col2im(c)>, for every
// geometry (so the input gradient is right wherever the forward is).
func TestIm2colAdjoint(t *testing.T) {
	rng := NewRand(3)
	for _, c := range convCases {
		g, ok := newGeom(c.shape, c.kh, c.kw, c.stride, c.pad)
		if !ok {
			t.Fatalf("geometry %v", c)
		}
		k, p := c.in*c.kh*c.kw, g.positions()
		x := randMatrix(rng, 1, g.inSize(), -1, 1).Data
		cm := randMatrix(rng, 1, k*p, -1, 1).Data
		col := make([]float32, k*p)
		pad := make([]float32, g.padScratch())
		im2col(col, p, x, &g, pad)
		dx := make([]float32, len(x))
		col2im(dx, cm, p, &g, pad)
		var a, b float64
		for i := range col {
			a += float64(col[i]) * float64(cm[i])
		}
		for i := range x {
			b += float64(x[i]) * float64(dx[i])
		}
		if math.Abs(a-b) > 1e-4*(1+math.Abs(a)) {
			t.Errorf("%v: <im2col(x), c> = %g, <x, col2im(c)> = %g", c, a, b)
		}
	}
}

// spaced returns a rows x cols matrix of distinct values at least 0.05 apart (a shuffled ramp),
// away from 0: the maxima of pooling windows (and ReLU's kinks) do not move under the gradient
// check's steps of 0.01.
func spaced(rng *rand.Rand, rows, cols int) *Matrix {
	m := NewMatrix(rows, cols)
	n := len(m.Data)
	for i, j := range rng.Perm(n) {
		v := 0.05 * float32(j-n/2)
		if v >= 0 {
			v += 0.025
		}
		m.Data[i] = v
	}
	return m
}

// TestGradCheckCNNLayers checks the backward pass of every new layer (every parameter and the
// input) against central differences.
func TestGradCheckCNNLayers(t *testing.T) {
	rng := NewRand(11)
	cases := []struct {
		l  Layer
		in Shape
	}{
		{NewConv2D(1, 3, 3, 3, 1, 0, XavierNormal, rng), Shape{1, 5, 5}},
		{NewConv2D(2, 3, 3, 2, 2, 1, XavierNormal, rng), Shape{2, 6, 5}},
		{NewConv2D(3, 2, 2, 2, 1, 1, XavierNormal, rng), Shape{3, 3, 4}},
		{NewConv2D(2, 2, 5, 5, 1, 2, XavierNormal, rng), Shape{2, 4, 4}},
		{NewMaxPool2D(2, 2), Shape{2, 4, 6}},
		{NewMaxPool2D(3, 2), Shape{2, 7, 5}},
		{NewMaxPool2D(2, 1), Shape{1, 4, 4}},
		{NewAvgPool2D(2, 2), Shape{2, 4, 5}},
		{NewAvgPool2D(3, 1), Shape{2, 5, 4}},
		{NewFlatten(), Shape{3, 2, 2}},
	}
	for _, c := range cases {
		t.Run(c.l.Name(), func(t *testing.T) {
			if _, err := c.l.(Builder).Build(c.in); err != nil {
				t.Fatal(err)
			}
			if cv, ok := c.l.(*Conv2D); ok {
				for i := range cv.B.Value.Data {
					cv.B.Value.Data[i] = 0.1 * float32(i+1)
				}
			}
			checkLayer(t, c.l, spaced(rng, 3, c.in.Size()), true)
		})
	}
}

// smallCNN is a model with every new layer, both ReLU fusions and a Dense head, for samples of
// 2x9x9.
func smallCNN(seed uint64) *Sequential {
	rng := NewRand(seed)
	m, err := Build(Shape{2, 9, 9},
		NewConv2D(2, 4, 3, 3, 1, 1, nil, rng), NewReLU(), NewMaxPool2D(2, 2), // 4x4x4
		NewConv2D(4, 5, 2, 2, 1, 0, nil, rng), NewReLU(), // 5x3x3
		NewConv2D(5, 3, 1, 1, 1, 0, nil, rng), NewAvgPool2D(2, 1), // 3x2x2
		NewFlatten(), NewDense(12, 6, nil, rng), NewReLU(), NewDense(6, 3, nil, rng),
	)
	if err != nil {
		panic(err)
	}
	for _, p := range m.Params() {
		if !p.Decay { // biases: not zero, so that they matter
			for i := range p.Value.Data {
				p.Value.Data[i] = 0.05 * float32(i%5-2)
			}
		}
	}
	return m
}

// TestGradCheckCNNModel runs GradCheck on a CNN on every ISA path: convolutions with padding and
// stride, one feeding another (so the input gradient of the second passes through col2im), pooling
// and a Dense head. Its activations are smooth (Tanh, average pooling): a ReLU or a maximum would
// put kinks in the loss that the perturbed weights cross. The layers with kinks are checked alone
// (TestGradCheckCNNLayers, with inputs away from them), and the fused ReLUs are checked against the
// layers run one by one (TestFusedReLUSameResults).
func TestGradCheckCNNModel(t *testing.T) {
	prev := kernels.ISA()
	defer kernels.SetISA(prev)
	for _, isa := range kernels.SupportedISAs() {
		if err := kernels.SetISA(isa); err != nil {
			t.Fatal(err)
		}
		t.Run(isa, func(t *testing.T) {
			rng := NewRand(5)
			m, err := Build(Shape{2, 9, 8},
				NewConv2D(2, 4, 3, 3, 1, 1, XavierNormal, rng), NewTanh(), NewAvgPool2D(2, 2), // 4x4x4
				NewConv2D(4, 5, 3, 2, 2, 1, XavierNormal, rng), NewTanh(), // 5x2x3
				NewFlatten(), NewDense(30, 3, XavierNormal, rng),
			)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range m.Params() {
				if !p.Decay {
					for i := range p.Value.Data {
						p.Value.Data[i] = 0.05 * float32(i%5-2)
					}
				}
			}
			x := randMatrix(NewRand(6), 4, 2*9*8, -1, 1)
			res := GradCheck(m, NewSoftmaxCrossEntropy(), x, Labels([]int{0, 2, 1, 2}), gradStep)
			if len(res) != len(m.Params())+1 {
				t.Fatalf("%d results for %d parameters and the input", len(res), len(m.Params()))
			}
			for _, r := range res {
				t.Log(r)
				if !(r.MaxRelErr <= gradCheckTol) {
					t.Errorf("%s exceeds %g", r, gradCheckTol)
				}
			}
		})
	}
}

// otherCNN has the fusions smallCNN lacks: a ReLU before a 3x3 pooling (the pair), a triple over
// an odd-sized input, for samples of 2x11x11.
// padCNN has two convolution, ReLU and pooling triples whose products kernels.ConvPixels takes on
// AVX-512 (32 channels padded, rows of 8 and 4 pixels, padding 1), the first layer's weight
// gradient from its pooled gradient, the second's input gradient too.
func padCNN(seed uint64) *Sequential {
	rng := NewRand(seed)
	m, err := Build(Shape{1, 8, 8},
		NewConv2D(1, 24, 3, 3, 1, 1, nil, rng), NewReLU(), NewMaxPool2D(2, 2), // 24x4x4
		NewConv2D(24, 17, 3, 3, 1, 1, nil, rng), NewReLU(), NewMaxPool2D(2, 2), // 17x2x2
		NewFlatten(), NewDense(68, 3, nil, rng),
	)
	if err != nil {
		panic(err)
	}
	for _, p := range m.Params() {
		if !p.Decay { // biases: not zero, so that they matter
			for i := range p.Value.Data {
				p.Value.Data[i] = float32(rng.NormFloat64() * 0.1)
			}
		}
	}
	return m
}

func otherCNN(seed uint64) *Sequential {
	rng := NewRand(seed)
	m, err := Build(Shape{2, 11, 11},
		NewConv2D(2, 4, 3, 3, 1, 1, nil, rng), NewReLU(), NewMaxPool2D(3, 2), // 4x5x5
		NewConv2D(4, 20, 2, 2, 1, 0, nil, rng), NewReLU(), NewMaxPool2D(2, 2), // 20x2x2 (of 4x4)
		NewFlatten(), NewDense(80, 3, nil, rng),
	)
	if err != nil {
		panic(err)
	}
	return m
}

// TestFusedReLUSameResults: the fused ReLUs (before a MaxPool2D, after a Conv2D, and the
// convolution, ReLU, pooling triple) give the same outputs, input gradient and parameter
// gradients, bit for bit, as the layers run one by one; with a NaN in the input too.
func TestFusedReLUSameResults(t *testing.T) {
	defer func() { fuseLayers = true }()
	models := []struct {
		name  string
		m     func(uint64) *Sequential
		shape Shape
	}{{"smallCNN", smallCNN, Shape{2, 9, 9}}, {"otherCNN", otherCNN, Shape{2, 11, 11}}, {"padCNN", padCNN, Shape{1, 8, 8}}}
	for _, c := range models {
		for _, nan := range []bool{false, true} {
			run := func(fuse bool) (y, dx []float32, grads [][]float32) {
				fuseLayers = fuse
				m := c.m(7)
				x := randMatrix(NewRand(8), 6, c.shape.Size(), -1, 1)
				if nan {
					x.Data[3*c.shape.Size()+17] = float32(math.NaN())
				}
				loss := NewSoftmaxCrossEntropy()
				out := m.Forward(x, true)
				loss.Forward(out, Labels([]int{0, 1, 2, 0, 1, 2}))
				dx = m.Backward(loss.Backward()).Clone().Data
				for _, p := range m.Params() {
					grads = append(grads, p.Grad.Clone().Data)
				}
				return out.Clone().Data, dx, grads
			}
			y0, dx0, g0 := run(false)
			y1, dx1, g1 := run(true)
			same := func(a, b []float32) bool {
				for i := range a {
					if math.Float32bits(a[i]) != math.Float32bits(b[i]) && !(a[i] != a[i] && b[i] != b[i]) {
						return false
					}
				}
				return len(a) == len(b)
			}
			if !same(y0, y1) || !same(dx0, dx1) {
				t.Fatalf("%s, NaN %v: fused and unfused differ: outputs %v / %v", c.name, nan, y0[:6], y1[:6])
			}
			for i := range g0 {
				if !same(g0[i], g1[i]) {
					t.Fatalf("%s, NaN %v: gradient %d differs between the fused and the unfused runs", c.name, nan, i)
				}
			}
			if nan && (y1[0] != y1[0] || y1[3*3] == y1[3*3]) {
				t.Errorf("%s: the NaN of sample 3 did not reach its output alone: %v", c.name, y1)
			}
		}
	}
	small, other, pad := smallCNN(1).Layers, otherCNN(1).Layers, padCNN(1).Layers
	if fusedAt(small, 0) != fuseConvReLUPool || fusedAt(small, 3) != fuseConvReLU || fusedAt(small, 1) != fuseReLUPool ||
		fusedAt(other, 0) != fuseNone || fusedAt(other, 1) != fuseReLUPool || fusedAt(other, 3) != fuseConvReLUPool ||
		fusedAt(pad, 0) != fuseConvReLUPool || fusedAt(pad, 3) != fuseConvReLUPool {
		t.Fatal("the fusions were not found where expected")
	}
	direct := []bool{other[3].(*Conv2D).pixelsDirect(), pad[0].(*Conv2D).pixelsDirect(), pad[3].(*Conv2D).pixelsDirect()}
	t.Logf("%s: the products of otherCNN's second and padCNN's convolutions from the input where it lies (kernels.ConvPixels): %v", kernels.ISA(), direct)
	if kernels.ConvPixelsAssembly(32, 3, 4) && slices.Contains(direct, false) {
		t.Fatalf("kernels.ConvPixels is assembly on %s, yet the convolutions take it %v", kernels.ISA(), direct)
	}
}

// TestMaxPoolRoutes pins MaxPool2D's values, where its gradient goes (first maximum on ties) and
// the fused ReLU.
func TestMaxPoolRoutes(t *testing.T) {
	l := NewMaxPool2D(2, 2)
	if _, err := l.Build(Shape{1, 2, 4}); err != nil {
		t.Fatal(err)
	}
	x := FromSlice(1, 8, []float32{1, 3, -2, -5, 3, 0, -1, -3})
	y := l.Forward(x, true)
	if !equal(y.Data, []float32{3, -1}) {
		t.Fatalf("MaxPool2D(2) = %v, want [3 -1]", y.Data)
	}
	dx := l.Backward(FromSlice(1, 2, []float32{10, 20}))
	if want := []float32{0, 10, 0, 0, 0, 0, 20, 0}; !equal(dx.Data, want) {
		t.Fatalf("dx = %v, want %v", dx.Data, want)
	}
	y = l.forward(x, true)
	if !equal(y.Data, []float32{3, 0}) {
		t.Fatalf("MaxPool2D with ReLU = %v, want [3 0]", y.Data)
	}
	dx = l.backward(FromSlice(1, 2, []float32{10, 20}), true)
	if want := []float32{0, 10, 0, 0, 0, 0, 0, 0}; !equal(dx.Data, want) {
		t.Fatalf("dx with ReLU = %v, want %v", dx.Data, want)
	}
	nan := float32(math.NaN())
	y = l.Forward(FromSlice(1, 8, []float32{1, nan, 2, 1, 5, 0, 0, 0}), false)
	if y.Data[0] == y.Data[0] || y.Data[1] != 2 {
		t.Fatalf("MaxPool2D of a window with a NaN = %v, want [NaN 2]", y.Data)
	}
	a := NewAvgPool2D(2, 2)
	a.Build(Shape{1, 2, 4})
	if y := a.Forward(x, true); !equal(y.Data, []float32{1.75, -2.75}) {
		t.Fatalf("AvgPool2D(2) = %v", y.Data)
	}
}

// TestBuildErrors: shapes are checked when the model is built, and the errors name the layer and
// the shapes.
func TestBuildErrors(t *testing.T) {
	rng := NewRand(1)
	cases := []struct {
		in     Shape
		layers []Layer
		want   []string
	}{
		{Shape{3, 28, 28}, []Layer{NewConv2D(1, 4, 5, 5, 1, 0, nil, rng)}, []string{"layer 0", "Conv2D(1, 4, 5x5)", "3x28x28", "3 channels, want 1"}},
		{Shape{1, 4, 4}, []Layer{NewConv2D(1, 4, 5, 5, 1, 0, nil, rng)}, []string{"layer 0", "1x4x4", "smaller than the 5x5 kernel"}},
		{Shape{1, 28, 28}, []Layer{NewConv2D(1, 30, 5, 5, 1, 0, nil, rng), NewReLU(), NewMaxPool2D(2, 2), NewFlatten(), NewDense(4000, 100, nil, rng)},
			[]string{"layer 4, Dense(4000, 100)", "layer 3, Flatten, gives 4320", "want 4000"}},
		{Shape{1, 28, 28}, []Layer{NewConv2D(1, 30, 5, 5, 1, 0, nil, rng), NewMaxPool2D(2, 2), NewDense(4000, 100, nil, rng)},
			[]string{"layer 2, Dense(4000, 100)", "layer 1, MaxPool2D(2), gives 30x12x12 (4320 values)"}},
		{Shape{1, 3, 3}, []Layer{NewMaxPool2D(4, 4)}, []string{"layer 0", "MaxPool2D(4)", "1x3x3", "smaller than the 4x4 window"}},
		{Shape{784, 1, 1}, []Layer{NewDense(784, 10, nil, rng), NewConv2D(1, 2, 3, 3, 1, 0, nil, rng)}, []string{"layer 1", "Conv2D(1, 2, 3x3)", "input 10x1x1 has 10 channels, want 1"}},
		{Shape{0, 28, 28}, nil, []string{"0x28x28", "not positive"}},
	}
	for _, c := range cases {
		_, err := Build(c.in, c.layers...)
		if err == nil {
			t.Errorf("Build(%s, ...) succeeded", c.in)
			continue
		}
		for _, w := range c.want {
			if !contains(err.Error(), w) {
				t.Errorf("Build(%s): %q does not mention %q", c.in, err, w)
			}
		}
	}
	// A model that was not built: the convolution says so when it runs.
	m := NewSequential(NewConv2D(1, 2, 3, 3, 1, 0, nil, rng))
	mustPanic(t, func() { m.Forward(NewMatrix(1, 25), true) }, "Conv2D(1, 2, 3x3).Forward", "not set", "nn.Build")
	mustPanic(t, func() { m.Predict(NewMatrix(1, 25)) }, "Conv2D(1, 2, 3x3)", "not set")
	// A built one checks the width of its input, and Add checks what is added.
	m, err := Build(Shape{1, 5, 5}, NewConv2D(1, 2, 3, 3, 1, 0, nil, rng))
	if err != nil {
		t.Fatal(err)
	}
	mustPanic(t, func() { m.Forward(NewMatrix(1, 24), true) }, "Conv2D(1, 2, 3x3).Forward", "1x24", "25 columns", "1x5x5")
	mustPanic(t, func() { m.Add(NewMaxPool2D(4, 4)) }, "nn.Sequential.Add", "layer 1", "2x3x3", "smaller than the 4x4 window")
	m.Add(NewFlatten())
	m.Add(NewDense(18, 3, nil, rng))
	if out, ok := m.OutputShape(); !ok || out != Flat(3) {
		t.Errorf("OutputShape = %v, %v", out, ok)
	}
	if in, ok := m.InputShape(); !ok || in != (Shape{1, 5, 5}) {
		t.Errorf("InputShape = %v, %v", in, ok)
	}
	if got := m.String(); got != "Conv2D(1, 2, 3x3) -> Flatten -> Dense(18, 3)" {
		t.Errorf("String = %q", got)
	}
	mustPanic(t, func() { NewConv2D(1, 2, 0, 3, 1, 0, nil, nil) }, "nn.NewConv2D", "kernel 0x3")
	mustPanic(t, func() { NewMaxPool2D(2, 0) }, "nn.NewMaxPool2D", "stride 0")
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestConvNames pins the names, which label parameters and appear in errors.
func TestConvNames(t *testing.T) {
	for _, c := range []struct {
		l    Layer
		want string
	}{
		{NewConv2D(1, 30, 5, 5, 1, 0, nil, nil), "Conv2D(1, 30, 5x5)"},
		{NewConv2D(3, 8, 3, 1, 2, 1, nil, nil), "Conv2D(3, 8, 3x1, stride 2, pad 1)"},
		{NewMaxPool2D(2, 2), "MaxPool2D(2)"},
		{NewMaxPool2D(3, 2), "MaxPool2D(3, stride 2)"},
		{NewAvgPool2D(2, 2), "AvgPool2D(2)"},
		{NewFlatten(), "Flatten"},
	} {
		if got := c.l.Name(); got != c.want {
			t.Errorf("Name = %q, want %q", got, c.want)
		}
	}
	if p := NewConv2D(1, 30, 5, 5, 1, 0, nil, nil).Params(); p[0].Name != "Conv2D(1, 30, 5x5).W" || p[0].Value.Rows != 30 || p[0].Value.Cols != 25 || p[1].Value.Cols != 30 {
		t.Errorf("params %s %s", p[0].Name, p[0].Value.Shape())
	}
}

// TestConvInit: He initialisation with fan-in in*kh*kw.
func TestConvInit(t *testing.T) {
	l := NewConv2D(16, 64, 3, 3, 1, 1, nil, NewRand(1))
	var s float64
	for _, v := range l.W.Value.Data {
		s += float64(v) * float64(v)
	}
	std := math.Sqrt(s / float64(len(l.W.Value.Data)))
	if want := math.Sqrt(2.0 / (16 * 9)); math.Abs(std-want) > 0.03*want {
		t.Errorf("weight standard deviation %g, want He's %g", std, want)
	}
	for _, v := range l.B.Value.Data {
		if v != 0 {
			t.Fatal("bias not zero")
		}
	}
}

// TestCNNThreads: the batch split over goroutines gives the same results whatever GOMAXPROCS.
func TestCNNThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var ref []float32
	for _, procs := range []int{1, 2, 3, 7} {
		runtime.GOMAXPROCS(procs)
		m := smallCNN(9)
		x := randMatrix(NewRand(10), 11, 2*9*9, -1, 1)
		loss := NewSoftmaxCrossEntropy()
		loss.Forward(m.Forward(x, true), Labels([]int{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1}))
		m.Backward(loss.Backward())
		var got []float32
		for _, p := range m.Params() {
			got = append(got, p.Grad.Data...)
		}
		got = append(got, m.Predict(x).Data...)
		if ref == nil {
			ref = got
			continue
		}
		for i := range ref {
			if d := math.Abs(float64(got[i] - ref[i])); d > 1e-5*(1+math.Abs(float64(ref[i]))) {
				t.Fatalf("GOMAXPROCS %d: value %d is %g, with 1 it is %g", procs, i, got[i], ref[i])
			}
		}
	}
}

// TestCNNStepNoAllocs: after the first iteration a training step of a CNN allocates nothing,
// with the batch split over goroutines.
func TestCNNStepNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		m := smallCNN(1)
		tr := NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(1e-3))
		x := randMatrix(NewRand(2), 16, 2*9*9, -1, 1)
		y := Labels([]int{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0})
		if a := allocsPerRun(20, func() { tr.Step(x, y) }); a != 0 {
			t.Errorf("GOMAXPROCS %d: %v allocations per step", procs, a)
		}
	}
	// SimpleConvNet at its size, a batch of 100 over two goroutines.
	runtime.GOMAXPROCS(2)
	rng := NewRand(1)
	m, err := Build(Shape{1, 28, 28},
		NewConv2D(1, 30, 5, 5, 1, 0, nil, rng), NewReLU(), NewMaxPool2D(2, 2), NewFlatten(),
		NewDense(4320, 100, nil, rng), NewReLU(), NewDense(100, 10, nil, rng))
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(1e-3))
	x, y := randMatrix(rng, 100, 784, 0, 1), Labels(make([]int, 100))
	if a := allocsPerRun(3, func() { tr.Step(x, y) }); a != 0 {
		t.Errorf("SimpleConvNet: %v allocations per step", a)
	}
}

func ExampleBuild() {
	rng := NewRand(1)
	m, err := Build(Shape{1, 28, 28},
		NewConv2D(1, 30, 5, 5, 1, 0, nil, rng), NewReLU(), NewMaxPool2D(2, 2), NewFlatten(),
		NewDense(30*12*12, 100, nil, rng), NewReLU(), NewDense(100, 10, nil, rng),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := m.OutputShape()
	fmt.Println(m)
	fmt.Println(m.NumParams(), "parameters,", out, "outputs")
	// Output:
	// Conv2D(1, 30, 5x5) -> ReLU -> MaxPool2D(2) -> Flatten -> Dense(4320, 100) -> ReLU -> Dense(100, 10)
	// 433890 parameters, 10 outputs
}

// TestCNNConcurrentInference: many goroutines predict with one CNN at once (sharing the workers
// that split each call's batch) and get what one alone gets; run it under -race.
func TestCNNConcurrentInference(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, m := range []*Sequential{smallCNN(3), otherCNN(3)} {
		in, _ := m.InputShape()
		xs := make([]*Matrix, 8)
		want := make([]*Matrix, len(xs))
		for i := range xs {
			xs[i] = randMatrix(NewRand(uint64(i)), 3+5*i, in.Size(), -1, 1)
			want[i] = m.Predict(xs[i])
		}
		errs := make(chan string, len(xs)*4)
		var wg sync.WaitGroup
		for rep := range 4 {
			for i := range xs {
				wg.Go(func() {
					got := m.Predict(xs[i])
					if !equal(got.Data, want[i].Data) {
						errs <- fmt.Sprintf("goroutine %d/%d: the prediction differs", i, rep)
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}

// TestCNNPredictBlocks: Predict (the layers' Infer, in blocks of rows) gives what Forward in
// evaluation mode gives, whatever the block size and GOMAXPROCS.
func TestCNNPredictBlocks(t *testing.T) {
	defer func(b int) { blockFloats = b }(blockFloats)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, m := range []*Sequential{smallCNN(4), otherCNN(4)} {
		in, _ := m.InputShape()
		x := randMatrix(NewRand(5), 23, in.Size(), -1, 1)
		want := m.Forward(x, false).Clone()
		for _, bf := range []int{1, 1000, 1 << 18} {
			for _, procs := range []int{1, 3} {
				blockFloats = bf
				runtime.GOMAXPROCS(procs)
				got := m.Predict(x)
				for i := range want.Data {
					if d := math.Abs(float64(got.Data[i] - want.Data[i])); d > 1e-5*(1+math.Abs(float64(want.Data[i]))) {
						t.Fatalf("blockFloats %d, GOMAXPROCS %d: output %d is %g, Forward gives %g", bf, procs, i, got.Data[i], want.Data[i])
					}
				}
			}
		}
	}
}

// TestMaxPoolBackwardAfterFusedForward: after Sequential's fused convolution, ReLU and pooling,
// the pooling's backward with the fused ReLU (its args then in pixel order) gives the input
// gradient it gives after its own forward with the fused ReLU on the convolution's output.
func TestMaxPoolBackwardAfterFusedForward(t *testing.T) {
	defer func() { fuseLayers = true }()
	run := func(fuse bool) []float32 {
		fuseLayers = fuse
		m := smallCNN(3)
		x := randMatrix(NewRand(4), 5, 2*9*9, -1, 1)
		p := m.Layers[2].(*MaxPool2D)
		if fuse {
			m.Forward(x, true)
		} else {
			p.forward(m.Layers[0].Forward(x, true), true)
		}
		if fuse != (p.pixelStride > 0) {
			t.Fatalf("fuse %v: the pooling's args are in pixel order: %v", fuse, p.pixelStride > 0)
		}
		d := randMatrix(NewRand(5), 5, p.outShape().Size(), -1, 1)
		return p.backward(d, true).Clone().Data
	}
	unfused, fused := run(false), run(true)
	for i := range unfused {
		if math.Float32bits(unfused[i]) != math.Float32bits(fused[i]) {
			t.Fatalf("dx[%d] = %v after the fused forward, %v after the pooling's own", i, fused[i], unfused[i])
		}
	}
}

// TestConvPoolInferSameResults: inference runs the convolution, ReLU and pooling triple as one
// step, which predicts what the layers one by one predict, bit for bit, with a NaN in a sample
// too (that sample alone takes the exact way), and calls may run at once.
func TestConvPoolInferSameResults(t *testing.T) {
	defer func() { fuseLayers = true }()
	for _, c := range []struct {
		name  string
		m     func(uint64) *Sequential
		shape Shape
		nan   bool
		steps int // fused steps in the plan
	}{{"smallCNN", smallCNN, Shape{2, 9, 9}, true, 1}, {"otherCNN", otherCNN, Shape{2, 11, 11}, true, 1},
		{"otherCNN", otherCNN, Shape{2, 11, 11}, false, 1}, {"padCNN", padCNN, Shape{1, 8, 8}, true, 2}, {"padCNN", padCNN, Shape{1, 8, 8}, false, 2}} {
		x := randMatrix(NewRand(8), 7, c.shape.Size(), -1, 1)
		if c.nan {
			x.Data[4*c.shape.Size()+5] = float32(math.NaN())
		}
		predict := func(fuse bool) []float32 {
			fuseLayers = fuse
			m := c.m(3)
			run, _, ok := m.plan(c.shape.Size())
			fusedSteps := 0
			for _, s := range run {
				if _, f := s.(*convPoolInfer); f {
					fusedSteps++
				}
			}
			if !ok || fusedSteps != map[bool]int{false: 0, true: c.steps}[fuse] {
				t.Fatalf("%s, fusions %v: %d fused convolution steps in the plan", c.name, fuse, fusedSteps)
			}
			return m.Predict(x).Data
		}
		want, got := predict(false), predict(true)
		for i := range want {
			if math.Float32bits(want[i]) != math.Float32bits(got[i]) && !(want[i] != want[i] && got[i] != got[i]) {
				t.Fatalf("%s: prediction %d = %v fused, %v layer by layer", c.name, i, got[i], want[i])
			}
		}
		if c.nan && (got[4*3] == got[4*3] || got[0] != got[0]) {
			t.Fatalf("%s: the NaN of sample 4 did not reach its prediction alone: %v", c.name, got)
		}
	}
}
