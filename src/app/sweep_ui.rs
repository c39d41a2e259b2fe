//! The "Which learning rates work?" window: a sweep of the selected run over base learning
//! rates (optionally × momentum, β1, warmup steps or the decay rate), computed in the
//! background (on every core on the desktop, in slices of frames in the browser), and fastai's learning-rate range test. Clicking a result sets those
//! values on the run.

use super::axes::{log_axis, log_spacer};
use crate::core::math::round_sig;
use crate::picture::colormap::fmt_value;
use crate::tr;

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
    fn label(self) -> &'static str {
        match self {
            Self::None => "none (1D)",
            Self::Momentum => "momentum",
            Self::Beta1 => "beta1",
            Self::WarmupSteps => "warmup steps",
            Self::DecayRate => "decay rate",
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
                .param_named(self.label())
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
        }
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
                platform::announce(&format!(
                    "Sweep finished: {} runs in {:.2} s.",
                    cells.len(),
                    job.started.elapsed().as_secs_f64()
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
            platform::Outcome::Done(Err(e)) => self.error = Some(e.to_string()),
            platform::Outcome::Running | platform::Outcome::Cancelled => {}
            platform::Outcome::Crashed => {
                self.error = Some("the sweep stopped unexpectedly; please report this".into())
            }
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
    let about = format!(
        "Run {}: {} on {}, {} steps from ({}, {})",
        i + 1,
        state.scene.runs[i].settings.label(),
        surface,
        run.steps,
        fmt_lr(state.run_start(i)[0]),
        fmt_lr(state.run_start(i)[1])
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
                    .text(format!("{done} / {} runs", job.total)),
            );
            if ui.button(tr!("sweep-cancel")).clicked() {
                sweep.cancel();
            }
        }
        None => {
            if ui
                .button("Run sweep")
                .on_hover_text(tr!("sweep-simulate-the-run-once-per"))
                .clicked()
            {
                sweep.start(state);
            }
            if ui
                .button("LR range test")
                .on_hover_text(
                    tr!("sweep-fastai-s-lr-find-one"),
                )
                .clicked()
            {
                let (surface, run) = selected_run(state);
                // A hundred steps: done within the click, on either platform.
                match lr_range_test(&surface, &run, RangeTestSpec::default()) {
                    Ok(t) => {
                        platform::announce(&match t.suggestion {
                            Some(lr) => format!(
                                "Range test finished: the loss falls fastest at lr {}.",
                                fmt_lr(lr)
                            ),
                            None => "Range test finished without a suggestion.".to_owned(),
                        });
                        sweep.range_test = Some(t);
                    }
                    Err(e) => sweep.error = Some(e.to_string()),
                }
            }
            if ui
                .button("Bayesian search")
                .on_hover_text(format!(
                    "{BAYES_TRIALS} runs chosen one at a time: a Gaussian process models the final \
                     loss over log lr, and each next lr is where the expected improvement is largest"
                ))
                .clicked()
            {
                let (surface, run) = selected_run(state);
                match bayes_lr_search(&surface, &run, sweep.lr_min, sweep.lr_max, BAYES_TRIALS) {
                    Ok((search, cells)) => {
                        if let Some(best) = search.best() {
                            platform::announce(&format!(
                                "Bayesian search finished: the best of {BAYES_TRIALS} runs used lr {}.",
                                fmt_lr(best.lr)
                            ));
                        }
                        sweep.bayes = Some(BayesResult {
                            search,
                            cells,
                            run_index: state.selected,
                        });
                    }
                    Err(e) => sweep.error = Some(e.to_string()),
                }
            }
        }
    });
}

/// How many runs a Bayesian search makes: a handful, against the grid's hundreds.
pub const BAYES_TRIALS: usize = 14;

