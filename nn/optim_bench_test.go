package nn

import "testing"

// benchParams are the parameters of the 784-512-512-10 MLP (669,706 scalars).
func benchParams() []*Param {
	m := NewSequential(NewDense(784, 512, nil, nil), NewDense(512, 512, nil, nil), NewDense(512, 10, nil, nil))
	for _, p := range m.Params() {
		for i := range p.Grad.Data {
			p.Grad.Data[i] = float32(i%7) * 1e-3
		}
	}
	return m.Params()
}

func benchOptimizer(b *testing.B, o Optimizer) {
	ps := benchParams()
	n := 0
	for _, p := range ps {
		n += len(p.Value.Data)
	}
	o.Step(ps)
	b.SetBytes(int64(n) * 4)
	b.ResetTimer()
	for range b.N {
		o.Step(ps)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
}

func BenchmarkSGD(b *testing.B)      { benchOptimizer(b, NewSGD(0)) }
func BenchmarkMomentum(b *testing.B) { benchOptimizer(b, NewMomentum(0, 0)) }
func BenchmarkAdaGrad(b *testing.B)  { benchOptimizer(b, NewAdaGrad(0)) }
func BenchmarkRMSProp(b *testing.B)  { benchOptimizer(b, NewRMSProp(0, 0)) }
func BenchmarkAdam(b *testing.B)     { benchOptimizer(b, NewAdam(0)) }
