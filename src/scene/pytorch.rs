//! "Copy as PyTorch": a runnable Python script that reproduces one run of a scene with
//! `torch.optim` and `torch.optim.lr_scheduler`, so a student can take what they found in
//! optiscope into their own training code. It prints the same CSV as `optiscope trace`.
//!
//! Parameter names are already PyTorch's, so the mapping is mostly spelling: `beta1, beta2`
//! become `betas=(…)`, exp_decay and inverse_time become `LambdaLR`, warmup becomes
//! `SequentialLR`. Lion and Newton are not in torch.optim; the script writes them out. Gradient
//! noise and minibatches are drawn with torch's generator, so those runs match optiscope's in
//! distribution, not number for number (the script says so).

use crate::core::optimizer::{Framework, OPTIMIZERS};
use crate::core::python::{py, py_whole};
use crate::core::schedule::{RateCode, SCHEDULES, WARMUPS};
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
    #[error(
        "run {run} uses {optimizer}, which follows {}'s update rule; its script is written with {} (Copy as {}, `optiscope {}`)",
        follows.name(), follows.name(), follows.name(), follows.name().to_lowercase()
    )]
    Framework {
        run: usize,
        optimizer: String,
        follows: Framework,
        asked: Framework,
    },
}

/// The run's optimizer as Python: the constructor, and any class it needs first.
fn optimizer_code(opt: &Spec, lr: &str) -> Result<(String, Option<&'static str>), SpecError> {
    let (item, args) = OPTIMIZERS.resolve_item(opt)?;
    Ok(((item.python)(&args, lr), item.torch_class))
}

/// The warmup factor as a Python lambda and its length W.
fn warmup_code(w: &Spec) -> Result<(Option<String>, u64), SpecError> {
    let (item, args) = WARMUPS.resolve_item(w)?;
    let steps = (item.build)(&args).map_or(0, |(_, steps)| steps);
    Ok(((item.torch)(&args).filter(|_| steps > 0), steps))
}

/// The learning-rate machinery of a run's script, at the loop's indentation.
#[derive(Debug, Default)]
pub(crate) struct RateLoop {
    /// Scheduler objects and helpers, after the optimizer is made.
    pub setup: String,
    /// What the loop does once the loss and gradient of θ_k are known, before it reads the rate
    /// of update k (a plateau fed the loss, a rule set at an epoch start, a hand-made warmup).
    pub before_lr: String,
    /// What it does after each update (a torch scheduler's step).
    pub after_update: String,
    /// Whether the script needs `keras` (a Keras schedule or callback).
    pub keras: bool,
    /// Whether the script needs the formula language's functions from `math`.
    pub math_names: bool,
}

/// The Python names of the formula language's functions for rules evaluated on floats.
pub(crate) const MATH_NAMES: &str = r#"# The functions of optiscope's formula language, on Python floats.
from math import acos, acosh, asin, asinh, atan, atanh, ceil, cos, cosh, exp, floor, log, log2, log10
from math import sin, sinh, sqrt, tan, tanh, trunc
ln = log
PI = π = math.pi
E = e = math.e
TAU = τ = math.tau


def signum(t):
    return math.copysign(1.0, t)


def fract(t):
    return t - math.trunc(t)


def cbrt(t):
    return math.copysign(abs(t) ** (1 / 3), t)


def round(t):  # half away from zero, as optiscope rounds
    return math.copysign(math.floor(abs(t) + 0.5), t)
"#;

