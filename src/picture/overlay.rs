//! What lies over the surface plot, laid out in pixels: the legend box and the runs' status
//! labels. The window and `optiscope render` measure text with their own fonts and pass the
//! measure in; where things go, how text wraps and what avoids what is decided here once, so a
//! picture's legend is the window's legend.
//!
//! The rules: everything stays inside the plot; the legend wraps its lines to at most
//! [`LEGEND_MAX_SHARE`] of the plot's width, takes the corner that the paths and the start
//! handle leave freest, and drops entries (saying how many) rather than overflow; status labels
//! get a backing box, stay clear of the legend and of each other.

use crate::core::optimizer::geometry::Shape as GlyphShape;
use crate::picture::frame::{Shape, SurfacePicture};

/// A rectangle in pixels, y growing downwards.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PxRect {
    pub min: [f32; 2],
    pub max: [f32; 2],
}

impl PxRect {
    pub fn new(min: [f32; 2], max: [f32; 2]) -> Self {
        Self { min, max }
    }

    /// The square of half-side `r` centred on `c`.
    pub fn around(c: [f32; 2], r: f32) -> Self {
        Self::new([c[0] - r, c[1] - r], [c[0] + r, c[1] + r])
    }

    /// The rectangle of `size` with its top-left corner at `at`.
    pub fn at(at: [f32; 2], size: [f32; 2]) -> Self {
        Self::new(at, [at[0] + size[0], at[1] + size[1]])
    }

    pub fn width(&self) -> f32 {
        self.max[0] - self.min[0]
    }

    pub fn height(&self) -> f32 {
        self.max[1] - self.min[1]
    }

    pub fn contains(&self, p: [f32; 2]) -> bool {
        p[0] >= self.min[0] && p[0] <= self.max[0] && p[1] >= self.min[1] && p[1] <= self.max[1]
    }

    /// Whether `other` lies wholly inside (edges included, with a half-pixel of slack).
    pub fn contains_rect(&self, other: &PxRect) -> bool {
        other.min[0] >= self.min[0] - 0.5
            && other.min[1] >= self.min[1] - 0.5
            && other.max[0] <= self.max[0] + 0.5
            && other.max[1] <= self.max[1] + 0.5
    }

    /// The area both cover (0 when they do not overlap).
    pub fn overlap(&self, other: &PxRect) -> f32 {
        let w = self.max[0].min(other.max[0]) - self.min[0].max(other.min[0]);
        let h = self.max[1].min(other.max[1]) - self.min[1].max(other.min[1]);
        if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
    }

    /// Moved by the least amount that brings it inside `outer` (its top-left wins when it is
    /// larger than `outer`).
    fn clamped_into(self, outer: &PxRect) -> Self {
        let dx = (outer.max[0] - self.max[0]).min(0.0);
        let dy = (outer.max[1] - self.max[1]).min(0.0);
        let x = (self.min[0] + dx).max(outer.min[0]);
        let y = (self.min[1] + dy).max(outer.min[1]);
        Self::at([x, y], [self.width(), self.height()])
    }

    fn shrunk(&self, by: f32) -> Self {
        Self::new(
            [self.min[0] + by, self.min[1] + by],
            [self.max[0] - by, self.max[1] - by],
        )
    }
}

/// How text is measured and spaced by the drawer at hand.
pub struct Metrics<'a> {
    /// Height of one line of text, spacing included.
    pub line_height: f32,
    /// Space between a box's edge and its content.
    pub pad: f32,
    /// Width of the glyph column in the legend.
    pub glyph: f32,
    /// The width of a text in pixels.
    pub measure: &'a dyn Fn(&str) -> f32,
}

/// The small picture in front of a legend entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glyph {
    /// A run: a short line in its colour with a dot.
    Run,
    /// A kind of stationary point, the shape drawn on the plot.
    Marker(Shape),
    /// The start handle: an open square.
    Start,
    /// A predicted region: a dashed line.
    Region,
    /// An arrow of the update at the cursor.
    Arrow,
    /// A box of the update (per-coordinate scaling, Lion's sign step).
    Box,
    /// A point of the update (the model's centre).
    Dot,
}

/// One line of the legend before layout.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub glyph: Glyph,
    pub rgb: [u8; 3],
    pub text: String,
}

