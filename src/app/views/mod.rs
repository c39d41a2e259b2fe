//! The views of the plot under the learning-rate plot, one file each, and the one list of them.
//!
//! A view is a [`LowerView`]: its name and hover text in the header's menu, whether a network
//! scene offers it, the curve it takes from the cache for each run, its header controls and
//! note, and how it draws. Scenes save only its id ([`LowerPlot`]); [`of`] finds the view of an
//! id. A new view is a new file here, one line in [`BUILT_IN`] and a variant of `LowerPlot`; a
//! view added at run time goes through [`register`] (see `tests/new_view.rs`).

mod adaptive;
mod eigen;
mod loss;
mod phase;
mod sharpness;
mod step_size;

use crate::{msg, tr};
use std::sync::RwLock;

use egui::{Color32, Ui, Visuals};
use egui_plot::{Line, Plot, PlotPoint, PlotPoints, PlotUi};

use super::cache::{Cache, Curves, RunResult};
use super::state::AppState;
use super::theme::{CURVATURE_FLAT, CURVATURE_STEEP, line_scale, on_background};
use crate::scene::preset::{LowerPlot, RegisterViewError, SceneRun};

/// What a view draws from, in the frame it draws.
pub struct ViewInput<'a> {
    pub state: &'a AppState,
    pub cache: &'a Cache,
    /// The y axis is log10 (the header's "log y", for views that offer it).
    pub log: bool,
    /// The animation's step.
    pub cursor: f64,
    pub visuals: Visuals,
}

/// One view of the lower plot: everything the header and the plot need to know of it, so
/// neither names a view.
pub trait LowerView: Send + Sync + 'static {
    /// The id scenes save it under.
    fn id(&self) -> LowerPlot;

    /// Its name in the header's menu (from the text layer, for a built-in view).
    fn title(&self) -> String;

    /// What it shows, on hovering the menu and its entry.
    fn hover(&self) -> String;

    /// Whether a network scene offers it: most views need a surface's Hessian or a 2D path.
    fn on_networks(&self) -> bool {
        false
    }

    /// The one line each run draws, from its cached curves; `None` for a view of the selected
    /// run's own lines (which a legend names). Which of the two depends on the view alone.
    fn per_run<'a>(&self, _curves: &'a Curves, _log: bool) -> Option<&'a [PlotPoint]> {
        None
    }

    /// Whether its x axis is the step (linked with the LR plot, with the cursor's line).
    fn over_steps(&self) -> bool {
        true
    }

    /// Whether its y axis follows the header's "log y".
    fn log_y(&self) -> bool {
        true
    }

    /// The controls beside the menu: "log y" unless the view has its own.
    fn header_ui(&self, ui: &mut Ui, state: &mut AppState) {
        ui.checkbox(&mut state.scene.log_loss, tr!("view-log-y"));
    }

    /// A short remark beside the header (what the view leaves out, or why it is empty), given
    /// the selected run's result.
    fn note(&self, _state: &AppState, _cache: &Cache, _selected: &RunResult) -> Option<String> {
        None
    }

    /// Sets the plot's axes where they are not the step's (see [`LowerView::over_steps`]).
    fn axes<'a>(&self, plot: Plot<'a>) -> Plot<'a> {
        plot
    }

    /// Draws its lines into the plot.
    fn draw<'a>(&self, plot_ui: &mut PlotUi<'a>, input: &ViewInput<'a>);
}

/// The built-in views, in the order of the header's menu.
pub static BUILT_IN: &[&dyn LowerView] = &[
    &loss::Loss,
    &step_size::StepSize,
    &sharpness::Sharpness,
    &eigen::Eigen,
    &phase::Phase,
    &adaptive::Adaptive,
];

/// Views added at run time, after the built-in ones.
static ADDED: RwLock<Vec<&'static dyn LowerView>> = RwLock::new(Vec::new());

/// Adds a view at run time (a plugin's, a test's toy view): it is then offered in the header
/// and saved like a built-in one, under the name of its id `LowerPlot::Registered(name)`. A
/// built-in id or a name that is taken is refused.
pub fn register(view: &'static dyn LowerView) -> Result<(), RegisterViewError> {
    let LowerPlot::Registered(name) = view.id() else {
        return Err(RegisterViewError::BuiltInId(view.id().name()));
    };
    let mut added = ADDED.write().unwrap_or_else(|e| e.into_inner());
    LowerPlot::register(name)?;
    added.push(view);
    Ok(())
}