fn result_ui(ui: &mut Ui, sweep: &mut SweepUi, state: &mut AppState, cache: &Cache) {
    let Some(result) = &mut sweep.result else {
        return;
    };
    let run_index = result.run_index;
    let theory = result.theory.clone();
    let height = (ui.available_height() * 0.6).clamp(160.0, 420.0);
    let limit = cache.runs.get(run_index).and_then(|r| r.limit_at_start);
    let clicked: Option<(f64, Option<f64>)>;
    match result.spec.second.clone() {
        None => {
            let by_steps = sweep.show_steps_to_converge;
            ui.horizontal(|ui| {
                ui.selectable_value(
                    &mut sweep.show_steps_to_converge,
                    false,
                    tr!("sweep-final-loss"),
                );
                ui.selectable_value(
                    &mut sweep.show_steps_to_converge,
                    true,
                    tr!("sweep-steps-to-converge"),
                );
                ui.label(RichText::new(tr!("sweep-against-the-base-learning-rate")));
            });
            let metric = |c: &Cell| match c.outcome {
                Outcome::Finished { converged_at, .. } if by_steps => {
                    converged_at.map(|s| s as f64)
                }
                Outcome::Finished { final_loss, .. } => Some(plot_loss(final_loss)),
                _ => None,
            };
            let finite: Vec<[f64; 2]> = result
                .cells
                .iter()
                .filter_map(|c| Some([c.lr.log10(), metric(c)?]))
                .filter(|p| p[1].is_finite())
                .collect();
            let top = finite
                .iter()
                .map(|p| p[1])
                .fold(f64::NEG_INFINITY, f64::max);
            let top = if top.is_finite() { top } else { 0.0 };
            let diverged: Vec<[f64; 2]> = result
                .cells
                .iter()
                .filter(|c| c.outcome.is_diverged())
                .map(|c| [c.lr.log10(), top])
                .collect();
            let mut plot = Plot::new("sweep-1d")
                .height(height)
                .x_axis_label("learning rate (log scale)")
                .x_axis_formatter(log_axis)
                .x_grid_spacer(log_spacer)
                .y_axis_label(if by_steps {
                    "steps to converge"
                } else {
                    "final loss (log scale)"
                });
            if !by_steps {
                plot = plot.y_axis_formatter(log_axis).y_grid_spacer(log_spacer);
            }
            let fg = ui.visuals().strong_text_color();
            let diverged_color = readable(ui.visuals(), DIVERGED_COLOR);
            let response = plot
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftBottom))
                .show(ui, |plot_ui| {
                    plot_ui.line(
                        Line::new(
                            if by_steps {
                                "steps to converge"
                            } else {
                                "final loss"
                            },
                            finite,
                        )
                        .color(fg),
                    );
                    plot_ui.points(
                        Points::new("diverged", diverged)
                            .shape(MarkerShape::Cross)
                            .radius(5.0)
                            .color(diverged_color),
                    );
                    if let Some(l) = limit {
                        plot_ui.vline(
                            VLine::new("2/λmax", l.log10()).color(Color32::from_rgb(255, 140, 60)),
                        );
                    }
                    if let Some(t) = &theory {
                        plot_ui.vline(
                            VLine::new("closed-form optimum", t.optimum.0.log10())
                                .color(OPTIMUM_COLOR)
                                .style(egui_plot::LineStyle::dashed_dense()),
                        );
                    }
                    plot_ui.pointer_coordinate()
                });
            sweep.transform = Some(response.transform);
            clicked =
                clicked_at(&response).map(|p| (nearest(&result.spec.lrs, 10f64.powf(p.x)), None));
        }
        Some(axis) => {
            ui.label(
                RichText::new(format!(
                    "Final loss (color, log) over lr × {}; dark red: diverged, grey: not a valid setting; dashed blue: the heavy-ball limit. Click a cell to use its values.",
                    axis.param.key()
                ))

            );
            let n = result.spec.lrs.len();
            let m = axis.values.len();
            let start_loss = {
                use crate::core::surface::Surface;
                cache
                    .surface
                    .as_ref()
                    .map(|s| s.value(result.spec.run.start.unwrap_or(state.scene.start)))
            };
            let texture = result.texture.get_or_insert_with(|| {
                ui.ctx().load_texture(
                    "sweep-map",
                    sweep_image(&result.cells, n, m, start_loss),
                    TextureOptions::NEAREST,
                )
            });
            let (x0, x1) = (result.spec.lrs[0].log10(), result.spec.lrs[n - 1].log10());
            let (y0, y1) = (axis.values[0], axis.values[m - 1]);
            let (dx, dy) = (
                (x1 - x0) / (n - 1).max(1) as f64,
                (y1 - y0) / (m - 1).max(1) as f64,
            );
            let texture_id = texture.id();
            // Over an optimizer parameter, its closed-form stability limit at the start.
            // Few long segments, so the dashes show (one per cell would draw it solid and
            // jagged): simplified to within 1/500 of the map's width and height.
            let boundary: Vec<[f64; 2]> = crate::picture::curves::simplify(
                &result
                    .boundary
                    .iter()
                    .map(|&(value, lr)| [lr.log10(), value])
                    .collect::<Vec<_>>(),
                [
                    2e-3 * (x1 - x0).abs().max(1e-9),
                    2e-3 * (y1 - y0).abs().max(1e-9),
                ],
            );
            let range = color_range(&result.cells, start_loss);
            let response = ui
                .horizontal(|ui| {
                    let plot = Plot::new("sweep-2d")
                        .height(height)
                        .width((ui.available_width() - super::axes::COLORBAR_WIDTH).max(120.0))
                        .x_axis_label("learning rate (log scale)")
                        .x_axis_formatter(log_axis)
                        .x_grid_spacer(log_spacer)
                        .y_axis_label(axis.param.key().to_owned())
                        .y_grid_spacer(super::axes::nice_spacer())
                        .y_axis_formatter(super::axes::nice_label)
                        .allow_drag(false)
                        .allow_zoom(false)
                        .allow_scroll(false)
                        .show(ui, |plot_ui| {
                            let center = PlotPoint::new(0.5 * (x0 + x1), 0.5 * (y0 + y1));
                            let size = egui::vec2(
                                ((x1 - x0) + dx) as f32,
                                ((y1 - y0) + dy.abs().max(1e-9)) as f32,
                            );
                            plot_ui.image(PlotImage::new("", texture_id, center, size));
                            if let Some(t) = &theory {
                                theory_overlay(plot_ui, t, !boundary.is_empty());
                            }
                            if !boundary.is_empty() {
                                plot_ui.line(
                                    // In the momentum limit's colour (as on the slider):
                                    // the white rate contours near 1 run close beside it.
                                    Line::new("2(1+β)/λmax", boundary)
                                        .color(super::theme::MOMENTUM_LIMIT_COLOR)
                                        .style(egui_plot::LineStyle::dashed_loose())
                                        .width(2.0),
                                );
                            }
                            plot_ui.pointer_coordinate()
                        });
                    // The map's colours: final loss on a log scale, top = the loss at the start.
                    // Ticks at round values (decades, or 1-2-5 over a short range), not at
                    // fifths of the range (8.92e-7).
                    let ticks: Vec<(f32, String)> = range
                        .map(|(lo, hi)| {
                            super::axes::log_spacer(egui_plot::GridInput {
                                bounds: (lo, hi),
                                base_step_size: 0.0,
                            })
                            .into_iter()
                            .map(|m| {
                                let t = (m.value - lo) / (hi - lo).max(1e-300);
                                (t as f32, fmt_value(10f64.powf(m.value)))
                            })
                            .collect()
                        })
                        .unwrap_or_default();
                    super::axes::colorbar(
                        ui,
                        egui::vec2(super::axes::COLORBAR_WIDTH - 8.0, height),
                        "final loss",
                        &ticks,
                    );
                    plot
                })
                .inner;
            sweep.transform = Some(response.transform);
            clicked = clicked_at(&response).map(|p| {
                (
                    nearest(&result.spec.lrs, 10f64.powf(p.x)),
                    Some(nearest(&axis.values, p.y)),
                )
            });
        }
    }
    if let Some(t) = &theory {
        let (lr, momentum, rate) = t.optimum;
        let th = &t.theory;
        let mut apply_optimum = false;
        ui.horizontal_wrapped(|ui| {
            // The rate contours are drawn on the lr × momentum map only, not over a 1D sweep.
            let on_map = if momentum.is_some() {
                format!(
                    "; on the map, solid lines: rate {}, dashed: rate 1, the stability limit",
                    RATE_LEVELS[..RATE_LEVELS.len() - 1]
                        .iter()
                        .map(|&r| short(r))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                String::new()
            };
            ui.label(RichText::new(format!(
                "Closed form on the local quadratic (λ = {} … {}, κ = {}): best lr {}{}, \
                     the error shrinks ×{} per step{on_map}.",
                short(th.lambda_min),
                short(th.lambda_max),
                th.kappa.map_or("–".into(), short),
                fmt_lr(round_sig(lr, 3)),
                momentum.map_or(String::new(), |b| format!(" with momentum {}", short(b))),
                short(rate),
            )));
            apply_optimum = ui
                .button("Apply optimum")
                .on_hover_text(tr!("sweep-set-the-run-to-the"))
                .clicked();
        });
        if apply_optimum {
            apply(state, run_index, &result.spec, lr, momentum);
        }
    }
    if let Some((lr, second)) = clicked {
        apply(state, run_index, &result.spec, lr, second);
    }
}

