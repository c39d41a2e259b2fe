//! The registry items of schedules and warmups: each one's definition (name, parameters,
//! defaults, docs), how it is built and its script code, one block each: torch's schedulers in
//! [`torch`], Keras's in [`keras`], the loss- and gradient-driven ones in [`rules`].

use super::{
    CyclicMode, EPOCH_VARIABLES, EpochRule, GradHalving, Phase, PlateauParams, Schedule,
    ScheduleFn, one_cycle_from_args,
};
use crate::core::python::{py, py_value, py_whole};
use crate::core::spec::{
    Args, Check, Item, ItemDef, Kind, ParamDef, ParamDefault, Registry, SpecError,
};
use crate::core::surface::Formula;

mod keras;
mod rules;
mod torch;

const LS: &str = "torch.optim.lr_scheduler";
const KS: &str = "keras.optimizers.schedules";

/// A Keras schedule as a pure phase: `lr(η0, t)` with the step as a float, as Keras casts it.
fn keras_fn(
    a: &Args,
    lr: impl Fn(f64, f64) -> f64 + Send + Sync + 'static,
) -> Result<Phase, SpecError> {
    Ok(Phase::Pure(Schedule::Fn(ScheduleFn::new(
        a.spec().to_string(),
        move |lr0, t| lr(lr0, t as f64),
    ))))
}

/// A rule in the formula language as Python writes it (`^` is `**`; the functions are the
/// names the scripts import from `math`).
pub fn python_formula(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ").replace('^', "**")
}

/// A parameter as Python writes it.
fn n(a: &Args, key: &str) -> String {
    py_value(&a.value(key))
}

/// A parameter where Python wants an integer.
fn i(a: &Args, key: &str) -> String {
    py_whole(&a.value(key))
}

/// How a script reproduces a schedule (see `scene::script`).
#[derive(Clone, Debug, PartialEq)]
pub enum RateCode {
    /// The base rate throughout.
    Constant,
    /// A `torch.optim.lr_scheduler` expression on `optimizer`, stepped after each update.
    Torch(String),
    /// A `torch.optim.lr_scheduler` expression that raises once stepped past `total_steps` (a
    /// Python integer; OneCycleLR), where optiscope holds the last rate.
    TorchBounded { expr: String, total_steps: String },
    /// A `ReduceLROnPlateau` expression on `optimizer`, fed the loss.
    Plateau(String),
    /// A `keras.optimizers.schedules` expression, called with the number of updates applied.
    Keras(String),
    /// The rate of update `step` as a Python expression in `step` and `lr0` (the base rate).
    Formula(String),
    /// Multiply the rate by `factor` whenever the gradient norm exceeds `threshold` (Python
    /// literals).
    GradHalving { threshold: String, factor: String },
    /// At the start of every epoch of `steps_per_epoch` updates the rate becomes `rule`, a
    /// Python expression in `epoch`, `lr` (the current rate) and `lr0`: Keras's
    /// `LearningRateScheduler` callback.
    Epochs { steps_per_epoch: u64, rule: String },
}

/// A registry item of the schedule family.
pub struct ScheduleItem {
    pub def: ItemDef,
    /// The phase the schedule is: a pure function of the step, or loss-driven.
    pub build: fn(&Args) -> Result<Phase, SpecError>,
    /// How a script sets the rate of a run at base rate `lr`: a `torch.optim.lr_scheduler` on
    /// `optimizer`, a `keras.optimizers.schedules` object, or the rule written out.
    pub python: fn(&Args, f64) -> RateCode,
}

impl Item for ScheduleItem {
    fn def(&self) -> &ItemDef {
        &self.def
    }
}

/// A registry item of the warmup family.
pub struct WarmupItem {
    pub def: ItemDef,
    /// The warmup's phase and its length W (`None` for no warmup).
    pub build: fn(&Args) -> Option<(Schedule, u64)>,
    /// The warmup factor as a Python lambda of the step t, for `LambdaLR`.
    pub torch: fn(&Args) -> Option<String>,
}

impl Item for WarmupItem {
    fn def(&self) -> &ItemDef {
        &self.def
    }
}

/// The registry of main schedules, in the order the window lists them.
pub static SCHEDULES: Registry<ScheduleItem> = Registry::new(
    "schedule",
    &[
        torch::CONSTANT,
        torch::STEP,
        torch::MULTISTEP,
        torch::EXPONENTIAL,
        torch::EXP_DECAY,
        torch::INVERSE_TIME,
        torch::POLYNOMIAL,
        torch::LINEAR,
        torch::COSINE,
        torch::COSINE_RESTARTS,
        torch::CYCLIC,
        torch::ONE_CYCLE,
        rules::PLATEAU,
        rules::GRAD_HALVING,
        rules::LINEAR_DECAY,
        keras::EXPONENTIAL_DECAY,
        keras::INVERSE_TIME_DECAY,
        keras::POLYNOMIAL_DECAY,
        keras::PIECEWISE_CONSTANT,
        keras::COSINE_DECAY,
        keras::COSINE_DECAY_RESTARTS,
        keras::LEARNING_RATE_SCHEDULER,
    ],
);

/// The registry of warmups.
pub static WARMUPS: Registry<WarmupItem> = Registry::new(
    "warmup",
    &[
        WarmupItem {
            def: ItemDef {
                name: "none",
                summary: "no warmup",
                params: &[],
            },
            build: |_| None,
            torch: |_| None,
        },
        WarmupItem {
            def: ItemDef {
                name: "linear",
                summary: "η_t = η0·(s + (1 − s)·t/W) for t < W, then the schedule at t − W",
                params: &[
                    ParamDef::int("steps", 0, 10.0, "warmup length W").required(),
                    ParamDef::num("start_factor", Check::Unit, 0.0, "factor s at step 0"),
                ],
            },
            build: |a| {
                let steps = a.int("steps");
                Some((
                    Schedule::Ramp {
                        start_factor: a.num("start_factor"),
                        steps,
                    },
                    steps,
                ))
            },
            torch: |a| {
                let (s, w) = (n(a, "start_factor"), i(a, "steps"));
                Some(format!("lambda t: {s} + (1 - {s}) * t / {w}"))
            },
        },
        WarmupItem {
            def: ItemDef {
                name: "constant",
                summary: "η_t = η0·factor for t < W, then the schedule at t − W",
                params: &[
                    ParamDef::int("steps", 0, 10.0, "warmup length W").required(),
                    ParamDef::num("factor", Check::Unit, 0.1, "factor during warmup"),
                ],
            },
            build: |a| {
                Some((
                    Schedule::Constant {
                        factor: a.num("factor"),
                    },
                    a.int("steps"),
                ))
            },
            torch: |a| Some(format!("lambda t: {}", n(a, "factor"))),
        },
    ],
);
