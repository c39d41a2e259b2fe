//! Learning-rate schedules and warmup.
//!
//! A [`Schedule`] is a pure function of the step (as in optax), so the app can plot it before
//! anything runs. `plateau` is its own kind of [`Phase`]: it is driven by the losses and only
//! [`LrRunner`] can evaluate it. An [`LrSchedule`] joins phases at step boundaries like
//! PyTorch's `SequentialLR` and optax's `join_schedules` (a later phase sees `t − boundary`);
//! a warmup is nothing but a shorthand for such a sequence. Formulas follow
//! `torch.optim.lr_scheduler` in closed form.

use std::f64::consts::PI;

use crate::core::spec::{Args, Spec, SpecError};

mod items;
mod runner;

pub use items::{RateCode, SCHEDULES, ScheduleItem, WARMUPS, WarmupItem, python_formula};
pub use runner::LrRunner;

/// The variables of a [`EpochRule`]'s formula, in the order it is evaluated with.
pub const EPOCH_VARIABLES: [&str; 3] = ["epoch", "lr", "lr0"];

/// Keras's `LearningRateScheduler` callback: at the start of every epoch the rate becomes
/// `rule(epoch, lr, lr0)`, so the notes' per-epoch rules run as they are written.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochRule {
    pub steps_per_epoch: u64,
    /// A formula in [`EPOCH_VARIABLES`].
    pub rule: crate::core::surface::Formula,
}

/// The notes' "dynamic" rule: the rate is multiplied by `factor` before every update whose
/// gradient norm exceeds `threshold`.
#[derive(Clone, Debug, PartialEq)]
pub struct GradHalving {
    pub threshold: f64,
    pub factor: f64,
}

/// CyclicLR's amplitude policy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CyclicMode {
    Triangular,
    Triangular2,
    ExpRange,
}

/// The settings of ReduceLROnPlateau.
#[derive(Clone, Debug, PartialEq)]
pub struct PlateauParams {
    pub maximize: bool,
    pub factor: f64,
    pub patience: u64,
    pub threshold: f64,
    pub relative: bool,
    pub cooldown: u64,
    pub min_lr: f64,
    pub eps: f64,
}

/// A schedule given as a closure: how a schedule registered at run time (or one whose rule
/// does not warrant its own variant) is built, from one block in its registry item.
#[derive(Clone)]
pub struct ScheduleFn {
    /// The spec it was built from, for debugging and equality.
    pub spec: String,
    /// η_t as a function of the base rate and the step t.
    pub lr: std::sync::Arc<dyn Fn(f64, u64) -> f64 + Send + Sync>,
}

impl ScheduleFn {
    /// A schedule whose rate is `lr(base_lr, t)`; `spec` names it (two closures built from the
    /// same spec are the same schedule).
    pub fn new(
        spec: impl Into<String>,
        lr: impl Fn(f64, u64) -> f64 + Send + Sync + 'static,
    ) -> Self {
        Self {
            spec: spec.into(),
            lr: std::sync::Arc::new(lr),
        }
    }
}

impl std::fmt::Debug for ScheduleFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ScheduleFn({})", self.spec)
    }
}

impl PartialEq for ScheduleFn {
    fn eq(&self, other: &Self) -> bool {
        self.spec == other.spec
    }
}

/// A pure schedule: the learning rate as a function of the step and the base rate.
#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    /// Any other pure schedule, as a closure (see [`ScheduleFn`]).
    Fn(ScheduleFn),
    /// η_t = η0·factor (`constant` has factor 1; a constant warmup its own, PyTorch's ConstantLR).
    Constant {
        factor: f64,
    },
    /// η_t = η0·(s + (1 − s)·t/W): a linear warmup over its W steps.
    Ramp {
        start_factor: f64,
        steps: u64,
    },
    Step {
        step_size: u64,
        gamma: f64,
    },
    MultiStep {
        milestones: Vec<u64>,
        gamma: f64,
    },
    Exponential {
        gamma: f64,
    },
    ExpDecay {
        k: f64,
    },
    InverseTime {
        k: f64,
    },
    Polynomial {
        total_iters: u64,
        power: f64,
    },
    Linear {
        start_factor: f64,
        end_factor: f64,
        total_iters: u64,
    },
    Cosine {
        t_max: u64,
        eta_min: f64,
    },
    CosineRestarts {
        t_0: u64,
        t_mult: u64,
        eta_min: f64,
    },
    Cyclic {
        base_lr: Option<f64>,
        max_lr: f64,
        step_size_up: f64,
        step_size_down: Option<f64>,
        mode: CyclicMode,
        gamma: f64,
    },
    OneCycle {
        max_lr: Option<f64>,
        total_steps: u64,
        pct_start: f64,
        cosine: bool,
        div_factor: f64,
        final_div_factor: f64,
        three_phase: bool,
    },
}

