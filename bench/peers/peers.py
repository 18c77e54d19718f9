#!/usr/bin/python3
"""The peers of `make compare`: PyTorch and numpy on the workloads lanes is measured on.

    /usr/bin/python3 bench/peers/peers.py [--threads T] [--data DIR] COMMAND [ARGS]

(/usr/bin/python3: Debian's python3-numpy, python3-torch and libopenblas0-pthread; another python3,
such as pyenv's, may lack them.) Threads are pinned before numpy or torch is loaded:
OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS are set to T (default 1), and
torch.set_num_threads(T).

Commands (one measurement each, printed as one line key=value ...):

    versions                                  what is installed: numpy, its BLAS, torch
    elementwise NAME [--n N] [--mintime S]    torch on N float32 elements (default 1M), Gelem/s;
                                              NAME: exp sigmoid tanh gelu gelu-tanh silu softplus
                                              elu leaky-relu log softmax log-softmax (rows of 1024)
    gemm M K N [--mintime S]                  numpy float32 a @ b (a M x K, b K x N), GFLOP/s
    linear-relu M K N [--mintime S]           torch relu(x @ w + bias) (addmm, relu_), GFLOP/s
    booknet [--iterations I]                  numpy: the book's two-layer net 784-50-10, seconds
    mlp [--epochs E] [--limit L]              torch: 784-512-512-10, Adam, batches of 128, seconds
    cnn-train [--epochs E] [--limit L]        torch: SimpleConvNet, Adam, batches of 100, seconds
    cnn-infer [--images I]                    torch: SimpleConvNet inference, batches of 1000, seconds
    serve                                     read requests as JSON lines on stdin, answer each
                                              with one JSON line on stdout (bench/cmd/compare)

A rate is measured as lanes measures it: the operation is called once to warm up, then repeatedly
until --mintime seconds (default 0.3) have passed; the rate is the work done over the time taken.
The operands are made once per workload and kept between requests. A training time covers the
training alone: not the data loading, the model's creation nor the evaluation of the test accuracy
that follows (test_acc). MNIST is read from the IDX files of DIR, else $LANES_DATA, else the
checkout's data/ (`make data` fetches them); pixels are scaled to [0, 1] as lanes does.

The workloads, each the same as lanes' in bench/cmd/compare:

- element-wise: inputs uniform in [-10, 10) ([-5, 5) for tanh, (0, 10] for log), the out= form
  of each function where PyTorch has one (torch.exp(x, out=y); torch._C._nn.gelu(x, out=y), which
  F.gelu calls; ...), so that no call allocates; ELU with alpha 1, LeakyReLU with slope 0.01.
- gemm: np.matmul(a, b, out=c) on float32, C-contiguous operands: OpenBLAS's sgemm when numpy is
  linked with Debian's libopenblas0-pthread; with M = 1 or N = 1, x @ W or W @ x with a
  one-dimensional x (OpenBLAS's sgemv), as bench/peers/gemv_numpy.py times them.
- booknet: the two-layer network of "Deep Learning from Scratch" (Affine, ReLU, Affine,
  SoftmaxWithLoss), float32, He-initialised, SGD with learning rate 0.1, 10,000 batches of 100
  drawn at random with replacement (the book's np.random.choice), the loss computed every batch.
- mlp: nn.Sequential(Linear(784, 512), ReLU, Linear(512, 512), ReLU, Linear(512, 10)), Adam 1e-3,
  cross-entropy, one epoch of batches of 128 in a new random order.
- cnn-train, cnn-infer: the book's SimpleConvNet, Conv2d(1, 30, 5) -> ReLU -> MaxPool2d(2) ->
  Flatten -> Linear(4320, 100) -> ReLU -> Linear(100, 10), Adam 1e-3, batches of 100; inference of
  the 10,000 test images in batches of 1000 with model(x) under torch.no_grad() after one warm-up
  batch.
"""

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path


def pin_threads(n):
    """Sets the thread counts of OpenMP, OpenBLAS and MKL; must run before numpy or torch loads."""
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[k] = str(n)


