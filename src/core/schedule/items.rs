//! The registry items of schedules and warmups: each one's definition (name, parameters,
//! defaults, docs), how it is built and its `torch.optim.lr_scheduler` code, in one block.

use super::{CyclicMode, Phase, PlateauParams, Schedule, one_cycle_from_args};
use crate::core::python::{py, py_value, py_whole};
use crate::core::spec::{Args, Check, Default, Item, ItemDef, Kind, ParamDef, Registry, SpecError};

const LS: &str = "torch.optim.lr_scheduler";

/// A parameter as Python writes it.
fn n(a: &Args, key: &str) -> String {
    py_value(&a.value(key))
}

/// A parameter where Python wants an integer.
fn i(a: &Args, key: &str) -> String {
    py_whole(&a.value(key))
}

/// A registry item of the schedule family.
pub struct ScheduleItem {
    pub def: ItemDef,
    /// The phase the schedule is: a pure function of the step, or loss-driven.
    pub build: fn(&Args) -> Result<Phase, SpecError>,
    /// The `torch.optim.lr_scheduler` expression on `optimizer` for a run at base rate `lr`;
    /// `None` where the rate stays constant.
    pub torch: fn(&Args, f64) -> Option<String>,
    /// The parameter holding the steps torch's scheduler may take at most (OneCycleLR raises
    /// past them; optiscope holds the last rate), if there is such a limit.
    pub torch_total_steps: Option<&'static str>,
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
            torch: |_, _| None,
            torch_total_steps: None,
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
            torch: |a, _| {
                Some(format!(
                    "{LS}.StepLR(optimizer, step_size={}, gamma={})",
                    i(a, "step_size"),
                    n(a, "gamma")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, _| {
                Some(format!(
                    "{LS}.MultiStepLR(optimizer, milestones={}, gamma={})",
                    i(a, "milestones"),
                    n(a, "gamma")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, _| {
                Some(format!(
                    "{LS}.ExponentialLR(optimizer, gamma={})",
                    n(a, "gamma")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, _| {
                Some(format!(
                    "{LS}.LambdaLR(optimizer, lambda t: math.exp(-{} * t))",
                    n(a, "k")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, _| {
                Some(format!(
                    "{LS}.LambdaLR(optimizer, lambda t: 1 / (1 + {} * t))",
                    n(a, "k")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, _| {
                Some(format!(
                    "{LS}.PolynomialLR(optimizer, total_iters={}, power={})",
                    i(a, "total_iters"),
                    n(a, "power")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, _| {
                Some(format!(
                    "{LS}.LinearLR(optimizer, start_factor={}, end_factor={}, total_iters={})",
                    n(a, "start_factor"),
                    n(a, "end_factor"),
                    i(a, "total_iters")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, _| {
                Some(format!(
                    "{LS}.CosineAnnealingLR(optimizer, T_max={}, eta_min={})",
                    i(a, "T_max"),
                    n(a, "eta_min")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, _| {
                Some(format!(
                    "{LS}.CosineAnnealingWarmRestarts(optimizer, T_0={}, T_mult={}, eta_min={})",
                    i(a, "T_0"),
                    i(a, "T_mult"),
                    n(a, "eta_min")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, lr| {
                // optiscope's base_lr defaults to the run's learning rate.
                let base = a.opt_num("base_lr").map_or_else(|| py(lr), py);
                Some(format!(
                    "{LS}.CyclicLR(optimizer, base_lr={base}, max_lr={}, step_size_up={}, step_size_down={}, mode={}, gamma={}, cycle_momentum=False)",
                    n(a, "max_lr"),
                    i(a, "step_size_up"),
                    i(a, "step_size_down"),
                    n(a, "mode"),
                    n(a, "gamma")
                ))
            },
            torch_total_steps: None,
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
            torch: |a, lr| {
                let max = a.opt_num("max_lr").map_or_else(|| py(lr), py);
                Some(format!(
                    "{LS}.OneCycleLR(optimizer, max_lr={max}, total_steps={}, pct_start={}, anneal_strategy={}, div_factor={}, final_div_factor={}, three_phase={}, cycle_momentum=False)",
                    i(a, "total_steps"),
                    n(a, "pct_start"),
                    n(a, "anneal_strategy"),
                    n(a, "div_factor"),
                    n(a, "final_div_factor"),
                    n(a, "three_phase")
                ))
            },
            torch_total_steps: Some("total_steps"),
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
            torch: |a, _| {
                Some(format!(
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
            torch_total_steps: None,
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
