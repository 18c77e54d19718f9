package kernels

import "fmt"

// The backward kernels of the activations, one pass each: dx[i] = dy[i]·f'(·), where dy is the
// gradient of the loss with respect to the activation's output. Sigmoid and Tanh take the saved
// output y = f(x) (their derivative is cheaper and exact enough from it); the others take the
// saved input x. The three slices must have the same length (a mismatch panics, naming the
// function and the lengths). Each element is read before it is written, so dx may be dy (or the
// saved x or y); other overlaps are not allowed.
//
// Accuracy: ReLUGrad and LeakyReLUGrad are exact (dy, 0 or the correctly rounded alpha·dy). The
// others are within 4 ULP of dy·f' correctly rounded on every path, except next to a zero of f'
// (GELU, GELUTanh and SiLU have one, at their minimum), where f' is the difference of two terms
// and the error is within 4 ULP of |dy| times the larger term instead. The pure-Go path evaluates
// dy·f' in float64 and rounds once for float32 (within 1 ULP); for float64 its methods are those
// of the activations (grad_ref.go), with dy multiplied in before a subnormal factor is scaled, so
// that any finite dy comes out right. Where f' is exactly 0 or 1 in the limits, dx is exactly
// dy·±0 or dy. SigmoidGrad and TanhGrad assume y in the range of the function ([0, 1], [-1, 1]);
// elsewhere they follow their formula, which can overflow.
//
// At the kinks, the derivative is the one PyTorch uses: ReLU'(0) = 0, LeakyReLU'(0) = alpha,
// ELU'(0) = alpha (the left derivatives); NaN inputs are treated as PyTorch does
// (see each function).

// sameLen3 panics, naming the function and the three slices, unless their lengths are equal.
func sameLen3(fn string, a string, na int, b string, nb int, c string, nc int) {
	if na != nb || na != nc {
		panic(fmt.Sprintf("kernels.%s: len(%s) = %d, len(%s) = %d, len(%s) = %d; they must be equal", fn, a, na, b, nb, c, nc))
	}
}

// SigmoidGrad sets dx[i] = dy[i]·y[i]·(1 - y[i]), the gradient through Sigmoid from its saved
// output y = Sigmoid(x).
func SigmoidGrad[T Float](dx, dy, y []T) {
	sameLen3("SigmoidGrad", "dx", len(dx), "dy", len(dy), "y", len(y))
	kern[T]().sigmoidGrad(dx, dy, y)
}

// TanhGrad sets dx[i] = dy[i]·(1 - y[i]²), the gradient through Tanh from its saved output
// y = Tanh(x), computed as (1 - y)(1 + y), which does not cancel for |y| near 1.
func TanhGrad[T Float](dx, dy, y []T) {
	sameLen3("TanhGrad", "dx", len(dx), "dy", len(dy), "y", len(y))
	kern[T]().tanhGrad(dx, dy, y)
}

// ReLUGrad sets dx[i] = dy[i] where x[i] > 0 and 0 where x[i] <= 0 (ReLU'(0) = 0): a select, so
// an infinite or NaN dy at x <= 0 gives 0. A NaN x passes dy through, as PyTorch's
// threshold_backward does.
func ReLUGrad[T Float](dx, dy, x []T) {
	sameLen3("ReLUGrad", "dx", len(dx), "dy", len(dy), "x", len(x))
	kern[T]().reluGrad(dx, dy, x)
}

// LeakyReLUGrad sets dx[i] = dy[i] where x[i] > 0 and alpha·dy[i] where x[i] <= 0 or is NaN
// (LeakyReLU'(0) = alpha, as in PyTorch), exactly: the product is rounded once.
func LeakyReLUGrad[T Float](alpha T, dx, dy, x []T) {
	sameLen3("LeakyReLUGrad", "dx", len(dx), "dy", len(dy), "x", len(x))
	kern[T]().leakyReLUGrad(alpha, dx, dy, x)
}

// ELUGrad sets dx[i] = dy[i] where x[i] > 0 or is NaN, and dy[i]·alpha·e^x[i] where x[i] <= 0
// (ELU'(0) = alpha, the left derivative, as in PyTorch). It takes the input x, not the output,
// so that it holds for any alpha.
func ELUGrad[T Float](alpha T, dx, dy, x []T) {
	sameLen3("ELUGrad", "dx", len(dx), "dy", len(dy), "x", len(x))
	kern[T]().eluGrad(alpha, dx, dy, x)
}

// GELUGrad sets dx[i] = dy[i]·(Φ(x) + x·φ(x)) for x = x[i], the derivative of the exact GELU
// (Φ the standard normal distribution function, φ its density). dx = dy for large x (+Inf
// included); dy·-0 where dy·f'(x) rounds to zero (for |dy| near 1, x below about -38.66), -Inf
// included.
func GELUGrad[T Float](dx, dy, x []T) {
	sameLen3("GELUGrad", "dx", len(dx), "dy", len(dy), "x", len(x))
	kern[T]().geluGrad(dx, dy, x)
}

// GELUTanhGrad sets dx[i] = dy[i]·f'(x[i]) for f = GELUTanh:
// f'(x) = 0.5·(1 + t) + 0.5·x·(1 - t²)·√(2/π)·(1 + 3·0.044715·x²), t = tanh(√(2/π)(x + 0.044715x³)),
// evaluated as σ(2u)·(1 + x·σ(-2u)·2u') without cancellation in 1 ± t. dx = dy for large x (+Inf
// included) and dy·-0 for very negative x (-Inf included).
func GELUTanhGrad[T Float](dx, dy, x []T) {
	sameLen3("GELUTanhGrad", "dx", len(dx), "dy", len(dy), "x", len(x))
	kern[T]().geluTanhGrad(dx, dy, x)
}

// SiLUGrad sets dx[i] = dy[i]·σ(x)·(1 + x·(1 - σ(x))) for x = x[i], the derivative of SiLU, with
// 1 - σ(x) evaluated as σ(-x). dx = dy for large x (+Inf included), dy·-0 for -Inf.
func SiLUGrad[T Float](dx, dy, x []T) {
	sameLen3("SiLUGrad", "dx", len(dx), "dy", len(dy), "x", len(x))
	kern[T]().siluGrad(dx, dy, x)
}

// SoftplusGrad sets dx[i] = dy[i]·σ(x[i]), the derivative of Softplus (the exact function, without
// PyTorch's threshold: see Softplus).
func SoftplusGrad[T Float](dx, dy, x []T) {
	sameLen3("SoftplusGrad", "dx", len(dx), "dy", len(dy), "x", len(x))
	kern[T]().softplusGrad(dx, dy, x)
}
