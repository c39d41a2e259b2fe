//! λmax of the Hessian along every run's path, the selected run's stability threshold dashed.

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

    fn title(&self) -> &'static str {
        "Sharpness"
    }

    fn hover(&self) -> &'static str {
        "λmax of the Hessian at each step; dashed: the largest sharpness the selected run is \
         stable at with that step's lr (2/lr for GD, 2(1+β)/lr with momentum). Adam, RMSprop \
         and AdaGrad show the preconditioned sharpness λmax(P^-1·H) against 38/lr (Adam at \
         β1 = 0.9), 2(1+μ)/lr and 2/lr"
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
            Some(format!("run {run}: preconditioned λmax(P^-1·H)"))
        } else if state.scene.network.is_some() && selected.curves.threshold.is_empty() {
            Some(format!(
                "run {run}: λmax(H); its optimizer's threshold is on a preconditioned sharpness"
            ))
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
                    format!("stability threshold of run {}", run.index + 1),
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
