//! Lecture mode: full screen with large text and thick lines, a high-contrast light theme for
//! projectors, controls that fold away, the scene's title and teaching text as a banner,
//! PageUp/PageDown through the built-in presets like slides, and a shortcut overlay (`?`).

use egui::{Key, RichText, Ui, Visuals};

use super::state::AppState;
use crate::scene::preset::BUILTIN_PRESETS;

/// How much larger everything is drawn in presentation mode: readable from the back of a room,
/// while the window keeps about 1200 points across for the surface, controls and plots (1.6 on
/// a 1920-pixel projector, never less than 1.25).
pub fn presentation_zoom(window_width_px: f32) -> f32 {
    if window_width_px.is_finite() && window_width_px > 0.0 {
        (window_width_px / 1200.0).clamp(1.25, 2.0)
    } else {
        1.25
    }
}

/// Display settings last applied to the context, so they are only re-applied on a change.
#[derive(Default)]
pub struct Applied {
    light: Option<bool>,
    presentation: Option<bool>,
}

/// Applies theme, zoom and full screen when the state asks for other ones than applied.
pub fn apply_display(ctx: &egui::Context, state: &AppState, applied: &mut Applied) {
    if applied.light != Some(state.light_theme) {
        ctx.set_visuals(if state.light_theme {
            projector_visuals()
        } else {
            Visuals::dark()
        });
        applied.light = Some(state.light_theme);
    }
    if applied.presentation != Some(state.presentation) {
        // The window's width in pixels, whatever the zoom it has now.
        let width_px = ctx.content_rect().width() * ctx.zoom_factor();
        ctx.set_zoom_factor(if state.presentation {
            presentation_zoom(width_px)
        } else {
            1.0
        });
        // The first frame of a launch keeps the window as the user left it.
        if applied.presentation.is_some() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(state.presentation));
        }
        applied.presentation = Some(state.presentation);
    }
}

/// egui's light theme with black text and stronger strokes: projectors wash out grey on white.
fn projector_visuals() -> Visuals {
    let mut v = Visuals::light();
    v.override_text_color = Some(egui::Color32::BLACK);
    v.widgets.noninteractive.fg_stroke.width = 1.5;
    v.widgets.inactive.fg_stroke.width = 1.5;
    v
}

/// A run's color for drawing on the window's background: white runs turn black on the
/// light theme (on the heatmap, which stays dark, they keep their own color).
pub fn on_background(visuals: &Visuals, rgb: [u8; 3]) -> egui::Color32 {
    let luminance = 0.2126 * rgb[0] as f32 + 0.7152 * rgb[1] as f32 + 0.0722 * rgb[2] as f32;
    if !visuals.dark_mode && luminance > 200.0 {
        egui::Color32::BLACK
    } else {
        egui::Color32::from_rgb(rgb[0], rgb[1], rgb[2])
    }
}

/// What the lecture keys asked for this frame.
#[derive(Debug, Default, PartialEq)]
pub struct LectureKeys {
    /// Open this built-in preset (PageUp/PageDown).
    pub open_builtin: Option<usize>,
}

/// F11, `?`, C, L and PageUp/PageDown. `current` is the built-in preset on screen, if any.
pub fn lecture_keys(
    ctx: &egui::Context,
    state: &mut AppState,
    help: &mut bool,
    current: Option<usize>,
) -> LectureKeys {
    let mut keys = LectureKeys::default();
    let n = BUILTIN_PRESETS.len();
    ctx.input(|i| {
        if i.key_pressed(Key::F11) {
            state.presentation = !state.presentation;
        }
        if i.key_pressed(Key::Questionmark) {
            *help = !*help;
        }
        if i.key_pressed(Key::Escape) && *help {
            *help = false;
        }
        if i.key_pressed(Key::C) {
            state.hide_controls = !state.hide_controls;
        }
        if i.key_pressed(Key::L) {
            state.light_theme = !state.light_theme;
        }
        if i.key_pressed(Key::PageDown) {
            keys.open_builtin = Some(current.map_or(0, |c| (c + 1) % n));
        }
        if i.key_pressed(Key::PageUp) {
            keys.open_builtin = Some(current.map_or(n - 1, |c| (c + n - 1) % n));
        }
    });
    keys
}

/// The scene's title and teaching text across the top, for the room to read.
pub fn banner_ui(ui: &mut Ui, state: &AppState, slide: Option<usize>) {
    ui.horizontal(|ui| {
        if let Some(i) = slide {
            ui.label(RichText::new(format!("{}/{}", i + 1, BUILTIN_PRESETS.len())).weak());
        }
        ui.heading(RichText::new(&state.scene.title).strong());
    });
    if !state.scene.description.is_empty() {
        ui.label(&state.scene.description);
    }
}

/// The shortcut overlay.
pub fn help_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in [
                        ("Space", "play / pause"),
                        ("→  /  ←", "one step forward / back"),
                        ("Home  /  End", "first / last step"),
                        ("R", "reset the view"),
                        ("F11", "presentation mode (full screen, large)"),
                        ("PageDown  /  PageUp", "next / previous built-in scene"),
                        ("C", "show / hide the controls"),
                        ("L", "light / dark theme"),
                        ("?", "this help"),
                        ("Ctrl+O  /  Ctrl+S", "open / save a preset"),
                        ("Ctrl+Shift+S  /  Ctrl+N", "save as / new scene"),
                    ] {
                        ui.label(RichText::new(keys).monospace().strong());
                        ui.label(what);
                        ui.end_row();
                    }
                });
        });
}
