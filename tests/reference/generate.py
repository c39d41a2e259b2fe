"""Independent PyTorch reference trajectories for optiscope's optimizers and LR schedules.

Run from the repository root (the optiscope binary must be built, e.g. ``cargo build``):

    python3 tests/reference/generate.py            # writes tests/reference/fixtures.json
    python3 tests/reference/generate.py --check    # regenerates in memory, compares, writes nothing

It simulates every case in ``CASES`` with the real ``torch.optim`` optimizers and
``torch.optim.lr_scheduler`` schedulers (float64, CPU) and writes
``tests/reference/fixtures.json``, which ``tests/reference.rs`` replays through optiscope.
The output is deterministic (no randomness; the JSON floats are Python ``repr`` values,
which round-trip exactly). ``--check`` exits non-zero when the regenerated cases differ from
the committed file in any spec, row count, divergence step or number (``--tolerance R``
accepts numbers within a relative R, measured as in the robustness filter below; default 0,
i.e. bit for bit); ``.ci/run`` calls it, so CI proves the fixtures come from PyTorch.

Semantics
---------
* Spec strings: ``name`` or ``name(key=value,...)`` without spaces; numbers in Python repr,
  lists ``[10,20]``, booleans ``true``/``false``, bare strings, ``None``. Every name, key,
  type and default comes from ``optiscope list --json``, run on the binary named by the
  environment variable ``OPTISCOPE_BIN`` (default ``target/debug/optiscope``): omitted keys
  take the registry's default, a key the registry marks required must be given (its listed
  default is only an example), and values are converted to the key's type (int, float,
  optional float, int list, bool, choice).
* Surfaces are torch expressions of p = [x, y]; f and the exact gradient come from autograd.
* Row k (k = 0..steps) is ``[k, lr_k, x_k, y_k, f(θ_k), ∂f/∂x(θ_k), ∂f/∂y(θ_k)]``; row 0
  is the start, ``lr_k`` is the rate update k (θ_k → θ_{k+1}) uses, row N holds the rate
  the schedule gives for step N.
* Optimizers: one 2-element float64 parameter, ``foreach=False``; before update k the
  optimizer's ``param_groups[0]['lr']`` is set to lr_k and ``p.grad`` to ∇f(θ_k). ``lion``
  (Chen et al. 2023) and ``newton`` (θ ← θ − lr·(H + damping·I)⁻¹·g, exact autograd
  Hessian, ``torch.linalg.solve``) are implemented here in torch; ``flow`` and
  ``modified_flow`` are checked on quadratics against their closed form, the matrix
  exponential (``torch.linalg.matrix_exp``).
* Schedules: the learning rates come from a training loop as a PyTorch user writes it: a
  dummy optimizer with lr = η0 and one scheduler; lr_t is ``param_groups[0]['lr']`` after t
  calls of ``optimizer.step(); scheduler.step()``. The scheduler is the torch class of the
  schedule (StepLR, MultiStepLR, ExponentialLR, PolynomialLR, LinearLR, CosineAnnealingLR,
  CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR), ``ConstantLR(factor=1.0)`` for
  ``constant``, and ``LambdaLR`` with ``lambda t: exp(-k t)`` for ``exp_decay`` and
  ``lambda t: 1 / (1 + k t)`` for ``inverse_time``. ``cyclic`` uses base_lr = η0 and
  ``one_cycle`` max_lr = η0 when they are omitted; both run with ``cycle_momentum=False``.
  OneCycleLR is not stepped past its own step total_steps − 1 and keeps that rate (torch
  raises when stepped past its end; optiscope holds the last rate).
* Warmup (W steps): ``SequentialLR(optimizer, [warmup, main], milestones=[W])``, so the main
  schedule starts from its own step 0 at t = W. ``linear(steps=W,start_factor=s)`` is
  ``LinearLR(start_factor=s, end_factor=1, total_iters=W)`` (η0·(s + (1−s)·t/W)), or, for
  s = 0, which LinearLR rejects, ``LambdaLR(lambda t: s + (1 − s)·t/W)``;
  ``constant(steps=W,factor=c)`` is ``ConstantLR(factor=c, total_iters=W)`` (η0·c). Before
  ``one_cycle`` both warmups are written as that ``LambdaLR`` (``lambda t: c`` for constant):
  OneCycleLR overwrites the optimizer's ``initial_lr`` with max_lr/div_factor, and LinearLR
  and ConstantLR scale that instead of η0. ``plateau`` (ReduceLROnPlateau, which
  SequentialLR refuses) is driven explicitly on a dummy optimizer: during a warmup the lr is
  η0·(s + (1−s)·t/W) or η0·c; from step W on it is that optimizer's lr, starting at η0;
  after update k ≥ W it is fed f(θ_{k+1}), and lr_{k+1} is the optimizer's lr afterwards.
* Divergence: after θ_k, f(θ_k), ∇f(θ_k) are computed, if any of them is non-finite or
  |x| > 1e8 or |y| > 1e8 the run stops with ``diverged_at = k``; row k is kept only if
  all 7 values are finite. Otherwise ``diverged_at`` is null.

Robustness filter
-----------------
optiscope is compared at relative error 1e-10 and its arithmetic differs from torch's by
rounding, so every case is rerun (a) with the start moved to (x·(1+1e-13), y·(1−1e-13))
(a zero coordinate is shifted by ±1e-13; row 0's x and y are then not compared), (b) with
every gradient multiplied by (1 + 1e-14), and (c) with θ multiplied by (1 ± 2^-51) after
every update (fresh rounding noise each step). The largest deviation
|a−b| / max(|a|,|b|,1e-6) over all rows must stay below 1e-11 and ``diverged_at`` must
agree. Discrete decisions must also have a safe relative margin (> 1e-8): Lion's sign(c)
and ReduceLROnPlateau's "is better" test. Cases marked ``exact`` (exact binary arithmetic,
e.g. a zero that no perturbation can keep) replace these checks with an exactness check.
"""

