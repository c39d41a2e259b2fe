//! f(θ_k) of every run against the step; a network's held-out loss dashed beside it.

use crate::tr;
use egui_plot::{Line, LineStyle, PlotPoint, PlotPoints, PlotUi};

use super::{LowerView, ViewInput, run_line, visible_runs};
use crate::app::cache::{Cache, Curves, RunResult};
use crate::app::state::AppState;
use crate::scene::preset::LowerPlot;

pub struct Loss;

impl LowerView for Loss {
    fn id(&self) -> LowerPlot {
        LowerPlot::Loss
    }

    fn title(&self) -> String {
        tr!("view-loss-title")
    }

    fn hover(&self) -> String {
        tr!("view-loss-help")
    }

    fn on_networks(&self) -> bool {
        true
    }

    fn per_run<'a>(&self, curves: &'a Curves, log: bool) -> Option<&'a [PlotPoint]> {
        Some(if log { &curves.loss_log } else { &curves.loss })
    }

    fn note(&self, state: &AppState, cache: &Cache, _selected: &RunResult) -> Option<String> {
        let all_positive = cache.runs.iter().all(|r| r.curves.losses_positive);
        if state.scene.log_loss && !all_positive {
            Some(tr!("view-loss-nonpositive-left-out"))
        } else if state.scene.network.is_some() {
            Some(tr!("view-loss-solid-dashed"))
        } else {
            None
        }
    }

    fn draw<'a>(&self, plot_ui: &mut PlotUi<'a>, input: &ViewInput<'a>) {
        let log = input.log;
        let cap = (!log).then(|| linear_loss_cap(input)).flatten();
        for run in visible_runs(input) {
            let curves = &run.result.curves;
            if let Some(points) = self.per_run(curves, log) {
                run_line(plot_ui, &run, points, cap);
            }
            // A network's held-out loss beside its training loss, dashed.
            let test = if log {
                &curves.test_loss_log
            } else {
                &curves.test_loss
            };
            if !test.is_empty() {
                plot_ui.line(
                    Line::new(
                        tr!("view-loss-held-out-legend", run = run.index + 1),
                        PlotPoints::Borrowed(test),
                    )
                    .color(run.color.gamma_multiply(0.8))
                    .style(LineStyle::dashed_loose())
                    .width(run.width * 0.8),
                );
            }
        }
    }
}

/// The top of a linear loss plot when a run diverged: the range of the runs that did not,
/// plus half of it. `None` when no run is left to set the range.
fn linear_loss_cap(input: &ViewInput) -> Option<f64> {
    let (state, cache) = (input.state, input.cache);
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
