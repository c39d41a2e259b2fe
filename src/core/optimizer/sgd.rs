//! `torch.optim.SGD`: gradient descent, optionally with heavy-ball or Nesterov momentum.

use super::geometry::{self, GlyphKind, Stage, UpdateAt};
use super::{
    AnyOptimizer, Explain, Optimizer, OptimizerItem, StepError, Term, WEIGHT_DECAY, after, l2,
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
    torch: |a, lr| {
        format!(
            "torch.optim.SGD([theta], lr={lr}, momentum={}, dampening={}, nesterov={}, weight_decay={})",
            py(a.num("momentum")),
            py(a.num("dampening")),
            py_bool(a.flag("nesterov")),
            py(a.num("weight_decay"))
        )
    },
    torch_class: None,
};

/// `torch.optim.SGD`.
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd {
    pub momentum: f64,
    pub dampening: f64,
    pub nesterov: bool,
    pub weight_decay: f64,
    buf: Option<Point>,
}

impl Sgd {
    fn from_args(a: &Args) -> Result<Self, SpecError> {
        let sgd = Self {
            momentum: a.num("momentum"),
            dampening: a.num("dampening"),
            nesterov: a.flag("nesterov"),
            weight_decay: a.num("weight_decay"),
            buf: None,
        };
        if sgd.nesterov && (sgd.momentum <= 0.0 || sgd.dampening != 0.0) {
            return Err(a.invalid("nesterov=true needs momentum > 0 and dampening = 0"));
        }
        Ok(sgd)
    }
}

impl Optimizer for Sgd {
    #[inline]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _: &S,
    ) -> Result<(), StepError> {
        let mut g = l2(grad, theta, self.weight_decay);
        if self.momentum != 0.0 {
            let buf = match &mut self.buf {
                None => self.buf.insert(g),
                Some(buf) => {
                    for i in 0..2 {
                        buf[i] = buf[i] * self.momentum + (1.0 - self.dampening) * g[i];
                    }
                    buf
                }
            };
            if self.nesterov {
                for i in 0..2 {
                    g[i] += self.momentum * buf[i];
                }
            } else {
                g = *buf;
            }
        }
        for i in 0..2 {
            theta[i] += -lr * g[i];
        }
        Ok(())
    }
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
