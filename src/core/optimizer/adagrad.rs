//! `torch.optim.Adagrad`: per-coordinate steps that shrink with the sum of squared gradients.

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
    build: |a| {
        Ok(AnyOptimizer::Adagrad(Adagrad {
            lr_decay: a.num("lr_decay"),
            weight_decay: a.num("weight_decay"),
            eps: a.num("eps"),
            sum: [a.num("initial_accumulator_value"); 2],
            t: 0,
        }))
    },
    torch: |a, lr| {
        format!(
            "torch.optim.Adagrad([theta], lr={lr}, lr_decay={}, weight_decay={}, initial_accumulator_value={}, eps={})",
            py(a.num("lr_decay")),
            py(a.num("weight_decay")),
            py(a.num("initial_accumulator_value")),
            py(a.num("eps"))
        )
    },
    torch_class: None,
};

/// `torch.optim.Adagrad`.
#[derive(Clone, Debug, PartialEq)]
pub struct Adagrad {
    pub lr_decay: f64,
    pub weight_decay: f64,
    pub eps: f64,
    sum: Point,
    t: u64,
}

impl Optimizer for Adagrad {
    #[inline]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _: &S,
    ) -> Result<(), StepError> {
        self.t += 1;
        let g = l2(grad, theta, self.weight_decay);
        let clr = lr / (1.0 + (self.t - 1) as f64 * self.lr_decay);
        for i in 0..2 {
            self.sum[i] += g[i] * g[i];
            let std = self.sum[i].sqrt() + self.eps;
            theta[i] += -clr * (g[i] / std);
        }
        Ok(())
    }

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
