//! The surface view: heatmap with colorbar and labelled contour lines, marked critical points,
//! every run's path up to the animation cursor, and the draggable start point.

mod over_plot;
use over_plot::{colorbar_ui, draw_overlay};

use egui::{Align2, Color32, CursorIcon, Pos2, Rect, RichText, Ui, Vec2};
use egui_plot::{
    Line, MarkerShape, Plot, PlotBounds, PlotImage, PlotPoint, PlotPoints, Points, Text,
};

use super::cache::Cache;
use super::state::Animation;
use super::state::AppState;
use super::theme::{
    CURVATURE_FLAT, CURVATURE_STEEP, DIVERGED_COLOR, line_scale, paint_legend, rgb,
};
use crate::core::math::{Point, View};
use crate::core::optimizer::geometry::Shape;
use crate::core::run::simulation::StepDetail;
use crate::core::run::simulation::fmt_lr;
use crate::picture::frame;
use crate::picture::overlay::{self, PxRect};
use crate::tr;

/// Interaction state of the view that lives only while the window is open.
#[derive(Default)]
pub struct SurfaceUiState {
    /// The pointer was over the start handle last frame: the next drag moves it, not the view.
    handle_hovered: bool,
    dragging_start: bool,
    /// Plot-to-screen mapping of the last frame (tests use it to click at a surface point).
    pub transform: Option<egui_plot::PlotTransform>,
    /// Thinned paths per run, valid for one trajectory and one view.
    paths: Vec<PathCache>,
    /// The visible rectangle of the last frame, to tell a user's pan or zoom from a reset.
    last_view: Option<View>,
    /// The surface shown last frame: choosing another one shows its default area.
    last_surface: Option<String>,
    /// Where the last frame put the plot, its legend and its status labels (layout tests
    /// check these stay inside the plot).
    pub overlay: OverlayRects,
    /// The update arrows of the last frame (tests compare them with the explain panel).
    pub update: Option<frame::UpdateMark>,
    /// Drawn small (an embed): no colorbar, so the plot keeps the room.
    pub compact: bool,
}

/// Screen rectangles of what lies over the surface plot, as last drawn.
#[derive(Clone, Debug, Default)]
pub struct OverlayRects {
    /// The whole surface view: axes, plot and colorbar.
    pub view: Option<Rect>,
    pub plot: Option<Rect>,
    pub legend: Option<Rect>,
    pub labels: Vec<Rect>,
}

/// A run's path thinned to screen resolution, with the step of every kept point, so a frame
/// only slices it at the cursor.
#[derive(Default)]
struct PathCache {
    generation: u64,
    view: Option<View>,
    px_per_unit: [f64; 2],
    /// The kept points.
    raw: Vec<Point>,
    steps: Vec<usize>,
}

const HANDLE_RADIUS_PX: f32 = 12.0;

/// The rectangle the heatmap should cover this frame, decided before anything is drawn (the
/// frame's derive step computes it): what was visible last frame (the plot widens the target
/// to keep the aspect ratio), or the target itself on a frame that resets the view. A new
/// surface shows its default area. `None` while the pointer pans (the last heatmap moves
/// along and is recomputed on release) or without a valid surface.
pub fn heatmap_view(
    ctx: &egui::Context,
    state: &AppState,
    cache: &Cache,
    reset_view: &mut bool,
    st: &mut SurfaceUiState,
) -> Option<View> {
    let default_view = cache.surface.as_ref()?.default_view();
    if st.last_surface.as_deref() != Some(state.scene.surface.name.as_str()) {
        if st.last_surface.is_some() && state.scene.view.is_none() {
            *reset_view = true;
        }
        st.last_surface = Some(state.scene.surface.name.clone());
    }
    let target = state.scene.view.unwrap_or(default_view);
    let pointer_down = ctx.input(|i| i.pointer.any_down());
    let view = st.last_view.filter(|_| !*reset_view).unwrap_or(target);
    (!pointer_down || cache.grid.is_none()).then_some(view)
}

