package kernels

import "unsafe"

//go:generate go run -C ../asm/_gen ./tables -repo ../..

// The dispatch tables: every kernel of one ISA, for both element types, in one struct value.
// Each architecture declares its tables in one file (table_amd64.go, table_arm64.go; the generic
// table below is the pure-Go reference on every GOARCH); detectISAs in that file lists the ones
// this CPU can run, best first. An ISA's table starts as a copy of the generic one; the assembly
// kernels named <Kernel><F32|F64><ISA> with the signature of the ops field <kernel> are set by
// the generated table_asm_<arch>.go (go generate ./kernels), and the table file sets the rest
// (GEMM micro-kernels, kernels assembled in Go). The public functions check their arguments, load the active
// table once and call through it: there is no other routing code.

// ops lists one ISA's kernels for the element type T. Every field is set in every table.
type ops[T Float] struct {
	exp, sigmoid, tanh, relu, step func(dst, src []T) // element-wise, dst may be src
	softmax                        func(dst, src []T, cols int)
	max, sum                       func(x []T) T
	dot                            func(x, y []T) T
	axpy                           func(alpha T, x, y []T)
	scale                          func(alpha T, dst, src []T)
	divUint8                       func(dst []T, src []uint8, d T)

	// The activations of activation.go, LogSoftmax, and the backward kernels of grad.go.
	gelu, geluTanh, silu, softplus, log func(dst, src []T) // element-wise, dst may be src
	elu, leakyReLU                      func(alpha T, dst, src []T)
	logSoftmax                          func(dst, src []T, cols int)
	sigmoidGrad, tanhGrad               func(dx, dy, y []T) // from the saved output y
	reluGrad, geluGrad, geluTanhGrad    func(dx, dy, x []T) // from the saved input x
	siluGrad, softplusGrad              func(dx, dy, x []T)
	leakyReLUGrad, eluGrad              func(alpha T, dx, dy, x []T)

	// The GEMV kernels of gemv.go (products with m = 1 or n = 1): gemvN sets y[i] += alpha *
	// (row i of a)·x, gemvT sets y[j] += alpha * Σ_p x[p]*a[p*lda+j].
	gemvN, gemvT func(alpha T, a []T, lda int, x, y []T)

	// Transpose (transpose.go).
	transpose func(dst []T, ldd int, src []T, lds int, rows, cols int)

	// gemm is the default GEMM micro-kernel; gemmFor, where set, picks another one of the same
	// ISA for an m x n product whose shape it suits better (nil: always gemm).
	gemm    *gemmKernel[T]
	gemmFor func(m, n int) *gemmKernel[T]
	// gemmSparse, where set, is a kernel with a twin that passes over the all-zero steps of A
	// (gemmKernel.skip), which gemmRoute takes instead of gemmFor's when a sample of A says it
	// leaves out enough work to pay for its padding (sparseWins).
	gemmSparse *gemmKernel[T]
	// gemmRows, where set, computes products whose A is sparse element by element from lists of
	// its nonzero elements (gemm_rows.go); gemmRoute takes it when a sample of A says so (rowsWins).
	gemmRows *rowsKernel[T]
}

// table is one ISA's set of kernels.
type table struct {
	name string
	f32  ops[float32]
	f64  ops[float64]
	adam func(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32) // AdamUpdate, float32 only
	// MaxPool2x2ReLU and its backward pass, float32 only.
	pool     func(dst []float32, arg []uint8, top, bottom []float32, c int)
	poolGrad func(top, bottom, dy []float32, arg []uint8, c int)
	// ConvGradPooled (convgrad.go), float32 only; convGradPooledAsm says it is assembly.
	convGradPooled    convGradFunc
	convGradPooledAsm bool
	// ConvPixels' assembly (convpixels.go), for 32 channels; nil where the ISA has none.
	convPixels convPixelsFunc
	prefetch   func(b []byte) // Prefetch, any element type
}