THREADS = 1
DATA = ""


def np():
    import numpy

    return numpy


_torch = None


def torch():
    """Imports torch once, with its intra-op threads pinned."""
    global _torch
    if _torch is None:
        import torch as t

        t.set_num_threads(THREADS)
        _torch = t
    return _torch


# ---- timing ------------------------------------------------------------------------------------


def rate(f, work, mintime):
    """Calls f once, then until mintime seconds have passed; returns work per second."""
    f()
    calls = 0
    t0 = time.perf_counter()
    while True:
        f()
        calls += 1
        el = time.perf_counter() - t0
        if el >= mintime:
            return calls * work / el


# ---- MNIST -------------------------------------------------------------------------------------


def data_dir():
    for d in (DATA, os.environ.get("LANES_DATA", ""), str(Path(__file__).resolve().parents[2] / "data")):
        if d and (Path(d) / "train-images-idx3-ubyte").exists():
            return Path(d)
    raise RuntimeError("no MNIST IDX files (train-images-idx3-ubyte, ...) in --data, $LANES_DATA or data/; `make data` fetches them")


def read_idx(path):
    raw = Path(path).read_bytes()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np().frombuffer(raw, dtype=np().uint8, offset=4 + 4 * ndim).reshape(dims)


_mnist = {}


def mnist(split):
    """MNIST's split ("train" or "t10k") as float32 rows of 784 pixels in [0, 1] and int64 labels."""
    if split not in _mnist:
        d = data_dir()
        x = read_idx(d / f"{split}-images-idx3-ubyte").reshape(-1, 784).astype(np().float32) / 255
        y = read_idx(d / f"{split}-labels-idx1-ubyte").astype(np().int64)
        _mnist[split] = (x, y)
    return _mnist[split]


def torch_mnist(split, limit=0):
    x, y = mnist(split)
    if limit > 0:
        x, y = x[:limit], y[:limit]
    return torch().from_numpy(x), torch().from_numpy(y)


# ---- element-wise and row-wise kernels (torch) --------------------------------------------------

ROW = 1024  # the row length of softmax and log-softmax


def elementwise_op(name, x, y):
    """The torch call of name from x into y, and its description."""
    t = torch()
    nn = t._C._nn
    ops = {
        "exp": (lambda: t.exp(x, out=y), "torch.exp(x, out=y)"),
        "sigmoid": (lambda: t.sigmoid(x, out=y), "torch.sigmoid(x, out=y)"),
        "tanh": (lambda: t.tanh(x, out=y), "torch.tanh(x, out=y)"),
        "gelu": (lambda: nn.gelu(x, out=y), "F.gelu (torch._C._nn.gelu(x, out=y))"),
        "gelu-tanh": (lambda: nn.gelu(x, approximate="tanh", out=y), "F.gelu(approximate='tanh') (out=y)"),
        "silu": (lambda: nn.silu(x, out=y), "F.silu (torch._C._nn.silu(x, out=y))"),
        "softplus": (lambda: nn.softplus(x, 1, 20, out=y), "F.softplus (torch._C._nn.softplus(x, 1, 20, out=y))"),
        "elu": (lambda: nn.elu(x, 1.0, 1, 1, out=y), "F.elu (torch._C._nn.elu(x, 1.0, out=y))"),
        "leaky-relu": (lambda: nn.leaky_relu(x, 0.01, out=y), "F.leaky_relu (torch._C._nn.leaky_relu(x, 0.01, out=y))"),
        "log": (lambda: t.log(x, out=y), "torch.log(x, out=y)"),
        "softmax": (lambda: t._softmax(x.view(-1, ROW), 1, False, out=y.view(-1, ROW)), "F.softmax(dim=1) (torch._softmax(x, 1, False, out=y))"),
        "log-softmax": (lambda: t._log_softmax(x.view(-1, ROW), 1, False, out=y.view(-1, ROW)), "F.log_softmax(dim=1) (torch._log_softmax(x, 1, False, out=y))"),
    }
    if name not in ops:
        raise ValueError(f"unknown element-wise kernel {name!r}; one of {' '.join(ops)}")
    return ops[name]


