//! Runs an optimizer with a learning-rate schedule on a surface.
//!
//! The loop is generic over surface, optimizer and [`Recorder`], and is dispatched once per run,
//! so each combination compiles to a tight loop without allocation or dynamic calls per step.
//! Divergence and singular Newton systems are results ([`Status`]), never panics.
//!
//! Why this file is over 700 lines: 155 of them are its tests (the stopping rules), kept beside the
//! code they check; the code is 558 lines.

use std::fmt;

use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

use crate::core::math::Point;
use crate::core::optimizer::geometry::{Stage, UpdateAt};
use crate::core::optimizer::{AnyOptimizer, Optimizer};
pub use crate::core::run::settings::{MAX_STEPS, RunSettings, SettingsError};
use crate::core::schedule::{LrRunner, LrSchedule};

use crate::core::optimizer::with_optimizer;
use crate::core::surface::with_surface;
use crate::core::surface::{AnySurface, RunRng, Surface};

/// A run stops when |x| or |y| exceeds this: far beyond any view, still far from overflow.
pub const DIVERGENCE_BOUND: f64 = 1e8;
/// A run counts as converged once the gradient norm stays below this.
pub const CONVERGENCE_GRAD_NORM: f64 = 1e-6;

/// Why a run was declared divergent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DivergenceReason {
    /// A coordinate (`'x'` or `'y'`) became NaN or infinite.
    NonFiniteParameter {
        coordinate: char,
        value: f64,
    },
    /// |coordinate| exceeded [`DIVERGENCE_BOUND`].
    OutOfBounds {
        coordinate: char,
        value: f64,
    },
    NonFiniteLoss {
        value: f64,
    },
    /// A network's parameter `index` (in `nn.Sequential`'s order) exceeded
    /// [`DIVERGENCE_BOUND`] or stopped being finite.
    WeightOutOfBounds {
        index: usize,
        value: f64,
    },
    NonFiniteGradient,
    /// The schedule produced a learning rate that is not finite (e.g. `exponential(gamma=10)`).
    NonFiniteLearningRate {
        value: f64,
    },
}

impl fmt::Display for DivergenceReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NonFiniteParameter { coordinate, value } => {
                write!(f, "{coordinate} is not finite ({value})")
            }
            Self::OutOfBounds { coordinate, value } => write!(
                f,
                "|{coordinate}| = {value:.3e} exceeds {DIVERGENCE_BOUND:e}",
                value = value.abs()
            ),
            Self::NonFiniteLoss { value } => write!(f, "the loss is not finite ({value})"),
            Self::WeightOutOfBounds { index, value } => write!(
                f,
                "|parameter {index}| = {value:.3e} exceeds {DIVERGENCE_BOUND:e}",
                value = value.abs()
            ),
            Self::NonFiniteGradient => write!(f, "the gradient is not finite"),
            Self::NonFiniteLearningRate { value } => {
                write!(f, "the learning rate is not finite ({value})")
            }
        }
    }
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Status {
    /// All steps were taken; the gradient was still above [`CONVERGENCE_GRAD_NORM`] at the end.
    Completed,
    /// All steps were taken and from `step` on the gradient norm stayed below
    /// [`CONVERGENCE_GRAD_NORM`].
    Converged { step: u64 },
    /// θ_step (or its loss or gradient) left the finite, bounded region; the run stopped there.
    Diverged { step: u64, reason: DivergenceReason },
    /// Newton's system at θ_step is singular; the run stopped there.
    SingularHessian { step: u64 },
}

impl Status {
    pub fn is_diverged(&self) -> bool {
        matches!(self, Self::Diverged { .. })
    }

    /// Whether the run has diverged at or before `step`: an animation shows a run as diverged
    /// only from the step it diverged on.
    pub fn diverged_by(&self, step: u64) -> bool {
        matches!(self, Self::Diverged { step: at, .. } if *at <= step)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Completed => write!(f, "completed"),
            Self::Converged { step } => write!(f, "converged at step {step}"),
            Self::Diverged { step, reason } => write!(f, "diverged at step {step}: {reason}"),
            Self::SingularHessian { step } => write!(
                f,
                "stopped at step {step}: the Newton system (H + damping·I)·d = g is singular"
            ),
        }
    }
}

