//! `torch.optim.Adam` and `torch.optim.AdamW`: momentum and RMSProp's second moment, both
//! bias-corrected; AdamW decays the weights apart from the gradient.

use super::geometry::{self, GlyphKind, Stage, UpdateAt};
use super::{
    AnyOptimizer, BETA1, BETA2, BiasCorrection, Code, EPS, Explain, Optimizer, OptimizerItem,
    Params, StepError, Term, Update, VecOptimizer, WEIGHT_DECAY, after, decayed, fit, lerp,
    torch_betas,
};
use crate::core::math::Point;
use crate::core::python::{py, py_bool};
use crate::core::spec::{Args, Check, ItemDef, ParamDef};
use crate::core::surface::Surface;

const AMSGRAD: ParamDef =
    ParamDef::flag("amsgrad", false, "use the running maximum of v (AMSGrad)");

pub(super) const ADAM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "adam",
        summary: "momentum m and RMSProp's v, both bias-corrected: θ ← θ − lr·m_hat/(√v_hat + eps)",
        params: &[BETA1, BETA2, EPS, WEIGHT_DECAY, AMSGRAD],
    },
    build: |a| Ok(AnyOptimizer::Adam(Adam::from_args(a, false))),
    vector: Some(|a| Ok(VecOptimizer::new(Adam::from_args(a, false)))),
    code: Code::Torch {
        expr: |a, lr| torch(a, lr, "Adam"),
        class: None,
    },
};

pub(super) const ADAMW: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "adamw",
        summary: "Adam with decoupled weight decay: θ ← θ·(1 − lr·wd) before the Adam step",
        params: &[
            BETA1,
            BETA2,
            EPS,
            ParamDef::num(
                "weight_decay",
                Check::NonNegative,
                0.01,
                "decoupled decay rate",
            ),
            AMSGRAD,
        ],
    },
    build: |a| Ok(AnyOptimizer::Adam(Adam::from_args(a, true))),
    vector: Some(|a| Ok(VecOptimizer::new(Adam::from_args(a, true)))),
    code: Code::Torch {
        expr: |a, lr| torch(a, lr, "AdamW"),
        class: None,
    },
};

fn torch(a: &Args, lr: &str, class: &str) -> String {
    format!(
        "torch.optim.{class}([theta], lr={lr}, {}, eps={}, weight_decay={}, amsgrad={})",
        torch_betas(a),
        py(a.num("eps")),
        py(a.num("weight_decay")),
        py_bool(a.flag("amsgrad"))
    )
}

/// `torch.optim.Adam` and, with `decoupled`, `torch.optim.AdamW`, over a point (`V = Point`)
/// or a network's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Adam<V = Point> {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub amsgrad: bool,
    pub decoupled: bool,
    m: V,
    v: V,
    v_max: V,
    t: u64,
    correction1: BiasCorrection,
    correction2: BiasCorrection,
}

impl<V: Params> Adam<V> {
    pub(super) fn from_args(a: &Args, decoupled: bool) -> Self {
        Self {
            beta1: a.num("beta1"),
            beta2: a.num("beta2"),
            eps: a.num("eps"),
            weight_decay: a.num("weight_decay"),
            amsgrad: a.flag("amsgrad"),
            decoupled,
            m: V::filled(0, 0.0),
            v: V::filled(0, 0.0),
            v_max: V::filled(0, 0.0),
            t: 0,
            correction1: BiasCorrection::default(),
            correction2: BiasCorrection::default(),
        }
    }
}

