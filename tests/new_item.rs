//! Adding an optimizer or a schedule is one item in one place: a toy rule and a toy schedule
//! registered here, at run time, appear in `optiscope list` (text and JSON), run through the
//! trace path the CLI takes, survive a preset round trip, export to PyTorch and get a
//! parameter editor in the window.

use std::sync::Once;

use optiscope::core::math::{Mat2, Point};
use optiscope::core::network::train::{TrainSettings, Training};
use optiscope::core::network::{DATASETS, Data, DatasetItem, Task};
use optiscope::core::optimizer::{
    AnyOptimizer, Code, DynOptimizer, DynRule, OPTIMIZERS, OptimizerItem, StepError, Term,
};
use optiscope::core::python::py;
use optiscope::core::schedule::{Phase, RateCode, SCHEDULES, Schedule, ScheduleFn, ScheduleItem};
use optiscope::core::spec::{Check, ItemDef, ParamDef};
use optiscope::scene::catalog::{catalog_json, catalog_text};
use optiscope::scene::preset::{parse_preset, to_ron};
use optiscope::scene::script::pytorch_script;
use optiscope::scene::trace::CsvRecorder;
use optiscope::{AnySurface, Run, RunSettings, parse_spec};

/// Gradient descent with the step scaled by `scale`: θ ← θ − lr·s·g.
#[derive(Clone)]
struct Scaled {
    scale: f64,
    steps: u64,
}

impl DynRule for Scaled {
    fn step(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _hessian: &dyn Fn(Point) -> Mat2,
    ) -> Result<(), StepError> {
        self.steps += 1;
        for i in 0..2 {
            theta[i] -= lr * self.scale * grad[i];
        }
        Ok(())
    }

    fn clone_rule(&self) -> Box<dyn DynRule> {
        Box::new(self.clone())
    }

    fn rule(&self) -> &'static [&'static str] {
        &["θ ← θ − lr·s·g"]
    }

    fn terms(&self) -> Vec<Term> {
        vec![Term {
            name: "t",
            value: [self.steps as f64; 2],
        }]
    }
}

static TOY: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "toy_scaled",
        summary: "gradient descent with a scaled step: θ ← θ − lr·s·g",
        params: &[ParamDef::num(
            "scale",
            Check::Positive,
            2.0,
            "factor s of the step",
        )],
    },
    build: |a| {
        Ok(AnyOptimizer::Dyn(DynOptimizer(Box::new(Scaled {
            scale: a.num("scale"),
            steps: 0,
        }))))
    },
    code: Code::Torch {
        expr: |a, lr| format!("torch.optim.SGD([theta], lr={lr} * {})", py(a.num("scale"))),
        class: None,
    },
    vector: None,
};

fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| OPTIMIZERS.register(&TOY).expect("the name is free"));
}

#[test]
fn a_registered_optimizer_is_listed_with_its_defaults() {
    register();
    assert!(catalog_text().contains("toy_scaled(scale=2)"));
    let json = catalog_json();
    let items = json["optimizers"]["items"].as_array().expect("a list");
    let toy = items
        .iter()
        .find(|i| i["name"] == "toy_scaled")
        .expect("listed in JSON");
    assert_eq!(toy["params"][0]["name"], "scale");
    assert_eq!(toy["params"][0]["default"], 2.0);
    // The same name twice is refused.
    assert!(OPTIMIZERS.register(&TOY).is_err());
}

#[test]
fn a_registered_optimizer_runs_like_a_built_in_one() {
    register();
    // The path `optiscope trace --optimizer "toy_scaled(scale=0.5)"` takes: parse, validate,
    // simulate, write CSV.
    let spec = parse_spec("toy_scaled(scale=0.5)").expect("parses");
    let settings = RunSettings::new(spec, 0.1, [1.0, 1.0], 10);
    settings.validate().expect("valid");
    let surface = AnySurface::from_spec(&parse_spec("quadratic").expect("spec")).expect("builds");
    let run = Run::new(&settings).expect("builds");
    let mut csv = CsvRecorder::new(Vec::new(), 1).expect("header");
    run.simulate_into(&surface, &mut csv);
    let text = String::from_utf8(csv.finish().expect("written")).expect("UTF-8");
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().expect("a number")).collect())
        .collect();
    assert_eq!(rows.len(), 11);
    // On ½(x² + 10y²) the effective rate is 0.05: x ← 0.95·x and y ← 0.5·y every step.
    for (k, row) in rows.iter().enumerate() {
        assert!((row[2] - 0.95f64.powi(k as i32)).abs() < 1e-14, "x at {k}");
        assert!((row[3] - 0.5f64.powi(k as i32)).abs() < 1e-14, "y at {k}");
    }
    // The explain panel's numbers come from the rule's own terms.
    let detail = run.step_detail(&surface, 2).expect("step 2 was taken");
    assert_eq!(detail.rule, ["θ ← θ − lr·s·g"]);
    assert_eq!(detail.terms[0].value, [3.0, 3.0]);
    // A bad parameter is refused with the registry's message.
    let err = RunSettings::new(
        parse_spec("toy_scaled(scale=-1)").expect("spec"),
        0.1,
        [0.0; 2],
        5,
    )
    .validate()
    .expect_err("scale must be positive")
    .to_string();
    assert!(
        err.contains("parameter 'scale' of optimizer 'toy_scaled'"),
        "{err}"
    );
}

