//! `torch.optim.Adagrad`: per-coordinate steps that shrink with the sum of squared gradients.

use super::geometry::{self, Stage, UpdateAt};
use super::{
    AnyOptimizer, Code, Explain, Optimizer, OptimizerItem, Params, StepError, Term, Update,
    VecOptimizer, WEIGHT_DECAY, after, decayed, fit, l2,
};
use crate::core::math::Point;
use crate::core::python::py;
use crate::core::spec::{Args, Check, ItemDef, ParamDef};
use crate::core::surface::Surface;

pub(super) const ITEM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "adagrad",
        summary: "per-coordinate steps lr/√(Σg²): large for rare, small for frequent directions, shrinking forever",
        params: &[
            ParamDef::num(
                "lr_decay",
                Check::NonNegative,
                0.0,
                "lr / (1 + (t−1)·lr_decay)",
            ),
            WEIGHT_DECAY,
            ParamDef::num(
                "initial_accumulator_value",
                Check::NonNegative,
                0.0,
                "starting value of Σg²",
            ),
            ParamDef::num("eps", Check::NonNegative, 1e-10, "added to √(Σg²)"),
        ],
    },
    build: |a| Ok(AnyOptimizer::Adagrad(Adagrad::from_args(a))),
    vector: Some(|a| Ok(VecOptimizer::new(Adagrad::from_args(a)))),
    code: Code::Torch {
        expr: |a, lr| {
            format!(
                "torch.optim.Adagrad([theta], lr={lr}, lr_decay={}, weight_decay={}, initial_accumulator_value={}, eps={})",
                py(a.num("lr_decay")),
                py(a.num("weight_decay")),
                py(a.num("initial_accumulator_value")),
                py(a.num("eps"))
            )
        },
        class: None,
    },
};

/// `torch.optim.Adagrad`, over a point (`V = Point`) or a network's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Adagrad<V = Point> {
    pub lr_decay: f64,
    pub weight_decay: f64,
    pub eps: f64,
    pub initial_accumulator_value: f64,
    sum: V,
    t: u64,
}

impl<V: Params> Adagrad<V> {
    pub(super) fn from_args(a: &Args) -> Self {
        let initial = a.num("initial_accumulator_value");
        Self {
            lr_decay: a.num("lr_decay"),
            weight_decay: a.num("weight_decay"),
            eps: a.num("eps"),
            initial_accumulator_value: initial,
            sum: V::filled(0, initial),
            t: 0,
        }
    }
}

impl<V: Params> Update<V> for Adagrad<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        self.t += 1;
        let clr = lr / (1.0 + (self.t - 1) as f64 * self.lr_decay);
        fit(&mut self.sum, theta.len(), self.initial_accumulator_value);
        let (wd, eps) = (self.weight_decay, self.eps);
        for ((th, &g), sum) in theta.iter_mut().zip(grad).zip(self.sum.as_mut()) {
            let g = decayed(g, *th, wd);
            *sum += g * g;
            let std = sum.sqrt() + eps;
            *th += -clr * (g / std);
        }
    }
}

impl Optimizer for Adagrad {
    point_step!();

    /// The step is lr·g/((√sum + eps)·(1 + (t − 1)·lr_decay)).
    fn preconditioner(&self) -> Option<Point> {
        let decay = 1.0 + self.t.saturating_sub(1) as f64 * self.lr_decay;
        (self.t > 0).then(|| self.sum.map(|s| (s.sqrt() + self.eps) * decay))
    }
}

impl Explain for Adagrad {
    fn rule(&self) -> &'static [&'static str] {
        &[
            "Σ ← Σ + g²",
            "lr' = lr / (1 + (t − 1)·lr_decay)",
            "θ ← θ − lr'·g / (√Σ + eps)",
        ]
    }

    fn terms(&self) -> Vec<Term> {
        vec![Term {
            name: SUM,
            value: self.sum,
        }]
    }

    /// The box of lr'·|g_i|/(√Σ_i + eps): it shrinks as Σ accumulates.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        let next = after(self, at, surface);
        let Some(denominator) = next.preconditioner() else {
            return geometry::plain(at, 3);
        };
        let g = l2(at.grad_seen, &at.theta, self.weight_decay);
        vec![
            geometry::gradient_stage(at, &[0]),
            geometry::scaling_stage(at, at.theta, g, denominator, &[0, 1, 2], vec![SUM]),
            geometry::step_stage(at, &[2]),
        ]
    }
}

const SUM: &str = "Σ (sum of g²)";
