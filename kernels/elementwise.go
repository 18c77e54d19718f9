package kernels

// Exp sets dst[i] = e^src[i]. dst may be src; the lengths must be equal.
//
// float32: within 1 ULP of the correctly rounded result for every input; +Inf above the overflow
// threshold, subnormals then 0 below the underflow threshold, NaN for NaN.
// float64: within a few ULP of math.Exp.
func Exp[T Float](dst, src []T) {
	sameLen("Exp", len(dst), len(src))
	kern[T]().exp(dst, src)
}

// Sigmoid sets dst[i] = 1 / (1 + e^-src[i]). dst may be src; the lengths must be equal.
// float32: within 2 ULP for every input, exactly 0 and 1 in the limits, never NaN for finite input.
func Sigmoid[T Float](dst, src []T) {
	sameLen("Sigmoid", len(dst), len(src))
	kern[T]().sigmoid(dst, src)
}

// Tanh sets dst[i] = tanh(src[i]). dst may be src; the lengths must be equal.
// float32: within 1 ULP of the correctly rounded result for every input (and nearly always equal
// to it); x itself for |x| < 2^-13, exactly ±1 for large |x|, NaN for NaN.
// float64: within 1 ULP of the correctly rounded result (math.Tanh on the generic path); x itself
// for |x| < 2^-27, exactly ±1 from |x| = 19.07 on, NaN for NaN.
func Tanh[T Float](dst, src []T) {
	sameLen("Tanh", len(dst), len(src))
	kern[T]().tanh(dst, src)
}

// ReLU sets dst[i] = max(src[i], 0). NaN stays NaN (payload included), and -0 stays -0 since
// it is not below 0: only -Inf <= x < 0 becomes +0. dst may be src; the lengths must be equal.
func ReLU[T Float](dst, src []T) {
	sameLen("ReLU", len(dst), len(src))
	kern[T]().relu(dst, src)
}

// Step sets dst[i] = 1 if src[i] > 0, else 0 (NaN gives 0): the Heaviside step of the perceptron.
// dst may be src; the lengths must be equal.
func Step[T Float](dst, src []T) {
	sameLen("Step", len(dst), len(src))
	kern[T]().step(dst, src)
}

// DivUint8 sets dst[i] = T(src[i]) / d, correctly rounded, on every path: bytes turned into
// floats, such as pixels scaled to [0, 1] with d = 255 (what numpy's x / 255 and PyTorch's
// ToTensor compute). The lengths must be equal.
func DivUint8[T Float](dst []T, src []uint8, d T) {
	if len(dst) != len(src) {
		panicLen2("DivUint8", "dst", len(dst), "src", len(src))
	}
	kern[T]().divUint8(dst, src, d)
}
