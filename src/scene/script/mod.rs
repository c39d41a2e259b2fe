//! "Copy as PyTorch" and "Copy as Keras": a runnable Python script that reproduces one run of a
//! scene with its framework's optimizer and schedules, so a student can take what they found in
//! optiscope into their own training code. It prints the same CSV as `optiscope trace` (or
//! `optiscope train` for a network).
//!
//! One target per framework writes what differs ([`torch`], [`keras`]); this module writes the
//! rest, and [`rate`] the learning-rate machinery they share. A new framework is one more
//! target file and one arm of [`target`]. Parameter names are already PyTorch's, so the mapping
//! is mostly spelling: `beta1, beta2` become `betas=(…)`, exp_decay and inverse_time become
//! `LambdaLR`, warmup becomes `SequentialLR`. Lion and Newton are not in torch.optim; the script
//! writes them out. Gradient noise and minibatches are drawn with torch's generator, so those
//! runs match optiscope's in distribution, not number for number (the script says so).

mod keras;
mod rate;
mod torch;

use crate::core::math::Point;
use crate::core::optimizer::{Framework, OPTIMIZERS};
use crate::core::python::py;
use crate::core::run::settings::RunSettings;
use crate::core::spec::{Spec, SpecError, Value};
use crate::core::surface::{AnySurface, Capabilities};
use crate::scene::preset::{NetworkScene, Preset, SceneRun};
use rate::RateLoop;

/// Why no script could be written for a run.
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    #[error("the scene has no run {index} (it has {runs})")]
    NoRun { index: usize, runs: usize },
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(transparent)]
    Train(#[from] crate::core::network::train::TrainError),
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

impl ScriptError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            ScriptError::NoRun { index, runs } => {
                crate::tr!("error-script-no-run", index = *index, runs = *runs)
            }
            ScriptError::Spec(e) => e.text(),
            ScriptError::Train(e) => e.text(),
            ScriptError::Framework {
                run,
                optimizer,
                follows,
                ..
            } => crate::tr!(
                "error-script-framework",
                run = *run,
                optimizer = optimizer.as_str(),
                framework = follows.name(),
                command = follows.name().to_lowercase()
            ),
        }
    }
}

/// The run's optimizer as Python: the constructor, and any class it needs first.
fn optimizer_code(opt: &Spec, lr: &str) -> Result<(String, Option<&'static str>), SpecError> {
    let (item, args) = OPTIMIZERS.resolve_item(opt)?;
    Ok(item.python(&args, lr))
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

/// The script for run `index` of `preset` in `framework`; a run whose optimizer follows another
/// framework is refused with a pointer to that one.
pub fn script(preset: &Preset, index: usize, framework: Framework) -> Result<String, ScriptError> {
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
    let target = target(framework);
    match &preset.network {
        Some(network) => (target.network)(preset, network, index, run),
        None => surface_script(preset, index, target),
    }
}

/// What one framework writes of a script.
struct Target {
    /// The framework-specific parts of a surface run's script.
    surface: fn(&RunSettings, Point) -> Result<SurfaceParts, SpecError>,
    /// A network run's whole script (its model, loss and update loop are the framework's).
    network: fn(&Preset, &NetworkScene, usize, &SceneRun) -> Result<String, ScriptError>,
}

/// The script target of each framework: the one place that maps one to the other.
fn target(framework: Framework) -> &'static Target {
    match framework {
        Framework::PyTorch => &torch::TARGET,
        Framework::Keras => &keras::TARGET,
    }
}

