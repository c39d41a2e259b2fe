//! Export from the window, driven like a user: the Export menu writes a PNG, a GIF and the CSVs
//! through the typed-path dialog (in the background, the window stays live), and "Copy run as
//! PyTorch" puts the selected run's script on the clipboard.
#![cfg(feature = "gui")]

mod common;

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use optiscope::app::{Dialog, OptiscopeApp, PathFor};

fn harness() -> Harness<'static, OptiscopeApp> {
    common::default_scene_without_dialogs()
}

/// Export menu → item → type `path` into the path field → Enter, then wait for the job.
fn export_through_the_menu(h: &mut Harness<'static, OptiscopeApp>, item: &str, path: &Path) {
    h.get_by_label("Export").click();
    h.run_steps(2);
    h.get_by_label(item).click();
    h.run_steps(4);
    assert!(
        matches!(
            h.state().dialog,
            Some(Dialog::Path {
                to: PathFor::Export(_),
                ..
            })
        ),
        "{:?}",
        h.state().dialog
    );
    common::type_path(h, &path.display().to_string());
    for _ in 0..2400 {
        if !h.state().exporting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run_steps(1);
    }
    h.run_steps(2);
    assert!(
        !h.state().exporting(),
        "the export did not finish in 2 minutes"
    );
}

#[test]
fn the_export_menu_writes_a_picture_an_animation_and_the_csv_of_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness();
    let runs = h.state().state.scene.runs.len();

    let png = dir.path().join("ravine.png");
    export_through_the_menu(&mut h, "Picture (PNG)…", &png);
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR: width and height, big-endian, right after the signature and chunk header.
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), optiscope::picture::export::PNG_SIZE);
    let notice = h.state().notice.clone().unwrap();
    assert!(
        notice.text.contains("ravine.png") && !notice.error,
        "{notice:?}"
    );
    assert!(
        h.query_by_label_contains("Saved the picture (PNG)")
            .is_some()
    );

    // A fast scene makes a short GIF: a few frames keep this debug-build test quick.
    h.state_mut().state.scene.speed = 2000.0;
    let gif = dir.path().join("ravine.gif");
    export_through_the_menu(&mut h, "Animation (GIF)…", &gif);
    assert_eq!(&std::fs::read(&gif).unwrap()[..6], b"GIF89a");

    let csv = dir.path().join("ravine.csv");
    export_through_the_menu(&mut h, "Trajectories (CSV)…", &csv);
    for i in 1..=runs {
        let text = std::fs::read_to_string(dir.path().join(format!("ravine-run{i}.csv"))).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("step,lr,x,y,loss,grad_x,grad_y"));
        let first: Vec<f64> = lines
            .next()
            .unwrap()
            .split(',')
            .map(|v| v.parse().unwrap())
            .collect();
        let start = h.state().state.run_start(i - 1);
        assert_eq!((first[0], first[2], first[3]), (0.0, start[0], start[1]));
        assert_eq!(first[1], h.state().state.scene.runs[i - 1].settings.lr);
    }
}

#[test]
fn a_failed_export_says_why_and_keeps_the_scene() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness();
    let before = h.state().state.clone();
    // A directory where the file should go.
    let target = dir.path().join("taken.png");
    std::fs::create_dir(&target).unwrap();
    export_through_the_menu(&mut h, "Picture (PNG)…", &target);
    // A red toast with the reason (the lecture goes on: no dialog to dismiss).
    let notice = h.state().notice.clone().expect("a toast");
    assert!(notice.error, "{notice:?}");
    let message = &notice.text;
    assert!(
        message.contains("taken.png") && message.contains("directory"),
        "{message}"
    );
    assert!(h.query_by_label_contains("Export failed").is_some());
    assert_eq!(h.state().state, before);
}

