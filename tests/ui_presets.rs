//! Presets in the window, driven like a user with egui_kittest: open a built-in through the
//! Presets menu, drop a broken file (error shown, scene kept), the unsaved-changes question,
//! and Save / Save As through the typed-path dialog.
#![cfg(feature = "gui")]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use optiscope::app::{AppState, Dialog, OptiscopeApp, PathFor};
use optiscope::scene::preset::{BUILTIN_PRESETS, load_preset, parse_preset, to_ron};

fn harness() -> Harness<'static, OptiscopeApp> {
    common::default_scene_without_dialogs()
}

/// A file dropped onto the window, as the windowing backend hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(h: &mut Harness<'static, OptiscopeApp>, path: &Path) {
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.to_path_buf())));
    h.run_steps(3);
}

fn open_builtin_through_the_menu(h: &mut Harness<'static, OptiscopeApp>, topic: &str, title: &str) {
    h.get_by_label("Presets").click();
    h.run_steps(2);
    h.get_by_label(topic).hover();
    h.run_steps(2);
    h.get_by_label(title).click();
    h.run_steps(3);
}

#[test]
fn opening_a_built_in_preset_through_the_menu_changes_the_scene() {
    let mut h = harness();
    assert_eq!(h.state().state.scene.title, "Four optimizers in a ravine");
    open_builtin_through_the_menu(
        &mut h,
        "Learning rate and stability",
        "Gradient descent at its stability limit",
    );
    let app = h.state();
    assert_eq!(
        app.state.scene.title,
        "Gradient descent at its stability limit"
    );
    assert_eq!(app.state.scene.surface.to_string(), "quadratic(a=1,b=10)");
    let lrs: Vec<f64> = app.state.scene.runs.iter().map(|r| r.settings.lr).collect();
    assert_eq!(lrs, vec![0.19, 0.2, 0.21]);
    assert!(app.cache.runs[2].status.is_diverged());
    assert!(
        !app.state.is_dirty(),
        "a freshly opened scene has no changes"
    );
    // Its teaching text is shown in the window.
    assert!(
        h.query_by_label_contains("flips between +1.5 and −1.5")
            .is_some()
    );
}

#[test]
fn a_broken_file_shows_the_error_and_keeps_the_scene() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(
        &path,
        "(\n    version: 1,\n    surface: \"rosenbrock\",\n    start: (0, 0),\n    runs: [(optimizer: \"adam\", lr: 0.1, colour: (1, 2, 3))],\n)\n",
    )
    .unwrap();
    let mut h = harness();
    let before = h.state().state.clone();
    drop_file(&mut h, &path);
    let Some(Dialog::Error { message }) = &h.state().dialog else {
        panic!("expected an error dialog, got {:?}", h.state().dialog);
    };
    assert!(message.contains("broken.ron:5:"), "{message}");
    assert!(message.contains("colour"), "{message}");
    // The message is on screen, and the scene is untouched.
    assert!(h.query_by_label_contains("broken.ron:5:").is_some());
    assert_eq!(h.state().state, before);
    h.get_by_label("OK").click();
    h.run_steps(2);
    assert!(h.state().dialog.is_none());
    assert_eq!(h.state().state, before);

    // With unsaved changes the error comes first: no question about discarding them for a
    // file that would not open anyway.
    h.state_mut().state.scene.runs[0].settings.lr = 0.123;
    h.run_steps(2);
    drop_file(&mut h, &path);
    assert!(
        matches!(h.state().dialog, Some(Dialog::Error { .. })),
        "{:?}",
        h.state().dialog
    );
    assert_eq!(h.state().state.scene.runs[0].settings.lr, 0.123);
}

#[test]
fn unsaved_changes_are_marked_and_confirmed_before_they_are_discarded() {
    let mut h = harness();
    assert!(h.query_by_label_contains("unsaved changes").is_none());
    h.state_mut().state.scene.runs[0].settings.lr = 0.123;
    h.run_steps(2);
    assert!(h.query_by_label_contains("unsaved changes").is_some());

    // Cancel keeps the edited scene.
    open_builtin_through_the_menu(
        &mut h,
        "Saddles, minima and your own surface",
        "Escaping a saddle",
    );
    assert!(matches!(
        h.state().dialog,
        Some(Dialog::ConfirmDiscard { .. })
    ));
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert_eq!(h.state().state.scene.runs[0].settings.lr, 0.123);
    assert_eq!(h.state().state.scene.title, "Four optimizers in a ravine");

    // Discard opens the other scene.
    open_builtin_through_the_menu(
        &mut h,
        "Saddles, minima and your own surface",
        "Escaping a saddle",
    );
    h.get_by_label("Discard changes").click();
    h.run_steps(3);
    assert_eq!(h.state().state.scene.title, "Escaping a saddle");
    assert!(!h.state().state.is_dirty());
}

