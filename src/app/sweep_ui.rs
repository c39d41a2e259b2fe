//! The "Which learning rates work?" window: a sweep of the selected run over base learning
//! rates (optionally × momentum, β1, warmup steps or the decay rate), computed in the
//! background (on every core on the desktop, in slices of frames in the browser), and fastai's learning-rate range test. Clicking a result sets those
//! values on the run.

use super::axes::{log_axis, log_spacer};
use crate::core::math::round_sig;
use crate::picture::colormap::fmt_value;
use crate::tr;

mod bayes;
mod grid;
mod range_test;
use bayes::bayes_ui;
use grid::result_ui;
use range_test::range_test_ui;

use egui::{Color32, ColorImage, RichText, TextureHandle, TextureOptions, Ui};
use egui_plot::{Line, MarkerShape, Plot, PlotImage, PlotPoint, PlotTransform, Points, VLine};

use super::cache::Cache;
use super::platform::{self, Instant, Step, Task};
use super::state::AppState;
use super::theme::{DIVERGED_CELL, DIVERGED_COLOR, colormap, readable};
use crate::core::run::simulation::fmt_lr;
use crate::core::spec::{Spec, Value};
use crate::core::tuning::bayes::LrSearch;
use crate::core::tuning::sweep::{
    Cell, Outcome, RATE_LEVELS, RangeTest, RangeTestSpec, SweepAxis, SweepError, SweepParam,
    SweepRun, SweepSpec, SweepTheory, bayes_lr_search, lin_space, log_space, lr_range_test,
};
use crate::{OPTIMIZERS, RunSettings, SCHEDULES};

/// The second axis a user can choose, resolved against the selected run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SecondAxis {
    None,
    Momentum,
    Beta1,
    WarmupSteps,
    DecayRate,
}

impl SecondAxis {
    /// What the axis is called in the window (`beta1` is the parameter's own name).
    fn label(self) -> String {
        match self {
            Self::None => tr!("sweep-axis-none"),
            Self::Momentum => tr!("sweep-axis-momentum"),
            Self::Beta1 => "beta1".to_owned(),
            Self::WarmupSteps => tr!("sweep-axis-warmup-steps"),
            Self::DecayRate => tr!("sweep-axis-decay-rate"),
        }
    }

    /// The spec parameter this axis sets on `run`, if the run has it.
    fn param(self, run: &RunSettings) -> Option<SweepParam> {
        fn has<T: crate::core::spec::Item>(
            spec: &Spec,
            registry: &crate::core::spec::Registry<T>,
            key: &str,
        ) -> bool {
            registry
                .def(&spec.name)
                .is_some_and(|item| item.params.iter().any(|p| p.name == key))
        }
        match self {
            Self::None => None,
            // torch.optim's names, found under each framework's own spelling (Keras's beta_1).
            Self::Momentum | Self::Beta1 => OPTIMIZERS
                .find(&run.optimizer.name)?
                .param_named(if self == Self::Momentum {
                    "momentum"
                } else {
                    "beta1"
                })
                .map(|k| SweepParam::Optimizer(k.into())),
            Self::WarmupSteps => Some(SweepParam::Warmup("steps".into())),
            Self::DecayRate => ["gamma", "k"]
                .into_iter()
                .find(|k| has(&run.schedule, &SCHEDULES, k))
                .map(|k| SweepParam::Schedule(k.into())),
        }
    }

    /// A sensible range for the axis: (min, max, whole numbers).
    fn default_range(self, steps: u64) -> (f64, f64, bool) {
        match self {
            Self::Momentum | Self::Beta1 => (0.0, 0.99, false),
            Self::WarmupSteps => (0.0, (steps / 2).max(1) as f64, true),
            Self::DecayRate => (0.9, 0.999, false),
            Self::None => (0.0, 1.0, false),
        }
    }
}

/// A sweep running in the background.
struct Job {
    task: Task<Result<(SweepSpec, Vec<Cell>), SweepError>>,
    total: usize,
    run_index: usize,
    started: Instant,
}

