"""PyTorch reference trajectories for `optiscope train`: small networks trained by torch.optim.

Run from the repository root (the optiscope binary must be built, e.g. ``cargo build``):

    python3 tests/reference/networks.py            # writes tests/reference/networks.json
    python3 tests/reference/networks.py --check    # regenerates in memory, compares, writes nothing

For every case in ``CASES`` it asks optiscope for the data set and the initial parameters only
(``optiscope train --dump-data --dump-init``: the generated points, the minibatch order and
nn.Linear's initial values), then trains the same network in PyTorch, float64 on the CPU:
``nn.Sequential`` of ``nn.Linear`` layers and the activation, ``BCEWithLogitsLoss`` (binary
classification) or ``MSELoss`` (regression), mean reduction, gradients by autograd, the
``torch.optim`` optimizer (``foreach=False``; Lion as below) and the learning rates of
``tests/reference/generate.py``'s ``LrSource`` (torch's schedulers, warmup via SequentialLR,
ReduceLROnPlateau fed the training loss).

Row k (k = 0..steps) is ``[k, lr_k, loss, test_loss, grad_norm]`` at θ_k: the mean loss over
all training rows, over the held-out rows, and the Euclidean norm of the full training loss's
gradient over all parameters. Update k uses lr_k and the gradient of the rows
``batches[k]`` (the whole training set without ``--batch-size``). A run stops (``diverged_at``
= k, row k not kept) when a parameter is non-finite or exceeds 1e8 in magnitude, or the loss
or gradient norm is not finite.

For the cases in ``SHARPNESS`` the top eigenvalue of the training loss's Hessian (the full
Hessian by ``torch.autograd.functional.hessian`` over the flattened parameters, in
``nn.Sequential``'s order, then ``torch.linalg.eigvalsh``) is recorded at the steps
``SHARPNESS_STEPS`` as ``sharpness: [[k, λmax], ...]`` (``optiscope train --extra sharpness``).

``--check`` regenerates and compares with the committed file: the specs, row counts and
``diverged_at`` must match exactly and every number to a relative 1e-12 (torch's summation
order is its own; the optiscope test compares at 1e-9).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402  (the spec parser, the optimizers' torch names and LrSource)

torch.set_default_dtype(torch.float64)

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "networks.json"
BIN = os.environ.get("OPTISCOPE_BIN", "target/debug/optiscope")
BOUND = 1e8

MLP = "mlp(hidden=[16,16],activation=tanh)"
MOONS = "moons(n=200,noise=0.1,seed=0)"
CASES = [
    # name, model, data, optimizer, lr, schedule, warmup, batch_size
    ("sgd", MLP, MOONS, "sgd", 0.5, None, None, 0),
    ("sgd_nesterov_step", MLP, MOONS, "sgd(momentum=0.9,nesterov=true)", 0.05, "step(step_size=50,gamma=0.5)", None, 0),
    ("sgd_momentum_minibatch", MLP, MOONS, "sgd(momentum=0.9,weight_decay=0.001)", 0.05, None, None, 32),
    ("adagrad", MLP, MOONS, "adagrad(lr_decay=0.001)", 0.05, None, None, 0),
    ("rmsprop_centered", MLP, MOONS, "rmsprop(momentum=0.5,centered=true)", 0.002, "exponential(gamma=0.99)", None, 0),
    ("adam_cosine_warmup", MLP, MOONS, "adam", 0.01, "cosine(T_max=200)", "linear(steps=20,start_factor=0)", 0),
    ("adam_minibatch", MLP, MOONS, "adam(amsgrad=true)", 0.005, None, "constant(steps=10,factor=0.1)", 16),
    ("adamw_one_cycle", "mlp(hidden=[8,8],activation=relu)", "circles(n=160,noise=0.05,seed=1)", "adamw(weight_decay=0.05)", 0.02, "one_cycle(total_steps=200)", None, 0),
    ("nadam_sigmoid", "mlp(hidden=[12],activation=sigmoid)", "xor(n=120,seed=2)", "nadam", 0.01, None, None, 0),
    ("radam_regression", "mlp(hidden=[16],activation=tanh)", "sine(n=100,noise=0.1,seed=3)", "radam", 0.01, None, None, 0),
    ("adadelta_regression", "mlp(hidden=[16],activation=tanh)", "line(n=100,noise=0.1,seed=4)", "adadelta", 1.0, None, None, 20),
    ("lion_spirals", "mlp(hidden=[16,16],activation=tanh)", "spirals(n=200,noise=0.05,seed=5)", "lion(weight_decay=0.1)", 0.0003, None, None, 0),
    ("sgd_plateau", MLP, "gaussians(n=200,seed=6)", "sgd", 0.2, "plateau(patience=5,factor=0.5)", None, 0),
]
STEPS = 200
SHARPNESS = ("sgd", "adam_cosine_warmup", "sgd_plateau", "radam_regression")
SHARPNESS_STEPS = (0, 100, 200)


def top_hessian_eigenvalue(net, loss_fn, x, y):
    from torch.func import functional_call
    named = [(n, p.detach()) for n, p in net.named_parameters()]
    sizes = [p.numel() for _, p in named]

    def loss_of(flat):
        chunks = torch.split(flat, sizes)
        params = {n: c.view(p.shape) for (n, p), c in zip(named, chunks)}
        return loss_fn(functional_call(net, params, (x,)), y)

    flat = torch.cat([p.reshape(-1) for _, p in named])
    hessian = torch.autograd.functional.hessian(loss_of, flat)
    return float(torch.linalg.eigvalsh(hessian).max())


class Lion(torch.optim.Optimizer):
    """Lion (Chen et al. 2023), not in torch.optim: the sign of an interpolated momentum with
    decoupled weight decay θ ← θ(1 − lr·wd) before the step."""

    def __init__(self, params, lr, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                m = self.state[p].setdefault("m", torch.zeros_like(p))
                p.mul_(1 - group["lr"] * group["weight_decay"])
                p.add_(torch.sign(b1 * m + (1 - b1) * p.grad), alpha=-group["lr"])
                m.mul_(b2).add_(p.grad, alpha=1 - b2)


def torch_optimizer(spec, params, lr):
    name, p = generate.parse_spec(spec, "optimizers")
    if "beta1" in p:
        p["betas"] = (p.pop("beta1"), p.pop("beta2"))
    if name == "lion":
        return Lion(params, lr=lr, **p)
    if name in ("nadam", "radam"):
        p["decoupled_weight_decay"] = False
    cls = getattr(torch.optim, generate.TORCH_OPTIMIZERS[name])
    return cls(params, lr=lr, foreach=False, **p)


def dumps(model, data, optimizer, lr, batch_size):
    """optiscope's data set (with the minibatch order) and initial parameters."""
    with tempfile.TemporaryDirectory() as tmp:
        d, i = Path(tmp) / "data.json", Path(tmp) / "init.json"
        cmd = [BIN, "train", "--model", model, "--data", data, "--optimizer", optimizer,
               "--lr", repr(lr), "--steps", str(STEPS), "--out", os.devnull,
               "--dump-data", str(d), "--dump-init", str(i)]
        if batch_size:
            cmd += ["--batch-size", str(batch_size)]
        subprocess.run(cmd, check=True, cwd=ROOT)
        return json.loads(d.read_text()), json.loads(i.read_text())