def input_range(name):
    return {"tanh": (-5.0, 5.0)}.get(name, (-10.0, 10.0))


_cache = {}


def cached(key, make):
    if key not in _cache:
        _cache[key] = make()
    return _cache[key]


def elementwise(name, n=1 << 20, mintime=0.3):
    def make():
        t = torch()
        g = t.Generator().manual_seed(1)
        if name == "log":
            x = 10 * (1 - t.rand(n, generator=g))  # (0, 10]
        else:
            lo, hi = input_range(name)
            x = lo + (hi - lo) * t.rand(n, generator=g)
        y = t.empty_like(x)
        return elementwise_op(name, x, y)

    f, call = cached(("elementwise", name, n), make)
    return {"value": rate(f, n, mintime) / 1e9, "unit": "Gelem/s", "info": call}


# ---- matrix products ----------------------------------------------------------------------------


def operands(m, k, n, seed=1):
    rng = np().random.default_rng(seed)
    a = rng.uniform(-1, 1, (m, k)).astype(np().float32)
    b = rng.uniform(-1, 1, (k, n)).astype(np().float32)
    return a, b


def gemm(m, k, n, mintime=0.3):
    """numpy's a @ b; with m = 1 (x @ W) or n = 1 (W @ x) the vector is one-dimensional, as in
    gemv_numpy.py, so that numpy calls OpenBLAS's sgemv."""

    def make():
        a, b = operands(m, k, n)
        if m == 1:
            a = a.reshape(k)
        if n == 1:
            b = b.reshape(k)
        c = np().empty(np().matmul(a, b).shape, dtype=np().float32)
        return lambda: np().matmul(a, b, out=c)

    f = cached(("gemm", m, k, n), make)
    what = "numpy.matmul(a, b, out=c), float32"
    if m == 1 or n == 1:
        what = "numpy.matmul(x, W, out=y), float32, x one-dimensional" if m == 1 else "numpy.matmul(W, x, out=y), float32, x one-dimensional"
    return {"value": rate(f, 2 * m * k * n, mintime) / 1e9, "unit": "GFLOP/s", "info": what}


def linear_relu(m, k, n, mintime=0.3):
    def make():
        t = torch()
        a, b = operands(m, k, n)
        x, w = t.from_numpy(a), t.from_numpy(b)
        bias = t.from_numpy(np().random.default_rng(2).uniform(-1, 1, n).astype(np().float32))
        y = t.empty(m, n)

        def f():
            t.addmm(bias, x, w, out=y)
            t.relu_(y)

        return f

    f = cached(("linear-relu", m, k, n), make)
    return {"value": rate(f, 2 * m * k * n, mintime) / 1e9, "unit": "GFLOP/s", "info": "torch.addmm(bias, x, w, out=y); torch.relu_(y)"}


# ---- the book's two-layer network (numpy) -------------------------------------------------------


