package kernels

import (
	"math"
	"strings"
	"testing"
)

// mustPanic fails t unless f panics with a message containing every one of want.
func mustPanic(t *testing.T, f func(), want ...string) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one mentioning %q", want)
		}
		msg, _ := r.(string)
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Fatalf("panic %q does not mention %q", msg, w)
			}
		}
	}()
	f()
}

func TestLengthMismatchPanics(t *testing.T) {
	a, b := make([]float32, 3), make([]float32, 4)
	mustPanic(t, func() { Exp(a, b) }, "kernels.Exp", "3", "4")
	mustPanic(t, func() { Sigmoid(a, b) }, "kernels.Sigmoid", "3", "4")
	mustPanic(t, func() { Tanh(a, b) }, "kernels.Tanh", "3", "4")
	mustPanic(t, func() { ReLU(a, b) }, "kernels.ReLU", "3", "4")
	mustPanic(t, func() { Step(a, b) }, "kernels.Step", "3", "4")
	mustPanic(t, func() { Softmax(a, b, 1) }, "kernels.Softmax", "3", "4")
	mustPanic(t, func() { Dot(a, b) }, "kernels.Dot", "3", "4")
	mustPanic(t, func() { Axpy(1, a, b) }, "kernels.Axpy", "3", "4")
	mustPanic(t, func() { Scale(1, a, b) }, "kernels.Scale", "3", "4")
	mustPanic(t, func() { DivUint8(a, make([]uint8, 4), 255) }, "kernels.DivUint8", "3", "4")
	c := make([]float64, 6)
	mustPanic(t, func() { Softmax(c, c, 4) }, "kernels.Softmax", "cols = 4", "6")
	mustPanic(t, func() { Softmax(c, c, 0) }, "kernels.Softmax", "cols = 0")
}

func TestSetISA(t *testing.T) {
	prev := ISA()
	defer SetISA(prev)
	if err := SetISA("generic"); err != nil || ISA() != "generic" {
		t.Fatalf("SetISA(generic) = %v, ISA() = %s", err, ISA())
	}
	if err := SetISA("sse9"); err == nil || !strings.Contains(err.Error(), "unknown") {
		t.Fatalf("SetISA(sse9) = %v, want an unknown-ISA error", err)
	}
	if s := SupportedISAs(); s[len(s)-1] != "generic" {
		t.Fatalf("SupportedISAs() = %v does not end with generic", s)
	}
	for _, name := range AllISAs() {
		ok := false
		for _, s := range SupportedISAs() {
			ok = ok || s == name
		}
		if err := SetISA(name); (err == nil) != ok {
			t.Fatalf("SetISA(%s) = %v, but supported = %v", name, err, ok)
		}
	}
}

func TestULP(t *testing.T) {
	one := float32(1)
	next := math.Nextafter32(one, 2)
	if ulp(one, next) != 1 || ulp(next, one) != 1 || ulp(one, one) != 0 {
		t.Fatal("ulp around 1 is wrong")
	}
	if ulp(float32(0), float32(math.Copysign(0, -1))) != 0 {
		t.Fatal("+0 and -0 are not 0 ULP apart")
	}
	if ulp(float32(math.SmallestNonzeroFloat32), float32(-math.SmallestNonzeroFloat32)) != 2 {
		t.Fatal("ulp across zero is wrong")
	}
	if ulp(1.0, math.Nextafter(1, 0)) != 1 {
		t.Fatal("float64 ulp below 1 is wrong")
	}
	if ulp(float32(math.NaN()), 1) != math.MaxUint64 || ulp(float32(math.NaN()), float32(math.NaN())) != 0 {
		t.Fatal("NaN ulp is wrong")
	}
}
