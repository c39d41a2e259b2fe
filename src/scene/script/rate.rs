//! The learning-rate machinery every script target shares: a torch optimizer's param group
//! holds the rate of the next update (the run's own optimizer, or a stand-in in Keras scripts),
//! so torch's schedulers drive every framework's optimizer, and the notes' rules are set by hand.

use crate::core::schedule::{RateCode, SCHEDULES, WARMUPS};
use crate::core::spec::{Spec, SpecError};

/// The warmup factor as a Python lambda and its length W.
pub(super) fn warmup_code(w: &Spec) -> Result<(Option<String>, u64), SpecError> {
    let (item, args) = WARMUPS.resolve_item(w)?;
    let steps = (item.build)(&args).map_or(0, |(_, steps)| steps);
    Ok(((item.torch)(&args).filter(|_| steps > 0), steps))
}

/// The learning-rate machinery of a run's script, at the loop's indentation.
#[derive(Debug, Default)]
pub(super) struct RateLoop {
    /// Scheduler objects and helpers, after the optimizer is made.
    pub setup: String,
    /// What the loop does once the loss and gradient of θ_k are known, before it reads the rate
    /// of update k (a plateau fed the loss, a rule set at an epoch start, a hand-made warmup).
    pub before_lr: String,
    /// What it does after each update (a torch scheduler's step).
    pub after_update: String,
    /// Whether the script needs `keras` (a Keras schedule or callback).
    pub keras: bool,
    /// Whether the script needs the formula language's functions from `math`.
    pub math_names: bool,
}

/// The Python names of the formula language's functions for rules evaluated on floats.
pub(super) const MATH_NAMES: &str = r#"# The functions of optiscope's formula language, on Python floats.
from math import acos, acosh, asin, asinh, atan, atanh, ceil, cos, cosh, exp, floor, log, log2, log10
from math import sin, sinh, sqrt, tan, tanh, trunc
ln = log
PI = π = math.pi
E = e = math.e
TAU = τ = math.tau


def signum(t):
    return math.copysign(1.0, t)


def fract(t):
    return t - math.trunc(t)


def cbrt(t):
    return math.copysign(abs(t) ** (1 / 3), t)


def round(t):  # half away from zero, as optiscope rounds
    return math.copysign(math.floor(abs(t) + 0.5), t)
"#;

/// The rate machinery of run `spec` with the rate of the next update kept in
/// `{holder}.param_groups[0]["lr"]` (`holder` is a torch optimizer: the run's own in a PyTorch
/// script, a stand-in that only holds the rate in a Keras one), and `grad_norm` the Python
/// expression of |∇f(θ_k)| in the loop. `lr0` is the run's base rate in the script.
pub(super) fn rate_loop(
    spec: &crate::core::run::settings::RunSettings,
    holder: &str,
    grad_norm: &str,
) -> Result<RateLoop, SpecError> {
    let (item, args) = SCHEDULES.resolve_item(&spec.schedule)?;
    let code = (item.python)(&args, spec.lr);
    let main_total_steps = match &code {
        RateCode::TorchBounded { total_steps, .. } => Some(total_steps.clone()),
        _ => None,
    };
    let (warm_lambda, w) = warmup_code(&spec.warmup)?;
    let group = format!("{holder}.param_groups[0][\"lr\"]");
    let mut r = RateLoop::default();
    let torch_main = match &code {
        RateCode::Constant => None,
        RateCode::Torch(m) | RateCode::TorchBounded { expr: m, .. } | RateCode::Plateau(m) => {
            Some(m.replace("(optimizer,", &format!("({holder},")))
        }
        _ => return Ok(hand_rate(code, warm_lambda, w, &group, grad_norm)),
    };
    let plateau = matches!(code, RateCode::Plateau(_));
    let ls = "torch.optim.lr_scheduler";
    match (&torch_main, &warm_lambda, plateau) {
        (None, None, _) => {}
        (Some(m), warm, false) => {
            match warm {
                None => r.setup.push_str(&format!("scheduler = {m}\n")),
                Some(l) => r.setup.push_str(&format!(
                    "# Warmup for {w} steps, then the schedule from its step 0 (SequentialLR).\nscheduler = {ls}.SequentialLR({holder}, [\n    {ls}.LambdaLR({holder}, {l}),\n    {m},\n], milestones=[{w}])\n"
                )),
            }
            if let Some(total) = &main_total_steps {
                // torch refuses to step past total_steps; optiscope holds the last rate.
                r.after_update.push_str(&format!(
                    "        if scheduler.last_epoch + 1 < {w} + {total}:\n            scheduler.step()\n"
                ));
            } else {
                r.after_update.push_str("        scheduler.step()\n");
            }
        }
        (None, Some(l), _) => {
            // Warmup, then the constant base rate.
            r.setup.push_str(&format!(
                "scheduler = {ls}.SequentialLR({holder}, [\n    {ls}.LambdaLR({holder}, {l}),\n    {ls}.ConstantLR({holder}, factor=1.0),\n], milestones=[{w}])\n"
            ));
            r.after_update.push_str("        scheduler.step()\n");
        }
        (Some(m), warm, true) => {
            r.setup.push_str(&format!("plateau = {m}\n"));
            if let Some(l) = warm {
                r.setup.push_str(&format!(
                    "warmup = {l}  # the plateau schedule takes over after {w} steps\n"
                ));
                r.before_lr.push_str(&format!(
                    "    if step < {w}:\n        {group} = lr0 * warmup(step)\n    elif step == {w}:\n        {group} = lr0\n    if step > {w}:\n        plateau.step(loss.item())  # fed f(θ_k) after update k − 1\n"
                ));
            } else {
                r.before_lr
                    .push_str("    if step > 0:\n        plateau.step(loss.item())  # fed f(θ_k) after update k − 1\n");
            }
        }
    }
    Ok(r)
}