/// The rate machinery of run `spec` with the rate of the next update kept in
/// `{holder}.param_groups[0]["lr"]` (`holder` is a torch optimizer: the run's own in a PyTorch
/// script, a stand-in that only holds the rate in a Keras one), and `grad_norm` the Python
/// expression of |∇f(θ_k)| in the loop. `lr0` is the run's base rate in the script.
pub(crate) fn rate_loop(
    spec: &crate::core::settings::RunSettings,
    holder: &str,
    grad_norm: &str,
) -> Result<RateLoop, SpecError> {
    let (item, args) = SCHEDULES.resolve_item(&spec.schedule)?;
    let main_total_steps = item.torch_total_steps.map(|key| py_whole(&args.value(key)));
    let code = (item.python)(&args, spec.lr);
    let (warm_lambda, w) = warmup_code(&spec.warmup)?;
    let group = format!("{holder}.param_groups[0][\"lr\"]");
    let mut r = RateLoop::default();
    let torch_main = match &code {
        RateCode::Constant => None,
        RateCode::Torch(m) | RateCode::Plateau(m) => {
            Some(m.replace("(optimizer,", &format!("({holder},")))
        }
        _ => return Ok(hand_rate(code, warm_lambda, w, &group, grad_norm)),
    };
    let plateau = matches!(code, RateCode::Plateau(_));
    let ls = "torch.optim.lr_scheduler";
    match (&torch_main, &warm_lambda, plateau) {
        (None, None, _) => {}
        (Some(m), warm, false) => {
            match warm {
                None => r.setup.push_str(&format!("scheduler = {m}\n")),
                Some(l) => r.setup.push_str(&format!(
                    "# Warmup for {w} steps, then the schedule from its step 0 (SequentialLR).\nscheduler = {ls}.SequentialLR({holder}, [\n    {ls}.LambdaLR({holder}, {l}),\n    {m},\n], milestones=[{w}])\n"
                )),
            }
            if let Some(total) = &main_total_steps {
                // torch refuses to step past total_steps; optiscope holds the last rate.
                r.after_update.push_str(&format!(
                    "        if scheduler.last_epoch + 1 < {w} + {total}:\n            scheduler.step()\n"
                ));
            } else {
                r.after_update.push_str("        scheduler.step()\n");
            }
        }
        (None, Some(l), _) => {
            // Warmup, then the constant base rate.
            r.setup.push_str(&format!(
                "scheduler = {ls}.SequentialLR({holder}, [\n    {ls}.LambdaLR({holder}, {l}),\n    {ls}.ConstantLR({holder}, factor=1.0),\n], milestones=[{w}])\n"
            ));
            r.after_update.push_str("        scheduler.step()\n");
        }
        (Some(m), warm, true) => {
            r.setup.push_str(&format!("plateau = {m}\n"));
            if let Some(l) = warm {
                r.setup.push_str(&format!(
                    "warmup = {l}  # the plateau schedule takes over after {w} steps\n"
                ));
                r.before_lr.push_str(&format!(
                    "    if step < {w}:\n        {group} = lr0 * warmup(step)\n    elif step == {w}:\n        {group} = lr0\n    if step > {w}:\n        plateau.step(loss.item())  # fed f(θ_k) after update k − 1\n"
                ));
            } else {
                r.before_lr
                    .push_str("    if step > 0:\n        plateau.step(loss.item())  # fed f(θ_k) after update k − 1\n");
            }
        }
    }
    Ok(r)
}

/// The rate set by hand before each update: Keras schedules, the notes' rules and Keras's
/// epoch callback, after an optional warmup of `w` steps (`warm` its factor as a lambda).
fn hand_rate(
    code: RateCode,
    warm: Option<String>,
    w: u64,
    group: &str,
    grad_norm: &str,
) -> RateLoop {
    let mut r = RateLoop::default();
    let mut before = String::new();
    if let Some(l) = &warm {
        r.setup.push_str(&format!(
            "warmup = {l}  # for {w} steps, then the schedule from its step 0\n"
        ));
        before.push_str(&format!(
            "    if step < {w}:\n        {group} = lr0 * warmup(step)\n"
        ));
    }
    // After the warmup the phase counts its own steps from 0.
    let t = if warm.is_some() {
        format!("step - {w}")
    } else {
        "step".to_owned()
    };
    let body = match code {
        RateCode::Keras(k) => {
            r.keras = true;
            r.setup.push_str(&format!("schedule = {k}\n"));
            format!("        {group} = float(schedule({t}))  # called with the updates applied\n")
        }
        RateCode::Formula(f) => {
            r.setup
                .push_str(&format!("\n\ndef rate(step):\n    return {f}\n\n\n"));
            format!("        {group} = rate({t})\n")
        }
        RateCode::GradHalving { threshold, factor } => {
            let reset = if warm.is_some() {
                format!("        if step == {w}:\n            {group} = lr0\n")
            } else {
                String::new()
            };
            format!(
                "{reset}        if {grad_norm} > {threshold}:  # the notes' rule: cut the rate while the gradient is steep\n            {group} *= {factor}\n"
            )
        }
        RateCode::Epochs {
            steps_per_epoch,
            rule,
        } => {
            r.math_names = true;
            r.setup.push_str(&format!(
                "\n\ndef rule(epoch, lr):\n    \"\"\"The rate set at the start of each epoch (LearningRateScheduler's schedule).\"\"\"\n    return float({rule})\n\n\n"
            ));
            format!(
                "        if ({t}) % {steps_per_epoch} == 0:  # an epoch of {steps_per_epoch} updates starts\n            {group} = rule(({t}) // {steps_per_epoch}, lr0 if step == {w} else {group})\n"
            )
        }
        RateCode::Constant | RateCode::Torch(_) | RateCode::Plateau(_) => {
            unreachable!("torch schedulers are written by rate_loop")
        }
    };
    // The body is written for the `else:` of the warmup; without one it moves out a level.
    if warm.is_some() {
        before.push_str("    else:\n");
        before.push_str(&body);
    } else {
        for line in body.lines() {
            before.push_str(line.strip_prefix("    ").unwrap_or(line));
            before.push('\n');
        }
    }
    r.before_lr = before;
    r
}

