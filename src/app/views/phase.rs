//! Position against velocity along one eigenvector for the selected run, up to the cursor:
//! momentum spirals, gradient descent walks a line.

use crate::tr;
use egui::{Color32, Ui};
use egui_plot::{Line, MarkerShape, Plot, PlotPoints, PlotUi, Points};

use super::{DIRECTION_COLORS, LowerView, ViewInput, direction_name, eigen_note, readable};
use crate::app::cache::{Cache, RunResult};
use crate::app::state::AppState;
use crate::app::theme::line_scale;
use crate::scene::preset::LowerPlot;

pub struct Phase;

impl LowerView for Phase {
    fn id(&self) -> LowerPlot {
        LowerPlot::Phase
    }

    fn title(&self) -> String {
        tr!("view-phase-title")
    }

    fn hover(&self) -> String {
        tr!("view-phase-help")
    }

    fn over_steps(&self) -> bool {
        false
    }

    fn log_y(&self) -> bool {
        false
    }

    /// Which eigenvector, instead of "log y".
    fn header_ui(&self, ui: &mut Ui, state: &mut AppState) {
        ui.selectable_value(&mut state.phase_fast, false, tr!("view-phase-slow"))
            .on_hover_text(tr!("view-phase-along-the-eigenvector-of-the"));
        ui.selectable_value(&mut state.phase_fast, true, tr!("view-phase-fast"))
            .on_hover_text(tr!("view-phase-along-the-eigenvector-of-the-2"));
    }

    fn note(&self, state: &AppState, _cache: &Cache, selected: &RunResult) -> Option<String> {
        Some(eigen_note(state, selected))
    }

    fn axes<'a>(&self, plot: Plot<'a>) -> Plot<'a> {
        plot.x_axis_label(tr!("view-phase-position"))
            .y_axis_label(tr!("view-phase-velocity"))
    }

    fn draw<'a>(&self, plot_ui: &mut PlotUi<'a>, input: &ViewInput<'a>) {
        let (state, visuals) = (input.state, &input.visuals);
        let Some(result) = input.cache.runs.get(state.selected) else {
            return;
        };
        let c = &result.curves;
        let i = usize::from(state.phase_fast);
        let points = &c.phase[i];
        if points.is_empty() {
            return;
        }
        let shown = ((input.cursor.max(0.0) as usize) / c.phase_stride + 1).min(points.len());
        let color = readable(visuals, DIRECTION_COLORS[i]);
        plot_ui.line(
            Line::new(
                tr!("view-phase-direction-legend", direction = direction_name(i)),
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
            Points::new(tr!("view-phase-cursor-legend"), vec![[now.x, now.y]])
                .shape(MarkerShape::Circle)
                .radius(5.0 * line_scale(state))
                .color(ring),
        );
        plot_ui.points(
            Points::new(tr!("view-phase-optimum-legend"), vec![[0.0, 0.0]])
                .shape(MarkerShape::Cross)
                .radius(6.0)
                .color(ring.gamma_multiply(0.7)),
        );
    }
}
