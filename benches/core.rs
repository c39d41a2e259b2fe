//! Throughput of the numerical core, against the targets of the core's issue (2-core machine):
//! SGD on Rosenbrock without recording ≥ 50 M steps/s, Adam + cosine + warmup recording the
//! trajectory ≥ 5 M steps/s, a 512×512 Rosenbrock grid ≤ 1 ms; and of the insight issue: a
//! 128 × 64 learning-rate × β1 sweep of 1,000-step Adam runs in under 0.5 s on both cores; and
//! the software renderer behind `optiscope render` and the window's exports.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use optiscope::core::grid;
use optiscope::core::sweep::{Progress, SweepAxis, SweepParam, SweepSpec, lin_space, log_space};
use optiscope::{AnySurface, Run, RunSettings, Surface, View, parse_spec};

fn surface(text: &str) -> AnySurface {
    AnySurface::from_spec(&parse_spec(text).expect("valid spec")).expect("valid surface")
}

fn run(optimizer: &str, lr: f64, schedule: &str, warmup: &str, steps: u64) -> Run {
    let mut spec = RunSettings::new(
        parse_spec(optimizer).expect("valid spec"),
        lr,
        [-1.5, 2.0],
        steps,
    );
    spec.schedule = parse_spec(schedule).expect("valid spec");
    spec.warmup = parse_spec(warmup).expect("valid spec");
    Run::new(&spec).expect("valid run")
}

fn simulation(c: &mut Criterion) {
    let rosenbrock = surface("rosenbrock");
    let mut group = c.benchmark_group("simulate");

    let steps = 1_000_000;
    group.throughput(Throughput::Elements(steps));
    let sgd = run("sgd", 5e-4, "constant", "none", steps);
    group.bench_function("sgd_rosenbrock_no_recording_1M", |b| {
        b.iter(|| black_box(sgd.simulate_last(black_box(&rosenbrock))))
    });

    let steps = 100_000;
    group.throughput(Throughput::Elements(steps));
    let adam = run(
        "adam",
        0.01,
        "cosine(T_max=100000)",
        "linear(steps=1000)",
        steps,
    );
    group.bench_function("adam_cosine_warmup_recording_100k", |b| {
        b.iter(|| black_box(adam.simulate(black_box(&rosenbrock))))
    });
    group.finish();
}

fn grid_eval(c: &mut Criterion) {
    let rosenbrock = surface("rosenbrock");
    let view = View {
        x_min: -2.0,
        x_max: 2.0,
        y_min: -1.0,
        y_max: 3.0,
    };
    let mut group = c.benchmark_group("grid");
    group.throughput(Throughput::Elements(512 * 512));
    group.bench_function("rosenbrock_512x512", |b| {
        b.iter(|| black_box(grid::evaluate(black_box(&rosenbrock), view, 512, 512)))
    });
    group.finish();
}

/// A typed formula at the length and depth limits: parsed and made differentiable in the time
/// of a keystroke (the target is well under 100 ms; symbolic derivatives took seconds).
fn formula(c: &mut Criterion) {
    let long = format!("custom(f={})", vec!["x*y"; 249].join("+"));
    let deep = format!("custom(f={}x*y{})", "sin(".repeat(32), ")".repeat(32));
    let mut group = c.benchmark_group("formula");
    for (name, text) in [("parse_1000_chars", &long), ("parse_32_deep", &deep)] {
        let spec = parse_spec(text).expect("valid spec");
        group.bench_function(name, |b| {
            b.iter(|| black_box(AnySurface::from_spec(black_box(&spec)).expect("builds")))
        });
    }
    let surface = AnySurface::from_spec(&parse_spec(&long).expect("spec")).expect("builds");
    group.bench_function("gradient_1000_chars", |b| {
        b.iter(|| black_box(surface.gradient(black_box([0.3, -0.7]))))
    });
    group.finish();
}

fn sweep(c: &mut Criterion) {
    let spec = SweepSpec {
        surface: parse_spec("rosenbrock").expect("valid spec"),
        run: RunSettings::new(
            parse_spec("adam").expect("valid spec"),
            0.01,
            [-1.5, 2.0],
            1000,
        ),
        lrs: log_space(1e-4, 1.0, 128),
        second: Some(SweepAxis {
            param: SweepParam::Optimizer("beta1".into()),
            values: lin_space(0.0, 0.99, 64),
        }),
    };
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.throughput(Throughput::Elements(128 * 64 * 1000));
    group.bench_function("adam_lr128_x_beta1_64_1000_steps", |b| {
        b.iter(|| black_box(spec.run(threads, &Progress::default())))
    });
    group.finish();
}

/// Headless pictures (`optiscope render`): setting up a scene (simulation, heatmap, contours,
/// axes) and drawing one frame of it, at the default 960×600.
#[cfg(feature = "picture")]
fn render(c: &mut Criterion) {
    use optiscope::picture::render::Renderer;
    let preset = optiscope::BUILTIN_PRESETS
        .iter()
        .find(|b| b.file == "stability-limit.ron")
        .expect("the built-in exists")
        .load()
        .expect("it loads");
    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    group.bench_function("scene_960x600", |b| {
        b.iter(|| black_box(Renderer::new(&preset, 960, 600).expect("draws")))
    });
    let renderer = Renderer::new(&preset, 960, 600).expect("draws");
    group.bench_function("frame_960x600", |b| {
        b.iter(|| black_box(renderer.frame(renderer.last_step()).expect("draws")))
    });
    group.finish();
}

// No HTML plots: criterion draws them with plotters, whose font lookup (switched to embedded
// fonts for optiscope's own pictures) has no system font to offer; the medians are printed.
#[cfg(feature = "picture")]
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = simulation, grid_eval, formula, sweep, render
}
#[cfg(not(feature = "picture"))]
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = simulation, grid_eval, formula, sweep
}
criterion_main!(benches);