/// Every view: the built-in ones, then those registered.
pub fn all() -> Vec<&'static dyn LowerView> {
    let mut views = BUILT_IN.to_vec();
    // A poisoned lock still holds a valid list: views are only ever pushed.
    views.extend(ADDED.read().unwrap_or_else(|e| e.into_inner()).iter());
    views
}

/// The view of `id`; the loss for an id no view has (a registered name not registered in this
/// process cannot load, so this only guards against a hand-made id).
pub fn of(id: LowerPlot) -> &'static dyn LowerView {
    all()
        .into_iter()
        .find(|v| v.id() == id)
        .unwrap_or(BUILT_IN[0])
}

/// The view's name in the header's menu.
pub fn title(id: LowerPlot) -> String {
    of(id).title()
}

/// A visible run as the views of every run draw it.
pub struct RunLine<'a> {
    pub index: usize,
    pub run: &'a SceneRun,
    pub result: &'a RunResult,
    pub selected: bool,
    pub color: Color32,
    pub width: f32,
}

/// The visible runs, each with its colour on the plot's background and its line width (the
/// selected run's wider).
pub fn visible_runs<'a>(input: &ViewInput<'a>) -> Vec<RunLine<'a>> {
    let state = input.state;
    state
        .scene
        .runs
        .iter()
        .zip(&input.cache.runs)
        .enumerate()
        .filter(|(_, (run, _))| run.visible)
        .map(|(index, (run, result))| {
            let selected = index == state.selected;
            RunLine {
                index,
                run,
                result,
                selected,
                color: on_background(&input.visuals, run.rgb()),
                width: if selected { 2.5 } else { 1.5 } * line_scale(state),
            }
        })
        .collect()
}

/// Draws `run`'s line through `points`; where it diverged and `cap` is set (a linear loss
/// axis), it is cut where it leaves the top instead of flattening the other runs.
pub fn run_line<'a>(
    plot_ui: &mut PlotUi<'a>,
    run: &RunLine<'a>,
    points: &'a [PlotPoint],
    cap: Option<f64>,
) {
    let name = run.run.settings.label();
    let cut = cap
        .filter(|_| run.result.status.is_diverged())
        .and_then(|cap| points.iter().position(|p| p.y > cap).map(|k| (cap, k)));
    let line = match cut {
        Some((cap, k)) => {
            let mut shown = points[..k].to_vec();
            shown.push(PlotPoint::new(points[k].x, cap));
            Line::new(name, PlotPoints::Owned(shown))
        }
        None => Line::new(name, PlotPoints::Borrowed(points)),
    };
    plot_ui.line(line.color(run.color).width(run.width));
}

/// The colours of the slow and the fast direction: those of the curvature arrows on the
/// surface, so the two read as the same directions.
const DIRECTION_COLORS: [Color32; 2] = [CURVATURE_FLAT, CURVATURE_STEEP];
const DIRECTION_NAMES: [&str; 2] = [msg!("view-direction-slow"), msg!("view-direction-fast")];

/// The name of eigen-direction `i` (0: slow, 1: fast).
fn direction_name(i: usize) -> String {
    crate::text::text(DIRECTION_NAMES[i], None)
}

/// `color` as drawn on the plot's background: these bright colours are darkened on the light
/// theme, where they would wash out.
fn readable(visuals: &Visuals, color: Color32) -> Color32 {
    if visuals.dark_mode {
        color
    } else {
        let [r, g, b, _] = color.to_array();
        let dim = |c: u8| (c as f32 * 0.6) as u8;
        Color32::from_rgb(dim(r), dim(g), dim(b))
    }
}

fn short(v: f64) -> String {
    crate::core::spec::fmt_num(crate::core::math::round_sig(v, 3))
}

/// The note of the views of the eigen-frame: the selected run's two eigenvalues.
fn eigen_note(state: &AppState, selected: &RunResult) -> String {
    let run = state.selected + 1;
    match &selected.curves.eigen_frame {
        Some(f) => tr!(
            "view-eigen-note",
            run = run,
            slow = short(f.curvature.eigenvalues[0]),
            fast = short(f.curvature.eigenvalues[1])
        ),
        None => tr!("view-no-hessian-at-end", run = run),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_view_has_its_own_id_and_every_id_a_view() {
        for (i, view) in BUILT_IN.iter().enumerate() {
            assert_eq!(of(view.id()).title(), view.title());
            assert!(
                BUILT_IN[..i].iter().all(|v| v.id() != view.id()),
                "{} twice",
                view.title()
            );
            assert_eq!(LowerPlot::from_name(view.id().name()), Some(view.id()));
        }
        for id in LowerPlot::built_in() {
            assert!(BUILT_IN.iter().any(|v| v.id() == id), "no view for {id:?}");
        }
    }
}
