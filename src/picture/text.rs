//! The pictures' text, drawn by us with egui's own font: the same glyphs as the window, each
//! with its bearing and kerning, on the desktop and in the browser alike (plotters' own text
//! needs a system font library on the desktop and the page's DOM in the browser, and cannot
//! draw into a bitmap there). [`Glyphs`] wraps plotters' bitmap backend so the axes' labels
//! come through here too.

use ab_glyph::{Font, FontRef, GlyphId, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// egui's proportional font, parsed once.
fn font() -> Option<&'static FontRef<'static>> {
    static FONT: std::sync::OnceLock<Option<FontRef<'static>>> = std::sync::OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT).ok())
        .as_ref()
}

/// The CJK font (see [`crate::text::font`]), parsed once it is there.
fn cjk_font() -> Option<&'static FontRef<'static>> {
    static FONT: std::sync::OnceLock<Option<FontRef<'static>>> = std::sync::OnceLock::new();
    if let Some(f) = FONT.get() {
        return f.as_ref();
    }
    let bytes = crate::text::font::cjk()?;
    FONT.get_or_init(|| FontRef::try_from_slice(bytes).ok())
        .as_ref()
}

/// The symbol font (see [`crate::text::font`]), parsed once.
fn symbol_font() -> Option<&'static FontRef<'static>> {
    static FONT: std::sync::OnceLock<Option<FontRef<'static>>> = std::sync::OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(crate::text::font::symbols()).ok())
        .as_ref()
}

/// The font that draws `c` and its glyph there: egui's font where it has the character, then
/// the symbol font, then the CJK font (a character none has draws egui's missing-glyph box).
fn glyph_of(latin: &'static FontRef<'static>, c: char) -> (&'static FontRef<'static>, GlyphId) {
    let id = latin.glyph_id(c);
    if id.0 != 0 {
        return (latin, id);
    }
    for fallback in [symbol_font(), cjk_font()].into_iter().flatten() {
        let other = fallback.glyph_id(c);
        if other.0 != 0 {
            return (fallback, other);
        }
    }
    (latin, id)
}

/// `f` scaled so its em is as wide as egui's font's at `size`: the two fonts put their lines'
/// heights in different places, and ab_glyph scales by line height.
fn scaled_em<'a>(
    f: &'a FontRef<'static>,
    latin: &FontRef<'static>,
    size: f64,
) -> ab_glyph::PxScaleFont<&'a FontRef<'static>> {
    let em_of = |f: &FontRef| f.units_per_em().unwrap_or(1000.0) / f.height_unscaled();
    f.as_scaled(size as f32 * em_of(latin) / em_of(f))
}

/// Whether the pictures' fonts have a glyph for `c` (tests check every string we ship).
pub fn has_glyph(c: char) -> bool {
    c.is_control()
        || font().is_some_and(|latin| {
            let (f, id) = glyph_of(latin, c);
            id.0 != 0 && (c.is_whitespace() || f.outline(id).is_some())
        })
}

/// One glyph of a laid-out line: the font that draws it, scaled to the line's size, and where
/// its origin sits on the baseline.
struct Placed {
    font: &'static FontRef<'static>,
    scaled: ab_glyph::PxScaleFont<&'static FontRef<'static>>,
    id: GlyphId,
    x: f32,
}

/// Lays out `text` at `size` on one line from `x0`, with kerning between neighbours of the
/// same font; where the line ends. [`measure`] and [`rasterize`] share it, so a label is drawn
/// exactly as wide as it was measured.
fn layout(latin: &'static FontRef<'static>, text: &str, size: f64, x0: f32) -> (Vec<Placed>, f32) {
    let mut caret = x0;
    let mut previous: Option<(&FontRef, GlyphId)> = None;
    let glyphs = text
        .chars()
        .map(|c| {
            let (font, id) = glyph_of(latin, c);
            let scaled = scaled_em(font, latin, size);
            if let Some((pf, p)) = previous
                && std::ptr::eq(pf, font)
            {
                caret += scaled.kern(p, id);
            }
            previous = Some((font, id));
            let x = caret;
            caret += scaled.h_advance(id);
            Placed {
                font,
                scaled,
                id,
                x,
            }
        })
        .collect();
    (glyphs, caret)
}

/// Width and height in pixels of `text` at `size` (height: ascent to descent, of egui's font,
/// so a Chinese label lines up with a Latin one).
pub fn measure(text: &str, size: f64) -> (f32, f32) {
    let Some(font) = font() else {
        return (text.chars().count() as f32 * size as f32 / 2.0, size as f32);
    };
    let scaled = font.as_scaled(size as f32);
    (
        layout(font, text, size, 0.0).1,
        scaled.ascent() - scaled.descent(),
    )
}

/// Calls `pixel(x, y, coverage)` for every pixel of `text` at `size` whose top-left corner
/// (the top of the ascent) is at `origin` (fractional: glyphs keep their subpixel position).
pub fn rasterize(text: &str, size: f64, origin: [f32; 2], mut pixel: impl FnMut(i64, i64, f32)) {
    let Some(font) = font() else {
        return;
    };
    let baseline = origin[1] + font.as_scaled(size as f32).ascent();
    for g in layout(font, text, size, origin[0]).0 {
        let glyph =
            g.id.with_scale_and_position(g.scaled.scale(), point(g.x, baseline));
        let Some(outline) = g.font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            pixel(
                bounds.min.x as i64 + gx as i64,
                bounds.min.y as i64 + gy as i64,
                coverage.clamp(0.0, 1.0),
            )
        });
    }
}

/// A plotters backend that draws and measures text with [`rasterize`] and [`measure`] and
/// leaves everything else to the backend it wraps.
pub struct Glyphs<B>(pub B);

impl<B: DrawingBackend> DrawingBackend for Glyphs<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, (iw, ih), src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let (w, h) = measure(text, style.size());
        Ok((w.ceil() as u32, h.ceil() as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let (w, h) = measure(text, style.size());
        let (w, h) = (w.round() as i64, h.round() as i64);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0,
            HPos::Right => -w,
            HPos::Center => -w / 2,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0,
            VPos::Center => -h / 2,
            VPos::Bottom => -h,
        };
        let transform = style.transform();
        let (width, height) = self.get_size();
        let mut result = Ok(());
        rasterize(text, style.size(), [0.0, 0.0], |x, y, coverage| {
            if result.is_err() || coverage <= 0.0 {
                return;
            }
            let (x, y) = transform.transform((x + dx) as i32, (y + dy) as i32);
            let (x, y) = (pos.0 as i64 + x as i64, pos.1 as i64 + y as i64);
            if x >= 0 && y >= 0 && x < width as i64 && y < height as i64 {
                result = self.0.draw_pixel(
                    (x as i32, y as i32),
                    BackendColor {
                        alpha: color.alpha * coverage as f64,
                        rgb: color.rgb,
                    },
                );
            }
        });
        result
    }
}
