//! `torch.optim.RMSprop`: AdaGrad that forgets, with optional momentum and centering.

use super::geometry::{self, GlyphKind, Stage, UpdateAt};
use super::{
    AnyOptimizer, EPS, Explain, Optimizer, OptimizerItem, StepError, Term, WEIGHT_DECAY, after, l2,
    lerp,
};
use crate::core::math::Point;
use crate::core::python::{py, py_bool};
use crate::core::spec::{Check, ItemDef, ParamDef};
use crate::core::surface::Surface;

pub(super) const ITEM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "rmsprop",
        summary: "steps lr/√v with v a moving average of g²: AdaGrad that forgets",
        params: &[
            ParamDef::num("alpha", Check::UnitOpen, 0.99, "decay of the average of g²"),
            EPS,
            WEIGHT_DECAY,
            ParamDef::num(
                "momentum",
                Check::NonNegative,
                0.0,
                "momentum on the scaled step",
            ),
            ParamDef::flag(
                "centered",
                false,
                "divide by the variance instead of the raw second moment",
            ),
        ],
    },
    build: |a| {
        Ok(AnyOptimizer::RmsProp(RmsProp {
            alpha: a.num("alpha"),
            eps: a.num("eps"),
            weight_decay: a.num("weight_decay"),
            momentum: a.num("momentum"),
            centered: a.flag("centered"),
            square_avg: [0.0; 2],
            grad_avg: [0.0; 2],
            buf: [0.0; 2],
        }))
    },
    torch: |a, lr| {
        format!(
            "torch.optim.RMSprop([theta], lr={lr}, alpha={}, eps={}, weight_decay={}, momentum={}, centered={})",
            py(a.num("alpha")),
            py(a.num("eps")),
            py(a.num("weight_decay")),
            py(a.num("momentum")),
            py_bool(a.flag("centered"))
        )
    },
    torch_class: None,
};

/// `torch.optim.RMSprop`.
#[derive(Clone, Debug, PartialEq)]
pub struct RmsProp {
    pub alpha: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub momentum: f64,
    pub centered: bool,
    square_avg: Point,
    grad_avg: Point,
    buf: Point,
}

impl Optimizer for RmsProp {
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
            self.square_avg[i] = self.square_avg[i] * self.alpha + (1.0 - self.alpha) * g[i] * g[i];
            let avg = if self.centered {
                self.grad_avg[i] = lerp(self.grad_avg[i], g[i], 1.0 - self.alpha);
                (self.square_avg[i] - self.grad_avg[i] * self.grad_avg[i]).sqrt() + self.eps
            } else {
                self.square_avg[i].sqrt() + self.eps
            };
            if self.momentum > 0.0 {
                self.buf[i] = self.buf[i] * self.momentum + g[i] / avg;
                theta[i] += -lr * self.buf[i];
            } else {
                theta[i] += -lr * (g[i] / avg);
            }
        }
        Ok(())
    }

    fn preconditioner(&self) -> Option<Point> {
        if self.square_avg == [0.0; 2] {
            return None;
        }
        Some(std::array::from_fn(|i| {
            let v = if self.centered {
                self.square_avg[i] - self.grad_avg[i] * self.grad_avg[i]
            } else {
                self.square_avg[i]
            };
            v.sqrt() + self.eps
        }))
    }
}

impl Explain for RmsProp {
    fn rule(&self) -> &'static [&'static str] {
        if self.centered {
            &[
                "v ← α·v + (1 − α)·g²",
                "a ← α·a + (1 − α)·g",
                "θ ← θ − lr·g / (√(v − a²) + eps)   (with momentum: b ← μ·b + that, θ ← θ − lr·b)",
            ]
        } else {
            &[
                "v ← α·v + (1 − α)·g²",
                "θ ← θ − lr·g / (√v + eps)   (with momentum: b ← μ·b + that, θ ← θ − lr·b)",
            ]
        }
    }

    fn terms(&self) -> Vec<Term> {
        let mut t = vec![Term {
            name: V,
            value: self.square_avg,
        }];
        if self.centered {
            t.push(Term {
                name: A,
                value: self.grad_avg,
            });
        }
        if self.momentum > 0.0 {
            t.push(Term {
                name: B,
                value: self.buf,
            });
        }
        t
    }

    /// The box of lr·|g_i|/(√v_i + eps); with momentum, the buffer that sums those steps.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        let next = after(self, at, surface);
        let Some(denominator) = next.preconditioner() else {
            return geometry::plain(at, self.rule().len());
        };
        let last = self.rule().len() - 1;
        let g = l2(at.grad_seen, &at.theta, self.weight_decay);
        let mut terms = vec![V];
        if self.centered {
            terms.push(A);
        }
        let mut stages = vec![
            geometry::gradient_stage(at, &[0]),
            geometry::scaling_stage(
                at,
                at.theta,
                g,
                denominator,
                &(0..=last).collect::<Vec<_>>(),
                terms,
            ),
        ];
        if self.momentum > 0.0 {
            let mut glyphs = Vec::new();
            if self.buf != [0.0; 2] {
                glyphs.push(at.descent(GlyphKind::Carried, self.buf.map(|b| self.momentum * b)));
            }
            glyphs.push(
                at.descent(GlyphKind::Momentum, next.buf)
                    .named("−lr·b (buffer)"),
            );
            stages.push(Stage {
                name: "momentum",
                says: "the buffer: μ times the old one plus the scaled gradient",
                rule_lines: vec![last],
                terms: vec![B],
                glyphs,
            });
        }
        stages.push(geometry::step_stage(at, &[last]));
        stages
    }
}

const V: &str = "v (average of g²)";
const A: &str = "a (average of g)";
const B: &str = "b (momentum buffer)";
