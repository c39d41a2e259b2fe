//! What the surface view shows, decided once for the window and for `optiscope render` and
//! Export: which points of a path are drawn and where they are cut, which glyph and colour
//! each marker has, and what a run's status label says and where. The window draws these
//! with egui_plot, pictures with plotters; neither decides them on its own.

use crate::core::analysis::theory::Region;
use crate::core::math::{Point, View};
use crate::core::optimizer::geometry::{GlyphKind, Shape as GlyphShape};
use crate::core::run::simulation::StepDetail;
use crate::core::run::simulation::{Status, status_lr, status_text};
use crate::core::surface::{CriticalKind, CriticalPoint};

/// The red of divergence: status labels, the run list, limits that are crossed.
pub const DIVERGED_RGB: [u8; 3] = [255, 90, 80];
/// Minima, saddles and maxima on the surface.
pub const MARKER_RGB: [u8; 3] = [255, 80, 200];
/// Contour lines: white at this opacity, visible on every colour of the heatmap.
pub const CONTOUR_ALPHA: f64 = 0.3;
/// A picture's background and text, the window's dark theme.
pub const BACKGROUND_RGB: [u8; 3] = [24, 24, 28];
pub const FOREGROUND_RGB: [u8; 3] = [230, 230, 230];

/// The shape of a marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Asterisk,
    Cross,
    Diamond,
}

/// How a kind of stationary point is marked: its legend name (in the current language) and
/// its shape.
pub fn marker(kind: CriticalKind) -> (String, Shape) {
    match kind {
        CriticalKind::Minimum => (crate::tr!("picture-minimum"), Shape::Asterisk),
        CriticalKind::Saddle => (crate::tr!("picture-saddle"), Shape::Cross),
        CriticalKind::Maximum => (crate::tr!("picture-maximum"), Shape::Diamond),
    }
}

/// Every kind of stationary point, in legend order.
pub const MARKER_KINDS: [CriticalKind; 3] = [
    CriticalKind::Minimum,
    CriticalKind::Saddle,
    CriticalKind::Maximum,
];

/// The points of a path worth drawing at `px_per_unit` pixels per unit: each at least a pixel
/// from the last one kept (and the last point), with coordinates clamped to a box around the
/// view so a diverged path never produces absurd screen coordinates. Returns the kept points
/// and their steps, so a frame only slices them at the animation cursor.
pub fn thin_path(points: &[Point], view: View, px_per_unit: [f64; 2]) -> (Vec<Point>, Vec<usize>) {
    let (w, h) = (view.x_max - view.x_min, view.y_max - view.y_min);
    let clamp = |p: Point| {
        [
            p[0].clamp(view.x_min - 20.0 * w, view.x_max + 20.0 * w),
            p[1].clamp(view.y_min - 20.0 * h, view.y_max + 20.0 * h),
        ]
    };
    let mut kept: Vec<Point> = Vec::with_capacity(points.len().min(4096));
    let mut steps = Vec::with_capacity(points.len().min(4096));
    let mut last: Option<Point> = None;
    for (i, &p) in points.iter().enumerate() {
        let p = clamp(p);
        let far = last.is_none_or(|q| {
            let dx = (p[0] - q[0]) * px_per_unit[0];
            let dy = (p[1] - q[1]) * px_per_unit[1];
            dx * dx + dy * dy >= 1.0
        });
        if far || i + 1 == points.len() {
            kept.push(p);
            steps.push(i);
            last = Some(p);
        }
    }
    (kept, steps)
}

