package main

import "github.com/mmcloughlin/avo/build"

func init() { register("tanhgrad", genTanhGrad) }

// genTanhGrad emits TanhGrad, dx[i] = dy[i]·(1 - y[i]²), from Tanh's saved output (genYGrad).
func genTanhGrad(c *build.Context) {
	genYGrad(c, yGrad{
		name:   "TanhGrad",
		loop64: "\tfor i := range dx {\n\t\tdx[i] = dy[i] * ((1 - y[i]) * (1 + y[i]))\n\t}",
		loop32: "\tfor i := range dx {\n\t\tdx[i] = float32(float64(dy[i]) * ((1 - float64(y[i])) * (1 + float64(y[i]))))\n\t}",
		what:   "dy[i]·(1 - y[i]²), the gradient through Tanh from its saved output y",
		method32: "It computes p = 1 - y² with one rounding (a fused multiply-add, which does " +
			"not cancel for |y| near 1) and dx = dy·p; where |y| is at least about 2^31.5 " +
			"(p ≤ -2^63, outside Tanh's range, where y² would overflow first) or p is NaN, " +
			"dx = (dy·y)·(-y) instead, so that dx overflows only where the float64 result does " +
			"and ±Inf, ±0 and NaN come out as in the loop.",
	})
}