/// A short status for run lists, legends and labels; never shows NaN. `lr` is the learning
/// rate at the step that diverged, which is what a student looks for.
pub fn status_text(status: &Status, lr: f64, steps: u64) -> String {
    use crate::tr;
    match status {
        Status::Completed => tr!("status-running", steps = steps),
        Status::Converged { step } => tr!("status-converged", step = *step),
        // No step was taken: the start lies where f has no value (a custom formula's log of
        // a negative number, say); that is not the learning rate's fault.
        Status::Diverged {
            step: 0,
            reason: DivergenceReason::NonFiniteLoss { .. } | DivergenceReason::NonFiniteGradient,
        } => tr!("status-undefined-start"),
        Status::Diverged { step, .. } => tr!("status-diverged", step = *step, lr = fmt_lr(lr)),
        Status::SingularHessian { step } => tr!("status-singular", step = *step),
    }
}

/// The learning rate a status label names: for a run that stopped at step k, the rate step k
/// was to use (from `lrs`, the run's rate per step); otherwise the base rate.
pub fn status_lr(status: &Status, lrs: &[f64], base_lr: f64) -> f64 {
    match status {
        Status::Diverged { step, .. } | Status::SingularHessian { step } => {
            lrs.get(*step as usize).copied().unwrap_or(base_lr)
        }
        _ => base_lr,
    }
}

/// The first step whose learning rate is below zero, where the update starts to climb the
/// loss (the notes' `lr0 − k·t` past step lr0/k), and that rate; `None` while every rate of
/// the run (`lrs`, one per step it took) is at least zero.
pub fn ascent_from(lrs: &[f64]) -> Option<(u64, f64)> {
    lrs.iter()
        .position(|&lr| lr < 0.0)
        .map(|k| (k as u64, lrs[k]))
}

/// What a run list says of a run whose rate turned negative at `step`.
pub fn ascent_text(step: u64, lr: f64) -> String {
    crate::tr!("status-ascent", step = step, lr = fmt_lr(lr))
}

/// A learning rate with 3 significant digits, e.g. 0.21, 3e-4; never NaN.
pub fn fmt_lr(lr: f64) -> String {
    if !lr.is_finite() {
        return "—".to_owned();
    }
    if lr != 0.0 && (lr.abs() < 1e-3 || lr.abs() >= 1e4) {
        format!("{lr:.2e}")
    } else {
        let s = format!("{lr:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// One recorded step: θ_k, f(θ_k), ∇f(θ_k) and the lr that update k uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    pub step: u64,
    pub lr: f64,
    pub point: Point,
    pub loss: f64,
    pub grad: Point,
}

/// Receives the rows of a run: a full [`Trajectory`], only the last row, or a CSV stream.
pub trait Recorder {
    fn record(&mut self, row: &Row);

    /// The gradient update `step` feeds the optimizer (noise and minibatch included), just
    /// before it is applied; most recorders ignore it.
    #[inline]
    fn update(&mut self, _step: u64, _grad_seen: Point) {}

    /// Recorders that answer true get [`Recorder::stepped`] after every update (the loop skips
    /// the call, and the optimizer's preconditioner, for the others). Asked once per run.
    #[inline]
    fn wants_preconditioner(&self) -> bool {
        false
    }

    /// Update `step` was applied; `preconditioner` is the diagonal it divided the step by
    /// (`None`: not rescaled).
    #[inline]
    fn stepped(&mut self, _step: u64, _preconditioner: Option<Point>) {}
}

/// A whole run in columns, for plots and the animation cursor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trajectory {
    pub points: Vec<Point>,
    pub losses: Vec<f64>,
    pub grads: Vec<Point>,
    pub lrs: Vec<f64>,
}

impl Trajectory {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            points: Vec::with_capacity(n),
            losses: Vec::with_capacity(n),
            grads: Vec::with_capacity(n),
            lrs: Vec::with_capacity(n),
        }
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Row `k` (the step numbers of a trajectory are its indices).
    pub fn row(&self, k: usize) -> Option<Row> {
        Some(Row {
            step: k as u64,
            lr: *self.lrs.get(k)?,
            point: *self.points.get(k)?,
            loss: *self.losses.get(k)?,
            grad: *self.grads.get(k)?,
        })
    }
}

impl Recorder for Trajectory {
    #[inline]
    fn record(&mut self, row: &Row) {
        self.points.push(row.point);
        self.losses.push(row.loss);
        self.grads.push(row.grad);
        self.lrs.push(row.lr);
    }
}