/// What the legend lists for a picture: each run, each kind of stationary point shown, and the
/// start handle when the drawer shows one.
pub fn legend_entries(picture: &SurfacePicture, start: Option<[u8; 3]>) -> Vec<LegendEntry> {
    let mut entries: Vec<LegendEntry> = picture
        .runs
        .iter()
        .map(|r| LegendEntry {
            glyph: Glyph::Run,
            rgb: r.rgb,
            text: r.label.clone(),
        })
        .collect();
    for r in &picture.runs {
        if let Some(u) = &r.update {
            let mut seen = Vec::new();
            for g in &u.glyphs {
                if seen.contains(&g.kind) {
                    continue;
                }
                seen.push(g.kind);
                entries.push(LegendEntry {
                    glyph: match g.shape {
                        GlyphShape::Arrow { .. } => Glyph::Arrow,
                        GlyphShape::Box { .. } => Glyph::Box,
                        GlyphShape::Curve(_) => Glyph::Region,
                        GlyphShape::Dot(_) => Glyph::Dot,
                    },
                    rgb: g.kind.rgb(),
                    text: g.label.clone(),
                });
            }
        }
        if let Some(region) = &r.region {
            entries.push(LegendEntry {
                glyph: Glyph::Region,
                rgb: r.rgb,
                text: region.label.clone(),
            });
        }
    }
    for kind in crate::picture::frame::MARKER_KINDS {
        if picture.markers.iter().any(|(_, k)| *k == kind) {
            let (name, shape) = crate::picture::frame::marker(kind);
            entries.push(LegendEntry {
                glyph: Glyph::Marker(shape),
                rgb: crate::picture::frame::MARKER_RGB,
                text: name.to_owned(),
            });
        }
    }
    if let Some(rgb) = start {
        entries.push(LegendEntry {
            glyph: Glyph::Start,
            rgb,
            text: crate::tr!("picture-start"),
        });
    }
    entries
}

/// A legend entry placed: its glyph's centre and its text lines' top-left corners.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendRow {
    pub glyph: Glyph,
    pub rgb: [u8; 3],
    pub glyph_center: [f32; 2],
    pub lines: Vec<(String, [f32; 2])>,
}

/// The legend laid out: its box and rows.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendBox {
    pub rect: PxRect,
    pub rows: Vec<LegendRow>,
}

/// The largest share of the plot's width the legend may take.
pub const LEGEND_MAX_SHARE: f32 = 0.45;

