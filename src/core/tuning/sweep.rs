//! Which learning rates work: sweeps of a run over a log range of base learning rates (and
//! optionally a second setting such as momentum, β1, warmup steps or a decay rate), and the
//! learning-rate range test of fastai's `lr_find`.
//!
//! A sweep is thousands of independent runs: [`SweepRun`] computes them a batch at a time, on
//! threads that pull cells from a shared counter where there are threads, in slices of a frame
//! where there are none (the browser).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::core::run::settings::{RunSettings, SettingsError};
use crate::core::run::simulation::{Run, Status};
use crate::core::spec::{Spec, SpecError, Value};
use crate::core::surface::AnySurface;

/// `n` values from `min` to `max`, evenly spaced in log scale (both ends included).
pub fn log_space(min: f64, max: f64, n: usize) -> Vec<f64> {
    let (lo, hi) = (min.ln(), max.ln());
    (0..n)
        .map(|i| match n {
            1 => min,
            _ => (lo + (hi - lo) * i as f64 / (n - 1) as f64).exp(),
        })
        .collect()
}

/// `n` values from `min` to `max`, evenly spaced (both ends included).
pub fn lin_space(min: f64, max: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| match n {
            1 => min,
            _ => min + (max - min) * i as f64 / (n - 1) as f64,
        })
        .collect()
}

/// The setting a sweep's second axis varies: a parameter of the run's optimizer, schedule or
/// warmup spec, by its CLI name.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepParam {
    Optimizer(String),
    Schedule(String),
    Warmup(String),
}

impl SweepParam {
    fn apply(&self, run: &mut RunSettings, value: f64) {
        let (spec, key): (&mut Spec, &str) = match self {
            Self::Optimizer(k) => (&mut run.optimizer, k),
            Self::Schedule(k) => (&mut run.schedule, k),
            Self::Warmup(k) => (&mut run.warmup, k),
        };
        spec.set(key, Value::Num(value));
    }

    /// The parameter's name, for axis labels.
    pub fn key(&self) -> &str {
        match self {
            Self::Optimizer(k) | Self::Schedule(k) | Self::Warmup(k) => k,
        }
    }
}

/// A second sweep axis: which setting, and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepAxis {
    pub param: SweepParam,
    pub values: Vec<f64>,
}

/// The rates the sweep's closed-form map draws contours at (1: the stability limit).
pub const RATE_LEVELS: [f64; 6] = [0.5, 0.8, 0.9, 0.95, 0.99, 1.0];

/// The closed-form picture of a sweep, see [`SweepSpec::theory`].
#[derive(Clone, Debug, PartialEq)]
pub struct SweepTheory {
    pub theory: crate::core::analysis::theory::QuadraticTheory,
    /// Rate contours in (log10 lr, momentum) coordinates, at [`RATE_LEVELS`].
    pub contours: Vec<crate::core::grid::ContourLine>,
    /// The critical-damping curves β = (1 − √(lr·λ))² of λmin and λmax, as (log10 lr, β).
    pub critical: Vec<Vec<[f64; 2]>>,
    /// The best setting: (lr, momentum when swept, its rate).
    pub optimum: (f64, Option<f64>, f64),
}

/// The lr of smallest `rate` on 2001 log-spaced points from 10^lo to 10^hi, with that rate.
fn best_on_grid(lo: f64, hi: f64, rate: impl Fn(f64) -> f64) -> (f64, f64) {
    (0..=2000)
        .map(|i| 10f64.powf(lo + (hi - lo) * i as f64 / 2000.0))
        .map(|lr| (lr, rate(lr)))
        .fold((f64::NAN, f64::INFINITY), |best, c| {
            if c.1 < best.1 { c } else { best }
        })
}

/// A sweep of one run over base learning rates (× a second setting).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSpec {
    pub surface: Spec,
    /// The run whose base lr (and second setting) the sweep replaces.
    pub run: RunSettings,
    pub lrs: Vec<f64>,
    pub second: Option<SweepAxis>,
}

/// How one cell's run ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// All steps were taken; `converged_at` is the step from which the gradient stayed small.
    Finished {
        final_loss: f64,
        converged_at: Option<u64>,
    },
    Diverged {
        step: u64,
    },
    /// Newton's system became singular at `step`.
    Stopped {
        step: u64,
    },
    /// The combination of settings is not valid (e.g. momentum 1.2).
    Invalid,
}