/// What update `step` of a run did, with the optimizer's state after it: the numbers behind
/// the explain panel.
#[derive(Clone, Debug, PartialEq)]
pub struct StepDetail {
    pub step: u64,
    pub lr: f64,
    /// θ_k, before the update.
    pub theta: Point,
    /// ∇f(θ_k).
    pub grad: Point,
    /// The gradient the optimizer was fed (with noise or from a minibatch).
    pub grad_seen: Point,
    /// θ_{k+1} − θ_k.
    pub delta: Point,
    pub rule: &'static [&'static str],
    pub terms: Vec<crate::core::optimizer::Term>,
    /// The update drawn in stages (gradient, momentum, scaling, step), to scale.
    pub stages: Vec<Stage>,
}

/// Rows and fed gradients up to a step, for [`Run::step_detail`].
struct UpTo {
    last: u64,
    rows: Vec<Row>,
    seen: Vec<Point>,
}

impl Recorder for UpTo {
    fn record(&mut self, row: &Row) {
        if row.step <= self.last + 1 {
            self.rows.push(*row);
        }
    }
    fn update(&mut self, step: u64, grad_seen: Point) {
        if step <= self.last {
            self.seen.push(grad_seen);
        }
    }
}

impl Run {
    /// Replays the run up to update `step` and reports it; `None` if the run never took that
    /// update (it ended or diverged before).
    pub fn step_detail(&self, surface: &AnySurface, step: u64) -> Option<StepDetail> {
        let mut rec = UpTo {
            last: step,
            rows: Vec::new(),
            seen: Vec::new(),
        };
        // The run is causal (noise, minibatches and plateau schedules only look back), so the
        // replay stops after the update: a frame that draws it does not pay for the whole run.
        let upto = Run {
            steps: self.steps.min(step.saturating_add(1)),
            ..self.clone()
        };
        upto.simulate_into(surface, &mut rec);
        let k = step as usize;
        let (row, next) = (*rec.rows.get(k)?, *rec.rows.get(k + 1)?);
        // The same updates again, from the same inputs: the optimizer ends in the same state.
        let mut optimizer = self.optimizer.clone();
        let mut p = self.start;
        for (j, g) in rec.seen.iter().enumerate().take(k) {
            let lr = rec.rows.get(j)?.lr;
            with_surface!(surface, s => optimizer.step(&mut p, *g, lr, s)).ok()?;
        }
        let at = UpdateAt {
            theta: row.point,
            grad: row.grad,
            grad_seen: *rec.seen.get(k)?,
            lr: row.lr,
            delta: [next.point[0] - row.point[0], next.point[1] - row.point[1]],
            hessian: with_surface!(surface, s => s.hessian(row.point)),
        };
        let stages = with_surface!(surface, s => optimizer.stages(&at, s));
        with_surface!(surface, s => optimizer.step(&mut p, at.grad_seen, at.lr, s)).ok()?;
        Some(StepDetail {
            step,
            lr: row.lr,
            theta: row.point,
            grad: row.grad,
            grad_seen: at.grad_seen,
            delta: at.delta,
            rule: self.optimizer.rule(),
            terms: optimizer.terms(),
            stages,
        })
    }
}

/// Keeps only the last row: for sweeps and benchmarks that need the end point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LastRow(pub Option<Row>);

impl Recorder for LastRow {
    #[inline]
    fn record(&mut self, row: &Row) {
        self.0 = Some(*row);
    }
}

/// A validated run, ready to simulate any number of times.
#[derive(Clone, Debug)]
pub struct Run {
    pub optimizer: AnyOptimizer,
    pub schedule: LrSchedule,
    pub start: Point,
    pub steps: u64,
    pub noise: f64,
    pub seed: u64,
}

impl Run {
    /// Validates every setting (see [`RunSettings::validate`]); the error names the setting and
    /// what it should be. The start must be resolved ([`RunSettings::starting_from`]).
    pub fn new(settings: &RunSettings) -> Result<Self, SettingsError> {
        settings.validate()?;
        let start = settings.start.ok_or(SettingsError::Value {
            what: "start",
            value: "none".to_owned(),
            expected: crate::core::run::settings::Expected::StartPoint,
        })?;
        Ok(Self {
            optimizer: AnyOptimizer::from_spec(&settings.optimizer)?,
            schedule: LrSchedule::from_specs(settings.lr, &settings.schedule, &settings.warmup)?,
            start,
            steps: settings.steps,
            noise: settings.noise,
            seed: settings.seed,
        })
    }

