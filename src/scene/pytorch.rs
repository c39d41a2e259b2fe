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
    #[error(transparent)]
    Train(#[from] crate::core::train::TrainError),
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

/// The learning-rate machinery of a run's script: the scheduler objects (`setup`), what the
/// loop does before reading the rate (a plateau fed the loss, a hand-made warmup) and what it
/// does after each update (the scheduler's step), at the loop's indentation.
fn schedule_setup(
    spec: &crate::core::settings::RunSettings,
) -> Result<(String, String, String), SpecError> {
    let mut setup = String::new();
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
                None => setup.push_str(&format!("scheduler = {m}\n")),
                Some(l) => setup.push_str(&format!(
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
            setup.push_str(&format!(
                "scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [\n    torch.optim.lr_scheduler.LambdaLR(optimizer, {l}),\n    torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0),\n], milestones=[{warmup_steps}])\n"
            ));
            after_update.push_str("        scheduler.step()\n");
        }
        (Some(m), warm, true) => {
            setup.push_str(&format!("plateau = {m}\n"));
            if let Some(l) = warm {
                setup.push_str(&format!(
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
    Ok((setup, before_lr, after_update))
}

/// How a script's first line names its scene: the quoted title, or a placeholder.
fn script_title(preset: &Preset) -> String {
    if preset.title.trim().is_empty() {
        "an optiscope scene".to_owned()
    } else {
        format!("\"{}\"", preset.title)
    }
}

/// The Python script for run `index` of `preset` (counted from 0, like `trace --run`).
pub fn pytorch_script(preset: &Preset, index: usize) -> Result<String, ScriptError> {
    let no_run = || ScriptError::NoRun {
        index,
        runs: preset.runs.len(),
    };
    if let Some(network) = &preset.network {
        let run = preset.runs.get(index).ok_or_else(no_run)?;
        return network_script(preset, network, index, run);
    }
    let run = preset.runs.get(index).ok_or_else(no_run)?;
    let spec = preset.run_settings(index).ok_or_else(no_run)?;
    let surface = preset.run_surface(index).ok_or_else(no_run)?;
    let mut out = String::new();
    let title = script_title(preset);
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
    let (setup, before_lr, after_update) = schedule_setup(&spec)?;
    out.push_str(&setup);
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

/// The script of a network scene's run: its data and initial weights inline (from the same
/// generators as `optiscope train --dump-data/--dump-init`), an `nn.Sequential` of
/// `nn.Linear` layers, `BCEWithLogitsLoss` or `MSELoss`, and the run's optimizer and schedule;
/// it prints the CSV of `optiscope train`.
fn network_script(
    preset: &Preset,
    network: &crate::scene::preset::NetworkScene,
    index: usize,
    run: &crate::scene::preset::SceneRun,
) -> Result<String, ScriptError> {
    use crate::core::network::{Activation, Task};
    let spec = &run.settings;
    let training = crate::core::train::Training::new(&network.train_settings(spec))?;
    let title = script_title(preset);
    let mut out = format!(
        "# Run {} of {title}, reproduced with torch.nn and torch.optim.\n# {} on {} with {}\n# Prints the CSV of `optiscope train`: step,lr,loss,test_loss,grad_norm (row k: the\n# training and held-out losses at θ_k, |∇L(θ_k)| over the training set, and the learning\n# rate update k uses).\n",
        index + 1,
        spec.label(),
        network.data,
        network.model,
    );
    out.push_str("import json\nimport math\nimport sys\n\nimport torch\n\ntorch.set_default_dtype(torch.float64)\n\n");
    out.push_str(&format!(
        "DATA = json.loads(\"\"\"{}\"\"\")\nINIT = json.loads(\"\"\"{}\"\"\")\n",
        crate::core::train::data_json(&training),
        crate::core::train::init_json(&training),
    ));
    let activation = match training.net.activation {
        Activation::Tanh => "Tanh",
        Activation::Relu => "ReLU",
        Activation::Sigmoid => "Sigmoid",
    };
    let loss = match training.data.task {
        Task::Classification => "BCEWithLogitsLoss",
        Task::Regression => "MSELoss",
    };
    out.push_str(&format!(
        r#"x, y = torch.tensor(DATA["x"]), torch.tensor(DATA["y"]).reshape(-1, 1)
x_test, y_test = torch.tensor(DATA["x_test"]), torch.tensor(DATA["y_test"]).reshape(-1, 1)
batches = DATA.get("batches")  # the training rows of each update (full batch without)

layers = []
for i, layer in enumerate(INIT["layers"]):
    weight = torch.tensor(layer["weight"])
    linear = torch.nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        linear.weight.copy_(weight)
        linear.bias.copy_(torch.tensor(layer["bias"]))
    layers.append(linear)
    if i + 1 < len(INIT["layers"]):
        layers.append(torch.nn.{activation}())
model = torch.nn.Sequential(*layers)
loss_fn = torch.nn.{loss}()
params = list(model.parameters())
"#
    ));
    let (optimizer, class) = optimizer_code(&spec.optimizer, spec.lr)?;
    if let Some(class) = class {
        out.push_str(&format!("\n{class}\n"));
    }
    out.push_str(&format!(
        "optimizer = {}\n",
        optimizer.replacen("[theta]", "params", 1)
    ));
    let (setup, before_lr, after_update) = schedule_setup(spec)?;
    out.push_str(&setup);
    out.push_str(&format!(
        r#"
steps = {steps}
print("step,lr,loss,test_loss,grad_norm")
for step in range(steps + 1):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
{before_lr}    lr = optimizer.param_groups[0]["lr"]
    grad_norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in params))
    # optiscope's bounds: a weight beyond 1e8 or anything not finite ends the run.
    runaway = any(not bool(torch.isfinite(p.detach()).all()) or float(p.detach().abs().max()) > 1e8 for p in params)
    if runaway or not all(map(math.isfinite, [loss.item(), grad_norm, lr])):
        print(f"diverged at step {{step}}", file=sys.stderr)
        break
    with torch.no_grad():
        test_loss = loss_fn(model(x_test), y_test).item()
    print(step, *map(repr, [lr, loss.item(), test_loss, grad_norm]), sep=",")
    if step < steps:
        if batches is not None:
            optimizer.zero_grad()
            rows = batches[step]
            loss_fn(model(x[rows]), y[rows]).backward()
        optimizer.step()
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
