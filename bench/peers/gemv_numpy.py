#!/usr/bin/env python3
"""numpy's x @ W (OpenBLAS sgemv) at the shapes of lanes' BenchmarkGemv, float32, one thread.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/gemv_numpy.py [--seconds S]

For each shape m x k x n it times y = x @ W (m = 1: a vector x of k elements times W of k x n)
or y = W @ x (n = 1: W of m x k times a vector x of k) into a preallocated y (numpy.matmul with
out=), in rounds of about 0.1 s, and prints one line per shape:

    numpy gemv f32/1x784x512 ns_per_op=... gflops=... rounds=... blas=...

ns_per_op is the median over the rounds of the mean time per product in a round. Set
OPENBLAS_NUM_THREADS=1 (gemv_compare.sh does) so that OpenBLAS uses one core, as the lanes
benchmark does with -cpu 1.
"""
import argparse
import os
import statistics
import time

import numpy as np

SHAPES = [(1, 784, 512), (1, 4096, 4096), (4096, 4096, 1)]


def blas_name():
    """The BLAS library numpy's dot product is linked against, as far as the system says."""
    for lib in ("/etc/alternatives/libblas.so.3-x86_64-linux-gnu",
                "/etc/alternatives/libblas.so.3-aarch64-linux-gnu"):
        if os.path.exists(lib):
            return os.path.realpath(lib)
    return "unknown"


def bench(m, k, n, seconds):
    rng = np.random.default_rng(m * k * n)
    if m == 1:
        a = rng.uniform(-1, 1, size=k).astype(np.float32)  # x
        b = rng.uniform(-1, 1, size=(k, n)).astype(np.float32)  # W
        out = np.empty(n, dtype=np.float32)
    else:
        a = rng.uniform(-1, 1, size=(m, k)).astype(np.float32)  # W
        b = rng.uniform(-1, 1, size=k).astype(np.float32)  # x
        out = np.empty(m, dtype=np.float32)
    np.matmul(a, b, out=out)  # warm up
    # Calibrate the number of products per round of about 0.1 s.
    reps, t0 = 1, time.perf_counter()
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=out)
        dt = time.perf_counter() - t0
        if dt > 0.02:
            break
        reps *= 2
    reps = max(1, int(reps * 0.1 / dt))
    per_op = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(per_op) < 3:
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=out)
        per_op.append((time.perf_counter() - t0) / reps)
    ns = statistics.median(per_op) * 1e9
    return ns, len(per_op)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=1.0, help="time per shape (default 1)")
    args = p.parse_args()
    for m, k, n in SHAPES:
        ns, rounds = bench(m, k, n, args.seconds)
        print(f"numpy gemv f32/{m}x{k}x{n} ns_per_op={ns:.0f} gflops={2 * m * k * n / ns:.2f} "
              f"rounds={rounds} blas={blas_name()} threads={os.environ.get('OPENBLAS_NUM_THREADS', 'default')}")


if __name__ == "__main__":
    main()