    /// Simulates the run into `recorder` and returns how it ended. Same run, same surface, same
    /// seed: bit-identical rows.
    pub fn simulate_into<R: Recorder>(&self, surface: &AnySurface, recorder: &mut R) -> Status {
        with_surface!(surface, s => with_optimizer!(&self.optimizer, o => {
            run_loop(s, o, self, recorder)
        }))
    }

    /// The whole trajectory.
    pub fn simulate(&self, surface: &AnySurface) -> (Trajectory, Status) {
        let mut t = Trajectory::with_capacity(self.steps.min(10_000_000) as usize + 1);
        let status = self.simulate_into(surface, &mut t);
        (t, status)
    }

    /// The lr of every step 0..=steps, from `taken`, the rates the run's steps used (moved
    /// out of its trajectory, so they are neither computed nor kept twice): a run that stopped
    /// early gets the schedule's rates for the steps it did not take, where the schedule is a
    /// function of the step (a loss- or gradient-driven one has no rates past the stop).
    pub fn lr_preview(&self, mut taken: Vec<f64>) -> Vec<f64> {
        let from = taken.len() as u64;
        if from <= self.steps && !self.schedule.depends_on_run() {
            // A fresh runner may start anywhere: pure phases have no state and an epoch rule
            // walks its epochs, not its steps.
            let mut runner = self.schedule.runner();
            taken.extend((from..=self.steps).map(|t| runner.lr(t)));
        }
        taken
    }

    /// The first step of this run whose rate is below zero, and that rate, for a schedule that
    /// is a function of the step (a loss- or gradient-driven one is not reported): `recorded`
    /// is what the recorder saw among the rows it got; the step a run stopped at (whose row
    /// may not be recorded, being non-finite) is asked of the schedule.
    pub fn ascent(&self, status: Status, recorded: Option<(u64, f64)>) -> Option<(u64, f64)> {
        if self.schedule.depends_on_run() {
            return None;
        }
        recorded.or_else(|| {
            let last = match status {
                Status::Diverged { step, .. } | Status::SingularHessian { step } => step,
                _ => return None,
            };
            let lr = self.schedule.runner().lr(last);
            (lr < 0.0).then_some((last, lr))
        })
    }

    /// Only the last recorded row, without storing the path.
    pub fn simulate_last(&self, surface: &AnySurface) -> (Option<Row>, Status) {
        let mut last = LastRow::default();
        let status = self.simulate_into(surface, &mut last);
        (last.0, status)
    }
}

#[inline]
fn divergence(p: Point, loss: f64, grad: Point, lr: f64) -> Option<DivergenceReason> {
    let fine = p[0].abs() <= DIVERGENCE_BOUND
        && p[1].abs() <= DIVERGENCE_BOUND
        && loss.is_finite()
        && grad[0].is_finite()
        && grad[1].is_finite()
        && lr.is_finite();
    if fine {
        return None;
    }
    for (coordinate, value) in [('x', p[0]), ('y', p[1])] {
        if !value.is_finite() {
            return Some(DivergenceReason::NonFiniteParameter { coordinate, value });
        }
    }
    for (coordinate, value) in [('x', p[0]), ('y', p[1])] {
        if value.abs() > DIVERGENCE_BOUND {
            return Some(DivergenceReason::OutOfBounds { coordinate, value });
        }
    }
    if !loss.is_finite() {
        return Some(DivergenceReason::NonFiniteLoss { value: loss });
    }
    if !(grad[0].is_finite() && grad[1].is_finite()) {
        return Some(DivergenceReason::NonFiniteGradient);
    }
    Some(DivergenceReason::NonFiniteLearningRate { value: lr })
}