/// How a script's first line names its scene: the quoted title, or a placeholder.
fn script_title(preset: &Preset) -> String {
    if preset.title.trim().is_empty() {
        "an optiscope scene".to_owned()
    } else {
        format!("\"{}\"", preset.title)
    }
}

/// The Python script for run `index` of `preset` (counted from 0, like `trace --run`), with
/// torch.optim; a run of a `keras.*` optimizer is refused with a pointer to [`keras_script`].
pub fn pytorch_script(preset: &Preset, index: usize) -> Result<String, ScriptError> {
    script(preset, index, Framework::PyTorch)
}

/// The Keras 3 script for run `index` of `preset`: `keras.optimizers` (and
/// `keras.optimizers.schedules`) in float64 on the torch backend, printing the same CSV as
/// `optiscope trace`; a run of a torch.optim optimizer is refused with a pointer to
/// [`pytorch_script`].
pub fn keras_script(preset: &Preset, index: usize) -> Result<String, ScriptError> {
    script(preset, index, Framework::Keras)
}

fn script(preset: &Preset, index: usize, framework: Framework) -> Result<String, ScriptError> {
    let no_run = || ScriptError::NoRun {
        index,
        runs: preset.runs.len(),
    };
    let run = preset.runs.get(index).ok_or_else(no_run)?;
    let (item, _) = OPTIMIZERS.resolve_item(&run.settings.optimizer)?;
    if item.framework() != framework {
        return Err(ScriptError::Framework {
            run: index + 1,
            optimizer: item.def.name.to_owned(),
            follows: item.framework(),
            asked: framework,
        });
    }
    match (&preset.network, framework) {
        (Some(network), Framework::PyTorch) => network_script(preset, network, index, run),
        (Some(network), Framework::Keras) => keras_network_script(preset, network, index, run),
        (None, _) => surface_script(preset, index, framework),
    }
}

/// The import lines of a script.
fn imports(keras: bool, math_names: bool) -> String {
    let mut out = String::from("import math\nimport os\nimport sys\nimport types\n\n");
    if keras {
        out.push_str("# Keras 3 on its torch backend (TensorFlow is not needed), in float64.\nos.environ.setdefault(\"KERAS_BACKEND\", \"torch\")\nimport keras  # noqa: E402\nimport torch  # noqa: E402\n\nkeras.config.set_floatx(\"float64\")\n");
    } else {
        out.push_str("import torch\n\n");
    }
    out.push_str("torch.set_default_dtype(torch.float64)\n");
    if math_names {
        out.push('\n');
        out.push_str(MATH_NAMES);
    }
    out
}

/// How a Keras script drives its optimizer's rate: `learning_rate` given to the optimizer,
/// the setup after it, what the loop does before it reads the rate, the expression it reads,
/// what it does before and after the update.
struct KerasRate {
    learning_rate: &'static str,
    pre_setup: String,
    rate: RateLoop,
    read: &'static str,
    before_update: &'static str,
}