impl Outcome {
    pub fn is_diverged(&self) -> bool {
        matches!(self, Self::Diverged { .. })
    }

    /// The loss at the end of a finished run.
    pub fn final_loss(&self) -> Option<f64> {
        match self {
            Self::Finished { final_loss, .. } => Some(*final_loss),
            _ => None,
        }
    }
}

/// One run of a sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    pub lr: f64,
    pub second: Option<f64>,
    pub outcome: Outcome,
}

/// Shared between a running sweep and whoever watches it.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    cancel: AtomicBool,
}

impl Progress {
    /// Cells finished so far.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Asks the sweep to stop; it returns `None` soon after.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

impl SweepSpec {
    /// Number of runs: learning rates × second-axis values.
    pub fn cell_count(&self) -> usize {
        self.lrs.len() * self.second.as_ref().map_or(1, |a| a.values.len())
    }

    /// The settings of cell `index` (learning rates vary fastest).
    fn cell_settings(&self, index: usize) -> (f64, Option<f64>, RunSettings) {
        let n = self.lrs.len();
        let lr = self.lrs[index % n];
        let mut run = self.run.clone();
        run.lr = lr;
        let second = self.second.as_ref().map(|axis| {
            let value = axis.values[index / n];
            axis.param.apply(&mut run, value);
            value
        });
        (lr, second, run)
    }

    /// Over an optimizer parameter (momentum, say), the classical stability limit of the
    /// optimizer at the start for every value of the second axis, as `(value, lr)`: the curve
    /// the map's divergence should follow (heavy ball's 2(1+β)/((1−τ)λmax), Nesterov's, ...).
    /// Empty where no such limit applies.
    pub fn stability_boundary(&self) -> Vec<(f64, f64)> {
        let Some(axis) = &self.second else {
            return Vec::new();
        };
        if !matches!(axis.param, SweepParam::Optimizer(_)) {
            return Vec::new();
        }
        let (Ok(surface), Some(start)) = (AnySurface::from_spec(&self.surface), self.run.start)
        else {
            return Vec::new();
        };
        let Some(curvature) = crate::core::analysis::Curvature::at(&surface, start) else {
            return Vec::new();
        };
        axis.values
            .iter()
            .filter_map(|&v| {
                let mut run = self.run.clone();
                axis.param.apply(&mut run, v);
                let optimizer =
                    crate::core::optimizer::AnyOptimizer::from_spec(&run.optimizer).ok()?;
                let (lr, _) = curvature.limit_for(&optimizer)?;
                Some((v, lr))
            })
            .collect()
    }