fn short(v: f64) -> String {
    crate::core::spec::fmt_num(round_sig(v, 3))
}

/// The closed-form optimum's marker and lines.
const OPTIMUM_COLOR: Color32 = Color32::from_rgb(0, 220, 140);

/// The closed-form rates over the 2D map: contours at [`RATE_LEVELS`] (the last, 1, is the
/// stability limit), the critical-damping curves dotted, the optimum as a star.
fn theory_overlay(plot_ui: &mut egui_plot::PlotUi<'_>, t: &SweepTheory, boundary_drawn: bool) {
    // Rate 1 is the stability limit, drawn dashed as the heavy-ball boundary where there is
    // one (a solid line over it would hide its dashes) and as a wider solid line otherwise.
    for c in t
        .contours
        .iter()
        .filter(|c| c.level < 1.0 || !boundary_drawn)
    {
        let width = if c.level == 1.0 { 2.0 } else { 1.2 };
        for piece in &c.lines {
            plot_ui.line(
                Line::new("", piece.clone())
                    .color(Color32::from_white_alpha(200))
                    .width(width)
                    .allow_hover(false),
            );
        }
        // Each contour's rate written at its middle.
        if let Some(piece) = c.lines.iter().max_by_key(|p| p.len()) {
            let at = piece[piece.len() / 2];
            plot_ui.text(
                // The colour on the text itself: the light theme's override_text_color would
                // replace the Text's, and the map under it stays dark.
                egui_plot::Text::new(
                    "",
                    PlotPoint::new(at[0], at[1]),
                    RichText::new(short(c.level)).color(Color32::WHITE),
                ),
            );
        }
    }
    for (curve, name) in t
        .critical
        .iter()
        .zip(["critical damping, λmin", "critical damping, λmax"])
    {
        plot_ui.line(
            Line::new(name, curve.clone())
                .color(OPTIMUM_COLOR)
                .style(egui_plot::LineStyle::dotted_dense())
                .width(1.5),
        );
    }
    let (lr, momentum, _) = t.optimum;
    if let Some(b) = momentum {
        plot_ui.points(
            Points::new("closed-form optimum", vec![[lr.log10(), b]])
                .shape(MarkerShape::Asterisk)
                .radius(9.0)
                .color(OPTIMUM_COLOR),
        );
    }
}

