package main

import (
	"fmt"
	"regexp"
	"strconv"
)

// An expectation is something an executed notebook's text outputs must show. Pattern must match
// somewhere in them; when it has a capture group, the number it captures in its first match
// must lie in [Min, Max].
type expectation struct {
	What     string
	Pattern  *regexp.Regexp
	Min, Max float64
	Number   bool // Pattern captures a number checked against [Min, Max]
}

// shows expects the text re (a regular expression) in the outputs.
func shows(what, re string) expectation {
	return expectation{What: what, Pattern: regexp.MustCompile(re)}
}

// between expects re's first capture group to be a number in [lo, hi].
func between(what, re string, lo, hi float64) expectation {
	p := regexp.MustCompile(re)
	if p.NumSubexp() < 1 {
		panic("between: pattern " + re + " captures nothing")
	}
	return expectation{What: what, Pattern: p, Min: lo, Max: hi, Number: true}
}

// check returns "" if text meets e, else what is wrong.
func (e expectation) check(text string) string {
	m := e.Pattern.FindStringSubmatch(text)
	if m == nil {
		return fmt.Sprintf("%s: no output matches %q", e.What, e.Pattern)
	}
	if !e.Number {
		return ""
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return fmt.Sprintf("%s: %q in %q is not a number", e.What, m[1], m[0])
	}
	if !(v >= e.Min && v <= e.Max) {
		return fmt.Sprintf("%s: %q gives %g, want it in [%g, %g]", e.What, m[0], v, e.Min, e.Max)
	}
	return ""
}

// spec is what one notebook must show: its expectations and the least number of pictures.
type spec struct {
	Expect []expectation
	Images int
}