#[test]
fn copy_run_as_pytorch_puts_the_selected_runs_script_on_the_clipboard() {
    let mut h = harness();
    // The default scene's second run is SGD with momentum 0.9 at lr 0.02.
    h.state_mut().state.selected = 1;
    h.run_steps(2);
    h.get_by_label("Export").click();
    h.run_steps(2);
    h.get_by_label("Copy run as PyTorch").click();
    h.step();
    let copied = common::copied(&h);
    assert_eq!(copied.len(), 1);
    let run = &h.state().state.scene.runs[1].settings;
    assert_eq!(run.optimizer.to_string(), "sgd(momentum=0.9)");
    assert!(
        copied[0].contains("torch.optim.SGD([theta], lr=0.02, momentum=0.9,"),
        "{}",
        copied[0]
    );
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Copied a PyTorch script of run 2")
            .is_some()
    );
}

#[test]
fn copy_run_as_keras_writes_keras_and_copy_as_pytorch_says_which_to_use() {
    let mut h = harness();
    h.state_mut().state.scene.runs[1].settings.optimizer =
        optiscope::parse_spec("keras.sgd(momentum=0.9)").unwrap();
    h.state_mut().state.selected = 1;
    h.run_steps(2);
    h.get_by_label("Export").click();
    h.run_steps(2);
    h.get_by_label("Copy run as Keras").click();
    h.step();
    let copied = common::copied(&h);
    assert_eq!(copied.len(), 1);
    assert!(
        copied[0].contains(
            "optimizer = keras.optimizers.SGD(learning_rate=lr0, momentum=0.9, nesterov=False, weight_decay=None)"
        ),
        "{}",
        copied[0]
    );
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Copied a Keras script of run 2")
            .is_some()
    );
    // The PyTorch entry refuses a Keras run and names the one to use.
    h.get_by_label("Export").click();
    h.run_steps(2);
    h.get_by_label("Copy run as PyTorch").click();
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("which follows Keras's update rule")
            .is_some()
    );
    assert_eq!(common::copied(&h).len(), 0);
}

#[test]
fn same_in_keras_adds_the_selected_runs_keras_twin_in_one_click() {
    let mut h = harness();
    h.state_mut().state.scene.runs[1].settings.optimizer =
        optiscope::parse_spec("adam(beta1=0.8)").unwrap();
    h.state_mut().state.selected = 1;
    h.run_steps(2);
    let before = h.state().state.scene.runs.len();
    h.get_by_label("Same in Keras").click();
    h.run_steps(3);
    let scene = &h.state().state.scene;
    assert_eq!(scene.runs.len(), before + 1);
    let twin = scene.runs.last().unwrap();
    assert_eq!(
        twin.settings.optimizer.to_string(),
        "keras.adam(beta_1=0.8)"
    );
    assert_eq!(twin.settings.lr, scene.runs[1].settings.lr);
    assert_ne!(twin.color, scene.runs[1].color);
    assert_eq!(h.state().state.selected, before);
    // From the Keras run the button goes the other way.
    assert!(h.query_by_label("Same in PyTorch").is_some());
}

#[test]
fn a_rate_below_zero_is_said_in_the_run_list_and_on_the_lr_plot() {
    let mut h = harness();
    let notes = optiscope::scene::preset::BUILTIN_PRESETS
        .iter()
        .find(|b| b.file == "notes-rules.ron")
        .unwrap()
        .load()
        .unwrap();
    h.state_mut().open_preset(&notes, None);
    h.run_steps(4);
    // The linear decay's run: lr0 = 0.1, k = 0.001, zero at step 100.
    assert!(
        h.query_by_label_contains("lr < 0 from step 101 (lr = -0.001): gradient ascent")
            .is_some()
    );
    // Only that run says so.
    assert_eq!(h.query_all_by_label_contains("gradient ascent").count(), 1);
    // A log axis cannot show the negative rates, and says so; a linear one draws lr = 0.
    assert!(
        h.query_by_label_contains("rates < 0 are not on a log axis")
            .is_none()
    );
    h.state_mut().state.scene.log_lr = true;
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("rates < 0 are not on a log axis")
            .is_some()
    );
    // Hiding the run hides the note.
    h.state_mut().state.scene.runs[2].visible = false;
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("rates < 0 are not on a log axis")
            .is_none()
    );
}
