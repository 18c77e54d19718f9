package kernels

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestConvGradPooled checks ConvGradPooled on every path against its loop summed in float64: 0 to
// 5 channels of 0 to 80 pooled pixels (every tail of the groups of 8, 16 and 32, channels sharing
// and not sharing their args' words) and of 255 to 530 (past the AVX-512 kernel's batches of 256),
// 1 to 10 window rows (past 6, the Go loop), gradients with zeros,
// -0, NaN and Inf, args 0..3 and others (4, 7, 128, 255), Inf in x, x, dy and arg ending at an unmapped page where the system has
// one, guards around dw and sentinels in its row padding, which must not be written.
func TestConvGradPooled(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(91)
		specials := []float32{0, 0, 0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(-1))}
		for c := 0; c <= 5; c++ {
			for nr := 1; nr <= 10; nr++ {
				for pq := 0; pq <= 80; pq += 1 + pq/8 {
					testConvGradPooledCase(t, r, specials, c, nr, pq)
				}
			}
		}
		for _, c := range []int{1, 5} {
			for _, nr := range []int{1, 5, 6} {
				for _, pq := range []int{255, 256, 257, 272, 530} {
					testConvGradPooledCase(t, r, specials, c, nr, pq)
				}
			}
		}
	})
}

// TestConvGradPooledSameBits: the assembly of every ISA this machine runs computes the loop in the
// same order, so gives the same bits (the AVX-512 kernel's lists against the AVX2 kernel's walk
// over the bits of its masks), for 7 channels of 300 pooled pixels and every number of rows.
func TestConvGradPooledSameBits(t *testing.T) {
	const c, pq = 7, 300
	r := newInput(5)
	var ran []string
	for nr := 1; nr <= convGradMaxRows; nr++ {
		rows := make([]int32, nr)
		for j := range rows {
			rows[j] = int32(j * 40)
		}
		base := make([]int32, pq)
		for i := range base {
			base[i] = int32(r.next() % 300)
		}
		pos := []int32{0, 1, 40, 41}
		x := make([]float32, 300+41+int(rows[nr-1])+8)
		for i := range x {
			x[i] = float32(r.uniform(-4, 4))
		}
		dy, arg := make([]float32, c*pq), make([]uint8, 4*((c+3)/4)*pq)
		for i := range dy {
			if r.next()%2 == 0 {
				dy[i] = float32(r.uniform(-2, 2))
			}
		}
		for i := range arg {
			arg[i] = uint8(r.next() % 5)
		}
		ldw := 8*nr + 1
		var first []float32
		ran = ran[:0]
		for _, tb := range supported {
			if !tb.convGradPooledAsm {
				continue
			}
			dw := make([]float32, c*ldw)
			tb.convGradPooled(dw, ldw, x, rows, dy, arg, base, pos)
			ran = append(ran, tb.name)
			if first == nil {
				first = dw
				continue
			}
			for i := range dw {
				if math.Float32bits(dw[i]) != math.Float32bits(first[i]) {
					t.Fatalf("%d rows: dw[%d] = %v on %s, %v on %s", nr, i, dw[i], tb.name, first[i], ran[0])
				}
			}
		}
	}
	if len(ran) < 2 {
		t.Skipf("fewer than two ISAs with ConvGradPooled in assembly here (%v): nothing to compare", ran)
	}
	t.Logf("the same bits on %v", ran)
}

func testConvGradPooledCase(t *testing.T, r *testInput, specials []float32, c, nr, pq int) {
	t.Helper()
	rows := make([]int32, nr)
	for j := range rows {
		rows[j] = int32(j*11 + int(r.next()%3))
	}
	base := make([]int32, pq)
	for i := range base {
		base[i] = int32(r.next() % 50)
	}
	pos := [4]int32{0, 1, int32(3 + r.next()%20), 0}
	pos[3] = pos[2] + 1
	nx := 0
	for _, b := range base {
		nx = max(nx, int(b)+int(pos[3])+int(rows[nr-1])+8)
	}
	x := make([]float32, nx)
	// One of x, dy and arg (by pq%3) ends at the unmapped page: they would share it.
	if pe := pageEnd[float32](t, nx); pe != nil && pq%3 == 0 {
		x = pe
	}
	for i := range x {
		x[i] = float32(r.uniform(-4, 4))
		if r.next()%200 == 0 {
			x[i] = float32(math.Inf(1))
		}
	}

	dy, arg := make([]float32, pq*c), make([]uint8, 4*((c+3)/4)*pq)
	if pe := pageEnd[float32](t, len(dy)); pe != nil && pq%3 == 1 {
		dy = pe
	}
	if pe := pageEndBytes8(t, len(arg)); pe != nil && pq%3 == 2 {
		arg = pe
	}
	for i := range dy {
		dy[i] = float32(r.uniform(-2, 2))
		if r.next()%2 == 0 {
			dy[i] = specials[r.next()%uint64(len(specials))]
		}
	}
	for i := range arg {
		arg[i] = uint8(r.next() % 4)
		if r.next()%3 == 0 {
			arg[i] = []uint8{4, 7, 255, 128}[r.next()%4]
		}
	}
	ldw := 8*nr + 1 + int(r.next()%4)
	n := max(c-1, 0)*ldw + 8*nr + 1
	const sentinel = float32(-12345)
	dw, check := guarded[float32](n, int(r.next()%16))
	want := make([]float64, n)
	written := make([]bool, n)
	for o := range c {
		for k := range 8*nr + 1 {
			written[o*ldw+k] = true
		}
	}
	for i := range dw {
		dw[i] = sentinel
		if written[i] {
			dw[i] = float32(r.uniform(-1, 1))
		}
		want[i] = float64(dw[i])
	}
	bound := make([]float64, n) // the sum of the magnitudes of the terms
	for o := range c {
		for q := range pq {
			a, g := arg[4*(o/4*pq+q)+o%4], dy[o*pq+q]
			if a > 3 || g == 0 {
				continue
			}
			at := int(base[q]) + int(pos[a])
			for j, rr := range rows {
				for l := range 8 {
					p := float64(g) * float64(x[at+int(rr)+l])
					want[o*ldw+8*j+l] += p
					bound[o*ldw+8*j+l] += math.Abs(p)
				}
			}
			want[o*ldw+8*nr] += float64(g)
			bound[o*ldw+8*nr] += math.Abs(float64(g))
		}
	}
	ConvGradPooled(dw, ldw, x, rows, dy, arg, base, pos[:])
	check(t)
	for k := range dw {
		got, w := float64(dw[k]), want[k]
		if !written[k] {
			if dw[k] != sentinel {
				t.Fatalf("c %d, %d rows, %d pixels: dw[%d] outside the rows written: %v", c, nr, pq, k, dw[k])
			}
			continue
		}
		ok := got == w || (got != got && w != w)
		if !ok && !math.IsInf(w, 0) && w == w {
			ok = math.Abs(got-w) <= 1e-6*(bound[k]+math.Abs(w)+1)
		}
		if !ok {
			t.Fatalf("c %d, %d rows, %d pixels, ldw %d: dw[%d] = %v, want %v", c, nr, pq, ldw, k, got, w)
		}
	}
}

