#!/usr/bin/env python3
"""PyTorch fixtures for lanes' nn package, and the check that PyTorch loads what lanes saves.

    python3 pytorch_fixtures.py generate [DIR]
        Writes, into DIR (default: this script's folder), from fixed seeds:
          mlp.safetensors        the state_dict of the small MLP below (float32)
          mlp_f16.safetensors    the same weights as float16
          mlp_bf16.safetensors   the same weights as bfloat16
          mlp.json               its input and PyTorch's outputs (for each of the three files)
          cnn.safetensors        the state_dict of the small CNN below
          cnn.json               its input (NCHW, flattened per sample) and PyTorch's output

    python3 pytorch_fixtures.py check {mlp|cnn} WEIGHTS.safetensors INPUT.json
        Builds the architecture, loads WEIGHTS with load_state_dict(strict=True) (the way a
        lanes file is used in PyTorch), runs it in eval mode on INPUT.json's "input" and prints
        {"output": [...]} on stdout. lanes' tests run this when torch is installed.

The safetensors files are written and read with the safetensors package when it is installed,
else with the small reader and writer below (the format is 8 bytes of little-endian header
length, a JSON header, then the raw little-endian tensors), so that PyTorch alone suffices:

    state = load_safetensors("model.safetensors")[0]    # or safetensors.torch.load_file
    model.load_state_dict(state)

Layer i of lanes' Sequential is layer i of PyTorch's nn.Sequential, so the state_dict names
("0.weight", "1.running_mean", ...) match; lanes' Dense is nn.Linear (weight [out, in]), its
BatchNorm is nn.BatchNorm1d with momentum 1 - lanes' momentum.
"""

import json
import struct
import sys
from pathlib import Path

import torch
from torch import nn

DTYPES = {
    torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
    torch.bool: "BOOL",
}
TORCH_DTYPES = {v: k for k, v in DTYPES.items()}


def mlp():
    """The MLP fixture; lanes: Dense(12, 16), BatchNorm(16, 0.9, 1e-5), ReLU, Dropout(0.2),
    Dense(16, 10), Tanh, Dense(10, 8), ELU(1), Dense(8, 8), LeakyReLU(0.1), Dense(8, 6), Sigmoid,
    Dense(6, 5)."""
    return nn.Sequential(
        nn.Linear(12, 16), nn.BatchNorm1d(16, eps=1e-5, momentum=0.1), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(16, 10), nn.Tanh(), nn.Linear(10, 8), nn.ELU(1.0), nn.Linear(8, 8),
        nn.LeakyReLU(0.1), nn.Linear(8, 6), nn.Sigmoid(), nn.Linear(6, 5),
    )


def cnn():
    """The CNN fixture (input 1x8x8); lanes: Conv2D(1, 4, 3x3, pad 1), ReLU, MaxPool2D(2),
    Conv2D(4, 6, 3x3), ReLU, Flatten, Dense(24, 10), built for Shape{1, 8, 8}."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3), nn.ReLU(), nn.Flatten(), nn.Linear(6 * 2 * 2, 10),
    )


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: write its bits
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def save_safetensors(tensors, path, metadata=None):
    """Writes a dict of tensors as a safetensors file (safetensors.torch.save_file when the
    package is installed)."""
    try:
        from safetensors.torch import save_file
    except ImportError:
        pass
    else:
        save_file(tensors, str(path), metadata=metadata)
        return
    assert sys.byteorder == "little"
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        b = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-(8 + len(h)) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def load_safetensors(path):
    """Reads a safetensors file into a dict of tensors; returns it and the metadata."""
    try:
        from safetensors import safe_open
    except ImportError:
        pass
    else:
        with safe_open(str(path), framework="pt") as f:
            return {k: f.get_tensor(k) for k in f.keys()}, f.metadata() or {}
    assert sys.byteorder == "little"
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", {}) or {}
    out = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        raw = bytearray(data[8 + n + begin : 8 + n + end])
        if e["dtype"] == "BF16":
            t = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16) if raw else torch.empty(0, dtype=torch.bfloat16)
        else:
            dt = TORCH_DTYPES[e["dtype"]]
            t = torch.frombuffer(raw, dtype=dt) if raw else torch.empty(0, dtype=dt)
        out[name] = t.reshape(e["shape"]).clone()
    return out, meta


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def generate(out):
    out = Path(out)
    torch.manual_seed(20240611)

    model = mlp()
    # Train-mode passes move BatchNorm's running statistics away from 0 and 1; random affine
    # parameters make them matter.
    with torch.no_grad():
        model[1].weight.uniform_(0.5, 1.5)
        model[1].bias.uniform_(-0.5, 0.5)
        model.train()
        for _ in range(5):
            model(torch.randn(32, 12) * 2 + 0.5)
    model.eval()
    x = torch.randn(8, 12)
    fixture = {"layers": [repr(m) for m in model], "input_shape": list(x.shape), "input": flat(x)}
    state = model.state_dict()
    save_safetensors(dict(state), out / "mlp.safetensors")
    with torch.no_grad():
        fixture["output"] = flat(model(x))
        for name, dt in (("f16", torch.float16), ("bf16", torch.bfloat16)):
            low = {k: (v.to(dt) if v.is_floating_point() else v) for k, v in state.items()}
            save_safetensors(low, out / f"mlp_{name}.safetensors")
            m = mlp()
            m.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in low.items()})
            m.eval()
            fixture[f"output_{name}"] = flat(m(x))
    (out / "mlp.json").write_text(json.dumps(fixture, indent=1) + "\n")

    model = cnn().eval()
    x = torch.randn(4, 1, 8, 8)
    with torch.no_grad():
        y = model(x)
    save_safetensors(dict(model.state_dict()), out / "cnn.safetensors")
    fixture = {"layers": [repr(m) for m in model], "input_shape": list(x.shape), "input": flat(x), "output": flat(y)}
    (out / "cnn.json").write_text(json.dumps(fixture, indent=1) + "\n")


def check(arch, weights, inp):
    model = {"mlp": mlp, "cnn": cnn}[arch]()
    state, _ = load_safetensors(weights)
    model.load_state_dict(state, strict=True)
    model.eval()
    spec = json.loads(Path(inp).read_text())
    x = torch.tensor(spec["input"], dtype=torch.float32).reshape(spec["input_shape"])
    with torch.no_grad():
        y = model(x)
    json.dump({"output": flat(y)}, sys.stdout)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["generate"] and len(args) <= 2:
        generate(args[1] if len(args) == 2 else Path(__file__).parent)
    elif args[:1] == ["check"] and len(args) == 4:
        check(*args[1:])
    else:
        sys.exit(__doc__)
