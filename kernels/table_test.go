package kernels

import (
	"math"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestTablesComplete asserts that every table this build has sets every kernel: a nil field
// would panic only when that kernel is called on that path. It logs, per table, the kernels that
// still run the generic code there.
func TestTablesComplete(t *testing.T) {
	g := []reflect.Value{reflect.ValueOf(genericTable.f32), reflect.ValueOf(genericTable.f64)}
	for _, tb := range supported {
		var generic []string
		for j, o := range []reflect.Value{reflect.ValueOf(tb.f32), reflect.ValueOf(tb.f64)} {
			for i := range o.NumField() {
				f := o.Type().Field(i)
				if f.Name == "gemmFor" || f.Name == "gemmSparse" || f.Name == "gemmRows" { // optional
					continue
				}
				if o.Field(i).IsNil() {
					t.Errorf("%s table: %s.%s is nil", tb.name, o.Type().Name(), f.Name)
				} else if tb != genericTable && o.Field(i).Pointer() == g[j].Field(i).Pointer() {
					generic = append(generic, o.Type().Name()+"."+f.Name)
				}
			}
		}
		// The float32-only kernels of the table itself.
		for _, f := range []struct {
			name       string
			fn, genFun any
		}{{"adam", tb.adam, genericTable.adam}, {"pool", tb.pool, genericTable.pool}, {"poolGrad", tb.poolGrad, genericTable.poolGrad}, {"prefetch", tb.prefetch, genericTable.prefetch}} {
			v := reflect.ValueOf(f.fn)
			if v.IsNil() {
				t.Errorf("%s table: %s is nil", tb.name, f.name)
			} else if tb != genericTable && v.Pointer() == reflect.ValueOf(f.genFun).Pointer() {
				generic = append(generic, f.name)
			}
		}
		if len(generic) > 0 {
			t.Logf("%s table: generic code for %s", tb.name, strings.Join(generic, ", "))
		}
	}
}

// TestSetISAConcurrent switches the path back and forth while other goroutines run kernels: every
// call must finish on one table and give that path's answer (the race detector checks the
// switch itself under `go test -race`).
func TestSetISAConcurrent(t *testing.T) {
	prev := active.Load()
	defer active.Store(prev)
	const n = 1000
	src := make([]float32, n)
	r := newInput(7)
	for i := range src {
		src[i] = float32(r.uniform(-20, 20))
	}
	want := make([]float32, n)
	expRef(want, src)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := make([]float32, n)
			a, b, c := make([]float64, 32*32), make([]float64, 32*32), make([]float64, 32*32)
			for i := range a {
				a[i], b[i] = float64(i%7), float64(i%5)
			}
			for it := 0; !stop.Load() && it < 2000; it++ {
				Exp(dst, src)
				for i := range dst {
					if ulp(dst[i], want[i]) > expF32ULPs {
						t.Errorf("goroutine %d: Exp(%v) = %v, want %v", g, src[i], dst[i], want[i])
						return
					}
				}
				MatMul(c, a, b, 32, 32, 32)
				if s := Sum(c); s != sumSmallInts(a, b, 32) {
					t.Errorf("goroutine %d: sum of the product %v, want %v", g, s, sumSmallInts(a, b, 32))
					return
				}
			}
		}()
	}
	for i := 0; i < 200; i++ {
		SetISA(SupportedISAs()[i%len(supported)])
	}
	stop.Store(true)
	wg.Wait()
}

// sumSmallInts is the sum of the elements of the d x d product a*b of small integers, exact on
// every path.
func sumSmallInts(a, b []float64, d int) float64 {
	var s float64
	for i := range d {
		for j := range d {
			for l := range d {
				s += a[i*d+l] * b[l*d+j]
			}
		}
	}
	return math.Round(s)
}