def booknet(iterations=10000, batch=100, lr=0.1, seed=1):
    """Trains the book's TwoLayerNet 784-50-10 with SGD; returns the time and the test accuracy."""
    N = np()
    f32 = N.float32
    xtr, ytr = mnist("train")
    xte, yte = mnist("t10k")
    rng = N.random.default_rng(seed)
    w1 = (rng.standard_normal((784, 50)) * N.sqrt(2 / 784)).astype(f32)
    b1 = N.zeros(50, f32)
    w2 = (rng.standard_normal((50, 10)) * N.sqrt(2 / 50)).astype(f32)
    b2 = N.zeros(10, f32)
    rows = N.arange(batch)
    lr = f32(lr)
    t0 = time.perf_counter()
    for _ in range(iterations):
        mask = rng.choice(len(xtr), batch)
        x, t = xtr[mask], ytr[mask]
        # forward: Affine, ReLU, Affine, SoftmaxWithLoss
        h = x @ w1 + b1
        a = N.maximum(h, 0)
        s = a @ w2 + b2
        s = s - s.max(axis=1, keepdims=True)
        e = N.exp(s)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -N.log(p[rows, t] + 1e-7).mean()  # noqa: F841 (the book records it)
        # backward
        p[rows, t] -= 1
        dy = p / f32(batch)
        dw2 = a.T @ dy
        db2 = dy.sum(axis=0)
        da = dy @ w2.T
        da[h <= 0] = 0
        dw1 = x.T @ da
        db1 = da.sum(axis=0)
        # SGD
        w1 -= lr * dw1
        b1 -= lr * db1
        w2 -= lr * dw2
        b2 -= lr * db2
    secs = time.perf_counter() - t0
    pred = (N.maximum(xte @ w1 + b1, 0) @ w2 + b2).argmax(axis=1)
    return {"value": secs, "unit": "s", "acc": float((pred == yte).mean()), "info": "numpy float32, the book's TwoLayerNet with SGD"}


# ---- PyTorch trainings --------------------------------------------------------------------------


def mlp_model():
    nn = torch().nn
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def simple_conv_net():
    nn = torch().nn
    return nn.Sequential(
        nn.Conv2d(1, 30, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(30 * 12 * 12, 100), nn.ReLU(), nn.Linear(100, 10),
    )


def train(model, x, y, epochs, batch, seed):
    """Adam 1e-3 and cross-entropy over epochs in a new random order each; returns the seconds."""
    t = torch()
    opt = t.optim.Adam(model.parameters(), lr=1e-3)
    lossf = t.nn.CrossEntropyLoss()
    g = t.Generator().manual_seed(seed)
    model.train()
    t0 = time.perf_counter()
    for _ in range(epochs):
        perm = t.randperm(len(x), generator=g)
        for i in range(0, len(x), batch):
            b = perm[i : i + batch]
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(x[b]), y[b])
            loss.backward()
            opt.step()
    return time.perf_counter() - t0


