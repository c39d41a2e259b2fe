//! Text painted onto a rendered buffer glyph by glyph, in the window's font.

use super::*;

/// A line of text to put on a picture: its top-left corner in pixels, size and colour.
pub(super) struct TextRun {
    pub(super) text: String,
    pub(super) at: [f32; 2],
    pub(super) size: f64,
    pub(super) rgb: [u8; 3],
}

/// Draws `runs` into an RGB buffer `width` pixels wide with ab_glyph: kerning, fractional
/// advances and each glyph's own bearing, at the size plotters measured the text with.
pub(super) fn paint_text(buf: &mut [u8], width: usize, runs: &[TextRun]) {
    let height = buf.len() / (3 * width.max(1));
    for run in runs {
        text::rasterize(&run.text, run.size, run.at, |x, y, a| {
            if x < 0 || y < 0 || x as usize >= width || y as usize >= height {
                return;
            }
            let i = (y as usize * width + x as usize) * 3;
            for k in 0..3 {
                let under = buf[i + k] as f32;
                buf[i + k] = (under + (run.rgb[k] as f32 - under) * a).round() as u8;
            }
        });
    }
}

pub(super) fn text_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&color)
}
