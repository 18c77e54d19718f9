#!/bin/sh
# lanes' SimpleConvNet against PyTorch's on one core, in one run, alternating:
#
#	bench/peers/cnn_compare.sh [ROUNDS]    (default 3; run from anywhere)
#
# The SimpleConvNet rows of `make compare`: each round trains one epoch with each (Adam 1e-3,
# batches of 100, shuffled; PyTorch through peers.py with one thread) and times the
# classification of the 10,000 test images in batches of 1000 (nn.Evaluate, and model(x) under
# torch.no_grad()); the table gives the medians and lanes' time as a fraction of PyTorch's.
# MNIST must be in the data folder (`make data`); PyTorch is Debian's python3-torch
# (/usr/bin/python3, or $LANES_PYTHON).
set -eu
cd "$(dirname "$0")/../.."
exec go run ./bench/cmd/compare -only '^cnn(-infer)?$' -repeats "${1:-3}" -python "${LANES_PYTHON:-/usr/bin/python3}"
