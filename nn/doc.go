// Package nn is a small neural-network library on top of lanes' kernels: a row-major float32
// matrix, layers with forward and backward passes, losses, optimizers, a training loop and
// save/load.
package nn