pub fn surface_ui(
    ui: &mut Ui,
    state: &mut AppState,
    cache: &Cache,
    anim: &Animation,
    reset_view: &mut bool,
    st: &mut SurfaceUiState,
    update: Option<(&StepDetail, usize)>,
) {
    let Some(default_view) = cache.surface.as_ref().map(|s| s.default_view()) else {
        ui.colored_label(DIVERGED_COLOR, tr!("surface-settings-not-valid"));
        return;
    };
    let target = state.scene.view.unwrap_or(default_view);

    let size = ui.available_size();
    let view_rect = ui.available_rect_before_wrap();
    let colorbar = if st.compact {
        0.0
    } else {
        super::axes::COLORBAR_WIDTH
    };
    let plot_size = Vec2::new((size.x - colorbar).max(100.0), size.y.max(100.0));
    let start = state.run_start(state.selected);
    let step = anim.step() as usize;
    let do_reset = *reset_view;

    let response = ui
        .horizontal(|ui| {
            let plot = Plot::new("surface")
                .width(plot_size.x)
                .height(plot_size.y)
                .allow_drag(!st.handle_hovered && !st.dragging_start)
                .allow_double_click_reset(false)
                .allow_boxed_zoom(false)
                // The wheel zooms about the pointer (as map tools do); drag pans.
                .allow_scroll(false)
                .auto_bounds(false)
                .data_aspect(1.0)
                .show_grid(false)
                // egui_plot's default wants 60 px between x labels, which on a narrow
                // equal-aspect plot leaves only "0"; short numbers need far less.
                .custom_x_axes(vec![
                    egui_plot::AxisHints::new_x()
                        .label("x")
                        .label_spacing(34.0..=48.0)
                        .formatter(super::axes::nice_label),
                ])
                .x_grid_spacer(super::axes::nice_spacer())
                .y_grid_spacer(super::axes::nice_spacer())
                .y_axis_formatter(super::axes::nice_label)
                // Wide enough for "-0.125": labels that change width as the user zooms would
                // shift the plot under the pointer.
                .y_axis_min_width(50.0)
                .y_axis_label("y");
            let response = plot.show(ui, |plot_ui| {
                let wheel = plot_ui.ctx().input(|i| i.smooth_scroll_delta.y);
                if wheel != 0.0 && plot_ui.response().hovered() {
                    plot_ui.zoom_bounds_around_hovered(Vec2::splat((wheel * 0.004).exp()));
                }
                if do_reset {
                    plot_ui.set_plot_bounds(PlotBounds::from_min_max(
                        [target.x_min, target.y_min],
                        [target.x_max, target.y_max],
                    ));
                }
                let bounds = plot_ui.plot_bounds();
                let view = View {
                    x_min: bounds.min()[0],
                    x_max: bounds.max()[0],
                    y_min: bounds.min()[1],
                    y_max: bounds.max()[1],
                };
                let px_per_unit = plot_ui.transform().dpos_dvalue();
                draw_heatmap(plot_ui, cache, st.overlay.legend);
                let px_per_unit = [px_per_unit[0].abs(), px_per_unit[1].abs()];
                refresh_paths(&mut st.paths, cache, view, px_per_unit);
                let picture = describe(state, cache, &st.paths, step, view, update);
                st.update = picture.runs.iter().find_map(|m| m.update.clone());
                draw_runs(plot_ui, state, &picture, view);
                draw_markers(plot_ui, &picture);
                if state.show_gradient_field {
                    draw_gradient_field(plot_ui, cache);
                }
                if state.show_curvature {
                    draw_curvature(plot_ui, cache, start, view);
                }
                for (i, run) in state.scene.runs.iter().enumerate() {
                    if let (Some(own), true) =
                        (run.settings.start, run.visible && i != state.selected)
                    {
                        plot_ui.points(
                            Points::new("", vec![own])
                                .shape(MarkerShape::Square)
                                .radius(4.0)
                                .filled(false)
                                .color(Color32::from_rgb(run.rgb()[0], run.rgb()[1], run.rgb()[2])),
                        );
                    }
                }
                plot_ui.points(
                    Points::new(tr!("surface-start-legend"), vec![start])
                        .shape(MarkerShape::Square)
                        .radius(6.0)
                        .filled(false)
                        .color(Color32::WHITE),
                );
                (view, plot_ui.pointer_coordinate(), picture)
            });
            if !st.compact {
                colorbar_ui(ui, cache, plot_size.y);
            }
            response
        })
        .inner;

    let (view, pointer, picture) = response.inner;
    st.transform = Some(response.transform);
    let previous_plot = st.overlay.plot;
    st.overlay = draw_overlay(ui, &response.transform, &picture, &st.paths, start);
    st.overlay.view = Some(view_rect);
    // Only a pan or zoom by the user changes the stored view; the aspect-ratio adjustment of
    // the frame that applied a reset does not.
    // Layout and aspect-ratio adjustments (first frames, window resizes) move the bounds too;
    // only a drag or a scroll/zoom over the plot is the user's.
    let interacted = response.response.dragged()
        || (response.response.hovered()
            && ui.input(|i| i.smooth_scroll_delta != Vec2::ZERO || i.zoom_delta() != 1.0));
    let user_moved = !do_reset && interacted && st.last_view.is_some_and(|last| last != view);
    if user_moved && view.is_valid() {
        state.scene.view = Some(view);
    }
    st.last_view = Some(view);
    *reset_view = false;
    // The plot's area changed shape (a panel moved, the window resized): the heatmap was
    // computed for the old bounds, so draw again now rather than at the next mouse move.
    // The plot's rectangle settles a frame after a resize, so a changed rectangle asks for one
    // more frame too.
    let frame_rect = *response.transform.frame();
    let moved = previous_plot.is_some_and(|r| r != frame_rect);
    if moved || cache.grid.as_ref().is_some_and(|g| g.view != view) {
        ui.ctx().request_repaint();
    }

    // Start point: drag the handle, or click anywhere on the surface.
    let resp = &response.response;
    let handle_pos = response
        .transform
        .position_from_point(&PlotPoint::new(start[0], start[1]));
    // The drag decision uses last frame's hover: the pointer may already have left the handle
    // by the frame egui reports the drag.
    let was_hovered = st.handle_hovered;
    st.handle_hovered = resp
        .hover_pos()
        .is_some_and(|p| p.distance(handle_pos) <= HANDLE_RADIUS_PX);
    if st.handle_hovered || st.dragging_start {
        ui.ctx().set_cursor_icon(if st.dragging_start {
            CursorIcon::Grabbing
        } else {
            CursorIcon::Grab
        });
    }
    if resp.drag_started() && was_hovered {
        st.dragging_start = true;
    }
    if st.dragging_start {
        // The newest pointer position, so the handle stays under the pointer.
        if let Some(pos) = ui.input(|i| i.pointer.latest_pos()) {
            let p = response.transform.value_from_position(pos);
            if p.x.is_finite() && p.y.is_finite() {
                state.set_selected_start([p.x, p.y]);
            }
        }
        if resp.drag_stopped() || !ui.input(|i| i.pointer.any_down()) {
            st.dragging_start = false;
        }
    } else if resp.clicked()
        && let Some(p) = pointer
    {
        state.set_selected_start([p.x, p.y]);
    }
}

