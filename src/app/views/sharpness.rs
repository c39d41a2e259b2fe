//! λmax of the Hessian along every run's path, the selected run's stability threshold dashed.

use crate::tr;
use egui_plot::{PlotPoint, PlotUi};

use super::{LowerView, ViewInput, run_line, visible_runs};
use crate::app::cache::{Cache, Curves, RunResult};
use crate::app::state::AppState;
use crate::app::step_plot::stability_line;
use crate::scene::preset::LowerPlot;

pub struct Sharpness;

impl LowerView for Sharpness {
    fn id(&self) -> LowerPlot {
        LowerPlot::Sharpness
    }

    fn title(&self) -> String {
        tr!("view-sharpness-title")
    }

    fn hover(&self) -> String {
        tr!("view-sharpness-help")
    }

    fn on_networks(&self) -> bool {
        true
    }

    fn per_run<'a>(&self, curves: &'a Curves, log: bool) -> Option<&'a [PlotPoint]> {
        Some(if log {
            &curves.sharpness_log
        } else {
            &curves.sharpness
        })
    }

    fn note(&self, state: &AppState, _cache: &Cache, selected: &RunResult) -> Option<String> {
        let run = state.selected + 1;
        if selected.curves.preconditioned {
            Some(tr!("view-sharpness-preconditioned", run = run))
        } else if state.scene.network.is_some() && selected.curves.threshold.is_empty() {
            Some(tr!("view-sharpness-not-preconditioned", run = run))
        } else {
            None
        }
    }

    fn draw<'a>(&self, plot_ui: &mut PlotUi<'a>, input: &ViewInput<'a>) {
        let log = input.log;
        for run in visible_runs(input) {
            let curves = &run.result.curves;
            let threshold = if log {
                &curves.threshold_log
            } else {
                &curves.threshold
            };
            if run.selected && !threshold.is_empty() {
                plot_ui.line(stability_line(
                    tr!("view-sharpness-threshold-legend", run = run.index + 1),
                    threshold,
                    run.color,
                ));
            }
            if let Some(points) = self.per_run(curves, log) {
                run_line(plot_ui, &run, points, None);
            }
        }
    }
}
