package kernels

// Max returns the largest element of x, -Inf for an empty x. If x holds a NaN the result is NaN
// (not necessarily the same NaN). If the largest value is a zero and x holds both +0 and -0,
// either may be returned.
func Max[T Float](x []T) T {
	return kern[T]().max(x)
}

// Sum returns the sum of the elements of x (0 for an empty x). The order of the additions is
// not specified, so the result may differ from a sequential loop by rounding.
func Sum[T Float](x []T) T {
	return kern[T]().sum(x)
}

// Dot returns the sum of x[i]*y[i]. The lengths must be equal. The order of the additions is
// not specified.
func Dot[T Float](x, y []T) T {
	if len(x) != len(y) {
		panicLen2("Dot", "x", len(x), "y", len(y))
	}
	return kern[T]().dot(x, y)
}

// Axpy sets y[i] += alpha*x[i]. The lengths must be equal; x may be y. On the AVX2, NEON and
// AVX-512 paths each alpha*x[i]+y[i] is rounded once (a fused multiply-add), in pure Go twice.
func Axpy[T Float](alpha T, x, y []T) {
	if len(x) != len(y) {
		panicLen2("Axpy", "x", len(x), "y", len(y))
	}
	kern[T]().axpy(alpha, x, y)
}

// Scale sets dst[i] = alpha*src[i]. dst may be src; the lengths must be equal.
func Scale[T Float](alpha T, dst, src []T) {
	sameLen("Scale", len(dst), len(src))
	kern[T]().scale(alpha, dst, src)
}