// TestConvGradPooledPanics: misuse panics, naming the function and the sizes.
func TestConvGradPooledPanics(t *testing.T) {
	rows, base, pos := []int32{0, 10}, []int32{0, 2}, []int32{0, 1, 10, 11}
	x, dy, arg := make([]float32, 30), make([]float32, 6), make([]uint8, 8)
	dw := make([]float32, 2*17+17)
	// 3 channels of 2 pooled pixels.
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"pos not 4", "len(pos) = 3", func() { ConvGradPooled(dw, 17, x, rows, dy, arg, base, pos[:3]) }},
		{"no rows", "rows is empty", func() { ConvGradPooled(dw, 17, x, nil, dy, arg, base, pos) }},
		{"arg too short", "len(arg) = 7", func() { ConvGradPooled(dw, 17, x, rows, dy, arg[:7], base, pos) }},
		{"dy not whole channels", "len(dy) = 5", func() { ConvGradPooled(dw, 17, x, rows, dy[:5], arg, base, pos) }},
		{"ldw too small", "ldw = 16", func() { ConvGradPooled(dw, 16, x, rows, dy, arg, base, pos) }},
		{"dw too short", "dw of 40", func() { ConvGradPooled(dw[:40], 17, x, rows, dy, arg, base, pos) }},
		{"x too short", "outside x of 30", func() { ConvGradPooled(dw, 17, x, []int32{0, 11}, dy, arg, base, pos) }},
		{"negative offset", "x[-1:", func() { ConvGradPooled(dw, 17, x, []int32{-1}, dy, arg, base, pos) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.Contains(msg, "kernels.ConvGradPooled") || !strings.Contains(msg, c.want) {
					t.Fatalf("panic %q, want one naming kernels.ConvGradPooled and %q", msg, c.want)
				}
			}()
			c.f()
		})
	}
}

// BenchmarkConvGradPooled: SimpleConvNet's first layer (1 channel, 28x28, 5x5 kernels, 30 output
// channels pooled to 12x12), half the pooled outputs past the ReLU, a batch of 100
// images a call.
func BenchmarkConvGradPooled(b *testing.B) {
	const h, w, k, ph, images = 28, 28, 5, 12, 100
	r := newInput(3)
	rows := make([]int32, k)
	for j := range rows {
		rows[j] = int32(j * w)
	}
	base := make([]int32, 0, ph*ph)
	for qh := range ph {
		for qw := range ph {
			base = append(base, int32(2*qh*w+2*qw))
		}
	}
	pos := []int32{0, 1, w, w + 1}
	x := make([]float32, images*h*w+8)
	for i := range x {
		x[i] = float32(r.uniform(0, 1))
	}
	const out = 30 // channels
	const words = (out + 3) / 4 * 4
	dy, arg := make([]float32, images*ph*ph*out), make([]uint8, images*ph*ph*words)
	for i := range dy {
		dy[i] = float32(r.uniform(-1, 1))
	}
	for i := range arg {
		arg[i] = uint8(r.next() % 8) // half clamped
	}
	ldw := 8 * (k + 1)
	dw := make([]float32, out*ldw)
	for _, isa := range []string{"avx512", "avx2", "generic"} {
		b.Run(isa, func(b *testing.B) {
			useISA(b, isa)
			for b.Loop() {
				for n := range images {
					q, qa := ph*ph*out, ph*ph*words
					ConvGradPooled(dw, ldw, x[n*h*w:], rows, dy[n*q:(n+1)*q], arg[n*qa:(n+1)*qa], base, pos)
				}
			}
			b.SetBytes(int64(4 * (len(x) + 2*len(dy))))
			b.ReportMetric(float64(b.N*images*ph*ph*out)/2/b.Elapsed().Seconds()/1e9, "Gelem/s")
		})
	}
}
