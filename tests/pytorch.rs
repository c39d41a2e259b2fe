//! "Copy as PyTorch" and "Copy as Keras": the script of every run of every built-in scene (in
//! the framework its optimizer follows) is valid Python, and, where PyTorch and Keras 3 are
//! installed, running it prints the trajectory optiscope computes.
//!
//! One Python process handles all scripts (see `tests/pytorch/run_scripts.py`), so torch is
//! imported once. The interpreter is `$OPTISCOPE_PYTHON` (`.ci/run` points it at the venv where it
//! installs torch), else `python3`; without it the test fails. Without torch the test fails in CI
//! (`CI=true` or `CI=1`) and says how to install it; elsewhere only the syntax is checked, and
//! the test says so loudly on stderr.

use std::io::Write;
use std::process::{Command, Stdio};

use optiscope::core::network::train::Training;
use optiscope::core::optimizer::OPTIMIZERS;
use optiscope::scene::preset::BUILTIN_PRESETS;
use optiscope::{AnySurface, Run, Surface, Trajectory};

struct Case {
    name: String,
    script: String,
    /// Gradient noise or minibatches: torch draws other random numbers.
    stochastic: bool,
    trajectory: Trajectory,
    /// A network scene's rows as `optiscope train` prints them (step, lr, loss, test_loss,
    /// grad_norm); its script embeds the minibatches, so it is never stochastic.
    trained: Option<Vec<[f64; 5]>>,
}

