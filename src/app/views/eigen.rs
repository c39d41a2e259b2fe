//! The selected run's error θ_k − θ* along the Hessian's eigenvectors at the minimum, beside
//! what the closed-form rate predicts.

use egui_plot::{Line, LineStyle, PlotPoints, PlotUi};

use super::{DIRECTION_COLORS, DIRECTION_NAMES, LowerView, ViewInput, eigen_note, readable};
use crate::app::cache::{Cache, RunResult};
use crate::app::state::AppState;
use crate::app::theme::line_scale;
use crate::scene::preset::LowerPlot;

pub struct Eigen;

impl LowerView for Eigen {
    fn id(&self) -> LowerPlot {
        LowerPlot::Eigen
    }

    fn title(&self) -> &'static str {
        "Eigen-components"
    }

    fn hover(&self) -> &'static str {
        "The selected run's error θ_k − θ* along the Hessian's eigenvectors at the minimum: \
         which direction converges slowly and which oscillates; dotted: what the closed-form \
         rate predicts (SGD family)"
    }

    fn note(&self, state: &AppState, _cache: &Cache, selected: &RunResult) -> Option<String> {
        Some(eigen_note(state, selected))
    }

    fn draw<'a>(&self, plot_ui: &mut PlotUi<'a>, input: &ViewInput<'a>) {
        let (state, log, visuals) = (input.state, input.log, &input.visuals);
        let Some(result) = input.cache.runs.get(state.selected) else {
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
}