/// What a framework writes into a surface run's script; [`surface_script`] writes the rest,
/// the same for every framework.
struct SurfaceParts {
    /// What the script reproduces the run with, for its first line.
    with: &'static str,
    /// Whether the script imports keras.
    keras: bool,
    /// The rate machinery.
    rate: RateLoop,
    /// Lines written before θ: a class the optimizer needs, a schedule object.
    pre_setup: String,
    /// θ's constructor at the start.
    theta: String,
    /// The optimizer's constructor.
    optimizer: String,
    /// How the loop evaluates f(θ_k) and its gradient (setting `loss`, `grad`, `x`, `y`).
    evaluate: &'static str,
    /// The expression of the rate update k uses.
    read: &'static str,
    /// What runs before the update (handing the rate over).
    before_update: &'static str,
    /// The update itself.
    update: &'static str,
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
        out.push_str(rate::MATH_NAMES);
    }
    out
}
/// The script of a surface scene's run, with `target`'s parts.
fn surface_script(preset: &Preset, index: usize, target: &Target) -> Result<String, ScriptError> {
    let no_run = || ScriptError::NoRun {
        index,
        runs: preset.runs.len(),
    };
    let run = preset.runs.get(index).ok_or_else(no_run)?;
    let spec = preset.run_settings(index).ok_or_else(no_run)?;
    let surface = preset.run_surface(index).ok_or_else(no_run)?;
    let start = preset.run_start(index);
    let p = (target.surface)(&spec, start)?;
    let r = &p.rate;
    let mut out = String::new();
    let title = script_title(preset);
    let with = p.with;
    out.push_str(&format!(
        "# Run {} of {title}, reproduced with {with}.\n# {}\n# Prints the CSV of `optiscope trace`: step,lr,x,y,loss,grad_x,grad_y (row k: θ_k, f(θ_k),\n# ∇f(θ_k) and the learning rate update k uses).\n",
        index + 1,
        run.settings.label(),
    ));
    out.push_str(&imports(p.keras || r.keras, r.math_names));
    let stochastic = spec.noise > 0.0
        || (Capabilities::of(&surface).batched
            && matches!(surface.get("batch_size"), Some(Value::Num(b)) if *b > 0.0));
    if stochastic {
        out.push_str(&format!(
            "gen = torch.Generator().manual_seed({})  # noise and minibatches: torch's numbers, not optiscope's\n",
            spec.seed
        ));
    }
    out.push_str("\n\n");
    out.push_str(&AnySurface::torch_code(&surface)?);
    out.push_str(&format!("\n\nlr0 = {}\n", py(spec.lr)));
    out.push_str(&p.pre_setup);
    out.push_str(&format!(
        "theta = {}\noptimizer = {}\n",
        p.theta, p.optimizer
    ));
    out.push_str(&r.setup);
    let noise = if spec.noise > 0.0 {
        format!(
            "        grad += {} * torch.randn(2, generator=gen)  # gradient noise σ\n",
            py(spec.noise)
        )
    } else {
        String::new()
    };
    let (evaluate, read, update, before_update) = (p.evaluate, p.read, p.update, p.before_update);
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

/// A network script's data and initial weights, inline as JSON (the generators of
/// `optiscope train --dump-data/--dump-init`), so it runs without files.
fn network_data(training: &crate::core::network::train::Training) -> String {
    format!(
        "DATA = json.loads(\"\"\"{}\"\"\")\nINIT = json.loads(\"\"\"{}\"\"\")\n",
        crate::core::network::train::data_json(training),
        crate::core::network::train::init_json(training),
    )
}

/// The torch loss of the task, which both frameworks' scripts evaluate with.
fn loss_class(task: crate::core::network::Task) -> &'static str {
    match task {
        crate::core::network::Task::Classification => "BCEWithLogitsLoss",
        crate::core::network::Task::Regression => "MSELoss",
    }
}

/// The data as tensors, the same in every framework's network script.
const NETWORK_TENSORS: &str = r#"x, y = torch.tensor(DATA["x"]), torch.tensor(DATA["y"]).reshape(-1, 1)
x_test, y_test = torch.tensor(DATA["x_test"]), torch.tensor(DATA["y_test"]).reshape(-1, 1)
batches = DATA.get("batches")  # the training rows of each update (full batch without)
"#;

/// optiscope's end of a network run (a weight beyond 1e8 or anything not finite), inside the
/// step loop of every framework's network script.
const NETWORK_GUARD: &str = r#"    # optiscope's bounds: a weight beyond 1e8 or anything not finite ends the run.
    runaway = any(not bool(torch.isfinite(p.detach()).all()) or float(p.detach().abs().max()) > 1e8 for p in params)
    if runaway or not all(map(math.isfinite, [loss.item(), grad_norm, lr])):
        print(f"diverged at step {step}", file=sys.stderr)
        break
"#;

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

    #[test]
    fn every_script_error_speaks_the_windows_language_and_keeps_its_english() {
        let unknown = || {
            OPTIMIZERS
                .resolve(&Spec::named("adamm"))
                .err()
                .expect("unknown")
        };
        for e in [
            ScriptError::NoRun { index: 3, runs: 2 },
            ScriptError::Spec(unknown()),
            ScriptError::Train(crate::core::network::train::TrainError {
                setting: "optimizer",
                error: unknown(),
            }),
            ScriptError::Framework {
                run: 1,
                optimizer: "keras.adam".into(),
                follows: Framework::Keras,
                asked: Framework::PyTorch,
            },
        ] {
            crate::text::assert_translated(&e, ScriptError::text);
        }
    }
}
