//! Helpers shared by the window tests: a small scene and user-like clicks.
#![allow(dead_code)] // each test crate uses its own subset

use egui::Vec2;
use egui_kittest::Harness;
use optiscope::RunSettings;
use optiscope::app::{AppState, OptiscopeApp, RunState};
use optiscope::core::spec::{Spec, Value};

/// One run of plain SGD at lr 0.1 on ½(x² + 10y²) from (1, 1), paused at step 0.
pub fn sgd_on_quadratic() -> OptiscopeApp {
    let mut state = AppState::default();
    state.scene.surface = Spec::named("quadratic").with("b", Value::Num(10.0));
    state.scene.start = [1.0, 1.0];
    let mut run = RunState::new(RunSettings {
        lr: 0.1,
        ..RunSettings::default()
    });
    run.color = Some([255, 255, 255]);
    state.scene.runs = vec![run];
    let mut app = OptiscopeApp::new(state);
    app.anim.playing = false;
    app
}

/// The first-launch scene, paused, with the path field instead of native file dialogs (as on a
/// desktop without a portal), in a 1280×800 window.
pub fn default_scene_without_dialogs() -> Harness<'static, OptiscopeApp> {
    let mut app = OptiscopeApp::new(AppState::default());
    app.native_dialogs = false;
    app.anim.playing = false;
    harness(app)
}

/// A 1280×800 window on `app`, a few frames in.
pub fn harness(app: OptiscopeApp) -> Harness<'static, OptiscopeApp> {
    let mut h = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut OptiscopeApp| app.ui(ui), app);
    h.run_steps(3);
    h
}

/// Press and release at `pos`, as a mouse does.
pub fn click(h: &mut Harness<'static, OptiscopeApp>, pos: egui::Pos2) {
    h.hover_at(pos);
    h.run_steps(1);
    h.drag_at(pos);
    h.run_steps(1);
    h.drop_at(pos);
    h.run_steps(2);
}

/// Drags with the mouse from `from` to `to` in eight moves, as a hand does.
pub fn drag(h: &mut Harness<'static, OptiscopeApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for k in 1..=8 {
        h.hover_at(from + (to - from) * (k as f32 / 8.0));
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(2);
}

/// Types `path` over the text of the window's path field (the file dialog of desktops without
/// a portal) and confirms with Enter.
pub fn type_path(h: &mut Harness<'static, OptiscopeApp>, path: &str) {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    h.get_by_role(Role::TextInput).focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role(Role::TextInput).type_text(path);
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
}

/// The texts the last frame put on the clipboard.
pub fn copied(h: &Harness<'static, OptiscopeApp>) -> Vec<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// Switches the plot under the LR plot to `view` the way a user does: open its menu (labelled
/// with the view it shows), pick the entry.
#[allow(dead_code)]
pub fn show_lower_plot(h: &mut Harness<'static, OptiscopeApp>, view: &str) {
    use egui_kittest::kittest::{Queryable, by};
    let now = optiscope::app::lower_plot_title(h.state().state.scene.plot);
    h.get(by().role(egui::accesskit::Role::ComboBox).value(&now))
        .click();
    h.run_steps(2);
    // The open menu lists every view; the entry is the last node with that label (the
    // menu's own button shows the current one).
    let entry = h
        .query_all_by_label(view)
        .last()
        .expect("a menu entry")
        .rect();
    click(h, entry.center());
    h.run_steps(2);
}

/// The default scene in a window of `size` pixels, paused, presenting or not, light or dark.
pub fn window(size: (f32, f32), presenting: bool, light: bool) -> Harness<'static, OptiscopeApp> {
    window_in(size, presenting, light, optiscope::text::Lang::En)
}

/// [`window`] with the interface in `lang`.
pub fn window_in(
    size: (f32, f32),
    presenting: bool,
    light: bool,
    lang: optiscope::text::Lang,
) -> Harness<'static, OptiscopeApp> {
    let state = AppState {
        presentation: presenting,
        light_theme: light,
        language: Some(lang),
        ..AppState::default()
    };
    let mut app = OptiscopeApp::new(state);
    app.anim.playing = false;
    sized(app, size)
}

/// A window of `size` pixels on `app` (presentation mode's zoom undone, as on a projector).
pub fn sized(app: OptiscopeApp, size: (f32, f32)) -> Harness<'static, OptiscopeApp> {
    let mut h = Harness::builder()
        .with_size(Vec2::new(size.0, size.1))
        .build_ui_state(|ui, app: &mut OptiscopeApp| app.ui(ui), app);
    h.run_steps(4);
    // Presentation mode zooms: keep the window's pixels at `size`, as a projector does.
    for _ in 0..3 {
        let zoom = h.ctx.zoom_factor();
        h.set_size(Vec2::new(size.0 / zoom, size.1 / zoom));
        h.run_steps(3);
    }
    h
}
