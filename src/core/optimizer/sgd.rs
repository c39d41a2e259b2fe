//! `torch.optim.SGD`: gradient descent, optionally with heavy-ball or Nesterov momentum.

use super::geometry::{self, GlyphKind, Stage, UpdateAt};
use super::{
    AnyOptimizer, Code, Explain, Optimizer, OptimizerItem, Params, StepError, Term, Update,
    VecOptimizer, WEIGHT_DECAY, after,
};
use crate::core::math::Point;
use crate::core::python::{py, py_bool};
use crate::core::spec::{Args, Check, ItemDef, ParamDef, SpecError};
use crate::core::surface::Surface;

pub(super) const ITEM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "sgd",
        summary: "gradient descent, optionally with heavy-ball or Nesterov momentum: b ← μ·b + (1−τ)·g; θ ← θ − lr·b",
        params: &[
            ParamDef::num("momentum", Check::NonNegative, 0.0, "momentum factor μ"),
            ParamDef::num("dampening", Check::Any, 0.0, "dampening τ of the momentum"),
            ParamDef::flag("nesterov", false, "Nesterov's look-ahead momentum"),
            WEIGHT_DECAY,
        ],
    },
    build: |a| Sgd::from_args(a).map(AnyOptimizer::Sgd),
    vector: Some(|a| Sgd::from_args(a).map(VecOptimizer::new)),
    code: Code::Torch {
        expr: |a, lr| {
            format!(
                "torch.optim.SGD([theta], lr={lr}, momentum={}, dampening={}, nesterov={}, weight_decay={})",
                py(a.num("momentum")),
                py(a.num("dampening")),
                py_bool(a.flag("nesterov")),
                py(a.num("weight_decay"))
            )
        },
        class: None,
    },
};

/// `torch.optim.SGD`, over a point (`V = Point`) or a network's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd<V = Point> {
    pub momentum: f64,
    pub dampening: f64,
    pub nesterov: bool,
    pub weight_decay: f64,
    buf: Option<V>,
}

impl<V: Params> Sgd<V> {
    pub(super) fn from_args(a: &Args) -> Result<Self, SpecError> {
        let sgd = Self {
            momentum: a.num("momentum"),
            dampening: a.num("dampening"),
            nesterov: a.flag("nesterov"),
            weight_decay: a.num("weight_decay"),
            buf: None,
        };
        if sgd.nesterov && (sgd.momentum <= 0.0 || sgd.dampening != 0.0) {
            return Err(a.invalid(crate::core::spec::InvalidReason::Nesterov));
        }
        Ok(sgd)
    }

    /// The rule, with `gradient(g, θ)` the gradient it sees (L2 added or not).
    #[inline(always)]
    fn apply(&mut self, theta: &mut V, grad: &V, lr: f64, gradient: impl Fn(f64, f64) -> f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        let (momentum, dampening, nesterov) = (self.momentum, self.dampening, self.nesterov);
        if momentum == 0.0 {
            for i in 0..n {
                theta[i] += -lr * gradient(grad[i], theta[i]);
            }
            return;
        }
        // The first update sets the buffer to the gradient, as PyTorch does.
        let first = self.buf.is_none();
        let buf = self.buf.get_or_insert_with(|| V::filled(n, 0.0)).as_mut();
        for i in 0..n {
            let g = gradient(grad[i], theta[i]);
            buf[i] = if first {
                g
            } else {
                buf[i] * momentum + (1.0 - dampening) * g
            };
            let d = if nesterov {
                g + momentum * buf[i]
            } else {
                buf[i]
            };
            theta[i] += -lr * d;
        }
    }
}

impl<V: Params> Update<V> for Sgd<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline(always)]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        // The decay test is made once, not per coordinate: as a select inside the loop it
        // would put wd·θ on the critical path of the hot loop.
        let wd = self.weight_decay;
        if wd == 0.0 {
            self.apply(theta, grad, lr, |g, _| g);
        } else {
            self.apply(theta, grad, lr, |g, th| g + wd * th);
        }
    }
}

impl Optimizer for Sgd {
    point_step!();
}

impl Explain for Sgd {
    fn rule(&self) -> &'static [&'static str] {
        if self.momentum == 0.0 {
            &["θ ← θ − lr·g"]
        } else if self.nesterov {
            &["b ← μ·b + (1 − τ)·g", "θ ← θ − lr·(g + μ·b)"]
        } else {
            &["b ← μ·b + (1 − τ)·g", "θ ← θ − lr·b"]
        }
    }

    fn terms(&self) -> Vec<Term> {
        self.buf
            .map(|value| {
                vec![Term {
                    name: BUFFER,
                    value,
                }]
            })
            .unwrap_or_default()
    }

    /// With momentum: the velocity carried over, −lr·μ·b_{k−1}, and the new one, −lr·b_k.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        if self.momentum == 0.0 {
            return geometry::plain(at, 1);
        }
        let Some(b) = after(self, at, surface).buf else {
            return geometry::plain(at, 2);
        };
        let mut glyphs: Vec<_> = self
            .buf
            .map(|old| at.descent(GlyphKind::Carried, old.map(|x| self.momentum * x)))
            .into_iter()
            .collect();
        glyphs.push(
            at.descent(GlyphKind::Momentum, b)
                .named("−lr·b (new velocity)"),
        );
        vec![
            geometry::gradient_stage(at, &[0]),
            Stage {
                name: "momentum",
                says: "the velocity: μ times the old buffer plus the new gradient",
                rule_lines: vec![0],
                terms: vec![BUFFER],
                glyphs,
            },
            geometry::step_stage(at, &[1]),
        ]
    }
}

const BUFFER: &str = "b (momentum buffer)";