/// Splits `text` into lines no wider than `max` pixels, at spaces where it can and inside a
/// word only when the word alone is too wide.
pub fn wrap(text: &str, max: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if measure(&candidate) <= max || line.is_empty() && measure(word) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if measure(word) <= max {
            line = word.to_owned();
            continue;
        }
        // A word wider than the line (a spec like `cyclic(base_lr=0.01,max_lr=0.3)`): break it
        // after its commas and parentheses, and between characters only where a piece alone
        // is still too wide, so numbers are not cut in two.
        for piece in word.split_inclusive([',', '(']) {
            let joined = format!("{line}{piece}");
            if line.is_empty() || measure(&joined) <= max {
                if measure(&joined) <= max {
                    line = joined;
                    continue;
                }
            } else {
                lines.push(std::mem::take(&mut line));
                if measure(piece) <= max {
                    line = piece.to_owned();
                    continue;
                }
            }
            for c in piece.chars() {
                let mut next = line.clone();
                next.push(c);
                if measure(&next) > max && !line.is_empty() {
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                } else {
                    line = next;
                }
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Lays out the legend inside `plot`: lines wrapped to [`LEGEND_MAX_SHARE`] of its width, in
/// the corner with the fewest `avoid` points (the paths, in pixels) under it, never over
/// `keep_clear` (the start handle) when another corner is free of it. Entries that do not fit
/// the plot's height are left out and a last row says how many. `None` when there is nothing to
/// list or no room at all.
pub fn layout_legend(
    entries: &[LegendEntry],
    plot: PxRect,
    m: &Metrics<'_>,
    avoid: &[[f32; 2]],
    keep_clear: &[PxRect],
) -> Option<LegendBox> {
    if entries.is_empty() {
        return None;
    }
    let inner = plot.shrunk(m.pad);
    let max_text = (plot.width() * LEGEND_MAX_SHARE - 3.0 * m.pad - m.glyph).max(m.glyph * 2.0);
    let mut wrapped: Vec<(usize, Vec<String>)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i, wrap(&e.text, max_text, m.measure)))
        .collect();
    let height_of = |rows: &[(usize, Vec<String>)], more: bool| {
        let lines: usize = rows.iter().map(|(_, l)| l.len()).sum::<usize>() + usize::from(more);
        lines as f32 * m.line_height + 2.0 * m.pad
    };
    let mut dropped = 0;
    while !wrapped.is_empty() && height_of(&wrapped, dropped > 0) > inner.height() {
        wrapped.pop();
        dropped += 1;
    }
    if wrapped.is_empty() {
        return None;
    }
    let more = (dropped > 0).then(|| crate::tr!("picture-more", n = dropped));
    let text_w = wrapped
        .iter()
        .flat_map(|(_, l)| l.iter())
        .chain(more.iter())
        .map(|l| (m.measure)(l))
        .fold(0.0f32, f32::max);
    let size = [
        (text_w + m.glyph + 3.0 * m.pad).min(inner.width()),
        height_of(&wrapped, dropped > 0),
    ];
    let corners = [
        [inner.min[0], inner.min[1]],
        [inner.max[0] - size[0], inner.min[1]],
        [inner.min[0], inner.max[1] - size[1]],
        [inner.max[0] - size[0], inner.max[1] - size[1]],
    ];
    let rect = corners
        .iter()
        .map(|&c| PxRect::at(c, size))
        .min_by_key(|r| {
            let blocked = keep_clear.iter().filter(|k| r.overlap(k) > 0.0).count();
            let covered = avoid.iter().filter(|p| r.contains(**p)).count();
            (blocked, covered)
        })
        .unwrap_or(PxRect::at(corners[0], size));
    let mut y = rect.min[1] + m.pad;
    let text_x = rect.min[0] + 2.0 * m.pad + m.glyph;
    let mut rows = Vec::new();
    for (i, lines) in wrapped {
        let e = &entries[i];
        rows.push(LegendRow {
            glyph: e.glyph,
            rgb: e.rgb,
            glyph_center: [rect.min[0] + m.pad + m.glyph / 2.0, y + m.line_height / 2.0],
            lines: lines
                .into_iter()
                .enumerate()
                .map(|(k, l)| (l, [text_x, y + k as f32 * m.line_height]))
                .collect(),
        });
        y += rows.last().map_or(0, |r: &LegendRow| r.lines.len()) as f32 * m.line_height;
    }
    if let Some(more) = more {
        rows.push(LegendRow {
            glyph: Glyph::Run,
            rgb: [0, 0, 0],
            glyph_center: [f32::NAN; 2],
            lines: vec![(more, [text_x, y])],
        });
    }
    Some(LegendBox { rect, rows })
}

/// A status label placed: its backing box and its lines' top-left corners.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    pub rect: PxRect,
    pub lines: Vec<(String, [f32; 2])>,
    pub rgb: [u8; 3],
    pub bad: bool,
}

/// A status label to place: the run's last point in pixels, its text and look.
pub struct LabelRequest<'a> {
    pub anchor: [f32; 2],
    pub text: &'a str,
    pub rgb: [u8; 3],
    pub bad: bool,
}

/// The status labels a picture asks for, each anchored at its point mapped to pixels by
/// `px` (the drawer's own mapping).
pub fn label_requests(
    picture: &SurfacePicture,
    px: impl Fn(crate::core::math::Point) -> [f32; 2],
) -> Vec<LabelRequest<'_>> {
    picture
        .runs
        .iter()
        .filter_map(|mark| {
            let label = mark.status.as_ref()?;
            Some(LabelRequest {
                anchor: px(label.at),
                text: &label.text,
                rgb: mark.rgb,
                bad: label.bad,
            })
        })
        .collect()
}

/// Squares of half-side `r` around the picture's stationary points, mapped to pixels by `px`:
/// what the legend keeps clear of so the markers stay visible.
pub fn marker_clearance(
    picture: &SurfacePicture,
    px: impl Fn(crate::core::math::Point) -> [f32; 2],
    r: f32,
) -> Vec<PxRect> {
    picture
        .markers
        .iter()
        .map(|(p, _)| PxRect::around(px(*p), r))
        .collect()
}

