//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

// softmaxF32 on NEON is softmaxRef's three passes, each one assembly call per row: the maximum,
// e^(x-max) into dst with its float64 sum, and the scaling of dst by float32(1/sum).
func softmaxF32(dst, src []float32, cols int) {
	if active != isaNEON {
		softmaxRef(dst, src, cols)
		return
	}
	for r := 0; r+cols <= len(src); r += cols {
		row, out := src[r:r+cols:r+cols], dst[r:r+cols:r+cols]
		m := asm.MaxF32NEON(row)
		s := asm.ExpSubSumF32NEON(out, row, m)
		asm.ScaleF32NEON(float32(1/s), out, out)
	}
}

// softmaxF64 on NEON runs three passes over each row, each one assembly call: the maximum,
// e^(x-max) into dst with its sum, and the scaling of dst by 1/sum. A NaN in the row makes the
// maximum, and so the sum and the whole row, NaN; so do a +Inf (Inf - Inf) and a row of -Inf
// only.
func softmaxF64(dst, src []float64, cols int) {
	if active != isaNEON {
		softmaxF64Go(dst, src, cols)
		return
	}
	for r := 0; r+cols <= len(src); r += cols {
		row, out := src[r:r+cols:r+cols], dst[r:r+cols:r+cols]
		m := asm.MaxF64NEON(row)
		s := asm.ExpSubSumF64NEON(out, row, m)
		asm.ScaleF64NEON(1/s, out, out)
	}
}
