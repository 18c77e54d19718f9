#!/usr/bin/env python3
"""PyTorch fixture for the activations of modern networks in lanes' nn package.

    python3 pytorch_activations.py generate [DIR]
        Writes, into DIR (default: this script's folder), from a fixed seed:
          act_mlp.safetensors   the state_dict of the MLP below (float32)
          act_mlp.json          its input and PyTorch's output

    python3 pytorch_activations.py check WEIGHTS.safetensors INPUT.json
        Builds the MLP, loads WEIGHTS with load_state_dict(strict=True), runs it in eval mode on
        INPUT.json's "input" and prints {"output": [...]} on stdout.

The MLP has every activation lanes has a layer for since GELU: nn.GELU() (lanes NewGELU),
nn.GELU(approximate="tanh") (NewGELUTanh), nn.SiLU, nn.Softplus (beta 1, threshold 20), nn.ELU,
nn.LeakyReLU and nn.ReLU, each after an nn.Linear. The safetensors reader and writer are those of
pytorch_fixtures.py beside this file.
"""

import json
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pytorch_fixtures import flat, load_safetensors, save_safetensors  # noqa: E402


def act_mlp():
    """lanes: Dense(6, 10), GELU, Dense(10, 10), GELUTanh, Dense(10, 8), SiLU, Dense(8, 8),
    Softplus, Dense(8, 8), ELU(0.5), Dense(8, 6), LeakyReLU(0.2), Dense(6, 6), ReLU, Dense(6, 4)."""
    return nn.Sequential(
        nn.Linear(6, 10), nn.GELU(), nn.Linear(10, 10), nn.GELU(approximate="tanh"),
        nn.Linear(10, 8), nn.SiLU(), nn.Linear(8, 8), nn.Softplus(), nn.Linear(8, 8), nn.ELU(0.5),
        nn.Linear(8, 6), nn.LeakyReLU(0.2), nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 4),
    )


def generate(out):
    out = Path(out)
    torch.manual_seed(20250101)
    model = act_mlp().eval()
    with torch.no_grad():  # larger weights, so that the activations see both tails
        for m in model:
            if isinstance(m, nn.Linear):
                m.weight.mul_(2.5)
                m.bias.uniform_(-1, 1)
    x = torch.randn(8, 6) * 2
    with torch.no_grad():
        y = model(x)
    save_safetensors(dict(model.state_dict()), out / "act_mlp.safetensors")
    fixture = {"layers": [repr(m) for m in model], "input_shape": list(x.shape), "input": flat(x), "output": flat(y)}
    (out / "act_mlp.json").write_text(json.dumps(fixture, indent=1) + "\n")


def check(weights, inp):
    model = act_mlp()
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
    elif args[:1] == ["check"] and len(args) == 3:
        check(*args[1:])
    else:
        sys.exit(__doc__)
