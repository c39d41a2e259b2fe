//! The registry items of schedules and warmups: each one's definition (name, parameters,
//! defaults, docs), how it is built and its `torch.optim.lr_scheduler` code, in one block.

use super::{
    CyclicMode, EPOCH_VARIABLES, EpochRule, GradHalving, Phase, PlateauParams, Schedule,
    ScheduleFn, one_cycle_from_args,
};
use crate::core::python::{py, py_value, py_whole};
use crate::core::spec::{Args, Check, Default, Item, ItemDef, Kind, ParamDef, Registry, SpecError};
use crate::core::surface::Formula;

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

/// The registry of main schedules.
pub static SCHEDULES: Registry<ScheduleItem> = Registry::new(
    "schedule",
    &[
        ScheduleItem {
            def: ItemDef {
                name: "constant",
                summary: "η_t = η0",
                params: &[],
            },
            build: |_| Ok(Phase::Pure(Schedule::Constant { factor: 1.0 })),
            python: |_, _| RateCode::Constant,
        },
        ScheduleItem {
            def: ItemDef {
                name: "step",
                summary: "η_t = η0·γ^⌊t/step_size⌋ (StepLR)",
                params: &[
                    ParamDef::int("step_size", 1, 30.0, "steps between decays").required(),
                    ParamDef::num("gamma", Check::NonNegative, 0.1, "factor per decay"),
                ],
            },
            build: |a| {
                Ok(Phase::Pure(Schedule::Step {
                    step_size: a.int("step_size"),
                    gamma: a.num("gamma"),
                }))
            },
            python: |a, _| {
                RateCode::Torch(format!(
                    "{LS}.StepLR(optimizer, step_size={}, gamma={})",
                    i(a, "step_size"),
                    n(a, "gamma")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "multistep",
                summary: "η_t = η0·γ^(number of milestones ≤ t) (MultiStepLR)",
                params: &[
                    ParamDef::new(
                        "milestones",
                        Kind::IntList,
                        Default::List(&[30.0, 80.0]),
                        "steps at which to decay",
                    )
                    .required(),
                    ParamDef::num("gamma", Check::NonNegative, 0.1, "factor per milestone"),
                ],
            },
            build: |a| {
                Ok(Phase::Pure(Schedule::MultiStep {
                    milestones: a.int_list("milestones"),
                    gamma: a.num("gamma"),
                }))
            },
            python: |a, _| {
                RateCode::Torch(format!(
                    "{LS}.MultiStepLR(optimizer, milestones={}, gamma={})",
                    i(a, "milestones"),
                    n(a, "gamma")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "exponential",
                summary: "η_t = η0·γ^t (ExponentialLR)",
                params: &[
                    ParamDef::num("gamma", Check::NonNegative, 0.99, "factor per step").required(),
                ],
            },
            build: |a| {
                Ok(Phase::Pure(Schedule::Exponential {
                    gamma: a.num("gamma"),
                }))
            },
            python: |a, _| {
                RateCode::Torch(format!(
                    "{LS}.ExponentialLR(optimizer, gamma={})",
                    n(a, "gamma")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "exp_decay",
                summary: "η_t = η0·e^(−k·t)",
                params: &[
                    ParamDef::num("k", Check::NonNegative, 0.01, "decay rate per step").required(),
                ],
            },
            build: |a| Ok(Phase::Pure(Schedule::ExpDecay { k: a.num("k") })),
            python: |a, _| {
                RateCode::Torch(format!(
                    "{LS}.LambdaLR(optimizer, lambda t: math.exp(-{} * t))",
                    n(a, "k")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "inverse_time",
                summary: "η_t = η0/(1 + k·t)",
                params: &[
                    ParamDef::num("k", Check::NonNegative, 0.01, "decay rate per step").required(),
                ],
            },
            build: |a| Ok(Phase::Pure(Schedule::InverseTime { k: a.num("k") })),
            python: |a, _| {
                RateCode::Torch(format!(
                    "{LS}.LambdaLR(optimizer, lambda t: 1 / (1 + {} * t))",
                    n(a, "k")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "polynomial",
                summary: "η_t = η0·(1 − min(t, T)/T)^power (PolynomialLR; power=1 decays linearly to zero)",
                params: &[
                    ParamDef::int(
                        "total_iters",
                        1,
                        5.0,
                        "steps T until the learning rate reaches 0",
                    ),
                    ParamDef::num("power", Check::NonNegative, 1.0, "exponent of the decay"),
                ],
            },
            build: |a| {
                Ok(Phase::Pure(Schedule::Polynomial {
                    total_iters: a.int("total_iters"),
                    power: a.num("power"),
                }))
            },
            python: |a, _| {
                RateCode::Torch(format!(
                    "{LS}.PolynomialLR(optimizer, total_iters={}, power={})",
                    i(a, "total_iters"),
                    n(a, "power")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "linear",
                summary: "η_t = η0·(s + (e − s)·min(t, T)/T) (LinearLR)",
                params: &[
                    ParamDef::num(
                        "start_factor",
                        Check::UnitPositive,
                        1.0 / 3.0,
                        "factor s at step 0",
                    ),
                    ParamDef::num("end_factor", Check::Unit, 1.0, "factor e from step T on"),
                    ParamDef::int("total_iters", 1, 5.0, "steps T of the ramp"),
                ],
            },
            build: |a| {
                Ok(Phase::Pure(Schedule::Linear {
                    start_factor: a.num("start_factor"),
                    end_factor: a.num("end_factor"),
                    total_iters: a.int("total_iters"),
                }))
            },
            python: |a, _| {
                RateCode::Torch(format!(
                    "{LS}.LinearLR(optimizer, start_factor={}, end_factor={}, total_iters={})",
                    n(a, "start_factor"),
                    n(a, "end_factor"),
                    i(a, "total_iters")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "cosine",
                summary: "η_t = η_min + (η0 − η_min)(1 + cos(πt/T_max))/2 (CosineAnnealingLR; past T_max it rises again, as in PyTorch)",
                params: &[
                    ParamDef::int("T_max", 1, 100.0, "steps of half a cosine period").required(),
                    ParamDef::num("eta_min", Check::NonNegative, 0.0, "lowest learning rate"),
                ],
            },
            build: |a| {
                Ok(Phase::Pure(Schedule::Cosine {
                    t_max: a.int("T_max"),
                    eta_min: a.num("eta_min"),
                }))
            },
            python: |a, _| {
                RateCode::Torch(format!(
                    "{LS}.CosineAnnealingLR(optimizer, T_max={}, eta_min={})",
                    i(a, "T_max"),
                    n(a, "eta_min")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "cosine_restarts",
                summary: "cosine decay from η0 to η_min restarted every T_i steps, T_i = T_0·T_mult^i (CosineAnnealingWarmRestarts, SGDR)",
                params: &[
                    ParamDef::int("T_0", 1, 50.0, "length of the first cycle").required(),
                    ParamDef::int("T_mult", 1, 1.0, "growth factor of the cycle length"),
                    ParamDef::num("eta_min", Check::NonNegative, 0.0, "lowest learning rate"),
                ],
            },
            build: |a| {
                Ok(Phase::Pure(Schedule::CosineRestarts {
                    t_0: a.int("T_0"),
                    t_mult: a.int("T_mult"),
                    eta_min: a.num("eta_min"),
                }))
            },
            python: |a, _| {
                RateCode::Torch(format!(
                    "{LS}.CosineAnnealingWarmRestarts(optimizer, T_0={}, T_mult={}, eta_min={})",
                    i(a, "T_0"),
                    i(a, "T_mult"),
                    n(a, "eta_min")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "cyclic",
                summary: "triangular cycles between base_lr and max_lr (CyclicLR); base_lr replaces η0 and defaults to it",
                params: &[
                    ParamDef::new(
                        "base_lr",
                        Kind::OptFloat(Check::NonNegative),
                        Default::Null,
                        "lower bound of the cycle (None: the run's learning rate)",
                    ),
                    ParamDef::num(
                        "max_lr",
                        Check::NonNegative,
                        0.1,
                        "upper bound of the cycle",
                    )
                    .required(),
                    ParamDef::num(
                        "step_size_up",
                        Check::Positive,
                        2000.0,
                        "steps from base_lr up to max_lr",
                    ),
                    ParamDef::new(
                        "step_size_down",
                        Kind::OptFloat(Check::Positive),
                        Default::Null,
                        "steps back down (None: same as up)",
                    ),
                    ParamDef::choice(
                        "mode",
                        &["triangular", "triangular2", "exp_range"],
                        "triangular2 halves the amplitude every cycle, exp_range scales it by gamma^t",
                    ),
                    ParamDef::num(
                        "gamma",
                        Check::Positive,
                        1.0,
                        "amplitude factor per step in exp_range mode",
                    ),
                ],
            },
            build: |a| {
                Ok(Phase::Pure(Schedule::Cyclic {
                    base_lr: a.opt_num("base_lr"),
                    max_lr: a.num("max_lr"),
                    step_size_up: a.num("step_size_up"),
                    step_size_down: a.opt_num("step_size_down"),
                    mode: match a.choice("mode").as_str() {
                        "triangular2" => CyclicMode::Triangular2,
                        "exp_range" => CyclicMode::ExpRange,
                        _ => CyclicMode::Triangular,
                    },
                    gamma: a.num("gamma"),
                }))
            },
            python: |a, lr| {
                // optiscope's base_lr defaults to the run's learning rate.
                let base = a.opt_num("base_lr").map_or_else(|| py(lr), py);
                RateCode::Torch(format!(
                    "{LS}.CyclicLR(optimizer, base_lr={base}, max_lr={}, step_size_up={}, step_size_down={}, mode={}, gamma={}, cycle_momentum=False)",
                    n(a, "max_lr"),
                    i(a, "step_size_up"),
                    i(a, "step_size_down"),
                    n(a, "mode"),
                    n(a, "gamma")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "one_cycle",
                summary: "warm up from max_lr/div_factor to max_lr, then anneal to a tiny final lr (OneCycleLR); max_lr defaults to the run's learning rate",
                params: &[
                    ParamDef::new(
                        "max_lr",
                        Kind::OptFloat(Check::NonNegative),
                        Default::Null,
                        "peak learning rate (None: the run's learning rate)",
                    ),
                    ParamDef::int(
                        "total_steps",
                        2,
                        100.0,
                        "length of the cycle; afterwards the final lr is kept",
                    )
                    .required(),
                    ParamDef::num(
                        "pct_start",
                        Check::Unit,
                        0.3,
                        "fraction of the cycle spent increasing",
                    ),
                    ParamDef::choice("anneal_strategy", &["cos", "linear"], "shape of each phase"),
                    ParamDef::num(
                        "div_factor",
                        Check::Positive,
                        25.0,
                        "initial lr = max_lr/div_factor",
                    ),
                    ParamDef::num(
                        "final_div_factor",
                        Check::Positive,
                        1e4,
                        "final lr = initial lr/final_div_factor",
                    ),
                    ParamDef::flag(
                        "three_phase",
                        false,
                        "come back down to the initial lr before annealing",
                    ),
                ],
            },
            build: |a| one_cycle_from_args(a).map(Phase::Pure),
            python: |a, lr| {
                let max = a.opt_num("max_lr").map_or_else(|| py(lr), py);
                RateCode::TorchBounded {
                    total_steps: i(a, "total_steps"),
                    expr: format!(
                        "{LS}.OneCycleLR(optimizer, max_lr={max}, total_steps={}, pct_start={}, anneal_strategy={}, div_factor={}, final_div_factor={}, three_phase={}, cycle_momentum=False)",
                        i(a, "total_steps"),
                        n(a, "pct_start"),
                        n(a, "anneal_strategy"),
                        n(a, "div_factor"),
                        n(a, "final_div_factor"),
                        n(a, "three_phase")
                    ),
                }
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "plateau",
                summary: "multiply the lr by factor when the loss has not improved for patience steps (ReduceLROnPlateau, fed the loss after each update)",
                params: &[
                    ParamDef::choice("mode", &["min", "max"], "min: lower loss is better"),
                    ParamDef::num("factor", Check::UnitOpen, 0.1, "factor per reduction"),
                    ParamDef::int(
                        "patience",
                        0,
                        10.0,
                        "steps without improvement before reducing",
                    ),
                    ParamDef::num(
                        "threshold",
                        Check::NonNegative,
                        1e-4,
                        "smallest change that counts as improvement",
                    ),
                    ParamDef::choice(
                        "threshold_mode",
                        &["rel", "abs"],
                        "threshold relative to the best loss, or absolute",
                    ),
                    ParamDef::int("cooldown", 0, 0.0, "steps to wait after a reduction"),
                    ParamDef::num("min_lr", Check::NonNegative, 0.0, "lower bound of the lr"),
                    ParamDef::num(
                        "eps",
                        Check::NonNegative,
                        1e-8,
                        "reductions smaller than this are skipped",
                    ),
                ],
            },
            build: |a| {
                Ok(Phase::Plateau(PlateauParams {
                    maximize: a.choice("mode") == "max",
                    factor: a.num("factor"),
                    patience: a.int("patience"),
                    threshold: a.num("threshold"),
                    relative: a.choice("threshold_mode") == "rel",
                    cooldown: a.int("cooldown"),
                    min_lr: a.num("min_lr"),
                    eps: a.num("eps"),
                }))
            },
            python: |a, _| {
                RateCode::Plateau(format!(
                    "{LS}.ReduceLROnPlateau(optimizer, mode={}, factor={}, patience={}, threshold={}, threshold_mode={}, cooldown={}, min_lr={}, eps={})",
                    n(a, "mode"),
                    n(a, "factor"),
                    i(a, "patience"),
                    n(a, "threshold"),
                    n(a, "threshold_mode"),
                    i(a, "cooldown"),
                    n(a, "min_lr"),
                    n(a, "eps")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "grad_halving",
                summary: "η ← factor·η whenever |∇f(θ_k)| > threshold, before update k: the lecture notes' \"dynamic\" rule, driven by the gradient as plateau is by the loss",
                params: &[
                    ParamDef::num(
                        "threshold",
                        Check::NonNegative,
                        1.0,
                        "gradient norm above which the rate is cut",
                    ),
                    ParamDef::num("factor", Check::UnitPositive, 0.5, "factor per cut"),
                ],
            },
            build: |a| {
                Ok(Phase::GradHalving(GradHalving {
                    threshold: a.num("threshold"),
                    factor: a.num("factor"),
                }))
            },
            python: |a, _| RateCode::GradHalving {
                threshold: n(a, "threshold"),
                factor: n(a, "factor"),
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "linear_decay",
                summary: "η_t = η0 − k·t, as the notes write it: 0 at step η0/k, negative (gradient ascent) after it",
                params: &[ParamDef::num(
                    "k",
                    Check::NonNegative,
                    0.001,
                    "decrease of the rate per step",
                )
                .required()],
            },
            build: |a| {
                let k = a.num("k");
                Ok(Phase::Pure(Schedule::Fn(ScheduleFn::new(
                    a.spec().to_string(),
                    move |lr0, t| lr0 - k * t as f64,
                ))))
            },
            python: |a, _| RateCode::Formula(format!("lr0 - {} * step", n(a, "k"))),
        },
        ScheduleItem {
            def: ItemDef {
                name: "keras.exponential_decay",
                summary: "keras.optimizers.schedules.ExponentialDecay: η_t = η0·rate^(t/decay_steps), floored with staircase",
                params: &[
                    ParamDef::int("decay_steps", 1, 100.0, "steps per factor of decay_rate")
                        .required(),
                    ParamDef::num(
                        "decay_rate",
                        Check::NonNegative,
                        0.96,
                        "factor per decay_steps",
                    )
                    .required(),
                    ParamDef::flag("staircase", false, "decay in whole steps of decay_steps"),
                ],
            },
            build: |a| {
                let (ds, rate, stairs) = (
                    a.num("decay_steps"),
                    a.num("decay_rate"),
                    a.flag("staircase"),
                );
                keras_fn(a, move |lr0, t| {
                    let p = t / ds;
                    lr0 * rate.powf(if stairs { p.floor() } else { p })
                })
            },
            python: |a, _| {
                RateCode::Keras(format!(
                    "{KS}.ExponentialDecay(initial_learning_rate=lr0, decay_steps={}, decay_rate={}, staircase={})",
                    i(a, "decay_steps"),
                    n(a, "decay_rate"),
                    n(a, "staircase")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "keras.inverse_time_decay",
                summary: "keras.optimizers.schedules.InverseTimeDecay: η_t = η0/(1 + rate·t/decay_steps), floored with staircase",
                params: &[
                    ParamDef::int("decay_steps", 1, 100.0, "steps per unit of decay").required(),
                    ParamDef::num(
                        "decay_rate",
                        Check::NonNegative,
                        0.5,
                        "decay per decay_steps",
                    )
                    .required(),
                    ParamDef::flag("staircase", false, "decay in whole steps of decay_steps"),
                ],
            },
            build: |a| {
                let (ds, rate, stairs) = (
                    a.num("decay_steps"),
                    a.num("decay_rate"),
                    a.flag("staircase"),
                );
                keras_fn(a, move |lr0, t| {
                    let p = t / ds;
                    lr0 / (1.0 + rate * if stairs { p.floor() } else { p })
                })
            },
            python: |a, _| {
                RateCode::Keras(format!(
                    "{KS}.InverseTimeDecay(initial_learning_rate=lr0, decay_steps={}, decay_rate={}, staircase={})",
                    i(a, "decay_steps"),
                    n(a, "decay_rate"),
                    n(a, "staircase")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "keras.polynomial_decay",
                summary: "keras.optimizers.schedules.PolynomialDecay: from η0 to end_learning_rate as (1 − t/decay_steps)^power, held there (or restarted, cycle)",
                params: &[
                    ParamDef::int("decay_steps", 1, 100.0, "steps to reach end_learning_rate")
                        .required(),
                    ParamDef::num(
                        "end_learning_rate",
                        Check::NonNegative,
                        0.0001,
                        "the final rate",
                    ),
                    ParamDef::num("power", Check::NonNegative, 1.0, "exponent of the decay"),
                    ParamDef::flag("cycle", false, "restart over a multiple of decay_steps"),
                ],
            },
            build: |a| {
                let (ds, end, power, cycle) = (
                    a.num("decay_steps"),
                    a.num("end_learning_rate"),
                    a.num("power"),
                    a.flag("cycle"),
                );
                keras_fn(a, move |lr0, t| {
                    let (t, steps) = if cycle {
                        let multiplier = if t == 0.0 { 1.0 } else { (t / ds).ceil() };
                        (t, ds * multiplier)
                    } else {
                        (t.min(ds), ds)
                    };
                    (lr0 - end) * (1.0 - t / steps).powf(power) + end
                })
            },
            python: |a, _| {
                RateCode::Keras(format!(
                    "{KS}.PolynomialDecay(initial_learning_rate=lr0, decay_steps={}, end_learning_rate={}, power={}, cycle={})",
                    i(a, "decay_steps"),
                    n(a, "end_learning_rate"),
                    n(a, "power"),
                    n(a, "cycle")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "keras.piecewise_constant",
                summary: "keras.optimizers.schedules.PiecewiseConstantDecay: values[0] up to boundaries[0] (inclusive), then values[1], ...; the values are the rates (the run's lr is not used)",
                params: &[
                    ParamDef::new(
                        "boundaries",
                        Kind::IntList,
                        Default::List(&[100.0, 200.0]),
                        "steps after which the next value applies",
                    )
                    .required(),
                    ParamDef::new(
                        "values",
                        Kind::NumList,
                        Default::List(&[0.1, 0.01, 0.001]),
                        "the rates, one more than boundaries",
                    )
                    .required(),
                ],
            },
            build: |a| {
                let (bounds, values) = (a.int_list("boundaries"), a.num_list("values"));
                if bounds.is_empty() || values.len() != bounds.len() + 1 {
                    return Err(a.invalid(format!(
                        "needs at least one boundary and one value more than boundaries (has {} boundaries and {} values)",
                        bounds.len(),
                        values.len()
                    )));
                }
                keras_fn(a, move |_, t| {
                    let t = t as u64;
                    let piece = bounds.iter().position(|&b| t <= b).unwrap_or(bounds.len());
                    values[piece]
                })
            },
            python: |a, _| {
                RateCode::Keras(format!(
                    "{KS}.PiecewiseConstantDecay(boundaries={}, values={})",
                    i(a, "boundaries"),
                    n(a, "values")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "keras.cosine_decay",
                summary: "keras.optimizers.schedules.CosineDecay: optionally a linear warmup from η0 to warmup_target, then half a cosine down to alpha times it over decay_steps, held there",
                params: &[
                    ParamDef::int("decay_steps", 1, 100.0, "steps of the cosine").required(),
                    ParamDef::num(
                        "alpha",
                        Check::Unit,
                        0.0,
                        "final rate as a fraction of the start of the cosine",
                    ),
                    ParamDef::new(
                        "warmup_target",
                        Kind::OptFloat(Check::NonNegative),
                        Default::Null,
                        "rate reached after the warmup (None: no warmup)",
                    ),
                    ParamDef::int("warmup_steps", 0, 0.0, "steps of the linear warmup"),
                ],
            },
            build: |a| {
                let (ds, alpha, target, ws) = (
                    a.num("decay_steps"),
                    a.num("alpha"),
                    a.opt_num("warmup_target"),
                    a.num("warmup_steps"),
                );
                let decay = move |t: f64, from: f64| {
                    let cosine = 0.5 * (1.0 + (std::f64::consts::PI * (t / ds)).cos());
                    from * ((1.0 - alpha) * cosine + alpha)
                };
                keras_fn(a, move |lr0, t| match target {
                    None => decay(t.min(ds), lr0),
                    Some(target) => {
                        let t = t.min(ds + ws);
                        if t < ws {
                            (target - lr0) * (t / ws) + lr0
                        } else {
                            decay(t - ws, target)
                        }
                    }
                })
            },
            python: |a, _| {
                RateCode::Keras(format!(
                    "{KS}.CosineDecay(initial_learning_rate=lr0, decay_steps={}, alpha={}, warmup_target={}, warmup_steps={})",
                    i(a, "decay_steps"),
                    n(a, "alpha"),
                    n(a, "warmup_target"),
                    i(a, "warmup_steps")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "keras.cosine_decay_restarts",
                summary: "keras.optimizers.schedules.CosineDecayRestarts (SGDR): cosine cycles, the i-th t_mul^i times longer and m_mul^i times lower",
                params: &[
                    ParamDef::int("first_decay_steps", 1, 100.0, "length of the first cycle")
                        .required(),
                    ParamDef::num("t_mul", Check::Positive, 2.0, "growth of the cycle length"),
                    ParamDef::num(
                        "m_mul",
                        Check::NonNegative,
                        1.0,
                        "factor of each cycle's peak",
                    ),
                    ParamDef::num("alpha", Check::Unit, 0.0, "lowest rate as a fraction of η0"),
                ],
            },
            build: |a| {
                let (first, t_mul, m_mul, alpha) = (
                    a.num("first_decay_steps"),
                    a.num("t_mul"),
                    a.num("m_mul"),
                    a.num("alpha"),
                );
                keras_fn(a, move |lr0, t| {
                    let fraction = t / first;
                    let (restart, fraction) = if t_mul == 1.0 {
                        let i = fraction.floor();
                        (i, fraction - i)
                    } else {
                        let i = ((1.0 - fraction * (1.0 - t_mul)).ln() / t_mul.ln()).floor();
                        let sum_r = (1.0 - t_mul.powf(i)) / (1.0 - t_mul);
                        (i, (fraction - sum_r) / t_mul.powf(i))
                    };
                    let m_fac = m_mul.powf(restart);
                    let cosine = 0.5 * m_fac * (1.0 + (std::f64::consts::PI * fraction).cos());
                    lr0 * ((1.0 - alpha) * cosine + alpha)
                })
            },
            python: |a, _| {
                RateCode::Keras(format!(
                    "{KS}.CosineDecayRestarts(initial_learning_rate=lr0, first_decay_steps={}, t_mul={}, m_mul={}, alpha={})",
                    i(a, "first_decay_steps"),
                    n(a, "t_mul"),
                    n(a, "m_mul"),
                    n(a, "alpha")
                ))
            },
        },
        ScheduleItem {
            def: ItemDef {
                name: "keras.learning_rate_scheduler",
                summary: "keras.callbacks.LearningRateScheduler: at the start of every epoch (steps_per_epoch updates) the rate becomes rule(epoch, lr), a formula in epoch, lr (the current rate) and lr0",
                params: &[
                    ParamDef::int("steps_per_epoch", 1, 10.0, "updates per epoch").required(),
                    ParamDef::new(
                        "rule",
                        Kind::Text,
                        Default::Str("lr0 * 0.1^floor(epoch/10)"),
                        "the new rate, e.g. lr * exp(-0.1) or lr0 * 0.1^floor(epoch/10)",
                    )
                    .required(),
                ],
            },
            build: |a| {
                let rule = Formula::new(
                    &a.text("rule"),
                    &EPOCH_VARIABLES,
                    "write the new rate in epoch, lr and lr0, e.g. lr0 * 0.1^floor(epoch/10)",
                )
                .map_err(|e| a.invalid(e.to_string()))?;
                Ok(Phase::Epochs(Box::new(EpochRule {
                    steps_per_epoch: a.int("steps_per_epoch"),
                    rule,
                })))
            },
            python: |a, _| RateCode::Epochs {
                steps_per_epoch: a.int("steps_per_epoch"),
                rule: python_formula(&a.text("rule")),
            },
        },
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