fn run_loop<S: Surface, O: Optimizer + Clone, R: Recorder>(
    surface: &S,
    optimizer: &O,
    run: &Run,
    recorder: &mut R,
) -> Status {
    // A local the loop owns: its moments can live in registers instead of behind a pointer.
    let mut optimizer = optimizer.clone();
    let mut schedule: LrRunner = run.schedule.runner();
    let mut rng = RunRng::seed_from_u64(run.seed);
    let stochastic = surface.is_stochastic();
    let mut p = run.start;
    // Last step whose gradient norm was at or above the convergence threshold.
    let mut last_steep: Option<u64> = None;
    let mut grad_norm_sq;
    let tol_sq = CONVERGENCE_GRAD_NORM * CONVERGENCE_GRAD_NORM;
    let wants_preconditioner = recorder.wants_preconditioner();
    // A plain counter: an inclusive range's exhaustion flag costs the loop a few registers.
    let mut k = 0;
    loop {
        let (loss, grad) = surface.value_and_gradient(p);
        if k > 0 && loss.is_finite() {
            schedule.observe(k - 1, loss);
        }
        if schedule.wants_gradient() {
            schedule.observe_gradient_norm(k, (grad[0] * grad[0] + grad[1] * grad[1]).sqrt());
        }
        let lr = schedule.lr(k);
        let row = Row {
            step: k,
            lr,
            point: p,
            loss,
            grad,
        };
        if let Some(reason) = divergence(p, loss, grad, lr) {
            let finite = [p[0], p[1], loss, grad[0], grad[1], lr]
                .iter()
                .all(|v| v.is_finite());
            if finite {
                recorder.record(&row);
            }
            return Status::Diverged { step: k, reason };
        }
        recorder.record(&row);
        // Squared norms: `hypot` would cost more than a whole SGD step.
        grad_norm_sq = grad[0] * grad[0] + grad[1] * grad[1];
        if grad_norm_sq >= tol_sq {
            last_steep = Some(k);
        }
        if k == run.steps {
            break;
        }
        let mut g = if stochastic {
            surface.sample_gradient(p, grad, &mut rng)
        } else {
            grad
        };
        if run.noise > 0.0 {
            for gi in &mut g {
                let z: f64 = rng.sample(StandardNormal);
                *gi += run.noise * z;
            }
        }
        recorder.update(k, g);
        if optimizer.step(&mut p, g, lr, surface).is_err() {
            return Status::SingularHessian { step: k };
        }
        if wants_preconditioner {
            recorder.stepped(k, optimizer.preconditioner());
        }
        k += 1;
    }
    if grad_norm_sq < tol_sq {
        Status::Converged {
            step: last_steep.map_or(0, |k| k + 1),
        }
    } else {
        Status::Completed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::{Spec, parse_spec};

    fn surface(text: &str) -> AnySurface {
        AnySurface::from_spec(&parse_spec(text).unwrap()).unwrap()
    }

    fn sgd(lr: f64, start: Point, steps: u64) -> Run {
        Run::new(&RunSettings::new(Spec::named("sgd"), lr, start, steps)).unwrap()
    }

    #[test]
    fn gd_on_a_quadratic_follows_the_closed_form() {
        // On ½(x² + 10y²), GD multiplies x by (1 − lr) and y by (1 − 10·lr) every step.
        let (t, status) = sgd(0.05, [1.0, 1.0], 20).simulate(&surface("quadratic"));
        assert_eq!(t.len(), 21);
        assert_eq!(status, Status::Completed);
        for (k, p) in t.points.iter().enumerate() {
            assert!((p[0] - 0.95f64.powi(k as i32)).abs() < 1e-14);
            assert!((p[1] - 0.5f64.powi(k as i32)).abs() < 1e-14);
        }
    }

    #[test]
    fn divergence_is_a_status_with_the_step() {
        // y_k = (1 − 10·0.21)^k = (−1.1)^k passes 1e8 at k = ⌈8/log10(1.1)⌉ = 194.
        let (t, status) = sgd(0.21, [1.0, 1.0], 1000).simulate(&surface("quadratic"));
        let expected = (8.0 / 1.1f64.log10()).ceil() as u64;
        assert!(
            matches!(status, Status::Diverged { step, reason: DivergenceReason::OutOfBounds { coordinate: 'y', .. } } if step == expected),
            "{status}"
        );
        assert_eq!(
            t.len() as u64,
            expected + 1,
            "the out-of-bounds row is finite and kept"
        );
        // Overflow to infinity: the non-finite row is dropped.
        let (t, status) = sgd(0.01, [-2.0, 2.0], 100).simulate(&surface("rosenbrock"));
        let Status::Diverged { step, .. } = status else {
            panic!("{status}")
        };
        assert!(t.len() as u64 <= step + 1);
        assert!(t.points.iter().flatten().all(|v| v.is_finite()));
    }

    #[test]
    fn a_stopped_run_previews_the_schedule_past_its_stop() {
        // GD on ½(x² + 10y²) with lr_k = 0.21·1.01^k diverges within 200 steps; the preview
        // holds the rates it used and then the schedule's, lr_k = 0.21·1.01^k, to step 400.
        let mut spec = RunSettings::new(Spec::named("sgd"), 0.21, [1.0, 1.0], 400);
        spec.schedule = parse_spec("exponential(gamma=1.01)").unwrap();
        let run = Run::new(&spec).unwrap();
        let (mut t, status) = run.simulate(&surface("quadratic"));
        let Status::Diverged { step, .. } = status else {
            panic!("{status}")
        };
        assert!(step < 200);
        let taken = t.lrs.len();
        let preview = run.lr_preview(std::mem::take(&mut t.lrs));
        assert_eq!(preview.len(), 401);
        for (k, lr) in preview.iter().enumerate() {
            let expected = 0.21 * 1.01f64.powi(k as i32);
            assert!(
                (lr - expected).abs() <= 1e-12 * expected,
                "step {k} (taken {taken})"
            );
        }
    }

    #[test]
    fn the_first_negative_rate_is_found_at_the_stop_step_too() {
        // lr_k = 0.1 − 0.01·k is below zero from k = 11 (−0.01 at 11, −0.1 at 20).
        let mut spec = RunSettings::new(Spec::named("sgd"), 0.1, [1.0, 1.0], 50);
        spec.schedule = parse_spec("linear_decay(k=0.01)").unwrap();
        let run = Run::new(&spec).unwrap();
        let stop = Status::Diverged {
            step: 20,
            reason: DivergenceReason::NonFiniteGradient,
        };
        let (k, lr) = run.ascent(stop, None).expect("negative at the stop step");
        assert_eq!(k, 20);
        assert!((lr + 0.1).abs() < 1e-15);
        assert_eq!(run.ascent(stop, Some((11, -0.01))), Some((11, -0.01)));
        assert_eq!(run.ascent(Status::Completed, None), None);
        // A loss-driven schedule has no rates past what the run saw: nothing is reported.
        spec.schedule = parse_spec("plateau").unwrap();
        assert_eq!(Run::new(&spec).unwrap().ascent(stop, Some((3, -1.0))), None);
    }

    #[test]
    fn converged_status_names_the_step() {
        let (_, status) = sgd(0.19, [1.0, 1.0], 400).simulate(&surface("quadratic"));
        // |y_k| = 0.9^k and |x_k| = 0.81^k; the gradient norm falls below 1e-6 when 10·0.9^k does.
        let k = ((1e-6f64 / 10.0).ln() / 0.9f64.ln()).ceil() as u64;
        assert!(
            matches!(status, Status::Converged { step } if step.abs_diff(k) <= 1),
            "{status} vs {k}"
        );
    }

    #[test]
    fn singular_newton_is_a_status() {
        let mut spec = RunSettings::new(Spec::named("newton"), 1.0, [1.0, 1.0], 10);
        spec.optimizer = Spec::named("newton");
        let (t, status) = Run::new(&spec)
            .unwrap()
            .simulate(&surface("saddle(a=1,b=0)"));
        assert_eq!(status, Status::SingularHessian { step: 0 });
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn noisy_runs_repeat_bit_for_bit_and_depend_on_the_seed() {
        let mut spec = RunSettings::new(Spec::named("adam"), 0.05, [-1.0, 2.0], 300);
        spec.noise = 0.5;
        spec.seed = 7;
        let s = surface("rosenbrock");
        let a = Run::new(&spec).unwrap().simulate(&s);
        let b = Run::new(&spec).unwrap().simulate(&s);
        assert_eq!(a, b);
        spec.seed = 8;
        let c = Run::new(&spec).unwrap().simulate(&s);
        assert_ne!(a.0.points, c.0.points);
    }

    #[test]
    fn bad_settings_are_errors_naming_the_setting() {
        let mut spec = RunSettings::new(Spec::named("sgd"), f64::NAN, [0.0, 0.0], 10);
        assert!(
            Run::new(&spec)
                .unwrap_err()
                .to_string()
                .starts_with("lr = NaN")
        );
        spec.lr = 0.1;
        spec.noise = -1.0;
        assert!(
            Run::new(&spec)
                .unwrap_err()
                .to_string()
                .starts_with("noise = -1")
        );
        spec.noise = 0.0;
        spec.schedule = parse_spec("cosine").unwrap();
        assert!(
            Run::new(&spec)
                .unwrap_err()
                .to_string()
                .contains("needs parameter 'T_max'")
        );
    }
}