    /// What the closed forms say about this sweep (SGD family over lr, or lr × momentum, on
    /// the local quadratic at the minimum nearest the start): the rate over the swept
    /// rectangle as contour lines, the critical-damping curves and the optimum. `None` for other
    /// optimizers, other second axes, or surfaces without positive curvature there.
    pub fn theory(&self) -> Option<SweepTheory> {
        use crate::core::analysis::theory::{EigenFrame, MomentumRule, QuadraticTheory, RuleKind};
        let optimizer =
            crate::core::optimizer::AnyOptimizer::from_spec(&self.run.optimizer).ok()?;
        let base = MomentumRule::of(&optimizer)?;
        let over_momentum = match &self.second {
            None => false,
            Some(SweepAxis {
                param: SweepParam::Optimizer(k),
                ..
            }) if k == "momentum" => true,
            Some(_) => return None,
        };
        let surface = AnySurface::from_spec(&self.surface).ok()?;
        let frame = EigenFrame::of_path(&surface, &[self.run.start?])?;
        let theory = QuadraticTheory::new(&frame.curvature);
        theory.kappa?;
        let nesterov = base.kind == RuleKind::Nesterov;
        let rule_at = |momentum: f64| MomentumRule {
            kind: match (momentum == 0.0, nesterov) {
                (true, _) => RuleKind::Gd,
                (false, true) => RuleKind::Nesterov,
                (false, false) => RuleKind::HeavyBall,
            },
            momentum,
            ..base
        };
        let (lo, hi) = (self.lrs.first()?.log10(), self.lrs.last()?.log10());
        let Some(axis) = self.second.as_ref().filter(|_| over_momentum) else {
            // Over lr alone: the best lr for the run's own momentum.
            let (lr, rate) = if base.kind == RuleKind::Gd {
                (theory.gd_lr_opt?, theory.gd_rate_opt?)
            } else {
                best_on_grid(lo, hi, |lr| theory.rate(base, lr))
            };
            return Some(SweepTheory {
                theory,
                contours: Vec::new(),
                critical: Vec::new(),
                optimum: (lr, None, rate),
            });
        };
        let (b0, b1) = (*axis.values.first()?, *axis.values.last()?);
        let (nx, ny) = (160, 96);
        let view = crate::core::math::View {
            x_min: lo,
            x_max: hi,
            y_min: b0.min(b1),
            y_max: b0.max(b1),
        };
        let values = ndarray::Array2::from_shape_fn((ny, nx), |(j, i)| {
            let x = view.x_min + (view.x_max - view.x_min) * i as f64 / (nx - 1) as f64;
            let b = view.y_min + (view.y_max - view.y_min) * j as f64 / (ny - 1) as f64;
            theory.rate(rule_at(b), 10f64.powf(x))
        });
        let contours = crate::core::grid::contour_lines(&values, view, &RATE_LEVELS);
        // β = (1 − √(lr·λ))² for the slowest and the fastest direction.
        let critical = [theory.lambda_min, theory.lambda_max]
            .into_iter()
            .map(|lambda| {
                (0..=200)
                    .filter_map(|i| {
                        let x = lo + (hi - lo) * i as f64 / 200.0;
                        let b = QuadraticTheory::critical_damping(10f64.powf(x), lambda)?;
                        (view.y_min..=view.y_max).contains(&b).then_some([x, b])
                    })
                    .collect()
            })
            .collect();
        let optimum = match (nesterov, theory.hb_lr_opt, theory.hb_momentum_opt) {
            (false, Some(lr), Some(b)) => (lr, Some(b), theory.hb_rate_opt?),
            _ => {
                // No classical closed form for Nesterov's pair: the best cell of a fine grid.
                let mut best = (f64::NAN, None, f64::INFINITY);
                for j in 0..=200 {
                    let b = view.y_min + (view.y_max - view.y_min) * j as f64 / 200.0;
                    let (lr, rate) = best_on_grid(lo, hi, |lr| theory.rate(rule_at(b), lr));
                    if rate < best.2 {
                        best = (lr, Some(b), rate);
                    }
                }
                best
            }
        };
        Some(SweepTheory {
            theory,
            contours,
            critical,
            optimum,
        })
    }

    /// Runs every cell on `threads` threads. Returns `Ok(None)` if cancelled through
    /// `progress`, and an error if the surface or the base run is not valid.
    pub fn run(
        &self,
        threads: usize,
        progress: &Progress,
    ) -> Result<Option<Vec<Cell>>, SweepError> {
        let mut run = SweepRun::new(self.clone())?;
        // About sixteen batches: few enough that starting the threads costs nothing, small
        // enough that a cancel is seen soon.
        let batch = (self.cell_count() / 16).max(threads.max(1) * 16);
        while !run.is_finished() {
            if progress.is_cancelled() {
                return Ok(None);
            }
            run.advance(batch, threads)?;
            progress.done.store(run.done(), Ordering::Relaxed);
        }
        Ok(Some(run.finish().1))
    }

    fn cell(&self, index: usize, surface: &AnySurface) -> Cell {
        let (lr, second, spec) = self.cell_settings(index);
        let outcome = match Run::new(&spec) {
            Err(_) => Outcome::Invalid,
            Ok(run) => match run.simulate_last(surface) {
                (_, Status::Diverged { step, .. }) => Outcome::Diverged { step },
                (_, Status::SingularHessian { step }) => Outcome::Stopped { step },
                (last, status) => Outcome::Finished {
                    final_loss: last.map_or(f64::NAN, |r| r.loss),
                    converged_at: match status {
                        Status::Converged { step } => Some(step),
                        _ => None,
                    },
                },
            },
        };
        Cell {
            lr,
            second,
            outcome,
        }
    }
}

/// A sweep under way: cells are computed in order, a batch at a time, so the caller decides
/// how the work is spread: over threads (the desktop) or over frames (the browser, which has
/// no threads).
#[derive(Debug)]
pub struct SweepRun {
    spec: SweepSpec,
    surface: AnySurface,
    cells: Vec<Cell>,
}

impl SweepRun {
    /// Checks the surface and the base run; no cell is computed yet.
    pub fn new(spec: SweepSpec) -> Result<Self, SweepError> {
        let surface = AnySurface::from_spec(&spec.surface)?;
        Run::new(&spec.run)?;
        let cells = Vec::with_capacity(spec.cell_count());
        Ok(Self {
            spec,
            surface,
            cells,
        })
    }

