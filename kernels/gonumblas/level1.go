package gonumblas

import "github.com/lanesimd/lanes/kernels"

// The Level 1 routines below take lanes' path only for unit increments, n > 0 and long enough
// slices; every other call, including every call that must panic, goes to gonum's routine, so
// the checks and messages are gonum's own.

// Sdot returns the dot product sum_i x[i]*y[i] of the first n elements of x and y (with
// strides incX and incY). Unit strides run on kernels.Dot.
func (impl Implementation) Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	if incX == 1 && incY == 1 && n > 0 && len(x) >= n && len(y) >= n {
		return kernels.Dot(x[:n], y[:n])
	}
	return impl.Implementation.Sdot(n, x, incX, y, incY)
}

// Ddot returns the dot product sum_i x[i]*y[i] of the first n elements of x and y (with
// strides incX and incY). Unit strides run on kernels.Dot.
func (impl Implementation) Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	if incX == 1 && incY == 1 && n > 0 && len(x) >= n && len(y) >= n {
		return kernels.Dot(x[:n], y[:n])
	}
	return impl.Implementation.Ddot(n, x, incX, y, incY)
}

// Saxpy adds alpha*x to y: y[i] += alpha*x[i] for n elements (with strides incX and incY).
// Unit strides run on kernels.Axpy. As in gonum, alpha == 0 leaves y unchanged.
func (impl Implementation) Saxpy(n int, alpha float32, x []float32, incX int, y []float32, incY int) {
	if incX == 1 && incY == 1 && n > 0 && len(x) >= n && len(y) >= n {
		if alpha != 0 {
			kernels.Axpy(alpha, x[:n], y[:n])
		}
		return
	}
	impl.Implementation.Saxpy(n, alpha, x, incX, y, incY)
}

// Daxpy adds alpha*x to y: y[i] += alpha*x[i] for n elements (with strides incX and incY).
// Unit strides run on kernels.Axpy. As in gonum, alpha == 0 leaves y unchanged.
func (impl Implementation) Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	if incX == 1 && incY == 1 && n > 0 && len(x) >= n && len(y) >= n {
		if alpha != 0 {
			kernels.Axpy(alpha, x[:n], y[:n])
		}
		return
	}
	impl.Implementation.Daxpy(n, alpha, x, incX, y, incY)
}

// Sscal scales the first n elements of x (stride incX) by alpha. A unit stride with alpha != 0
// runs on kernels.Scale; alpha == 0 sets the elements to zero, as in gonum.
func (impl Implementation) Sscal(n int, alpha float32, x []float32, incX int) {
	if incX == 1 && n > 0 && len(x) >= n && alpha != 0 {
		kernels.Scale(alpha, x[:n], x[:n])
		return
	}
	impl.Implementation.Sscal(n, alpha, x, incX)
}

// Dscal scales the first n elements of x (stride incX) by alpha. A unit stride with alpha != 0
// runs on kernels.Scale; alpha == 0 sets the elements to zero, as in gonum.
func (impl Implementation) Dscal(n int, alpha float64, x []float64, incX int) {
	if incX == 1 && n > 0 && len(x) >= n && alpha != 0 {
		kernels.Scale(alpha, x[:n], x[:n])
		return
	}
	impl.Implementation.Dscal(n, alpha, x, incX)
}
