//! |θ_{k+1} − θ_k| of every run: what the learning rate, momentum and adaptive scaling amount
//! to.

use crate::tr;
use egui_plot::{PlotPoint, PlotUi};

use super::{LowerView, ViewInput, run_line, visible_runs};
use crate::app::cache::Curves;
use crate::scene::preset::LowerPlot;

pub struct StepSize;

impl LowerView for StepSize {
    fn id(&self) -> LowerPlot {
        LowerPlot::StepSize
    }

    fn title(&self) -> String {
        tr!("view-step-size-title")
    }

    fn hover(&self) -> String {
        tr!("view-step-size-help")
    }

    fn per_run<'a>(&self, curves: &'a Curves, log: bool) -> Option<&'a [PlotPoint]> {
        Some(if log {
            &curves.step_size_log
        } else {
            &curves.step_size
        })
    }

    fn draw<'a>(&self, plot_ui: &mut PlotUi<'a>, input: &ViewInput<'a>) {
        for run in visible_runs(input) {
            if let Some(points) = self.per_run(&run.result.curves, input.log) {
                run_line(plot_ui, &run, points, None);
            }
        }
    }
}
