package kernels

import "fmt"

// Softmax treats src as rows of cols elements and sets each row of dst to
// e^(x - max) / sum(e^(x - max)) over that row, the row's maximum subtracted first so that no
// finite input overflows. Each row sums to 1 within a few ULP; -Inf entries give 0; a NaN
// anywhere in a row (or +Inf, or a row of -Inf only) gives a row of NaN. dst may be src.
// len(src) must equal len(dst) and be a multiple of cols, and cols must be positive.
func Softmax[T Float](dst, src []T, cols int) {
	sameLen("Softmax", len(dst), len(src))
	if cols <= 0 || len(src)%cols != 0 {
		panic(fmt.Sprintf("kernels.Softmax: cols = %d does not divide len(src) = %d into rows", cols, len(src)))
	}
	kern[T]().softmax(dst, src, cols)
}