def activation(model):
    _, p = generate.parse_spec(model, "models")
    return dict(tanh=torch.nn.Tanh, relu=torch.nn.ReLU, sigmoid=torch.nn.Sigmoid)[p["activation"]]


def sequential(init, activation_class):
    """nn.Sequential of nn.Linear layers holding `--dump-init`'s values, with
    `activation_class` between them."""
    layers = []
    for k, layer in enumerate(init["layers"]):
        w = torch.tensor(layer["weight"])
        linear = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            linear.weight.copy_(w)
            linear.bias.copy_(torch.tensor(layer["bias"]))
        layers.append(linear)
        if k < len(init["layers"]) - 1:
            layers.append(activation_class())
    return torch.nn.Sequential(*layers)


def simulate(case):
    name, model_spec, data_spec, optimizer, lr0, schedule, warmup, batch_size = case
    data, init = dumps(model_spec, data_spec, optimizer, lr0, batch_size)
    net = sequential(init, activation(model_spec))
    x, y = torch.tensor(data["x"]), torch.tensor(data["y"]).unsqueeze(1)
    x_test, y_test = torch.tensor(data["x_test"]), torch.tensor(data["y_test"]).unsqueeze(1)
    classify = not data_spec.startswith(("line", "sine"))
    loss_fn = torch.nn.BCEWithLogitsLoss() if classify else torch.nn.MSELoss()
    opt = torch_optimizer(optimizer, net.parameters(), lr0)
    lrs = generate.LrSource(lr0, schedule, warmup, STEPS)
    batches = data.get("batches")
    rows, diverged_at, sharpness = [], None, []
    for k in range(STEPS + 1):
        net.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        loss = loss.item()
        if k > 0 and math.isfinite(loss):
            lrs.observe(k, loss)
        lr = lrs.lr(k)
        grad_norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in net.parameters()))
        runaway = any(not bool(torch.isfinite(p).all()) or float(p.abs().max()) > BOUND
                      for p in (q.detach() for q in net.parameters()))
        if runaway or not (math.isfinite(loss) and math.isfinite(grad_norm) and math.isfinite(lr)):
            diverged_at = k
            break
        with torch.no_grad():
            test_loss = loss_fn(net(x_test), y_test).item()
        rows.append([k, lr, loss, test_loss, grad_norm])
        if name in SHARPNESS and k in SHARPNESS_STEPS:
            sharpness.append([k, top_hessian_eigenvalue(net, loss_fn, x, y)])
        if k == STEPS:
            break
        if batches:
            net.zero_grad()
            rows_k = torch.tensor(batches[k])
            loss_fn(net(x[rows_k]), y[rows_k]).backward()
        opt.param_groups[0]["lr"] = lr
        opt.step()
    return dict(name=name, model=model_spec, data=data_spec, optimizer=optimizer, lr=lr0,
                schedule=schedule, warmup=warmup, batch_size=batch_size, seed=0, steps=STEPS,
                rows=rows, diverged_at=diverged_at, sharpness=sharpness)