#[test]
fn save_as_through_the_path_field_then_save_writes_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-scene.ron");
    let mut h = harness();
    h.state_mut().state.scene.runs[1].settings.lr = 0.0314;
    h.run_steps(2);

    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    assert!(matches!(
        h.state().dialog,
        Some(Dialog::Path {
            to: PathFor::Save,
            ..
        })
    ));
    // The field suggests a name from the title; select it all and type the path over it.
    let Some(Dialog::Path { text, .. }) = &h.state().dialog else {
        unreachable!()
    };
    // A scene without a file is saved to the user's folders, shown from the root: not a bare
    // name that lands in whatever directory the app was started from.
    let suggested = Path::new(text);
    assert!(suggested.is_absolute(), "{text}");
    assert_eq!(
        suggested.file_name().unwrap(),
        "four-optimizers-in-a-ravine.ron"
    );
    let folder = suggested.parent().unwrap();
    assert!(folder.is_dir(), "{text}");
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    assert!(
        folder.starts_with(&home),
        "{text} is not in the home folder {home:?}"
    );
    h.get_by_role(egui::accesskit::Role::TextInput).focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text(&path.display().to_string());
    h.run_steps(1);
    h.get_by_label("Save").click();
    h.run_steps(3);

    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
    // The toast says where, in full, and offers to open that folder.
    assert!(
        h.query_by_label_contains(&format!("Saved the scene to {}.", path.display()))
            .is_some()
    );
    assert!(h.query_by_label("Open folder").is_some());
    let saved = load_preset(&path).expect("the saved file loads");
    assert_eq!(saved.runs[1].settings.lr, 0.0314);
    assert_eq!(h.state().state.file.as_deref(), Some(path.as_path()));
    assert!(!h.state().state.is_dirty());
    assert_eq!(h.state().state.recent.first(), Some(&path));

    // A further change and Ctrl+S: written to the same file without asking.
    h.state_mut().state.scene.runs[1].settings.lr = 0.05;
    h.run_steps(2);
    assert!(h.state().state.is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3);
    assert!(h.state().dialog.is_none());
    assert_eq!(load_preset(&path).unwrap().runs[1].settings.lr, 0.05);
    assert!(!h.state().state.is_dirty());

    // Dropping the saved file onto a fresh window reproduces the scene.
    let mut other = harness();
    drop_file(&mut other, &path);
    assert_eq!(other.state().state.scene.runs, h.state().state.scene.runs);
    assert_eq!(other.state().state.scene.title, h.state().state.scene.title);
}

#[test]
fn every_built_in_reproduces_its_scene_after_save_and_open() {
    for b in BUILTIN_PRESETS {
        let preset = b.load().unwrap();
        let mut app = OptiscopeApp::new(AppState::default());
        app.open_preset(&preset, None);
        // The window's scene saves to text that opens as the same scene.
        let text = to_ron(&app.scene()).unwrap();
        let again = parse_preset(&text, b.file).unwrap();
        let mut reopened = OptiscopeApp::new(AppState::default());
        reopened.open_preset(&again, None);
        assert_eq!(reopened.state, app.state, "{}", b.file);
        assert_eq!(reopened.anim, app.anim, "{}", b.file);
        // And opening the preset yields its runs and settings.
        assert_eq!(app.state.scene.runs.len(), preset.runs.len());
        for (i, run) in app.state.scene.runs.iter().enumerate() {
            let spec = preset.run_settings(i).unwrap();
            assert_eq!(run.settings.lr, spec.lr);
            assert_eq!(run.settings.steps, spec.steps);
            assert_eq!(Some(app.state.run_start(i)), spec.start);
        }
    }
}

fn request_close(h: &mut Harness<'static, OptiscopeApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
}

fn sent(h: &Harness<'static, OptiscopeApp>, command: &egui::ViewportCommand) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(command))
}

#[test]
fn closing_the_window_with_unsaved_changes_asks_first() {
    // Nothing to lose: the close goes through.
    let mut h = harness();
    request_close(&mut h);
    assert!(!sent(&h, &egui::ViewportCommand::CancelClose));
    assert!(h.state().dialog.is_none());

    // Unsaved changes: the close is cancelled and the question shown.
    let mut h = harness();
    h.state_mut().state.scene.runs[0].settings.lr = 0.2;
    h.run_steps(2);
    request_close(&mut h);
    assert!(sent(&h, &egui::ViewportCommand::CancelClose));
    assert!(matches!(
        h.state().dialog,
        Some(Dialog::ConfirmDiscard {
            then: optiscope::app::FileCommand::Quit
        })
    ));
    h.run_steps(1);
    h.get_by_label("Discard changes").click();
    h.step();
    assert!(sent(&h, &egui::ViewportCommand::Close));
    // The next close request is let through.
    h.run_steps(1);
    request_close(&mut h);
    assert!(!sent(&h, &egui::ViewportCommand::CancelClose));
}