/// The parts of a polyline inside `view`: each segment cut where it leaves the rectangle
/// (Liang–Barsky), consecutive inside parts joined. Pictures draw paths through this so a
/// diverging run stops at the plot's edge instead of crossing the title and axes.
pub fn clip_polyline(points: &[Point], view: View) -> Vec<Vec<Point>> {
    let mut pieces: Vec<Vec<Point>> = Vec::new();
    let mut current: Vec<Point> = Vec::new();
    let clip = |a: Point, b: Point| -> Option<(Point, Point)> {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a[0] - view.x_min),
            (dx, view.x_max - a[0]),
            (-dy, a[1] - view.y_min),
            (dy, view.y_max - a[1]),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        (t0 < t1 && t0.is_finite() && t1.is_finite()).then(|| {
            (
                [a[0] + t0 * dx, a[1] + t0 * dy],
                [a[0] + t1 * dx, a[1] + t1 * dy],
            )
        })
    };
    if let [only] = points
        && view.contains(*only)
    {
        return vec![vec![*only]];
    }
    for w in points.windows(2) {
        match clip(w[0], w[1]) {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(a);
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// The label next to a run's last point once it has ended.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusLabel {
    pub text: String,
    /// Divergence or a singular Newton system: drawn in [`DIVERGED_RGB`].
    pub bad: bool,
    /// Where it goes: next to the last point, kept inside the view.
    pub at: Point,
    /// Whether the text ends at `at` (the point is in the right part of the view) or starts there.
    pub right_aligned: bool,
}

/// The status label of a run whose trajectory (`points`, with the rate of every step in
/// `lrs`) is shown up to `step`: present once the cursor reached its end and the run did
/// not simply run out of steps.
pub fn status_label(
    status: &Status,
    points: &[Point],
    lrs: &[f64],
    base_lr: f64,
    steps: u64,
    step: usize,
    view: View,
) -> Option<StatusLabel> {
    let last = points.len().checked_sub(1)?;
    // The window records a converged run to its last step (the loss plot goes on); the label
    // appears when the cursor reaches the step the status names.
    let end = match status {
        Status::Converged { step: s }
        | Status::Diverged { step: s, .. }
        | Status::SingularHessian { step: s } => (*s as usize).min(last),
        Status::Completed => return None,
    };
    if step < end {
        return None;
    }
    // A diverged run's last point may be infinite or NaN: label the last finite one.
    let here = points[..=end]
        .iter()
        .rev()
        .find(|p| p[0].is_finite() && p[1].is_finite())
        .copied()
        .unwrap_or(points[0]);
    let (w, h) = (view.x_max - view.x_min, view.y_max - view.y_min);
    let at = [
        here[0].clamp(view.x_min + 0.02 * w, view.x_max - 0.02 * w),
        here[1].clamp(view.y_min + 0.04 * h, view.y_max - 0.04 * h),
    ];
    Some(StatusLabel {
        text: status_text(status, status_lr(status, lrs, base_lr), steps),
        bad: matches!(
            status,
            Status::Diverged { .. } | Status::SingularHessian { .. }
        ),
        at,
        right_aligned: at[0] > view.x_min + 0.6 * w,
    })
}

/// What a run brings to the picture: its look, its trajectory and its path thinned for the
/// view (see [`thin_path`]).
pub struct RunSource<'a> {
    pub label: String,
    pub rgb: [u8; 3],
    pub selected: bool,
    pub points: &'a [Point],
    /// The rate of every step (for the status label's "lr = ...").
    pub lrs: &'a [f64],
    pub status: Status,
    pub base_lr: f64,
    pub steps: u64,
    pub thin: &'a [Point],
    pub thin_steps: &'a [usize],
    /// What the run's theory predicts on the surface (noise spread, Lion's box).
    pub region: Option<Region>,
    /// The update to draw at the step, with how many of its stages to show (the selected
    /// run's, when asked for); drawn only when it is the update at the step.
    pub update: Option<(&'a StepDetail, usize)>,
}

/// The update at the cursor drawn on the surface: the glyphs of its stages (gradient,
/// momentum, scaling, step; see [`crate::core::optimizer::geometry`]) up to the stage shown, to scale, in surface
/// coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateMark {
    pub from: Point,
    pub glyphs: Vec<GlyphMark>,
    /// Stages shown and stages in all, and the last shown stage's name.
    pub shown: usize,
    pub stages: usize,
    pub stage: &'static str,
}

/// One glyph of the update, with its legend text.
#[derive(Clone, Debug, PartialEq)]
pub struct GlyphMark {
    pub kind: GlyphKind,
    pub shape: GlyphShape,
    /// The legend text, noting a glyph that reaches beyond the view.
    pub label: String,
}