def close(a, b, rel):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    generate.FAMILIES = generate.FAMILIES + ("models", "data_sets")
    generate.load_registry(BIN)
    cases = [simulate(c) for c in CASES]
    if not args.check:
        OUT.write_text(json.dumps(dict(cases=cases), indent=1) + "\n")
        print(f"wrote {len(cases)} cases to {OUT}")
        return
    committed = json.loads(OUT.read_text())["cases"]
    bad = []
    for new, old in zip(cases, committed):
        # rows and sharpness are floats that the CPU's kernels may round differently in the last ulp
        same = {k: v for k, v in new.items() if k not in ("rows", "sharpness")} == \
            {k: v for k, v in old.items() if k not in ("rows", "sharpness")}
        sharp = len(new["sharpness"]) == len(old["sharpness"]) and all(
            sa[0] == sb[0] and close(sa[1], sb[1], 1e-12) for sa, sb in zip(new["sharpness"], old["sharpness"]))
        if not same or not sharp or len(new["rows"]) != len(old["rows"]):
            bad.append(new["name"])
            continue
        if not all(close(a, b, 1e-12) for ra, rb in zip(new["rows"], old["rows"]) for a, b in zip(ra, rb)):
            bad.append(new["name"])
    if len(cases) != len(committed) or bad:
        sys.exit(f"networks.json differs from PyTorch in: {bad or 'the number of cases'}")
    print(f"networks.json: {len(cases)} cases agree with PyTorch")


if __name__ == "__main__":
    main()
