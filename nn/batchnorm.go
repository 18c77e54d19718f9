package nn

import (
	"fmt"
	"math"

	"github.com/lanesimd/lanes/kernels"
)

// BatchNorm normalizes each column (feature) of its input: y = Gamma*(x - mean)/sqrt(var + Eps)
// + Beta. In training the mean and (biased) variance are those of the batch, and the running
// estimates move toward them: running = Momentum*running + (1-Momentum)*batch. In evaluation the
// running estimates are used, so that a prediction does not depend on the rest of its batch.
type BatchNorm struct {
	Features      int
	Momentum, Eps float32
	Gamma, Beta   *Param
	// RunningMean and RunningVar (1 x Features) are the estimates used in evaluation; they are
	// saved with the model but not trained by the optimizer.
	RunningMean, RunningVar *Matrix

	ran, batchStats bool // batchStats: the last Forward used the batch statistics
	xhat, y, dx     buffer
	mean, invStd    []float32 // of the last Forward
	sum, sumXhat    []float32 // scratch for Backward
}

// NewBatchNorm returns a BatchNorm over features columns with Gamma 1, Beta 0, running mean 0
// and running variance 1; momentum 0.9 and eps 1e-5 are usual.
func NewBatchNorm(features int, momentum, eps float32) *BatchNorm {
	if features <= 0 {
		panic(fmt.Sprintf("nn.NewBatchNorm: features = %d must be positive", features))
	}
	l := &BatchNorm{Features: features, Momentum: momentum, Eps: eps}
	name := l.Name()
	l.Gamma = newParam(name+".gamma", 1, features, false)
	l.Beta = newParam(name+".beta", 1, features, false)
	l.Gamma.Value.Fill(1)
	l.RunningMean = NewMatrix(1, features)
	l.RunningVar = NewMatrix(1, features)
	l.RunningVar.Fill(1)
	l.mean = make([]float32, features)
	l.invStd = make([]float32, features)
	l.sum = make([]float32, features)
	l.sumXhat = make([]float32, features)
	return l
}

// Name implements Layer.
func (l *BatchNorm) Name() string {
	return fmt.Sprintf("BatchNorm(%d, momentum %g, eps %g)", l.Features, l.Momentum, l.Eps)
}

// Params implements Layer: Gamma then Beta.
func (l *BatchNorm) Params() []*Param { return []*Param{l.Gamma, l.Beta} }

// OutCols implements Inferer: Features. It panics unless inCols is Features.
func (l *BatchNorm) OutCols(inCols int) int {
	if inCols != l.Features {
		panic(fmt.Sprintf("nn.%s: input of %d columns, want %d", l.Name(), inCols, l.Features))
	}
	return l.Features
}

// Infer implements Inferer: y = Gamma*(x - RunningMean)/sqrt(RunningVar + Eps) + Beta, the
// evaluation-mode output, computed in the same order as Forward's.
func (l *BatchNorm) Infer(y, x *Matrix) {
	checkInfer(l, y, x, l.Features, l.Features)
	f := l.Features
	rm, rv := l.RunningMean.Data[:f], l.RunningVar.Data[:f]
	g, b := l.Gamma.Value.Data[:f], l.Beta.Value.Data[:f]
	inv := make([]float32, f)
	for j := range inv {
		inv[j] = float32(1 / math.Sqrt(float64(rv[j]+l.Eps)))
	}
	for i := 0; i < x.Rows; i++ {
		xr, yr := x.Data[i*f:(i+1)*f], y.Data[i*f:(i+1)*f]
		for j, v := range xr {
			yr[j] = g[j]*((v-rm[j])*inv[j]) + b[j]
		}
	}
}