    /// Cells computed so far.
    pub fn done(&self) -> usize {
        self.cells.len()
    }

    /// Cells in the whole sweep.
    pub fn total(&self) -> usize {
        self.spec.cell_count()
    }

    pub fn is_finished(&self) -> bool {
        self.done() >= self.total()
    }

    /// Computes the next `n` cells (fewer at the end) on up to `threads` threads; on one
    /// thread, in place without spawning any.
    pub fn advance(&mut self, n: usize, threads: usize) -> Result<(), SweepError> {
        let range = self.done()..(self.done() + n.max(1)).min(self.total());
        let (spec, surface) = (&self.spec, &self.surface);
        if threads <= 1 || range.len() <= 1 {
            self.cells.extend(range.map(|i| spec.cell(i, surface)));
            return Ok(());
        }
        let next = AtomicUsize::new(range.start);
        let end = range.end;
        let chunks: Vec<std::thread::Result<Vec<(usize, Cell)>>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.min(range.len()))
                .map(|_| {
                    let next = &next;
                    scope.spawn(move || {
                        let mut out = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= end {
                                break;
                            }
                            out.push((i, spec.cell(i, surface)));
                        }
                        out
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join()).collect()
        });
        // A worker that panicked is a bug to report, not a cancellation.
        let worker_failed = || SweepError::WorkerFailed {
            computed: range.start,
            count: self.spec.cell_count(),
        };
        let mut batch: Vec<Option<Cell>> = vec![None; range.len()];
        for chunk in chunks {
            for (i, cell) in chunk.map_err(|_| worker_failed())? {
                batch[i - range.start] = Some(cell);
            }
        }
        let batch = batch
            .into_iter()
            .collect::<Option<Vec<Cell>>>()
            .ok_or_else(worker_failed)?;
        self.cells.extend(batch);
        Ok(())
    }

    /// The sweep and its cells (all of them once [`Self::is_finished`]).
    pub fn finish(self) -> (SweepSpec, Vec<Cell>) {
        (self.spec, self.cells)
    }
}

/// Why a sweep or range test could not start.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(transparent)]
    Config(#[from] SettingsError),
    /// The Bayesian search's range cannot be searched.
    #[error("{0}")]
    Search(crate::core::tuning::bayes::SearchError),
    /// The range test's settings, as the test got them.
    #[error(
        "a range test needs 0 < start_lr < end_lr, at least 2 steps and 0 <= beta < 1, got {0:?}"
    )]
    RangeTest(RangeTestSpec),
    #[error(
        "a sweep worker stopped unexpectedly after {computed} of {count} cells; please report this"
    )]
    WorkerFailed { computed: usize, count: usize },
}

impl SweepError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            SweepError::Spec(e) => e.text(),
            SweepError::Config(e) => e.text(),
            SweepError::Search(e) => e.text(),
            SweepError::RangeTest(test) => {
                crate::tr!("error-sweep-range-test", got = format!("{test:?}"))
            }
            SweepError::WorkerFailed { computed, count } => crate::tr!(
                "error-sweep-worker-failed",
                computed = *computed,
                count = *count
            ),
        }
    }
}

/// What a Bayesian search minimizes for a run: log10 of its final loss (the loss itself where
/// it is not positive), no worse than `start_loss`'s: a run that ends above where it started,
/// diverged or stopped made no progress, and how badly it failed says nothing about where the
/// best lr is (a cliff of 40 decades would only confuse the model).
pub fn search_score(outcome: &Outcome, start_loss: f64) -> f64 {
    let score = |l: f64| if l > 0.0 { l.log10() } else { l };
    let worst = if start_loss.is_finite() {
        score(start_loss)
    } else {
        f64::INFINITY
    };
    match outcome.final_loss() {
        Some(l) if l.is_finite() => score(l).min(worst),
        _ => worst,
    }
}