#[test]
fn a_registered_optimizer_survives_a_preset_round_trip_and_exports_to_pytorch() {
    register();
    let text = r#"(version: 1, title: "toy", surface: "quadratic", start: (1, 1), steps: 20,
        runs: [(optimizer: "toy_scaled(scale=0.5)", lr: 0.1), (optimizer: "sgd", lr: 0.05)])"#;
    let preset = parse_preset(text, "toy.ron").expect("loads");
    let again = parse_preset(&to_ron(&preset).expect("writes"), "again").expect("loads again");
    assert_eq!(again, preset);
    assert_eq!(
        again.runs[0].settings.optimizer.to_string(),
        "toy_scaled(scale=0.5)"
    );
    let script = pytorch_script(&preset, 0).expect("a script");
    assert!(
        script.contains("optimizer = torch.optim.SGD([theta], lr=0.1 * 0.5)"),
        "{script}"
    );
}

#[cfg(feature = "gui")]
#[test]
fn a_registered_optimizer_gets_a_parameter_editor() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use optiscope::app::{AppState, OptiscopeApp};

    register();
    let mut state = AppState::default();
    state.scene.runs[0].settings.optimizer = parse_spec("toy_scaled").expect("spec");
    let mut app = OptiscopeApp::new(state);
    app.anim.playing = false;
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut OptiscopeApp| app.ui(ui), app);
    h.run_steps(3);
    // The editor has a widget for the toy's one parameter, generated from its definition.
    assert!(h.query_by_label("scale").is_some(), "no editor for 'scale'");
    assert!(h.state().cache.runs[0].error.is_none());
    // Its path is the scaled gradient descent.
    let t = &h.state().cache.runs[0].trajectory;
    assert!(t.len() > 1);
}

/// A schedule is one block too: η_t = η0·0.5^⌊t/every⌋, built as a closure.
static HALVING: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "toy_halving",
        summary: "η_t = η0·0.5^⌊t/every⌋",
        params: &[ParamDef::int("every", 1, 4.0, "steps between halvings")],
    },
    build: |a| {
        let every = a.int("every");
        Ok(Phase::Pure(Schedule::Fn(ScheduleFn::new(
            a.spec().to_string(),
            move |base, t| base * 0.5f64.powi((t / every) as i32),
        ))))
    },
    python: |a, _| {
        RateCode::Torch(format!(
            "torch.optim.lr_scheduler.StepLR(optimizer, step_size={}, gamma=0.5)",
            a.int("every")
        ))
    },
};

fn register_schedule() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| SCHEDULES.register(&HALVING).expect("the name is free"));
}

#[test]
fn a_registered_schedule_is_listed_runs_round_trips_and_exports() {
    register_schedule();
    assert!(catalog_text().contains("toy_halving(every=4)"));
    let json = catalog_json();
    let items = json["schedules"]["items"].as_array().expect("a list");
    assert!(items.iter().any(|i| i["name"] == "toy_halving"));

    // `trace --schedule "toy_halving(every=3)"`: the lr column halves every 3 steps.
    let mut settings = RunSettings::new(parse_spec("sgd").expect("spec"), 0.08, [1.0, 1.0], 9);
    settings.schedule = parse_spec("toy_halving(every=3)").expect("spec");
    settings.validate().expect("valid");
    let surface = AnySurface::from_spec(&parse_spec("quadratic").expect("spec")).expect("builds");
    let result = Run::new(&settings).expect("builds").simulate(&surface);
    let expected = [0.08, 0.08, 0.08, 0.04, 0.04, 0.04, 0.02, 0.02, 0.02];
    for (k, want) in expected.iter().enumerate() {
        assert_eq!(result.0.lrs[k], *want, "lr at step {k}");
    }
    // With a warmup it is the second phase of a sequence, like any built-in schedule.
    settings.warmup = parse_spec("linear(steps=2,start_factor=0.5)").expect("spec");
    let result = Run::new(&settings).expect("builds").simulate(&surface);
    assert_eq!(result.0.lrs[0], 0.04);
    assert_eq!(result.0.lrs[2], 0.08);
    assert_eq!(result.0.lrs[5], 0.04);
    // A bad parameter gets the registry's message.
    let err = parse_spec("toy_halving(every=0)")
        .map(|s| {
            let mut bad = settings.clone();
            bad.schedule = s;
            bad.validate()
        })
        .expect("parses")
        .expect_err("every must be at least 1")
        .to_string();
    assert!(err.contains("'every'"), "{err}");

    let text = r#"(version: 1, title: "toy", surface: "quadratic", start: (1, 1), steps: 20,
        runs: [(optimizer: "sgd", lr: 0.1, schedule: "toy_halving(every=5)")])"#;
    let preset = parse_preset(text, "toy.ron").expect("loads");
    let again = parse_preset(&to_ron(&preset).expect("writes"), "again").expect("loads again");
    assert_eq!(again, preset);
    let script = pytorch_script(&preset, 0).expect("a script");
    assert!(
        script.contains("StepLR(optimizer, step_size=5, gamma=0.5)"),
        "{script}"
    );
}

