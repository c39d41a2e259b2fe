//! The plot under the learning-rate plot, in one of six views (see [`LowerPlot`]): the loss,
//! the step size and the sharpness of every run against the step, and for the selected run
//! its error along the Hessian's eigenvectors, its phase portrait and its adaptive step
//! beside the closed forms that predict them.

use egui::{Color32, RichText, Ui};
use egui_plot::{Line, LineStyle, MarkerShape, Plot, PlotPoint, PlotPoints, Points, VLine};

use super::axes::{log_axis, log_spacer};
use super::cache::{Cache, Curves};
use super::state::AppState;
use super::step_plot::{
    axes, data_key, fit_button, needs_fit, stability_line, step_axis, step_link,
};
use super::theme::{CURVATURE_FLAT, CURVATURE_STEEP, line_scale, on_background};
use crate::scene::preset::LowerPlot;

/// The view's name in the header's menu.
pub fn title(view: LowerPlot) -> &'static str {
    match view {
        LowerPlot::Loss => "Loss per step",
        LowerPlot::StepSize => "Step size |Δθ|",
        LowerPlot::Sharpness => "Sharpness",
        LowerPlot::Eigen => "Eigen-components",
        LowerPlot::Phase => "Phase portrait",
        LowerPlot::Adaptive => "Adaptive step",
    }
}

fn hover(view: LowerPlot) -> &'static str {
    match view {
        LowerPlot::Loss => "f(θ_k) of every run",
        LowerPlot::StepSize => {
            "The length of each update: what the learning rate, momentum and adaptive scaling amount to"
        }
        LowerPlot::Sharpness => {
            "λmax of the Hessian at each step; dashed: the largest sharpness the selected run is \
             stable at with that step's lr (2/lr for GD, 2(1+β)/lr with momentum). Adam, RMSprop \
             and AdaGrad show the preconditioned sharpness λmax(P^-1·H) against 38/lr (Adam at \
             β1 = 0.9), 2(1+μ)/lr and 2/lr"
        }
        LowerPlot::Eigen => {
            "The selected run's error θ_k − θ* along the Hessian's eigenvectors at the minimum: \
             which direction converges slowly and which oscillates; dotted: what the closed-form \
             rate predicts (SGD family)"
        }
        LowerPlot::Phase => {
            "Position against velocity (θ_k − θ_{k−1}) along one eigenvector for the selected \
             run, up to the cursor: momentum spirals, gradient descent walks a line"
        }
        LowerPlot::Adaptive => {
            "Each coordinate's step |Δθ_i| in units of the lr for the selected run (Adam's first \
             step is 1 whatever the gradient), RAdam's rectification r_t at the run's β2 and the \
             rule-of-thumb linear warmup over 2/(1 − β2) steps (Ma & Yarats 2021)"
        }
    }
}

impl Curves {
    /// The one line per run of the views that show every run (loss, step size, sharpness).
    pub fn per_step(&self, view: LowerPlot, log: bool) -> &[PlotPoint] {
        match (view, log) {
            (LowerPlot::StepSize, true) => &self.step_size_log,
            (LowerPlot::StepSize, false) => &self.step_size,
            (LowerPlot::Sharpness, true) => &self.sharpness_log,
            (LowerPlot::Sharpness, false) => &self.sharpness,
            (_, true) => &self.loss_log,
            (_, false) => &self.loss,
        }
    }
}

/// Whether `view` draws every run (one line each) rather than several lines of the selected
/// run.
pub fn shows_every_run(view: LowerPlot) -> bool {
    matches!(
        view,
        LowerPlot::Loss | LowerPlot::StepSize | LowerPlot::Sharpness
    )
}

