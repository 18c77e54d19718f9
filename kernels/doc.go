// Package kernels is the public API of lanes: numerical kernels over []float32 and []float64
// (exp, sigmoid, tanh, ReLU, step, GELU, SiLU, Softplus, ELU, LeakyReLU, log, numerically stable
// softmax and log-softmax, the backward kernels of the activations, the reductions they need,
// matrix products with a matrix-vector path for m = 1 or n = 1, and Linear, a dense layer with
// its bias and activation fused into the product, and DivUint8, bytes such as pixels turned into
// floats) that run AVX-512, AVX2+FMA or NEON assembly
// when the CPU has it and pure Go otherwise. Where a path has no assembly for a kernel and type
// (the float64 activations, for instance), it runs the pure-Go code; TestTablesComplete's log
// lists them per path.
//
// Every kernel but AdamUpdate, MaxPool2x2ReLU, MaxPool2x2ReLUGrad and ConvGradPooled (float32 only,
// for the optimizer and the convolutional layers of package nn) is generic over float32 | float64
// with the same name for both. Element-wise kernels take (dst, src) of equal
// length; dst may be src. Misuse (mismatched lengths, bad shapes) panics with a message that
// names the function and the sizes.
//
// The code path is chosen once at start from the CPU's features; ISA reports it. The environment
// variable LANES_ISA=generic|avx2|avx512|neon forces a path (an unsupported choice prints a
// warning on stderr and keeps the best supported one), and SetISA switches it in-process, which is
// how the tests run every path on one machine. Every function of the package is safe for
// concurrent use, SetISA included; a kernel call runs on the path that was active when it began.
package kernels
