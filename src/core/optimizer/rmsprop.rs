//! `torch.optim.RMSprop`: AdaGrad that forgets, with optional momentum and centering.

use super::geometry::{self, GlyphKind, Stage, UpdateAt};
use super::{
    AnyOptimizer, Code, EPS, Explain, Optimizer, OptimizerItem, Params, StepError, Term, Update,
    VecOptimizer, WEIGHT_DECAY, after, decayed, fit, l2, lerp,
};
use crate::core::math::Point;
use crate::core::python::{py, py_bool};
use crate::core::spec::{Args, Check, ItemDef, ParamDef};
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
    build: |a| Ok(AnyOptimizer::RmsProp(RmsProp::from_args(a))),
    vector: Some(|a| Ok(VecOptimizer::new(RmsProp::from_args(a)))),
    code: Code::Torch {
        expr: |a, lr| {
            format!(
                "torch.optim.RMSprop([theta], lr={lr}, alpha={}, eps={}, weight_decay={}, momentum={}, centered={})",
                py(a.num("alpha")),
                py(a.num("eps")),
                py(a.num("weight_decay")),
                py(a.num("momentum")),
                py_bool(a.flag("centered"))
            )
        },
        class: None,
    },
};

/// `torch.optim.RMSprop`, over a point (`V = Point`) or a network's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct RmsProp<V = Point> {
    pub alpha: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub momentum: f64,
    pub centered: bool,
    square_avg: V,
    grad_avg: V,
    buf: V,
}

impl<V: Params> RmsProp<V> {
    pub(super) fn from_args(a: &Args) -> Self {
        Self {
            alpha: a.num("alpha"),
            eps: a.num("eps"),
            weight_decay: a.num("weight_decay"),
            momentum: a.num("momentum"),
            centered: a.flag("centered"),
            square_avg: V::filled(0, 0.0),
            grad_avg: V::filled(0, 0.0),
            buf: V::filled(0, 0.0),
        }
    }
}

impl<V: Params> Update<V> for RmsProp<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        fit(&mut self.square_avg, n, 0.0);
        fit(&mut self.grad_avg, n, 0.0);
        fit(&mut self.buf, n, 0.0);
        let (alpha, eps, wd, momentum, centered) = (
            self.alpha,
            self.eps,
            self.weight_decay,
            self.momentum,
            self.centered,
        );
        let (square_avg, grad_avg, buf) = (
            self.square_avg.as_mut(),
            self.grad_avg.as_mut(),
            self.buf.as_mut(),
        );
        for i in 0..n {
            let g = decayed(grad[i], theta[i], wd);
            square_avg[i] = square_avg[i] * alpha + (1.0 - alpha) * g * g;
            let avg = if centered {
                grad_avg[i] = lerp(grad_avg[i], g, 1.0 - alpha);
                (square_avg[i] - grad_avg[i] * grad_avg[i]).sqrt() + eps
            } else {
                square_avg[i].sqrt() + eps
            };
            if momentum > 0.0 {
                buf[i] = buf[i] * momentum + g / avg;
                theta[i] += -lr * buf[i];
            } else {
                theta[i] += -lr * (g / avg);
            }
        }
    }
}

impl Optimizer for RmsProp {
    point_step!();

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
