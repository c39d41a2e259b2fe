//! `optiscope trace` streams: its peak memory does not grow with `--steps`. A run of 1e7 steps
//! must peak where a run of 1e4 steps does; a table of one rate per step (8 bytes a step, the
//! regression this guards against) would add 80 MB.
//!
//! The peak is the kernel's: `getrusage(RUSAGE_CHILDREN)` reports the largest resident set of
//! the children this process has waited for. This file holds one test, so no other test's
//! children share the figure (and nextest runs each test in a process of its own).

#![cfg(target_os = "linux")]

use std::process::Command;

use nix::sys::resource::{UsageWho, getrusage};

/// The largest peak resident set, in bytes, of any child waited for so far.
fn children_peak_bytes() -> u64 {
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage works on Linux");
    // Linux reports ru_maxrss in kilobytes.
    usage.max_rss() as u64 * 1024
}

/// Runs `trace` with `args` and returns its CSV.
fn trace(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_optiscope"))
        .arg("trace")
        .args(args)
        .output()
        .expect("optiscope runs");
    assert!(
        out.status.success(),
        "trace {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn sgd(steps: &str) -> Vec<String> {
    vec![
        "--surface=rosenbrock".into(),
        "--optimizer=sgd".into(),
        "--lr=1e-4".into(),
        "--start=-1.5,2".into(),
        format!("--steps={steps}"),
        format!("--every={steps}"),
    ]
}

fn adam(steps: &str) -> Vec<String> {
    vec![
        "--surface=rosenbrock".into(),
        "--optimizer=adam".into(),
        "--lr=0.01".into(),
        format!("--schedule=cosine(T_max={steps})"),
        "--warmup=linear(steps=1000)".into(),
        "--start=-1.5,2".into(),
        format!("--steps={steps}"),
        "--every=100000".into(),
    ]
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn trace_memory_does_not_grow_with_the_number_of_steps() {
    // The small runs set the baseline peak (the binary, its libraries, the parsed run).
    let small = trace(&args(&sgd("10000")));
    assert_eq!(small.lines().count(), 3, "header, step 0 and the last step");
    trace(&args(&adam("10000")));
    let baseline = children_peak_bytes();

    let long = trace(&args(&sgd("10000000")));
    let rows: Vec<&str> = long.lines().collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[2].starts_with("10000000,0.0001,"), "{}", rows[2]);
    // Adam with cosine and warmup, every 100k steps: 31 rows, the last one step 3e6.
    let adam_csv = trace(&args(&adam("3000000")));
    assert_eq!(adam_csv.lines().count(), 1 + 31);
    assert!(
        adam_csv
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("3000000,"))
    );
    let peak = children_peak_bytes();

    let grown = peak.saturating_sub(baseline);
    assert!(
        grown < 4 << 20,
        "1e7 steps of SGD or 3e6 of Adam peaked {grown} bytes above 1e4 steps \
         (baseline {baseline} bytes, peak {peak}): trace keeps something per step"
    );
    assert!(
        peak < 32 << 20,
        "trace peaked at {peak} bytes; it should stay near its ~6 MB start"
    );
}
