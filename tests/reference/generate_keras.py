"""Independent Keras 3 reference trajectories for optiscope's ``keras.*`` optimizers and
schedules, and for the lecture notes' own rules (``grad_halving``, ``linear_decay``).

Run from the repository root with Keras 3 on the torch backend (no TensorFlow needed):

    KERAS_BACKEND=torch python3 tests/reference/generate_keras.py           # writes tests/reference/keras.json
    KERAS_BACKEND=torch python3 tests/reference/generate_keras.py --check   # compares, writes nothing

The cases, the row format, the divergence rule, the robustness filter (three perturbed reruns
must stay within 1e-11, discrete decisions must keep a 1e-8 margin) and ``--check`` are those
of ``generate.py`` (read its docstring); this file swaps in Keras:

* Optimizers: the real ``keras.optimizers`` classes (``SGD``, ``RMSprop``, ``Adam``, ``AdamW``,
  ``Adagrad``, ``Adadelta``, ``Nadam``, ``Lion``) with ``keras.config.set_floatx("float64")``,
  on one ``keras.Variable`` of two float64 numbers, updated by ``apply_gradients`` with the
  autograd gradient; the spec's keys are Keras's keyword arguments (``weight_decay=0`` is
  ``None``). Before update k the optimizer's ``learning_rate`` is set to lr_k, except for runs
  of a Keras schedule without warmup: there the schedule object itself is the optimizer's
  ``learning_rate`` and Keras calls it with ``optimizer.iterations``.
* Keras schedules: the ``keras.optimizers.schedules`` classes, lr_t = schedule(t) (after a
  warmup of W steps, schedule(t − W), as optiscope joins phases).
  ``keras.learning_rate_scheduler(steps_per_epoch=N,rule=R)`` is ``keras.callbacks.
  LearningRateScheduler`` with ``lambda epoch, lr: R`` (``^`` written ``**``, the functions from
  ``math``) on a stand-in Keras optimizer, ``on_epoch_begin(e)`` called at steps e·N.
* The notes' rules, written as the notes write them: ``linear_decay(k)`` is lr_t = lr0 − k·t;
  ``grad_halving(threshold, factor)`` multiplies the rate by factor before every update whose
  gradient norm |∇f(θ_k)| exceeds threshold (the margin check keeps |∇f| away from it).
"""

import argparse
import json
import math
import os
import sys
import types
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

import generate as g  # noqa: E402

keras.config.set_floatx("float64")
torch.set_default_dtype(torch.float64)

OUT = Path(__file__).resolve().parent / "keras.json"
KERAS_CLASSES = dict(sgd="SGD", rmsprop="RMSprop", adam="Adam", adamw="AdamW", adagrad="Adagrad",
                     adadelta="Adadelta", nadam="Nadam", lion="Lion")
KERAS_SCHEDULES = dict(exponential_decay="ExponentialDecay", inverse_time_decay="InverseTimeDecay",
                       polynomial_decay="PolynomialDecay", piecewise_constant="PiecewiseConstantDecay",
                       cosine_decay="CosineDecay", cosine_decay_restarts="CosineDecayRestarts")


def keras_schedule(name, p, lr0):
    """The Keras schedule object of a ``keras.*`` schedule spec."""
    cls = getattr(keras.optimizers.schedules, KERAS_SCHEDULES[name])
    if name == "piecewise_constant":
        return cls(boundaries=p["boundaries"], values=p["values"])
    return cls(initial_learning_rate=lr0, **p)


class KerasOptimizer:
    """A real keras.optimizers optimizer on one float64 variable of two numbers."""

    def __init__(self, name, p, theta, learning_rate):
        if p.get("weight_decay") == 0.0:
            p["weight_decay"] = None
        self.name, self.p = name, p
        self.var = keras.Variable(theta.clone(), dtype="float64")
        self.opt = getattr(keras.optimizers, KERAS_CLASSES[name])(learning_rate=learning_rate, **p)
        self.scheduled = not isinstance(learning_rate, float)
        self.min_margin = math.inf

    def step(self, grad, lr):
        if self.scheduled:
            assert float(self.opt.learning_rate) == lr, "the schedule gives the rate it was asked for"
        else:
            self.opt.learning_rate = lr
        if self.name == "lion" and self.opt.built:  # the sign must not sit on a knife's edge
            m = self.opt._momentums[0].value
            a, b = m * self.p["beta_1"], grad * (1 - self.p["beta_1"])
            for c, scale in zip((a + b).tolist(), torch.maximum(a.abs(), b.abs()).tolist()):
                if scale > 0:
                    self.min_margin = min(self.min_margin, abs(c) / scale)
        self.opt.apply_gradients([(grad.clone(), self.var)])
        return self.var.value.detach().clone()

    def scale(self, factor):
        self.var.assign(self.var.value * factor)