/// Optimizers and schedules no built-in scene uses, so every mapping is run at least once.
const EXTRA: [&str; 8] = [
    // Keras's optimizers, schedules and callback, the notes' rules, Keras's optimizers under
    // torch's schedulers, and torch's optimizers under Keras's schedules.
    r#"(version: 1, title: "keras optimizers", surface: "quadratic(a=1,b=10,angle=30)", start: (-4, 2.5),
        steps: 150, runs: [
        (optimizer: "keras.sgd(momentum=0.9,nesterov=true,weight_decay=0.01)", lr: 0.01),
        (optimizer: "keras.rmsprop(centered=true,momentum=0.5)", lr: 0.01),
        (optimizer: "keras.adam(amsgrad=true)", lr: 0.1),
        (optimizer: "keras.adamw", lr: 0.1),
        (optimizer: "keras.adagrad", lr: 0.5),
        (optimizer: "keras.adadelta", lr: 1.0),
        (optimizer: "keras.nadam(weight_decay=0.01)", lr: 0.1),
        (optimizer: "keras.lion", lr: 0.05),
    ])"#,
    r#"(version: 1, title: "keras schedules", surface: "quadratic(a=1,b=10,angle=30)", start: (-4, 2.5),
        steps: 120, runs: [
        (optimizer: "keras.adam", lr: 0.1, schedule: "keras.exponential_decay(decay_steps=20,decay_rate=0.5,staircase=true)"),
        (optimizer: "keras.adam", lr: 0.1, schedule: "keras.inverse_time_decay(decay_steps=10,decay_rate=0.5)", warmup: "linear(steps=10)"),
        (optimizer: "keras.adam", lr: 0.1, schedule: "keras.polynomial_decay(decay_steps=50,cycle=true)"),
        (optimizer: "keras.sgd(momentum=0.9)", lr: 0.01, schedule: "keras.piecewise_constant(boundaries=[40,80],values=[0.01,0.005,0.001])"),
        (optimizer: "keras.adam", lr: 0.01, schedule: "keras.cosine_decay(decay_steps=80,alpha=0.1,warmup_target=0.1,warmup_steps=20)"),
        (optimizer: "keras.adam", lr: 0.1, schedule: "keras.cosine_decay_restarts(first_decay_steps=20)"),
        (optimizer: "keras.sgd(momentum=0.9)", lr: 0.01, schedule: "keras.learning_rate_scheduler(steps_per_epoch=5,rule=\"lr * exp(-0.1)\")"),
        (optimizer: "keras.adam", lr: 0.1, schedule: "keras.learning_rate_scheduler(steps_per_epoch=10,rule=\"lr0 * 0.1^floor(epoch/5)\")", warmup: "linear(steps=10)"),
    ])"#,
    r#"(version: 1, title: "keras optimizers, other rates", surface: "quadratic(a=1,b=10,angle=30)", start: (-4, 2.5),
        steps: 120, runs: [
        (optimizer: "keras.adam", lr: 0.1, schedule: "step(step_size=30,gamma=0.5)"),
        (optimizer: "keras.adam", lr: 0.1, schedule: "plateau(patience=3)", warmup: "constant(steps=4)"),
        (optimizer: "keras.sgd", lr: 0.15, schedule: "grad_halving(threshold=1)"),
        (optimizer: "keras.sgd", lr: 0.01, schedule: "linear_decay(k=0.0001)"),
    ])"#,
    r#"(version: 1, title: "notes' rules under torch", surface: "quadratic(a=1,b=10,angle=30)", start: (-4, 2.5),
        steps: 120, runs: [
        (optimizer: "sgd", lr: 0.15, schedule: "grad_halving(threshold=1)"),
        (optimizer: "sgd", lr: 0.15, schedule: "grad_halving", warmup: "linear(steps=5)"),
        (optimizer: "adam", lr: 0.1, schedule: "keras.cosine_decay(decay_steps=60)"),
        (optimizer: "sgd(momentum=0.9)", lr: 0.01, schedule: "linear_decay(k=0.0001)", warmup: "constant(steps=5)"),
        (optimizer: "adam", lr: 0.1, schedule: "keras.learning_rate_scheduler(steps_per_epoch=4,rule=\"lr0 / (1 + 0.5*epoch)\")"),
    ])"#,
    r#"(version: 1, title: "keras network", network: (model: "mlp(hidden=[8],activation=tanh)", data: "circles(n=100)"),
        steps: 150, runs: [
        (optimizer: "keras.adam", lr: 0.05, schedule: "keras.cosine_decay(decay_steps=150)"),
        (optimizer: "keras.sgd(momentum=0.9)", lr: 0.1, batch_size: 16, schedule: "grad_halving(threshold=2)"),
    ])"#,
    r#"(version: 1, title: "optimizers", surface: "quadratic(a=1,b=10,angle=30)", start: (-4, 2.5),
        steps: 150, runs: [
        (optimizer: "nadam(beta1=0.8,momentum_decay=0.01,weight_decay=0.01)", lr: 0.1),
        (optimizer: "radam(beta2=0.99,eps=1e-6)", lr: 0.2),
        (optimizer: "adadelta(rho=0.8,weight_decay=0.1)", lr: 1.0),
        (optimizer: "lion(beta1=0.8,weight_decay=0.1)", lr: 0.05),
        (optimizer: "adamw(amsgrad=true,weight_decay=0.05)", lr: 0.1),
        (optimizer: "rmsprop(centered=true,momentum=0.5)", lr: 0.01),
        (optimizer: "adagrad(lr_decay=0.01,initial_accumulator_value=0.1)", lr: 0.5),
        (optimizer: "sgd(momentum=0.9,dampening=0.1,weight_decay=0.01)", lr: 0.01),
    ])"#,
    r#"(version: 1, title: "schedules", surface: "rosenbrock", start: (-1, 1.5), steps: 120, runs: [
        (optimizer: "adam", lr: 0.05, schedule: "exp_decay(k=0.01)"),
        (optimizer: "adam", lr: 0.05, schedule: "inverse_time(k=0.05)", warmup: "constant(steps=7,factor=0.2)"),
        (optimizer: "adam", lr: 0.05, schedule: "polynomial(total_iters=80,power=2)"),
        (optimizer: "adam", lr: 0.05, schedule: "linear(start_factor=0.5,end_factor=0.1,total_iters=60)"),
        (optimizer: "adam", lr: 0.05, schedule: "cosine_restarts(T_0=20,T_mult=2,eta_min=0.001)"),
        (optimizer: "adam", lr: 0.05, schedule: "multistep(milestones=[30,70],gamma=0.5)", warmup: "linear(steps=10,start_factor=0.1)"),
        (optimizer: "sgd(momentum=0.9)", lr: 0.0005, schedule: "plateau(patience=2,factor=0.5,threshold=0.01)", warmup: "linear(steps=5)"),
        (optimizer: "sgd", lr: 0.001, schedule: "cyclic(max_lr=0.003,step_size_up=15,mode=triangular2)"),
    ])"#,
    // One-cycle past its total_steps (optiscope holds the last rate, torch would raise), alone
    // and after a warmup.
    r#"(version: 1, title: "one cycle", surface: "beale", start: (1, 1), steps: 90, runs: [
        (optimizer: "adam", lr: 0.01, schedule: "one_cycle(max_lr=0.05,total_steps=60,anneal_strategy=linear)"),
        (optimizer: "adam", lr: 0.01, schedule: "one_cycle(total_steps=50,three_phase=true)", warmup: "linear(steps=10)"),
    ])"#,
];