impl UpdateMark {
    /// Where the arrow of `kind` ends, if one is shown.
    pub fn tip(&self, kind: GlyphKind) -> Option<Point> {
        self.glyphs.iter().find_map(|g| match g.shape {
            GlyphShape::Arrow { to, .. } if g.kind == kind => Some(to),
            _ => None,
        })
    }
}

/// The update `detail` as glyphs, its first `shown` stages (all of them past the last); `None`
/// where its numbers are not finite (a diverging run's last update).
pub fn update_mark(detail: &StepDetail, shown: usize, view: View) -> Option<UpdateMark> {
    let finite = |p: &Point| p[0].is_finite() && p[1].is_finite();
    let shown = shown.clamp(1, detail.stages.len().max(1));
    let mut glyphs = Vec::new();
    for stage in detail.stages.iter().take(shown) {
        for g in &stage.glyphs {
            let outline = g.shape.outline();
            if !outline.iter().all(finite) {
                return None;
            }
            // A curve is a level set and runs on by nature; an arrow or a box that does not
            // fit is worth a note.
            let fits = matches!(g.shape, GlyphShape::Curve(_))
                || outline.iter().all(|&p| view.contains(p));
            let name = g.name_text();
            glyphs.push(GlyphMark {
                kind: g.kind,
                shape: g.shape.clone(),
                label: if fits {
                    name
                } else {
                    crate::tr!("picture-beyond-view", name = name)
                },
            });
        }
    }
    Some(UpdateMark {
        from: detail.theta,
        glyphs,
        shown,
        stages: detail.stages.len(),
        stage: detail.stages.get(shown - 1).map_or("", |s| s.name),
    })
}

/// A glyph of the update in pixels, as every drawer paints it: polylines (broken where the
/// glyph leaves the picture) and filled polygons (an arrow's head, a dot).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GlyphPixels {
    pub lines: Vec<Vec<[f32; 2]>>,
    pub dashed: bool,
    pub fills: Vec<Vec<[f32; 2]>>,
}

impl GlyphPixels {
    /// Lays out glyph `g` through `to_px` (`None` where a point is not drawn: outside the view
    /// or off the mesh). Edges are sampled densely so the glyph follows a 3D surface; an arrow
    /// gets a head `head` px long where its tip is drawn.
    pub fn of(g: &GlyphMark, to_px: &dyn Fn(Point) -> Option<[f32; 2]>, head: f32) -> Self {
        let mut out = Self {
            dashed: matches!(g.shape, GlyphShape::Curve(_)),
            ..Self::default()
        };
        if let GlyphShape::Dot(p) = g.shape {
            if let Some(c) = to_px(p) {
                let r = 0.4 * head;
                out.fills.push(vec![
                    [c[0] - r, c[1]],
                    [c[0], c[1] - r],
                    [c[0] + r, c[1]],
                    [c[0], c[1] + r],
                ]);
            }
            return out;
        }
        const SAMPLES: usize = 12;
        let outline = g.shape.outline();
        let mut piece: Vec<[f32; 2]> = Vec::new();
        let mut tip_drawn = false;
        for w in outline.windows(2) {
            for j in 0..=SAMPLES {
                let t = j as f64 / SAMPLES as f64;
                let p = [
                    w[0][0] + t * (w[1][0] - w[0][0]),
                    w[0][1] + t * (w[1][1] - w[0][1]),
                ];
                match to_px(p) {
                    Some(q) => {
                        piece.push(q);
                        tip_drawn = true;
                    }
                    None => {
                        tip_drawn = false;
                        if piece.len() > 1 {
                            out.lines.push(std::mem::take(&mut piece));
                        }
                        piece.clear();
                    }
                }
            }
        }
        if piece.len() > 1 {
            out.lines.push(piece);
        }
        if let (GlyphShape::Arrow { .. }, true) = (&g.shape, tip_drawn) {
            // The head points along the shaft's last few pixels; the shaft stops at its base.
            if let Some(line) = out.lines.last_mut() {
                let tip = *line.last().expect("a drawn piece has points");
                let back = line
                    .iter()
                    .rev()
                    .find(|q| (q[0] - tip[0]).hypot(q[1] - tip[1]) > 0.5 * head)
                    .copied();
                if let Some(back) = back {
                    let (dx, dy) = (tip[0] - back[0], tip[1] - back[1]);
                    let len = dx.hypot(dy);
                    let (ux, uy) = (dx / len, dy / len);
                    // A short arrow gets a smaller head, never longer than 0.6 of it.
                    let shaft: f32 = line
                        .windows(2)
                        .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
                        .sum();
                    let h = head.min(0.6 * shaft.max(1.0));
                    let base = [tip[0] - ux * h, tip[1] - uy * h];
                    let w = 0.35 * h;
                    out.fills.push(vec![
                        tip,
                        [base[0] - uy * w, base[1] + ux * w],
                        [base[0] + uy * w, base[1] - ux * w],
                    ]);
                    while line.len() > 2 && {
                        let q = line[line.len() - 1];
                        (q[0] - tip[0]).hypot(q[1] - tip[1]) < 0.8 * h
                    } {
                        line.pop();
                    }
                    let end = [tip[0] - ux * 0.8 * h, tip[1] - uy * 0.8 * h];
                    line.push(end);
                }
            }
        }
        out
    }
}

