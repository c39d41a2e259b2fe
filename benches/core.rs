//! Throughput of the numerical core, against the targets of the core's issue (2-core machine):
//! SGD on Rosenbrock without recording ≥ 50 M steps/s, Adam + cosine + warmup recording the
//! trajectory ≥ 5 M steps/s, a 512×512 Rosenbrock grid ≤ 1 ms; and of the insight issue: a
//! 128 × 64 learning-rate × β1 sweep of 1,000-step Adam runs in under 0.5 s on both cores; and
//! the software renderer behind `optiscope render` and the window's exports; and `optiscope
//! trace` as a whole process against a hand-fused loop of the same update, in the same run,
//! with the ratio printed (the lean issue's targets: SGD ≥ 0.5, Adam + cosine + warmup
//! recorded every 100k steps ≥ 0.8).

use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use optiscope::core::grid;
use optiscope::core::tuning::sweep::{
    Progress, SweepAxis, SweepParam, SweepSpec, lin_space, log_space,
};
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

/// SGD on Rosenbrock (a = 1, b = 100) fused by hand: the value and gradient of the surface and
/// the update, nothing else (no schedule, checks or recording).
fn fused_sgd(start: [f64; 2], lr: f64, steps: u64) -> ([f64; 2], f64) {
    let [mut x, mut y] = start;
    let mut loss = 0.0;
    for _ in 0..=steps {
        let (dx, r) = (1.0 - x, y - x * x);
        let br = 100.0 * r;
        loss = dx * dx + br * r;
        let (gx, gy) = (-2.0 * dx - 4.0 * br * x, 2.0 * br);
        x -= lr * gx;
        y -= lr * gy;
    }
    ([x, y], loss)
}

/// torch's Adam (β = 0.9, 0.999, eps = 1e-8) on Rosenbrock under a linear warmup over
/// `warmup` steps from 0 into `CosineAnnealingLR(T_max)`, fused by hand.
fn fused_adam_cosine_warmup(
    start: [f64; 2],
    base_lr: f64,
    warmup: u64,
    t_max: u64,
    steps: u64,
) -> ([f64; 2], f64) {
    let (beta1, beta2, eps) = (0.9f64, 0.999f64, 1e-8);
    let mut p = start;
    let (mut m, mut v) = ([0.0f64; 2], [0.0f64; 2]);
    let mut loss = 0.0;
    let (mut settled1, mut settled2) = (false, false);
    for k in 0..=steps {
        let [x, y] = p;
        let (dx, r) = (1.0 - x, y - x * x);
        let br = 100.0 * r;
        loss = dx * dx + br * r;
        let g = [-2.0 * dx - 4.0 * br * x, 2.0 * br];
        let lr = if k < warmup {
            base_lr * (k as f64 / warmup as f64)
        } else {
            let t = (k - warmup) as f64;
            base_lr * (1.0 + (std::f64::consts::PI * t / t_max as f64).cos()) / 2.0
        };
        let t = (k + 1) as f64;
        // As in the library: once β^t ≤ 2⁻⁵⁶, 1 − β^t is 1 exactly for good, so the power is
        // skipped (the same numbers; the ratio then measures the CLI's overhead, not libm).
        let correction = |settled: &mut bool, beta: f64| {
            if *settled {
                return 1.0;
            }
            let power = beta.powf(t);
            *settled = power.abs() <= f64::EPSILON / 16.0;
            1.0 - power
        };
        let step_size = lr / correction(&mut settled1, beta1);
        let bias_correction2_sqrt = correction(&mut settled2, beta2).sqrt();
        for i in 0..2 {
            m[i] += (g[i] - m[i]) * (1.0 - beta1);
            v[i] = v[i] * beta2 + (1.0 - beta2) * g[i] * g[i];
            p[i] += -step_size * (m[i] / (v[i].sqrt() / bias_correction2_sqrt + eps));
        }
    }
    (p, loss)
}

/// `optiscope trace` with `args`, as a user runs it: the whole process, CSV to /dev/null.
fn trace_process(args: &[&str]) -> Duration {
    let started = Instant::now();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_optiscope"))
        .arg("trace")
        .args(args)
        .args(["--out", "/dev/null"])
        .status()
        .expect("optiscope runs");
    assert!(status.success(), "optiscope trace {args:?} failed");
    started.elapsed()
}

/// Times each iteration itself so the medians of two benchmarks can be compared afterwards.
fn timed(samples: &Mutex<Vec<f64>>, iters: u64, mut one: impl FnMut() -> Duration) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let d = one();
        samples.lock().expect("not poisoned").push(d.as_secs_f64());
        total += d;
    }
    total
}

fn median(samples: &Mutex<Vec<f64>>) -> f64 {
    let mut v = samples.lock().expect("not poisoned").clone();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The CLI against the fused loops: the ratio fused/CLI is the share of the hand-fused speed
/// `trace` reaches, process start, parsing and CSV included.
fn trace_cli(c: &mut Criterion) {
    let mut group = c.benchmark_group("trace");
    group.sample_size(10);
    let pairs: [(&str, u64, f64, &[&str]); 2] = [
        (
            "sgd_rosenbrock_1e7",
            10_000_000,
            0.5,
            &[
                "--surface=rosenbrock",
                "--optimizer=sgd",
                "--lr=1e-4",
                "--start=-1.5,2",
                "--steps=10000000",
                "--every=10000000",
            ],
        ),
        (
            "adam_cosine_warmup_every_100k_2e6",
            2_000_000,
            0.8,
            &[
                "--surface=rosenbrock",
                "--optimizer=adam",
                "--lr=0.01",
                "--schedule=cosine(T_max=2000000)",
                "--warmup=linear(steps=1000,start_factor=0)",
                "--start=-1.5,2",
                "--steps=2000000",
                "--every=100000",
            ],
        ),
    ];
    let mut report = Vec::new();
    for (name, steps, target, args) in pairs {
        group.throughput(Throughput::Elements(steps));
        let (fused, cli) = (Mutex::new(Vec::new()), Mutex::new(Vec::new()));
        group.bench_function(format!("fused_{name}"), |b| {
            b.iter_custom(|iters| {
                timed(&fused, iters, || {
                    let started = Instant::now();
                    if name.starts_with("sgd") {
                        black_box(fused_sgd(black_box([-1.5, 2.0]), black_box(1e-4), steps));
                    } else {
                        black_box(fused_adam_cosine_warmup(
                            black_box([-1.5, 2.0]),
                            black_box(0.01),
                            1000,
                            steps,
                            steps,
                        ));
                    }
                    started.elapsed()
                })
            })
        });
        group.bench_function(format!("cli_{name}"), |b| {
            b.iter_custom(|iters| timed(&cli, iters, || trace_process(args)))
        });
        let (f, t) = (median(&fused), median(&cli));
        report.push(format!(
            "trace/{name}: fused {:.1} M steps/s, CLI {:.1} M steps/s, ratio {:.2} (target >= {target})",
            steps as f64 / f / 1e6,
            steps as f64 / t / 1e6,
            f / t
        ));
    }
    group.finish();
    for line in report {
        println!("{line}");
    }
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
    targets = simulation, trace_cli, grid_eval, formula, sweep, render
}
#[cfg(not(feature = "picture"))]
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = simulation, trace_cli, grid_eval, formula, sweep
}
criterion_main!(benches);
