//! The selected run's step per coordinate in units of the lr, RAdam's rectification and the
//! rule-of-thumb linear warmup it is compared with.

use crate::tr;
use egui::Color32;
use egui_plot::{Line, LineStyle, PlotPoint, PlotPoints, PlotUi};

use super::{LowerView, ViewInput, readable, short};
use crate::app::cache::{Cache, RunResult};
use crate::app::state::AppState;
use crate::app::theme::line_scale;
use crate::scene::preset::LowerPlot;

pub struct Adaptive;

impl LowerView for Adaptive {
    fn id(&self) -> LowerPlot {
        LowerPlot::Adaptive
    }

    fn title(&self) -> String {
        tr!("view-adaptive-title")
    }

    fn hover(&self) -> String {
        tr!("view-adaptive-help")
    }

    fn note(&self, state: &AppState, _cache: &Cache, selected: &RunResult) -> Option<String> {
        let run = state.selected + 1;
        Some(match selected.curves.warmup_rule_steps {
            Some(w) => tr!("view-adaptive-warmup-note", run = run, steps = short(w)),
            None => tr!("view-adaptive-adam-only", run = run),
        })
    }

    fn draw<'a>(&self, plot_ui: &mut PlotUi<'a>, input: &ViewInput<'a>) {
        let (state, log, visuals) = (input.state, input.log, &input.visuals);
        let Some(result) = input.cache.runs.get(state.selected) else {
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
                Line::new(tr!("view-adaptive-rectification-legend"), r)
                    .color(readable(visuals, Color32::from_rgb(120, 220, 120)))
                    .width(width),
            );
            plot_ui.line(
                Line::new(tr!("view-adaptive-ramp-legend"), ramp)
                    .color(gray)
                    .style(LineStyle::dashed_dense())
                    .width(1.5),
            );
        }
    }
}
