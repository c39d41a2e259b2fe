//! Bad input, tried systematically (issue: "never crashes in front of a class"): learning rate 0
//! and 1e30, NaN typed into a box, negative and 10⁷ steps, empty presets, a preset with 1,000
//! runs, a directory instead of a file, an unwritable location on save. Each gives a clear
//! message naming what is wrong and keeps the scene. All headless: the core, the command line,
//! and the window through egui_kittest.

#[cfg(feature = "gui")]
mod common;

use std::path::Path;
use std::process::Command;

use optiscope::RunSettings;
use optiscope::core::run::simulation::{Run, Status};
use optiscope::core::spec::Spec;
use optiscope::scene::preset::{PresetError, load_preset, parse_preset, save_preset};
use optiscope::{AnySurface, BUILTIN_PRESETS};

fn quadratic() -> AnySurface {
    AnySurface::from_spec(&optiscope::parse_spec("quadratic(a=1,b=10)").unwrap()).unwrap()
}

fn sgd(lr: f64, steps: u64) -> RunSettings {
    RunSettings::new(Spec::named("sgd"), lr, [1.0, 1.0], steps)
}

fn cli(args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_optiscope"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const TRACE: [&str; 7] = [
    "trace",
    "--surface",
    "quadratic(a=1,b=10)",
    "--optimizer",
    "sgd",
    "--start",
    "1,1",
];

#[test]
fn learning_rate_zero_runs_and_stays_at_the_start() {
    let (t, status) = Run::new(&sgd(0.0, 50)).unwrap().simulate(&quadratic());
    assert_eq!(status, Status::Completed);
    assert_eq!(t.len(), 51);
    assert!(t.points.iter().all(|&p| p == [1.0, 1.0]));
    let (code, out, _) = cli(&[&TRACE[..], &["--lr", "0", "--steps", "3"]].concat());
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 5);
}

#[test]
fn learning_rate_1e30_diverges_at_once_and_says_so() {
    let (t, status) = Run::new(&sgd(1e30, 50)).unwrap().simulate(&quadratic());
    // θ_1 = θ_0 − 1e30·(1, 10) is far beyond the 1e8 bound: stopped at step 1, row kept.
    assert!(
        matches!(status, Status::Diverged { step: 1, .. }),
        "{status}"
    );
    assert_eq!(t.points[1], [1.0 - 1e30, 1.0 - 1e31]);
    let (code, out, err) = cli(&[&TRACE[..], &["--lr", "1e30", "--steps", "10"]].concat());
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 3, "header, θ_0 and θ_1");
    assert!(err.contains("diverged at step 1"), "{err}");
}

#[test]
fn nan_and_negative_numbers_on_the_command_line_exit_2_naming_them() {
    for (flag, value, says) in [
        ("--lr", "NaN", "'NaN' is not a finite number"),
        (
            "--lr",
            "-0.1",
            "lr = -0.1 is not valid: expected a finite number >= 0",
        ),
        (
            "--steps",
            "-5",
            "'-5' is not a number of steps: it must be a whole number",
        ),
        ("--steps", "2.5", "'2.5' is not a number of steps"),
        ("--every", "0", "'0' is not a row interval"),
        ("--noise", "nan", "'nan' is not a finite number"),
    ] {
        let mut args = TRACE.to_vec();
        args.extend(["--lr", "0.1", "--steps", "5"]);
        // The bad value replaces the good one.
        let at = args.iter().position(|a| *a == flag).unwrap_or(args.len());
        if at < args.len() {
            args[at + 1] = value;
        } else {
            args.extend([flag, value]);
        }
        let (code, _, err) = cli(&args);
        assert_eq!(code, Some(2), "{flag} {value}");
        assert!(
            err.contains(says) && err.contains(flag),
            "{flag} {value}: {err}"
        );
    }
}

#[test]
fn a_mistyped_name_gets_a_suggestion() {
    for (flag, value, says) in [
        (
            "--surface",
            "rosenbrok",
            "unknown surface 'rosenbrok' (did you mean 'rosenbrock'?)",
        ),
        (
            "--optimizer",
            "Adam",
            "unknown optimizer 'Adam' (did you mean 'adam'?)",
        ),
        ("--schedule", "cosin(T_max=5)", "(did you mean 'cosine'?)"),
        (
            "--optimizer",
            "sgd(momentun=0.9)",
            "unknown parameter 'momentun' for optimizer 'sgd' (did you mean 'momentum'?)",
        ),
    ] {
        let mut args = TRACE.to_vec();
        args.extend(["--lr", "0.1", "--steps", "5"]);
        let at = args.iter().position(|a| *a == flag).unwrap_or(args.len());
        if at < args.len() {
            args[at + 1] = value;
        } else {
            args.extend([flag, value]);
        }
        let (code, _, err) = cli(&args);
        assert_eq!(code, Some(2), "{flag} {value}");
        assert!(err.contains(says), "{flag} {value}: {err}");
    }
    // Nothing close: no guess, only the list.
    let mut args = TRACE.to_vec();
    args.extend(["--lr", "0.1", "--steps", "5"]);
    let at = args
        .iter()
        .position(|a| *a == "--surface")
        .expect("TRACE names a surface");
    args[at + 1] = "xyz";
    let (_, _, err) = cli(&args);
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn ten_million_steps_run_headless_but_not_in_a_scene() {
    let (code, out, _) = cli(&[
        &TRACE[..],
        &["--lr", "0.05", "--steps", "10000000", "--every", "5000000"],
    ]
    .concat());
    assert_eq!(code, Some(0));
    // Rows 0, 5,000,000 and 10,000,000 (or the run converged first and its last row ends it).
    assert!(out.lines().count() >= 3);
    let text = r#"(version: 1, surface: "quadratic", start: (1, 1), steps: 10000000,
        runs: [(optimizer: "sgd", lr: 0.1)])"#;
    let err = parse_preset(text, "big.ron").unwrap_err().to_string();
    assert!(
        err.starts_with("big.ron:1:") && err.contains("steps") && err.contains("100000"),
        "{err}"
    );
}