/// A finished sweep.
pub struct SweepResult {
    pub spec: SweepSpec,
    pub cells: Vec<Cell>,
    pub run_index: usize,
    /// The stability limit over the second axis (see [`SweepSpec::stability_boundary`]).
    pub boundary: Vec<(f64, f64)>,
    /// What the closed forms predict for this sweep (SGD family on a convex local quadratic).
    pub theory: Option<SweepTheory>,
    texture: Option<TextureHandle>,
}

/// A finished Bayesian search of the selected run's lr.
pub struct BayesResult {
    pub search: LrSearch,
    pub cells: Vec<Cell>,
    pub run_index: usize,
}

/// The window's settings and what it computed; lives only while the app runs.
pub struct SweepUi {
    pub open: bool,
    pub lr_min: f64,
    pub lr_max: f64,
    pub lr_count: usize,
    pub second: SecondAxis,
    pub second_min: f64,
    pub second_max: f64,
    pub second_count: usize,
    /// The 1D plot shows the step from which the run had converged instead of the final loss.
    pub show_steps_to_converge: bool,
    job: Option<Job>,
    pub result: Option<SweepResult>,
    pub range_test: Option<RangeTest>,
    pub bayes: Option<BayesResult>,
    pub error: Option<String>,
    /// Where the result plot was drawn, so tests (and clicks) can find a cell on screen.
    pub transform: Option<PlotTransform>,
    /// Frames the window was shown in, counted to 2: the second runs [`warm_up`].
    shown_frames: u8,
}

impl Default for SweepUi {
    fn default() -> Self {
        Self {
            open: false,
            lr_min: 1e-4,
            lr_max: 10.0,
            lr_count: 128,
            second: SecondAxis::None,
            second_min: 0.0,
            second_max: 0.99,
            second_count: 32,
            show_steps_to_converge: false,
            job: None,
            result: None,
            range_test: None,
            bayes: None,
            error: None,
            transform: None,
            shown_frames: 0,
        }
    }
}

/// The browser compiles WebAssembly lazily, each function on its first call: the first sweep
/// of a page spent 30–60 ms compiling inside one 12 ms slice. The frame after the window
/// opens runs two cells of the selected run (one that converges or runs out of steps, one that
/// diverges), so that code is compiled before Run sweep is clicked.
fn warm_up(state: &AppState) {
    let (surface, run) = selected_run(state);
    let spec = SweepSpec {
        surface,
        run,
        lrs: vec![1e-4, 1e3],
        second: None,
    };
    let _ = (spec.stability_boundary(), spec.theory());
    if let Ok(mut sweep) = SweepRun::new(spec) {
        let _ = sweep.advance(2, 1);
    }
}

/// The selected run as the simulation takes it, with the surface it runs on.
fn selected_run(state: &AppState) -> (Spec, RunSettings) {
    let i = state.selected;
    let run = &state.scene.runs[i].settings;
    (
        run.surface(&state.scene.surface),
        run.starting_from(state.scene.start),
    )
}

impl SweepUi {
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// Starts a sweep of the selected run with the window's settings.
    pub fn start(&mut self, state: &AppState) {
        self.cancel();
        let (surface, mut run) = selected_run(state);
        let second = match self.second.param(&run) {
            Some(param) => {
                let whole = self.second.default_range(run.steps).2;
                let mut values = lin_space(self.second_min, self.second_max, self.second_count);
                if whole {
                    values.iter_mut().for_each(|v| *v = v.round());
                }
                if matches!(param, SweepParam::Warmup(_)) && run.warmup.name == "none" {
                    run.warmup = Spec::named("linear").with("steps", Value::Num(0.0));
                }
                Some(SweepAxis { param, values })
            }
            None => None,
        };
        let spec = SweepSpec {
            surface,
            run,
            lrs: log_space(self.lr_min, self.lr_max, self.lr_count),
            second,
        };
        let total = spec.cell_count();
        let threads = platform::threads();
        let mut sweep = None;
        let task = Task::start(move |budget| {
            let run = match &mut sweep {
                Some(run) => run,
                None => match SweepRun::new(spec.clone()) {
                    Ok(run) => sweep.insert(run),
                    Err(e) => return Step::Ready(Err(e)),
                },
            };
            // Some cells per thread at a time (one in the browser, which checks its slice's
            // deadline after each): progress and Cancel are seen between them.
            let batch = if threads > 1 { threads * 16 } else { 1 };
            while budget.has_time() && !run.is_finished() {
                if let Err(e) = run.advance(batch, threads) {
                    return Step::Ready(Err(e));
                }
                budget.report(run.done(), run.total());
            }
            match sweep.take_if(|run| run.is_finished()) {
                Some(run) => Step::Ready(Ok(run.finish())),
                None => Step::Pending,
            }
        });
        self.error = None;
        self.job = Some(Job {
            task,
            total,
            run_index: state.selected,
            started: Instant::now(),
        });
    }