// Forward implements Layer. A training batch needs at least one row.
func (l *BatchNorm) Forward(x *Matrix, training bool) *Matrix {
	checkCols(l, "Forward", x, l.Features)
	f := l.Features
	xhat := l.xhat.resize(x.Rows, f)
	y := l.y.resize(x.Rows, f)
	mean, inv := l.mean, l.invStd
	if training {
		if x.Rows == 0 {
			panic(fmt.Sprintf("nn.%s.Forward: a training batch needs rows, input is %s", l.Name(), x.Shape()))
		}
		n := float32(x.Rows)
		clear(mean)
		for i := 0; i < x.Rows; i++ {
			kernels.Axpy(1, x.Data[i*f:(i+1)*f], mean)
		}
		kernels.Scale(1/n, mean, mean)
		// Variance from the centred values (two passes: no cancellation).
		variance := l.sum
		clear(variance)
		for i := 0; i < x.Rows; i++ {
			xr, cr := x.Data[i*f:(i+1)*f], xhat.Data[i*f:(i+1)*f]
			for j, v := range xr {
				c := v - mean[j]
				cr[j] = c
				variance[j] += c * c
			}
		}
		kernels.Scale(1/n, variance, variance)
		mom := l.Momentum
		rm, rv := l.RunningMean.Data, l.RunningVar.Data
		for j := range inv {
			inv[j] = float32(1 / math.Sqrt(float64(variance[j]+l.Eps)))
			rm[j] = mom*rm[j] + (1-mom)*mean[j]
			rv[j] = mom*rv[j] + (1-mom)*variance[j]
		}
		for i := 0; i < x.Rows; i++ {
			cr := xhat.Data[i*f : (i+1)*f]
			for j := range cr {
				cr[j] *= inv[j]
			}
		}
	} else {
		rm, rv := l.RunningMean.Data, l.RunningVar.Data
		for j := range inv {
			inv[j] = float32(1 / math.Sqrt(float64(rv[j]+l.Eps)))
		}
		for i := 0; i < x.Rows; i++ {
			xr, cr := x.Data[i*f:(i+1)*f], xhat.Data[i*f:(i+1)*f]
			for j, v := range xr {
				cr[j] = (v - rm[j]) * inv[j]
			}
		}
	}
	g, b := l.Gamma.Value.Data, l.Beta.Value.Data
	for i := 0; i < x.Rows; i++ {
		cr, yr := xhat.Data[i*f:(i+1)*f], y.Data[i*f:(i+1)*f]
		for j, v := range cr {
			yr[j] = g[j]*v + b[j]
		}
	}
	l.ran, l.batchStats = true, training
	return y
}

// Backward implements Layer. After a training Forward (batch statistics):
// dBeta = sum(dout), dGamma = sum(dout*xhat), and with dxhat = dout*Gamma,
// dx = invStd/N * (N*dxhat - sum(dxhat) - xhat*sum(dxhat*xhat)), sums over the batch. After an
// evaluation Forward, dx = dout*Gamma*invStd.
func (l *BatchNorm) Backward(dout *Matrix) *Matrix {
	checkDout(l, dout, &l.y.m, l.ran)
	f, n := l.Features, dout.Rows
	xhat := l.xhat.m.Data
	dg, db := l.Gamma.Grad.Data, l.Beta.Grad.Data
	clear(dg)
	clear(db)
	for i := 0; i < n; i++ {
		dr, hr := dout.Data[i*f:(i+1)*f], xhat[i*f:(i+1)*f]
		kernels.Axpy(1, dr, db)
		for j, v := range dr {
			dg[j] += v * hr[j]
		}
	}
	g := l.Gamma.Value.Data
	dx := l.dx.resize(n, f)
	inv := l.invStd
	if !l.batchStats {
		// Evaluation: mean and variance are constants, so dx = dout*Gamma*invStd.
		for i := 0; i < n; i++ {
			dr, or := dout.Data[i*f:(i+1)*f], dx.Data[i*f:(i+1)*f]
			for j, v := range dr {
				or[j] = v * g[j] * inv[j]
			}
		}
		return dx
	}
	// sum(dxhat) = Gamma*dBeta and sum(dxhat*xhat) = Gamma*dGamma.
	invN := 1 / float32(n)
	for j := range l.sum {
		l.sum[j] = g[j] * db[j] * invN
		l.sumXhat[j] = g[j] * dg[j] * invN
	}
	for i := 0; i < n; i++ {
		dr, hr, or := dout.Data[i*f:(i+1)*f], xhat[i*f:(i+1)*f], dx.Data[i*f:(i+1)*f]
		for j, v := range dr {
			or[j] = inv[j] * (g[j]*v - l.sum[j] - hr[j]*l.sumXhat[j])
		}
	}
	return dx
}