/// The heatmap and its contour lines and labels; no label is placed under `legend` (the
/// legend's rect in the last frame), which would hide it.
fn draw_heatmap<'a>(plot_ui: &mut egui_plot::PlotUi<'a>, cache: &'a Cache, legend: Option<Rect>) {
    let Some(g) = &cache.grid else {
        return;
    };
    let v = g.view;
    let center = PlotPoint::new(0.5 * (v.x_min + v.x_max), 0.5 * (v.y_min + v.y_max));
    let size = Vec2::new((v.x_max - v.x_min) as f32, (v.y_max - v.y_min) as f32);
    plot_ui.image(PlotImage::new("", g.texture.id(), center, size).allow_hover(false));
    for level in &g.contours {
        for piece in &level.pieces {
            plot_ui.line(
                Line::new("", PlotPoints::Borrowed(piece))
                    .color(Color32::from_gray(150))
                    .width(1.0)
                    .allow_hover(false),
            );
        }
    }
    // Placed as the exported picture places them: never stacked, never under the legend.
    let labelled: Vec<(f64, PlotPoint)> = g
        .contours
        .iter()
        .filter_map(|c| Some((c.level, c.label_at?)))
        .collect();
    let spots: Vec<[f32; 2]> = labelled
        .iter()
        .map(|(_, p)| {
            let at = plot_ui.screen_from_plot(*p);
            [at.x, at.y]
        })
        .collect();
    let keep_clear: Vec<PxRect> = legend
        .map(|l| PxRect::new([l.min.x, l.min.y], [l.max.x, l.max.y]))
        .into_iter()
        .collect();
    for i in overlay::place_contour_labels(&spots, &keep_clear) {
        let (level, p) = labelled[i];
        plot_ui.text(
            Text::new(
                "",
                p,
                // On the RichText: the light theme's override_text_color would replace
                // the Text's own colour; the label reads on the heatmap's colour under it.
                RichText::new(crate::picture::colormap::fmt_value(level))
                    .small()
                    .color(rgb(label_on_heatmap(g, level))),
            )
            .allow_hover(false),
        );
    }
}