/// Network runs that are chaotic, and how many rows they keep within 1e-9 of PyTorch.
const CHAOTIC: [(&str, usize); 5] = [
    ("network-learning-rate.ron run 1", 500),
    ("network-learning-rate.ron run 2", 30),
    ("network-warmup-rescue.ron run 0", 12),
    ("network-edge-of-stability.ron run 0", 900),
    ("network-edge-of-stability.ron run 1", 200),
];

fn cases() -> Vec<Case> {
    let mut scenes: Vec<(String, optiscope::Preset)> = BUILTIN_PRESETS
        .iter()
        .map(|b| (b.file.to_owned(), b.load().unwrap()))
        .collect();
    for (i, text) in EXTRA.iter().enumerate() {
        let name = format!("extra scene {i}");
        scenes.push((
            name.clone(),
            optiscope::scene::preset::parse_preset(text, &name).unwrap(),
        ));
    }
    let mut cases = Vec::new();
    for (file, preset) in scenes {
        if let Some(network) = &preset.network {
            for (i, run) in preset.runs.iter().enumerate() {
                let training = Training::new(&network.train_settings(&run.settings)).unwrap();
                let mut rows = Vec::new();
                training.run(&mut Vec::new(), |r, _| {
                    rows.push([r.step as f64, r.lr, r.loss, r.test_loss, r.grad_norm])
                });
                cases.push(Case {
                    name: format!("{file} run {i}"),
                    script: script(&preset, i),
                    stochastic: false,
                    trajectory: Trajectory::default(),
                    trained: Some(rows),
                });
            }
            continue;
        }
        for i in 0..preset.runs.len() {
            let spec = preset.run_settings(i).unwrap();
            let surface_spec = preset.run_surface(i).unwrap();
            let surface = AnySurface::from_spec(&surface_spec).unwrap();
            let (trajectory, _) = Run::new(&spec).unwrap().simulate(&surface);
            cases.push(Case {
                name: format!("{file} run {i}"),
                script: script(&preset, i),
                stochastic: surface.is_stochastic() || spec.noise > 0.0,
                trajectory,
                trained: None,
            });
        }
    }
    cases
}

/// The script of run `i` in the framework its optimizer follows: Copy as PyTorch or as Keras.
fn script(preset: &optiscope::Preset, i: usize) -> String {
    let item = OPTIMIZERS.find(&preset.runs[i].settings.optimizer.name);
    optiscope::scene::script::script(preset, i, item.expect("a known optimizer").framework())
        .unwrap_or_else(|e| panic!("run {i} of {}: {e}", preset.title))
}

/// The Python that runs the scripts: `$OPTISCOPE_PYTHON`, else `python3`.
fn python() -> String {
    std::env::var("OPTISCOPE_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".to_owned())
}

/// Whether this is a CI run (`CI=true` or `CI=1`), where the numbers must be compared.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Relative agreement, with an absolute floor for values that are differences of nearly equal
/// terms (a gradient at a minimum is ~1e-13 with an error of ~1e-15 either way).
fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()) + 1e-12
}

