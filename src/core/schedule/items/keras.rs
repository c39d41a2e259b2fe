//! The schedules of `keras.optimizers.schedules` and Keras's `LearningRateScheduler`
//! callback, with Keras's names, parameters and step as a float.

use super::*;

pub(super) const EXPONENTIAL_DECAY: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "keras.exponential_decay",
        summary: "keras.optimizers.schedules.ExponentialDecay: η_t = η0·rate^(t/decay_steps), floored with staircase",
        params: &[
            ParamDef::int("decay_steps", 1, 100.0, "steps per factor of decay_rate").required(),
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
};

pub(super) const INVERSE_TIME_DECAY: ScheduleItem = ScheduleItem {
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
};

pub(super) const POLYNOMIAL_DECAY: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "keras.polynomial_decay",
        summary: "keras.optimizers.schedules.PolynomialDecay: from η0 to end_learning_rate as (1 − t/decay_steps)^power, held there (or restarted, cycle)",
        params: &[
            ParamDef::int("decay_steps", 1, 100.0, "steps to reach end_learning_rate").required(),
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
};

pub(super) const PIECEWISE_CONSTANT: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "keras.piecewise_constant",
        summary: "keras.optimizers.schedules.PiecewiseConstantDecay: values[0] up to boundaries[0] (inclusive), then values[1], ...; the values are the rates (the run's lr is not used)",
        params: &[
            ParamDef::new(
                "boundaries",
                Kind::IntList,
                ParamDefault::List(&[100.0, 200.0]),
                "steps after which the next value applies",
            )
            .required(),
            ParamDef::new(
                "values",
                Kind::NumList,
                ParamDefault::List(&[0.1, 0.01, 0.001]),
                "the rates, one more than boundaries",
            )
            .required(),
        ],
    },
    build: |a| {
        let (bounds, values) = (a.int_list("boundaries"), a.num_list("values"));
        if bounds.is_empty() || values.len() != bounds.len() + 1 {
            return Err(a.invalid(crate::core::spec::InvalidReason::Piecewise {
                boundaries: bounds.len(),
                values: values.len(),
            }));
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
};

pub(super) const COSINE_DECAY: ScheduleItem = ScheduleItem {
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
                ParamDefault::Null,
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
};

pub(super) const COSINE_DECAY_RESTARTS: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "keras.cosine_decay_restarts",
        summary: "keras.optimizers.schedules.CosineDecayRestarts (SGDR): cosine cycles, the i-th t_mul^i times longer and m_mul^i times lower",
        params: &[
            ParamDef::int("first_decay_steps", 1, 100.0, "length of the first cycle").required(),
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
};

pub(super) const LEARNING_RATE_SCHEDULER: ScheduleItem = ScheduleItem {
    def: ItemDef {
        name: "keras.learning_rate_scheduler",
        summary: "keras.callbacks.LearningRateScheduler: at the start of every epoch (steps_per_epoch updates) the rate becomes rule(epoch, lr), a formula in epoch, lr (the current rate) and lr0",
        params: &[
            ParamDef::int("steps_per_epoch", 1, 10.0, "updates per epoch").required(),
            ParamDef::new(
                "rule",
                Kind::Text,
                ParamDefault::Str("lr0 * 0.1^floor(epoch/10)"),
                "the new rate, e.g. lr * exp(-0.1) or lr0 * 0.1^floor(epoch/10)",
            )
            .required(),
        ],
    },
    build: |a| {
        let rule = Formula::new(
            &a.text("rule"),
            &EPOCH_VARIABLES,
            crate::core::surface::FormulaHint::EpochRule,
        )
        .map_err(|e| a.invalid(crate::core::spec::InvalidReason::Formula(Box::new(e))))?;
        Ok(Phase::Epochs(Box::new(EpochRule {
            steps_per_epoch: a.int("steps_per_epoch"),
            rule,
        })))
    },
    python: |a, _| RateCode::Epochs {
        steps_per_epoch: a.int("steps_per_epoch"),
        rule: python_formula(&a.text("rule")),
    },
};