/// Sets a sweep cell's values on the run it was computed for.
fn apply(state: &mut AppState, run_index: usize, spec: &SweepSpec, lr: f64, second: Option<f64>) {
    let Some(run) = state.scene.runs.get_mut(run_index).map(|r| &mut r.settings) else {
        return;
    };
    // The sweep's grid resolves about three digits; more would be noise in labels and presets.
    run.lr = round_sig(lr, 3);
    let second = second.map(|v| round_sig(v, 3));
    if let (Some(axis), Some(v)) = (&spec.second, second) {
        match &axis.param {
            SweepParam::Optimizer(k) => run.optimizer.set(k, Value::Num(v)),
            SweepParam::Schedule(k) => run.schedule.set(k, Value::Num(v)),
            SweepParam::Warmup(k) => {
                run.warmup = spec.run.warmup.clone();
                run.warmup.set(k, Value::Num(v));
            }
        }
    }
    state.selected = run_index;
}

/// Where on a result plot the user clicked, in plot coordinates.
fn clicked_at(response: &egui_plot::PlotResponse<Option<PlotPoint>>) -> Option<PlotPoint> {
    if response.response.clicked() {
        response.inner
    } else {
        None
    }
}

fn nearest(values: &[f64], x: f64) -> f64 {
    values
        .iter()
        .copied()
        .min_by(|a, b| (a - x).abs().total_cmp(&(b - x).abs()))
        .unwrap_or(x)
}

