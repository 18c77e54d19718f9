#!/usr/bin/python3
"""PyTorch's time for what lanes' SimpleConvNet benchmark measures, on one core.

    /usr/bin/python3 bench/peers/cnn_torch.py [--epochs N] [--threads T] [--data DIR] [--seed S]

(/usr/bin/python3: Debian's python3-torch; a python3 of its own, such as pyenv's, may lack torch.)

The model, the data and the loops are those of peers.py (`make compare` runs them through it):
MNIST from the IDX files of DIR, else $LANES_DATA, else the checkout's data/, pixels scaled to
[0, 1] as lanes does; the book's SimpleConvNet as an nn.Sequential

    Conv2d(1, 30, 5) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(4320, 100) -> ReLU -> Linear(100, 10)

(PyTorch's default initialisation), trained with Adam (lr 1e-3) and softmax cross-entropy on
batches of 100 in a new random order each epoch; then the trained model classifies the 10,000 test
images in batches of 1000 with model(x) under torch.no_grad(), timed after one warm-up batch. It
prints one line per measurement:

    torch train epochs=1 seconds=41.02 test_acc=0.9812
    torch infer images=10000 batch=1000 seconds=0.612

The training time covers the epochs alone (not the data loading nor the evaluation). Threads are
pinned with torch.set_num_threads (and OMP_NUM_THREADS, set before torch is imported).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default="")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--infer-only", action="store_true", help="skip the training (inference of an untrained model)")
    args = p.parse_args()
    peers.THREADS, peers.DATA = args.threads, args.data
    peers.pin_threads(args.threads)
    try:
        torch = peers.torch()
        torch.manual_seed(args.seed)
        model = peers.simple_conv_net()
        if not args.infer_only:
            x, y = peers.torch_mnist("train")
            secs = peers.train(model, x.view(-1, 1, 28, 28), y, args.epochs, args.batch, args.seed)
        inf = peers.cnn_infer(10000, 1000, model=model)
    except (ImportError, RuntimeError) as e:
        sys.exit(f"cnn_torch.py: {e}")
    if not args.infer_only:
        print(f"torch train epochs={args.epochs} seconds={secs:.2f} test_acc={inf['acc']:.4f}", flush=True)
    print(f"torch infer images=10000 batch=1000 seconds={inf['value']:.3f}", flush=True)


if __name__ == "__main__":
    main()