/// What sets the learning rate during one phase of a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// A pure function of the step.
    Pure(Schedule),
    /// ReduceLROnPlateau: driven by the losses the run reaches, known only while it runs.
    Plateau(PlateauParams),
    /// Driven by the gradient norms the run meets, known only while it runs.
    GradHalving(GradHalving),
    /// Set at epoch starts by a rule that may read the current rate (known before the run,
    /// but only in order).
    Epochs(Box<EpochRule>),
}

impl Phase {
    /// Builds what a `--schedule` spec names.
    pub fn from_spec(spec: &Spec) -> Result<Self, SpecError> {
        let (item, args) = SCHEDULES.resolve_item(spec)?;
        (item.build)(&args)
    }
}

impl Schedule {
    /// The learning rate at step `t` for base rate `base_lr`.
    #[inline]
    pub fn lr(&self, base_lr: f64, t: u64) -> f64 {
        let tf = t as f64;
        match self {
            Self::Fn(f) => (f.lr)(base_lr, t),
            Self::Constant { factor } => base_lr * factor,
            Self::Ramp {
                start_factor,
                steps,
            } => base_lr * (start_factor + (1.0 - start_factor) * tf / *steps as f64),
            Self::Step { step_size, gamma } => base_lr * gamma.powf((t / step_size) as f64),
            Self::MultiStep { milestones, gamma } => {
                let passed = milestones.iter().filter(|&&m| m <= t).count();
                base_lr * gamma.powf(passed as f64)
            }
            Self::Exponential { gamma } => base_lr * gamma.powf(tf),
            Self::ExpDecay { k } => base_lr * (-k * tf).exp(),
            Self::InverseTime { k } => base_lr / (1.0 + k * tf),
            Self::Polynomial { total_iters, power } => {
                let done = t.min(*total_iters) as f64 / *total_iters as f64;
                base_lr * (1.0 - done).powf(*power)
            }
            Self::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => {
                let done = t.min(*total_iters) as f64 / *total_iters as f64;
                base_lr * (start_factor + (end_factor - start_factor) * done)
            }
            Self::Cosine { t_max, eta_min } => {
                eta_min + (base_lr - eta_min) * (1.0 + (PI * tf / *t_max as f64).cos()) / 2.0
            }
            Self::CosineRestarts {
                t_0,
                t_mult,
                eta_min,
            } => {
                let (t_cur, t_i) = restart_position(t, *t_0, *t_mult);
                eta_min + (base_lr - eta_min) * (1.0 + (PI * t_cur as f64 / t_i as f64).cos()) / 2.0
            }
            Self::Cyclic {
                base_lr: low,
                max_lr,
                step_size_up,
                step_size_down,
                mode,
                gamma,
            } => {
                let low = low.unwrap_or(base_lr);
                let down = step_size_down.unwrap_or(*step_size_up);
                let total_size = step_size_up + down;
                let step_ratio = step_size_up / total_size;
                let cycle = (1.0 + tf / total_size).floor();
                let x = 1.0 + tf / total_size - cycle;
                let scale_factor = if x <= step_ratio {
                    x / step_ratio
                } else {
                    (x - 1.0) / (step_ratio - 1.0)
                };
                let base_height = (max_lr - low) * scale_factor;
                let scale = match mode {
                    CyclicMode::Triangular => 1.0,
                    CyclicMode::Triangular2 => 1.0 / 2f64.powf(cycle - 1.0),
                    CyclicMode::ExpRange => gamma.powf(tf),
                };
                low + base_height * scale
            }
            Self::OneCycle {
                max_lr,
                total_steps,
                pct_start,
                cosine,
                div_factor,
                final_div_factor,
                three_phase,
            } => {
                let max_lr = max_lr.unwrap_or(base_lr);
                let initial_lr = max_lr / div_factor;
                let min_lr = initial_lr / final_div_factor;
                let total = *total_steps as f64;
                let up_end = pct_start * total - 1.0;
                let phases: &[(f64, f64, f64)] = if *three_phase {
                    &[
                        (up_end, initial_lr, max_lr),
                        (2.0 * pct_start * total - 2.0, max_lr, initial_lr),
                        (total - 1.0, initial_lr, min_lr),
                    ]
                } else {
                    &[(up_end, initial_lr, max_lr), (total - 1.0, max_lr, min_lr)]
                };
                let mut start_step = 0.0;
                for (i, &(end_step, from, to)) in phases.iter().enumerate() {
                    if tf <= end_step || i == phases.len() - 1 {
                        // PyTorch stops at total_steps; we hold the final lr from there on.
                        let pct = ((tf - start_step) / (end_step - start_step)).min(1.0);
                        return if *cosine {
                            to + (from - to) / 2.0 * ((PI * pct).cos() + 1.0)
                        } else {
                            (to - from) * pct + from
                        };
                    }
                    start_step = end_step;
                }
                min_lr
            }
        }
    }
}