/// Places each status label next to its point, inside `plot`, clear of `occupied` (the legend)
/// and of the labels placed before it: the first of several spots around the point (then
/// further up and down) that overlaps nothing, or the one that overlaps least.
pub fn layout_status_labels(
    labels: &[LabelRequest<'_>],
    plot: PxRect,
    m: &Metrics<'_>,
    occupied: &[PxRect],
) -> Vec<PlacedLabel> {
    let inner = plot.shrunk(2.0);
    let gap = m.pad + 4.0;
    let mut taken: Vec<PxRect> = occupied.to_vec();
    let mut placed = Vec::new();
    for label in labels {
        if !(label.anchor[0].is_finite() && label.anchor[1].is_finite()) {
            continue;
        }
        let lines = wrap(label.text, inner.width() - 2.0 * m.pad, m.measure);
        let text_w = lines.iter().map(|l| (m.measure)(l)).fold(0.0f32, f32::max);
        let size = [
            text_w + 2.0 * m.pad,
            lines.len() as f32 * m.line_height + m.pad,
        ];
        let [ax, ay] = label.anchor;
        let spots = [
            [ax + gap, ay - gap - size[1]],
            [ax - gap - size[0], ay - gap - size[1]],
            [ax + gap, ay + gap],
            [ax - gap - size[0], ay + gap],
        ];
        let mut candidates: Vec<PxRect> = spots
            .iter()
            .map(|&s| PxRect::at(s, size).clamped_into(&inner))
            .collect();
        for k in 1..=8 {
            for &s in &spots[..2] {
                for dir in [-1.0, 1.0] {
                    let y = s[1] + dir * k as f32 * (size[1] + 2.0);
                    candidates.push(PxRect::at([s[0], y], size).clamped_into(&inner));
                }
            }
        }
        let cost = |r: &PxRect| taken.iter().map(|t| r.overlap(t)).sum::<f32>();
        let rect = candidates
            .iter()
            .find(|r| cost(r) == 0.0)
            .copied()
            .or_else(|| {
                candidates
                    .iter()
                    .copied()
                    .min_by(|a, b| cost(a).total_cmp(&cost(b)))
            })
            .unwrap_or(PxRect::at(spots[0], size));
        taken.push(rect);
        placed.push(PlacedLabel {
            rect,
            lines: lines
                .into_iter()
                .enumerate()
                .map(|(k, l)| {
                    (
                        l,
                        [
                            rect.min[0] + m.pad,
                            rect.min[1] + m.pad / 2.0 + k as f32 * m.line_height,
                        ],
                    )
                })
                .collect(),
            rgb: label.rgb,
            bad: label.bad,
        });
    }
    placed
}

/// A glyph as strokes on a unit square centred on 0 (y down): polylines, and whether the first
/// one is a filled polygon. Both drawers scale it to their glyph size.
pub fn glyph_strokes(glyph: Glyph) -> (&'static [&'static [[f32; 2]]], bool) {
    const RUN: &[&[[f32; 2]]] = &[&[[-1.0, 0.0], [1.0, 0.0]]];
    const ARROW: &[&[[f32; 2]]] = &[
        &[[-1.0, 0.0], [1.0, 0.0]],
        &[[0.4, -0.5], [1.0, 0.0], [0.4, 0.5]],
    ];
    const DASH: &[&[[f32; 2]]] = &[&[[-1.0, 0.0], [-0.25, 0.0]], &[[0.25, 0.0], [1.0, 0.0]]];
    const ASTERISK: &[&[[f32; 2]]] = &[
        &[[-1.0, 0.0], [1.0, 0.0]],
        &[[0.0, -1.0], [0.0, 1.0]],
        &[[-0.7, -0.7], [0.7, 0.7]],
        &[[-0.7, 0.7], [0.7, -0.7]],
    ];
    const CROSS: &[&[[f32; 2]]] = &[&[[-0.8, -0.8], [0.8, 0.8]], &[[-0.8, 0.8], [0.8, -0.8]]];
    const DIAMOND: &[&[[f32; 2]]] = &[&[[-1.0, 0.0], [0.0, -1.0], [1.0, 0.0], [0.0, 1.0]]];
    const DOT: &[&[[f32; 2]]] = &[&[[-0.4, 0.0], [0.0, -0.4], [0.4, 0.0], [0.0, 0.4]]];
    const SQUARE: &[&[[f32; 2]]] = &[&[
        [-0.7, -0.7],
        [0.7, -0.7],
        [0.7, 0.7],
        [-0.7, 0.7],
        [-0.7, -0.7],
    ]];
    match glyph {
        Glyph::Run => (RUN, false),
        Glyph::Marker(Shape::Asterisk) => (ASTERISK, false),
        Glyph::Marker(Shape::Cross) => (CROSS, false),
        Glyph::Marker(Shape::Diamond) => (DIAMOND, true),
        Glyph::Start => (SQUARE, false),
        Glyph::Region => (DASH, false),
        Glyph::Arrow => (ARROW, false),
        Glyph::Box => (SQUARE, false),
        Glyph::Dot => (DOT, true),
    }
}