/// Final loss per cell on a log color scale (viridis); diverged cells black, invalid grey.
/// The color scale runs from sixteen decades below the start's loss (converged runs reach
/// 1e-300, which would wash out the rest) up to the start's loss; worse is yellow.
fn sweep_image(cells: &[Cell], n: usize, m: usize, start_loss: Option<f64>) -> ColorImage {
    let (lo, hi) = color_range(cells, start_loss).unwrap_or((0.0, 0.0));
    let mut pixels = Vec::with_capacity(n * m);
    // Image rows go top (largest second value) to bottom.
    for j in (0..m).rev() {
        for i in 0..n {
            let color = match cells[j * n + i].outcome {
                Outcome::Finished { final_loss, .. } if final_loss > 0.0 && hi > lo => {
                    colormap(((final_loss.log10() - lo) / (hi - lo)).clamp(0.0, 1.0))
                }
                Outcome::Finished { .. } => colormap(0.0),
                Outcome::Diverged { .. } | Outcome::Stopped { .. } => DIVERGED_CELL,
                Outcome::Invalid => Color32::from_gray(90),
            };
            pixels.push(color);
        }
    }
    ColorImage::new([n, m], pixels)
}

fn range_test_ui(ui: &mut Ui, sweep: &mut SweepUi, state: &mut AppState) {
    let Some(test) = &sweep.range_test else {
        return;
    };
    ui.separator();
    ui.horizontal(|ui| {
        ui.strong(tr!("sweep-lr-range-test"));
        match test.suggestion {
            Some(lr) => {
                ui.label(format!("steepest descent at lr ≈ {}", fmt_lr(lr)));
                if ui.button(tr!("sweep-apply")).clicked() {
                    state.scene.runs[state.selected].settings.lr = round_sig(lr, 3);
                }
            }
            None => {
                ui.label(tr!("sweep-no-decreasing-stretch-found"));
            }
        }
    });
    let raw: Vec<[f64; 2]> = test
        .lrs
        .iter()
        .zip(&test.losses)
        .map(|(lr, l)| [lr.log10(), plot_loss(*l)])
        .collect();
    let smooth: Vec<[f64; 2]> = test
        .lrs
        .iter()
        .zip(&test.smoothed)
        .map(|(lr, l)| [lr.log10(), plot_loss(*l)])
        .collect();
    let fg = ui.visuals().strong_text_color();
    Plot::new("range-test")
        .height(200.0)
        .x_axis_label("learning rate (log scale)")
        .x_axis_formatter(log_axis)
        .x_grid_spacer(log_spacer)
        .y_axis_label("loss (log scale)")
        .y_axis_formatter(log_axis)
        .y_grid_spacer(log_spacer)
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftBottom))
        .show(ui, |plot_ui| {
            plot_ui.line(Line::new("loss after each step", raw).color(Color32::from_gray(140)));
            plot_ui.line(Line::new("smoothed (no lag)", smooth).color(fg).width(2.0));
            if let Some(lr) = test.suggestion {
                plot_ui.vline(
                    VLine::new("steepest descent", lr.log10())
                        .color(Color32::from_rgb(0, 200, 120)),
                );
            }
        });
}