fn keras_rate(spec: &crate::core::settings::RunSettings) -> Result<KerasRate, SpecError> {
    let (item, args) = SCHEDULES.resolve_item(&spec.schedule)?;
    let code = (item.python)(&args, spec.lr);
    let (warm, _) = warmup_code(&spec.warmup)?;
    let direct = |pre_setup: String, rate: RateLoop, learning_rate| KerasRate {
        learning_rate,
        pre_setup,
        rate,
        read: "float(optimizer.learning_rate)",
        before_update: "",
    };
    Ok(match (code, warm) {
        (RateCode::Constant, None) => direct(String::new(), RateLoop::default(), "lr0"),
        (RateCode::Keras(k), None) => direct(
            format!("schedule = {k}  # called with optimizer.iterations\n"),
            RateLoop::default(),
            "schedule",
        ),
        (
            RateCode::Epochs {
                steps_per_epoch,
                rule,
            },
            None,
        ) => direct(
            String::new(),
            RateLoop {
                setup: format!(
                    "# At the start of each epoch of {steps_per_epoch} updates the rate becomes rule(epoch, lr).\nscheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: float({rule}))\nscheduler.set_model(types.SimpleNamespace(optimizer=optimizer))\n"
                ),
                before_lr: format!(
                    "    if step % {steps_per_epoch} == 0:\n        scheduler.on_epoch_begin(step // {steps_per_epoch})\n"
                ),
                after_update: String::new(),
                keras: true,
                math_names: true,
            },
            "lr0",
        ),
        _ => KerasRate {
            learning_rate: "lr0",
            pre_setup: String::new(),
            rate: {
                let mut r = rate_loop(spec, "rates", "grad_norm")?;
                r.setup = format!(
                    "# The rate of each update is set below in rates (a torch optimizer that only holds it, so\n# torch's schedulers can drive it too) and handed to Keras's optimizer before the update.\nrates = torch.optim.SGD([torch.zeros(1)], lr=lr0)\n{}",
                    r.setup
                );
                r
            },
            read: "rates.param_groups[0][\"lr\"]",
            before_update: "        optimizer.learning_rate = lr\n",
        },
    })
}