/// Draws the header and the plot; returns the plot's (x, y) ranges.
pub fn lower_plot_ui(
    ui: &mut Ui,
    state: &mut AppState,
    cache: &Cache,
    cursor: f64,
) -> ([f64; 2], [f64; 2]) {
    let link = step_link();
    let all_positive = cache.runs.iter().all(|r| r.curves.losses_positive);
    let network = state.scene.network.is_some();
    if network && !LowerPlot::ON_NETWORKS.contains(&state.scene.plot) {
        state.scene.plot = LowerPlot::Loss;
    }
    let fit_asked = ui
        .horizontal_wrapped(|ui| {
            let view = state.scene.plot;
            egui::ComboBox::from_id_salt("lower-plot-view")
                .selected_text(RichText::new(title(view)).strong())
                .show_ui(ui, |ui| {
                    for v in LowerPlot::ALL {
                        if network && !LowerPlot::ON_NETWORKS.contains(&v) {
                            continue;
                        }
                        ui.selectable_value(&mut state.scene.plot, v, title(v))
                            .on_hover_text(hover(v));
                    }
                })
                .response
                .on_hover_text(hover(view));
            if view == LowerPlot::Phase {
                ui.selectable_value(&mut state.phase_fast, false, "slow")
                    .on_hover_text("Along the eigenvector of the smallest eigenvalue");
                ui.selectable_value(&mut state.phase_fast, true, "fast")
                    .on_hover_text("Along the eigenvector of the largest eigenvalue");
            } else {
                ui.checkbox(&mut state.scene.log_loss, "log y");
            }
            let fit = fit_button(ui);
            if let Some(note) = note(state, cache, all_positive) {
                // At reading size, on a row of its own when it does not fit beside the
                // controls (wrapped across the panel, not into a thin column beside them).
                let width = ui
                    .painter()
                    .layout_no_wrap(
                        note.clone(),
                        egui::TextStyle::Body.resolve(ui.style()),
                        Color32::WHITE,
                    )
                    .size()
                    .x;
                // What is left of this row (available_width is the whole row's).
                if width > ui.available_size_before_wrap().x {
                    ui.end_row();
                }
                ui.add(egui::Label::new(RichText::new(note).weak()).wrap());
            }
            fit
        })
        .inner;
    let view = state.scene.plot;
    let log = state.scene.log_loss && view != LowerPlot::Phase;
    let key = data_key(
        state,
        cache,
        &[
            log,
            view == LowerPlot::StepSize,
            view == LowerPlot::Sharpness,
            view == LowerPlot::Eigen,
            view == LowerPlot::Phase,
            view == LowerPlot::Adaptive,
            state.phase_fast,
        ],
    );
    let selected_key = state.selected as u64;
    // The last thing in the panel: what is left below its header.
    let height = (ui.available_height() - 4.0).max(80.0);
    let mut plot = Plot::new("loss-plot").height(height);
    if view == LowerPlot::Phase {
        plot = plot.x_axis_label("position").y_axis_label("velocity");
    } else {
        plot = plot
            .custom_x_axes(vec![step_axis()])
            .x_grid_spacer(super::axes::step_spacer())
            .link_axis(link, [true, false])
            .link_cursor(link, [true, false])
            .include_x(0.0);
    }
    // A legend only where it fits beside the lines: in a small plot (a projector at 1280×720)
    // it would cover them and be cut; the header's note and the menu's hover still explain.
    if !shows_every_run(view) && height >= 180.0 && ui.available_width() >= 280.0 {
        plot = plot.legend(
            egui_plot::Legend::default()
                .position(egui_plot::Corner::RightTop)
                .background_alpha(0.6),
        );
    }
    if log {
        plot = plot.y_axis_formatter(log_axis).y_grid_spacer(log_spacer);
    }
    if needs_fit(ui, "loss", key ^ selected_key.rotate_left(17), fit_asked) {
        plot = plot.reset();
    }
    let response = plot.show(ui, |plot_ui| {
        let visuals = plot_ui.ctx().global_style().visuals.clone();
        match view {
            LowerPlot::Loss | LowerPlot::StepSize | LowerPlot::Sharpness => {
                every_run(plot_ui, state, cache, view, log, &visuals);
            }
            LowerPlot::Eigen => eigen(plot_ui, state, cache, log, &visuals),
            LowerPlot::Phase => phase(plot_ui, state, cache, cursor, &visuals),
            LowerPlot::Adaptive => adaptive(plot_ui, state, cache, log, &visuals),
        }
        if view != LowerPlot::Phase {
            plot_ui.vline(
                VLine::new("", cursor)
                    .color(Color32::from_white_alpha(140))
                    .width(1.0),
            );
        }
    });
    axes(response.transform.bounds())
}

