//! The window's colors and line weights in one place, so panels never pick their own.

use egui::{Color32, Pos2, Stroke, Visuals};

use super::state::AppState;
use crate::picture::frame;
use crate::picture::overlay::{self, Glyph, LegendBox};

/// An RGB triple of the picture module as egui's colour.
pub const fn rgb([r, g, b]: [u8; 3]) -> Color32 {
    Color32::from_rgb(r, g, b)
}

/// Red for divergence, used in the run list, the status labels and the stability hint.
pub const DIVERGED_COLOR: Color32 = rgb(frame::DIVERGED_RGB);
/// The gradient-descent stability limit, on the slider and in the LR plot.
pub const LIMIT_COLOR: Color32 = Color32::from_rgb(255, 140, 60);
/// The momentum (heavy ball, Nesterov) stability limit.
pub const MOMENTUM_LIMIT_COLOR: Color32 = Color32::from_rgb(120, 200, 255);
/// Diverged cells of the sweep map: dark red, apart from the background and from low losses.
pub const DIVERGED_CELL: Color32 = Color32::from_rgb(110, 25, 25);

/// egui's light theme with black text and stronger strokes: projectors wash out grey on white.
pub fn projector_visuals() -> Visuals {
    let mut v = Visuals::light();
    v.override_text_color = Some(Color32::BLACK);
    v.widgets.noninteractive.fg_stroke.width = 1.5;
    v.widgets.inactive.fg_stroke.width = 1.5;
    v
}

/// WCAG 2's relative luminance of an sRGB colour (0 for black, 1 for white).
pub fn luminance(c: Color32) -> f32 {
    crate::picture::colormap::luminance([c.r(), c.g(), c.b()]) as f32
}

/// WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white); text
/// needs 4.5 to be read.
pub fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The contrast text must reach on every background of the window (WCAG 2, level AA).
pub const TEXT_CONTRAST: f32 = 4.5;

/// The window's backgrounds that coloured text and lines sit on: panels, windows and menus,
/// and the plots' and text fields' extreme background.
pub fn backgrounds(visuals: &Visuals) -> [Color32; 3] {
    [
        visuals.panel_fill,
        visuals.window_fill,
        visuals.extreme_bg_color,
    ]
}

/// `color` as text or a line on the window's backgrounds: itself where it reaches
/// [`TEXT_CONTRAST`] on all of them, otherwise the same hue darkened (light theme) or
/// lightened (dark theme) just enough, so orange stays orange and yellow reads on white.
pub fn readable(visuals: &Visuals, color: Color32) -> Color32 {
    let worst = |c: Color32| {
        backgrounds(visuals)
            .iter()
            .map(|b| contrast(c, *b))
            .fold(f32::INFINITY, f32::min)
    };
    if worst(color) >= TEXT_CONTRAST {
        return color;
    }
    // Mix towards black (light theme) or white (dark theme) in linear light, by bisection on
    // the mix: contrast grows with it, and the end (black or white) passes on either theme.
    let end = if visuals.dark_mode {
        Color32::WHITE
    } else {
        Color32::BLACK
    };
    let mix = |t: f32| {
        let c = egui::Rgba::from(color) * (1.0 - t) + egui::Rgba::from(end) * t;
        Color32::from(c)
    };
    let (mut lo, mut hi) = (0.0f32, 1.0f32);
    for _ in 0..20 {
        let mid = 0.5 * (lo + hi);
        if worst(mix(mid)) >= TEXT_CONTRAST {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    mix(hi)
}

/// A run's colour for drawing on the window's background (its name, swatch, plot lines): white
/// runs turn black on the light theme, other colours are made [`readable`]. On the heatmap,
/// which stays dark, runs keep their own colour.
pub fn on_background(visuals: &Visuals, rgb: [u8; 3]) -> Color32 {
    if crate::scene::notes::turns_black_on_light(rgb) && !visuals.dark_mode {
        Color32::BLACK
    } else {
        readable(visuals, Color32::from_rgb(rgb[0], rgb[1], rgb[2]))
    }
}

/// Paths are drawn thicker in presentation mode, to be seen from the back of a room.
/// The Hessian's flat and steep eigen-directions on the surface: colours outside the run
/// palette.
pub const CURVATURE_FLAT: Color32 = Color32::from_rgb(0, 230, 230);
pub const CURVATURE_STEEP: Color32 = Color32::from_rgb(255, 60, 255);

pub fn line_scale(state: &AppState) -> f32 {
    if state.presentation { 1.6 } else { 1.0 }
}

/// The heatmap color at position t (see [`crate::picture::colormap::colormap_rgb`]).
pub fn colormap(t: f64) -> Color32 {
    let [r, g, b] = crate::picture::colormap::colormap_rgb(t);
    Color32::from_rgb(r, g, b)
}

/// A legend glyph of half-size `r` pixels at `center` (see [`overlay::glyph_strokes`]).
pub fn paint_glyph(
    painter: &egui::Painter,
    glyph: Glyph,
    center: [f32; 2],
    r: f32,
    color: Color32,
) {
    let (strokes, filled) = overlay::glyph_strokes(glyph);
    let at = |p: &[f32; 2]| Pos2::new(center[0] + p[0] * r, center[1] + p[1] * r);
    for (k, line) in strokes.iter().enumerate() {
        let points: Vec<Pos2> = line.iter().map(at).collect();
        if filled && k == 0 {
            painter.add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
        } else {
            painter.add(egui::Shape::line(points, Stroke::new(2.0, color)));
        }
    }
    if glyph == Glyph::Run {
        painter.circle_filled(Pos2::new(center[0], center[1]), 3.5, color);
    }
}

/// A laid-out legend on its dark backing: glyphs and text, as over the surface.
pub fn paint_legend(painter: &egui::Painter, legend: &LegendBox, font: &egui::FontId) {
    let r = |p: [f32; 2]| egui::Pos2::new(p[0], p[1]);
    let [br, bg, bb, ba] = overlay::BACKING_RGBA;
    painter.rect_filled(
        egui::Rect::from_min_max(r(legend.rect.min), r(legend.rect.max)),
        4.0,
        Color32::from_rgba_unmultiplied(br, bg, bb, ba),
    );
    let text_color = rgb(overlay::LABEL_TEXT_RGB);
    for row in &legend.rows {
        if row.glyph_center[0].is_finite() {
            paint_glyph(painter, row.glyph, row.glyph_center, 6.0, rgb(row.rgb));
        }
        for (line, at) in &row.lines {
            painter.text(
                r(*at),
                egui::Align2::LEFT_TOP,
                line,
                font.clone(),
                text_color,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curvature_directions_are_no_run_colour() {
        for c in [CURVATURE_FLAT, CURVATURE_STEEP] {
            assert!(
                !crate::scene::preset::PALETTE.iter().any(|p| rgb(*p) == c),
                "{c:?}"
            );
        }
    }
}
