//! Keras's items and the notes' rules as a user meets them: saved and shared scenes keep them,
//! and a mistyped name, rule or list is reported with what is wrong.

use optiscope::core::schedule::{LrSchedule, Phase};
use optiscope::scene::link::{parse_link, scene_link};
use optiscope::scene::preset::{parse_preset, to_ron};
use optiscope::{OPTIMIZERS, SCHEDULES, parse_spec};

/// A scene with every Keras optimizer and every Keras schedule and rule, parameters set.
const EVERY_KERAS_ITEM: &str = r#"(version: 1, title: "every Keras item", surface: "rosenbrock", start: (-1.5, 2), steps: 60, runs: [
    (optimizer: "keras.sgd(momentum=0.9,nesterov=true,weight_decay=0.01)", lr: 0.001, schedule: "keras.exponential_decay(decay_steps=10,decay_rate=0.9,staircase=true)"),
    (optimizer: "keras.rmsprop(rho=0.8,momentum=0.1,epsilon=1e-6,centered=true)", lr: 0.01, schedule: "keras.inverse_time_decay(decay_steps=5,decay_rate=0.5)"),
    (optimizer: "keras.adam(beta_1=0.8,amsgrad=true)", lr: 0.01, schedule: "keras.polynomial_decay(decay_steps=40,end_learning_rate=0.001,power=2,cycle=true)"),
    (optimizer: "keras.adamw(weight_decay=0.1)", lr: 0.01, schedule: "keras.piecewise_constant(boundaries=[10,30],values=[0.01,0.005,0.0025])"),
    (optimizer: "keras.adagrad(initial_accumulator_value=0.5)", lr: 0.1, schedule: "keras.cosine_decay(decay_steps=50,alpha=0.1,warmup_target=0.2,warmup_steps=10)"),
    (optimizer: "keras.adadelta(rho=0.9)", lr: 1, schedule: "keras.cosine_decay_restarts(first_decay_steps=10,t_mul=1.5,m_mul=0.8,alpha=0.01)"),
    (optimizer: "keras.nadam(beta_2=0.99)", lr: 0.01, schedule: "keras.learning_rate_scheduler(steps_per_epoch=6,rule=\"lr * exp(-0.1) + 0*epoch\")"),
    (optimizer: "keras.lion(beta_1=0.95)", lr: 0.001, schedule: "linear_decay(k=0.00001)", warmup: "linear(steps=5)"),
])"#;

#[test]
fn every_keras_item_survives_a_saved_file_and_a_shared_link() {
    let scene = parse_preset(EVERY_KERAS_ITEM, "every.ron").unwrap();
    let saved = to_ron(&scene).unwrap();
    assert_eq!(parse_preset(&saved, "again.ron").unwrap(), scene, "{saved}");
    let link = scene_link(
        "https://example.org/optiscope/",
        &scene,
        optiscope::scene::link::Showing::default(),
    )
    .unwrap();
    assert_eq!(parse_link(&link).unwrap().preset, scene);
    // Every Keras item of the registries is in the scene.
    let names: Vec<String> = scene
        .runs
        .iter()
        .flat_map(|r| {
            [
                r.settings.optimizer.name.clone(),
                r.settings.schedule.name.clone(),
            ]
        })
        .collect();
    for item in OPTIMIZERS.defs().into_iter().chain(SCHEDULES.defs()) {
        if item.name.starts_with("keras.") {
            assert!(names.iter().any(|n| n == item.name), "{}", item.name);
        }
    }
    // And every run of it runs.
    for i in 0..scene.runs.len() {
        let surface = optiscope::AnySurface::from_spec(&scene.run_surface(i).unwrap()).unwrap();
        let run = optiscope::Run::new(&scene.run_settings(i).unwrap()).unwrap();
        let (t, status) = run.simulate(&surface);
        assert_eq!(t.len(), 61, "run {i}: {status}");
    }
}