impl<V: Params> Update<V> for Adam<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline(always)]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        fit(&mut self.m, n, 0.0);
        fit(&mut self.v, n, 0.0);
        fit(&mut self.v_max, n, 0.0);
        self.t += 1;
        let t = self.t as f64;
        let bias_correction1 = self.correction1.at(self.beta1, t);
        let bias_correction2 = self.correction2.at(self.beta2, t);
        let step_size = lr / bias_correction1;
        let bias_correction2_sqrt = bias_correction2.sqrt();
        let (beta1, beta2, eps, amsgrad, decoupled, wd) = (
            self.beta1,
            self.beta2,
            self.eps,
            self.amsgrad,
            self.decoupled,
            self.weight_decay,
        );
        let (m, v, v_max) = (self.m.as_mut(), self.v.as_mut(), self.v_max.as_mut());
        for i in 0..n {
            // AdamW shrinks the weights first; Adam adds the L2 term to the gradient.
            let g = if decoupled {
                theta[i] *= 1.0 - lr * wd;
                grad[i]
            } else {
                decayed(grad[i], theta[i], wd)
            };
            m[i] = lerp(m[i], g, 1.0 - beta1);
            v[i] = v[i] * beta2 + (1.0 - beta2) * g * g;
            let vi = if amsgrad {
                v_max[i] = v_max[i].max(v[i]);
                v_max[i]
            } else {
                v[i]
            };
            let denom = vi.sqrt() / bias_correction2_sqrt + eps;
            theta[i] += -step_size * (m[i] / denom);
        }
    }
}

impl Optimizer for Adam {
    point_step!();

    fn preconditioner(&self) -> Option<Point> {
        let bias_correction2 = 1.0 - self.beta2.powf(self.t as f64);
        let v = if self.amsgrad { self.v_max } else { self.v };
        (self.t > 0).then(|| v.map(|v| (v / bias_correction2).sqrt() + self.eps))
    }
}

impl Explain for Adam {
    fn rule(&self) -> &'static [&'static str] {
        if self.decoupled {
            &[
                "θ ← θ·(1 − lr·wd)",
                "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
                "m_hat = m/(1 − β1^t),   v_hat = v/(1 − β2^t)",
                "θ ← θ − lr·m_hat / (√v_hat + eps)",
            ]
        } else {
            &[
                "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
                "m_hat = m/(1 − β1^t),   v_hat = v/(1 − β2^t)",
                "θ ← θ − lr·m_hat / (√v_hat + eps)",
            ]
        }
    }

    fn terms(&self) -> Vec<Term> {
        let term = |name, value| Term { name, value };
        let t = self.t as i32;
        let (c1, c2) = (1.0 - self.beta1.powi(t), 1.0 - self.beta2.powi(t));
        let mut terms = vec![term(M, self.m), term(V, self.v)];
        if t > 0 {
            terms.push(term(M_HAT, self.m.map(|m| m / c1)));
            terms.push(term(V_HAT, self.v.map(|v| v / c2)));
        }
        if self.amsgrad {
            terms.push(term(V_MAX, self.v_max));
        }
        terms.push(term("t", [self.t as f64; 2]));
        terms
    }

    /// Gradient, m_hat (the averaged direction), the box of the per-coordinate division by
    /// √v_hat + eps (from the decayed θ for AdamW), the step on its corner.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        let next = after(self, at, surface);
        let Some(denominator) = next.preconditioner() else {
            return geometry::plain(at, self.rule().len());
        };
        let m_hat = next.m.map(|m| m / (1.0 - self.beta1.powf(next.t as f64)));
        let first = usize::from(self.decoupled);
        let decay = if self.decoupled {
            self.weight_decay
        } else {
            0.0
        };
        let centre = at.at(at.theta, -at.lr * decay);
        let mut v_terms = vec![V, V_HAT];
        if self.amsgrad {
            v_terms.push(V_MAX);
        }
        let mut scaling = geometry::scaling_stage(
            at,
            centre,
            m_hat,
            denominator,
            &[first + 1, first + 2],
            v_terms,
        );
        if let Some(decay) = geometry::decay(at, decay) {
            scaling.rule_lines.insert(0, 0);
            scaling.glyphs.insert(0, decay);
        }
        vec![
            geometry::gradient_stage(at, &[first]),
            Stage {
                name: "momentum",
                says: "m_hat: the bias-corrected running average of the gradients",
                rule_lines: vec![first, first + 1],
                terms: vec![M, M_HAT],
                glyphs: vec![at.descent(GlyphKind::Momentum, m_hat).named("−lr·m_hat")],
            },
            scaling,
            geometry::step_stage(at, &[first + 2]),
        ]
    }
}

const M: &str = "m (first moment)";
const V: &str = "v (second moment)";
const M_HAT: &str = "m_hat = m/(1 − β1^t)";
const V_HAT: &str = "v_hat = v/(1 − β2^t)";
const V_MAX: &str = "max v (AMSGrad)";
