package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
)

// compile generates one function with gen and returns its Go assembly.
func compile(t *testing.T, gen func(c *build.Context)) string {
	t.Helper()
	c := build.NewContext()
	gen(c)
	f, err := c.Result()
	if err == nil {
		err = pass.Compile.Execute(f)
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := printer.NewGoAsm(printer.Config{Name: "test", Pkg: "asm"}).Print(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}

// TestGemvTBlocks generates GemvT with other blockings than the shipped one and checks that avo
// compiles them and that each block multiplies-adds each of its rows once per vector of y: in the
// steps of unroll vectors (with the prefetches, and without them), of one vector, and in the
// tail; and that the prefetching step asks for each line of its vectors of each row once.
func TestGemvTBlocks(t *testing.T) {
	for _, blocks := range [][]int{{8, 4, 1}, {8, 1}, {4, 1}, {1}, {3, 1}} {
		for unroll := 1; unroll <= 4; unroll++ {
			for _, v := range variants {
				s := compile(t, func(c *build.Context) { gemvT(c, v, blocks, unroll) })
				want, lines := 0, 0
				for _, r := range blocks {
					want += r * (2*unroll + 2)
					lines += r * ((unroll*v.bytes + 63) / 64)
				}
				if got := strings.Count(s, "PREFETCHT0"); got != lines {
					t.Errorf("%v blocks %v unroll %d: %d prefetches, want %d", v, blocks, unroll, got, lines)
				}
				fma := "VFMADD231PS"
				if v.size == 8 {
					fma = "VFMADD231PD"
				}
				if got := strings.Count(s, fma); got != want {
					t.Errorf("%v blocks %v unroll %d: %d multiply-adds, want %d", v, blocks, unroll, got, want)
				}
				if !strings.Contains(s, "VZEROUPPER") {
					t.Errorf("%v: no VZEROUPPER", v)
				}
			}
		}
	}
}

// TestGemvN generates the shipped GemvN and checks the multiply-adds per block: 4 rows times (2
// vectors, then 1, then the tail), then 1 row the same, plus one fused multiply-add per block into y.
func TestGemvN(t *testing.T) {
	for _, v := range variants {
		s := compile(t, func(c *build.Context) { gemvN(c, v, nBlocks, nUnroll) })
		p := map[int]string{4: "PS", 8: "PD"}[v.size]
		sc := map[int]string{4: "SS", 8: "SD"}[v.size]
		if got, want := strings.Count(s, "VFMADD231"+p), 4*(nUnroll+2)+(nUnroll+2)+1; got != want {
			t.Errorf("%v: %d packed multiply-adds, want %d", v, got, want)
		}
		if got := strings.Count(s, "VFMADD231"+sc); got != 1 {
			t.Errorf("%v: %d scalar multiply-adds, want 1", v, got)
		}
	}
}

// TestGemvNRefusesOtherBlocks: the reduction is written for blocks of 4 rows and 2 vectors.
func TestGemvNRefusesOtherBlocks(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("GemvN with blocks of 8 rows was generated")
		}
	}()
	gemvN(build.NewContext(), variants[0], []int{8, 1}, 2)
}

func (v variant) String() string { return fmt.Sprintf("%s%s", v.elem.suffix, v.isa.suffix) }
