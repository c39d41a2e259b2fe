//! The schedules driven by the run itself (the loss on a plateau, the gradient's norm) and
//! the notes' linear decay.

use super::*;

pub(super) const PLATEAU: ScheduleItem = ScheduleItem {
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
};

pub(super) const GRAD_HALVING: ScheduleItem = ScheduleItem {
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
};

pub(super) const LINEAR_DECAY: ScheduleItem = ScheduleItem {
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
};