pub(super) fn one_cycle_from_args(a: &Args) -> Result<Schedule, SpecError> {
    let total = a.int("total_steps") as f64;
    let pct = a.num("pct_start");
    let three_phase = a.flag("three_phase");
    let up_end = pct * total - 1.0;
    let ends: Vec<f64> = if three_phase {
        vec![0.0, up_end, 2.0 * pct * total - 2.0, total - 1.0]
    } else {
        vec![0.0, up_end, total - 1.0]
    };
    if ends.windows(2).any(|w| w[1] <= w[0]) {
        return Err(a.invalid(crate::core::spec::InvalidReason::OneCyclePhases {
            pct,
            total,
            low: 2.0 / total,
            high: 1.0 - 1.0 / total,
        }));
    }
    Ok(Schedule::OneCycle {
        max_lr: a.opt_num("max_lr"),
        total_steps: a.int("total_steps"),
        pct_start: pct,
        cosine: a.choice("anneal_strategy") == "cos",
        div_factor: a.num("div_factor"),
        final_div_factor: a.num("final_div_factor"),
        three_phase,
    })
}

/// Position `(T_cur, T_i)` inside the current cycle of SGDR at step `t`.
fn restart_position(t: u64, t_0: u64, t_mult: u64) -> (u64, u64) {
    if t_mult == 1 {
        return (t % t_0, t_0);
    }
    let (mut rest, mut t_i) = (t, t_0);
    while rest >= t_i {
        rest -= t_i;
        t_i = t_i.saturating_mul(t_mult);
    }
    (rest, t_i)
}

/// The phase a `--warmup` spec stands for and its length W (`None` for `none`).
pub fn warmup_phase(spec: &Spec) -> Result<Option<(Schedule, u64)>, SpecError> {
    let (item, args) = WARMUPS.resolve_item(spec)?;
    Ok((item.build)(&args))
}

/// Phases joined at step boundaries (PyTorch's `SequentialLR`, optax's `join_schedules`): phase
/// `i` runs from `boundaries[i − 1]` on and sees the step counted from there.
#[derive(Clone, Debug, PartialEq)]
pub struct LrSchedule {
    pub base_lr: f64,
    phases: Vec<Phase>,
    /// Ascending; one fewer than `phases`.
    boundaries: Vec<u64>,
}

impl LrSchedule {
    /// One phase for the whole run.
    pub fn single(base_lr: f64, phase: Phase) -> Self {
        Self {
            base_lr,
            phases: vec![phase],
            boundaries: Vec::new(),
        }
    }