/// Lecture mode from the keyboard: F11 shows the scene's text as a banner and enlarges
/// everything, PageDown/PageUp step through the built-in scenes, C folds the controls away,
/// L switches to the light theme and ? shows the shortcuts.
#[test]
fn lecture_keys_present_step_through_scenes_and_show_help() {
    let mut h = harness();
    h.key_press(Key::F11);
    h.run_steps(3);
    assert!(h.state().state.presentation);
    // A 1280-pixel window: enlarged by the minimum 1.25 (1.6 on a 1920-pixel projector).
    assert_eq!(h.ctx.zoom_factor(), 1.25);
    assert_eq!(
        h.query_all_by_label_contains("Drag the learning-rate slider of the white run")
            .count(),
        1,
        "the teaching text is on the banner, not repeated in the panel"
    );

    // The first-launch scene is the first built-in: PageDown goes on to the second.
    assert_eq!(h.state().builtin_on_screen, Some(0));
    h.key_press(Key::PageDown);
    h.run_steps(3);
    assert_eq!(
        h.state().state.scene.title,
        "Gradient descent at its stability limit"
    );
    let slide = format!("2/{}", optiscope::BUILTIN_PRESETS.len());
    assert!(h.query_by_label_contains(&slide).is_some(), "slide number");
    h.key_press(Key::PageUp);
    h.run_steps(3);
    assert_eq!(
        h.state().state.scene.title,
        BUILTIN_PRESETS[0].load().unwrap().title
    );

    h.key_press(Key::C);
    h.run_steps(3);
    assert!(h.state().state.hide_controls);
    h.key_press(Key::L);
    h.run_steps(2);
    assert!(!h.ctx.global_style().visuals.dark_mode);
    h.key_press(Key::Questionmark);
    h.run_steps(2);
    assert!(h.query_by_label("Keyboard shortcuts").is_some());
    // The overlay lists every action of the command table with its keys.
    for def in optiscope::app::commands::ACTIONS
        .iter()
        .filter(|d| d.listed)
    {
        assert!(
            h.query_by_label(&def.help()).is_some(),
            "{} is missing",
            def.help()
        );
    }
    assert!(h.query_by_label("PageDown").is_some());

    h.key_press(Key::F11);
    h.run_steps(3);
    assert!(!h.state().state.presentation);
    assert_eq!(h.ctx.zoom_factor(), 1.0);
}

#[test]
fn save_in_the_unsaved_changes_question_saves_and_then_opens_what_was_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.ron");
    let mut h = harness();
    h.state_mut().state.scene.runs[0].settings.lr = 0.123;
    h.run_steps(2);
    open_builtin_through_the_menu(
        &mut h,
        "Saddles, minima and your own surface",
        "Escaping a saddle",
    );
    h.get_by_label("Save").click();
    h.run_steps(3);
    // A built-in has no file yet: the path field asks where; the scene waits for it.
    assert!(matches!(h.state().dialog, Some(Dialog::Path { .. })));
    common::type_path(&mut h, &path.display().to_string());
    let saved = load_preset(&path).expect("the edited scene was saved");
    assert_eq!(saved.runs[0].settings.lr, 0.123);
    assert_eq!(h.state().state.scene.title, "Escaping a saddle");
    assert!(h.state().dialog.is_none());

    // Cancelling the path field opens nothing, and a later save does not open it either.
    h.state_mut().state.scene.runs[0].settings.lr = 0.321;
    h.run_steps(2);
    open_builtin_through_the_menu(
        &mut h,
        "Saddles, minima and your own surface",
        "Himmelblau's four minima",
    );
    h.get_by_label("Save").click();
    h.run_steps(3);
    h.get_by_label("Cancel").click();
    h.run_steps(3);
    assert_eq!(h.state().state.scene.title, "Escaping a saddle");
    assert_eq!(h.state().state.scene.runs[0].settings.lr, 0.321);
}

#[test]
fn a_scene_from_a_file_has_no_slide_number_and_page_down_goes_past_its_built_in() {
    let mut h = harness();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("presets/stability-limit.ron");
    let preset = load_preset(&path).unwrap();
    let index = BUILTIN_PRESETS
        .iter()
        .position(|b| b.load().unwrap().title == preset.title)
        .expect("a built-in with that title");
    h.state_mut().open_preset(&preset, Some(path));
    h.key_press(Key::F11);
    h.run_steps(3);
    assert_eq!(h.state().builtin_on_screen, None);
    let n = BUILTIN_PRESETS.len();
    assert!(
        h.query_by_label_contains(&format!("/{n}")).is_none(),
        "a file's scene shows no slide number"
    );
    h.key_press(Key::PageDown);
    h.run_steps(3);
    let next = BUILTIN_PRESETS[(index + 1) % n].load().unwrap();
    assert_eq!(h.state().state.scene.title, next.title);
    assert!(
        h.query_by_label(&format!("{}/{n}", index + 2)).is_some(),
        "the built-in after it, numbered"
    );
}