/// The script of a surface scene's run in `framework`.
fn surface_script(
    preset: &Preset,
    index: usize,
    framework: Framework,
) -> Result<String, ScriptError> {
    let no_run = || ScriptError::NoRun {
        index,
        runs: preset.runs.len(),
    };
    let run = preset.runs.get(index).ok_or_else(no_run)?;
    let spec = preset.run_settings(index).ok_or_else(no_run)?;
    let surface = preset.run_surface(index).ok_or_else(no_run)?;
    let keras = framework == Framework::Keras;
    let (rate, keras_parts) = if keras {
        let k = keras_rate(&spec)?;
        (None, Some(k))
    } else {
        (Some(rate_loop(&spec, "optimizer", "grad_norm")?), None)
    };
    let r = rate
        .as_ref()
        .unwrap_or_else(|| &keras_parts.as_ref().expect("one of the two").rate);
    let mut out = String::new();
    let title = script_title(preset);
    let with = if keras {
        "Keras 3 (keras.optimizers, float64)"
    } else {
        "torch.optim"
    };
    out.push_str(&format!(
        "# Run {} of {title}, reproduced with {with}.\n# {}\n# Prints the CSV of `optiscope trace`: step,lr,x,y,loss,grad_x,grad_y (row k: θ_k, f(θ_k),\n# ∇f(θ_k) and the learning rate update k uses).\n",
        index + 1,
        run.settings.label(),
    ));
    out.push_str(&imports(keras || r.keras, r.math_names));
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
    let start = preset.run_start(index);
    out.push_str(&format!("\n\nlr0 = {}\n", py(spec.lr)));
    let lr = keras_parts
        .as_ref()
        .map_or_else(|| py(spec.lr), |k| k.learning_rate.to_owned());
    let (optimizer, class) = optimizer_code(&spec.optimizer, &lr)?;
    let (x, y) = (py(start[0]), py(start[1]));
    let theta = if let Some(k) = &keras_parts {
        out.push_str(&k.pre_setup);
        format!("keras.Variable([{x}, {y}], dtype=\"float64\")")
    } else {
        if let Some(class) = class {
            out.push_str(class);
            out.push('\n');
        }
        format!("torch.tensor([{x}, {y}], requires_grad=True)")
    };
    out.push_str(&format!("theta = {theta}\noptimizer = {optimizer}\n"));
    out.push_str(&r.setup);
    let noise = if spec.noise > 0.0 {
        format!(
            "        grad += {} * torch.randn(2, generator=gen)  # gradient noise σ\n",
            py(spec.noise)
        )
    } else {
        String::new()
    };
    let (evaluate, read, update, before_update) = match &keras_parts {
        Some(k) => (
            "    p = theta.value.detach().clone().requires_grad_(True)\n    loss = f(p)\n    (grad,) = torch.autograd.grad(loss, p)\n    x, y = p.tolist()\n",
            k.read,
            "        optimizer.apply_gradients([(grad, theta)])\n",
            k.before_update,
        ),
        None => (
            "    optimizer.zero_grad()\n    loss = f(theta)\n    loss.backward()\n    grad = theta.grad\n    x, y = theta.tolist()\n",
            "optimizer.param_groups[0][\"lr\"]",
            "        optimizer.step()\n",
            "",
        ),
    };
    out.push_str(&format!(
        r#"
steps = {steps}
print("step,lr,x,y,loss,grad_x,grad_y")
for step in range(steps + 1):
{evaluate}    g = grad.tolist()
    grad_norm = math.sqrt(g[0] * g[0] + g[1] * g[1])
{before_lr}    lr = {read}
    row = [lr, x, y, loss.item(), g[0], g[1]]
    if not all(map(math.isfinite, row)):
        print(f"diverged at step {{step}}", file=sys.stderr)
        break
    print(step, *map(repr, row), sep=",")
    if math.fabs(x) > 1e8 or math.fabs(y) > 1e8:  # optiscope's bound: the run has left for infinity
        print(f"diverged at step {{step}}", file=sys.stderr)
        break
    if step < steps:
{noise}{before_update}{update}{after_update}"#,
        steps = spec.steps,
        before_lr = r.before_lr,
        after_update = r.after_update,
    ));
    Ok(out)
}

/// The first lines of a network run's script: what it reproduces, with what, and what it
/// prints.
fn network_header(
    preset: &Preset,
    network: &crate::scene::preset::NetworkScene,
    index: usize,
    with: &str,
) -> String {
    format!(
        "# Run {} of {}, reproduced with {with}.\n# {} on {} with {}\n# Prints the CSV of `optiscope train`: step,lr,loss,test_loss,grad_norm (row k: the\n# training and held-out losses at θ_k, |∇L(θ_k)| over the training set, and the learning\n# rate update k uses).\n",
        index + 1,
        script_title(preset),
        preset.runs[index].settings.label(),
        network.data,
        network.model,
    )
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
    let mut out = network_header(preset, network, index, "torch.nn and torch.optim");
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
    let (optimizer, class) = optimizer_code(&spec.optimizer, &py(spec.lr))?;
    if let Some(class) = class {
        out.push_str(&format!("\n{class}\n"));
    }
    out.push_str(&format!(
        "lr0 = {}\noptimizer = {}\n",
        py(spec.lr),
        optimizer.replacen("[theta]", "params", 1)
    ));
    let r = rate_loop(spec, "optimizer", "grad_norm")?;
    if r.keras || r.math_names {
        out = out.replacen(
            "import json\nimport math\nimport sys\n\nimport torch\n\ntorch.set_default_dtype(torch.float64)\n",
            &format!("import json\n{}", imports(r.keras, r.math_names)),
            1,
        );
    }
    out.push_str(&r.setup);
    out.push_str(&format!(
        r#"
steps = {steps}
print("step,lr,loss,test_loss,grad_norm")
for step in range(steps + 1):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    grad_norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in params))
{before_lr}    lr = optimizer.param_groups[0]["lr"]
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
        before_lr = r.before_lr,
        after_update = r.after_update,
    ));
    Ok(out)
}