    /// `phases` joined at `boundaries` (one fewer, ascending).
    pub fn join(base_lr: f64, phases: Vec<Phase>, boundaries: Vec<u64>) -> Option<Self> {
        let ascending = boundaries.windows(2).all(|w| w[0] <= w[1]);
        (!phases.is_empty() && boundaries.len() + 1 == phases.len() && ascending).then_some(Self {
            base_lr,
            phases,
            boundaries,
        })
    }

    /// The schedule of a run's `--schedule` and `--warmup` specs: the warmup phase for W steps,
    /// then the schedule from its own step 0.
    pub fn from_specs(base_lr: f64, schedule: &Spec, warmup: &Spec) -> Result<Self, SpecError> {
        let main = Phase::from_spec(schedule)?;
        Ok(match warmup_phase(warmup)? {
            Some((warm, steps)) => Self {
                base_lr,
                phases: vec![Phase::Pure(warm), main],
                boundaries: vec![steps],
            },
            None => Self::single(base_lr, main),
        })
    }

    /// The phase step `t` falls in and `t` counted from that phase's start.
    #[inline]
    fn phase_at(&self, t: u64) -> (usize, u64) {
        let i = self.boundaries.partition_point(|&b| b <= t);
        let start = if i == 0 { 0 } else { self.boundaries[i - 1] };
        (i, t - start)
    }

    /// The lr of step `t`, or `None` where it depends on the run (plateau, gradient halving)
    /// or on the rates before it (an epoch rule; [`LrSchedule::pure_lrs`] has those).
    #[inline]
    pub fn lr_at(&self, t: u64) -> Option<f64> {
        let (i, local) = self.phase_at(t);
        match &self.phases[i] {
            Phase::Pure(s) => Some(s.lr(self.base_lr, local)),
            _ => None,
        }
    }

    /// The lr of steps `0..=steps` when no phase depends on the run.
    pub fn pure_lrs(&self, steps: u64) -> Option<Vec<f64>> {
        if self.depends_on_run() {
            return None;
        }
        let mut runner = self.runner();
        Some((0..=steps).map(|t| runner.lr(t)).collect())
    }

    /// Whether some phase is driven by the losses or gradients, so only a run knows its rates.
    pub fn depends_on_run(&self) -> bool {
        self.phases
            .iter()
            .any(|p| matches!(p, Phase::Plateau(_) | Phase::GradHalving(_)))
    }

    /// Where the first phase (a warmup) ends; 0 for a single phase.
    pub fn warmup_steps(&self) -> u64 {
        self.boundaries.first().copied().unwrap_or(0)
    }

