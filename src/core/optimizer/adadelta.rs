//! `torch.optim.Adadelta`: steps of size √(E[Δθ²])/√(E[g²]); `lr` scales the step (PyTorch's
//! default lr is 1).

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
        name: "adadelta",
        summary: "steps of size √(E[Δθ²])/√(E[g²]): units match without a tuned learning rate (lr defaults to 1 in PyTorch)",
        params: &[
            ParamDef::num(
                "rho",
                Check::UnitOpen,
                0.9,
                "decay of both running averages",
            ),
            ParamDef::num(
                "eps",
                Check::NonNegative,
                1e-6,
                "added inside both square roots",
            ),
            WEIGHT_DECAY,
        ],
    },
    build: |a| Ok(AnyOptimizer::Adadelta(Adadelta::from_args(a))),
    vector: Some(|a| Ok(VecOptimizer::new(Adadelta::from_args(a)))),
    code: Code::Torch {
        expr: |a, lr| {
            format!(
                "torch.optim.Adadelta([theta], lr={lr}, rho={}, eps={}, weight_decay={})",
                py(a.num("rho")),
                py(a.num("eps")),
                py(a.num("weight_decay"))
            )
        },
        class: None,
    },
};

/// `torch.optim.Adadelta`, over a point (`V = Point`) or a network's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Adadelta<V = Point> {
    pub rho: f64,
    pub eps: f64,
    pub weight_decay: f64,
    square_avg: V,
    acc_delta: V,
}

impl<V: Params> Adadelta<V> {
    pub(super) fn from_args(a: &Args) -> Self {
        Self {
            rho: a.num("rho"),
            eps: a.num("eps"),
            weight_decay: a.num("weight_decay"),
            square_avg: V::filled(0, 0.0),
            acc_delta: V::filled(0, 0.0),
        }
    }
}

impl<V: Params> Update<V> for Adadelta<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        fit(&mut self.square_avg, n, 0.0);
        fit(&mut self.acc_delta, n, 0.0);
        let (rho, eps, wd) = (self.rho, self.eps, self.weight_decay);
        let (square_avg, acc_delta) = (self.square_avg.as_mut(), self.acc_delta.as_mut());
        for i in 0..n {
            let g = decayed(grad[i], theta[i], wd);
            square_avg[i] = square_avg[i] * rho + (1.0 - rho) * g * g;
            let std = (square_avg[i] + eps).sqrt();
            let delta = (acc_delta[i] + eps).sqrt() / std * g;
            acc_delta[i] = acc_delta[i] * rho + (1.0 - rho) * delta * delta;
            theta[i] += -lr * delta;
        }
    }
}

impl Optimizer for Adadelta {
    point_step!();
}

impl Explain for Adadelta {
    fn rule(&self) -> &'static [&'static str] {
        &[
            "v ← ρ·v + (1 − ρ)·g²",
            "Δ = √(u + eps)/√(v + eps)·g,   u ← ρ·u + (1 − ρ)·Δ²",
            "θ ← θ − lr·Δ",
        ]
    }

    fn terms(&self) -> Vec<Term> {
        vec![
            Term {
                name: V,
                value: self.square_avg,
            },
            Term {
                name: U,
                value: self.acc_delta,
            },
        ]
    }

    /// The box of lr·|g_i|·√(u_i + eps)/√(v_i + eps), with u from before the update.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        let next = after(self, at, surface);
        let g = l2(at.grad_seen, &at.theta, self.weight_decay);
        let denominator: Point = std::array::from_fn(|i| {
            (next.square_avg[i] + self.eps).sqrt() / (self.acc_delta[i] + self.eps).sqrt()
        });
        vec![
            geometry::gradient_stage(at, &[0]),
            geometry::scaling_stage(at, at.theta, g, denominator, &[0, 1], vec![V, U]),
            geometry::step_stage(at, &[2]),
        ]
    }
}

const V: &str = "v (average of g²)";
const U: &str = "u (average of Δ²)";