#[test]
fn a_mistyped_keras_name_rule_or_list_says_what_is_wrong() {
    let schedule_err = |text: &str| {
        Phase::from_spec(&parse_spec(text).unwrap())
            .unwrap_err()
            .to_string()
    };
    let optimizer_err = |text: &str| {
        optiscope::AnyOptimizer::from_spec(&parse_spec(text).unwrap())
            .unwrap_err()
            .to_string()
    };
    let e = optimizer_err("keras.adma");
    assert!(e.contains("did you mean 'keras.adam'"), "{e}");
    let e =
        schedule_err("keras.learning_rate_scheduler(steps_per_epoch=5,rule=\"lr * exp(-0.1*x)\")");
    assert!(
        e.contains("unknown variable 'x'") && e.contains("the variables are epoch, lr, lr0"),
        "{e}"
    );
    let e =
        schedule_err("keras.learning_rate_scheduler(steps_per_epoch=5,rule=\"lr * expo(-0.1)\")");
    assert!(e.contains("unknown function 'expo'"), "{e}");
    let e = schedule_err("keras.learning_rate_scheduler(steps_per_epoch=5,rule=\"\")");
    assert!(
        e.contains("the formula is empty; write the new rate"),
        "{e}"
    );
    let e = schedule_err("keras.piecewise_constant(boundaries=[10,20],values=[0.1,0.01])");
    assert!(
        e.contains("one value more than boundaries (has 2 boundaries and 2 values)"),
        "{e}"
    );
    let e = optimizer_err("keras.adam(beta_1=1)");
    assert!(e.contains("'beta_1' of optimizer 'keras.adam'"), "{e}");
}

#[test]
fn the_epoch_callback_moves_the_rate_only_at_epoch_starts_and_may_read_the_current_rate() {
    let spec = |s: &str| parse_spec(s).unwrap();
    // lr0·0.5^floor(epoch/2) with 3 updates per epoch: 1, 1, 1, 1, 1, 1, 0.5 ... from step 6.
    let s = LrSchedule::from_specs(
        1.0,
        &spec("keras.learning_rate_scheduler(steps_per_epoch=3,rule=\"lr0 * 0.5^floor(epoch/2)\")"),
        &spec("none"),
    )
    .unwrap();
    let lrs = s.pure_lrs(13).unwrap();
    assert_eq!(
        lrs,
        [
            1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25
        ]
    );
    // A rule of the current rate compounds: lr·0.9 at each of the epochs 0, 1, 2.
    let s = LrSchedule::from_specs(
        2.0,
        &spec("keras.learning_rate_scheduler(steps_per_epoch=2,rule=\"lr * 0.9\")"),
        &spec("none"),
    )
    .unwrap();
    let lrs = s.pure_lrs(5).unwrap();
    let want = [1.8, 1.8, 1.62, 1.62, 1.458, 1.458];
    for (a, b) in lrs.iter().zip(want) {
        assert!((a - b).abs() < 1e-12, "{lrs:?}");
    }
}

#[test]
fn grad_halving_cuts_the_rate_before_each_steep_update_and_only_then() {
    // GD on ½x² from x = 4 at lr 0.5 with threshold 1: |g| = |x|. Cut before update 0 (4 > 1)
    // to 0.25: x = 3; cut to 0.125: x = 2.625; ... while |x| > 1, never below (x only shrinks).
    let surface =
        optiscope::AnySurface::from_spec(&parse_spec("quadratic(a=1,b=1)").unwrap()).unwrap();
    let mut settings = optiscope::RunSettings::new(parse_spec("sgd").unwrap(), 0.5, [4.0, 0.0], 30);
    settings.schedule = parse_spec("grad_halving").unwrap();
    let (t, _) = optiscope::Run::new(&settings).unwrap().simulate(&surface);
    let (mut x, mut lr) = (4.0f64, 0.5f64);
    for k in 0..=30 {
        if x.abs() > 1.0 {
            lr *= 0.5;
        }
        assert_eq!(t.lrs[k], lr, "step {k}");
        assert!((t.points[k][0] - x).abs() <= 1e-15 * x.abs(), "step {k}");
        x -= lr * x;
    }
    // The rate halves forever while the gradient stays above 1: x stalls above it.
    assert!(t.points[30][0] > 1.0 && t.lrs[30] < 1e-9);
    // A rate that depends on the run is not known before it.
    assert!(settings.schedule.name == "grad_halving");
    let s = LrSchedule::from_specs(0.5, &settings.schedule, &parse_spec("none").unwrap()).unwrap();
    assert!(s.pure_lrs(10).is_none() && s.depends_on_run());
}
