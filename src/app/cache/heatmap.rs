//! The heatmap and contour lines of the visible rectangle.

use egui::{ColorImage, TextureHandle};
use egui_plot::PlotPoint;

use crate::core::grid::ContourLine;

use crate::core::math::View;
use crate::core::spec::Spec;

/// One contour level ready to draw: thinned polylines and where its label goes.
pub struct ContourDraw {
    pub level: f64,
    pub pieces: Vec<Vec<PlotPoint>>,
    pub label_at: Option<PlotPoint>,
}

/// The heatmap of the visible rectangle.
pub struct GridCache {
    pub(super) key: (Spec, View, usize, bool),
    /// Arrows of −∇f over the view, when the gradient field is shown.
    pub arrows: Vec<crate::core::analysis::Arrow>,
    /// The view the arrows were computed for (`None`: not shown).
    pub(super) arrows_view: Option<View>,
    pub view: View,
    pub texture: TextureHandle,
    pub contours: Vec<ContourDraw>,
    /// Range of the color scale, in surface values.
    pub min: f64,
    pub max: f64,
    /// Whether colors follow log(f − min).
    pub log_scale: bool,
    /// The share of the view where f has no finite value (hatched).
    pub undefined_share: f64,
}

/// Thins a contour's polylines to points at least `tolerance` apart (about one and a half heatmap
/// cells, ~2 px) and picks a label position in the middle of its longest piece.
pub(super) fn contour_draw(c: ContourLine, tolerance: f64) -> ContourDraw {
    let pieces: Vec<Vec<PlotPoint>> = c
        .lines
        .iter()
        .map(|line| {
            let mut kept: Vec<PlotPoint> = Vec::with_capacity(line.len() / 2 + 2);
            for (i, p) in line.iter().enumerate() {
                let far = kept
                    .last()
                    .is_none_or(|q| (p[0] - q.x).abs().max((p[1] - q.y).abs()) >= tolerance);
                if far || i + 1 == line.len() {
                    kept.push(PlotPoint::new(p[0], p[1]));
                }
            }
            kept
        })
        .collect();
    let label_at = pieces
        .iter()
        .max_by_key(|p| p.len())
        .filter(|p| p.len() > 8)
        .map(|p| p[p.len() / 2]);
    ContourDraw {
        level: c.level,
        pieces,
        label_at,
    }
}

use crate::picture::colormap::heat_rgb;

pub(super) fn colorize(
    values: &ndarray::Array2<f64>,
    min: f64,
    max: f64,
    log_scale: bool,
) -> ColorImage {
    let (ny, nx) = values.dim();
    let mut pixels = Vec::with_capacity(nx * ny);
    // Image rows go top to bottom, grid rows bottom (y_min) to top.
    for (iy, row) in values.rows().into_iter().rev().enumerate() {
        pixels.extend(row.iter().enumerate().map(|(ix, &v)| {
            let [r, g, b] = heat_rgb(v, min, max, log_scale, ix, iy);
            egui::Color32::from_rgb(r, g, b)
        }));
    }
    ColorImage::new([nx, ny], pixels)
}
