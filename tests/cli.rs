//! Runs the `optiscope` binary as a user (or an outside check) would: CSV format, `--every`,
//! divergence, and exit code 2 with a useful message for every kind of mistake.

use std::process::{Command, Output};

fn optiscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_optiscope"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

fn rows(csv: &str) -> Vec<Vec<f64>> {
    csv.lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .map(|f| f.parse::<f64>().expect("a number"))
                .collect()
        })
        .collect()
}

const QUAD: [&str; 10] = [
    "trace",
    "--surface",
    "quadratic(a=1,b=10)",
    "--optimizer",
    "sgd",
    "--lr",
    "0.05",
    "--start",
    "2,-1",
    "--steps",
];

#[test]
fn csv_has_the_contract_header_and_one_row_per_step() {
    let o = optiscope(&[&QUAD[..], &["12"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.lines().next(), Some("step,lr,x,y,loss,grad_x,grad_y"));
    let rows = rows(&text);
    assert_eq!(rows.len(), 13);
    // GD on ½(x² + 10y²): x_k = 2·0.95^k, y_k = −0.5^k; f and ∇f in closed form.
    for (k, r) in rows.iter().enumerate() {
        let (x, y) = (2.0 * 0.95f64.powi(k as i32), -(0.5f64.powi(k as i32)));
        let expected = [
            k as f64,
            0.05,
            x,
            y,
            0.5 * (x * x + 10.0 * y * y),
            x,
            10.0 * y,
        ];
        for (got, want) in r.iter().zip(expected) {
            assert!(
                (got - want).abs() <= 1e-13 * (1.0 + want.abs()),
                "row {k}: {r:?}"
            );
        }
    }
    assert_eq!(rows[0][2..4], [2.0, -1.0], "row 0 is the start");
}

#[test]
fn every_keeps_multiples_and_the_last_row() {
    let o = optiscope(&[&QUAD[..], &["10", "--every", "3"]].concat());
    let steps: Vec<f64> = rows(&stdout(&o)).iter().map(|r| r[0]).collect();
    assert_eq!(steps, [0.0, 3.0, 6.0, 9.0, 10.0]);
    let o = optiscope(&[&QUAD[..], &["9", "--every", "3"]].concat());
    let steps: Vec<f64> = rows(&stdout(&o)).iter().map(|r| r[0]).collect();
    assert_eq!(steps, [0.0, 3.0, 6.0, 9.0], "the last row is not repeated");
}

#[test]
fn floats_are_printed_so_they_round_trip() {
    let o = optiscope(&[&QUAD[..], &["40"]].concat());
    for line in stdout(&o).lines().skip(1) {
        for field in line.split(',').skip(1) {
            let x: f64 = field.parse().expect("a number");
            assert_eq!(format!("{x:?}"), field, "shortest representation");
        }
    }
}

#[test]
fn divergence_prints_finite_rows_then_the_step_on_stderr_and_exits_0() {
    // 2/λmax = 0.2: at lr 0.21 y_k = (−1.1)^k passes 1e8 at step 194.
    let o = optiscope(&[
        "trace",
        "--surface",
        "quadratic(a=1,b=10)",
        "--optimizer",
        "sgd",
        "--lr",
        "0.21",
        "--start",
        "1,1",
        "--steps",
        "1000",
    ]);
    assert!(o.status.success());
    let err = stderr(&o);
    assert!(err.starts_with("diverged at step 194: |y|"), "{err}");
    let rows = rows(&stdout(&o));
    assert_eq!(rows.last().map(|r| r[0]), Some(194.0));
    assert!(rows.iter().flatten().all(|v| v.is_finite()));

    // Overflow to infinity: no non-finite value is printed.
    let o = optiscope(&[
        "trace",
        "--surface",
        "rosenbrock",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--start",
        "-2,2",
        "--steps",
        "100",
    ]);
    assert!(o.status.success());
    assert!(
        stderr(&o).starts_with("diverged at step "),
        "{}",
        stderr(&o)
    );
    assert!(!stdout(&o).contains("inf") && !stdout(&o).contains("NaN"));
}

#[test]
fn same_seed_same_numbers_with_noise() {
    let args = [
        "trace",
        "--surface",
        "rosenbrock",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--start",
        "-1,2",
        "--steps",
        "50",
        "--noise",
        "0.3",
        "--seed",
        "11",
    ];
    let (a, b) = (optiscope(&args), optiscope(&args));
    assert_eq!(a.stdout, b.stdout);
    let mut other = args;
    other[14] = "12";
    assert_ne!(optiscope(&other).stdout, a.stdout);
}

#[test]
fn out_writes_the_same_csv_to_a_file() {
    let dir = std::env::temp_dir().join(format!("optiscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.csv");
    let o = optiscope(&[&QUAD[..], &["5", "--out", path.to_str().unwrap()]].concat());
    assert!(o.status.success() && o.stdout.is_empty());
    let file = std::fs::read_to_string(&path).unwrap();
    assert_eq!(file, stdout(&optiscope(&[&QUAD[..], &["5"]].concat())));
    std::fs::remove_dir_all(&dir).unwrap();

    let o = optiscope(&[&QUAD[..], &["5", "--out", "/nonexistent-dir/run.csv"]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot create '/nonexistent-dir/run.csv'"),
        "{}",
        stderr(&o)
    );
}

/// Replaces the value after `flag` in a valid command.
fn with(flag: &str, value: &str) -> Vec<String> {
    let mut args: Vec<String> = [&QUAD[..], &["5"]]
        .concat()
        .iter()
        .map(|s| s.to_string())
        .collect();
    match args.iter().position(|a| a == flag) {
        Some(i) => args[i + 1] = value.to_owned(),
        None => args.extend([flag.to_owned(), value.to_owned()]),
    }
    args
}

#[test]
fn mistakes_exit_2_naming_the_token_and_the_valid_choices() {
    let cases: Vec<(Vec<String>, &[&str])> = vec![
        (
            with("--surface", "rosenbrok"),
            &["'rosenbrok'", "valid surfaces: quadratic, rosenbrock"],
        ),
        (
            with("--optimizer", "adamm"),
            &["'adamm'", "valid optimizers: sgd, adagrad, rmsprop, adam"],
        ),
        (
            with("--optimizer", "adam(beta3=0.9)"),
            &[
                "'beta3'",
                "valid parameters: beta1, beta2, eps, weight_decay, amsgrad",
            ],
        ),
        (
            with("--optimizer", "adam(beta1=0.9x)"),
            &["'beta1'", "'0.9x'", "a number in [0, 1)"],
        ),
        (
            with("--optimizer", "sgd(nesterov=yes)"),
            &["'nesterov'", "true or false"],
        ),
        (
            with("--schedule", "cosin"),
            &["'cosin'", "valid schedules: constant, step, multistep"],
        ),
        (
            with("--schedule", "cosine"),
            &["'T_max'", "cosine(T_max=100)"],
        ),
        (
            with("--schedule", "cyclic(max_lr=1,mode=sawtooth)"),
            &["'sawtooth'", "one of triangular, triangular2, exp_range"],
        ),
        (
            with("--schedule", "multistep(milestones=[10,x])"),
            &["'x'", "not a number"],
        ),
        (
            with("--warmup", "cosine(steps=3)"),
            &["'cosine'", "valid warmups: none, linear, constant"],
        ),
        (with("--lr", "fast"), &["'fast'", "--lr"]),
        (with("--lr", "nan"), &["'nan'", "finite"]),
        (with("--start", "1"), &["'1'", "X,Y"]),
        (with("--steps", "-3"), &["-3", "--steps"]),
        (with("--every", "0"), &["0", "--every"]),
        (
            with("--surface", "linreg(batch_size=500)"),
            &["batch_size = 500", "n = 100"],
        ),
    ];
    for (args, needles) in cases {
        let o = Command::new(env!("CARGO_BIN_EXE_optiscope"))
            .args(&args)
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
        for needle in needles {
            assert!(
                err.contains(needle),
                "{args:?}: missing {needle:?} in {err}"
            );
        }
    }
    let o = optiscope(&[
        "trace",
        "--surface",
        "rosenbrock",
        "--optimizer",
        "sgd",
        "--lr",
        "0.1",
        "--start",
        "0,0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--steps"),
        "missing argument is named: {}",
        stderr(&o)
    );
}

#[test]
fn list_prints_every_registry_item_with_defaults() {
    let o = optiscope(&["list"]);
    assert!(o.status.success());
    let text = stdout(&o);
    for needle in [
        "quadratic(a=1,b=10,angle=0)",
        "rosenbrock(a=1,b=100)",
        "saddle(a=1,b=1,c=0)",
        "rastrigin(A=10)",
        "linreg(n=100,noise=0.5,batch_size=0,seed=0)",
        "sgd(momentum=0,dampening=0,nesterov=false,weight_decay=0)",
        "adagrad(lr_decay=0,weight_decay=0,initial_accumulator_value=0,eps=1e-10)",
        "rmsprop(alpha=0.99,eps=1e-8,weight_decay=0,momentum=0,centered=false)",
        "adam(beta1=0.9,beta2=0.999,eps=1e-8,weight_decay=0,amsgrad=false)",
        "adamw(beta1=0.9,beta2=0.999,eps=1e-8,weight_decay=0.01,amsgrad=false)",
        "nadam(beta1=0.9,beta2=0.999,eps=1e-8,weight_decay=0,momentum_decay=0.004)",
        "lion(beta1=0.9,beta2=0.99,weight_decay=0)",
        "newton(damping=0)",
        "step(step_size,gamma=0.1)",
        "cosine(T_max,eta_min=0)",
        "cosine_restarts(T_0,T_mult=1,eta_min=0)",
        "polynomial(total_iters=5,power=1)",
        "linear(steps,start_factor=0)",
        "constant(steps,factor=0.1)",
    ] {
        assert!(text.contains(needle), "`optiscope list` lacks {needle}");
    }
    for defs in [
        optiscope::SURFACES.defs(),
        optiscope::OPTIMIZERS.defs(),
        optiscope::SCHEDULES.defs(),
        optiscope::WARMUPS.defs(),
    ] {
        for item in defs {
            assert!(text.contains(&item.signature()), "{}", item.name);
        }
    }
}

#[cfg(feature = "gui")]
#[test]
fn without_a_display_the_app_exits_1_with_one_sentence() {
    let o = Command::new(env!("CARGO_BIN_EXE_optiscope"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .expect("the binary runs");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no display"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"));
}

/// `trace --preset` prints what the equivalent command line prints, byte for byte, including
/// a run's own batch size and seed and the divergence message.
#[test]
fn trace_preset_equals_the_equivalent_command_line() {
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "presets/stability-limit.ron",
            "2",
            &[
                "--surface",
                "quadratic(a=1,b=10)",
                "--optimizer",
                "sgd",
                "--lr",
                "0.21",
                "--start",
                "-3,1.5",
                "--steps",
                "300",
            ],
        ),
        (
            "presets/batch-vs-minibatch-vs-sgd.ron",
            "2",
            &[
                "--surface",
                "linreg(n=100,noise=0.5,batch_size=1)",
                "--optimizer",
                "sgd",
                "--lr",
                "0.1",
                "--start",
                "-1,4",
                "--steps",
                "300",
                "--seed",
                "1",
            ],
        ),
        (
            "presets/warmup-rescue.ron",
            "1",
            &[
                "--surface",
                "saddle(a=1,b=1,c=1)",
                "--optimizer",
                "sgd",
                "--lr",
                "0.5",
                "--warmup",
                "linear(steps=50,start_factor=0)",
                "--start",
                "1,4",
                "--steps",
                "200",
            ],
        ),
        (
            "presets/himmelblau-four-minima.ron",
            "2",
            &[
                "--surface",
                "himmelblau",
                "--optimizer",
                "sgd",
                "--lr",
                "0.01",
                "--start",
                "-0.3,-1",
                "--steps",
                "300",
            ],
        ),
    ];
    for (file, run, flags) in cases {
        let from_preset = optiscope(&["trace", "--preset", file, "--run", run, "--every", "7"]);
        let mut args = vec!["trace"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&["--every", "7"]);
        let from_flags = optiscope(&args);
        assert_eq!(
            from_preset.status.code(),
            Some(0),
            "{}",
            stderr(&from_preset)
        );
        assert_eq!(
            stdout(&from_preset),
            stdout(&from_flags),
            "{file} run {run}"
        );
        assert_eq!(
            stderr(&from_preset),
            stderr(&from_flags),
            "{file} run {run}"
        );
        assert!(rows(&stdout(&from_preset)).len() > 10);
    }
    // Without --run, the first run.
    let first = optiscope(&["trace", "--preset", "presets/stability-limit.ron"]);
    let zero = optiscope(&[
        "trace",
        "--preset",
        "presets/stability-limit.ron",
        "--run",
        "0",
    ]);
    assert_eq!(stdout(&first), stdout(&zero));
    assert_eq!(rows(&stdout(&first))[0][1], 0.19);
}

#[test]
fn trace_preset_mistakes_exit_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(
        &bad,
        "(\n    version: 1,\n    surface: \"rosenbrock\",\n    start: (0, 0),\n    runs: [(optimizer: \"adamm\", lr: 0.1)],\n)\n",
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    let cases: [(Vec<&str>, &[&str]); 4] = [
        (
            vec!["trace", "--preset", bad],
            &["bad.ron:5:", "unknown optimizer 'adamm'", "adam, adamw"],
        ),
        (
            vec![
                "trace",
                "--preset",
                "presets/stability-limit.ron",
                "--run",
                "3",
            ],
            &["'3'", "--run", "has 3 runs", "0 (sgd lr=0.19)"],
        ),
        (
            vec![
                "trace",
                "--preset",
                "presets/stability-limit.ron",
                "--lr",
                "0.1",
            ],
            &["--preset", "--lr"],
        ),
        (
            vec!["trace", "--preset", "no/such/file.ron"],
            &["no/such/file.ron"],
        ),
    ];
    for (args, needles) in cases {
        let o = optiscope(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: {err:?} lacks {n:?}");
        }
    }
}

#[cfg(feature = "gui")]
#[test]
fn a_bad_preset_for_the_window_is_reported_before_the_display_is_needed() {
    let o = Command::new(env!("CARGO_BIN_EXE_optiscope"))
        .args(["no/such/scene.ron"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .expect("the binary runs");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("no/such/scene.ron"), "{err}");
    assert!(err.contains("no display"), "{err}");
}

#[cfg(feature = "gui")]
#[test]
fn a_link_for_the_window_is_read_and_a_damaged_one_reported_before_the_display_is_needed() {
    let window = |arg: &str| {
        Command::new(env!("CARGO_BIN_EXE_optiscope"))
            .arg(arg)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("WAYLAND_SOCKET")
            .output()
            .expect("the binary runs")
    };
    // A good link (here a bare fragment) is taken as a link, not as a file name.
    let link = stdout(&optiscope(&[
        "share",
        "--preset",
        "presets/warmup-rescue.ron",
    ]));
    let fragment = link
        .trim()
        .split_once('#')
        .expect("a fragment")
        .1
        .to_owned();
    let o = window(&format!("#{fragment}"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("no display") && !err.contains("cannot read"),
        "{err}"
    );
    // A cut one is named as damaged.
    let o = window(&link.trim()[..link.trim().len() - 20]);
    let err = stderr(&o);
    assert!(err.contains("the scene link is damaged"), "{err}");
    assert!(err.contains("no display"), "{err}");
}

#[test]
fn share_prints_a_link_that_holds_the_presets_scene() {
    let path = "presets/warmup-rescue.ron";
    let o = optiscope(&[
        "share",
        "--preset",
        path,
        "--base",
        "https://example.org/optiscope/",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let link = out.trim();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        link.starts_with("https://example.org/optiscope/#scene=1."),
        "{link}"
    );
    // URL-safe: nothing in the link needs escaping.
    assert!(
        link.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/#=&".contains(c)),
        "{link}"
    );
    let preset = optiscope::scene::preset::load_preset(std::path::Path::new(path)).unwrap();
    let back = optiscope::scene::link::parse_link(link).expect("parses");
    assert_eq!(back.preset, preset);
    assert!(!back.show.lock);
    let locked = optiscope(&["share", "--preset", path, "--lock"]);
    let locked = stdout(&locked);
    assert!(
        locked.starts_with("http://localhost:8080/#scene=1."),
        "{locked}"
    );
    assert!(locked.trim().ends_with("&lock=1"), "{locked}");
}

#[test]
fn share_names_a_preset_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(version: 1, surface: )").unwrap();
    let o = optiscope(&["share", "--preset", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("bad.ron:1:"), "{err}");
    assert!(stdout(&o).is_empty());
}

fn key_values(out: &str) -> Vec<(String, f64)> {
    out.lines()
        .map(|l| {
            let (k, v) = l.split_once('=').expect("key=value");
            (k.to_owned(), v.parse().expect("a number"))
        })
        .collect()
}

#[test]
fn theory_prints_polyaks_optima_for_the_kappa_100_bowl() {
    // ½(x² + 100y²): λ = 1 and 100, κ = 100. Closed forms (Polyak 1964; Goh 2017):
    // GD: lr* = 2/(1 + 100), rate (κ−1)/(κ+1) = 99/101; heavy ball: lr* = (2/(1 + 10))²,
    // β* = ((10 − 1)/(10 + 1))², rate 9/11.
    let o = optiscope(&["theory", "--surface", "quadratic(a=1,b=100)"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let kv = key_values(&stdout(&o));
    let keys: Vec<&str> = kv.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "lambda_min",
            "lambda_max",
            "kappa",
            "gd_limit",
            "gd_lr_opt",
            "gd_rate_opt",
            "hb_lr_opt",
            "hb_momentum_opt",
            "hb_rate_opt"
        ]
    );
    let expected = [
        1.0,
        100.0,
        100.0,
        0.02,
        2.0 / 101.0,
        99.0 / 101.0,
        4.0 / 121.0,
        81.0 / 121.0,
        9.0 / 11.0,
    ];
    for ((key, got), want) in kv.iter().zip(expected) {
        assert!(
            (got - want).abs() <= 1e-15 * want.abs(),
            "{key}: {got} vs {want}"
        );
    }
}

#[test]
fn theory_gives_the_limit_and_rate_of_an_sgd_setting() {
    let run = |optimizer: &str, lr: &str| {
        let o = optiscope(&[
            "theory",
            "--surface",
            "quadratic(a=1,b=10)",
            "--at",
            "0.3,-2",
            "--optimizer",
            optimizer,
            "--lr",
            lr,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        key_values(&stdout(&o))
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>()
    };
    // GD at 0.15 on λ = 1, 10: factors |1 − 0.15| and |1 − 1.5|; the slow one wins.
    let gd = run("sgd", "0.15");
    assert_eq!(gd["limit"], 0.2);
    assert!((gd["rate"] - 0.85).abs() < 1e-15, "{}", gd["rate"]);
    // Heavy ball β = 0.9: complex roots for both directions at lr 0.1, modulus √β.
    let hb = run("sgd(momentum=0.9)", "0.1");
    assert!((hb["limit"] - 0.38).abs() < 1e-15);
    assert!((hb["rate"] - 0.9f64.sqrt()).abs() < 1e-15, "{}", hb["rate"]);
    // Nesterov: (2 + 2β)/((1 + 2β)·10).
    let nag = run("sgd(momentum=0.9,nesterov=true)", "0.1");
    assert!((nag["limit"] - 3.8 / 28.0).abs() < 1e-15);
    // Adam has no fixed linear iteration: limit and rate are left out.
    let adam = run("adam", "0.1");
    assert!(!adam.contains_key("limit") && !adam.contains_key("rate"));
    assert_eq!(adam["kappa"], 10.0);
    // A saddle has no κ and no optimum; its gd_limit is 2/λmax.
    let o = optiscope(&["theory", "--surface", "saddle", "--at", "0,0"]);
    let saddle = stdout(&o);
    assert_eq!(saddle, "lambda_min=-1.0\nlambda_max=1.0\ngd_limit=2.0\n");
    // --lr needs --optimizer.
    let o = optiscope(&["theory", "--surface", "rosenbrock", "--lr", "0.1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn extra_sharpness_columns_follow_the_contract_and_the_closed_form_hessian() {
    let base = [
        "trace",
        "--surface",
        "rosenbrock",
        "--optimizer",
        "adam",
        "--lr",
        "0.01",
        "--start",
        "-1.5,2",
        "--steps",
        "40",
        "--every",
        "7",
    ];
    let plain = stdout(&optiscope(&base));
    let mut args = base.to_vec();
    args.extend(["--extra", "sharpness,precond_sharpness"]);
    let extra = stdout(&optiscope(&args));
    let (plain_lines, extra_lines): (Vec<&str>, Vec<&str>) =
        (plain.lines().collect(), extra.lines().collect());
    assert_eq!(
        extra_lines[0],
        "step,lr,x,y,loss,grad_x,grad_y,sharpness,precond_sharpness"
    );
    assert_eq!(plain_lines.len(), extra_lines.len());
    for (p, e) in plain_lines.iter().zip(&extra_lines).skip(1) {
        // The contract's columns are byte for byte those of a plain trace.
        assert!(e.starts_with(&format!("{p},")), "{p} / {e}");
    }
    for row in rows(&extra) {
        let (x, y, sharpness) = (row[2], row[3], row[7]);
        // Rosenbrock's Hessian: [[1200x² − 400y + 2, −400x], [−400x, 200]].
        let (a, b, d) = (1200.0 * x * x - 400.0 * y + 2.0, -400.0 * x, 200.0);
        let lambda_max = (a + d) / 2.0 + (((a - d) / 2.0).powi(2) + b * b).sqrt();
        assert!(
            (sharpness - lambda_max).abs() <= 1e-9 * lambda_max,
            "{sharpness} vs {lambda_max}"
        );
    }
    // Row 0 of Adam: update 0 has v_hat = g0² exactly, so P = |g0| + eps and
    // P⁻¹H = diag(1/|g|)·H, whose λmax follows from the closed-form Hessian at the start.
    let first = &rows(&extra)[0];
    let (gx, gy) = (first[5].abs() + 1e-8, first[6].abs() + 1e-8);
    let (a, b, d) = (1200.0 * 2.25 - 800.0 + 2.0, 600.0, 200.0);
    let (a, b, d) = (a / gx, b / (gx * gy).sqrt(), d / gy);
    let lambda = (a + d) / 2.0 + (((a - d) / 2.0).powi(2) + b * b).sqrt();
    assert!(
        (first[8] - lambda).abs() <= 1e-9 * lambda,
        "{} vs {lambda}",
        first[8]
    );
    // Without a preconditioner (SGD) both columns agree; asked in the other order, they swap.
    let sgd = stdout(&optiscope(&[
        "trace",
        "--surface",
        "quadratic(a=1,b=10)",
        "--optimizer",
        "sgd",
        "--lr",
        "0.1",
        "--start",
        "1,1",
        "--steps",
        "3",
        "--extra",
        "precond_sharpness,sharpness",
    ]));
    assert!(sgd.starts_with("step,lr,x,y,loss,grad_x,grad_y,precond_sharpness,sharpness\n"));
    for row in rows(&sgd) {
        assert_eq!((row[7], row[8]), (10.0, 10.0));
    }
    // A misspelt column exits 2 naming it and the valid ones.
    let o = optiscope(&[
        "trace",
        "--surface",
        "rosenbrock",
        "--optimizer",
        "sgd",
        "--lr",
        "0.001",
        "--start",
        "0,0",
        "--steps",
        "3",
        "--extra",
        "sharpnes",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("'sharpnes'") && err.contains("precond_sharpness"),
        "{err}"
    );
}

const TRAIN: [&str; 11] = [
    "train",
    "--model",
    "mlp(hidden=[8])",
    "--data",
    "moons(n=50)",
    "--optimizer",
    "adam",
    "--lr",
    "0.01",
    "--steps",
    "20",
];

#[test]
fn train_prints_the_contract_csv_with_row_0_before_the_first_update() {
    let o = optiscope(&TRAIN);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().next(), Some("step,lr,loss,test_loss,grad_norm"));
    let r = rows(&out);
    assert_eq!(r.len(), 21);
    assert_eq!(r[0][0], 0.0);
    // Row 0 is nn.Linear's initialization: a logit near 0, a loss near ln 2.
    assert!((r[0][2] - std::f64::consts::LN_2).abs() < 0.1, "{:?}", r[0]);
    assert!(r[20][2] < r[0][2]);
    // --every keeps multiples of K and the last row.
    let mut args = TRAIN.to_vec();
    args.extend(["--every", "8"]);
    let steps: Vec<f64> = rows(&stdout(&optiscope(&args)))
        .iter()
        .map(|r| r[0])
        .collect();
    assert_eq!(steps, [0.0, 8.0, 16.0, 20.0]);
}

#[test]
fn train_dumps_the_data_and_initial_parameters_as_json() {
    let dir = std::env::temp_dir().join(format!("optiscope-train-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (data, init) = (dir.join("data.json"), dir.join("init.json"));
    let mut args = TRAIN.to_vec();
    let (d, i) = (data.display().to_string(), init.display().to_string());
    args.extend(["--batch-size", "8", "--dump-data", &d, "--dump-init", &i]);
    let o = optiscope(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap();
    assert_eq!(data["x"].as_array().unwrap().len(), 40);
    assert_eq!(data["x_test"].as_array().unwrap().len(), 10);
    assert_eq!(data["x"][0].as_array().unwrap().len(), 2);
    // One batch of row indices per update, each at most 8 rows.
    let batches = data["batches"].as_array().unwrap();
    assert_eq!(batches.len(), 20);
    assert!(batches.iter().all(|b| b.as_array().unwrap().len() <= 8));
    let init: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&init).unwrap()).unwrap();
    let layers = init["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 2);
    // nn.Linear's (out, in) layout: 8 rows of 2, then 1 row of 8.
    assert_eq!(layers[0]["weight"].as_array().unwrap().len(), 8);
    assert_eq!(layers[0]["weight"][0].as_array().unwrap().len(), 2);
    assert_eq!(layers[1]["weight"][0].as_array().unwrap().len(), 8);
    assert_eq!(layers[1]["bias"].as_array().unwrap().len(), 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn train_reports_divergence_on_stderr_and_mistakes_with_exit_2() {
    // A regression's linear output runs away at a huge rate: the rows before, then the step.
    let o = optiscope(&[
        "train",
        "--model",
        "mlp(hidden=[4])",
        "--data",
        "line(n=20)",
        "--optimizer",
        "sgd",
        "--lr",
        "10",
        "--steps",
        "50",
    ]);
    assert!(o.status.success());
    let err = stderr(&o);
    assert!(err.starts_with("diverged at step "), "{err}");
    let step: usize = err["diverged at step ".len()..]
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(rows(&stdout(&o)).len(), step);
    for (flag, value, says) in [
        ("--model", "mlp(hidden=[0])", "at least one unit"),
        ("--model", "cnn", "model"),
        ("--data", "moons(n=2)", "'n'"),
        ("--data", "spiral", "spirals"),
        ("--optimizer", "newton", "not on a network"),
    ] {
        let mut args: Vec<&str> = TRAIN.to_vec();
        let at = args.iter().position(|a| *a == flag).unwrap();
        args[at + 1] = value;
        let o = optiscope(&args);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}");
        let err = stderr(&o);
        assert!(
            err.contains(flag) && err.contains(says),
            "{flag} {value}: {err}"
        );
    }
}

#[test]
fn train_extra_sharpness_appends_the_top_hessian_eigenvalue() {
    let mut args = TRAIN.to_vec();
    args.extend(["--every", "10", "--extra", "sharpness"]);
    let o = optiscope(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(
        out.lines().next(),
        Some("step,lr,loss,test_loss,grad_norm,sharpness")
    );
    let r = rows(&out);
    assert_eq!(r.len(), 3);
    // A Hessian's top eigenvalue at nn.Linear's initialization is positive and finite.
    assert!(
        r.iter()
            .all(|row| row.len() == 6 && row[5] > 0.0 && row[5].is_finite())
    );
    let mut args = TRAIN.to_vec();
    args.extend(["--extra", "precond_sharpness"]);
    let o = optiscope(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--extra"), "{}", stderr(&o));
}

#[test]
fn network_scenes_give_trace_and_render_the_train_command_and_pytorch_a_script() {
    let preset = "presets/network-batch-size.ron";
    // `render` exists where pictures are built (the default features).
    let commands: &[&str] = if cfg!(feature = "picture") {
        &["trace", "render"]
    } else {
        &["trace"]
    };
    for &command in commands {
        let mut args = vec![command, "--preset", preset];
        if command == "render" {
            args.extend(["--out", "/tmp/optiscope-network.png"]);
        }
        let o = optiscope(&args);
        assert_eq!(o.status.code(), Some(2), "{command}");
        let err = stderr(&o);
        assert!(err.contains("is a network scene"), "{command}: {err}");
        assert!(
            err.contains("optiscope train --model 'mlp(hidden=[16,16],activation=tanh)' --data 'moons(n=200,noise=0.15)' --optimizer 'sgd' --lr 0.01 --steps 1500 --batch-size 1"),
            "{command}: {err}"
        );
    }
    let o = optiscope(&["pytorch", "--preset", preset, "--run", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = stdout(&o);
    assert!(script.contains("torch.nn.Sequential"), "{script}");
    assert!(
        script.contains("\"batches\""),
        "the minibatches are embedded"
    );
    assert!(
        script.contains("torch.optim.SGD(params, lr=0.32"),
        "{script}"
    );
}

#[test]
fn keras_prints_a_keras_script_and_each_framework_refuses_the_others_runs() {
    let preset = "presets/same-name-adam-epsilon.ron";
    let o = optiscope(&["keras", "--preset", preset, "--run", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = stdout(&o);
    for needle in [
        "os.environ.setdefault(\"KERAS_BACKEND\", \"torch\")",
        "keras.config.set_floatx(\"float64\")",
        "optimizer = keras.optimizers.Adam(learning_rate=lr0, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, weight_decay=None)",
        "optimizer.apply_gradients([(grad, theta)])",
        "print(\"step,lr,x,y,loss,grad_x,grad_y\")",
    ] {
        assert!(script.contains(needle), "{needle}\n{script}");
    }
    // Run 0 is torch's Adam: `keras` names the command that writes it, and the other way round.
    let o = optiscope(&["keras", "--preset", preset, "--run", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("run 1 uses adam, which follows PyTorch's update rule")
            && stderr(&o).contains("optiscope pytorch"),
        "{}",
        stderr(&o)
    );
    let o = optiscope(&["pytorch", "--preset", preset, "--run", "2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("run 3 uses keras.adam, which follows Keras's update rule")
            && stderr(&o).contains("optiscope keras"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn list_shows_the_keras_items_and_the_notes_rules_with_their_parameters() {
    let o = optiscope(&["list"]);
    let text = stdout(&o);
    for item in [
        "keras.sgd(momentum=0,nesterov=false,weight_decay=0)",
        "keras.rmsprop(rho=0.9,momentum=0,epsilon=1e-7,centered=false,weight_decay=0)",
        "keras.adam(beta_1=0.9,beta_2=0.999,epsilon=1e-7,amsgrad=false,weight_decay=0)",
        "keras.adamw(weight_decay=0.004,",
        "keras.adagrad(initial_accumulator_value=0.1,epsilon=1e-7,weight_decay=0)",
        "keras.adadelta(rho=0.95,epsilon=1e-7,weight_decay=0)",
        "keras.nadam(beta_1=0.9,beta_2=0.999,epsilon=1e-7,weight_decay=0)",
        "keras.lion(beta_1=0.9,beta_2=0.99,weight_decay=0)",
        "keras.exponential_decay(decay_steps,decay_rate,staircase=false)",
        "keras.inverse_time_decay(decay_steps,decay_rate,staircase=false)",
        "keras.polynomial_decay(decay_steps,end_learning_rate=0.0001,power=1,cycle=false)",
        "keras.piecewise_constant(boundaries,values)",
        "keras.cosine_decay(decay_steps,alpha=0,warmup_target=None,warmup_steps=0)",
        "keras.cosine_decay_restarts(first_decay_steps,t_mul=2,m_mul=1,alpha=0)",
        "keras.learning_rate_scheduler(steps_per_epoch,rule)",
        "grad_halving(threshold=1,factor=0.5)",
        "linear_decay(k)",
    ] {
        assert!(text.contains(item), "{item} not in:\n{text}");
    }
}

#[test]
fn a_linear_decay_past_its_end_is_reported_as_gradient_ascent() {
    // lr 0.1 − 0.001·t: zero at step 100, negative after it.
    let o = optiscope(&[
        "trace",
        "--surface",
        "quadratic(a=1,b=2)",
        "--optimizer",
        "keras.sgd",
        "--lr",
        "0.1",
        "--schedule",
        "linear_decay(k=0.001)",
        "--start",
        "1,1",
        "--steps",
        "150",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let rows = rows(&stdout(&o));
    assert_eq!(rows.len(), 151);
    assert!((rows[100][1]).abs() < 1e-15 && rows[101][1] < 0.0);
    assert!(
        stderr(&o).contains("lr < 0 from step 101 (lr = -0.001): gradient ascent"),
        "{}",
        stderr(&o)
    );
    // GD on ½x² + y² climbs once the rate is negative: x grows by 1 + |lr| per step.
    assert!(rows[150][2] > rows[100][2]);
}
