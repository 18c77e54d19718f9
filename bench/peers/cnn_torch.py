#!/usr/bin/python3
"""PyTorch's time for what lanes' SimpleConvNet benchmark measures, on one core.

    /usr/bin/python3 bench/peers/cnn_torch.py [--epochs N] [--threads T] [--data DIR] [--seed S]

(/usr/bin/python3: Debian's python3-torch; a python3 of its own, such as pyenv's, may lack torch.)

Reads MNIST from the same IDX files as lanes (DIR, else $LANES_DATA, else the checkout's data/),
scales the pixels to [0, 1] as lanes does, builds the book's SimpleConvNet as an nn.Sequential

    Conv2d(1, 30, 5) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(4320, 100) -> ReLU -> Linear(100, 10)

(PyTorch's default initialisation), trains it with Adam (lr 1e-3) and softmax cross-entropy on
batches of 100 in a new random order each epoch, then times inference of the 10,000 test images
in batches of 1000 with model(x) under torch.no_grad(). It prints one line per measurement:

    torch train epochs=1 seconds=41.02 test_acc=0.9812
    torch infer images=10000 batch=1000 seconds=0.612

The training time covers the epochs alone (not the data loading nor the evaluation). Threads are
pinned with torch.set_num_threads (and OMP_NUM_THREADS, set before torch is imported).
"""

import argparse
import os
import sys
import time
from pathlib import Path


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default="")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--infer-only", action="store_true", help="skip the training (inference of an untrained model)")
    return p.parse_args()


args = parse()
os.environ["OMP_NUM_THREADS"] = str(args.threads)
os.environ["MKL_NUM_THREADS"] = str(args.threads)

import torch  # noqa: E402
from torch import nn  # noqa: E402


def data_dir():
    for d in (args.data, os.environ.get("LANES_DATA", ""), str(Path(__file__).resolve().parents[2] / "data")):
        if d and (Path(d) / "train-images-idx3-ubyte").exists():
            return Path(d)
    sys.exit("cnn_torch.py: no MNIST IDX files (train-images-idx3-ubyte, ...) in --data, $LANES_DATA or data/; `make data` fetches them")


def idx(path):
    raw = bytearray(Path(path).read_bytes())
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(raw, dtype=torch.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(d, split):
    x = idx(d / f"{split}-images-idx3-ubyte").float() / 255
    y = idx(d / f"{split}-labels-idx1-ubyte").long()
    return x.reshape(-1, 1, 28, 28), y


def simple_conv_net():
    return nn.Sequential(
        nn.Conv2d(1, 30, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(30 * 12 * 12, 100), nn.ReLU(), nn.Linear(100, 10),
    )


def main():
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    d = data_dir()
    xtr, ytr = load(d, "train")
    xte, yte = load(d, "t10k")
    model = simple_conv_net()
    if not args.infer_only:
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        lossf = nn.CrossEntropyLoss()
        model.train()
        t0 = time.perf_counter()
        for _ in range(args.epochs):
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), args.batch):
                b = perm[i : i + args.batch]
                opt.zero_grad(set_to_none=True)
                loss = lossf(model(xtr[b]), ytr[b])
                loss.backward()
                opt.step()
        secs = time.perf_counter() - t0
    model.eval()
    with torch.no_grad():
        model(xte[:1000])  # warm-up
        t0 = time.perf_counter()
        correct = 0
        for i in range(0, len(xte), 1000):
            correct += (model(xte[i : i + 1000]).argmax(1) == yte[i : i + 1000]).sum().item()
        isecs = time.perf_counter() - t0
    if not args.infer_only:
        print(f"torch train epochs={args.epochs} seconds={secs:.2f} test_acc={correct / len(xte):.4f}", flush=True)
    print(f"torch infer images={len(xte)} batch=1000 seconds={isecs:.3f}", flush=True)


if __name__ == "__main__":
    main()
