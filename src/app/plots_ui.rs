//! Learning rate and loss against the step, for every run, with the animation cursor: the
//! schedule preview follows the slider that changes it from the next frame on.

use egui::{Color32, Id, Ui};
use egui_plot::{Line, LineStyle, Plot, PlotPoint, PlotPoints, Span, VLine};

use super::axes::{log_axis, log_spacer};
use super::cache::Cache;
use super::state::Animation;
use super::state::AppState;
use super::theme::{line_scale, on_background};

/// The step axis: labels need less room than egui_plot's default 60 px, or a narrow plot in
/// presentation mode shows only "0".
pub(super) fn step_axis() -> egui_plot::AxisHints<'static> {
    egui_plot::AxisHints::new_x()
        .label("step")
        .label_spacing(36.0..=52.0)
}

/// The top of a linear loss plot when a run diverged: the range of the runs that did not,
/// plus half of it. `None` when no run is left to set the range.
pub(super) fn linear_loss_cap(state: &AppState, cache: &Cache) -> Option<f64> {
    let (lo, hi) = state
        .scene
        .runs
        .iter()
        .zip(&cache.runs)
        .filter(|(run, result)| run.visible && !result.status.is_diverged())
        .flat_map(|(_, result)| result.curves.loss.iter().map(|p| p.y))
        .filter(|y| y.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
            (lo.min(y), hi.max(y))
        });
    let diverged = cache.runs.iter().any(|r| r.status.is_diverged());
    (diverged && hi.is_finite()).then(|| hi + 0.5 * (hi - lo).max(hi.abs() * 0.1).max(1e-9))
}

/// What a plot shows, hashed: when it changes (a scene opens, a run is recomputed, shown or
/// hidden, the axis switches to log) the plot fits its data again, whatever the user's wheel
/// or drag did to its axes before.
pub(super) fn data_key(state: &AppState, cache: &Cache, extra: &[bool]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (run, result) in state.scene.runs.iter().zip(&cache.runs) {
        (run.visible, result.generation).hash(&mut h);
    }
    extra.hash(&mut h);
    h.finish()
}

/// Whether the plot `id` should fit its data this frame: its data changed since it last did,
/// or the user asked (the Fit button).
pub(super) fn needs_fit(ui: &Ui, id: &str, key: u64, asked: bool) -> bool {
    let memory = Id::unique(("optiscope-plot-fit", id));
    let last = ui.data(|d| d.get_temp::<u64>(memory));
    ui.data_mut(|d| d.insert_temp(memory, key));
    asked || last != Some(key)
}

/// The selected run's stability limit (LR plot) or threshold (sharpness view): dashed, in
/// the run's colour a little dimmed, so it reads as a bound beside the run's own line.
pub(super) fn stability_line(name: String, points: &[PlotPoint], color: Color32) -> Line<'_> {
    Line::new(name, PlotPoints::Borrowed(points))
        .color(color.gamma_multiply(0.8))
        .style(LineStyle::dashed_dense())
        .width(1.5)
}

pub(super) fn fit_button(ui: &mut Ui) -> bool {
    ui.small_button("Fit")
        .on_hover_text("Fit the plot to its data (or double-click the plot)")
        .clicked()
}

/// The axes the step plots showed last frame, as (x, y) ranges (tests check a plot shows its
/// whole data after a scene opens).
#[derive(Clone, Debug, Default)]
pub struct PlotAxes {
    pub lr: Option<([f64; 2], [f64; 2])>,
    pub loss: Option<([f64; 2], [f64; 2])>,
}

pub(super) fn axes(bounds: &egui_plot::PlotBounds) -> ([f64; 2], [f64; 2]) {
    (
        [bounds.min()[0], bounds.max()[0]],
        [bounds.min()[1], bounds.max()[1]],
    )
}

pub fn plots_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache, anim: &Animation) -> PlotAxes {
    let half = ((ui.available_height() - 64.0) / 2.0).max(80.0);
    let cursor = anim.step() as f64;
    let link = Id::unique("optiscope-step-axis");

    let fit_lr_asked = ui
        .horizontal_wrapped(|ui| {
            ui.strong("Learning rate per step");
            ui.checkbox(&mut state.scene.log_lr, "log y");
            fit_button(ui)
        })
        .inner;
    let log_lr = state.scene.log_lr;
    let lr_key = data_key(state, cache, &[log_lr]);
    let mut lr_plot = Plot::new("lr-plot")
        .height(half)
        .custom_x_axes(vec![step_axis()])
        .link_axis(link, [true, false])
        .link_cursor(link, [true, false])
        .allow_double_click_reset(true)
        .include_x(0.0)
        .include_y(0.0);
    if log_lr {
        lr_plot = lr_plot.y_axis_formatter(log_axis).y_grid_spacer(log_spacer);
    }
    if needs_fit(ui, "lr", lr_key, fit_lr_asked) {
        lr_plot = lr_plot.reset();
    }
    let lr_response = lr_plot.show(ui, |plot_ui| {
        let selected = state.selected;
        for (i, (run, result)) in state.scene.runs.iter().zip(&cache.runs).enumerate() {
            if !run.visible {
                continue;
            }
            let color = on_background(&plot_ui.ctx().global_style().visuals, run.rgb());
            if i == selected && result.warmup_steps > 0 {
                plot_ui.add(
                    Span::new("warmup", 0.0..=result.warmup_steps as f64)
                        .fill(color.gamma_multiply(0.12))
                        .border_width(0.0),
                );
            }
            let points = if log_lr {
                &result.curves.lr_log
            } else {
                &result.curves.lr
            };
            plot_ui.line(
                Line::new(run.settings.label(), PlotPoints::Borrowed(points))
                    .color(color)
                    .width(if i == selected { 2.5 } else { 1.5 } * line_scale(state)),
            );
            let limit = if log_lr {
                &result.curves.limit_log
            } else {
                &result.curves.limit
            };
            // The selected run's limit only: one dashed line stays readable (and cheap).
            if i == selected && !limit.is_empty() {
                plot_ui.line(stability_line(
                    format!("stability limit of run {}", i + 1),
                    limit,
                    color,
                ));
            }
        }
        plot_ui.vline(
            VLine::new("", cursor)
                .color(Color32::from_white_alpha(140))
                .width(1.0),
        );
    });

    ui.add_space(6.0);
    let loss = super::lower_plot_ui::lower_plot_ui(ui, state, cache, cursor, link);
    PlotAxes {
        lr: Some(axes(lr_response.transform.bounds())),
        loss: Some(loss),
    }
}