def accuracy(model, x, y, batch=1000):
    t = torch()
    model.eval()
    with t.no_grad():
        correct = sum((model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum().item() for i in range(0, len(x), batch))
    return correct / len(x)


def mlp(epochs=1, limit=0, batch=128, seed=1):
    t = torch()
    t.manual_seed(seed)
    x, y = torch_mnist("train", limit)
    xte, yte = torch_mnist("t10k")
    model = mlp_model()
    secs = train(model, x, y, epochs, batch, seed)
    return {"value": secs, "unit": "s", "acc": accuracy(model, xte, yte), "info": f"torch {t.__version__}, {len(x)} images, batches of {batch}"}


def cnn_train(epochs=1, limit=0, batch=100, seed=1):
    t = torch()
    t.manual_seed(seed)
    x, y = torch_mnist("train", limit)
    xte, yte = torch_mnist("t10k")
    model = simple_conv_net()
    secs = train(model, x.view(-1, 1, 28, 28), y, epochs, batch, seed)
    return {"value": secs, "unit": "s", "acc": accuracy(model, xte.view(-1, 1, 28, 28), yte),
            "info": f"torch {t.__version__}, {len(x)} images, batches of {batch}"}


def cnn_infer(images=10000, batch=1000, seed=1, model=None):
    """Classifies the first images test images in batches; returns the seconds (after a warm-up)."""
    t = torch()
    t.manual_seed(seed)
    x, y = torch_mnist("t10k", images)
    x = x.view(-1, 1, 28, 28)
    if model is None:
        model = cached(("cnn-infer-model", seed), simple_conv_net)
    model.eval()
    with t.no_grad():
        model(x[:batch])  # warm-up
        t0 = time.perf_counter()
        correct = 0
        for i in range(0, len(x), batch):
            correct += (model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum().item()
        secs = time.perf_counter() - t0
    return {"value": secs, "unit": "s", "acc": correct / len(x), "info": f"model(x) under torch.no_grad(), batches of {batch}"}


# ---- what is installed --------------------------------------------------------------------------


def blas_library():
    """The BLAS numpy's matmul runs on, from the libraries mapped into this process."""
    N = np()
    a = N.ones((64, 64), N.float32)
    a @ a  # loads the BLAS
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return "unknown"
    libs = sorted({line.split()[-1] for line in maps.splitlines() if "blas" in line.lower() and "/" in line})
    if any("openblas" in lib for lib in libs):
        return "OpenBLAS (" + ", ".join(libs) + ")"
    return "NOT OpenBLAS: " + (", ".join(libs) or "no BLAS library mapped") + " (install libopenblas0-pthread)"


def versions():
    out = {"python": sys.version.split()[0], "threads": THREADS}
    try:
        out["numpy"] = np().__version__
        out["blas"] = blas_library()
    except Exception as e:  # noqa: BLE001 (reported, not raised)
        out["numpy_error"] = f"{type(e).__name__}: {e}"
    try:
        out["torch"] = torch().__version__
        out["torch_threads"] = torch().get_num_threads()
    except Exception as e:  # noqa: BLE001
        out["torch_error"] = f"{type(e).__name__}: {e}"
    return out


# ---- the request loop ---------------------------------------------------------------------------

HANDLERS = {
    "versions": lambda r: versions(),
    "elementwise": lambda r: elementwise(r["name"], r.get("n", 1 << 20), r.get("mintime", 0.3)),
    "gemm": lambda r: gemm(r["m"], r["k"], r["n"], r.get("mintime", 0.3)),
    "linear-relu": lambda r: linear_relu(r["m"], r["k"], r["n"], r.get("mintime", 0.3)),
    "booknet": lambda r: booknet(r.get("iterations", 10000)),
    "mlp": lambda r: mlp(r.get("epochs", 1), r.get("limit", 0)),
    "cnn-train": lambda r: cnn_train(r.get("epochs", 1), r.get("limit", 0)),
    "cnn-infer": lambda r: cnn_infer(r.get("images", 10000)),
}


def handle(req):
    try:
        op = req.get("op")
        if op not in HANDLERS:
            raise ValueError(f"unknown op {op!r}")
        return {"ok": True, **HANDLERS[op](req)}
    except ModuleNotFoundError as e:
        return {"ok": False, "error": f"{e} (Debian's python3-numpy and python3-torch provide numpy and torch)"}
    except Exception as e:  # noqa: BLE001 (the caller reports it)
        return {"ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc(limit=3)}


def serve():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
        except json.JSONDecodeError as e:
            resp = {"ok": False, "error": f"bad request: {e}"}
        else:
            resp = handle(req)
        sys.stdout.write(json.dumps(resp) + "\n")
        sys.stdout.flush()


def main(argv):
    global THREADS, DATA
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 2)[2])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default="")
    p.add_argument("--mintime", type=float, default=0.3)
    p.add_argument("--n", type=int, default=1 << 20)
    p.add_argument("--iterations", type=int, default=10000)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--images", type=int, default=10000)
    p.add_argument("command")
    p.add_argument("args", nargs="*")
    a = p.parse_args(argv)
    THREADS, DATA = a.threads, a.data
    pin_threads(THREADS)
    if a.command == "serve":
        serve()
        return 0
    req = {"op": a.command, "mintime": a.mintime, "n": a.n, "iterations": a.iterations, "epochs": a.epochs, "limit": a.limit, "images": a.images}
    if a.command == "elementwise":
        if len(a.args) != 1:
            p.error("elementwise takes one kernel name")
        req["name"] = a.args[0]
    elif a.command in ("gemm", "linear-relu"):
        if len(a.args) != 3:
            p.error(f"{a.command} takes M K N")
        req["m"], req["k"], req["n"] = (int(v) for v in a.args)
    resp = handle(req)
    if not resp.pop("ok"):
        print(f"peers.py {a.command}: {resp['error']}", file=sys.stderr)
        return 1
    print(" ".join(f"{k}={v}" for k, v in resp.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
