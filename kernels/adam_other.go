//go:build purego || !(amd64 || arm64)

package kernels

func adamF32(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32) {
	adamRef(w, g, m, v, b1, c1, b2, c2, lr, eps)
}