/// The text colour of the label of contour `level`: the label sits on its line, so on the
/// heatmap's colour of that level.
pub fn label_on_heatmap(g: &super::cache::GridCache, level: f64) -> [u8; 3] {
    use crate::picture::colormap::{color_position, colormap_rgb, label_rgb_on};
    label_rgb_on(colormap_rgb(color_position(
        level,
        g.min,
        g.max,
        g.log_scale,
    )))
}

/// Arrows of −∇f on a coarse grid (computed with the heatmap, see
/// [`crate::core::analysis::gradient_field`]): where plain gradient descent would push from
/// each point, more opaque where the gradient is larger.
fn draw_gradient_field(plot_ui: &mut egui_plot::PlotUi<'_>, cache: &Cache) {
    let Some(grid) = &cache.grid else {
        return;
    };
    // Three opacity bands keep this to three plot items.
    for band in 0..3 {
        let (lo, hi) = (band as f64 / 3.0, (band + 1) as f64 / 3.0);
        let (origins, tips): (Vec<PlotPoint>, Vec<PlotPoint>) = grid
            .arrows
            .iter()
            .filter(|a| a.strength >= lo && (a.strength < hi || band == 2))
            .map(|a| {
                (
                    PlotPoint::new(a.origin[0], a.origin[1]),
                    PlotPoint::new(a.tip[0], a.tip[1]),
                )
            })
            .unzip();
        if origins.is_empty() {
            continue;
        }
        let alpha = [45, 90, 150][band];
        plot_ui.arrows(
            egui_plot::Arrows::new("", PlotPoints::Owned(origins), PlotPoints::Owned(tips))
                .color(Color32::from_white_alpha(alpha))
                .tip_length(4.0),
        );
    }
}