    pub fn cancel(&mut self) {
        if let Some(mut job) = self.job.take() {
            job.task.cancel();
        }
    }

    /// Collects a finished sweep; call once per frame.
    pub fn poll(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.job else {
            return;
        };
        let outcome = job.task.poll();
        self.finish(ctx, outcome);
    }

    /// Blocks until a running sweep has finished (tests, and before closing).
    pub fn wait(&mut self, ctx: &egui::Context) {
        if let Some(job) = &mut self.job {
            let outcome = job.task.wait();
            self.finish(ctx, outcome);
        }
    }

    fn finish(
        &mut self,
        ctx: &egui::Context,
        outcome: platform::Outcome<Result<(SweepSpec, Vec<Cell>), SweepError>>,
    ) {
        if let platform::Outcome::Running = outcome {
            ctx.request_repaint_after(platform::REPOLL);
            return;
        }
        let Some(job) = self.job.take() else {
            return;
        };
        match outcome {
            platform::Outcome::Done(Ok((spec, cells))) => {
                platform::announce(&tr!(
                    "sweep-finished",
                    runs = cells.len(),
                    seconds = format!("{:.2}", job.started.elapsed().as_secs_f64())
                ));
                self.result = Some(SweepResult {
                    boundary: spec.stability_boundary(),
                    theory: spec.theory(),
                    spec,
                    cells,
                    run_index: job.run_index,
                    texture: None,
                })
            }
            platform::Outcome::Done(Err(e)) => self.error = Some(e.text()),
            platform::Outcome::Running | platform::Outcome::Cancelled => {}
            platform::Outcome::Crashed => self.error = Some(tr!("sweep-crashed")),
        }
    }

    /// Where cell (i-th lr, j-th second value) of the result is drawn on screen.
    pub fn cell_screen_pos(&self, i: usize, j: usize) -> Option<egui::Pos2> {
        let (result, t) = (self.result.as_ref()?, self.transform.as_ref()?);
        let x = result.spec.lrs.get(i)?.log10();
        let y = match &result.spec.second {
            Some(axis) => *axis.values.get(j)?,
            None if self.show_steps_to_converge => match result.cells[i].outcome {
                Outcome::Finished {
                    converged_at: Some(s),
                    ..
                } => s as f64,
                _ => 0.0,
            },
            None => result.cells[i].outcome.final_loss().map_or(0.0, plot_loss),
        };
        Some(t.position_from_point(&PlotPoint::new(x, y)))
    }
}

fn plot_loss(loss: f64) -> f64 {
    if loss > 0.0 { loss.log10() } else { f64::NAN }
}

