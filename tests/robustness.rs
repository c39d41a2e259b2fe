//! Nothing panics on any input: arbitrary spec text, and arbitrary (valid or not) settings of
//! every optimizer, schedule and warmup on every surface. Bad settings are errors; runs end in a
//! status; recorded rows are always finite.

use optiscope::core::spec::{Item, Kind, Registry, Spec, Value};
use optiscope::{
    AnyOptimizer, AnySurface, LrSchedule, OPTIMIZERS, Run, RunSettings, SCHEDULES, SURFACES,
    Status, WARMUPS, parse_spec,
};

/// A schedule spec and a warmup spec, each checked alone.
fn schedule_and_warmup(spec: &Spec) {
    let _ = LrSchedule::from_specs(0.1, spec, &Spec::named("none"));
    let _ = LrSchedule::from_specs(0.1, &Spec::named("constant"), spec);
}
use proptest::prelude::*;

/// A spec for item `index` of `registry` with every parameter set to a value drawn from `raw`,
/// mapped into a plausible but sometimes invalid range for its kind.
fn random_spec<T: Item>(registry: &Registry<T>, index: usize, raw: &[f64]) -> Spec {
    let defs = registry.defs();
    let item = defs[index % defs.len()];
    let mut spec = item.example_spec();
    for (p, r) in item.params.iter().zip(raw.iter().cycle()) {
        let value = match p.kind {
            Kind::Float(_) | Kind::OptFloat(_) => Value::Num(*r),
            Kind::Int { .. } => Value::Num(r.abs().round().min(400.0)),
            Kind::Bool => Value::Bool(*r > 0.0),
            Kind::Choice(choices) => {
                Value::Str(choices[(r.abs() as usize) % choices.len()].to_owned())
            }
            Kind::IntList => Value::List(vec![
                r.abs().round().min(50.0),
                (2.0 * r).abs().round().min(90.0),
            ]),
            Kind::NumList => Value::List(vec![*r, r / 10.0, r * r]),
            Kind::Text => {
                let formulas = [
                    "x^2 + 10*y^2",
                    "log(x) - sqrt(y)",
                    "1/(x*y)",
                    "exp(x^9)",
                    "sin(",
                    "",
                ];
                Value::Str(formulas[(r.abs() as usize) % formulas.len()].to_owned())
            }
        };
        spec.set(p.name, value);
    }
    spec
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        -2.0f64..2.0,
        0.0f64..1.0,
        Just(0.0),
        Just(1.0),
        Just(1e30),
        Just(-1e-30),
        (-300.0f64..300.0).prop_map(|e| 10f64.powf(e)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_a_spec_or_an_error(text in "\\PC{0,40}") {
        if let Ok(spec) = parse_spec(&text) {
            let _ = AnySurface::from_spec(&spec);
            let _ = AnyOptimizer::from_spec(&spec);
            schedule_and_warmup(&spec);
        }
    }

    #[test]
    fn structured_text_is_a_spec_or_an_error(
        name in "(adam|sgd|cosine|cyclic|linreg|one_cycle|x)",
        args in proptest::collection::vec(("[a-zA-Z_]{1,12}", "(-?[0-9.e]{1,6}|\\[[0-9,]{0,8}\\]|true|None|[a-z]{1,5})"), 0..4),
    ) {
        let body: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let text = format!("{name}({})", body.join(","));
        if let Ok(spec) = parse_spec(&text) {
            let _ = AnySurface::from_spec(&spec);
            let _ = AnyOptimizer::from_spec(&spec);
            schedule_and_warmup(&spec);
        }
    }

    #[test]
    fn any_settings_run_to_a_status_without_panicking(
        // Ranges from the registries, so a new item is drawn without editing this test.
        surface in 0..SURFACES.len(),
        optimizer in 0..OPTIMIZERS.len(),
        schedule in 0..SCHEDULES.len(),
        warmup in 0..WARMUPS.len(),
        raw in proptest::collection::vec(number(), 8),
        lr in number(),
        start in (number(), number()),
        noise in prop_oneof![Just(0.0), 0.0f64..3.0],
    ) {
        let Ok(surface) = AnySurface::from_spec(&random_spec(&SURFACES, surface, &raw[..4])) else {
            return Ok(());
        };
        let spec = RunSettings {
            optimizer: random_spec(&OPTIMIZERS, optimizer, &raw),
            lr,
            schedule: random_spec(&SCHEDULES, schedule, &raw[2..]),
            warmup: random_spec(&WARMUPS, warmup, &raw[5..]),
            start: Some([start.0, -start.1]),
            steps: 150,
            noise,
            seed: 3,
            batch_size: None,
        };
        // Most random settings are invalid: that they give an error instead of a panic is the
        // check for them (rejecting them would trip proptest's limit of 1024 rejects).
        let Ok(run) = Run::new(&spec) else {
            return Ok(());
        };
        let (traj, status) = run.simulate(&surface);
        let recorded = traj.len() as u64;
        match status {
            Status::Completed | Status::Converged { .. } => prop_assert_eq!(recorded, 151),
            Status::Diverged { step, .. } => prop_assert!(recorded == step || recorded == step + 1),
            Status::SingularHessian { step } => prop_assert_eq!(recorded, step + 1),
        }
        for k in 0..traj.len() {
            let row = traj.row(k).expect("row");
            let values = [row.lr, row.point[0], row.point[1], row.loss, row.grad[0], row.grad[1]];
            prop_assert!(values.iter().all(|v| v.is_finite()), "row {} of {:?}: {:?}", k, status, values);
        }
    }
}