/// The Hessian's eigen-directions at the start, each labelled with its eigenvalue: the steep
/// and the flat direction of the local quadratic model.
fn draw_curvature(plot_ui: &mut egui_plot::PlotUi<'_>, cache: &Cache, start: Point, view: View) {
    let Some(c) = cache.start_curvature else {
        return;
    };
    let half = 0.12 * (view.x_max - view.x_min).min(view.y_max - view.y_min);
    // Colours no run has (the palette is Okabe–Ito), dashed, so they never read as a path.
    for (k, color) in [(0, CURVATURE_FLAT), (1, CURVATURE_STEEP)] {
        let d = c.directions[k];
        let a = [start[0] - d[0] * half, start[1] - d[1] * half];
        let b = [start[0] + d[0] * half, start[1] + d[1] * half];
        plot_ui.line(
            Line::new("", vec![a, b])
                .color(color)
                .width(2.5)
                .style(egui_plot::LineStyle::dashed_dense()),
        );
        plot_ui.text(
            Text::new(
                "",
                PlotPoint::new(b[0], b[1]),
                RichText::new(format!("λ = {}", fmt_lr(c.eigenvalues[k])))
                    .color(color)
                    .strong(),
            )
            .anchor(Align2::LEFT_BOTTOM),
        );
    }
}

fn draw_markers(plot_ui: &mut egui_plot::PlotUi<'_>, picture: &frame::SurfacePicture) {
    for kind in frame::MARKER_KINDS {
        let (name, shape) = frame::marker(kind);
        let shape = match shape {
            frame::Shape::Asterisk => MarkerShape::Asterisk,
            frame::Shape::Cross => MarkerShape::Cross,
            frame::Shape::Diamond => MarkerShape::Diamond,
        };
        let points: Vec<[f64; 2]> = picture
            .markers
            .iter()
            .filter(|(_, k)| *k == kind)
            .map(|(p, _)| *p)
            .collect();
        if !points.is_empty() {
            plot_ui.points(
                Points::new(name, points)
                    .shape(shape)
                    .radius(7.0)
                    .color(rgb(frame::MARKER_RGB)),
            );
        }
    }
}

fn refresh_paths(paths: &mut Vec<PathCache>, cache: &Cache, view: View, px_per_unit: [f64; 2]) {
    paths.resize_with(cache.runs.len(), PathCache::default);
    for (path, result) in paths.iter_mut().zip(&cache.runs) {
        let fresh = path.generation == result.generation
            && path.view == Some(view)
            && path.px_per_unit == px_per_unit;
        if !fresh {
            let (raw, steps) = frame::thin_path(&result.trajectory.points, view, px_per_unit);
            *path = PathCache {
                generation: result.generation,
                view: Some(view),
                px_per_unit,
                raw,
                steps,
            };
        }
    }
}

/// What the picture module decided to show of every visible run at this step.
fn describe(
    state: &AppState,
    cache: &Cache,
    paths: &[PathCache],
    step: usize,
    view: View,
    update: Option<(&StepDetail, usize)>,
) -> frame::SurfacePicture {
    let sources: Vec<frame::RunSource<'_>> = state
        .scene
        .runs
        .iter()
        .zip(&cache.runs)
        .zip(paths)
        .enumerate()
        .filter(|(_, ((run, _), _))| run.visible)
        .map(|(i, ((run, result), path))| frame::RunSource {
            label: run.settings.label(),
            rgb: run.rgb(),
            selected: i == state.selected,
            points: &result.trajectory.points,
            lrs: &result.lr_preview,
            status: result.status,
            base_lr: run.settings.lr,
            steps: run.settings.steps,
            thin: &path.raw,
            thin_steps: &path.steps,
            region: result.region,
            update: update.filter(|_| i == state.selected),
        })
        .collect();
    frame::describe(&sources, &cache.critical_points, view, step as u64)
}