// specs holds the checks of every notebook in notebooks/, by file name. A notebook without an
// entry fails: each one must assert what it is meant to show.
var specs = map[string]spec{
	"01_activations.ipynb": {
		Expect: []expectation{
			shows("step on integers", `step\(\[-1 1 2\]\) = \[0 1 1\]`),
			shows("the input grid", `100 inputs from -5\.0 to 4\.9`),
			shows("step values", `step +0\.0000000000 +0\.0000000000 +0\.0000000000 +1\.0000000000 +1\.0000000000`),
			shows("sigmoid values", `sigmoid +0\.0066928509 +0\.1192029220 +0\.5000000000 +0\.7310585786 +0\.9926084587`),
			shows("tanh values", `tanh +-0\.9999092043 +-0\.9640275801 +0\.0000000000 +0\.7615941560 +0\.9998891030`),
			shows("ReLU values", `ReLU +0\.0000000000 +0\.0000000000 +0\.0000000000 +1\.0000000000 +4\.9000000000`),
			shows("LeakyReLU values", `LeakyReLU +-0\.5000000000 +-0\.2000000000 +0\.0000000000 +1\.0000000000 +4\.9000000000`),
			shows("ELU values", `ELU +-0\.9932620530 +-0\.8646647168 +0\.0000000000 +1\.0000000000 +4\.9000000000`),
		},
		Images: 4,
	},
	"02_forward.ipynb": {
		Expect: []expectation{
			shows("row-major layout", `A = \[\[1 2 3\] \[4 5 6\]\] shape \(2, 3\) stored as \[1 2 3 4 5 6\]`),
			shows("2x2 product", `A·B = \[\[19 22\] \[43 50\]\]`),
			shows("2x3 by 3x2 product", `C \(2, 3\) · D \(3, 2\) = \[\[22 28\] \[49 64\]\] shape \(2, 2\)`),
			shows("shape mismatch refused", `MatMul refused: kernels\.MatMul: m, n, k = 2, 2, 3`),
			shows("a layer as a product", `x \(1, 2\) · W \(2, 3\) = \[\[5 11 17\]\]`),
			shows("hidden layer", `z1 = \[\[0\.57444251681\d* 0\.66818777216\d* 0\.75026010559\d*\]\]`),
			shows("three-layer network output", `y = \[0\.3168270764, 0\.6962790899\]`),
			shows("batch: first row as alone", `x = \[1 0\.5\] -> y = \[0\.3168270764, 0\.6962790899\]`),
			shows("batch: other rows", `x = \[0 0\] -> y = \[0\.3080685345, 0\.6768389367\]\nx = \[-1 2\] -> y = \[0\.3166845640, 0\.6959159508\]`),
			shows("float32", `float32: y = \[0\.316827\d* 0\.696279\d*\]`),
		},
	},
	"03_softmax.ipynb": {
		Expect: []expectation{
			shows("naive softmax on small scores", `naive softmax\(\[0\.3 2\.9 4\]\) = \[0\.01821127 0\.24519181 0\.73659691\], sum 1\.000000`),
			shows("naive softmax overflows", `e\^1010 = \+Inf\nnaive softmax\(\[1010 1000 990\]\) = \[NaN NaN NaN\]`),
			shows("kernels.Softmax float64", `kernels\.Softmax\(\[1010 1000 990\]\) = \[0\.9999546 4\.5398e-05 2\.0611e-09\]`),
			shows("kernels.Softmax float32", `float32: \[0\.9999546 4\.539787e-05 2\.06106e-09\]`),
			shows("batch of rows", `row 0: class 4 with p = 0\.5850, sum of the row = 1\.000000\nrow 1: class 9 with p = 0\.6321, sum of the row = 1\.000000\nrow 2: class 0 with p = 0\.1000, sum of the row = 1\.000000`),
			shows("temperature", `T = 0\.5: \[0\.002 0\.081 0\.000 0\.004 0\.895`),
		},
		Images: 1,
	},
	"04_mnist_inference.ipynb": {
		Expect: []expectation{
			shows("MNIST loaded", `train: 60000 images of 28x28, test: 10000 images`),
			shows("first labels", `labels of the first 20 training images: \[5 0 4 1 9 2 1 3 1 4 3 5 3 6 1 7 2 8 6 9\]`),
			shows("label counts", `images per label in the training set: \[5923 6742 5958 6131 5842 5421 5918 6265 5851 5949\]`),
			shows("the model", `Dense\(784, 50\) -> Sigmoid -> Dense\(50, 100\) -> Sigmoid -> Dense\(100, 10\): 45360 parameters`),
			between("test accuracy in batches of 100", `accuracy on the 10000 test images: ([0-9.]+) \(batches of 100`, 0.93, 1),
			between("the first test image is a 7", `label 7, probabilities \[[0-9. ]+\]\nthe network says 7 with probability ([0-9.]+)`, 0.9, 1),
			between("one by one", `one by one: +[0-9.]+ ms, accuracy ([0-9.]+)`, 0.93, 1),
			shows("batch and one by one agree", `same predictions: true`),
		},
		Images: 2,
	},
	"05_learning.ipynb": {
		Expect: []expectation{
			shows("losses, right answer", `y1 \(right\): sum of squares 0\.0975, cross-entropy 0\.5108`),
			shows("losses, wrong answer", `y2 \(wrong\): sum of squares 0\.5975, cross-entropy 2\.3026`),
			shows("batch cross-entropy", `mean cross-entropy of the batch \[y1, y2\] with labels \[2, 2\]: 1\.4067`),
			shows("numerical derivative", `x =  5: central 0\.2000000000, forward 0\.2000\d+, exact 0\.2000000000\nx = 10: central 0\.3000000000`),
			shows("a tiny step rounds away", `5 \+ 1e-50 == 5: true; float32\(1e-50\) = 0`),
			shows("numerical gradients", `gradient at \(3, 4\): \(6\.0000, 8\.0000\)\ngradient at \(0, 2\): \(0\.0000, 4\.0000\)\ngradient at \(3, 0\): \(6\.0000, 0\.0000\)`),
			shows("gradient descent reaches the minimum", `learning rate 0\.1 +: after 100 steps x = \(-6\.111\d*e-10, 8\.148\d*e-10\)`),
			between("backpropagation agrees with numerical gradients", `largest relative error: (\S+)`, 0, 2e-3),
		},
		Images: 2,
	},
	"06_training.ipynb": {
		Expect: []expectation{
			shows("the model", `Dense\(784, 50\) -> ReLU -> Dense\(50, 10\), 39760 parameters`),
			shows("live progress, finished", `iteration 3000 of 3000, epoch 5, loss [0-9.]+`),
			between("first epoch", `epoch 1 \(iteration  600\): mean loss [0-9.]+, train accuracy [0-9.]+, test accuracy ([0-9.]+)`, 0.85, 1),
			between("last epoch, train", `epoch 5 \(iteration 3000\): mean loss [0-9.]+, train accuracy ([0-9.]+)`, 0.93, 1),
			between("final test accuracy", `trained 3000 iterations in [0-9.]+ s; final test accuracy ([0-9.]+)`, 0.93, 1),
		},
		Images: 1, // the live chart's last frame: loss and accuracy side by side
	},
	"07_optimizers.ipynb": {
		Expect: []expectation{
			between("SGD in the valley", `SGD\(lr 0\.95\) +after 30 steps: \([^)]*\), f = ([0-9.]+)`, 0, 0.1),
			between("Momentum in the valley", `Momentum\(lr 0\.1, momentum 0\.9\) +after 30 steps: \([^)]*\), f = ([0-9.]+)`, 0, 0.1),
			between("Nesterov in the valley", `Nesterov\(lr 0\.1, momentum 0\.9\) +after 30 steps: \([^)]*\), f = ([0-9.]+)`, 0, 0.1),
			between("AdaGrad in the valley", `AdaGrad\(lr 1\.5\) +after 30 steps: \([^)]*\), f = ([0-9.]+)`, 0, 0.01),
			between("RMSProp in the valley", `RMSProp\(lr 0\.3, decay 0\.99\) +after 30 steps: \([^)]*\), f = ([0-9.]+)`, 0, 0.01),
			between("Adam in the valley", `Adam\(lr 0\.3\) +after 30 steps: \([^)]*\), f = ([0-9.]+)`, 0, 0.2),
			between("SGD on MNIST", `SGD\(lr 0\.01\) +mean loss of the last 100 iterations ([0-9.]+)`, 0.2, 1),
			between("Momentum on MNIST", `Momentum\(lr 0\.01, momentum 0\.9\) +mean loss of the last 100 iterations ([0-9.]+)`, 0, 0.3),
			between("AdaGrad on MNIST", `AdaGrad\(lr 0\.01\) +mean loss of the last 100 iterations ([0-9.]+)`, 0, 0.3),
			between("RMSProp on MNIST", `RMSProp\(lr 0\.001, decay 0\.9\) +mean loss of the last 100 iterations ([0-9.]+)`, 0, 0.3),
			between("Adam on MNIST", `Adam\(lr 0\.001\) +mean loss of the last 100 iterations ([0-9.]+)`, 0, 0.3),
			between("std 0.01 does not learn", `FixedStd\(0\.01\) +mean loss of the last 100 iterations ([0-9.]+)`, 2.25, 2.35),
			between("Xavier learns", `XavierNormal +mean loss of the last 100 iterations ([0-9.]+)`, 0, 1.2),
			between("He learns", `HeNormal +mean loss of the last 100 iterations ([0-9.]+)`, 0, 0.8),
			between("a constant rate stalls", `constant +last epoch at learning rate 0\.003: mean loss of its last 100 iterations ([0-9.]+)`, 0.04, 0.2),
			between("cosine decay settles", `CosineDecay +last epoch at learning rate 0\.00029: mean loss of its last 100 iterations ([0-9.]+)`, 0, 0.035),
			between("cosine decay generalises", `CosineDecay +last epoch [^\n]*test accuracy ([0-9.]+)`, 0.975, 1),
			between("step decay settles", `StepDecay\(2, 0\.3\) +last epoch at learning rate 0\.00027: mean loss of its last 100 iterations ([0-9.]+)`, 0, 0.035),
		},
		Images: 4,
	},
	"08_kernels.ipynb": {
		Expect: []expectation{
			shows("the path in use", `kernels\.ISA\(\) = (avx512|avx2|neon|generic)\n`),
			shows("supported paths", `supported here, best first: \[[a-z0-9 ]*generic\]`),
			shows("exp timings", `exp +plain Go +[0-9.]+ Gelem/s[^\n]*\nexp +lanes generic +[0-9.]+ Gelem/s[^\n]*\nexp +lanes [a-z0-9]+ +[0-9.]+ Gelem/s`),
			shows("sigmoid timings", `sigmoid +lanes [a-z0-9]+ +[0-9.]+ Gelem/s`),
			shows("softmax timings", `softmax +gonum +[0-9.]+ Gelem/s[^\n]*\nsoftmax +lanes generic +[0-9.]+ Gelem/s`),
			shows("matmul timings", `matmul +gonum +[0-9.]+ GFLOP/s[^\n]*\nmatmul +lanes generic +[0-9.]+ GFLOP/s[^\n]*\nmatmul +lanes [a-z0-9]+ +[0-9.]+ GFLOP/s`),
			between("every result agrees with plain Go", `largest relative difference from plain Go over all results: (\S+)`, 0, 1e-10),
			shows("SetISA to the pure-Go path", `SetISA\("generic"\): error <nil>, ISA\(\) = generic`),
			shows("LANES_ISA forces the pure-Go path", `with LANES_ISA=generic: ISA\(\) = generic\nexp\(\[0 1\]\) on the pure-Go path = \[1 2\.71828182845904\d*\]`),
			shows("LANES_ISA unset", `LANES_ISA unset again: ISA\(\) = (avx512|avx2|neon|generic)`),
		},
		Images: 1,
	},
	"09_modern_activations.ipynb": {
		Expect: []expectation{
			shows("GELU values", `GELU +\[ +-0\.0040 +-0\.1587 +-0\.1543 +0\.3457 +0\.8413 +2\.9960\]`),
			shows("GELU slopes", `GELU[^\n]*\n  slope +\[ +-0\.0119 +-0\.0833 +0\.1325 +0\.8675 +1\.0833 +1\.0119\]`),
			shows("SiLU values", `SiLU +\[ +-0\.1423 +-0\.2689 +-0\.1888 +0\.3112 +0\.7311 +2\.8577\]`),
			shows("Softplus values", `Softplus +\[ +0\.0486 +0\.3133 +0\.4741 +0\.9741 +1\.3133 +3\.0486\]`),
			shows("ELU slopes", `ELU[^\n]*\n  slope +\[ +0\.0498 +0\.3679 +0\.6065 +1\.0000 +1\.0000 +1\.0000\]`),
			shows("GELU is x times the normal CDF", `GELU\(1\) = 0\.8413447461 = 1·Φ\(1\) = 0\.8413447461`),
			between("backward kernels against central differences", `every backward kernel agrees with its function: largest difference (\S+)`, 0, 1e-8),
			between("GELU against a Go loop", `GELU +Go loop +[0-9.]+ ns/value, lanes +[0-9.]+ ns/value: +[0-9.]+x; largest relative difference (\S+)`, 0, 1e-12),
			between("SiLU against a Go loop", `SiLU +Go loop +[0-9.]+ ns/value, lanes +[0-9.]+ ns/value: +[0-9.]+x; largest relative difference (\S+)`, 0, 1e-12),
			between("Softplus against a Go loop", `Softplus +Go loop +[0-9.]+ ns/value, lanes +[0-9.]+ ns/value: +[0-9.]+x; largest relative difference (\S+)`, 0, 1e-12),
		},
		Images: 1,
	},
	"10_cnn.ipynb": {
		Expect: []expectation{
			shows("convolution by hand", `by hand: 28x28 image, 3x3 filter -> 676 outputs \(26x26\)`),
			between("Conv2D equals the loops", `Conv2D: Conv2D\(1, 1, 3x3\), output 676 values; largest difference from the loops: (\S+)`, 0, 1e-5),
			shows("im2col", `w00 +\[ +1 +2 +5 +6\]\n(.*\n){7}  w22 +\[ +11 +12 +15 +16\]\nedge filter \(1x9\) times the matrix \(9x4\) = \[-6 -6 -6 -6\] = the loops' \[-6 -6 -6 -6\]`),
			shows("SimpleConvNet", `Conv2D\(1, 30, 5x5\) -> ReLU -> MaxPool2D\(2\) -> Flatten -> Dense\(4320, 100\) -> ReLU -> Dense\(100, 10\): 433890 parameters`),
			between("SimpleConvNet's test accuracy after one epoch", `SimpleConvNet: one epoch in [0-9.]+ s, test accuracy ([0-9.]+)`, 0.97, 1),
			between("the dense network's", `dense 784-100-10 \(79510 parameters\): one epoch in [0-9.]+ s, test accuracy ([0-9.]+)`, 0.9, 1),
			between("the CNN makes fewer mistakes", `the convolutional network makes ([0-9.]+)x fewer mistakes`, 1.2, 100),
			shows("filters and feature maps", `30 filters of 5x5\n(.*\n)*feature maps of test image 0 \(a 7\): 30 of 24x24`),
		},
		Images: 5, // the digit, its edges, the training curves, the filters, the feature maps
	},
	"11_pytorch_interop.ipynb": {
		Expect: []expectation{
			shows("the header PyTorch wrote", `mlp\.safetensors, written by PyTorch: 17 tensors\n  0\.bias +F32 \[16\]\n  0\.weight +F32 \[16 12\]`),
			between("the MLP's outputs are PyTorch's", `MLP, float32 weights: 40 outputs, largest difference from PyTorch's (\S+), same predicted classes: true`, 0, 1e-5),
			between("float16 weights", `MLP, float16 weights: 40 outputs, largest difference from PyTorch's (\S+), same predicted classes: true`, 0, 1e-5),
			shows("a wrong layer is an error naming the tensors", `LoadWeights: .*tensor "12\.weight" has shape \[5, 6\]`),
			between("the CNN's outputs are PyTorch's", `CNN: 40 outputs, largest difference from PyTorch's (\S+), same predicted classes: true`, 0, 1e-5),
			shows("the saved state_dict has PyTorch's names and shapes", `saved lanes-mlp\.safetensors: 17 tensors; names and shapes match PyTorch's state_dict: true`),
			shows("it reads back bit for bit", `read back into a new lanes model: the same 40 outputs, bit for bit: true`),
			shows("PyTorch runs it, or is absent", `PyTorch running the lanes model: 40 outputs, largest difference from lanes' [0-9.e-]+, same predicted classes: true|PyTorch is not installed here`),
		},
	},
}

// check returns the unmet expectations of spec s in the executed notebook nb.
func (s spec) check(nb *notebook) []string {
	var bad []string
	text := nb.Text()
	for _, e := range s.Expect {
		if msg := e.check(text); msg != "" {
			bad = append(bad, msg)
		}
	}
	if n := nb.Images(); n < s.Images {
		bad = append(bad, fmt.Sprintf("%d pictures in the outputs, want at least %d", n, s.Images))
	}
	return bad
}

// mustFail holds the notebooks of notebooks/runnb/testdata, which check the runner itself: each
// must fail (run with -expect-failure), and its report must say this.
var mustFail = map[string]string{
	"compile.ipynb": `go build`,
	"panic.ipynb":   `the Go program crashed (panic:)`,
	"shell.ipynb":   `a command failed (exit status 1)`,
}
