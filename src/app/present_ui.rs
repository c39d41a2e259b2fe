//! Lecture mode: full screen with large text and thick lines, a high-contrast light theme for
//! projectors, controls that fold away, the scene's title and teaching text as a banner,
//! PageUp/PageDown through the built-in presets like slides, and a shortcut overlay (`?`).

use crate::text::text;
use crate::{msg, tr};
use egui::{RichText, Ui, Visuals};

use super::commands::{ACTIONS, keys_text};

use super::state::AppState;
use super::theme::projector_visuals;
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
    /// Whether the symbol and the CJK font are among the context's fonts.
    symbol_font: bool,
    cjk_font: bool,
    presentation: Option<bool>,
    /// The window width in pixels the presentation zoom was computed for.
    width_px: f32,
}

/// Applies theme, zoom and full screen when the state asks for other ones than applied.
pub fn apply_display(ctx: &egui::Context, state: &AppState, applied: &mut Applied) {
    // The language of everything this frame draws, from the state like the theme.
    crate::text::set_current(state.lang());
    if !applied.symbol_font {
        add_fallback_font(ctx, "dejavu-sans-symbols", crate::text::font::symbols());
        applied.symbol_font = true;
    }
    if !applied.cjk_font {
        applied.cjk_font = add_cjk_font(ctx, state);
    }
    if applied.light != Some(state.light_theme) {
        ctx.set_visuals(if state.light_theme {
            projector_visuals()
        } else {
            Visuals::dark()
        });
        applied.light = Some(state.light_theme);
    }
    // The window's width in pixels, whatever the zoom it has now.
    let width_px = ctx.content_rect().width() * ctx.zoom_factor();
    let resized = (width_px - applied.width_px).abs() > 1.0;
    if state.presentation && resized && applied.presentation == Some(true) {
        // Full screen arrives a few frames after F11, and a window can be resized while
        // presenting: the zoom follows the width the window has now.
        ctx.set_zoom_factor(presentation_zoom(width_px));
    }
    applied.width_px = width_px;
    if applied.presentation != Some(state.presentation) {
        ctx.set_zoom_factor(if state.presentation {
            presentation_zoom(width_px)
        } else {
            1.0
        });
        // The first frame of a launch keeps the window as the user left it.
        if applied.presentation.is_some() {
            super::platform::set_fullscreen(ctx, state.presentation);
        }
        applied.presentation = Some(state.presentation);
    }
}

/// Adds the CJK font as every family's last fallback once it is there (the desktop always has
/// it; the browser asks for it when the interface or the scene's text is Chinese). Whether it
/// was added.
fn add_cjk_font(ctx: &egui::Context, state: &AppState) -> bool {
    // The texts on screen: a built-in's Chinese translation does not count in English.
    let lang = state.lang();
    let wanted = lang == crate::text::Lang::ZhCn
        || [state.scene.title_in(lang), state.scene.description_in(lang)]
            .into_iter()
            .any(crate::text::font::needs_cjk);
    let Some(bytes) = crate::text::font::cjk() else {
        if wanted {
            super::platform::fetch_cjk_font(ctx);
        }
        return false;
    };
    add_fallback_font(ctx, "noto-sans-cjk-sc", bytes);
    true
}

/// Adds `bytes` as the last fallback of the proportional and monospace families.
fn add_fallback_font(ctx: &egui::Context, name: &str, bytes: &'static [u8]) {
    ctx.add_font(egui::epaint::text::FontInsert::new(
        name,
        egui::FontData::from_static(bytes),
        vec![
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: egui::epaint::text::FontPriority::Lowest,
            },
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: egui::epaint::text::FontPriority::Lowest,
            },
        ],
    ));
}

/// The scene's title and teaching text across the top, for the room to read.
pub fn banner_ui(ui: &mut Ui, state: &AppState, slide: Option<usize>) {
    ui.horizontal(|ui| {
        if let Some(i) = slide {
            ui.label(RichText::new(format!("{}/{}", i + 1, BUILTIN_PRESETS.len())).weak());
        }
        ui.heading(RichText::new(state.scene.title_in(state.lang())).strong());
    });
    if !state.scene.description_in(state.lang()).is_empty() {
        ui.label(crate::scene::notes::resolve_colours(
            state.scene.description_in(state.lang()),
            ui.visuals().dark_mode,
        ));
    }
}

/// What the mouse does, listed under the keys in the `?` overlay: (gesture, what it does),
/// both message ids.
pub const MOUSE_HELP: &[(&str, &str)] = &[
    (
        msg!("present-wheel-on-surface"),
        msg!("present-wheel-on-surface-help"),
    ),
    (
        msg!("present-drag-on-surface"),
        msg!("present-drag-on-surface-help"),
    ),
    (
        msg!("present-click-on-surface"),
        msg!("present-click-on-surface-help"),
    ),
    (
        msg!("present-wheel-on-plot"),
        msg!("present-wheel-on-plot-help"),
    ),
    (
        msg!("present-double-click-plot"),
        msg!("present-double-click-plot-help"),
    ),
];

/// The shortcut overlay, generated from the command table.
pub fn help_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new(tr!("present-keyboard-shortcuts"))
        .open(open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for def in ACTIONS.iter().filter(|d| d.listed) {
                        ui.label(RichText::new(keys_text(ctx, def)).monospace().strong());
                        ui.label(def.help());
                        ui.end_row();
                    }
                    for (gesture, help) in MOUSE_HELP {
                        ui.label(RichText::new(text(gesture, None)).monospace().strong());
                        ui.label(text(help, None));
                        ui.end_row();
                    }
                });
        });
}