fn draw_runs(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    state: &AppState,
    picture: &frame::SurfacePicture,
    view: View,
) {
    for mark in &picture.runs {
        let color = rgb(mark.rgb);
        let width = if mark.selected { 2.5 } else { 1.8 } * line_scale(state);
        plot_ui.line(
            Line::new(mark.label.clone(), mark.path.clone())
                .color(color)
                .width(width),
        );
        if mark.path.len() <= 400 {
            plot_ui.points(
                Points::new("", mark.path.clone())
                    .radius(2.2)
                    .color(color)
                    .filled(true)
                    .allow_hover(false),
            );
        }
        if view.contains(mark.current) {
            plot_ui.points(
                Points::new("", vec![mark.current])
                    .radius(6.0)
                    .color(color)
                    .filled(true)
                    .allow_hover(false),
            );
        }
    }
    // The update at the cursor: its glyphs, thick enough for a projector.
    for u in picture.runs.iter().filter_map(|m| m.update.as_ref()) {
        draw_update(plot_ui, state, u);
    }
    // Predicted regions go over every path, or a noisy run's cloud would hide its own.
    for mark in &picture.runs {
        for dash in mark.region.iter().flat_map(|r| r.dashes()) {
            plot_ui.line(
                Line::new("", dash.to_vec())
                    .color(rgb(mark.rgb))
                    .width(2.0 * line_scale(state))
                    .allow_hover(false),
            );
        }
    }
}

/// The glyphs of an update: arrows with heads sized in pixels, boxes, Newton's model curve and
/// its centre.
fn draw_update(plot_ui: &mut egui_plot::PlotUi<'_>, state: &AppState, u: &frame::UpdateMark) {
    let [px_x, px_y] = plot_ui.transform().dpos_dvalue();
    let width = 2.5 * line_scale(state);
    // Boxes and curves first, arrows over them.
    let mut glyphs: Vec<&frame::GlyphMark> = u.glyphs.iter().collect();
    glyphs.sort_by_key(|g| matches!(g.shape, Shape::Arrow { .. }));
    for g in glyphs {
        let color = rgb(g.kind.rgb());
        match &g.shape {
            Shape::Arrow { from, to } => {
                let (dx, dy) = ((to[0] - from[0]) * px_x, (to[1] - from[1]) * px_y.abs());
                let len_px = dx.hypot(dy);
                if len_px < 0.5 {
                    continue;
                }
                // The head: 14 px long (less on a short arrow), 9 px wide, in plot units.
                let head = (14.0 * line_scale(state) as f64).min(0.6 * len_px);
                let (ux, uy) = (dx / len_px, dy / len_px);
                let back = |along: f64, across: f64| -> Point {
                    [
                        to[0] + (-ux * along - uy * across) / px_x,
                        to[1] + (-uy * along + ux * across) / px_y.abs(),
                    ]
                };
                let base = back(head * 0.8, 0.0);
                plot_ui.line(
                    Line::new("", vec![*from, base])
                        .color(color)
                        .width(width)
                        .allow_hover(false),
                );
                plot_ui.polygon(
                    egui_plot::Polygon::new(
                        "",
                        vec![*to, back(head, head * 0.35), back(head, -head * 0.35)],
                    )
                    .fill_color(color)
                    .stroke(egui::Stroke::new(1.0, color))
                    .allow_hover(false),
                );
            }
            Shape::Box { .. } | Shape::Curve(_) => {
                // Curves (Newton's model) dashed, so they do not pass for a path or a contour.
                let style = if matches!(g.shape, Shape::Curve(_)) {
                    egui_plot::LineStyle::dashed_loose()
                } else {
                    egui_plot::LineStyle::Solid
                };
                plot_ui.line(
                    Line::new("", g.shape.outline())
                        .color(color)
                        .width(0.8 * width)
                        .style(style)
                        .allow_hover(false),
                );
            }
            Shape::Dot(p) => {
                plot_ui.points(
                    Points::new("", vec![*p])
                        .shape(MarkerShape::Diamond)
                        .radius(5.0 * line_scale(state))
                        .color(color)
                        .filled(true)
                        .allow_hover(false),
                );
            }
        }
    }
}
