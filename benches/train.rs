//! Training a small network and slicing its landscape, against the networks issue's targets:
//! a 2-16-16-1 tanh MLP on 200 points, full batch, Adam + cosine + warmup, at least 3× the
//! steps per second of a PyTorch float64 eager loop on one thread (measured here, side by side,
//! by `benches/pytorch_train.py` when a Python with torch is found: `OPTISCOPE_PYTHON`, else
//! `~/.cache/optiscope/venv/bin/python`); a 51×51 landscape slice of it in ≤ 0.5 s on 2 cores.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use optiscope::core::network::landscape::{Plane, slice};
use optiscope::core::network::train::{TrainSettings, Training, data_json, init_json};
use optiscope::parse_spec;

const STEPS: u64 = 100;

fn training() -> Training {
    Training::new(&TrainSettings {
        model: parse_spec("mlp(hidden=[16,16],activation=tanh)").unwrap(),
        data: parse_spec("moons(n=250,noise=0.1)").unwrap(),
        optimizer: parse_spec("adam").unwrap(),
        lr: 0.01,
        schedule: parse_spec("cosine(T_max=1000)").unwrap(),
        warmup: parse_spec("linear(steps=20,start_factor=0.1)").unwrap(),
        steps: STEPS,
        batch_size: 0,
        seed: 0,
    })
    .expect("a valid training run")
}

/// A Python that imports torch, if there is one.
fn python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("OPTISCOPE_PYTHON").map(PathBuf::from),
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/optiscope/venv/bin/python")),
    ];
    candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .args(["-c", "import torch"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn train(c: &mut Criterion) {
    let t = training();
    // 200 training points (a fifth of 250 held out), as in the target.
    assert_eq!(t.data.x.len(), 200);
    let mut group = c.benchmark_group("train");
    group.sample_size(20);
    group.throughput(Throughput::Elements(STEPS));
    let mut params = Vec::new();
    group.bench_function("optiscope_mlp_2x16x16x1_200pts_adam_cosine_warmup", |b| {
        b.iter(|| {
            black_box(t.run(&mut params, |row, _| {
                black_box(row);
            }))
        })
    });
    match python() {
        Some(python) => {
            let dir = std::env::temp_dir().join(format!("optiscope-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("a temporary directory");
            let (data, init) = (dir.join("data.json"), dir.join("init.json"));
            std::fs::write(&data, data_json(&t).to_string()).expect("writes");
            std::fs::write(&init, init_json(&t).to_string()).expect("writes");
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/pytorch_train.py");
            group.bench_function("pytorch_eager_float64_1thread_same_network", |b| {
                b.iter_custom(|iters| {
                    let out = Command::new(&python)
                        .args([
                            script,
                            &data.display().to_string(),
                            &init.display().to_string(),
                        ])
                        .arg((iters * STEPS).to_string())
                        .output()
                        .expect("python runs");
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    let seconds: f64 = String::from_utf8_lossy(&out.stdout)
                        .trim()
                        .parse()
                        .expect("seconds");
                    Duration::from_secs_f64(seconds)
                })
            });
            std::fs::remove_dir_all(&dir).ok();
        }
        None => eprintln!(
            "train/pytorch_eager...: no Python with torch (set OPTISCOPE_PYTHON); not measured"
        ),
    }
    group.finish();

    // The landscape around the trained network, on both cores.
    let mut trained = Vec::new();
    t.run(&mut trained, |_, _| {});
    let plane = Plane::random(&t.net, &trained, 0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut group = c.benchmark_group("landscape");
    group.sample_size(10);
    group.bench_function("slice_51x51_mlp_2x16x16x1_200pts", |b| {
        b.iter(|| {
            black_box(slice(
                &t.net,
                &plane,
                t.data.task,
                &t.data.x,
                &t.data.y,
                51,
                1.0,
                threads,
            ))
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = train
}
criterion_main!(benches);