#[test]
fn every_built_in_run_becomes_a_script_that_reproduces_it() {
    let cases = cases();
    assert!(cases.len() >= 30, "{} runs", cases.len());
    let driver = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pytorch/run_scripts.py");
    let python = python();
    let mut child = Command::new(&python)
        .arg(driver)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} (set OPTISCOPE_PYTHON to a Python 3 interpreter): {e}")
        });
    let input = serde_json::to_string(
        &cases
            .iter()
            .map(|c| serde_json::json!({"name": c.name, "script": c.script}))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the driver failed");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), cases.len());
    for (case, result) in cases.iter().zip(results) {
        assert_eq!(
            result["syntax_error"],
            serde_json::Value::Null,
            "{}:\n{}",
            case.name,
            case.script
        );
    }
    if !(report["torch"].as_bool().unwrap() && report["keras"].as_bool().unwrap()) {
        let install = "`.ci/run` installs them in ~/.cache/optiscope/venv; by hand: \
            `python3 -m venv ~/.cache/optiscope/venv && ~/.cache/optiscope/venv/bin/pip install torch numpy keras`, \
            then run the tests with OPTISCOPE_PYTHON=~/.cache/optiscope/venv/bin/python";
        assert!(
            !in_ci(),
            "PyTorch or Keras is not installed for {python}, so the {} scripts' numbers cannot be \
             compared with optiscope's, and CI must compare them. {install}",
            cases.len()
        );
        // Straight to the process's stderr: eprintln! would be captured, and a passing test's
        // captured output is never shown.
        let _ = writeln!(
            std::io::stderr(),
            "\n\
             ************************************************************************************\n\
             WARNING: PyTorch or Keras is missing for {python}: checked the syntax of the {} scripts,\n\
             NOT their numbers against optiscope's trajectories (CI fails here).\n\
             {install}\n\
             ************************************************************************************\n",
            cases.len()
        );
        return;
    }
    let mut compared = 0;
    for (case, result) in cases.iter().zip(results) {
        assert_eq!(
            result["error"],
            serde_json::Value::Null,
            "{} raised:\n{}",
            case.name,
            case.script
        );
        let csv = result["stdout"].as_str().unwrap();
        let mut lines = csv.lines();
        if let Some(ours) = &case.trained {
            assert_eq!(lines.next(), Some("step,lr,loss,test_loss,grad_norm"));
            let rows: Vec<Vec<f64>> = lines
                .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
                .collect();
            assert_eq!(rows.len(), ours.len(), "{}", case.name);
            // Every row to 1e-9, except where a run is chaotic and amplifies the last bit's
            // difference between autograd and optiscope (thrashing at lr 30, Adam at lr 1
            // without warmup, the edge of stability): there, as far as it stays within 1e-9.
            let agree = CHAOTIC
                .iter()
                .find(|(name, _)| *name == case.name)
                .map_or(usize::MAX, |&(_, rows)| rows);
            for (k, (row, our)) in rows.iter().zip(ours).enumerate().take(agree) {
                for (c, (&a, &b)) in row.iter().zip(our).enumerate() {
                    assert!(
                        close(a, b, 1e-9),
                        "{} step {k} column {c}: torch {a} vs optiscope {b}",
                        case.name
                    );
                }
            }
            compared += 1;
            continue;
        }
        assert_eq!(lines.next(), Some("step,lr,x,y,loss,grad_x,grad_y"));
        let rows: Vec<Vec<f64>> = lines
            .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
            .collect();
        if case.stochastic {
            // Other random numbers: the same start, and as many rows unless one diverges.
            assert_eq!(
                rows[0][2..4],
                case.trajectory.points[0][..],
                "{}",
                case.name
            );
            continue;
        }
        assert_eq!(rows.len(), case.trajectory.len(), "{}", case.name);
        // Autograd and optiscope's analytic gradients round differently in the last bit, and
        // chaotic runs (RMSProp on Rosenbrock) amplify that after a hundred-odd steps; the first
        // 100 rows must agree to 1e-9, which any wrong setting (a default, a betas order, where
        // eps sits, a schedule boundary) breaks.
        for (k, row) in rows.iter().enumerate().take(100) {
            let t = &case.trajectory;
            let ours = [
                t.lrs[k],
                t.points[k][0],
                t.points[k][1],
                t.losses[k],
                t.grads[k][0],
                t.grads[k][1],
            ];
            for (c, (&a, &b)) in row[1..].iter().zip(&ours).enumerate() {
                assert!(
                    close(a, b, 1e-9),
                    "{} step {k} column {c}: torch {a} vs optiscope {b}",
                    case.name
                );
            }
        }
        compared += 1;
    }
    assert!(compared > 0, "no deterministic script was compared");
    eprintln!(
        "{compared} scripts reproduced optiscope's trajectories under PyTorch ({python}); \
         {} stochastic ones started at the same point",
        cases.len() - compared
    );
}