/// A short remark beside the header: what a view leaves out, or why it is empty.
fn note(state: &AppState, cache: &Cache, all_positive: bool) -> Option<String> {
    let view = state.scene.plot;
    let result = cache.runs.get(state.selected)?;
    let run = state.selected + 1;
    match view {
        LowerPlot::Loss if state.scene.log_loss && !all_positive => {
            Some("(values ≤ 0 are left out)".into())
        }
        LowerPlot::Sharpness if result.curves.preconditioned => {
            Some(format!("run {run}: preconditioned λmax(P^-1·H)"))
        }
        LowerPlot::Loss if state.scene.network.is_some() => {
            Some("solid: training, dashed: held out".into())
        }
        LowerPlot::Sharpness
            if state.scene.network.is_some() && result.curves.threshold.is_empty() =>
        {
            Some(format!(
                "run {run}: λmax(H); its optimizer's threshold is on a preconditioned sharpness"
            ))
        }
        LowerPlot::Eigen | LowerPlot::Phase => Some(match &result.curves.eigen_frame {
            Some(f) => format!(
                "run {run}, λ = {} / {}",
                short(f.curvature.eigenvalues[0]),
                short(f.curvature.eigenvalues[1])
            ),
            None => format!("run {run} has no Hessian at its end"),
        }),
        LowerPlot::Adaptive => Some(match result.curves.warmup_rule_steps {
            Some(w) => format!("run {run}, 2/(1 − β2) = {}", short(w)),
            None => format!("run {run}; r_t: Adam family only"),
        }),
        _ => None,
    }
}

fn short(v: f64) -> String {
    crate::core::spec::fmt_num(crate::core::math::round_sig(v, 3))
}

/// The top of a linear loss plot when a run diverged: the range of the runs that did not,
/// plus half of it. `None` when no run is left to set the range.
fn linear_loss_cap(state: &AppState, cache: &Cache) -> Option<f64> {
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

/// Loss, step size or sharpness: one line per visible run, the selected run's threshold
/// dashed in the sharpness view.
fn every_run<'a>(
    plot_ui: &mut egui_plot::PlotUi<'a>,
    state: &AppState,
    cache: &'a Cache,
    view: LowerPlot,
    log: bool,
    visuals: &egui::Visuals,
) {
    let cap = (!log && view == LowerPlot::Loss)
        .then(|| linear_loss_cap(state, cache))
        .flatten();
    for (i, (run, result)) in state.scene.runs.iter().zip(&cache.runs).enumerate() {
        if !run.visible {
            continue;
        }
        let color = on_background(visuals, run.rgb());
        let curves = &result.curves;
        let points = curves.per_step(view, log);
        let threshold = if log {
            &curves.threshold_log
        } else {
            &curves.threshold
        };
        if view == LowerPlot::Sharpness && i == state.selected && !threshold.is_empty() {
            plot_ui.line(stability_line(
                format!("stability threshold of run {}", i + 1),
                threshold,
                color,
            ));
        }
        let width = if i == state.selected { 2.5 } else { 1.5 } * line_scale(state);
        let name = run.settings.label();
        // A diverging run leaves the top of a linear plot instead of flattening the others.
        let cut = cap
            .filter(|_| result.status.is_diverged())
            .and_then(|cap| points.iter().position(|p| p.y > cap).map(|k| (cap, k)));
        let line = match cut {
            Some((cap, k)) => {
                let mut shown = points[..k].to_vec();
                shown.push(PlotPoint::new(points[k].x, cap));
                Line::new(name, PlotPoints::Owned(shown))
            }
            None => Line::new(name, PlotPoints::Borrowed(points)),
        };
        plot_ui.line(line.color(color).width(width));
        // A network's held-out loss beside its training loss, dashed.
        let test = if log {
            &curves.test_loss_log
        } else {
            &curves.test_loss
        };
        if view == LowerPlot::Loss && !test.is_empty() {
            plot_ui.line(
                Line::new(
                    format!("run {} held out", i + 1),
                    PlotPoints::Borrowed(test),
                )
                .color(color.gamma_multiply(0.8))
                .style(LineStyle::dashed_loose())
                .width(width * 0.8),
            );
        }
    }
}

/// The colours of the slow and the fast direction: those of the curvature arrows on the
/// surface, so the two read as the same directions.
const DIRECTION_COLORS: [Color32; 2] = [CURVATURE_FLAT, CURVATURE_STEEP];

/// `color` as drawn on the plot's background: these bright colours are darkened on the light
/// theme, where they would wash out.
fn readable(visuals: &egui::Visuals, color: Color32) -> Color32 {
    if visuals.dark_mode {
        color
    } else {
        let [r, g, b, _] = color.to_array();
        let dim = |c: u8| (c as f32 * 0.6) as u8;
        Color32::from_rgb(dim(r), dim(g), dim(b))
    }
}
const DIRECTION_NAMES: [&str; 2] = ["slow", "fast"];

