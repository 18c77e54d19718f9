package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
	"github.com/mmcloughlin/avo/reg"
)

// genExpCore emits ExpCoreF32AVX512 and ExpCoreF32AVX2, dst[i] = e^src[i] straight from the
// core (AVX-512: clamp to ±104, then exp; AVX2: scaleFast where the vector allows it, else
// clampSlow and scaleSlow), for TestExp32Core.
func genExpCore(c *build.Context) {
	tab := newConsts("expcoretestc")
	label := 0
	for _, v := range variants[:2] {
		f := newFn(c, "ExpCore", v, "func(dst, src []T)")
		f.doc(f.Name + " sets dst[i] = e^src[i] (a test of the core).")
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		e := f.newExp32(tab)
		e.load()
		if f.avx512() {
			f.VBROADCASTSS(e.nbound(), Z(22))
			f.VBROADCASTSS(e.bound(), Z(21))
		}
		f.unary(func(in Op, j int, out reg.VecPhysical) {
			if in != out {
				f.MOVU(in, out)
			}
			if f.avx512() {
				e.clamp(out, Z(22), Z(21))
				e.exp(0, expVec{X: out, T: Z(4 + 4*j), K: Z(5 + 4*j), P: Z(6 + 4*j), R: Z(7 + 4*j)})
				return
			}
			v := expVec{X: out, T: f.V(4 + 3*j), K: f.V(5 + 3*j), P: f.V(6 + 3*j)}
			label++
			slow, done := fmt.Sprintf("slow%d", label), fmt.Sprintf("done%d", label)
			e.fastCheck(out, v.T)
			f.VPTEST(v.T, v.T)
			f.JNZ(LabelRef(slow))
			e.exp(scaleFast, v)
			f.JMP(LabelRef(done))
			f.Label(slow)
			e.clampSlow(out, v.T)
			e.exp(scaleSlow, v)
			f.Label(done)
		})
	}
	tab.emit(c)
}

const expCoreTestGo = `package asm

import (
	"math"
	"os"
	"strings"
	"testing"
)

func ulps(a, b float32) int64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return 1 << 40
	}
	ia, ib := int64(math.Float32bits(a)), int64(math.Float32bits(b))
	if ia < 0x80000000 == (ib < 0x80000000) {
		if ia > ib {
			return ia - ib
		}
		return ib - ia
	}
	return (ia & 0x7fffffff) + (ib & 0x7fffffff)
}

func TestCore(t *testing.T) {
	info, _ := os.ReadFile("/proc/cpuinfo")
	has := func(s string) bool { return strings.Contains(string(info), " "+s) }
	fns := map[string]func(dst, src []float32){}
	if has("avx512f") {
		fns["AVX512"] = ExpCoreF32AVX512
	}
	if has("avx2") && has("fma") {
		fns["AVX2"] = ExpCoreF32AVX2
	}
	if len(fns) == 0 {
		t.Skip("no AVX2 or AVX-512")
	}
	var src []float32
	for b := uint64(0); b < 1<<32; b += 997 {
		src = append(src, math.Float32frombits(uint32(b)))
	}
	for x := float32(-110); x < 100; x += 0.001 {
		src = append(src, x)
	}
	src = append(src, float32(math.Inf(1)), float32(math.Inf(-1)), 88.72283, 88.72284, -87.33654,
		-103.97207, -103.97208, 0, float32(math.Copysign(0, -1)))
	for name, fn := range fns {
		dst := make([]float32, len(src))
		fn(dst, src)
		worst := int64(0)
		for i, x := range src {
			want := float32(math.Exp(float64(x)))
			if u := ulps(dst[i], want); u > worst {
				worst = u
				if u > 1 {
					t.Errorf("%s: e^%g = %g, want %g (%d ULP)", name, x, dst[i], want, u)
				}
			}
		}
		t.Logf("%s: worst %d ULP over %d inputs", name, worst, len(src))
	}
}
`

// TestExp32Core builds a package from the core alone (genExpCore) and tests it against math.Exp,
// within 1 ULP of float32(math.Exp(x)) (itself within 0.5 ULP but for double roundings) on a
// sample of every float32 and a dense grid over [-110, 100], on the ISAs this CPU has.
func TestExp32Core(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("amd64 only")
	}
	c := build.NewContext()
	c.ConstraintExpr(constraint)
	genExpCore(c)
	f, err := c.Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := pass.Compile.Execute(f); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := print(f, printer.NewGoAsm(config), filepath.Join(dir, "expcore_amd64.s")); err != nil {
		t.Fatal(err)
	}
	if err := print(f, printer.NewStubs(config), filepath.Join(dir, "expcore_amd64.go")); err != nil {
		t.Fatal(err)
	}
	if err := writeTailmask(dir); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"go.mod": "module expcoretest\n\ngo 1.26\n", "core_test.go": expCoreTestGo}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"vet", "."}, {"test", "-v", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		t.Logf("go %v:\n%s", args, out)
		if err != nil {
			t.Fatalf("go %v: %v", args, err)
		}
	}
}