/// The log10 final-loss range the 2D map's colours span: from the best cell (at most 16
/// decades down) to the loss at the start. `None` when no cell finished with a positive loss.
fn color_range(cells: &[Cell], start_loss: Option<f64>) -> Option<(f64, f64)> {
    let logs: Vec<f64> = cells
        .iter()
        .filter_map(|c| c.outcome.final_loss())
        .filter(|l| *l > 0.0 && l.is_finite())
        .map(f64::log10)
        .collect();
    let hi = start_loss
        .filter(|l| *l > 0.0 && l.is_finite())
        .map(f64::log10)
        .unwrap_or_else(|| logs.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    let lo = logs
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .max(hi - 16.0);
    (lo.is_finite() && hi.is_finite() && hi > lo).then_some((lo, hi))
}

/// The window; edits the selected run when a result is clicked.
pub fn sweep_window(ctx: &egui::Context, sweep: &mut SweepUi, state: &mut AppState, cache: &Cache) {
    sweep.poll(ctx);
    if sweep.open && platform::COMPILES_LAZILY && sweep.shown_frames < 2 {
        // The window is drawn first; the frame after it, the code is compiled.
        if sweep.shown_frames == 1 {
            warm_up(state);
        } else {
            ctx.request_repaint();
        }
        sweep.shown_frames += 1;
    }
    let mut open = sweep.open;
    egui::Window::new(tr!("sweep-which-learning-rates-work"))
        .open(&mut open)
        .default_size([560.0, 560.0])
        .resizable(true)
        .vscroll(true)
        .show(ctx, |ui| {
            settings_ui(ui, sweep, state);
            ui.separator();
            if let Some(e) = &sweep.error {
                ui.colored_label(readable(ui.visuals(), DIVERGED_COLOR), e);
            }
            result_ui(ui, sweep, state, cache);
            range_test_ui(ui, sweep, state);
            bayes_ui(ui, sweep, state);
        });
    sweep.open = open;
}

fn settings_ui(ui: &mut Ui, sweep: &mut SweepUi, state: &mut AppState) {
    let i = state.selected;
    let (surface, run) = selected_run(state);
    // One line, cut to the window's width with the whole of it on hover: a long formula
    // would otherwise wrap and move every control below it.
    let about = tr!(
        "sweep-about-run",
        run = i + 1,
        label = state.scene.runs[i].settings.label(),
        surface = surface.to_string(),
        steps = run.steps,
        x = fmt_lr(state.run_start(i)[0]),
        y = fmt_lr(state.run_start(i)[1])
    );
    ui.add(egui::Label::new(about.as_str()).truncate())
        .on_hover_text(&about);
    egui::Grid::new("sweep-settings")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(tr!("sweep-learning-rates"));
            ui.horizontal(|ui| {
                fn lr(v: &mut f64) -> egui::DragValue<'_> {
                    egui::DragValue::new(v)
                        .range(1e-8..=1e3)
                        .speed(0.0)
                        .custom_formatter(|x, _| fmt_lr(x))
                }
                ui.add(lr(&mut sweep.lr_min));
                ui.label(tr!("sweep-to"));
                ui.add(lr(&mut sweep.lr_max));
                ui.label(tr!("sweep-log-spaced"));
                ui.add(egui::DragValue::new(&mut sweep.lr_count).range(2..=512));
                ui.label(tr!("sweep-values"));
            });
            ui.end_row();
            ui.label(tr!("sweep-second-axis"));
            ui.horizontal(|ui| {
                let before = sweep.second;
                egui::ComboBox::from_id_salt("sweep-second")
                    .selected_text(sweep.second.label())
                    .show_ui(ui, |ui| {
                        for axis in [
                            SecondAxis::None,
                            SecondAxis::Momentum,
                            SecondAxis::Beta1,
                            SecondAxis::WarmupSteps,
                            SecondAxis::DecayRate,
                        ] {
                            let available = axis == SecondAxis::None || axis.param(&run).is_some();
                            ui.add_enabled_ui(available, |ui| {
                                ui.selectable_value(&mut sweep.second, axis, axis.label())
                            });
                        }
                    });
                if sweep.second != before {
                    let (mut lo, mut hi, _) = sweep.second.default_range(run.steps);
                    // A decay rate k (exp_decay, inverse_time) is small; a factor γ is near 1.
                    if matches!(sweep.second.param(&run), Some(SweepParam::Schedule(k)) if k == "k")
                    {
                        (lo, hi) = (0.0, 0.05);
                    }
                    sweep.second_min = lo;
                    sweep.second_max = hi;
                }
                if sweep.second != SecondAxis::None {
                    ui.add(egui::DragValue::new(&mut sweep.second_min).speed(0.01));
                    ui.label(tr!("sweep-to"));
                    ui.add(egui::DragValue::new(&mut sweep.second_max).speed(0.01));
                    ui.label(",");
                    ui.add(egui::DragValue::new(&mut sweep.second_count).range(2..=256));
                    ui.label(tr!("sweep-values"));
                }
            });
            ui.end_row();
        });
    ui.horizontal(|ui| match &sweep.job {
        Some(job) => {
            let done = job.task.progress().0;
            ui.add(
                egui::ProgressBar::new(done as f32 / job.total.max(1) as f32)
                    .desired_width(260.0)
                    .text(tr!("sweep-progress", done = done, runs = job.total)),
            );
            if ui.button(tr!("sweep-cancel")).clicked() {
                sweep.cancel();
            }
        }
        None => {
            if ui
                .button(tr!("sweep-run-sweep"))
                .on_hover_text(tr!("sweep-simulate-the-run-once-per"))
                .clicked()
            {
                sweep.start(state);
            }
            if ui
                .button(tr!("sweep-lr-range-test"))
                .on_hover_text(tr!("sweep-fastai-s-lr-find-one"))
                .clicked()
            {
                let (surface, run) = selected_run(state);
                // A hundred steps: done within the click, on either platform.
                match lr_range_test(&surface, &run, RangeTestSpec::default()) {
                    Ok(t) => {
                        platform::announce(&match t.suggestion {
                            Some(lr) => tr!("sweep-range-test-finished", lr = fmt_lr(lr)),
                            None => tr!("sweep-range-test-no-suggestion"),
                        });
                        sweep.range_test = Some(t);
                    }
                    Err(e) => sweep.error = Some(e.text()),
                }
            }
            if ui
                .button(tr!("sweep-bayesian-search"))
                .on_hover_text(tr!("sweep-bayesian-search-help", trials = BAYES_TRIALS))
                .clicked()
            {
                let (surface, run) = selected_run(state);
                match bayes_lr_search(&surface, &run, sweep.lr_min, sweep.lr_max, BAYES_TRIALS) {
                    Ok((search, cells)) => {
                        if let Some(best) = search.best() {
                            platform::announce(&tr!(
                                "sweep-bayesian-search-finished",
                                trials = BAYES_TRIALS,
                                lr = fmt_lr(best.lr)
                            ));
                        }
                        sweep.bayes = Some(BayesResult {
                            search,
                            cells,
                            run_index: state.selected,
                        });
                    }
                    Err(e) => sweep.error = Some(e.text()),
                }
            }
        }
    });
}

/// How many runs a Bayesian search makes: a handful, against the grid's hundreds.
pub const BAYES_TRIALS: usize = 14;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::parse_spec;

    fn param(axis: SecondAxis, optimizer: &str) -> Option<SweepParam> {
        let run = RunSettings::new(parse_spec(optimizer).unwrap(), 0.1, [0.0, 0.0], 10);
        axis.param(&run)
    }

    #[test]
    fn the_momentum_axes_find_the_parameter_under_each_frameworks_name() {
        let opt = |k: &str| Some(SweepParam::Optimizer(k.into()));
        assert_eq!(param(SecondAxis::Beta1, "adam"), opt("beta1"));
        assert_eq!(param(SecondAxis::Beta1, "keras.adam"), opt("beta_1"));
        assert_eq!(param(SecondAxis::Beta1, "keras.lion"), opt("beta_1"));
        assert_eq!(param(SecondAxis::Momentum, "keras.sgd"), opt("momentum"));
        assert_eq!(param(SecondAxis::Momentum, "rmsprop"), opt("momentum"));
        assert_eq!(param(SecondAxis::Beta1, "sgd"), None);
        assert_eq!(param(SecondAxis::Beta1, "keras.adagrad"), None);
    }
}
