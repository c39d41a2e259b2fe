//! Keras 3's optimizers (`keras.optimizers.*`), with Keras's names, defaults and update rules,
//! so a lecture written in Keras can race its optimizer against torch.optim's of the same name.
//!
//! The rules follow Keras 3's torch backend (`keras/src/backend/torch/optimizers`), operation
//! for operation, because that is what the reference fixtures run. Where Keras differs from
//! PyTorch it shows on screen: SGD keeps the velocity in units of lr (v ← μv − lr·g; θ ← θ + v),
//! Adam folds both bias corrections into the step size and adds ε = 1e-7 outside the root,
//! RMSprop takes the root of v + ε with ρ = 0.9, Adagrad starts its accumulator at 0.1, and
//! every optimizer's `weight_decay` is decoupled: θ ← θ·(1 − wd·lr) before the update.

use super::geometry::{self, Glyph, GlyphKind, Shape, Stage, UpdateAt};
use super::{
    AnyOptimizer, Code, Explain, Optimizer, OptimizerItem, Params, StepError, Term, Twin, Update,
    VecOptimizer, after, fit,
};
use crate::core::math::Point;
use crate::core::python::{py, py_bool};
use crate::core::spec::{Args, Check, ItemDef, ParamDef};
use crate::core::surface::Surface;

mod adadelta;
mod adagrad;
mod adam;
mod lion;
mod nadam;
mod rmsprop;
mod sgd;

pub(crate) use adadelta::ADADELTA;
pub use adadelta::Adadelta;
pub(crate) use adagrad::ADAGRAD;
pub use adagrad::Adagrad;
pub use adam::Adam;
pub(crate) use adam::{ADAM, ADAMW};
pub(crate) use lion::LION;
pub use lion::Lion;
pub(crate) use nadam::NADAM;
pub use nadam::Nadam;
pub(crate) use rmsprop::RMSPROP;
pub use rmsprop::RmsProp;
pub(crate) use sgd::SGD;
pub use sgd::Sgd;

/// Keras's optimizers behind one variant of [`AnyOptimizer`]: the simulation loop is compiled
/// once per surface for all eight of them instead of eight times (which kept the browser
/// build's download in budget); choosing the rule is one predictable branch per step.
#[derive(Clone, Debug)]
pub enum KerasOptimizer {
    Sgd(Sgd),
    RmsProp(RmsProp),
    Adam(Adam),
    Adagrad(Adagrad),
    Adadelta(Adadelta),
    Nadam(Nadam),
    Lion(Lion),
}

/// Runs `$body` with `$o` bound to the Keras optimizer inside.
macro_rules! with_keras {
    ($k:expr, $o:ident => $body:expr) => {
        match $k {
            KerasOptimizer::Sgd($o) => $body,
            KerasOptimizer::RmsProp($o) => $body,
            KerasOptimizer::Adam($o) => $body,
            KerasOptimizer::Adagrad($o) => $body,
            KerasOptimizer::Adadelta($o) => $body,
            KerasOptimizer::Nadam($o) => $body,
            KerasOptimizer::Lion($o) => $body,
        }
    };
}

impl Optimizer for KerasOptimizer {
    #[inline(always)]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        surface: &S,
    ) -> Result<(), StepError> {
        with_keras!(self, o => o.step(theta, grad, lr, surface))
    }

    fn preconditioner(&self) -> Option<Point> {
        with_keras!(self, o => o.preconditioner())
    }
}

impl Explain for KerasOptimizer {
    fn rule(&self) -> &'static [&'static str] {
        with_keras!(self, o => o.rule())
    }

    fn terms(&self) -> Vec<Term> {
        with_keras!(self, o => o.terms())
    }

    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        with_keras!(self, o => o.stages(at, surface))
    }
}

const EPSILON: ParamDef = ParamDef::num(
    "epsilon",
    Check::NonNegative,
    1e-7,
    "ε, added outside the root (Keras's default is 1e-7, torch's eps 1e-8)",
);
const BETA_1: ParamDef = ParamDef::num("beta_1", Check::UnitOpen, 0.9, "decay of the first moment");
const BETA_2: ParamDef = ParamDef::num(
    "beta_2",
    Check::UnitOpen,
    0.999,
    "decay of the second moment",
);
const WEIGHT_DECAY: ParamDef = ParamDef::num(
    "weight_decay",
    Check::NonNegative,
    0.0,
    "decoupled decay θ ← θ·(1 − wd·lr) before the update (0: None)",
);
const AMSGRAD: ParamDef =
    ParamDef::flag("amsgrad", false, "use the running maximum of v (AMSGrad)");

/// `weight_decay=…` as Keras spells it (`None` when there is none).
fn keras_wd(a: &Args) -> String {
    let wd = a.num("weight_decay");
    if wd == 0.0 { "None".into() } else { py(wd) }
}

/// Keras's decoupled weight decay, applied by the base optimizer before every update.
#[inline]
fn decay(theta: &mut [f64], lr: f64, weight_decay: f64) {
    if weight_decay != 0.0 {
        let factor = 1.0 - weight_decay * lr;
        for t in theta {
            *t *= factor;
        }
    }
}

/// The sign with sign(0) = 0, as torch's `sign`.
#[inline]
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x
    }
}

/// How Keras spells the parameters of torch.optim's Adam family.
const ADAM_NAMES: &[(&str, &str)] = &[("beta1", "beta_1"), ("beta2", "beta_2"), ("eps", "epsilon")];

const VELOCITY: &str = "v (velocity, lr units)";
const FIRST: &str = "m (first moment)";
const SECOND: &str = "v (second moment)";
const V_MAX: &str = "max v (AMSGrad)";