import argparse
import inspect
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

torch.set_default_dtype(torch.float64)

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "fixtures.json"
BOUND = 1e8  # |x| or |y| beyond this counts as divergence
FLOOR = 1e-6  # deviations of values below this are measured relative to it
MAX_DEVIATION = 1e-11
MIN_MARGIN = 1e-8  # relative distance of any discrete decision from its threshold
STEP_NOISE = 2.0**-51  # about two ulps, applied to θ after every update in check (c)

# ----------------------------------------------------------------------------- specs

REQUIRED = object()  # marks a spec key without a default
FAMILIES = ("surfaces", "optimizers", "schedules", "warmups")
REGISTRY = {}  # family -> name -> key -> (kind, default or REQUIRED), from load_registry()


def load_registry(binary):
    """Reads every name, key, type and default from ``optiscope list --json``."""
    try:
        out = subprocess.run([binary, "list", "--json"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"cannot run `{binary} list --json` ({e}); build optiscope (`cargo build`) or set "
                 "OPTISCOPE_BIN to its path")
    doc = json.loads(out)
    for family in FAMILIES:
        REGISTRY[family] = {
            item["name"]: {
                p["name"]: (p["kind"], REQUIRED if p["required"] else convert(p["kind"], p["default"], p["name"]))
                for p in item["params"]
            }
            for item in doc[family]["items"]
        }


def convert(kind, value, key):
    """A spec value (or a registry default) as the Python value of the key's kind."""
    t = kind["type"]
    is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "float" and is_num:
        return float(value)
    if t == "opt_float" and (value is None or is_num):
        return None if value is None else float(value)
    if t == "int" and is_num and value == int(value):
        return int(value)
    if t == "int_list" and isinstance(value, list):
        return [convert(dict(type="int"), v, key) for v in value]
    if t == "num_list" and isinstance(value, list):
        return [convert(dict(type="float"), v, key) for v in value]
    if t == "bool" and isinstance(value, bool):
        return value
    if t == "choice" and value in kind["choices"]:
        return value
    if t == "text" and isinstance(value, str):
        return value
    raise ValueError(f"{key}={value!r} is not a valid {kind}")


def parse_value(text):
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        return [parse_value(v) for v in inner.split(",")] if inner else []
    if text in ("true", "false"):
        return text == "true"
    if text == "None":
        return None
    for conv in (int, float):
        try:
            return conv(text)
        except ValueError:
            pass
    return text  # bare string


def parse_spec(text, family):
    """``name(k=v,...)`` -> (name, params merged over the registry's defaults)."""
    assert " " not in text, text
    name, _, rest = text.partition("(")
    given = {}
    if rest:
        assert rest.endswith(")"), text
        for item in re.split(r",(?![^\[]*\])", rest[:-1]):  # commas outside [..]
            key, _, value = item.partition("=")
            given[key] = parse_value(value)
    table = REGISTRY[family]
    if name not in table:
        raise ValueError(f"unknown name in {text!r}")
    keys = table[name]
    unknown = set(given) - set(keys)
    if unknown:
        raise ValueError(f"unknown keys {unknown} in {text!r}")
    missing = [k for k, (_, default) in keys.items() if default is REQUIRED and k not in given]
    if missing:
        raise ValueError(f"missing {missing} in {text!r}")
    params = {k: convert(kind, given[k], k) if k in given else default for k, (kind, default) in keys.items()}
    return name, params

# -------------------------------------------------------------------------- surfaces

TAU = 2 * math.pi


def quadratic(p, a, b, angle):
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    u = p[0] * c + p[1] * s
    v = -p[0] * s + p[1] * c
    return 0.5 * (a * u**2 + b * v**2)


def rosenbrock(p, a, b):
    return (a - p[0]) ** 2 + b * (p[1] - p[0] ** 2) ** 2


def saddle(p, a, b, c):
    return 0.5 * (a * p[0] ** 2 - b * p[1] ** 2) + (c / 4) * p[1] ** 4


def himmelblau(p):
    x, y = p[0], p[1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def beale(p):
    x, y = p[0], p[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def rastrigin(p, A):
    return 2 * A + (p**2 - A * torch.cos(TAU * p)).sum()


def ackley(p):
    x, y = p[0], p[1]
    r = torch.sqrt(0.5 * (x**2 + y**2))
    waves = torch.exp(0.5 * (torch.cos(TAU * x) + torch.cos(TAU * y)))
    return -20 * torch.exp(-0.2 * r) - waves + math.e + 20


SURFACE_FNS = {f.__name__: f for f in (quadratic, rosenbrock, saddle, himmelblau, beale, rastrigin, ackley)}


def make_surface(spec):
    name, params = parse_spec(spec, "surfaces")
    if name not in SURFACE_FNS:
        raise ValueError(f"no torch version of the surface {name!r}")
    return lambda p: SURFACE_FNS[name](p, **params)


def evaluate(f, theta):
    """(f(θ), ∇f(θ)) by autograd."""
    p = theta.detach().clone().requires_grad_(True)
    loss = f(p)
    (grad,) = torch.autograd.grad(loss, p)
    return loss.item(), grad

# ------------------------------------------------------------------------ optimizers


class TorchOptimizer:
    """A real torch.optim optimizer on a single 2-element parameter."""

    def __init__(self, cls, theta, **kwargs):
        self.p = theta.clone().requires_grad_(True)
        self.opt = cls([self.p], foreach=False, **kwargs)
        self.min_margin = math.inf

    def step(self, grad, lr):
        self.opt.param_groups[0]["lr"] = lr
        self.p.grad = grad.clone()
        self.opt.step()
        return self.p.detach().clone()

    def scale(self, factor):
        with torch.no_grad():
            self.p.mul_(factor)


class Lion:
    """Lion (Chen et al. 2023): sign of the interpolated momentum, decoupled weight decay."""

    def __init__(self, theta, beta1, beta2, weight_decay):
        self.theta, self.m = theta.clone(), torch.zeros(2)
        self.b1, self.b2, self.wd = beta1, beta2, weight_decay
        self.min_margin = math.inf

    def step(self, grad, lr):
        self.theta = self.theta * (1 - lr * self.wd)
        c = self.b1 * self.m + (1 - self.b1) * grad
        scale = (self.b1 * self.m).abs() + ((1 - self.b1) * grad).abs()
        for ci, si in zip(c.tolist(), scale.tolist()):
            if si > 0:  # how far c is from flipping its sign, relative to its terms
                self.min_margin = min(self.min_margin, abs(ci) / si)
        self.theta = self.theta - lr * torch.sign(c)
        self.m = self.b2 * self.m + (1 - self.b2) * grad
        return self.theta.clone()

    def scale(self, factor):
        self.theta = self.theta * factor


class Newton:
    """Damped Newton: θ ← θ − lr·(H + damping·I)⁻¹·g with the autograd Hessian."""

    def __init__(self, theta, f, damping):
        self.theta, self.f, self.damping = theta.clone(), f, damping
        self.min_margin = math.inf

    def step(self, grad, lr):
        hess = torch.autograd.functional.hessian(self.f, self.theta)
        direction = torch.linalg.solve(hess + self.damping * torch.eye(2), grad)
        self.theta = self.theta - lr * direction
        return self.theta.clone()

    def scale(self, factor):
        self.theta = self.theta * factor


class Flow:
    """Gradient flow and GD's modified flow, on quadratics, in closed form: over an update of
    lr, θ ← expm(−M·lr)·θ with M = H (flow) or H + lr·H²/2 (the flow of f + lr/4·|∇f|²),
    H the autograd Hessian, constant on a quadratic whose minimum is the origin. optiscope
    integrates the flow numerically; this is the exact answer it must reach."""

    def __init__(self, theta, f, modified):
        self.theta, self.f, self.modified = theta.clone(), f, modified
        self.min_margin = math.inf

    def step(self, grad, lr):
        h = torch.autograd.functional.hessian(self.f, self.theta)
        m = h + lr / 2 * h @ h if self.modified else h
        self.theta = torch.linalg.matrix_exp(-m * lr) @ self.theta
        return self.theta.clone()

    def scale(self, factor):
        self.theta = self.theta * factor


TORCH_OPTIMIZERS = dict(sgd="SGD", adagrad="Adagrad", rmsprop="RMSprop", adam="Adam", adamw="AdamW",
                        nadam="NAdam", radam="RAdam", adadelta="Adadelta")


def make_optimizer(spec, theta, lr, f):
    name, p = parse_spec(spec, "optimizers")
    if name == "lion":
        return Lion(theta, **p)
    if name == "newton":
        return Newton(theta, f, **p)
    if name in ("flow", "modified_flow"):
        return Flow(theta, f, modified=name == "modified_flow")
    if "beta1" in p:
        p["betas"] = (p.pop("beta1"), p.pop("beta2"))
    if name in ("nadam", "radam"):
        p["decoupled_weight_decay"] = False  # L2 penalty added to the gradient
    return TorchOptimizer(getattr(torch.optim, TORCH_OPTIMIZERS[name]), theta, lr=lr, **p)

# ------------------------------------------------------------------------- schedules

LR_SCHEDULER = torch.optim.lr_scheduler
TORCH_SCHEDULERS = dict(step="StepLR", multistep="MultiStepLR", exponential="ExponentialLR",
                        polynomial="PolynomialLR", linear="LinearLR", cosine="CosineAnnealingLR",
                        cosine_restarts="CosineAnnealingWarmRestarts", cyclic="CyclicLR",
                        one_cycle="OneCycleLR", plateau="ReduceLROnPlateau")


def dummy_optimizer(lr):
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def main_scheduler(name, p, opt, lr0):
    """The torch scheduler of a schedule on ``opt`` (lr = η0); the spec keys are the torch
    keyword arguments."""
    if name == "constant":
        return LR_SCHEDULER.ConstantLR(opt, factor=1.0)
    if name == "exp_decay":
        k = p["k"]
        return LR_SCHEDULER.LambdaLR(opt, lambda t: math.exp(-k * t))
    if name == "inverse_time":
        k = p["k"]
        return LR_SCHEDULER.LambdaLR(opt, lambda t: 1 / (1 + k * t))
    kwargs = dict(p)
    if name == "cyclic" and kwargs["base_lr"] is None:
        kwargs["base_lr"] = lr0
    if name == "one_cycle" and kwargs["max_lr"] is None:
        kwargs["max_lr"] = lr0
    if name in ("cyclic", "one_cycle"):
        kwargs["cycle_momentum"] = False
    return getattr(LR_SCHEDULER, TORCH_SCHEDULERS[name])(opt, **kwargs)


def warmup_factor(w_name, w):
    """The warmup's factor of η0 at step t < W, as a function (LambdaLR's lambda)."""
    if w_name == "linear":
        s, W = w["start_factor"], w["steps"]
        return lambda t: s + (1 - s) * t / W
    c = w["factor"]
    return lambda t: c


def warmup_scheduler(w_name, w, opt, main_name):
    """The warmup's torch scheduler on ``opt``, built before the main one."""
    if main_name != "one_cycle":  # OneCycleLR resets initial_lr, which these two would scale
        if w_name == "linear" and w["start_factor"] > 0:  # LinearLR requires 0 < start_factor
            return LR_SCHEDULER.LinearLR(opt, start_factor=w["start_factor"], end_factor=1.0,
                                         total_iters=w["steps"])
        if w_name == "constant":
            return LR_SCHEDULER.ConstantLR(opt, factor=w["factor"], total_iters=w["steps"])
    return LR_SCHEDULER.LambdaLR(opt, warmup_factor(w_name, w))


def scheduled_lrs(name, p, w_name, w, lr0, count):
    """lr_0 .. lr_{count-1} of a (non-plateau) schedule after a warmup, from a torch training
    loop: ``SequentialLR(optimizer, [warmup, main], milestones=[W])`` (the main scheduler alone
    without a warmup), stepped after every update."""
    opt = dummy_optimizer(lr0)
    W = w["steps"] if w_name != "none" else 0
    if W > 0:
        warmup = warmup_scheduler(w_name, w, opt, name)
        sched = LR_SCHEDULER.SequentialLR(opt, [warmup, main_scheduler(name, p, opt, lr0)], milestones=[W])
    else:
        sched = main_scheduler(name, p, opt, lr0)
    # torch raises when OneCycleLR steps past total_steps; optiscope holds its last rate
    last_step = W + p["total_steps"] - 1 if name == "one_cycle" else math.inf
    lrs = []
    for t in range(count):
        if 0 < t <= last_step:
            opt.step()  # no gradients: a no-op that keeps torch's ordering check quiet
            sched.step()
        lrs.append(float(opt.param_groups[0]["lr"]))
    return lrs


class LrSource:
    """Learning rate of each step: warmup, then the main schedule (plateau: loss-driven)."""

    def __init__(self, lr0, schedule, warmup, steps):
        self.lr0 = lr0
        self.w_name, self.w = parse_spec(warmup, "warmups") if warmup else ("none", {})
        self.name, self.p = parse_spec(schedule or "constant", "schedules")
        self.W = self.w["steps"] if self.w_name != "none" else 0
        self.min_margin = math.inf
        if self.name == "plateau":
            opt = dummy_optimizer(lr0)
            self.opt, self.plateau = opt, LR_SCHEDULER.ReduceLROnPlateau(opt, **self.p)
            self.warmup = warmup_factor(self.w_name, self.w) if self.W > 0 else None
        else:
            self.lrs = scheduled_lrs(self.name, self.p, self.w_name, self.w, lr0, steps + 1)

    def lr(self, k):
        if self.name != "plateau":
            return self.lrs[k]
        if k < self.W:
            return self.lr0 * self.warmup(k)
        return float(self.opt.param_groups[0]["lr"])

    def observe(self, k, loss):
        """Called with f(θ_k) for k ≥ 1, i.e. after update k − 1."""
        if self.name != "plateau" or k - 1 < self.W:
            return
        best, p = self.plateau.best, self.p
        if math.isfinite(best):
            rel = p["threshold_mode"] == "rel"
            sign = 1 if p["mode"] == "max" else -1
            line = best * (1 + sign * p["threshold"]) if rel else best + sign * p["threshold"]
            self.min_margin = min(self.min_margin, abs(loss - line) / max(abs(loss), abs(line), 1e-300))
        self.plateau.step(loss)

# ---------------------------------------------------------------------------- runner


def simulate(case, start_shift=0.0, grad_factor=1.0, step_noise=0.0, rates=None, optimizer=None):
    """Run a case; the keyword arguments are the perturbations of the robustness checks:
    start (x, y) -> (x + s·|x|, y − s·|y|) (a zero coordinate is shifted by ±s instead),
    ∇f -> ∇f·grad_factor, and
    θ -> θ·(1 ± step_noise) after every update (sign alternating by step and component).
    ``rates(lr0, schedule, warmup, steps)`` and ``optimizer(spec, theta, lr, f, rates)`` replace
    ``LrSource`` and ``make_optimizer`` (``generate_keras.py`` passes Keras's); a rate source
    with ``observe_gradient(k, grad)`` is shown ∇f(θ_k) before it gives lr_k."""
    f = make_surface(case["surface"])
    x0, y0 = case["start"]
    theta = torch.tensor([x0 + start_shift * (abs(x0) or 1), y0 - start_shift * (abs(y0) or 1)])
    lrs = (rates or LrSource)(case["lr"], case["schedule"], case["warmup"], case["steps"])
    if optimizer is None:
        opt = make_optimizer(case["optimizer"], theta, case["lr"], f)
    else:
        opt = optimizer(case["optimizer"], theta, case["lr"], f, lrs)
    rows, diverged_at = [], None
    for k in range(case["steps"] + 1):
        loss, grad = evaluate(f, theta)
        grad = grad * grad_factor
        values = [theta[0].item(), theta[1].item(), loss, grad[0].item(), grad[1].item()]
        finite = all(math.isfinite(v) for v in values)
        if k > 0 and finite:
            lrs.observe(k, loss)
        if finite and hasattr(lrs, "observe_gradient"):
            lrs.observe_gradient(k, grad)
        lr = lrs.lr(k)
        if finite:
            rows.append([k, lr, *values])
        if not finite or abs(values[0]) > BOUND or abs(values[1]) > BOUND:
            diverged_at = k
            break
        if k == case["steps"]:
            break
        theta = opt.step(grad, lr)
        if step_noise:
            sign = 1 if k % 2 == 0 else -1
            factor = torch.tensor([1 + sign * step_noise, 1 - sign * step_noise])
            opt.scale(factor)
            theta = theta * factor
    margin = min(getattr(opt, "min_margin", math.inf), lrs.min_margin)
    return dict(rows=rows, diverged_at=diverged_at, margin=margin)

# ----------------------------------------------------------------------------- cases

CASES = []


def case(name, surface, optimizer, lr, start, steps, schedule=None, warmup=None, expect=None, exact=False):
    """Register a case; ``expect`` checks a property of the result, ``exact`` skips the
    perturbation checks for a case whose arithmetic is exact (it must then use ``expect``)."""
    CASES.append(dict(name=name, surface=surface, optimizer=optimizer, lr=lr, schedule=schedule,
                      warmup=warmup, start=start, steps=steps, expect=expect, exact=exact))


def lr_col(r):
    return [row[1] for row in r["rows"]]


def reductions(r):
    col = lr_col(r)
    return sum(b < a for a, b in zip(col, col[1:]))


Q = "quadratic(a=1,b=10,angle=30)"  # rotated, condition number 10
QS = [-2.0, 1.5]  # start on Q with no cancellation in the gradient
H = "himmelblau"
# --- optimizers with defaults and with non-default keys
case("sgd_default_rosenbrock", "rosenbrock", "sgd", 0.001, [-1.2, 1.0], 100)
# gradient flow and the modified flow: row k is θ at t = lr_0 + … + lr_{k−1}, also when the rate changes
case("flow_quadratic_rotated_cosine", Q, "flow", 0.08, QS, 40, schedule="cosine(T_max=40)")
case("modified_flow_quadratic_warmup", "quadratic(a=2,b=5,angle=-20)", "modified_flow", 0.15, [1.0, -1.2], 30,
     schedule="step(step_size=10,gamma=0.5)", warmup="linear(steps=5,start_factor=0.2)")
case("sgd_momentum_quadratic_rotated", Q, "sgd(momentum=0.9)", 0.05, QS, 30)
case("sgd_dampening_himmelblau", H, "sgd(momentum=0.8,dampening=0.5)", 0.005, [1.0, -0.5], 30)
case("sgd_nesterov_beale", "beale", "sgd(momentum=0.9,nesterov=true)", 0.00025, [1.0, 1.5], 40)
case("sgd_weight_decay_saddle", "saddle(a=1,b=1,c=0.5)", "sgd(weight_decay=0.1)", 0.05, [1.5, 0.1], 80)
case("adagrad_default_himmelblau", H, "adagrad", 0.5, [0.0, 0.0], 45)
case("adagrad_lr_decay_rosenbrock", "rosenbrock", "adagrad(lr_decay=0.05)", 0.5, [-1.5, 2.0], 60)
case("adagrad_accumulator_wd_quadratic", "quadratic(a=2,b=5,angle=45)",
     "adagrad(initial_accumulator_value=0.1,weight_decay=0.05,eps=1e-06)", 0.3, [1.5, 2.0], 50)
case("rmsprop_default_beale", "beale", "rmsprop", 0.01, [2.0, 0.0], 60)
case("rmsprop_centered_rosenbrock", "rosenbrock", "rmsprop(centered=true)", 0.005, [-0.5, 1.5], 80)
case("rmsprop_momentum_himmelblau", H, "rmsprop(momentum=0.9)", 0.01, [0.0, 0.0], 60)
case("rmsprop_alpha_wd_saddle", "saddle(a=1,b=1,c=0.2)", "rmsprop(alpha=0.9,weight_decay=0.05)", 0.02,
     [1.0, 0.05], 80)
case("adam_default_rosenbrock", "rosenbrock", "adam", 0.05, [-0.5, 1.5], 37)
case("adam_amsgrad_himmelblau", H, "adam(amsgrad=true)", 0.1, [0.0, 0.0], 80)
case("adam_betas_eps_beale", "beale", "adam(beta1=0.8,beta2=0.99,eps=0.001)", 0.0125, [2.0, 0.0], 80)
case("adam_weight_decay_quadratic", "quadratic(a=1,b=10,angle=20)", "adam(weight_decay=0.1)", 0.1,
     [-1.0, 2.5], 45)
case("adamw_default_rastrigin", "rastrigin(A=3)", "adamw", 0.01, [2.3, -1.7], 20)
case("adamw_wd_amsgrad_ackley", "ackley", "adamw(weight_decay=0.5,amsgrad=true)", 0.005, [2.4, 1.3], 20)
case("nadam_default_rosenbrock", "rosenbrock", "nadam", 0.02, [-0.5, 1.5], 37)
case("nadam_momentum_decay_wd_himmelblau", H, "nadam(momentum_decay=0.01,weight_decay=0.1)", 0.1,
     [0.0, 0.0], 60)
# RAdam's rho_t first exceeds 5 at its 6th step (update k = 5): rho_5 = 4.996, rho_6 = 5.994 (asserted)
case("radam_default_beale", "beale", "radam", 0.025, [2.0, 0.0], 60, expect=lambda r: r["diverged_at"] is None)
case("radam_betas_wd_quadratic", Q, "radam(beta1=0.8,weight_decay=0.1)", 0.1, QS, 40)
case("adadelta_default_himmelblau", H, "adadelta", 1.0, [0.5, 0.5], 100)
case("adadelta_rho_eps_quadratic", Q, "adadelta(rho=0.95,eps=0.0001)", 1.0, QS, 60)
case("adadelta_wd_rosenbrock", "rosenbrock", "adadelta(weight_decay=0.1)", 0.5, [-1.5, 2.0], 45)
case("lion_default_quadratic", Q, "lion", 0.02, QS, 40)
case("lion_betas_rosenbrock", "rosenbrock", "lion(beta1=0.95,beta2=0.98)", 0.01, [-0.5, 1.5], 45)
case("lion_wd_himmelblau", H, "lion(weight_decay=0.5)", 0.01, [0.5, 0.5], 50)
# β1·m and (1−β1)·g have opposite signs here (sign flips, but with a safe margin)
case("lion_sign_flips_himmelblau", H, "lion(beta1=0.5,beta2=0.9)", 0.1, [0.5, 0.5], 30,
     expect=lambda r: r["margin"] < 0.1)
# ∂f/∂y is exactly 0 on y = 0, so sign(c_y) = sign(0) = 0 and y never moves (exact arithmetic)
case("lion_sign_zero_quadratic", "quadratic(a=1,b=10)", "lion", 0.02, [2.0, 0.0], 30, exact=True,
     expect=lambda r: all(row[3] == 0.0 and row[6] == 0.0 for row in r["rows"]))
# Exact in binary arithmetic (diagonal H, dyadic start): θ_1 = (0, 0) with a zero gradient, which
# no perturbation can reproduce, so this case is checked for exactness instead.
case("newton_quadratic_one_step", "quadratic(a=1,b=10)", "newton", 1.0, [1.5, -2.0], 3, exact=True,
     expect=lambda r: all(v == 0.0 for row in r["rows"][1:] for v in row[2:]))
case("newton_damped_rosenbrock", "rosenbrock", "newton(damping=1)", 0.5, [0.5, -0.5], 18)
# H is negative definite at the origin: damped Newton climbs to the local maximum (−0.27, −0.92)
case("newton_damped_himmelblau", H, "newton(damping=0.5)", 0.5, [0.0, 0.0], 12)

# --- schedules (every boundary crossed)
case("sched_constant_explicit", Q, "sgd(momentum=0.5)", 0.03, QS, 20, "constant")
case("sched_step", H, "adam", 0.1, [0.0, 0.0], 35, "step(step_size=10,gamma=0.5)")
case("sched_multistep", Q, "sgd(momentum=0.9)", 0.025, QS, 40, "multistep(milestones=[10,25],gamma=0.3)")
case("sched_exponential", H, "rmsprop", 0.05, [0.0, 0.0], 40, "exponential(gamma=0.95)")
case("sched_exp_decay", H, "adam", 0.1, [0.0, 0.0], 40, "exp_decay(k=0.05)")
case("sched_inverse_time", Q, "sgd", 0.15, [1.5, 2.0], 40, "inverse_time(k=0.1)")
case("sched_polynomial", H, "adam", 0.1, [0.0, 0.0], 30, "polynomial(total_iters=20,power=2)")
case("sched_polynomial_default", Q, "sgd", 0.1, QS, 10, "polynomial")
case("sched_linear_up", H, "adam", 0.1, [0.5, 0.5], 20, "linear(start_factor=0.1,total_iters=10)")
case("sched_linear_default", Q, "sgd", 0.1, QS, 10, "linear")
case("sched_linear_down", "rosenbrock", "adam", 0.05, [-0.5, 1.5], 25,
     "linear(start_factor=1,end_factor=0.1,total_iters=15)")
case("sched_cosine", H, "adam", 0.1, [0.0, 0.0], 50, "cosine(T_max=20,eta_min=0.001)")
case("sched_cosine_past_t_max", Q, "sgd(momentum=0.5)", 0.05, QS, 40, "cosine(T_max=15)")
case("sched_cosine_restarts_tmult2", H, "adam", 0.1, [0.0, 0.0], 40,
     "cosine_restarts(T_0=5,T_mult=2,eta_min=0.0001)")
case("sched_cosine_restarts", Q, "sgd", 0.1, QS, 30, "cosine_restarts(T_0=8)")
case("sched_cyclic_triangular", H, "sgd", 0.001, [0.0, 0.0], 30,
     "cyclic(base_lr=0.001,max_lr=0.01,step_size_up=5)")
case("sched_cyclic_triangular2_down", Q, "sgd", 0.01, QS, 45,
     "cyclic(base_lr=0.001,max_lr=0.1,step_size_up=4,step_size_down=6,mode=triangular2)")
case("sched_cyclic_exp_range", H, "adam", 0.01, [0.5, 0.5], 40,
     "cyclic(base_lr=0.01,max_lr=0.1,step_size_up=5,mode=exp_range,gamma=0.97)")
case("sched_cyclic_default_base_lr", Q, "sgd(momentum=0.5)", 0.005, QS, 30,
     "cyclic(max_lr=0.05,step_size_up=6,step_size_down=3)")
case("sched_one_cycle_cos", H, "adam", 0.1, [0.5, 0.5], 39, "one_cycle(max_lr=0.2,total_steps=40)")
case("sched_one_cycle_linear", Q, "sgd", 0.1, QS, 29,
     "one_cycle(max_lr=0.15,total_steps=30,pct_start=0.4,anneal_strategy=linear)")
case("sched_one_cycle_three_phase", H, "adam", 0.1, [0.5, 0.5], 49,
     "one_cycle(max_lr=0.2,total_steps=50,three_phase=true,div_factor=10,final_div_factor=100)")


# --- plateau (lr must actually be reduced, at least twice)
def reduced(n):
    return lambda r: reductions(r) >= n


case("plateau_rel", Q, "adam", 0.5, [-1.0, 2.5], 80, "plateau(factor=0.5,patience=3)", expect=reduced(2))
case("plateau_cooldown", H, "adam", 0.3, [0.5, 0.5], 60, "plateau(factor=0.5,patience=2,cooldown=3)",
     expect=reduced(2))
case("plateau_abs", H, "adam", 0.3, [0.0, 0.0], 80,
     "plateau(factor=0.3,patience=2,threshold=0.01,threshold_mode=abs)", expect=reduced(2))
case("plateau_min_lr", H, "adam", 0.3, [0.0, 0.0], 60, "plateau(factor=0.5,patience=2,min_lr=0.05)",
     expect=lambda r: reductions(r) >= 2 and min(lr_col(r)) == 0.05)
case("plateau_mode_max", Q, "sgd", 0.05, QS, 40, "plateau(mode=max,factor=0.5,patience=4)",
     expect=reduced(2))

# --- warmup
case("warmup_linear_zero_cosine", H, "adam", 0.1, [0.5, 0.5], 40, "cosine(T_max=20)", "linear(steps=5)",
     expect=lambda r: r["rows"][0][1] == 0.0)
case("warmup_linear_quarter_step", Q, "sgd(momentum=0.5)", 0.05, QS, 30,
     "step(step_size=10,gamma=0.5)", "linear(steps=8,start_factor=0.25)")
case("warmup_linear_start0_exponential", H, "rmsprop", 0.05, [0.5, 0.5], 30, "exponential(gamma=0.9)",
     "linear(steps=6,start_factor=0)")
case("warmup_constant_exponential", Q, "sgd", 0.1, QS, 30, "exponential(gamma=0.9)",
     "constant(steps=5,factor=0.2)")
case("warmup_constant_default_cyclic", H, "adam", 0.05, [0.5, 0.5], 40,
     "cyclic(base_lr=0.01,max_lr=0.1,step_size_up=5)", "constant(steps=4)")
case("warmup_linear_one_cycle", Q, "sgd", 0.1, [1.5, 2.0], 34, "one_cycle(max_lr=0.15,total_steps=30)",
     "linear(steps=5,start_factor=0.1)")
case("warmup_linear_no_schedule", H, "adam", 0.1, [0.0, 0.0], 20, None, "linear(steps=10,start_factor=0.5)")
case("warmup_linear_plateau", Q, "adam", 0.5, [-1.0, 2.5], 80, "plateau(factor=0.5,patience=3)",
     "linear(steps=6)", expect=reduced(2))

# --- stability edge (2/λmax = 0.2) and divergence
case("sgd_quadratic_lr_019", "quadratic(a=1,b=10)", "sgd", 0.19, [1.0, 1.0], 300)
# neutrally stable: a perturbation grows linearly, 300 steps would exceed the 1e-11 filter
case("sgd_quadratic_lr_020", "quadratic(a=1,b=10)", "sgd", 0.2, [1.0, 1.0], 200)
case("sgd_quadratic_lr_021", "quadratic(a=1,b=10)", "sgd", 0.21, [1.0, 1.0], 300)
# cubic blow-up: the last row is finite but beyond |x| > 1e8
case("diverge_rosenbrock_blowup", "rosenbrock", "sgd", 0.01, [-1.5, -3.0], 50,
     expect=lambda r: len(r["rows"]) == r["diverged_at"] + 1)
# the loss overflows to inf at row 1, which is therefore left out
case("diverge_huge_lr_overflow", "quadratic(a=1,b=10)", "sgd", 1e200, [1.0, 1.0], 10,
     expect=lambda r: r["diverged_at"] == 1 and len(r["rows"]) == 1)

# ---------------------------------------------------------------------------- checks


def max_deviation(a, b, skip_start=False):
    """Largest |a−b| / max(|a|,|b|,FLOOR) over all rows; inf if the runs end differently.
    ``skip_start`` leaves out row 0's x and y, which are the perturbed inputs themselves."""
    if a["diverged_at"] != b["diverged_at"] or len(a["rows"]) != len(b["rows"]):
        return math.inf
    worst = 0.0
    for ra, rb in zip(a["rows"], b["rows"]):
        assert ra[0] == rb[0]
        cols = (1, 4, 5, 6) if skip_start and ra[0] == 0 else range(1, 7)
        for x, y in ((ra[i], rb[i]) for i in cols):
            worst = max(worst, abs(x - y) / max(abs(x), abs(y), FLOOR))
    return worst


def special_checks(results):
    lr019, lr020, lr021 = (results[f"sgd_quadratic_lr_{t}"] for t in ("019", "020", "021"))
    assert lr019["diverged_at"] is None and abs(lr019["rows"][-1][3]) < 1e-6
    assert lr020["diverged_at"] is None and all(abs(r[3]) == 1.0 for r in lr020["rows"])
    assert lr021["diverged_at"] is not None and abs(lr021["rows"][-1][3]) > BOUND
    assert len(lr021["rows"]) == lr021["diverged_at"] + 1  # finite row beyond the bound is kept
    assert any(r["diverged_at"] is not None and len(r["rows"]) == r["diverged_at"] for r in results.values()), \
        "some case must stop on a non-finite value (row excluded)"
    rho = lambda t, b2=0.999: 2 / (1 - b2) - 1 - 2 * t * b2**t / (1 - b2**t)  # noqa: E731
    assert rho(5) < 5 < rho(6)  # RAdam rectifies from its 6th step on (update k = 5)
    assert all(len(r["rows"]) > 7 for n, r in results.items() if n.startswith("radam"))


def check_registry():
    """The torch side knows every registry key of the surfaces it implements."""
    for name, fn in SURFACE_FNS.items():
        keys = list(inspect.signature(fn).parameters)[1:]
        assert keys == list(REGISTRY["surfaces"][name]), f"surface {name}: {keys} in torch"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help=f"regenerate in memory and compare with {OUT.relative_to(ROOT)}; write nothing")
    parser.add_argument("--tolerance", type=float, default=0.0,
                        help="with --check: accept numbers within this relative difference (default 0)")
    args = parser.parse_args(argv)
    load_registry(os.environ.get("OPTISCOPE_BIN", str(ROOT / "target" / "debug" / "optiscope")))
    check_registry()

    results, table, failed = {}, [], []
    for c in CASES:
        r = simulate(c)
        devs = [0.0, 0.0, 0.0] if c["exact"] else [
            max_deviation(r, simulate(c, start_shift=1e-13), skip_start=True),
            max_deviation(r, simulate(c, grad_factor=1 + 1e-14)),
            max_deviation(r, simulate(c, step_noise=STEP_NOISE)),
        ]
        ok = max(devs) < MAX_DEVIATION and r["margin"] > MIN_MARGIN
        if c["expect"] is not None and not c["expect"](dict(r, **c)):
            ok = False
        assert c["expect"] is not None or not c["exact"]
        results[c["name"]] = r
        table.append((c["name"], c["steps"], r["diverged_at"], *devs[:3], r["margin"], ok))
        if not ok:
            failed.append(c["name"])
    print(f"{'case':40} {'steps':>5} {'div':>5} {'start':>9} {'grad':>9} {'noise':>9} {'margin':>9}")
    for name, steps, div, d1, d2, d3, margin, ok in table:
        print(f"{name:40} {steps:5} {str(div):>5} {d1:9.2e} {d2:9.2e} {d3:9.2e} {margin:9.2e}"
              + ("" if ok else "  FAILED"))
    special_checks(results)
    if failed:
        sys.exit(f"ill-conditioned or unexpected cases: {failed}")
    names = [c["name"] for c in CASES]
    assert len(set(names)) == len(names)

    doc = dict(generator="tests/reference/generate.py", torch_version=torch.__version__,
               numpy_version=np.__version__, cases=[])
    for c in CASES:
        r = results[c["name"]]
        doc["cases"].append({k: c[k] for k in ("name", "surface", "optimizer", "lr", "schedule", "warmup",
                                               "start", "steps")} | dict(rows=r["rows"], diverged_at=r["diverged_at"]))
    text = dump(doc)
    if not args.check:
        OUT.write_text(text)
        print(f"wrote {len(CASES)} cases to {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
        return
    committed = OUT.read_text()
    if text == committed:
        print(f"{OUT.relative_to(ROOT)}: identical to what torch {torch.__version__} computes now "
              f"({len(CASES)} cases)")
        return
    problems, worst = compare(doc, json.loads(committed), args.tolerance)
    if problems:
        sys.exit(f"{OUT.relative_to(ROOT)} differs from what torch {torch.__version__} computes now "
                 f"(largest relative difference {worst:.2e}):\n  " + "\n  ".join(problems)
                 + "\nregenerate it with `python3 tests/reference/generate.py` if the change is meant")
    print(f"{OUT.relative_to(ROOT)}: {len(CASES)} cases agree with torch {torch.__version__} "
          f"(largest relative difference {worst:.2e}, tolerance {args.tolerance:.0e})")


def compare(new, old, tolerance):
    """What differs between regenerated and committed fixtures (one sentence per case), and the
    largest relative difference |a−b| / max(|a|,|b|,FLOOR) of their numbers."""
    problems, worst = [], 0.0
    for key in ("torch_version", "numpy_version"):
        if new[key] != old.get(key):
            print(f"note: committed {key} {old.get(key)}, now {new[key]}")
    old_cases = {c["name"]: c for c in old["cases"]}
    new_names, old_names = [c["name"] for c in new["cases"]], [c["name"] for c in old["cases"]]
    if new_names != old_names:
        problems.append(f"cases {new_names} instead of {old_names}")
    for c in new["cases"]:
        o = old_cases.get(c["name"])
        if o is None:
            continue
        keys = [k for k in c if k != "rows" and c[k] != o.get(k)]
        if keys:
            problems.append(f"{c['name']}: " + ", ".join(f"{k} {c[k]!r} (committed {o.get(k)!r})" for k in keys))
        if len(c["rows"]) != len(o["rows"]):
            problems.append(f"{c['name']}: {len(c['rows'])} rows (committed {len(o['rows'])})")
            continue
        first = None
        for ra, rb in zip(c["rows"], o["rows"]):
            for col, (a, b) in enumerate(zip(ra, rb)):
                d = abs(a - b) / max(abs(a), abs(b), FLOOR)
                worst = max(worst, d)
                if d > tolerance and first is None:
                    first = f"{c['name']}: row {ra[0]} column {col}: {a!r} (committed {b!r})"
        if first:
            problems.append(first)
    return problems, worst


def dump(doc):
    """JSON with one row per line (readable diffs); floats via repr, NaN/inf rejected."""
    enc = lambda v: json.dumps(v, allow_nan=False)  # noqa: E731
    out = ["{"] + [f"  {enc(k)}: {enc(v)}," for k, v in doc.items() if k != "cases"] + ['  "cases": [']
    for i, c in enumerate(doc["cases"]):
        fields = [f"      {enc(k)}: {enc(v)}" for k, v in c.items() if k != "rows"]
        rows = ",\n".join(f"        {enc(row)}" for row in c["rows"])
        fields.insert(-1, f'      "rows": [\n{rows}\n      ]')
        out.append("    {\n" + ",\n".join(fields) + "\n    }" + ("," if i + 1 < len(doc["cases"]) else ""))
    out += ["  ]", "}"]
    text = "\n".join(out) + "\n"
    json.loads(text)  # must stay valid JSON
    return text


if __name__ == "__main__":
    main()