/// A predicted region drawn at one step: a dashed outline in the run's colour.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionMark {
    pub outline: Vec<Point>,
    pub label: String,
}

impl RegionMark {
    /// Every other segment of the outline: the dashes both drawers draw.
    pub fn dashes(&self) -> impl Iterator<Item = [Point; 2]> + '_ {
        self.outline.windows(2).step_by(2).map(|w| [w[0], w[1]])
    }
}

/// A run as the surface view shows it at one step.
#[derive(Clone, Debug, PartialEq)]
pub struct RunMark {
    pub label: String,
    pub rgb: [u8; 3],
    pub selected: bool,
    /// The path up to the step: the thinned points, ending exactly where the run is.
    pub path: Vec<Point>,
    /// Where the run is at the step; drawn as a dot when it lies in the view.
    pub current: Point,
    pub start: Point,
    pub status: Option<StatusLabel>,
    pub region: Option<RegionMark>,
    pub update: Option<UpdateMark>,
}

/// Everything the surface view shows over the heatmap at one step, for the window and for
/// pictures alike.
#[derive(Clone, Debug, PartialEq)]
pub struct SurfacePicture {
    pub runs: Vec<RunMark>,
    /// Known stationary points inside the view.
    pub markers: Vec<(Point, CriticalKind)>,
}