#[test]
fn empty_presets_are_reported_with_their_position() {
    let err = parse_preset("", "empty.ron").unwrap_err();
    assert!(matches!(err, PresetError::Parse { line: 1, .. }), "{err}");
    assert!(err.to_string().starts_with("empty.ron:1:"), "{err}");
    let err = parse_preset("()", "unit.ron").unwrap_err().to_string();
    assert!(err.contains("unit.ron") && err.contains("version"), "{err}");
    let err = parse_preset(
        r#"(version: 1, surface: "quadratic", start: (1, 1), runs: [])"#,
        "norun.ron",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("1 to 8 runs, this one has 0"), "{err}");
}

#[test]
fn a_preset_with_a_thousand_runs_is_refused() {
    let runs = vec![r#"(optimizer: "sgd", lr: 0.1)"#; 1000].join(",\n");
    let text = format!("(version: 1, surface: \"quadratic\", start: (1, 1),\nruns: [\n{runs}\n])");
    let err = parse_preset(&text, "crowd.ron").unwrap_err().to_string();
    assert!(
        err.contains("crowd.ron:") && err.contains("this one has 1000"),
        "{err}"
    );
}

#[test]
fn a_directory_instead_of_a_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_preset(dir.path()).unwrap_err().to_string();
    assert!(err.contains(&dir.path().display().to_string()) && err.contains("directory"));
    let preset = BUILTIN_PRESETS[0].load().unwrap();
    let err = save_preset(dir.path(), &preset).unwrap_err().to_string();
    assert!(
        err.contains("cannot save") && err.contains("directory"),
        "{err}"
    );
    let (code, _, err) = cli(&["trace", "--preset", &dir.path().display().to_string()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("directory"), "{err}");
}

/// A location nobody may write, not even root (tests may run as root, which ignores file
/// permissions): /proc takes no new files.
fn unwritable() -> &'static Path {
    Path::new("/proc/optiscope-cannot-write-here.ron")
}

#[test]
fn saving_to_an_unwritable_location_fails_clearly_and_writes_nothing() {
    let preset = BUILTIN_PRESETS[0].load().unwrap();
    let err = save_preset(unwritable(), &preset).unwrap_err().to_string();
    assert!(
        err.starts_with("cannot save '/proc/optiscope-cannot-write-here.ron': "),
        "{err}"
    );
    assert!(!unwritable().exists());
}

#[cfg(feature = "gui")]
mod window {
    use egui::Modifiers;
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use optiscope::app::{Dialog, OptiscopeApp};

    use super::*;