/// The backing of legend and labels: dark in both themes, as it lies over the heatmap, so run
/// colours (white included) read on it.
pub const BACKING_RGBA: [u8; 4] = [16, 16, 20, 210];
/// The legend's text colour on that backing.
pub const LABEL_TEXT_RGB: [u8; 3] = [235, 235, 235];

/// The minimum distance on screen, along x and y, between two contour labels: closer ones
/// would stack into an unreadable column on a narrow bowl.
pub const CONTOUR_LABEL_GAP: [f32; 2] = [48.0, 22.0];

/// How far around a kept-clear rectangle (the legend) no contour label is centred: half a
/// label's width and height.
pub const CONTOUR_LABEL_CLEARANCE: [f32; 2] = [28.0, 12.0];

/// The contour labels to draw, as indices into `spots` (each label's centre in pixels, one
/// per level, in level order): none near one already kept or within
/// [`CONTOUR_LABEL_CLEARANCE`] of a rectangle in `keep_clear`. The window and the exported
/// picture place their labels with it, so a saved picture labels the lines the window does.
pub fn place_contour_labels(spots: &[[f32; 2]], keep_clear: &[PxRect]) -> Vec<usize> {
    let [cx, cy] = CONTOUR_LABEL_CLEARANCE;
    let [gx, gy] = CONTOUR_LABEL_GAP;
    let mut kept: Vec<usize> = Vec::new();
    for (i, p) in spots.iter().enumerate() {
        let covered = keep_clear.iter().any(|r| {
            PxRect::new(
                [r.min[0] - cx, r.min[1] - cy],
                [r.max[0] + cx, r.max[1] + cy],
            )
            .contains(*p)
        });
        let crowded = kept.iter().any(|&k| {
            let q = spots[k];
            (q[0] - p[0]).abs() < gx && (q[1] - p[1]).abs() < gy
        });
        if !covered && !crowded {
            kept.push(i);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 7 px per character, like a 13 px proportional font on average.
    fn measure(s: &str) -> f32 {
        s.chars().count() as f32 * 7.0
    }

    fn metrics(measure: &dyn Fn(&str) -> f32) -> Metrics<'_> {
        Metrics {
            line_height: 16.0,
            pad: 6.0,
            glyph: 18.0,
            measure,
        }
    }

    fn entry(text: &str) -> LegendEntry {
        LegendEntry {
            glyph: Glyph::Run,
            rgb: [255; 3],
            text: text.to_owned(),
        }
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_words_only_when_needed() {
        assert_eq!(wrap("a bb ccc", 35.0, &measure), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 35.0, &measure), ["abcde", "fghij"]);
        // A spec breaks after its commas and parentheses, never inside a number.
        assert_eq!(
            wrap("cyclic(base_lr=0.01,max_lr=0.3)", 105.0, &measure),
            ["cyclic(", "base_lr=0.01,", "max_lr=0.3)"]
        );
        assert_eq!(wrap("", 35.0, &measure), [""]);
        for line in wrap(
            "sgd lr=0.01 warmup=linear(steps=50,start_factor=0.001)",
            100.0,
            &measure,
        ) {
            assert!(measure(&line) <= 100.0, "{line}");
        }
    }

    #[test]
    fn a_long_legend_wraps_and_stays_inside_the_plot() {
        let plot = PxRect::new([100.0, 50.0], [500.0, 450.0]);
        let entries = vec![
            entry(
                "sgd lr=0.01 warmup=linear(steps=50,start_factor=0.001) schedule=cosine(T_max=300)",
            ),
            entry("adam lr=0.1"),
        ];
        let m = metrics(&measure);
        let legend = layout_legend(&entries, plot, &m, &[], &[]).expect("room");
        assert!(plot.contains_rect(&legend.rect));
        assert!(legend.rect.width() <= plot.width() * LEGEND_MAX_SHARE + 0.5);
        assert!(legend.rows[0].lines.len() > 1, "the long label wraps");
        for row in &legend.rows {
            for (line, at) in &row.lines {
                let r = PxRect::at(*at, [measure(line), m.line_height]);
                assert!(legend.rect.contains_rect(&r), "{line}");
            }
        }
    }

    #[test]
    fn the_legend_avoids_the_handle_and_the_paths() {
        let plot = PxRect::new([0.0, 0.0], [400.0, 400.0]);
        let m = metrics(&measure);
        let entries = vec![entry("sgd lr=0.1")];
        // The handle sits in the top left; paths crowd the top right.
        let handle = PxRect::new([5.0, 5.0], [25.0, 25.0]);
        let paths: Vec<[f32; 2]> = (0..50).map(|i| [350.0 + i as f32, 20.0]).collect();
        let legend = layout_legend(&entries, plot, &m, &paths, &[handle]).expect("room");
        assert_eq!(legend.rect.overlap(&handle), 0.0);
        assert!(paths.iter().all(|p| !legend.rect.contains(*p)));
        assert!(
            legend.rect.min[1] > 200.0,
            "a bottom corner: {:?}",
            legend.rect
        );
    }

    #[test]
    fn entries_that_do_not_fit_are_counted_not_overflowed() {
        let plot = PxRect::new([0.0, 0.0], [400.0, 100.0]);
        let m = metrics(&measure);
        let entries: Vec<_> = (0..8).map(|i| entry(&format!("run {i}"))).collect();
        let legend = layout_legend(&entries, plot, &m, &[], &[]).expect("room");
        assert!(plot.contains_rect(&legend.rect));
        let last = &legend.rows.last().expect("rows").lines[0].0;
        assert!(last.starts_with('+') && last.ends_with("more"), "{last}");
        let shown = legend.rows.len() - 1;
        assert_eq!(last, &format!("+{} more", 8 - shown));
    }

    #[test]
    fn status_labels_stay_inside_and_apart() {
        let plot = PxRect::new([0.0, 0.0], [300.0, 300.0]);
        let m = metrics(&measure);
        let legend = PxRect::new([0.0, 0.0], [150.0, 60.0]);
        // Three runs ending at the same point near the right edge, one at a corner.
        let requests: Vec<LabelRequest<'_>> = [
            ([295.0, 150.0], "diverged at step 190 (lr = 0.21)"),
            ([295.0, 150.0], "converged at step 79"),
            ([295.0, 152.0], "converged at step 81"),
            ([2.0, 2.0], "converged at step 5"),
        ]
        .iter()
        .map(|&(anchor, text)| LabelRequest {
            anchor,
            text,
            rgb: [255; 3],
            bad: false,
        })
        .collect();
        let placed = layout_status_labels(&requests, plot, &m, &[legend]);
        assert_eq!(placed.len(), 4);
        for (i, a) in placed.iter().enumerate() {
            assert!(plot.contains_rect(&a.rect), "{:?}", a.rect);
            assert_eq!(a.rect.overlap(&legend), 0.0, "label {i} under the legend");
            for b in &placed[i + 1..] {
                assert_eq!(a.rect.overlap(&b.rect), 0.0, "{:?} {:?}", a.rect, b.rect);
            }
        }
    }

    #[test]
    fn contour_labels_keep_their_distance_and_leave_the_legend_clear() {
        let legend = PxRect::new([0.0, 0.0], [100.0, 50.0]);
        let spots = [
            [200.0, 200.0],
            // 30 px to the right of the first: too close along x and y.
            [230.0, 210.0],
            // Far below the first: kept.
            [200.0, 260.0],
            // Inside the legend, and 20 px right of its edge (within the 28 px clearance).
            [50.0, 25.0],
            [120.0, 25.0],
            // 40 px right of the legend: clear.
            [140.0, 25.0],
        ];
        assert_eq!(place_contour_labels(&spots, &[legend]), vec![0, 2, 5]);
        // Without it the two at the legend are kept; the last, 20 px from the one before, is not.
        assert_eq!(place_contour_labels(&spots, &[]), vec![0, 2, 3, 4]);
    }
}