fn eigen<'a>(
    plot_ui: &mut egui_plot::PlotUi<'a>,
    state: &AppState,
    cache: &'a Cache,
    log: bool,
    visuals: &egui::Visuals,
) {
    let Some(result) = cache.runs.get(state.selected) else {
        return;
    };
    let c = &result.curves;
    let width = 2.0 * line_scale(state);
    for i in 0..2 {
        let (measured, theory) = if log {
            (&c.eigen_log[i], &c.eigen_theory_log[i])
        } else {
            (&c.eigen[i], &c.eigen_theory[i])
        };
        let name = if log {
            format!("|error|, {}", DIRECTION_NAMES[i])
        } else {
            format!("error, {}", DIRECTION_NAMES[i])
        };
        plot_ui.line(
            Line::new(name, PlotPoints::Borrowed(measured))
                .color(readable(visuals, DIRECTION_COLORS[i]))
                .width(width),
        );
        if !theory.is_empty() {
            plot_ui.line(
                Line::new(
                    format!("theory, {}", DIRECTION_NAMES[i]),
                    PlotPoints::Borrowed(theory),
                )
                .color(readable(visuals, DIRECTION_COLORS[i]).gamma_multiply(0.8))
                .style(LineStyle::dotted_dense())
                .width(1.5),
            );
        }
    }
}

fn phase<'a>(
    plot_ui: &mut egui_plot::PlotUi<'a>,
    state: &AppState,
    cache: &'a Cache,
    cursor: f64,
    visuals: &egui::Visuals,
) {
    let Some(result) = cache.runs.get(state.selected) else {
        return;
    };
    let c = &result.curves;
    let i = usize::from(state.phase_fast);
    let points = &c.phase[i];
    if points.is_empty() {
        return;
    }
    let shown = ((cursor.max(0.0) as usize) / c.phase_stride + 1).min(points.len());
    let color = readable(visuals, DIRECTION_COLORS[i]);
    plot_ui.line(
        Line::new(
            format!("{} direction", DIRECTION_NAMES[i]),
            PlotPoints::Borrowed(&points[..shown]),
        )
        .color(color)
        .width(1.5 * line_scale(state)),
    );
    let now = points[shown - 1];
    let ring = if visuals.dark_mode {
        Color32::WHITE
    } else {
        Color32::BLACK
    };
    plot_ui.points(
        Points::new("cursor", vec![[now.x, now.y]])
            .shape(MarkerShape::Circle)
            .radius(5.0 * line_scale(state))
            .color(ring),
    );
    plot_ui.points(
        Points::new("optimum", vec![[0.0, 0.0]])
            .shape(MarkerShape::Cross)
            .radius(6.0)
            .color(ring.gamma_multiply(0.7)),
    );
}

fn adaptive<'a>(
    plot_ui: &mut egui_plot::PlotUi<'a>,
    state: &AppState,
    cache: &'a Cache,
    log: bool,
    visuals: &egui::Visuals,
) {
    let Some(result) = cache.runs.get(state.selected) else {
        return;
    };
    let c = &result.curves;
    let width = 2.0 * line_scale(state);
    let axis_colors = [
        Color32::from_rgb(255, 170, 60),
        Color32::from_rgb(90, 170, 255),
    ];
    for (i, name) in ["|Δx|/lr", "|Δy|/lr"].into_iter().enumerate() {
        let points = if log {
            &c.coordinate_step_log[i]
        } else {
            &c.coordinate_step[i]
        };
        plot_ui.line(
            Line::new(name, PlotPoints::Borrowed(points))
                .color(readable(visuals, axis_colors[i]))
                .width(width),
        );
    }
    if !c.rectification.is_empty() {
        let to_log = |v: &[PlotPoint]| -> Vec<PlotPoint> {
            v.iter()
                .filter(|p| p.y > 0.0)
                .map(|p| PlotPoint::new(p.x, p.y.log10()))
                .collect()
        };
        let (r, ramp) = if log {
            (
                PlotPoints::Owned(to_log(&c.rectification)),
                PlotPoints::Owned(to_log(&c.rule_of_thumb)),
            )
        } else {
            (
                PlotPoints::Borrowed(&c.rectification),
                PlotPoints::Borrowed(&c.rule_of_thumb),
            )
        };
        let gray = Color32::from_gray(170);
        plot_ui.line(
            Line::new("RAdam's r_t", r)
                .color(readable(visuals, Color32::from_rgb(120, 220, 120)))
                .width(width),
        );
        plot_ui.line(
            Line::new("2/(1 − β2) ramp", ramp)
                .color(gray)
                .style(LineStyle::dashed_dense())
                .width(1.5),
        );
    }
}
