//! "Copy as PyTorch": a runnable Python script that reproduces one run of a scene with
//! `torch.optim` and `torch.optim.lr_scheduler`, so a student can take what they found in
//! optiscope into their own training code. It prints the same CSV as `optiscope trace`.
//!
//! Parameter names are already PyTorch's, so the mapping is mostly spelling: `beta1, beta2`
//! become `betas=(…)`, exp_decay and inverse_time become `LambdaLR`, warmup becomes
//! `SequentialLR`. Lion and Newton are not in torch.optim; the script writes them out. Gradient
//! noise and minibatches are drawn with torch's generator, so those runs match optiscope's in
//! distribution, not number for number (the script says so).

use crate::core::spec::{Spec, Value};
use crate::core::surface::AnySurface;
use crate::scene::preset::Preset;

/// A Python float literal that reads back as exactly `x`.
fn py(x: f64) -> String {
    if x.is_nan() {
        "float('nan')".into()
    } else if x.is_infinite() {
        if x > 0.0 { "math.inf" } else { "-math.inf" }.into()
    } else {
        format!("{x:?}")
    }
}

fn py_value(v: &Value) -> String {
    match v {
        Value::Num(x) => py(*x),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Str(s) => format!("{s:?}"),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(|x| py(*x)).collect::<Vec<_>>().join(", ")
        ),
        Value::Null => "None".into(),
    }
}

/// The value of key `k` with the registry's defaults filled in.
fn arg(spec: &Spec, defaults: &crate::core::spec::Registry, k: &str) -> Option<Value> {
    if let Some(v) = spec.get(k) {
        return Some(v.clone());
    }
    let item = defaults.items.iter().find(|i| i.name == spec.name)?;
    item.params
        .iter()
        .find(|p| p.name == k)
        .map(|p| p.default.to_value())
}

fn num(spec: &Spec, registry: &crate::core::spec::Registry, k: &str) -> String {
    arg(spec, registry, k).map_or("None".into(), |v| py_value(&v))
}

