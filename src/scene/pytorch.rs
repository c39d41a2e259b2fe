//! "Copy as PyTorch": a runnable Python script that reproduces one run of a scene with
//! `torch.optim` and `torch.optim.lr_scheduler`, so a student can take what they found in
//! optiscope into their own training code. It prints the same CSV as `optiscope trace`.
//!
//! Parameter names are already PyTorch's, so the mapping is mostly spelling: `beta1, beta2`
//! become `betas=(…)`, exp_decay and inverse_time become `LambdaLR`, warmup becomes
//! `SequentialLR`. Lion and Newton are not in torch.optim; the script writes them out. Gradient
//! noise and minibatches are drawn with torch's generator, so those runs match optiscope's in
//! distribution, not number for number (the script says so).

use crate::core::optimizer::OPTIMIZERS;
use crate::core::python::{py, py_whole};
use crate::core::schedule::{Phase, SCHEDULES, WARMUPS};
use crate::core::spec::{Spec, SpecError, Value};
use crate::core::surface::AnySurface;
use crate::scene::preset::Preset;

/// Why no script could be written for a run.
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    #[error("the scene has no run {index} (it has {runs})")]
    NoRun { index: usize, runs: usize },
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(
        "this scene trains a network; the PyTorch script is written for surface scenes \
         (`optiscope train --dump-data/--dump-init` gives a network run's data and weights)"
    )]
    Network,
}

/// The run's optimizer as Python: the constructor, and any class it needs first.
fn optimizer_code(opt: &Spec, lr: f64) -> Result<(String, Option<&'static str>), SpecError> {
    let (item, args) = OPTIMIZERS.resolve_item(opt)?;
    Ok(((item.torch)(&args, &py(lr)), item.torch_class))
}

/// The main schedule as a `torch.optim.lr_scheduler` on `optimizer` (`None` for a constant
/// rate), and the last step torch lets it take, if it has one.
fn schedule_code(s: &Spec, lr: f64) -> Result<(Option<String>, Option<String>), SpecError> {
    let (item, args) = SCHEDULES.resolve_item(s)?;
    let limit = item.torch_total_steps.map(|key| py_whole(&args.value(key)));
    Ok(((item.torch)(&args, lr), limit))
}

/// The warmup factor as a Python lambda and its length W.
fn warmup_code(w: &Spec) -> Result<(Option<String>, u64), SpecError> {
    let (item, args) = WARMUPS.resolve_item(w)?;
    let steps = (item.build)(&args).map_or(0, |(_, steps)| steps);
    Ok(((item.torch)(&args).filter(|_| steps > 0), steps))
}

/// The Python script for run `index` of `preset` (counted from 0, like `trace --run`).
pub fn pytorch_script(preset: &Preset, index: usize) -> Result<String, ScriptError> {
    let no_run = || ScriptError::NoRun {
        index,
        runs: preset.runs.len(),
    };
    if preset.network.is_some() {
        return Err(ScriptError::Network);
    }
    let run = preset.runs.get(index).ok_or_else(no_run)?;
    let spec = preset.run_settings(index).ok_or_else(no_run)?;
    let surface = preset.run_surface(index).ok_or_else(no_run)?;
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
    out.push_str(&AnySurface::torch_code(&surface)?);
    let (optimizer, class) = optimizer_code(&spec.optimizer, spec.lr)?;
    match class {
        Some(class) => out.push_str(&format!("\n{class}")),
        None => out.push('\n'),
    }
    out.push_str(&format!(
        "\ntheta = torch.tensor([{}, {}], requires_grad=True)\noptimizer = {optimizer}\n",
        py(preset.run_start(index)[0]),
        py(preset.run_start(index)[1])
    ));
    let (main, main_total_steps) = schedule_code(&spec.schedule, spec.lr)?;
    let plateau = matches!(Phase::from_spec(&spec.schedule)?, Phase::Plateau(_));
    let (warm_lambda, warmup_steps) = warmup_code(&spec.warmup)?;
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
            if let Some(total) = &main_total_steps {
                // torch refuses to step past total_steps; optiscope holds the last rate.
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
