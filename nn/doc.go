// Package nn is a small neural-network library on top of lanes' kernels: a row-major float32
// matrix, layers with forward and backward passes, losses, optimizers, a training loop, and model
// files in PyTorch's weights format.
//
// # Layers
//
// Dense, Conv2D, MaxPool2D, AvgPool2D, Flatten, BatchNorm, Dropout, Maxout and Identity, and the
// activations Step, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, GELU (exact, or the tanh approximation
// with NewGELUTanh), SiLU, Softplus and Softmax, each the PyTorch module of the same name. Every
// activation is one lanes kernel forward and one backward (kernels.GELU and kernels.GELUGrad,
// ...). A Sequential runs some neighbours as one pass with the same results: a Dense layer and a
// ReLU, Sigmoid or Tanh after it are one product with the bias and the activation in its epilogue
// (kernels.Linear), in training and inference, and so are a Dense layer and an exact GELU or SiLU
// in inference (in training these need the product before the activation for their backward
// pass, which the Dense layer then writes); a ReLU after a Conv2D or before a MaxPool2D is
// applied by that layer, and a Conv2D, ReLU and 2x2 MaxPool2D run as one pass.
//
// # Training
//
// A Trainer runs the loss and an optimizer (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam, with
// L2 weight decay) over shuffled epochs or batches drawn at random (Fit and FitConfig), with
// callbacks after every iteration and epoch and a learning-rate Schedule (CosineDecay,
// StepDecay, or any func) applied before every epoch. Its samples are a Matrix, a ByteMatrix
// (images kept as bytes, converted a batch at a time) or RandomShift of either (images moved by a
// few pixels each time they are used, the data augmentation that takes SimpleConvNet past 99%).
//
// # Concurrency
//
// Inference is safe for concurrent use: any number of goroutines may call Predict, PredictInto,
// Classify, ClassifyInto, PredictProba, PredictProbaInto, Evaluate and Accuracy on one model at
// once, and each call returns memory the caller owns (its scratch comes from a pool, not from the
// layers). Saving (SaveFile, SaveWeights, MarshalBinary) only reads the model and may run
// alongside. Training is single-owner: Forward, Backward, a Trainer's Step and Fit, an
// Optimizer's Step, LoadWeights and Add must not overlap any other call on the same model, layer,
// loss or optimizer. A Matrix is plain data, safe to read from many goroutines, not to write
// while others read.
//
// # Model files
//
// Model files are safetensors files (8 bytes of little-endian header length, a JSON header,
// the raw little-endian tensors) whose tensors carry the names and layouts of PyTorch's
// nn.Sequential.state_dict() for the same layers: "0.weight" [out, in] and "0.bias" for a Dense
// at index 0, BatchNorm's weight, bias, running_mean and running_var. SaveWeights and LoadWeights
// move weights between lanes and PyTorch (load_state_dict accepts lanes' file, lanes reads
// PyTorch's, F16 and BF16 widened to float32); SaveFile and LoadFile add the architecture and a
// checksum in __metadata__, so that a model loads without code. Every loader reads no further
// than the file's header announces and checks the header against the file before it allocates.
package nn
