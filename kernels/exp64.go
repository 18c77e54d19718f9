package kernels

import "math"

// The pure-Go float64 exp, sigmoid and softmax: the generic path of Exp[float64],
// Sigmoid[float64] and Softmax[float64], and the reference their assembly is tested against.

// exp64 returns e^x within 1 ULP for every x: +Inf above 709.782712893384, subnormals below
// -708.39, 0 below -745.1332191019412, NaN for NaN. It is math.Exp, except just below the
// overflow threshold: math.Exp on amd64 returns +Inf from about 709.44 on. There e^x is computed
// as 2^1024 * e^y, with y = x - 1024*ln2 held to double-double precision.
func exp64(x float64) float64 {
	if !(x > 709 && x < 710) {
		return math.Exp(x)
	}
	const (
		ln2hi = 6.93147180369123816490e-01 // 32 significant bits: 1024*ln2hi is exact
		ln2lo = 1.90821492927058770002e-10 // ln2 - ln2hi
	)
	h := x - 1024*ln2hi // exact (Sterbenz)
	p := 1024 * ln2lo   // exact
	y := h - p
	bb := y - h
	ylo := (h - (y - bb)) + (-p - bb) // y + ylo = h - p exactly (TwoSum)
	e := math.Exp(y)
	return math.Ldexp(math.FMA(e, ylo, e), 1024)
}

// sigmoid64 returns 1/(1+e^-x) within 2 ULP: e^-|x| never overflows, and for x < 0 the result is
// e^x/(1+e^x), so it follows e^x down through the subnormals instead of dropping to 0 at -709.8.
// It is exactly 1 above 37.4 and exactly 0 below -745.14; NaN for NaN only.
func sigmoid64(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + exp64(-x))
	}
	e := exp64(x)
	return e / (1 + e)
}

func expF64Go(dst, src []float64) {
	for i, x := range src {
		dst[i] = exp64(x)
	}
}

func sigmoidF64Go(dst, src []float64) {
	for i, x := range src {
		dst[i] = sigmoid64(x)
	}
}

// softmaxF64Go is Softmax[float64] in Go: per row the maximum, e^(x-max) by exp64 and its sum,
// then the row times 1/sum. The sum runs in eight interleaved partial sums, as the assembly's
// does, which keeps its rounding error (and so each row's distance from summing to 1) small for
// wide rows. A NaN anywhere in the row makes the sum, and so the row, NaN.
func softmaxF64Go(dst, src []float64, cols int) {
	for r := 0; r+cols <= len(src); r += cols {
		row, out := src[r:r+cols:r+cols], dst[r:r+cols:r+cols]
		m := math.Inf(-1)
		for _, x := range row {
			m = math.Max(m, x)
		}
		var p [8]float64
		i := 0
		for ; i+8 <= len(row); i += 8 {
			for j := range p {
				e := exp64(row[i+j] - m)
				out[i+j] = e
				p[j] += e
			}
		}
		for j := 0; i < len(row); i, j = i+1, j+1 {
			e := exp64(row[i] - m)
			out[i] = e
			p[j] += e
		}
		s := ((p[0] + p[4]) + (p[1] + p[5])) + ((p[2] + p[6]) + (p[3] + p[7]))
		inv := 1 / s
		for i := range out {
			out[i] *= inv
		}
	}
}