/// The picture of `runs` at `step` over `view`. The legend's corner is decided once per
/// view with [`legend_corner`], not per step, so it stays put while the animation plays.
pub fn describe(
    runs: &[RunSource<'_>],
    critical: &[CriticalPoint],
    view: View,
    step: u64,
) -> SurfacePicture {
    let marks = runs
        .iter()
        .filter_map(|r| {
            let last = r.points.len().checked_sub(1)?;
            let upto = (step as usize).min(last);
            let shown = r.thin_steps.partition_point(|&s| s <= upto);
            let mut path = r.thin[..shown.min(r.thin.len())].to_vec();
            let current = r.points[upto];
            if path.last() != Some(&current) {
                path.push(current);
            }
            Some(RunMark {
                label: r.label.clone(),
                rgb: r.rgb,
                selected: r.selected,
                path,
                current,
                start: r.points[0],
                status: status_label(&r.status, r.points, r.lrs, r.base_lr, r.steps, upto, view),
                update: r
                    .update
                    .filter(|(d, _)| d.step == upto as u64)
                    .and_then(|(d, shown)| update_mark(d, shown, view)),
                region: r.region.and_then(|region| {
                    let lr = r.lrs.get(upto).copied().unwrap_or(r.base_lr);
                    let (outline, label) = region.outline(lr)?;
                    Some(RegionMark { outline, label })
                }),
            })
        })
        .collect();
    SurfacePicture {
        runs: marks,
        markers: critical
            .iter()
            .filter(|c| view.contains(c.point))
            .map(|c| (c.point, c.kind))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: View = View {
        x_min: -1.0,
        x_max: 1.0,
        y_min: -1.0,
        y_max: 1.0,
    };

    #[test]
    fn thinning_keeps_a_point_per_pixel_and_the_last() {
        // Points 1/8 px apart (exact in binary): every eighth is kept, and the last.
        let points: Vec<Point> = (0..=100).map(|i| [i as f64 / 8.0, 0.0]).collect();
        let (kept, steps) = thin_path(&points, VIEW, [1.0, 1.0]);
        let mut want: Vec<usize> = (0..=100).step_by(8).collect();
        want.push(100);
        assert_eq!(steps, want);
        assert_eq!(kept.len(), want.len());
        // A point far outside is pulled in to 20 views from the edge.
        let (kept, _) = thin_path(&[[0.0, 0.0], [1e30, 0.0]], VIEW, [1.0, 1.0]);
        assert_eq!(kept[1], [41.0, 0.0]);
    }

    #[test]
    fn clip_polyline_cuts_at_the_edges_and_splits_where_a_path_leaves() {
        let view = View {
            x_min: 0.0,
            x_max: 1.0,
            y_min: 0.0,
            y_max: 1.0,
        };
        // In, out through the right edge, back in through the top edge.
        let path = [[0.5, 0.5], [1.5, 0.5], [0.5, 1.5], [0.5, 0.75]];
        let pieces = clip_polyline(&path, view);
        assert_eq!(
            pieces,
            vec![vec![[0.5, 0.5], [1.0, 0.5]], vec![[0.5, 1.0], [0.5, 0.75]]]
        );
        // Wholly inside: unchanged; wholly outside: nothing.
        assert_eq!(clip_polyline(&path[..1], view), vec![vec![[0.5, 0.5]]]);
        assert!(clip_polyline(&[[2.0, 2.0], [3.0, 2.0]], view).is_empty());
    }

    #[test]
    fn a_picture_shows_each_path_up_to_the_step_and_the_markers_in_view() {
        let points = [[0.0, 0.0], [0.5, 0.0], [0.5, 0.5], [0.0, 0.5]];
        let (thin, thin_steps) = thin_path(&points, VIEW, [1.0, 1.0]);
        let run = RunSource {
            label: "sgd lr=0.1".into(),
            rgb: [1, 2, 3],
            selected: true,
            points: &points,
            lrs: &[0.1; 4],
            status: Status::Completed,
            base_lr: 0.1,
            steps: 3,
            thin: &thin,
            thin_steps: &thin_steps,
            region: None,
            update: None,
        };
        let critical = [
            CriticalPoint::minimum([0.0, 0.0]),
            CriticalPoint::saddle([5.0, 5.0]),
        ];
        let picture = describe(&[run], &critical, VIEW, 2);
        let mark = &picture.runs[0];
        // 1 px per unit keeps only the start of the thinned path; the path still ends exactly
        // at the run's point at step 2.
        assert_eq!(mark.path.first(), Some(&[0.0, 0.0]));
        assert_eq!(mark.path.last(), Some(&[0.5, 0.5]));
        assert_eq!(mark.current, [0.5, 0.5]);
        assert_eq!(mark.start, [0.0, 0.0]);
        assert_eq!(mark.status, None);
        assert_eq!(picture.markers, vec![([0.0, 0.0], CriticalKind::Minimum)]);
    }

    #[test]
    fn a_status_label_shows_at_the_end_inside_the_view() {
        let status = Status::Diverged {
            step: 2,
            reason: crate::core::run::simulation::DivergenceReason::NonFiniteLoss {
                value: f64::NAN,
            },
        };
        let points = [[0.0, 0.0], [0.5, 0.0], [50.0, 0.0]];
        let lrs = [0.1, 0.2, 0.3];
        assert_eq!(status_label(&status, &points, &lrs, 0.1, 10, 1, VIEW), None);
        let label = status_label(&status, &points, &lrs, 0.1, 10, 2, VIEW).expect("ended");
        assert_eq!(label.text, "diverged at step 2 (lr = 0.3)");
        assert!(label.bad && label.right_aligned);
        assert_eq!(label.at, [0.96, 0.0]);
        assert_eq!(
            status_label(&Status::Completed, &points, &lrs, 0.1, 10, 2, VIEW),
            None
        );
    }
}
