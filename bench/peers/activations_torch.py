#!/usr/bin/python3
"""PyTorch's rates on the activations of bench/activation_test.go, one thread, float32.

    /usr/bin/python3 bench/peers/activations_torch.py [--n N] [--mintime S] [--threads T] [NAME ...]

Prints one line per kernel: its name, Gelem/s over N elements (default 1M) and the torch call
timed. The workloads are those of peers.py's `elementwise` command (the same module does the
timing): inputs uniform in [-10, 10) ((0, 10] for log), the out= form of each function so that no
call allocates, ELU with alpha 1, LeakyReLU with slope 0.01, log_softmax over rows of 1024.
NAME is any of the kernels below (default: all of them), by peers.py's names.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers  # noqa: E402  (after the path is set)

# The kernels, in the order of bench/activation_test.go's rows, then the others of issue 11.
KERNELS = ["silu", "elu", "leaky-relu", "gelu-tanh", "gelu", "softplus", "log", "log-softmax"]


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1 << 20, help="elements per call (default 1M)")
    p.add_argument("--mintime", type=float, default=0.3, help="seconds per kernel (default 0.3)")
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    p.add_argument("names", nargs="*", default=KERNELS, help="kernels, by peers.py's names")
    a = p.parse_args(argv)
    peers.pin_threads(a.threads)
    peers.THREADS = a.threads
    t = peers.torch()
    print(f"torch {t.__version__}, {t.get_num_threads()} thread(s), n = {a.n}")
    for name in a.names:
        r = peers.elementwise(name, a.n, a.mintime)
        print(f"{name:<12} {r['value']:7.3f} {r['unit']}   {r['info']}")


if __name__ == "__main__":
    main(sys.argv[1:])
