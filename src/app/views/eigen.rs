//! The selected run's error θ_k − θ* along the Hessian's eigenvectors at the minimum, beside
//! what the closed-form rate predicts.

use crate::tr;
use egui_plot::{Line, LineStyle, PlotPoints, PlotUi};

use super::{DIRECTION_COLORS, LowerView, ViewInput, direction_name, eigen_note, readable};
use crate::app::cache::{Cache, RunResult};
use crate::app::state::AppState;
use crate::app::theme::line_scale;
use crate::scene::preset::LowerPlot;

pub struct Eigen;

impl LowerView for Eigen {
    fn id(&self) -> LowerPlot {
        LowerPlot::Eigen
    }

    fn title(&self) -> String {
        tr!("view-eigen-title")
    }

    fn hover(&self) -> String {
        tr!("view-eigen-help")
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
        for (i, &direction_color) in DIRECTION_COLORS.iter().enumerate() {
            let (measured, theory) = if log {
                (&c.eigen_log[i], &c.eigen_theory_log[i])
            } else {
                (&c.eigen[i], &c.eigen_theory[i])
            };
            let name = if log {
                tr!("view-eigen-abs-error-legend", direction = direction_name(i))
            } else {
                tr!("view-eigen-error-legend", direction = direction_name(i))
            };
            plot_ui.line(
                Line::new(name, PlotPoints::Borrowed(measured))
                    .color(readable(visuals, direction_color))
                    .width(width),
            );
            if !theory.is_empty() {
                plot_ui.line(
                    Line::new(
                        tr!("view-eigen-theory-legend", direction = direction_name(i)),
                        PlotPoints::Borrowed(theory),
                    )
                    .color(readable(visuals, direction_color).gamma_multiply(0.8))
                    .style(LineStyle::dotted_dense())
                    .width(1.5),
                );
            }
        }
    }
}
