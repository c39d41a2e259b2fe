//! `torch.optim.Adadelta`: steps of size √(E[Δθ²])/√(E[g²]); `lr` scales the step (PyTorch's
//! default lr is 1).

use super::geometry::{self, Stage, UpdateAt};
use super::{
    AnyOptimizer, Explain, Optimizer, OptimizerItem, StepError, Term, WEIGHT_DECAY, after, l2,
};
use crate::core::math::Point;
use crate::core::python::py;
use crate::core::spec::{Check, ItemDef, ParamDef};
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
    build: |a| {
        Ok(AnyOptimizer::Adadelta(Adadelta {
            rho: a.num("rho"),
            eps: a.num("eps"),
            weight_decay: a.num("weight_decay"),
            square_avg: [0.0; 2],
            acc_delta: [0.0; 2],
        }))
    },
    torch: |a, lr| {
        format!(
            "torch.optim.Adadelta([theta], lr={lr}, rho={}, eps={}, weight_decay={})",
            py(a.num("rho")),
            py(a.num("eps")),
            py(a.num("weight_decay"))
        )
    },
    torch_class: None,
};

/// `torch.optim.Adadelta`.
#[derive(Clone, Debug, PartialEq)]
pub struct Adadelta {
    pub rho: f64,
    pub eps: f64,
    pub weight_decay: f64,
    square_avg: Point,
    acc_delta: Point,
}

impl Optimizer for Adadelta {
    #[inline]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _: &S,
    ) -> Result<(), StepError> {
        let g = l2(grad, theta, self.weight_decay);
        for i in 0..2 {
            self.square_avg[i] = self.square_avg[i] * self.rho + (1.0 - self.rho) * g[i] * g[i];
            let std = (self.square_avg[i] + self.eps).sqrt();
            let delta = (self.acc_delta[i] + self.eps).sqrt() / std * g[i];
            self.acc_delta[i] = self.acc_delta[i] * self.rho + (1.0 - self.rho) * delta * delta;
            theta[i] += -lr * delta;
        }
        Ok(())
    }
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
