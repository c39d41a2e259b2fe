//! The schedules of `torch.optim.lr_scheduler`, with torch's names, parameters and defaults.

use super::*;

pub(super) const CONSTANT: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "constant",
        summary: "η_t = η0",
        params: &[],
    },
    build: |_| Ok(Phase::Pure(Schedule::Constant { factor: 1.0 })),
    python: |_, _| RateCode::Constant,
};

pub(super) const STEP: ScheduleItem = ScheduleItem {
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
};

pub(super) const MULTISTEP: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "multistep",
        summary: "η_t = η0·γ^(number of milestones ≤ t) (MultiStepLR)",
        params: &[
            ParamDef::new(
                "milestones",
                Kind::IntList,
                ParamDefault::List(&[30.0, 80.0]),
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
};

pub(super) const EXPONENTIAL: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "exponential",
        summary: "η_t = η0·γ^t (ExponentialLR)",
        params: &[ParamDef::num("gamma", Check::NonNegative, 0.99, "factor per step").required()],
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
};

pub(super) const EXP_DECAY: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "exp_decay",
        summary: "η_t = η0·e^(−k·t)",
        params: &[ParamDef::num("k", Check::NonNegative, 0.01, "decay rate per step").required()],
    },
    build: |a| Ok(Phase::Pure(Schedule::ExpDecay { k: a.num("k") })),
    python: |a, _| {
        RateCode::Torch(format!(
            "{LS}.LambdaLR(optimizer, lambda t: math.exp(-{} * t))",
            n(a, "k")
        ))
    },
};

pub(super) const INVERSE_TIME: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "inverse_time",
        summary: "η_t = η0/(1 + k·t)",
        params: &[ParamDef::num("k", Check::NonNegative, 0.01, "decay rate per step").required()],
    },
    build: |a| Ok(Phase::Pure(Schedule::InverseTime { k: a.num("k") })),
    python: |a, _| {
        RateCode::Torch(format!(
            "{LS}.LambdaLR(optimizer, lambda t: 1 / (1 + {} * t))",
            n(a, "k")
        ))
    },
};

pub(super) const POLYNOMIAL: ScheduleItem = ScheduleItem {
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
};

pub(super) const LINEAR: ScheduleItem = ScheduleItem {
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
};

pub(super) const COSINE: ScheduleItem = ScheduleItem {
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
};

pub(super) const COSINE_RESTARTS: ScheduleItem = ScheduleItem {
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
};

pub(super) const CYCLIC: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "cyclic",
        summary: "triangular cycles between base_lr and max_lr (CyclicLR); base_lr replaces η0 and defaults to it",
        params: &[
            ParamDef::new(
                "base_lr",
                Kind::OptFloat(Check::NonNegative),
                ParamDefault::Null,
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
                ParamDefault::Null,
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
};

pub(super) const ONE_CYCLE: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "one_cycle",
        summary: "warm up from max_lr/div_factor to max_lr, then anneal to a tiny final lr (OneCycleLR); max_lr defaults to the run's learning rate",
        params: &[
            ParamDef::new(
                "max_lr",
                Kind::OptFloat(Check::NonNegative),
                ParamDefault::Null,
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
};