    fn harness() -> Harness<'static, OptiscopeApp> {
        let mut app = common::sgd_on_quadratic();
        app.native_dialogs = false;
        common::harness(app)
    }

    /// Types `text` into the number box right of the learning-rate slider and presses Enter.
    fn type_learning_rate(h: &mut Harness<'static, OptiscopeApp>, text: &str) {
        let slider = h
            .get_by_role_and_label(Role::Slider, "Learning rate")
            .rect();
        let value_box = |h: &Harness<'static, OptiscopeApp>,
                         act: &dyn Fn(&egui_kittest::Node<'_>)| {
            let boxes: Vec<_> = h
                .get_all_by_role(Role::SpinButton)
                .filter(|n| {
                    let r = n.rect();
                    (r.center().y - slider.center().y).abs() < 4.0
                        && r.left() > slider.right() - 1.0
                })
                .collect();
            assert_eq!(boxes.len(), 1, "the slider's value box");
            act(&boxes[0]);
        };
        // Focus turns a number box into a text field with its text selected, as a click or
        // Tab does; the field keeps the box's role.
        value_box(h, &|n| n.focus());
        h.run_steps(2);
        value_box(h, &|n| n.type_text(text));
        h.run_steps(1);
        h.key_press(egui::Key::Enter);
        h.run_steps(3);
    }

    fn no_nan_anywhere(h: &Harness<'static, OptiscopeApp>) {
        assert!(h.query_by_label_contains("NaN").is_none());
        assert!(h.query_by_label_contains("nan").is_none());
        assert!(h.query_by_label_contains("inf").is_none());
    }

    #[test]
    fn typed_learning_rates_are_kept_inside_the_slider_and_nan_is_ignored() {
        let mut h = harness();
        type_learning_rate(&mut h, "0");
        assert_eq!(
            h.state().state.scene.runs[0].settings.lr,
            1e-5,
            "0 is clamped to the slider's minimum"
        );
        type_learning_rate(&mut h, "1e30");
        assert_eq!(
            h.state().state.scene.runs[0].settings.lr,
            10.0,
            "1e30 is clamped to the maximum"
        );
        // y is multiplied by 1 − 10·10 = −99 per step: (−99)⁵ is past the 1e8 bound.
        let status = h.state().cache.runs[0].status;
        assert!(
            matches!(status, Status::Diverged { step: 5, .. }),
            "{status}"
        );
        assert!(
            h.query_by_label_contains("diverged at step 5 (lr = 10)")
                .is_some()
        );
        type_learning_rate(&mut h, "0.05");
        assert_eq!(h.state().state.scene.runs[0].settings.lr, 0.05);
        for junk in ["NaN", "-3", "abc", ""] {
            type_learning_rate(&mut h, junk);
            assert_eq!(
                h.state().state.scene.runs[0].settings.lr,
                0.05,
                "after typing {junk:?}"
            );
            no_nan_anywhere(&h);
        }
    }

    #[test]
    fn typed_step_counts_stay_between_1_and_the_window_limit() {
        let mut h = harness();
        for (typed, expected) in [
            ("-5", 1),
            ("10000000", optiscope::app::MAX_APP_STEPS),
            ("NaN", optiscope::app::MAX_APP_STEPS),
        ] {
            h.get_by_role_and_label(Role::SpinButton, "Steps").focus();
            h.run_steps(2);
            h.get_by_role_and_label(Role::SpinButton, "Steps")
                .type_text(typed);
            h.run_steps(1);
            h.key_press(egui::Key::Enter);
            h.run_steps(3);
            assert_eq!(
                h.state().state.scene.runs[0].settings.steps,
                expected,
                "after typing {typed}"
            );
            no_nan_anywhere(&h);
        }
        // The 100,000-step run was computed and the timeline reaches its end.
        assert_eq!(
            h.state().cache.runs[0].trajectory.len() as u64,
            optiscope::app::MAX_APP_STEPS + 1
        );
    }

    /// Opens `path` through File ▸ Open… and the path field, as a user without a file portal.
    fn open_through_the_path_field(h: &mut Harness<'static, OptiscopeApp>, path: &Path) {
        h.key_press_modifiers(Modifiers::COMMAND, egui::Key::O);
        h.run_steps(3);
        common::type_path(h, &path.display().to_string());
        // The scene has unsaved changes: opening asks first, and the file is read after.
        if matches!(h.state().dialog, Some(Dialog::ConfirmDiscard { .. })) {
            h.get_by_label("Discard changes").click();
            h.run_steps(3);
        }
    }

    fn error_shown(h: &Harness<'static, OptiscopeApp>) -> String {
        match &h.state().dialog {
            Some(Dialog::Error { message }) => message.clone(),
            other => panic!("no error dialog: {other:?}"),
        }
    }

    #[test]
    fn bad_files_opened_in_the_window_are_named_and_the_scene_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.ron");
        std::fs::write(&empty, "").unwrap();
        let crowd = dir.path().join("crowd.ron");
        let runs = vec![r#"(optimizer: "sgd", lr: 0.1)"#; 1000].join(",");
        std::fs::write(
            &crowd,
            format!("(version: 1, surface: \"quadratic\", start: (1, 1), runs: [{runs}])"),
        )
        .unwrap();
        let subdir = dir.path().join("folder.ron");
        std::fs::create_dir(&subdir).unwrap();

        let mut h = harness();
        let before = h.state().state.clone();
        for (path, says) in [
            (&empty, "empty.ron:1:"),
            (&crowd, "this one has 1000"),
            (&subdir, "it is a directory"),
        ] {
            open_through_the_path_field(&mut h, path);
            let message = error_shown(&h);
            assert!(message.contains(says), "{message}");
            assert!(
                h.query_by_label_contains("The current scene is unchanged")
                    .is_some()
            );
            assert_eq!(h.state().state, before);
            h.get_by_label("OK").click();
            h.run_steps(3);
            assert!(h.state().dialog.is_none());
        }
    }

    #[test]
    fn saving_to_an_unwritable_location_shows_why_and_keeps_the_scene() {
        let mut h = harness();
        let before = h.state().state.clone();
        h.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), egui::Key::S);
        h.run_steps(3);
        common::type_path(&mut h, &unwritable().display().to_string());
        let message = error_shown(&h);
        assert!(message.contains("cannot save '/proc/optiscope-cannot-write-here.ron'"));
        assert_eq!(
            h.state().state.file,
            None,
            "the scene is not bound to the failed path"
        );
        assert_eq!(h.state().state.scene.runs, before.scene.runs);
        assert!(h.state().state.is_dirty() == before.is_dirty());
    }
}
