//! Evaluating an [`LrSchedule`] along a run: the phase each step falls in, and the state of
//! the phases that listen to the run (plateau, gradient halving, epoch rules).

use super::*;

impl<'a> LrRunner<'a> {
    pub(super) fn of(schedule: std::borrow::Cow<'a, LrSchedule>) -> Self {
        let loss_driven = schedule
            .phases
            .iter()
            .any(|p| matches!(p, Phase::Plateau(_)));
        let gradient_driven = schedule
            .phases
            .iter()
            .any(|p| matches!(p, Phase::GradHalving(_)));
        LrRunner {
            schedule,
            phase: 0,
            start: 0,
            end: 0,
            constant: None,
            loss_driven,
            gradient_driven,
            state: None,
        }
    }
}

/// Evaluates an [`LrSchedule`] along a run, feeding losses to a plateau phase.
#[derive(Clone, Debug)]
pub struct LrRunner<'a> {
    schedule: std::borrow::Cow<'a, LrSchedule>,
    /// The phase of the step last asked for and the steps it spans, `start..end`: a run asks
    /// for its steps in order, so finding the phase is one comparison per step.
    phase: usize,
    start: u64,
    end: u64,
    /// The rate of that phase when it is constant (most runs): no formula per step.
    constant: Option<f64>,
    /// Whether some phase listens to the losses; most schedules do not.
    loss_driven: bool,
    /// Whether some phase listens to the gradient norms.
    gradient_driven: bool,
    /// The state of the stateful phase the run is in (started when it is entered).
    state: Option<(usize, PhaseState)>,
}

/// What a stateful phase remembers along a run.
#[derive(Clone, Debug)]
enum PhaseState {
    Plateau(PlateauState),
    /// The current rate of a gradient-halving phase.
    Rate(f64),
    /// The next epoch whose start is still to come, and the rate set at the last one.
    Epochs {
        next: u64,
        lr: f64,
    },
}