// opsOf returns the kernels of t for the element type T.
func opsOf[T Float](t *table) *ops[T] {
	if is32[T]() {
		return (*ops[T])(unsafe.Pointer(&t.f32))
	}
	return (*ops[T])(unsafe.Pointer(&t.f64))
}

// kern returns the active ISA's kernels for T. A call loads the table once and finishes on it,
// so SetISA may run concurrently.
func kern[T Float]() *ops[T] { return opsOf[T](active.Load()) }

// gemmKernelFor returns the micro-kernel o uses for an m x n product.
func (o *ops[T]) gemmKernelFor(m, n int) *gemmKernel[T] {
	if o.gemmFor != nil {
		return o.gemmFor(m, n)
	}
	return o.gemm
}

// newTable returns the table of an ISA named name: a copy of the generic table, on which set
// replaces the kernels the ISA implements.
func newTable(name string, set func(t *table)) *table {
	t := *genericTable
	t.name = name
	set(&t)
	return &t
}

// genericTable is the pure-Go path, and the reference every other table is tested against.
var genericTable = &table{
	name: "generic",
	f32: ops[float32]{
		exp: expRef[float32], sigmoid: sigmoidRef[float32], tanh: tanhRef[float32],
		relu: reluRef[float32], step: stepRef[float32], softmax: softmaxRef[float32],
		max: maxRef[float32], sum: sumRef[float32], dot: dotRef[float32],
		axpy: axpyRef[float32], scale: scaleRef[float32], divUint8: divUint8Ref[float32],
		gelu: geluRef[float32], geluTanh: geluTanhRef[float32], silu: siluRef[float32],
		softplus: softplusRef[float32], elu: eluRef[float32], leakyReLU: leakyReLURef[float32],
		log: logRef[float32], logSoftmax: logSoftmaxRef[float32],
		sigmoidGrad: sigmoidGradRef[float32], tanhGrad: tanhGradRef[float32], reluGrad: reluGradRef[float32],
		leakyReLUGrad: leakyReLUGradRef[float32], eluGrad: eluGradRef[float32], geluGrad: geluGradRef[float32],
		geluTanhGrad: geluTanhGradRef[float32], siluGrad: siluGradRef[float32], softplusGrad: softplusGradRef[float32],
		gemvN: gemvNGo[float32], gemvT: gemvTGo[float32], transpose: transposeRef[float32], gemm: gemmGoF32,
	},
	f64: ops[float64]{
		exp: expF64Go, sigmoid: sigmoidF64Go, tanh: tanhRef[float64],
		relu: reluRef[float64], step: stepRef[float64], softmax: softmaxF64Go,
		max: maxRef[float64], sum: sumRef[float64], dot: dotRef[float64],
		axpy: axpyRef[float64], scale: scaleRef[float64], divUint8: divUint8Ref[float64],
		gelu: geluRef[float64], geluTanh: geluTanhRef[float64], silu: siluRef[float64],
		softplus: softplusRef[float64], elu: eluRef[float64], leakyReLU: leakyReLURef[float64],
		log: logRef[float64], logSoftmax: logSoftmaxRef[float64],
		sigmoidGrad: sigmoidGradRef[float64], tanhGrad: tanhGradRef[float64], reluGrad: reluGradRef[float64],
		leakyReLUGrad: leakyReLUGradRef[float64], eluGrad: eluGradRef[float64], geluGrad: geluGradRef[float64],
		geluTanhGrad: geluTanhGradRef[float64], siluGrad: siluGradRef[float64], softplusGrad: softplusGradRef[float64],
		gemvN: gemvNGo[float64], gemvT: gemvTGo[float64], transpose: transposeRef[float64], gemm: gemmGoF64,
	},
	adam:     adamRef,
	pool:     maxPool2x2ReLURef,
	poolGrad: maxPool2x2ReLUGradRef,
	prefetch: prefetchNone,

	convGradPooled: convGradPooledRef,
}
