//! What the two plots against the step share: the step axis, when a plot fits its data
//! again, the dashed stability line and the Fit button.

use crate::tr;
use egui::{Color32, Id, Ui};
use egui_plot::{Line, LineStyle, PlotPoint, PlotPoints};

use super::cache::Cache;
use super::state::AppState;

/// The id that links the x axes (and cursors) of the plots against the step.
pub fn step_link() -> Id {
    Id::unique("optiscope-step-axis")
}

/// The axes the step plots showed last frame, as (x, y) ranges (tests check a plot shows its
/// whole data after a scene opens).
#[derive(Clone, Debug, Default)]
pub struct PlotAxes {
    pub lr: Option<([f64; 2], [f64; 2])>,
    pub loss: Option<([f64; 2], [f64; 2])>,
}

/// The step axis: labels need less room than egui_plot's default 60 px, or a narrow plot in
/// presentation mode shows only "0".
/// Its plot's grid is [`super::axes::step_spacer`], which labels steps
/// [`super::axes::STEP_LABEL_GAP`] points apart.
pub fn step_axis() -> egui_plot::AxisHints<'static> {
    egui_plot::AxisHints::new_x()
        .label(tr!("steps-step-axis"))
        .label_spacing(28.0..=super::axes::STEP_LABEL_GAP)
}

/// What a plot shows, hashed: when it changes (a scene opens, a run is recomputed, shown or
/// hidden, the axis switches to log) the plot fits its data again, whatever the user's wheel
/// or drag did to its axes before.
pub fn data_key(state: &AppState, cache: &Cache, extra: impl std::hash::Hash) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (run, result) in state.scene.runs.iter().zip(&cache.runs) {
        (run.visible, result.generation).hash(&mut h);
    }
    extra.hash(&mut h);
    h.finish()
}

/// Whether the plot `id` should fit its data this frame: its data changed since it last did,
/// or the user asked (the Fit button).
pub fn needs_fit(ui: &Ui, id: &str, key: u64, asked: bool) -> bool {
    let memory = Id::unique(("optiscope-plot-fit", id));
    let last = ui.data(|d| d.get_temp::<u64>(memory));
    ui.data_mut(|d| d.insert_temp(memory, key));
    asked || last != Some(key)
}

/// The selected run's stability limit (LR plot) or threshold (sharpness view): dashed, in
/// the run's colour a little dimmed, so it reads as a bound beside the run's own line.
pub fn stability_line(name: String, points: &[PlotPoint], color: Color32) -> Line<'_> {
    Line::new(name, PlotPoints::Borrowed(points))
        .color(color.gamma_multiply(0.8))
        .style(LineStyle::dashed_dense())
        .width(1.5)
}

pub fn fit_button(ui: &mut Ui) -> bool {
    ui.small_button(tr!("steps-fit"))
        .on_hover_text(tr!("steps-fit-the-plot-to-its"))
        .clicked()
}

pub fn axes(bounds: &egui_plot::PlotBounds) -> ([f64; 2], [f64; 2]) {
    (
        [bounds.min()[0], bounds.max()[0]],
        [bounds.min()[1], bounds.max()[1]],
    )
}