    /// A stateful evaluator for one run.
    pub fn runner(&self) -> LrRunner<'_> {
        LrRunner::of(std::borrow::Cow::Borrowed(self))
    }

    /// A runner that owns its schedule, for a run that is kept between calls (a network
    /// trained a slice at a time).
    pub fn into_runner(self) -> LrRunner<'static> {
        LrRunner::of(std::borrow::Cow::Owned(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::parse_spec;

    fn sched(main: &str, warmup: &str, base_lr: f64) -> Pure {
        Pure(
            LrSchedule::from_specs(
                base_lr,
                &parse_spec(main).unwrap(),
                &parse_spec(warmup).unwrap(),
            )
            .unwrap(),
        )
    }

    /// A schedule known to be pure, with `lr_at` unwrapped.
    struct Pure(LrSchedule);
    impl Pure {
        fn lr_at(&self, t: u64) -> f64 {
            self.0.lr_at(t).unwrap()
        }
        fn runner(&self) -> LrRunner<'_> {
            self.0.runner()
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
    }

    #[test]
    fn every_registered_schedule_builds_from_its_example() {
        for item in SCHEDULES.defs() {
            match Phase::from_spec(&item.example_spec()).unwrap() {
                Phase::Pure(s) => assert!(s.lr(0.1, 0).is_finite(), "{}", item.name),
                Phase::Plateau(_) => assert_eq!(item.name, "plateau"),
                Phase::GradHalving(_) => assert_eq!(item.name, "grad_halving"),
                Phase::Epochs(_) => assert_eq!(item.name, "keras.learning_rate_scheduler"),
            }
        }
    }

    #[test]
    fn boundaries_of_piecewise_schedules() {
        let s = sched("step(step_size=3,gamma=0.5)", "none", 1.0);
        let lrs: Vec<f64> = (0..7).map(|t| s.lr_at(t)).collect();
        assert_eq!(lrs, [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]);
        let s = sched("multistep(milestones=[2,4,4],gamma=0.1)", "none", 1.0);
        assert!(close(s.lr_at(1), 1.0) && close(s.lr_at(2), 0.1) && close(s.lr_at(4), 0.001));
        let s = sched("polynomial(total_iters=4,power=1)", "none", 2.0);
        let lrs: Vec<f64> = (0..7).map(|t| s.lr_at(t)).collect();
        assert_eq!(lrs, [2.0, 1.5, 1.0, 0.5, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn cosine_hits_eta_min_at_t_max_and_restarts_double() {
        let s = sched("cosine(T_max=10,eta_min=0.1)", "none", 1.1);
        assert!(close(s.lr_at(0), 1.1) && close(s.lr_at(5), 0.6) && close(s.lr_at(10), 0.1));
        assert!(
            close(s.lr_at(15), 0.6),
            "PyTorch's cosine rises again past T_max"
        );
        let s = sched("cosine_restarts(T_0=2,T_mult=2)", "none", 1.0);
        // Cycles of length 2, 4, 8 start at steps 0, 2, 6.
        for t in [0, 2, 6, 14] {
            assert_eq!(s.lr_at(t), 1.0, "restart at {t}");
        }
        assert!(close(s.lr_at(4), 0.5) && close(s.lr_at(10), 0.5));
    }

    #[test]
    fn warmup_composes_with_the_main_schedule_shifted() {
        let s = sched(
            "step(step_size=2,gamma=0.5)",
            "linear(steps=4,start_factor=0)",
            1.0,
        );
        let lrs: Vec<f64> = (0..8).map(|t| s.lr_at(t)).collect();
        assert_eq!(lrs, [0.0, 0.25, 0.5, 0.75, 1.0, 1.0, 0.5, 0.5]);
        let s = sched("constant", "constant(steps=2,factor=0.1)", 2.0);
        assert_eq!(
            (0..3).map(|t| s.lr_at(t)).collect::<Vec<_>>(),
            [0.2, 0.2, 2.0]
        );
    }

    #[test]
    fn one_cycle_holds_the_final_lr_after_total_steps() {
        let s = sched(
            "one_cycle(max_lr=1,total_steps=10,pct_start=0.3)",
            "none",
            0.5,
        );
        assert!(close(s.lr_at(0), 1.0 / 25.0));
        assert!(close(s.lr_at(2), 1.0), "peak at pct_start·total − 1");
        let final_lr = 1.0 / 25.0 / 1e4;
        for t in [9, 10, 50] {
            assert!(close(s.lr_at(t), final_lr), "step {t}: {}", s.lr_at(t));
        }
        let err = Phase::from_spec(&parse_spec("one_cycle(total_steps=10,pct_start=0.1)").unwrap());
        assert!(
            err.unwrap_err()
                .to_string()
                .contains("leaves a phase without steps")
        );
    }

    #[test]
    fn plateau_reduces_after_patience_and_respects_cooldown_and_min_lr() {
        let s = sched(
            "plateau(patience=1,factor=0.5,cooldown=1,min_lr=0.3)",
            "none",
            1.0,
        );
        let mut r = s.runner();
        let mut lrs = vec![r.lr(0)];
        for (t, loss) in [5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0]
            .into_iter()
            .enumerate()
        {
            r.observe(t as u64, loss);
            lrs.push(r.lr(t as u64 + 1));
        }
        // First loss improves on +inf; two bad steps (> patience=1) reduce; cooldown swallows one.
        assert_eq!(lrs, [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3]);
    }
}