#[cfg(feature = "gui")]
#[test]
fn a_registered_schedule_gets_a_parameter_editor() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use optiscope::app::{AppState, OptiscopeApp};

    register_schedule();
    let mut state = AppState::default();
    state.scene.runs[0].settings.schedule = parse_spec("toy_halving").expect("spec");
    let mut app = OptiscopeApp::new(state);
    app.anim.playing = false;
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut OptiscopeApp| app.ui(ui), app);
    h.run_steps(3);
    assert!(h.query_by_label("every").is_some(), "no editor for 'every'");
    let run = &h.state().cache.runs[0];
    assert!(run.error.is_none());
    let lrs = &run.lr_preview;
    assert!(lrs.len() > 5);
    assert_eq!(lrs[4], lrs[0] * 0.5, "halved at step 4");
}

/// A data set that is not built in: class 1 above the diagonal y = x.
static DIAGONAL: DatasetItem = DatasetItem {
    def: ItemDef {
        name: "toy_diagonal",
        summary: "uniform points in [−1, 1]², class 1 where y > x",
        params: &[
            ParamDef::int("n", 4, 40.0, "number of points"),
            ParamDef::num("noise", Check::NonNegative, 0.0, "noise"),
            ParamDef::int("seed", 0, 0.0, "seed"),
            ParamDef::num("test", Check::UnitOpen, 0.25, "held out"),
        ],
    },
    task: Task::Classification,
    inputs: 2,
    row: |row| {
        let (x, y) = (row.uniform(-1.0..1.0), row.uniform(-1.0..1.0));
        (row.noisy(vec![x, y]), if y > x { 1.0 } else { 0.0 })
    },
};

fn register_data() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| DATASETS.register(&DIAGONAL).expect("the name is free"));
}

#[test]
fn a_registered_data_set_is_listed_generated_and_trained_on() {
    register_data();
    assert!(catalog_text().contains("toy_diagonal(n=40"));
    let data = Data::from_spec(&parse_spec("toy_diagonal(n=40)").expect("spec")).expect("data");
    assert_eq!((data.x.len(), data.x_test.len()), (30, 10));
    assert_eq!((data.task, data.inputs), (Task::Classification, 2));
    for (x, y) in data
        .x
        .iter()
        .zip(&data.y)
        .chain(data.x_test.iter().zip(&data.y_test))
    {
        assert_eq!(*y, if x[1] > x[0] { 1.0 } else { 0.0 }, "{x:?}");
        assert!(x.iter().all(|v| (-1.0..1.0).contains(v)), "{x:?}");
    }
    // A network scene trains on it like on a built-in set: GD at a small rate lowers the loss.
    let training = Training::new(&TrainSettings {
        model: parse_spec("mlp(hidden=[8])").expect("spec"),
        data: parse_spec("toy_diagonal(n=40,seed=3)").expect("spec"),
        optimizer: parse_spec("sgd").expect("spec"),
        lr: 0.5,
        schedule: parse_spec("constant").expect("spec"),
        warmup: parse_spec("none").expect("spec"),
        steps: 200,
        batch_size: 0,
        seed: 0,
    })
    .expect("trains");
    let mut losses = Vec::new();
    training.run(&mut training.init.clone(), |row, _| losses.push(row.loss));
    assert_eq!(losses.len(), 201);
    assert!(
        losses[200] < 0.5 * losses[0],
        "{} → {}",
        losses[0],
        losses[200]
    );
    // A bad parameter gets the registry's message.
    let err = Data::from_spec(&parse_spec("toy_diagonal(n=2)").expect("spec")).unwrap_err();
    assert!(
        err.to_string().contains("'n' of data set 'toy_diagonal'"),
        "{err}"
    );
}
