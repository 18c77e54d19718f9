package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
)

// TestTiles generates tiles other than the shipped ones (every row count the addressing
// reaches, narrow vectors) and checks that avo compiles them and that each row of A is read.
func TestTiles(t *testing.T) {
	var tiles []tile
	for rows := 1; rows <= 18; rows++ {
		tiles = append(tiles, tile{name: fmt.Sprintf("R%dF32AVX512", rows), elem: f32, isa: avx512, rows: rows, vecs: []int{512}})
	}
	tiles = append(tiles,
		tile{name: "F64AVX2x3", elem: f64, isa: avx2, rows: 3, vecs: []int{256, 256, 256}},
		tile{name: "F64Wide", elem: f64, isa: avx512, rows: 4, vecs: []int{512, 512, 256}},
	)
	for _, tl := range tiles {
		c := build.NewContext()
		microKernel(c, tl)
		f, err := c.Result()
		if err == nil {
			err = pass.Compile.Execute(f)
		}
		if err != nil {
			t.Fatalf("%s: %v", tl.name, err)
		}
		s, err := printer.NewGoAsm(printer.Config{Name: "test", Pkg: "asm"}).Print(f)
		if err != nil {
			t.Fatalf("%s: %v", tl.name, err)
		}
		bc := "VBROADCASTSS"
		if tl.elem.size == 8 {
			bc = "VBROADCASTSD"
		}
		// One broadcast per row and step: unroll+1 steps are written out.
		if got, want := strings.Count(string(s), bc), tl.rows*(unroll+1); got != want {
			t.Errorf("%s: %d broadcasts, want %d", tl.name, got, want)
		}
	}
}

// TestTooManyRegisters checks that a tile the register file cannot hold is refused.
func TestTooManyRegisters(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a 7 x 16 AVX2 float32 tile (18 registers) was generated")
		}
	}()
	microKernel(build.NewContext(), tile{name: "X", elem: f32, isa: avx2, rows: 7, vecs: []int{256, 256}})
}