/// The Bayesian search: every trial (numbered in the order tried) over the model's mean and
/// its ±2 sd band, the best trial marked, and a button to use it.
fn bayes_ui(ui: &mut Ui, sweep: &mut SweepUi, state: &mut AppState) {
    let Some(b) = &sweep.bayes else {
        return;
    };
    ui.separator();
    let best = b.search.best();
    let mut use_best = false;
    ui.horizontal(|ui| {
        ui.strong(tr!("sweep-bayesian-search"));
        match best {
            Some(t) => {
                ui.label(format!(
                    "best of {} runs: lr {}",
                    b.cells.len(),
                    fmt_lr(round_sig(t.lr, 3))
                ));
                use_best = ui.button(tr!("sweep-apply")).clicked();
            }
            None => {
                ui.label(tr!("sweep-no-run-finished"));
            }
        }
    });
    ui.label(RichText::new(
        "Score: log10 of the final loss (no worse than at the start). Line and band: the \
             model's mean ± 2 sd; dots: the runs, numbered in the order tried; star: the best.",
    ));
    let fg = ui.visuals().strong_text_color();
    let curve = b.search.curve(256);
    let mean: Vec<[f64; 2]> = curve.iter().map(|c| [c.0.log10(), c.1]).collect();
    // The band as thin quads (egui_plot fills a polygon as if it were convex), cut a little
    // beyond the scores: far from every run it is wide and would only squash the plot.
    let (lo, hi) = b
        .search
        .trials()
        .iter()
        .map(|t| t.score)
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let margin = 0.25 * (hi - lo).max(1.0);
    let clip = |v: f64| {
        if lo <= hi {
            v.clamp(lo - margin, hi + margin)
        } else {
            v
        }
    };
    let band: Vec<Vec<[f64; 2]>> = curve
        .windows(2)
        .map(|w| {
            let (a, b) = (&w[0], &w[1]);
            vec![
                [a.0.log10(), clip(a.1 - 2.0 * a.2)],
                [b.0.log10(), clip(b.1 - 2.0 * b.2)],
                [b.0.log10(), clip(b.1 + 2.0 * b.2)],
                [a.0.log10(), clip(a.1 + 2.0 * a.2)],
            ]
        })
        .collect();
    let trials: Vec<[f64; 2]> = b
        .search
        .trials()
        .iter()
        .map(|t| [t.lr.log10(), t.score])
        .collect();
    Plot::new("bayes-search")
        .height(200.0)
        .x_axis_label("learning rate (log scale)")
        .x_axis_formatter(log_axis)
        .x_grid_spacer(log_spacer)
        .custom_y_axes(vec![
            egui_plot::AxisHints::new_y()
                .label("log10 final loss")
                .label_spacing(18.0..=40.0),
        ])
        .show(ui, |plot_ui| {
            for quad in band {
                plot_ui.polygon(
                    egui_plot::Polygon::new("", quad)
                        .fill_color(fg.gamma_multiply(0.12))
                        .stroke(egui::Stroke::NONE)
                        .allow_hover(false),
                );
            }
            plot_ui.line(Line::new("", mean).color(fg.gamma_multiply(0.8)));
            plot_ui.points(
                Points::new("runs", trials.clone())
                    .radius(4.0)
                    .color(Color32::from_rgb(255, 170, 60)),
            );
            for (k, p) in trials.iter().enumerate() {
                plot_ui.text(
                    egui_plot::Text::new("", PlotPoint::new(p[0], p[1]), format!("{}", k + 1))
                        .anchor(egui::Align2::LEFT_BOTTOM)
                        .color(fg),
                );
            }
            if let Some(t) = best {
                plot_ui.points(
                    Points::new("best", vec![[t.lr.log10(), t.score]])
                        .shape(MarkerShape::Asterisk)
                        .radius(9.0)
                        .color(OPTIMUM_COLOR),
                );
            }
        });
    if let (true, Some(t)) = (use_best, best)
        && let Some(run) = state.scene.runs.get_mut(b.run_index)
    {
        run.settings.lr = round_sig(t.lr, 3);
        state.selected = b.run_index;
    }
}

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
