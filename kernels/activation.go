package kernels

// The activations of modern networks, element-wise: dst may be src, and the lengths must be
// equal (a mismatch panics, naming the function and both lengths).
//
// Accuracy: the float32 kernels are within 2 ULP of the correctly rounded result for every one
// of the 2^32 inputs on every path; the pure-Go path evaluates each element in float64 with an
// accurate float64 method and rounds once, which is within 1 ULP (and nearly always exact). The
// float64 kernels are within 4 ULP of the exact value (the pure-Go path measures within 2).
// Special values follow the limits of the function: NaN gives NaN, ±Inf give the limits stated
// for each, and a zero result has the sign of the function there. activation_ref.go describes
// the methods.

// GELU sets dst[i] = x·Φ(x) = 0.5·x·(1 + erf(x/√2)) for x = src[i], the exact form of the
// Gaussian error linear unit (PyTorch's GELU with approximate="none").
// GELU(+Inf) = +Inf, GELU(-Inf) = -0, GELU(±0) = ±0; results of negative inputs that round to
// zero are -0 (below about -14.36 for float32 and -38.58 for float64).
func GELU[T Float](dst, src []T) {
	sameLen("GELU", len(dst), len(src))
	kern[T]().gelu(dst, src)
}

// GELUTanh sets dst[i] = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) for x = src[i], the tanh
// approximation of GELU (PyTorch's GELU with approximate="tanh"). The accuracy above is that of
// this formula itself, with 0.044715 and √(2/π) taken as exact real numbers (not as an
// approximation of GELU).
// GELUTanh(+Inf) = +Inf, GELUTanh(-Inf) = -0, GELUTanh(±0) = ±0, -0 where a negative input's
// result rounds to zero.
func GELUTanh[T Float](dst, src []T) {
	sameLen("GELUTanh", len(dst), len(src))
	kern[T]().geluTanh(dst, src)
}

// SiLU sets dst[i] = x·sigmoid(x) = x/(1 + e^-x) for x = src[i] (also called swish).
// SiLU(+Inf) = +Inf, SiLU(-Inf) = -0, SiLU(±0) = ±0, -0 where a negative input's result rounds
// to zero.
func SiLU[T Float](dst, src []T) {
	sameLen("SiLU", len(dst), len(src))
	kern[T]().silu(dst, src)
}

// Softplus sets dst[i] = log(1 + e^x) for x = src[i], computed as max(x, 0) + log1p(e^-|x|),
// which neither overflows for large x nor loses the small results of very negative x.
// Softplus(+Inf) = +Inf, Softplus(-Inf) = 0.
//
// This is PyTorch's Softplus with beta = 1 but without its threshold shortcut (PyTorch returns x
// itself where x > 20). For float32 the two agree: from 20 on, log(1 + e^x) rounds to x anyway
// (e^-20 is below half a float32 ULP of 20). For float64 they differ by up to e^-20 ≈ 2e-9 on
// (20, 37), where this function keeps the exact value.
func Softplus[T Float](dst, src []T) {
	sameLen("Softplus", len(dst), len(src))
	kern[T]().softplus(dst, src)
}

// ELU sets dst[i] = x for x = src[i] > 0 and alpha·(e^x - 1) otherwise (PyTorch's ELU; alpha is
// used as given, typically 1). ELU(-Inf) = -alpha, ELU(-0) = alpha·-0 (-0 for alpha > 0), NaN
// for NaN. The accuracy above holds for any alpha, as the correctly rounded alpha·(e^x - 1).
func ELU[T Float](alpha T, dst, src []T) {
	sameLen("ELU", len(dst), len(src))
	kern[T]().elu(alpha, dst, src)
}

// LeakyReLU sets dst[i] = x for x = src[i] > 0 and alpha·x otherwise (PyTorch's LeakyReLU with
// negative_slope = alpha), exactly: the product is rounded once. LeakyReLU(-0) = alpha·-0 (-0 for
// alpha > 0), LeakyReLU(-Inf) = alpha·-Inf, NaN for NaN.
func LeakyReLU[T Float](alpha T, dst, src []T) {
	sameLen("LeakyReLU", len(dst), len(src))
	kern[T]().leakyReLU(alpha, dst, src)
}

// Log sets dst[i] = ln(src[i]), the natural logarithm. Log(±0) = -Inf, Log(+Inf) = +Inf, Log(1) =
// +0, NaN for a negative input or NaN.
func Log[T Float](dst, src []T) {
	sameLen("Log", len(dst), len(src))
	kern[T]().log(dst, src)
}
