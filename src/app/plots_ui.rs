//! Learning rate and loss against the step, for every run, with the animation cursor: the
//! schedule preview follows the slider that changes it from the next frame on.

use crate::tr;
use egui::{Color32, RichText, Ui};
use egui_plot::{HLine, Line, Plot, PlotPoint, PlotPoints, Span, Text, VLine};

use super::axes::{log_axis, log_spacer};
use super::cache::Cache;
use super::state::Animation;
use super::state::AppState;
use super::step_plot::{
    axes, data_key, fit_button, needs_fit, stability_line, step_axis, step_link,
};
use super::theme::{DIVERGED_COLOR, line_scale, on_background, readable};

/// How far above every rate a stability limit may lie on a linear LR axis before drawing it
/// would squash the rates into the bottom tenth of the plot.
const FAR_ABOVE: f64 = 10.0;

/// The learning-rate plot, over the upper half of what is left of the panel (all of it when
/// `fill`, as in an embed); returns its (x, y) ranges.
pub fn plots_ui(
    ui: &mut Ui,
    state: &mut AppState,
    cache: &Cache,
    anim: &Animation,
    fill: bool,
) -> ([f64; 2], [f64; 2]) {
    let half = ((ui.available_height() - 64.0) / 2.0).max(80.0);
    let cursor = anim.step() as f64;
    let link = step_link();

    // Rates below zero (a linear decay past its end) climb the loss: the plot marks lr = 0,
    // and a log axis, which cannot show them, says so.
    let negative = state
        .scene
        .runs
        .iter()
        .zip(&cache.runs)
        .any(|(run, result)| run.visible && result.curves.negative_lr);
    let fit_lr_asked = ui
        .horizontal_wrapped(|ui| {
            ui.strong(tr!("plots-learning-rate-per-step"));
            ui.checkbox(&mut state.scene.log_lr, tr!("plots-log-y"));
            if negative && state.scene.log_lr {
                ui.colored_label(
                    readable(ui.visuals(), DIVERGED_COLOR),
                    tr!("plots-negative-rates-not-on-log"),
                )
                .on_hover_text(tr!("plots-untick-log-y-to-see"));
            }
            fit_button(ui)
        })
        .inner;
    let height = if fill {
        (ui.available_height() - ui.spacing().item_spacing.y).max(60.0)
    } else {
        half
    };
    let log_lr = state.scene.log_lr;
    let lr_key = data_key(state, cache, [log_lr]);
    let mut lr_plot = Plot::new("lr-plot")
        .height(height)
        .custom_x_axes(vec![step_axis()])
        .x_grid_spacer(super::axes::step_spacer())
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
    let diverged = readable(ui.visuals(), DIVERGED_COLOR);
    let lr_response = lr_plot.show(ui, |plot_ui| {
        let selected = state.selected;
        for (i, (run, result)) in state.scene.runs.iter().zip(&cache.runs).enumerate() {
            if !run.visible {
                continue;
            }
            let color = on_background(&plot_ui.ctx().global_style().visuals, run.rgb());
            if i == selected && result.warmup_steps > 0 {
                plot_ui.add(
                    Span::new(tr!("plots-warmup"), 0.0..=result.warmup_steps as f64)
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
            let curves = &result.curves;
            let limit = if log_lr {
                &curves.limit_log
            } else {
                &curves.limit
            };
            // The selected run's limit only: one dashed line stays readable (and cheap). On a
            // linear axis a limit far above every rate would flatten the rates to the floor:
            // then it is named at the top instead of drawn.
            let far_above = !log_lr && curves.limit_min > FAR_ABOVE * curves.lr_max;
            if i == selected && !limit.is_empty() && !far_above {
                for piece in limit {
                    plot_ui.line(stability_line(
                        tr!("plots-stability-limit-of-run", run = i + 1),
                        piece,
                        color,
                    ));
                }
            }
            if i == selected && !limit.is_empty() && far_above {
                let bounds = plot_ui.plot_bounds();
                plot_ui.text(
                    Text::new(
                        "",
                        PlotPoint::new(bounds.min()[0], bounds.max()[1]),
                        RichText::new(format!(
                            " {}\n {}",
                            tr!(
                                "plots-stability-limit-lr",
                                lr = crate::core::run::simulation::fmt_lr(curves.limit_min)
                            ),
                            tr!("plots-far-above")
                        ))
                        .small()
                        .color(color),
                    )
                    .anchor(egui::Align2::LEFT_TOP),
                );
            }
        }
        if negative && !log_lr {
            plot_ui.hline(
                HLine::new(tr!("plots-gradient-ascent-line"), 0.0)
                    .color(diverged)
                    .width(1.0),
            );
        }
        plot_ui.vline(
            VLine::new("", cursor)
                .color(Color32::from_white_alpha(140))
                .width(1.0),
        );
    });
    axes(lr_response.transform.bounds())
}
