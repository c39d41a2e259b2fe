//! Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): the sign of an
//! interpolation of momentum and gradient, with decoupled weight decay. Not in torch.optim, so
//! its PyTorch code brings its own class.

use super::geometry::{self, Glyph, GlyphKind, Shape, Stage, UpdateAt};
use super::{
    AnyOptimizer, Code, Explain, Optimizer, OptimizerItem, Params, StepError, Term, Update,
    VecOptimizer, fit, torch_betas,
};
use crate::core::math::Point;
use crate::core::python::py;
use crate::core::spec::{Args, Check, ItemDef, ParamDef};
use crate::core::surface::Surface;

pub(super) const ITEM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "lion",
        summary: "sign of an interpolated momentum: every coordinate moves by exactly lr (Chen et al. 2023)",
        params: &[
            ParamDef::num(
                "beta1",
                Check::UnitOpen,
                0.9,
                "interpolation between momentum and gradient for the step",
            ),
            ParamDef::num("beta2", Check::UnitOpen, 0.99, "decay of the momentum"),
            ParamDef::num(
                "weight_decay",
                Check::NonNegative,
                0.0,
                "decoupled decay θ ← θ(1 − lr·wd)",
            ),
        ],
    },
    build: |a| Ok(AnyOptimizer::Lion(Lion::from_args(a))),
    vector: Some(|a| Ok(VecOptimizer::new(Lion::from_args(a)))),
    code: Code::Torch {
        expr: |a, lr| {
            format!(
                "Lion([theta], lr={lr}, {}, weight_decay={})",
                torch_betas(a),
                py(a.num("weight_decay"))
            )
        },
        class: Some(TORCH_CLASS),
    },
};

const TORCH_CLASS: &str = r#"
class Lion(torch.optim.Optimizer):
    """Lion (Chen et al. 2023), not in torch.optim: the sign of an interpolated momentum, with
    decoupled weight decay θ ← θ(1 − lr·wd) before the step."""

    def __init__(self, params, lr, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                m = self.state[p].setdefault("m", torch.zeros_like(p))
                p.mul_(1 - group["lr"] * group["weight_decay"])
                p.add_(torch.sign(b1 * m + (1 - b1) * p.grad), alpha=-group["lr"])
                m.mul_(b2).add_(p.grad, alpha=1 - b2)

"#;

/// Lion's state: the momentum m, over a point (`V = Point`) or a network's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Lion<V = Point> {
    pub beta1: f64,
    pub beta2: f64,
    pub weight_decay: f64,
    m: V,
}

impl<V: Params> Lion<V> {
    pub(super) fn from_args(a: &Args) -> Self {
        Self {
            beta1: a.num("beta1"),
            beta2: a.num("beta2"),
            weight_decay: a.num("weight_decay"),
            m: V::filled(0, 0.0),
        }
    }

    /// c = β1·m + (1 − β1)·g for one coordinate: what the step takes the sign of.
    #[inline]
    fn mix(&self, m: f64, g: f64) -> f64 {
        m * self.beta1 + (1.0 - self.beta1) * g
    }
}

impl<V: Params> Update<V> for Lion<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        fit(&mut self.m, theta.len(), 0.0);
        let (beta2, wd) = (self.beta2, self.weight_decay);
        for i in 0..theta.len() {
            let c = self.mix(self.m.as_ref()[i], grad[i]);
            theta[i] *= 1.0 - lr * wd;
            theta[i] += -lr * sign(c);
            let m = &mut self.m.as_mut()[i];
            *m = *m * beta2 + (1.0 - beta2) * grad[i];
        }
    }
}

impl Lion {
    /// c for every coordinate of a point (the update's picture).
    fn interpolation(&self, grad: Point) -> Point {
        std::array::from_fn(|i| self.mix(self.m[i], grad[i]))
    }
}

/// The sign function with sign(0) = 0 (Rust's `signum` gives ±1 for ±0).
#[inline]
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x // 0 stays 0, NaN stays NaN
    }
}

impl Optimizer for Lion {
    point_step!();
}

impl Explain for Lion {
    fn rule(&self) -> &'static [&'static str] {
        &[
            "θ ← θ·(1 − lr·wd)",
            "θ ← θ − lr·sign(β1·m + (1 − β1)·g)",
            "m ← β2·m + (1 − β2)·g",
        ]
    }

    fn terms(&self) -> Vec<Term> {
        vec![Term {
            name: M,
            value: self.m,
        }]
    }

    /// c = β1·m + (1 − β1)·g, then the box of half-width lr (from the decayed θ) whose corner
    /// the sign step lands on.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, _: &S) -> Vec<Stage> {
        let c = self.interpolation(at.grad_seen);
        let mut sign = Stage {
            name: "sign",
            says: "the sign of each coordinate: every coordinate moves by exactly lr",
            rule_lines: vec![1],
            terms: vec![],
            glyphs: vec![Glyph::new(
                GlyphKind::Sign,
                Shape::Box {
                    centre: at.at(at.theta, -at.lr * self.weight_decay),
                    half: [at.lr.abs(); 2],
                },
            )],
        };
        if let Some(decay) = geometry::decay(at, self.weight_decay) {
            sign.rule_lines.insert(0, 0);
            sign.glyphs.insert(0, decay);
        }
        vec![
            geometry::gradient_stage(at, &[1]),
            Stage {
                name: "momentum",
                says: "c: the momentum and this gradient mixed",
                rule_lines: vec![1],
                terms: vec![M],
                glyphs: vec![
                    at.descent(GlyphKind::Momentum, c)
                        .named("−lr·c (momentum mixed with g)"),
                ],
            },
            sign,
            geometry::step_stage(at, &[1, 2]),
        ]
    }
}

const M: &str = "m (momentum)";