impl LrRunner<'_> {
    /// The phase step `t` falls in and `t` counted from its start.
    #[inline(always)]
    fn locate(&mut self, t: u64) -> (usize, u64) {
        if t < self.start || t >= self.end {
            let b = &self.schedule.boundaries;
            let (i, _) = self.schedule.phase_at(t);
            self.phase = i;
            self.start = if i == 0 { 0 } else { b[i - 1] };
            self.end = b.get(i).copied().unwrap_or(u64::MAX);
            self.constant = match &self.schedule.phases[i] {
                Phase::Pure(Schedule::Constant { factor }) => Some(self.schedule.base_lr * factor),
                _ => None,
            };
        }
        (self.phase, t - self.start)
    }

    /// The lr that update `t` uses.
    #[inline(always)]
    pub fn lr(&mut self, t: u64) -> f64 {
        if let Some(lr) = self.constant
            && t >= self.start
            && t < self.end
        {
            return lr;
        }
        self.lr_computed(t)
    }

    /// The lr of update `t` outside a constant phase, one call per step: a formula (a cosine,
    /// a power) evaluated step by step overlaps with the update's own arithmetic, while rates
    /// computed ahead in a batch measured 20 % slower, their burst stalling the update.
    #[inline(never)]
    fn lr_computed(&mut self, t: u64) -> f64 {
        let (i, local) = self.locate(t);
        if let Some(lr) = self.constant {
            return lr;
        }
        let s = &*self.schedule;
        let base = s.base_lr;
        match &s.phases[i] {
            Phase::Pure(p) => p.lr(base, local),
            Phase::Plateau(p) => match phase_state(&mut self.state, i, || {
                PhaseState::Plateau(PlateauState::new(p.clone(), base))
            }) {
                PhaseState::Plateau(state) => state.lr,
                _ => unreachable!("a plateau phase keeps a plateau state"),
            },
            Phase::GradHalving(_) => {
                match phase_state(&mut self.state, i, || PhaseState::Rate(base)) {
                    PhaseState::Rate(lr) => *lr,
                    _ => unreachable!("a halving phase keeps a rate"),
                }
            }
            Phase::Epochs(e) => {
                let epoch = local / e.steps_per_epoch;
                let init = || PhaseState::Epochs { next: 0, lr: base };
                match phase_state(&mut self.state, i, init) {
                    PhaseState::Epochs { next, lr } => {
                        while *next <= epoch {
                            *lr = e.rule.eval(&[*next as f64, *lr, base]);
                            *next += 1;
                        }
                        *lr
                    }
                    _ => unreachable!("an epoch phase keeps its epoch"),
                }
            }
        }
    }

    /// Whether the schedule wants [`LrRunner::observe_gradient_norm`] (gradient halving).
    #[inline(always)]
    pub fn wants_gradient(&self) -> bool {
        self.gradient_driven
    }

    /// Tells the schedule the norm of the gradient at θ_t, before it is asked for the rate of
    /// update `t`; only a gradient-halving phase listens.
    pub fn observe_gradient_norm(&mut self, t: u64, norm: f64) {
        if !self.gradient_driven {
            return;
        }
        let (i, _) = self.locate(t);
        let s = &*self.schedule;
        let base = s.base_lr;
        if let Phase::GradHalving(h) = &s.phases[i]
            && let PhaseState::Rate(lr) = phase_state(&mut self.state, i, || PhaseState::Rate(base))
            && norm > h.threshold
        {
            *lr *= h.factor;
        }
    }

    /// Tells the schedule the loss reached by update `t`; only a plateau phase listens, from
    /// its first step on.
    #[inline(always)]
    pub fn observe(&mut self, t: u64, loss: f64) {
        if !self.loss_driven {
            return;
        }
        let (i, _) = self.locate(t);
        let s = &*self.schedule;
        let base = s.base_lr;
        if let Phase::Plateau(p) = &s.phases[i]
            && let PhaseState::Plateau(state) = phase_state(&mut self.state, i, || {
                PhaseState::Plateau(PlateauState::new(p.clone(), base))
            })
        {
            state.step(loss);
        }
    }
}

/// The state of stateful phase `i`, started by `start` when the run enters it.
fn phase_state(
    state: &mut Option<(usize, PhaseState)>,
    i: usize,
    start: impl FnOnce() -> PhaseState,
) -> &mut PhaseState {
    if state.as_ref().is_some_and(|(j, _)| *j != i) {
        *state = None;
    }
    &mut state.get_or_insert_with(|| (i, start())).1
}

/// ReduceLROnPlateau's state machine.
#[derive(Clone, Debug)]
struct PlateauState {
    p: PlateauParams,
    lr: f64,
    best: f64,
    num_bad: u64,
    cooldown_counter: u64,
}

impl PlateauState {
    fn new(p: PlateauParams, lr: f64) -> Self {
        let best = if p.maximize {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        Self {
            p,
            lr,
            best,
            num_bad: 0,
            cooldown_counter: 0,
        }
    }

    fn is_better(&self, a: f64) -> bool {
        let (p, best) = (&self.p, self.best);
        match (p.maximize, p.relative) {
            (false, true) => a < best * (1.0 - p.threshold),
            (false, false) => a < best - p.threshold,
            (true, true) => a > best * (p.threshold + 1.0),
            (true, false) => a > best + p.threshold,
        }
    }

    fn step(&mut self, loss: f64) {
        if self.is_better(loss) {
            self.best = loss;
            self.num_bad = 0;
        } else {
            self.num_bad += 1;
        }
        if self.cooldown_counter > 0 {
            self.cooldown_counter -= 1;
            self.num_bad = 0;
        }
        if self.num_bad > self.p.patience {
            let new_lr = (self.lr * self.p.factor).max(self.p.min_lr);
            if self.lr - new_lr > self.p.eps {
                self.lr = new_lr;
            }
            self.cooldown_counter = self.p.cooldown;
            self.num_bad = 0;
        }
    }
}