/// The third way to pick a learning rate, after the grid sweep and the range test: a Bayesian
/// search over log lr in [`lr_min`, `lr_max`] that runs the run `trials` times (the first three
/// spread over the range, each later one where the expected improvement is largest) and
/// returns the search with every trial's outcome, in the order tried.
pub fn bayes_lr_search(
    surface: &Spec,
    run: &RunSettings,
    lr_min: f64,
    lr_max: f64,
    trials: usize,
) -> Result<(crate::core::tuning::bayes::LrSearch, Vec<Cell>), SweepError> {
    let mut search =
        crate::core::tuning::bayes::LrSearch::new(lr_min, lr_max, 3).map_err(SweepError::Search)?;
    let built = AnySurface::from_spec(surface)?;
    Run::new(run)?;
    let start_loss = {
        use crate::core::surface::Surface;
        built.value(run.start.unwrap_or_default())
    };
    let mut cells = Vec::with_capacity(trials);
    for _ in 0..trials {
        let lr = search.next_lr();
        let one = SweepSpec {
            surface: surface.clone(),
            run: run.clone(),
            lrs: vec![lr],
            second: None,
        };
        let cell = one.cell(0, &built);
        search.tell(lr, search_score(&cell.outcome, start_loss));
        cells.push(cell);
    }
    Ok((search, cells))
}

/// The first learning rate of a 1D sweep whose run diverged, and the last one before it that
/// did not: the sampled bracket of the divergence threshold.
pub fn divergence_bracket(cells: &[Cell]) -> Option<(Option<f64>, f64)> {
    let first = cells.iter().position(|c| c.outcome.is_diverged())?;
    let before = first.checked_sub(1).map(|i| cells[i].lr);
    Some((before, cells[first].lr))
}

/// The result of a learning-rate range test.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeTest {
    /// The learning rate of each update, growing exponentially.
    pub lrs: Vec<f64>,
    /// The loss after each update.
    pub losses: Vec<f64>,
    /// `losses` smoothed for the plot: a bias-corrected exponential moving average (as fastai
    /// does) of the log loss, run forward and backward so the curve does not lag the loss.
    pub smoothed: Vec<f64>,
    /// The learning rate where the smoothed loss falls fastest per decade of lr.
    pub suggestion: Option<f64>,
}

/// Settings of the range test; the defaults are fastai's `lr_find` but for a shorter average.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeTestSpec {
    pub start_lr: f64,
    pub end_lr: f64,
    pub num_it: u64,
    /// Weight of the moving average.
    pub beta: f64,
    /// Stop once the smoothed loss exceeds this multiple of the best one.
    pub stop_factor: f64,
}

impl Default for RangeTestSpec {
    fn default() -> Self {
        Self {
            start_lr: 1e-7,
            end_lr: 10.0,
            num_it: 100,
            // fastai's 0.98 averages over ~50 of only 100 steps; 0.9 follows the loss.
            beta: 0.9,
            stop_factor: 4.0,
        }
    }
}