/// The rate set by hand before each update: Keras schedules, the notes' rules and Keras's
/// epoch callback, after an optional warmup of `w` steps (`warm` its factor as a lambda).
fn hand_rate(
    code: RateCode,
    warm: Option<String>,
    w: u64,
    group: &str,
    grad_norm: &str,
) -> RateLoop {
    let mut r = RateLoop::default();
    let mut before = String::new();
    if let Some(l) = &warm {
        r.setup.push_str(&format!(
            "warmup = {l}  # for {w} steps, then the schedule from its step 0\n"
        ));
        before.push_str(&format!(
            "    if step < {w}:\n        {group} = lr0 * warmup(step)\n"
        ));
    }
    // After the warmup the phase counts its own steps from 0.
    let t = if warm.is_some() {
        format!("step - {w}")
    } else {
        "step".to_owned()
    };
    let body = match code {
        RateCode::Keras(k) => {
            r.keras = true;
            r.setup.push_str(&format!("schedule = {k}\n"));
            format!("        {group} = float(schedule({t}))  # called with the updates applied\n")
        }
        RateCode::Formula(f) => {
            r.setup
                .push_str(&format!("\n\ndef rate(step):\n    return {f}\n\n\n"));
            format!("        {group} = rate({t})\n")
        }
        RateCode::GradHalving { threshold, factor } => {
            let reset = if warm.is_some() {
                format!("        if step == {w}:\n            {group} = lr0\n")
            } else {
                String::new()
            };
            format!(
                "{reset}        if {grad_norm} > {threshold}:  # the notes' rule: cut the rate while the gradient is steep\n            {group} *= {factor}\n"
            )
        }
        RateCode::Epochs {
            steps_per_epoch,
            rule,
        } => {
            r.math_names = true;
            r.setup.push_str(&format!(
                "\n\ndef rule(epoch, lr):\n    \"\"\"The rate set at the start of each epoch (LearningRateScheduler's schedule).\"\"\"\n    return float({rule})\n\n\n"
            ));
            format!(
                "        if ({t}) % {steps_per_epoch} == 0:  # an epoch of {steps_per_epoch} updates starts\n            {group} = rule(({t}) // {steps_per_epoch}, lr0 if step == {w} else {group})\n"
            )
        }
        RateCode::Constant
        | RateCode::Torch(_)
        | RateCode::TorchBounded { .. }
        | RateCode::Plateau(_) => {
            unreachable!("torch schedulers are written by rate_loop")
        }
    };
    // The body is written for the `else:` of the warmup; without one it moves out a level.
    if warm.is_some() {
        before.push_str("    else:\n");
        before.push_str(&body);
    } else {
        for line in body.lines() {
            before.push_str(line.strip_prefix("    ").unwrap_or(line));
            before.push('\n');
        }
    }
    r.before_lr = before;
    r
}