/// An integer parameter as Python writes it (step counts are whole numbers).
fn int(spec: &Spec, registry: &crate::core::spec::Registry, k: &str) -> String {
    fn whole(v: &Value) -> String {
        match v {
            Value::Num(x) if x.fract() == 0.0 && x.abs() < 9e15 => format!("{}", *x as i64),
            Value::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|x| whole(&Value::Num(*x)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            v => py_value(v),
        }
    }
    arg(spec, registry, k).map_or("None".into(), |v| whole(&v))
}

/// The loss as a Python function of a 2-tensor `p`, and any data it needs.
fn surface_code(surface: &Spec) -> Result<String, String> {
    let s = &crate::core::surface::SURFACES;
    let n = |k| num(surface, s, k);
    let body = match surface.name.as_str() {
        "quadratic" => format!(
            "    x, y = p[0], p[1]\n    th = math.radians({angle})\n    u = x * math.cos(th) + y * math.sin(th)\n    v = -x * math.sin(th) + y * math.cos(th)\n    return 0.5 * ({a} * u**2 + {b} * v**2)\n",
            a = n("a"),
            b = n("b"),
            angle = n("angle")
        ),
        "rosenbrock" => format!(
            "    x, y = p[0], p[1]\n    return ({a} - x)**2 + {b} * (y - x**2)**2\n",
            a = n("a"),
            b = n("b")
        ),
        "saddle" => format!(
            "    x, y = p[0], p[1]\n    return 0.5 * ({a} * x**2 - {b} * y**2) + {c} / 4 * y**4\n",
            a = n("a"),
            b = n("b"),
            c = n("c")
        ),
        "himmelblau" => "    x, y = p[0], p[1]\n    return (x**2 + y - 11)**2 + (x + y**2 - 7)**2\n".into(),
        "beale" => "    x, y = p[0], p[1]\n    return (1.5 - x + x * y)**2 + (2.25 - x + x * y**2)**2 + (2.625 - x + x * y**3)**2\n".into(),
        "rastrigin" => format!(
            "    A = {a}\n    return 2 * A + sum(t**2 - A * torch.cos(2 * math.pi * t) for t in (p[0], p[1]))\n",
            a = n("A")
        ),
        "ackley" => "    x, y = p[0], p[1]\n    r = torch.sqrt(0.5 * (x**2 + y**2))\n    c = 0.5 * (torch.cos(2 * math.pi * x) + torch.cos(2 * math.pi * y))\n    return -20 * torch.exp(-0.2 * r) - torch.exp(c) + math.e + 20\n".into(),
        "linreg" => {
            let AnySurface::LinReg(l) =
                AnySurface::from_spec(surface).map_err(|e| e.to_string())?
            else {
                return Err("linreg did not build a regression surface".into());
            };
            let list = |v: &[f64]| v.iter().map(|x| py(*x)).collect::<Vec<_>>().join(", ");
            let batch = if l.batch_size > 0 {
                format!(
                    "    # A fresh minibatch of {b} points per step, from torch's generator (optiscope\n    # draws its own: same distribution, different numbers).\n    idx = torch.randperm(len(X), generator=gen)[:{b}]\n    return torch.mean((p[0] * X[idx] + p[1] - Y[idx])**2)\n",
                    b = l.batch_size
                )
            } else {
                "    return torch.mean((p[0] * X + p[1] - Y)**2)\n".into()
            };
            return Ok(format!(
                "# The data set optiscope drew for linreg (x uniform on [0, 2], y = 2x + 1 + noise).\nX = torch.tensor([{}])\nY = torch.tensor([{}])\n\n\ndef f(p):\n    \"\"\"Mean squared error of y ≈ w·x + b at p = (w, b).\"\"\"\n{batch}",
                list(&l.xs),
                list(&l.ys)
            ));
        }
        "custom" => {
            let Some(Value::Str(formula)) = surface.get("f") else {
                return Err("custom surface without a formula f".into());
            };
            // exmex writes powers as ^, Python as **; its function names map onto torch's.
            let expr = formula.replace('^', "**");
            return Ok(format!(
                "{EXMEX_NAMES}\n\ndef f(p):\n    \"\"\"{}\"\"\"\n    x, y = p[0], p[1]\n    return {expr}\n",
                surface.to_string().replace('"', "'")
            ));
        }
        other => return Err(format!("no PyTorch version of the surface '{other}'")),
    };
    Ok(format!(
        "def f(p):\n    \"\"\"{}\"\"\"\n{body}",
        surface.to_string().replace('"', "'")
    ))
}

/// `torch.optim.X([theta], ...)`, or the hand-written optimizer for Lion and Newton.
fn optimizer_code(opt: &Spec, lr: f64) -> Result<String, String> {
    let o = &crate::core::optimizer::OPTIMIZERS;
    let n = |k| num(opt, o, k);
    let lr = py(lr);
    let betas = || format!("betas=({}, {})", n("beta1"), n("beta2"));
    Ok(match opt.name.as_str() {
        "sgd" => format!(
            "torch.optim.SGD([theta], lr={lr}, momentum={}, dampening={}, nesterov={}, weight_decay={})",
            n("momentum"),
            n("dampening"),
            n("nesterov"),
            n("weight_decay")
        ),
        "adagrad" => format!(
            "torch.optim.Adagrad([theta], lr={lr}, lr_decay={}, weight_decay={}, initial_accumulator_value={}, eps={})",
            n("lr_decay"),
            n("weight_decay"),
            n("initial_accumulator_value"),
            n("eps")
        ),
        "rmsprop" => format!(
            "torch.optim.RMSprop([theta], lr={lr}, alpha={}, eps={}, weight_decay={}, momentum={}, centered={})",
            n("alpha"),
            n("eps"),
            n("weight_decay"),
            n("momentum"),
            n("centered")
        ),
        "adam" | "adamw" => format!(
            "torch.optim.{}([theta], lr={lr}, {}, eps={}, weight_decay={}, amsgrad={})",
            if opt.name == "adam" { "Adam" } else { "AdamW" },
            betas(),
            n("eps"),
            n("weight_decay"),
            n("amsgrad")
        ),
        "nadam" => format!(
            "torch.optim.NAdam([theta], lr={lr}, {}, eps={}, weight_decay={}, momentum_decay={}, decoupled_weight_decay=False)",
            betas(),
            n("eps"),
            n("weight_decay"),
            n("momentum_decay")
        ),
        "radam" => format!(
            "torch.optim.RAdam([theta], lr={lr}, {}, eps={}, weight_decay={}, decoupled_weight_decay=False)",
            betas(),
            n("eps"),
            n("weight_decay")
        ),
        "adadelta" => format!(
            "torch.optim.Adadelta([theta], lr={lr}, rho={}, eps={}, weight_decay={})",
            n("rho"),
            n("eps"),
            n("weight_decay")
        ),
        "lion" => format!(
            "Lion([theta], lr={lr}, {}, weight_decay={})",
            betas(),
            n("weight_decay")
        ),
        "newton" => format!("Newton([theta], lr={lr}, damping={})", n("damping")),
        other => return Err(format!("no PyTorch version of the optimizer '{other}'")),
    })
}

/// The functions and constants of optiscope's formula language (exmex's), as torch functions.
const EXMEX_NAMES: &str = r#"# The functions and constants of optiscope's formula language, from torch.
sin, cos, tan, asin, acos, atan = torch.sin, torch.cos, torch.tan, torch.asin, torch.acos, torch.atan
sinh, cosh, tanh = torch.sinh, torch.cosh, torch.tanh
asinh, acosh, atanh = torch.asinh, torch.acosh, torch.atanh
exp, sqrt, abs, signum = torch.exp, torch.sqrt, torch.abs, torch.sign
ln = log = torch.log
log2, log10 = torch.log2, torch.log10
floor, ceil, round, trunc, fract = torch.floor, torch.ceil, torch.round, torch.trunc, torch.frac


def cbrt(t):
    return torch.sign(t) * torch.abs(t) ** (1 / 3)


PI = π = math.pi
E = e = math.e
TAU = τ = math.tau
"#;

const LION: &str = r#"
class Lion(torch.optim.Optimizer):
    """Lion (Chen et al. 2023), not in torch.optim: the sign of an interpolated momentum, with
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

"#;

const NEWTON: &str = r#"
class Newton(torch.optim.Optimizer):
    """Damped Newton, not in torch.optim: θ ← θ − lr·(H + damping·I)⁻¹·g with the exact Hessian."""

    def __init__(self, params, lr, damping=0.0):
        super().__init__(params, dict(lr=lr, damping=damping))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                h = torch.autograd.functional.hessian(f, p.detach())
                d = torch.linalg.solve(h + group["damping"] * torch.eye(2), p.grad)
                p.sub_(group["lr"] * d)

"#;

/// The main schedule as a `torch.optim.lr_scheduler` on `optimizer`; `None` for constant.
fn schedule_code(s: &Spec, lr: f64) -> Result<Option<String>, String> {
    let r = &crate::core::schedule::SCHEDULES;
    let n = |k| num(s, r, k);
    let i = |k| int(s, r, k);
    let ls = "torch.optim.lr_scheduler";
    Ok(Some(match s.name.as_str() {
        "constant" => return Ok(None),
        "step" => format!(
            "{ls}.StepLR(optimizer, step_size={}, gamma={})",
            i("step_size"),
            n("gamma")
        ),
        "multistep" => format!(
            "{ls}.MultiStepLR(optimizer, milestones={}, gamma={})",
            i("milestones"),
            n("gamma")
        ),
        "exponential" => format!("{ls}.ExponentialLR(optimizer, gamma={})", n("gamma")),
        "exp_decay" => format!(
            "{ls}.LambdaLR(optimizer, lambda t: math.exp(-{} * t))",
            n("k")
        ),
        "inverse_time" => format!(
            "{ls}.LambdaLR(optimizer, lambda t: 1 / (1 + {} * t))",
            n("k")
        ),
        "polynomial" => format!(
            "{ls}.PolynomialLR(optimizer, total_iters={}, power={})",
            i("total_iters"),
            n("power")
        ),
        "linear" => format!(
            "{ls}.LinearLR(optimizer, start_factor={}, end_factor={}, total_iters={})",
            n("start_factor"),
            n("end_factor"),
            i("total_iters")
        ),
        "cosine" => format!(
            "{ls}.CosineAnnealingLR(optimizer, T_max={}, eta_min={})",
            i("T_max"),
            n("eta_min")
        ),
        "cosine_restarts" => format!(
            "{ls}.CosineAnnealingWarmRestarts(optimizer, T_0={}, T_mult={}, eta_min={})",
            i("T_0"),
            i("T_mult"),
            n("eta_min")
        ),
        "cyclic" => {
            // optiscope's base_lr defaults to the run's learning rate.
            let base = match s.get("base_lr") {
                Some(Value::Num(x)) => py(*x),
                _ => py(lr),
            };
            format!(
                "{ls}.CyclicLR(optimizer, base_lr={base}, max_lr={}, step_size_up={}, step_size_down={}, mode={}, gamma={}, cycle_momentum=False)",
                n("max_lr"),
                i("step_size_up"),
                i("step_size_down"),
                n("mode"),
                n("gamma")
            )
        }
        "one_cycle" => {
            let max = match s.get("max_lr") {
                Some(Value::Num(x)) => py(*x),
                _ => py(lr),
            };
            format!(
                "{ls}.OneCycleLR(optimizer, max_lr={max}, total_steps={}, pct_start={}, anneal_strategy={}, div_factor={}, final_div_factor={}, three_phase={}, cycle_momentum=False)",
                i("total_steps"),
                n("pct_start"),
                n("anneal_strategy"),
                n("div_factor"),
                n("final_div_factor"),
                n("three_phase")
            )
        }
        "plateau" => format!(
            "{ls}.ReduceLROnPlateau(optimizer, mode={}, factor={}, patience={}, threshold={}, threshold_mode={}, cooldown={}, min_lr={}, eps={})",
            n("mode"),
            n("factor"),
            i("patience"),
            n("threshold"),
            n("threshold_mode"),
            i("cooldown"),
            n("min_lr"),
            n("eps")
        ),
        other => return Err(format!("no PyTorch version of the schedule '{other}'")),
    }))
}

/// The Python script for run `index` of `preset` (counted from 0, like `trace --run`).
pub fn pytorch_script(preset: &Preset, index: usize) -> Result<String, String> {
    let run = preset
        .runs
        .get(index)
        .ok_or_else(|| format!("the scene has no run {index}"))?;
    let spec = preset
        .run_settings(index)
        .ok_or_else(|| format!("the scene has no run {index}"))?;
    let surface = preset
        .run_surface(index)
        .ok_or_else(|| format!("the scene has no run {index}"))?;
    let mut out = String::new();
    let title = if preset.title.trim().is_empty() {
        "an optiscope scene".to_owned()
    } else {
        format!("\"{}\"", preset.title)
    };
    out.push_str(&format!(
        "# Run {} of {title}, reproduced with torch.optim.\n# {}\n# Prints the CSV of `optiscope trace`: step,lr,x,y,loss,grad_x,grad_y (row k: θ_k, f(θ_k),\n# ∇f(θ_k) and the learning rate update k uses).\n",
        index + 1,
        run.settings.label(),
    ));
    out.push_str(
        "import math\nimport sys\n\nimport torch\n\ntorch.set_default_dtype(torch.float64)\n",
    );
    let stochastic = spec.noise > 0.0
        || (surface.name == "linreg"
            && matches!(surface.get("batch_size"), Some(Value::Num(b)) if *b > 0.0));
    if stochastic {
        out.push_str(&format!(
            "gen = torch.Generator().manual_seed({})  # noise and minibatches: torch's numbers, not optiscope's\n",
            spec.seed
        ));
    }
    out.push_str("\n\n");
    out.push_str(&surface_code(&surface)?);
    let optimizer = optimizer_code(&spec.optimizer, spec.lr)?;
    match spec.optimizer.name.as_str() {
        "lion" => out.push_str(&format!("\n{LION}")),
        "newton" => out.push_str(&format!("\n{NEWTON}")),
        _ => out.push('\n'),
    }
    out.push_str(&format!(
        "\ntheta = torch.tensor([{}, {}], requires_grad=True)\noptimizer = {optimizer}\n",
        py(preset.run_start(index)[0]),
        py(preset.run_start(index)[1])
    ));
    let main = schedule_code(&spec.schedule, spec.lr)?;
    let plateau = spec.schedule.name == "plateau";
    let w = &crate::core::schedule::WARMUPS;
    let warmup_steps = match spec.warmup.name.as_str() {
        "none" => 0,
        _ => match arg(&spec.warmup, w, "steps") {
            Some(Value::Num(x)) => x as u64,
            _ => 0,
        },
    };
    let warm_lambda = match spec.warmup.name.as_str() {
        "linear" => {
            let s = num(&spec.warmup, w, "start_factor");
            Some(format!("lambda t: {s} + (1 - {s}) * t / {warmup_steps}"))
        }
        "constant" => Some(format!("lambda t: {}", num(&spec.warmup, w, "factor"))),
        _ => None,
    };
    let warm_lambda = warm_lambda.filter(|_| warmup_steps > 0);
    // How the loop moves the learning rate on: after each update, or from the loss (plateau).
    let mut after_update = String::new();
    let mut before_lr = String::new();
    match (&main, &warm_lambda, plateau) {
        (None, None, _) => {}
        (Some(m), warm, false) => {
            match warm {
                None => out.push_str(&format!("scheduler = {m}\n")),
                Some(l) => out.push_str(&format!(
                    "# Warmup for {warmup_steps} steps, then the schedule from its step 0 (SequentialLR).\nscheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [\n    torch.optim.lr_scheduler.LambdaLR(optimizer, {l}),\n    {m},\n], milestones=[{warmup_steps}])\n"
                )),
            }
            if spec.schedule.name == "one_cycle" {
                // torch refuses to step past total_steps; optiscope holds the last rate.
                let total = int(
                    &spec.schedule,
                    &crate::core::schedule::SCHEDULES,
                    "total_steps",
                );
                after_update.push_str(&format!(
                    "        if scheduler.last_epoch + 1 < {warmup_steps} + {total}:\n            scheduler.step()\n"
                ));
            } else {
                after_update.push_str("        scheduler.step()\n");
            }
        }
        (None, Some(l), _) => {
            // Warmup, then the constant base rate.
            out.push_str(&format!(
                "scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [\n    torch.optim.lr_scheduler.LambdaLR(optimizer, {l}),\n    torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0),\n], milestones=[{warmup_steps}])\n"
            ));
            after_update.push_str("        scheduler.step()\n");
        }
        (Some(m), warm, true) => {
            out.push_str(&format!("plateau = {m}\n"));
            if let Some(l) = warm {
                out.push_str(&format!(
                    "warmup = {l}  # the plateau schedule takes over after {warmup_steps} steps\nbase_lr = optimizer.param_groups[0][\"lr\"]\n"
                ));
                before_lr.push_str(&format!(
                    "    if step < {warmup_steps}:\n        optimizer.param_groups[0][\"lr\"] = base_lr * warmup(step)\n    elif step == {warmup_steps}:\n        optimizer.param_groups[0][\"lr\"] = base_lr\n    if step > {warmup_steps}:\n        plateau.step(loss.item())  # fed f(θ_k) after update k − 1\n"
                ));
            } else {
                before_lr
                    .push_str("    if step > 0:\n        plateau.step(loss.item())  # fed f(θ_k) after update k − 1\n");
            }
        }
    }
    let noise = if spec.noise > 0.0 {
        format!(
            "        theta.grad += {} * torch.randn(2, generator=gen)  # gradient noise σ\n",
            py(spec.noise)
        )
    } else {
        String::new()
    };
    out.push_str(&format!(
        r#"
steps = {steps}
print("step,lr,x,y,loss,grad_x,grad_y")
for step in range(steps + 1):
    optimizer.zero_grad()
    loss = f(theta)
    loss.backward()
{before_lr}    lr = optimizer.param_groups[0]["lr"]
    x, y = theta.tolist()
    g = theta.grad.tolist()
    row = [lr, x, y, loss.item(), g[0], g[1]]
    if not all(map(math.isfinite, row)):
        print(f"diverged at step {{step}}", file=sys.stderr)
        break
    print(step, *map(repr, row), sep=",")
    if math.fabs(x) > 1e8 or math.fabs(y) > 1e8:  # optiscope's bound: the run has left for infinity
        print(f"diverged at step {{step}}", file=sys.stderr)
        break
    if step < steps:
{noise}        optimizer.step()
{after_update}"#,
        steps = spec.steps,
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::preset::parse_preset;

    fn scene(run: &str) -> Preset {
        parse_preset(
            &format!(
                r#"(version: 1, title: "t", surface: "rosenbrock", start: (-1.5, 2), steps: 50, runs: [{run}])"#
            ),
            "test",
        )
        .unwrap()
    }

    #[test]
    fn torch_names_and_defaults_are_spelled_out() {
        let s = pytorch_script(&scene(r#"(optimizer: "adam(beta1=0.8)", lr: 0.05)"#), 0).unwrap();
        assert!(s.contains(
            "torch.optim.Adam([theta], lr=0.05, betas=(0.8, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False)"
        ), "{s}");
        assert!(s.contains("theta = torch.tensor([-1.5, 2.0], requires_grad=True)"));
        assert!(s.contains("return (1.0 - x)**2 + 100.0 * (y - x**2)**2"));
        assert!(s.contains("steps = 50"));
        assert!(
            !s.contains("scheduler"),
            "a constant rate needs no scheduler"
        );
    }

    #[test]
    fn warmup_becomes_sequential_lr_and_plateau_is_fed_the_loss() {
        let s = pytorch_script(
            &scene(
                r#"(optimizer: "sgd(momentum=0.9)", lr: 0.001, schedule: "cosine(T_max=40)", warmup: "linear(steps=10,start_factor=0)")"#,
            ),
            0,
        )
        .unwrap();
        assert!(s.contains("SequentialLR(optimizer"));
        assert!(s.contains("LambdaLR(optimizer, lambda t: 0.0 + (1 - 0.0) * t / 10)"));
        assert!(s.contains("CosineAnnealingLR(optimizer, T_max=40, eta_min=0.0)"));
        assert!(s.contains("milestones=[10]"));
        let p = pytorch_script(
            &scene(r#"(optimizer: "sgd", lr: 0.001, schedule: "plateau(patience=3)")"#),
            0,
        )
        .unwrap();
        assert!(p.contains("ReduceLROnPlateau(optimizer, mode=\"min\", factor=0.1, patience=3"));
        assert!(p.contains("plateau.step(loss.item())"));
    }

    #[test]
    fn lion_and_newton_are_written_out() {
        let s = pytorch_script(&scene(r#"(optimizer: "lion", lr: 0.01)"#), 0).unwrap();
        assert!(s.contains("class Lion(torch.optim.Optimizer)"));
        assert!(
            s.contains("optimizer = Lion([theta], lr=0.01, betas=(0.9, 0.99), weight_decay=0.0)")
        );
        let n = pytorch_script(&scene(r#"(optimizer: "newton(damping=0.5)", lr: 1)"#), 0).unwrap();
        assert!(n.contains("torch.autograd.functional.hessian"));
        assert!(n.contains("Newton([theta], lr=1.0, damping=0.5)"));
        assert!(pytorch_script(&scene(r#"(optimizer: "sgd", lr: 1)"#), 3).is_err());
    }
}