/// The Keras script of a network scene's run: the same data and initial weights as
/// [`network_script`], the weights as `keras.Variable`s, the forward pass and its gradient
/// from torch (Keras's torch backend), and the run's `keras.optimizers` optimizer applying
/// the updates; it prints the CSV of `optiscope train`.
fn keras_network_script(
    preset: &Preset,
    network: &crate::scene::preset::NetworkScene,
    index: usize,
    run: &crate::scene::preset::SceneRun,
) -> Result<String, ScriptError> {
    use crate::core::network::{Activation, Task};
    let spec = &run.settings;
    let training = crate::core::train::Training::new(&network.train_settings(spec))?;
    let k = keras_rate(spec)?;
    let mut out = network_header(
        preset,
        network,
        index,
        "Keras 3 (keras.optimizers, float64)",
    );
    out.push_str("import json\n");
    out.push_str(&imports(true, k.rate.math_names));
    out.push_str(&format!(
        "\nDATA = json.loads(\"\"\"{}\"\"\")\nINIT = json.loads(\"\"\"{}\"\"\")\n",
        crate::core::train::data_json(&training),
        crate::core::train::init_json(&training),
    ));
    let activation = match training.net.activation {
        Activation::Tanh => "torch.tanh",
        Activation::Relu => "torch.relu",
        Activation::Sigmoid => "torch.sigmoid",
    };
    let loss = match training.data.task {
        Task::Classification => "BCEWithLogitsLoss",
        Task::Regression => "MSELoss",
    };
    let (optimizer, _) = optimizer_code(&spec.optimizer, k.learning_rate)?;
    out.push_str(&format!(
        r#"x, y = torch.tensor(DATA["x"]), torch.tensor(DATA["y"]).reshape(-1, 1)
x_test, y_test = torch.tensor(DATA["x_test"]), torch.tensor(DATA["y_test"]).reshape(-1, 1)
batches = DATA.get("batches")  # the training rows of each update (full batch without)

# The weights and biases of each layer, in nn.Sequential's order, as Keras variables.
variables = []
for layer in INIT["layers"]:
    variables.append(keras.Variable(layer["weight"], dtype="float64"))
    variables.append(keras.Variable(layer["bias"], dtype="float64"))
loss_fn = torch.nn.{loss}()


def forward(params, inputs):
    h = inputs
    for i in range(0, len(params), 2):
        h = torch.nn.functional.linear(h, params[i], params[i + 1])
        if i + 2 < len(params):
            h = {activation}(h)
    return h


lr0 = {lr}
{pre_setup}optimizer = {optimizer}
{setup}
steps = {steps}
print("step,lr,loss,test_loss,grad_norm")
for step in range(steps + 1):
    params = [v.value.detach().clone().requires_grad_(True) for v in variables]
    loss = loss_fn(forward(params, x), y)
    grads = torch.autograd.grad(loss, params)
    grad_norm = math.sqrt(sum(float((g ** 2).sum()) for g in grads))
{before_lr}    lr = {read}
    # optiscope's bounds: a weight beyond 1e8 or anything not finite ends the run.
    runaway = any(not bool(torch.isfinite(p.detach()).all()) or float(p.detach().abs().max()) > 1e8 for p in params)
    if runaway or not all(map(math.isfinite, [loss.item(), grad_norm, lr])):
        print(f"diverged at step {{step}}", file=sys.stderr)
        break
    with torch.no_grad():
        test_loss = loss_fn(forward(params, x_test), y_test).item()
    print(step, *map(repr, [lr, loss.item(), test_loss, grad_norm]), sep=",")
    if step < steps:
        if batches is not None:
            rows = batches[step]
            grads = torch.autograd.grad(loss_fn(forward(params, x[rows]), y[rows]), params)
{before_update}        optimizer.apply_gradients(zip(grads, variables))
{after_update}"#,
        lr = py(spec.lr),
        pre_setup = k.pre_setup,
        setup = k.rate.setup,
        steps = spec.steps,
        before_lr = k.rate.before_lr,
        read = k.read,
        before_update = k.before_update,
        after_update = k.rate.after_update,
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