/// fastai's `lr_find` on a surface: one short run whose learning rate grows exponentially
/// from `start_lr` to `end_lr`, stopped when the loss blows up; the suggestion is the
/// steepest point of the smoothed loss against log(lr).
pub fn lr_range_test(
    surface: &Spec,
    run: &RunSettings,
    test: RangeTestSpec,
) -> Result<RangeTest, SweepError> {
    let ok = test.start_lr > 0.0
        && test.end_lr > test.start_lr
        && test.end_lr.is_finite()
        && test.num_it >= 2
        && (0.0..1.0).contains(&test.beta);
    if !ok {
        return Err(SweepError::RangeTest(test));
    }
    let surface = AnySurface::from_spec(surface)?;
    let gamma = (test.end_lr / test.start_lr).powf(1.0 / (test.num_it - 1) as f64);
    let spec = RunSettings {
        lr: test.start_lr,
        schedule: Spec::named("exponential").with("gamma", Value::Num(gamma)),
        warmup: Spec::named("none"),
        steps: test.num_it,
        ..run.clone()
    };
    let (traj, _) = Run::new(&spec)?.simulate(&surface);
    let (mut lrs, mut losses, mut smoothed) = (Vec::new(), Vec::new(), Vec::new());
    let (mut avg, mut best) = (0.0, f64::INFINITY);
    // lrs[k] is the rate of update k, losses[k + 1] the loss after it.
    for (k, &lr) in traj.lrs.iter().enumerate() {
        let Some(&loss) = traj.losses.get(k + 1) else {
            break;
        };
        avg = test.beta * avg + (1.0 - test.beta) * loss;
        let s = avg / (1.0 - test.beta.powi(k as i32 + 1));
        if !s.is_finite() {
            break;
        }
        lrs.push(lr);
        losses.push(loss);
        smoothed.push(s);
        best = best.min(s);
        if s > test.stop_factor * best {
            break;
        }
    }
    // The curve shown (and searched for the steepest point) is smoothed forward and then
    // backward: the online average above decides when to stop, but lags the loss by about
    // 1/(1 − beta) steps; the two passes cancel that lag.
    // The blow-up past the best loss ends the curve where the loss itself, not its lagging
    // average, leaves the stop factor; what is left is averaged as logarithms (the loss spans
    // decades and is plotted on a log axis), forward and backward so it does not lag.
    let mut best_raw = f64::INFINITY;
    let end = losses
        .iter()
        .position(|&l| {
            best_raw = best_raw.min(l);
            !(l.is_finite() && l <= test.stop_factor * best_raw)
        })
        .map_or(losses.len(), |k| (k + 1).min(losses.len()));
    lrs.truncate(end);
    losses.truncate(end);
    let smoothed: Vec<f64> = if losses.iter().all(|&l| l > 0.0) {
        let logs: Vec<f64> = losses.iter().map(|l| l.ln()).collect();
        zero_phase(&logs, test.beta)
            .into_iter()
            .map(f64::exp)
            .collect()
    } else {
        zero_phase(&losses, test.beta)
    };
    // fastai's suggestion: where the loss itself (averaged linearly, without lag) falls fastest
    // against log lr. The log loss falls fastest later, often past the stability limit, since
    // the steep direction's loss is already negligible there.
    let suggestion = steepest(&lrs, &zero_phase(&losses, test.beta));
    Ok(RangeTest {
        lrs,
        losses,
        smoothed,
        suggestion,
    })
}

/// A bias-corrected exponential moving average run forward over `xs`, then backward over the
/// result: smooth like the average, without its lag.
fn zero_phase(xs: &[f64], beta: f64) -> Vec<f64> {
    let ema = |input: &mut dyn Iterator<Item = f64>| -> Vec<f64> {
        let mut avg = 0.0;
        input
            .enumerate()
            .map(|(k, x)| {
                avg = beta * avg + (1.0 - beta) * x;
                avg / (1.0 - beta.powi(k as i32 + 1))
            })
            .collect()
    };
    let forward = ema(&mut xs.iter().copied());
    let mut backward = ema(&mut forward.iter().rev().copied());
    backward.reverse();
    backward
}

/// The lr at which d(loss)/d(log lr) is most negative (central differences).
fn steepest(lrs: &[f64], losses: &[f64]) -> Option<f64> {
    if lrs.len() < 3 {
        return None;
    }
    (1..lrs.len() - 1)
        .map(|i| {
            let slope = (losses[i + 1] - losses[i - 1]) / (lrs[i + 1].ln() - lrs[i - 1].ln());
            (i, slope)
        })
        .filter(|(_, s)| s.is_finite() && *s < 0.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| lrs[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sweep_error_speaks_the_windows_language_and_keeps_its_english() {
        let surface = Spec::named("quadratic");
        let run = RunSettings {
            start: Some([1.0, 1.0]),
            ..RunSettings::default()
        };
        let made = [
            lr_range_test(
                &surface,
                &run,
                RangeTestSpec {
                    num_it: 1,
                    ..RangeTestSpec::default()
                },
            )
            .expect_err("one step"),
            bayes_lr_search(&surface, &run, -1.0, 1.0, 3).expect_err("negative"),
            lr_range_test(&Spec::named("quadratik"), &run, RangeTestSpec::default())
                .expect_err("unknown surface"),
        ];
        for e in made.iter().chain(&[
            SweepError::Config(crate::core::run::settings::check_lr(-1.0).unwrap_err()),
            SweepError::WorkerFailed {
                computed: 3,
                count: 9,
            },
        ]) {
            crate::text::assert_translated(e, SweepError::text);
        }
    }
}