class KerasLrSource:
    """Learning rate of each step: the optional warmup, then a Keras schedule, Keras's
    LearningRateScheduler callback, or one of the notes' rules."""

    def __init__(self, lr0, schedule, warmup, steps):
        self.lr0 = lr0
        self.w_name, self.w = g.parse_spec(warmup, "warmups") if warmup else ("none", {})
        self.W = self.w["steps"] if self.w_name != "none" else 0
        self.warm = g.warmup_factor(self.w_name, self.w) if self.W > 0 else None
        self.name, self.p = g.parse_spec(schedule or "constant", "schedules")
        self.min_margin = math.inf
        self.schedule = None
        self.rate = lr0  # grad_halving's current rate
        if self.name.startswith("keras.") and self.name != "keras.learning_rate_scheduler":
            self.schedule = keras_schedule(self.name[len("keras."):], self.p, lr0)
        elif self.name == "keras.learning_rate_scheduler":
            stand_in = keras.optimizers.SGD(learning_rate=lr0)
            rule = self.p["rule"].replace("^", "**")
            names = {k: getattr(math, k) for k in ("exp", "floor", "ceil", "sqrt", "log", "sin", "cos")}
            callback = keras.callbacks.LearningRateScheduler(
                lambda epoch, lr: float(eval(rule, names, dict(epoch=epoch, lr=lr, lr0=lr0))))
            callback.set_model(types.SimpleNamespace(optimizer=stand_in))
            n = self.p["steps_per_epoch"]
            self.lrs = []
            for t in range(steps + 1):
                if t % n == 0:
                    callback.on_epoch_begin(t // n)
                self.lrs.append(float(stand_in.learning_rate))

    def lr(self, k):
        if k < self.W:
            return self.lr0 * self.warm(k)
        t = k - self.W
        if self.schedule is not None:
            return float(self.schedule(t))
        if self.name == "keras.learning_rate_scheduler":
            return self.lrs[t]
        if self.name == "linear_decay":
            return self.lr0 - self.p["k"] * t
        if self.name == "grad_halving":
            return self.rate
        assert self.name == "constant", self.name
        return self.lr0

    def observe(self, k, loss):
        pass

    def observe_gradient(self, k, grad):
        """The notes' rule: before update k, cut the rate while the gradient is steep."""
        if self.name != "grad_halving" or k < self.W:
            return
        norm = math.sqrt(float(grad[0]) ** 2 + float(grad[1]) ** 2)
        threshold = self.p["threshold"]
        self.min_margin = min(self.min_margin, abs(norm - threshold) / max(norm, threshold, 1e-300))
        if norm > threshold:
            self.rate *= self.p["factor"]


def make_optimizer(spec, theta, lr, f, lrs):
    """Keras's optimizer for a ``keras.*`` spec (given the run's schedule object when Keras
    calls it), torch's otherwise."""
    name, p = g.parse_spec(spec, "optimizers")
    if name.startswith("keras."):
        direct = lrs.schedule is not None and lrs.W == 0
        return KerasOptimizer(name[len("keras."):], p, theta, lrs.schedule if direct else float(lr))
    return g.make_optimizer(spec, theta, lr, f)


def simulate(case, **perturbation):
    """``generate.simulate`` with Keras's optimizers and rates."""
    return g.simulate(case, rates=KerasLrSource, optimizer=make_optimizer, **perturbation)

# ----------------------------------------------------------------------------- cases


CASES = []


def case(name, surface, optimizer, lr, start, steps, schedule=None, warmup=None, expect=None):
    CASES.append(dict(name=name, surface=surface, optimizer=optimizer, lr=lr, schedule=schedule,
                      warmup=warmup, start=start, steps=steps, expect=expect))


Q, QS = g.Q, g.QS
R, RS = "rosenbrock", [-1.5, 2.0]
H = "himmelblau"
# Axis-aligned, with runs that do not overshoot the minimum: no gradient component passes
# through zero, so rounding cannot be amplified by cancellation.
A, AS = "quadratic(a=1,b=10)", [-2.0, 1.5]

# --- optimizers, defaults and every option
case("keras_sgd", A, "keras.sgd", 0.05, AS, 60)
case("keras_sgd_momentum", A, "keras.sgd(momentum=0.5)", 0.005, AS, 60)
case("keras_sgd_nesterov_decay", Q, "keras.sgd(momentum=0.8,nesterov=true,weight_decay=0.05)", 0.05, QS, 120)
case("keras_rmsprop", H, "keras.rmsprop", 0.01, [0.5, 0.5], 150)
case("keras_rmsprop_centered_momentum", A, "keras.rmsprop(rho=0.8,momentum=0.5,centered=true,epsilon=1e-5)",
     0.005, AS, 60)
case("keras_adam", A, "keras.adam", 0.01, AS, 80)
case("keras_adam_amsgrad_decay", H, "keras.adam(beta_1=0.8,beta_2=0.99,amsgrad=true,weight_decay=0.01)",
     0.05, [0.5, 0.5], 150)
case("keras_adamw", H, "keras.adamw", 0.05, [0.5, 0.5], 150)
case("keras_adagrad", A, "keras.adagrad", 0.05, AS, 60)
case("keras_adagrad_initial", H, "keras.adagrad(initial_accumulator_value=1,epsilon=1e-4,weight_decay=0.02)",
     0.3, [0.5, 0.5], 100)
case("keras_adadelta", Q, "keras.adadelta", 1.0, QS, 150)
case("keras_adadelta_rho", H, "keras.adadelta(rho=0.9,epsilon=1e-6)", 2.0, [0.5, 0.5], 150)
case("keras_nadam", H, "keras.nadam", 0.05, [0.5, 0.5], 70)
case("keras_nadam_decay", A, "keras.nadam(beta_1=0.85,weight_decay=0.01)", 0.01, AS, 60)
case("keras_lion", Q, "keras.lion", 0.01, QS, 120)
case("keras_lion_decay", H, "keras.lion(beta_1=0.8,beta_2=0.95,weight_decay=0.1)", 0.01, [0.5, 0.5], 120)

# --- Keras schedules (driving the optimizer as its learning_rate), staircase and cycle variants
case("keras_exponential_decay", A, "keras.adam", 0.02, AS, 50,
     "keras.exponential_decay(decay_steps=20,decay_rate=0.5)")
case("keras_exponential_decay_staircase", A, "keras.sgd(momentum=0.5)", 0.02, AS, 50,
     "keras.exponential_decay(decay_steps=15,decay_rate=0.7,staircase=true)")
case("keras_inverse_time_decay", H, "keras.rmsprop", 0.02, [0.5, 0.5], 100,
     "keras.inverse_time_decay(decay_steps=10,decay_rate=0.5)")
case("keras_inverse_time_decay_staircase", Q, "sgd", 0.1, QS, 80,
     "keras.inverse_time_decay(decay_steps=10,decay_rate=1,staircase=true)")
case("keras_polynomial_decay", A, "keras.adam", 0.02, AS, 50,
     "keras.polynomial_decay(decay_steps=80,end_learning_rate=0.001,power=2)")
case("keras_polynomial_decay_cycle", Q, "keras.sgd", 0.05, QS, 70,
     "keras.polynomial_decay(decay_steps=20,end_learning_rate=0.005,power=0.5,cycle=true)")
case("keras_piecewise_constant", Q, "keras.sgd(momentum=0.9)", 0.05, QS, 50,
     "keras.piecewise_constant(boundaries=[15,35],values=[0.05,0.01,0.002])")
case("keras_cosine_decay", H, "keras.adam", 0.05, [0.5, 0.5], 120, "keras.cosine_decay(decay_steps=100,alpha=0.1)")
case("keras_cosine_decay_warmup", A, "keras.adamw(weight_decay=0.01)", 0.001, AS, 70,
     "keras.cosine_decay(decay_steps=40,warmup_target=0.02,warmup_steps=20)")
case("keras_cosine_decay_restarts", H, "keras.adam", 0.05, [0.5, 0.5], 150,
     "keras.cosine_decay_restarts(first_decay_steps=20,m_mul=0.7,alpha=0.05)")
case("keras_cosine_decay_restarts_equal", Q, "keras.sgd", 0.1, QS, 100,
     "keras.cosine_decay_restarts(first_decay_steps=25,t_mul=1)")
case("keras_schedule_after_warmup", A, "keras.adam", 0.02, AS, 50,
     "keras.exponential_decay(decay_steps=10,decay_rate=0.8)", "linear(steps=10,start_factor=0.1)")
case("keras_schedule_torch_optimizer", H, "adam", 0.05, [0.5, 0.5], 100,
     "keras.cosine_decay(decay_steps=60)")

# --- LearningRateScheduler: the notes' "times 0.1 every 10 epochs" and a rule reading lr
case("keras_lr_scheduler_step", Q, "keras.sgd(momentum=0.9)", 0.05, QS, 50,
     "keras.learning_rate_scheduler(steps_per_epoch=2,rule=lr0*0.1^floor(epoch/10))")
case("keras_lr_scheduler_recursive", H, "keras.adam", 0.05, [0.5, 0.5], 50,
     "keras.learning_rate_scheduler(steps_per_epoch=7,rule=lr*exp(-0.1))")

# --- the notes' own rules
case("grad_halving_keras_sgd", Q, "keras.sgd", 0.18, QS, 80, "grad_halving")
case("grad_halving_torch_sgd", A, "sgd", 0.15, AS, 50, "grad_halving(threshold=5,factor=0.7)")
case("linear_decay_to_ascent", "quadratic(a=1,b=2)", "keras.sgd", 0.02, [1.0, 1.0], 150, "linear_decay(k=0.0004)",
     expect=lambda r: r["rows"][50][1] == 0.0 and r["rows"][-1][4] > 10 * r["rows"][50][4])
case("linear_decay_after_warmup", Q, "sgd", 0.01, QS, 40, "linear_decay(k=0.0001)", "constant(steps=5)")


def lr_col(r):
    return [row[1] for row in r["rows"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help=f"regenerate in memory and compare with {OUT.name}; write nothing")
    parser.add_argument("--tolerance", type=float, default=0.0,
                        help="with --check: accept numbers within this relative difference (default 0)")
    args = parser.parse_args()
    check = args.check
    g.load_registry(os.environ.get("OPTISCOPE_BIN", str(g.ROOT / "target" / "debug" / "optiscope")))
    results, failed = {}, []
    print(f"{'case':40} {'steps':>5} {'div':>5} {'start':>9} {'grad':>9} {'noise':>9} {'margin':>9}")
    for c in CASES:
        r = simulate(c)
        devs = [
            g.max_deviation(r, simulate(c, start_shift=1e-13), skip_start=True),
            g.max_deviation(r, simulate(c, grad_factor=1 + 1e-14)),
            g.max_deviation(r, simulate(c, step_noise=g.STEP_NOISE)),
        ]
        ok = max(devs) < g.MAX_DEVIATION and r["margin"] > g.MIN_MARGIN
        if c["expect"] is not None and not c["expect"](r):
            ok = False
        results[c["name"]] = r
        print(f"{c['name']:40} {c['steps']:5} {str(r['diverged_at']):>5} {devs[0]:9.2e} {devs[1]:9.2e} "
              f"{devs[2]:9.2e} {r['margin']:9.2e}" + ("" if ok else "  FAILED"))
        if not ok:
            failed.append(c["name"])
    if failed:
        sys.exit(f"ill-conditioned or unexpected cases: {failed}")
    doc = dict(generator="tests/reference/generate_keras.py", keras_version=keras.__version__,
               torch_version=torch.__version__, numpy_version=np.__version__, cases=[])
    for c in CASES:
        r = results[c["name"]]
        doc["cases"].append({k: c[k] for k in ("name", "surface", "optimizer", "lr", "schedule", "warmup",
                                               "start", "steps")} | dict(rows=r["rows"], diverged_at=r["diverged_at"]))
    text = g.dump(doc)
    if not check:
        OUT.write_text(text)
        print(f"wrote {len(CASES)} cases to {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
        return
    problems, worst = g.compare(doc, json.loads(OUT.read_text()), args.tolerance)
    if problems:
        sys.exit(f"{OUT.name} differs from what keras {keras.__version__} computes now "
                 f"(largest relative difference {worst:.2e}):\n  " + "\n  ".join(problems))
    print(f"{OUT.name}: {len(CASES)} cases agree with keras {keras.__version__} "
          f"(largest relative difference {worst:.2e}, tolerance {args.tolerance:.0e})")


if __name__ == "__main__":
    main()
