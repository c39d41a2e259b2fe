//! `torch.optim.RAdam`: Adam whose adaptive step is switched on once the variance estimate is
//! reliable (rectified), coupled weight decay.

use super::geometry::{self, GlyphKind, Stage, UpdateAt};
use super::{
    AnyOptimizer, BETA1, BETA2, Code, EPS, Explain, Optimizer, OptimizerItem, Params, StepError,
    Term, Update, VecOptimizer, WEIGHT_DECAY, after, decayed, fit, lerp, torch_betas,
};
use crate::core::math::Point;
use crate::core::python::py;
use crate::core::spec::{Args, ItemDef};
use crate::core::surface::Surface;

pub(super) const ITEM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "radam",
        summary: "Adam whose adaptive step is switched on only once the variance estimate is reliable (rectified)",
        params: &[BETA1, BETA2, EPS, WEIGHT_DECAY],
    },
    build: |a| Ok(AnyOptimizer::RAdam(RAdam::from_args(a))),
    vector: Some(|a| Ok(VecOptimizer::new(RAdam::from_args(a)))),
    code: Code::Torch {
        expr: |a, lr| {
            format!(
                "torch.optim.RAdam([theta], lr={lr}, {}, eps={}, weight_decay={}, decoupled_weight_decay=False)",
                torch_betas(a),
                py(a.num("eps")),
                py(a.num("weight_decay"))
            )
        },
        class: None,
    },
};

/// `torch.optim.RAdam` (coupled weight decay), over a point (`V = Point`) or a network's
/// weights.
#[derive(Clone, Debug, PartialEq)]
pub struct RAdam<V = Point> {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    m: V,
    v: V,
    t: u64,
}

impl<V: Params> RAdam<V> {
    pub(super) fn from_args(a: &Args) -> Self {
        Self {
            beta1: a.num("beta1"),
            beta2: a.num("beta2"),
            eps: a.num("eps"),
            weight_decay: a.num("weight_decay"),
            m: V::filled(0, 0.0),
            v: V::filled(0, 0.0),
            t: 0,
        }
    }
}

impl<V: Params> Update<V> for RAdam<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        fit(&mut self.m, n, 0.0);
        fit(&mut self.v, n, 0.0);
        self.t += 1;
        let t = self.t as f64;
        let bias_correction1 = 1.0 - self.beta1.powf(t);
        let bias_correction2 = 1.0 - self.beta2.powf(t);
        let rect = rectification(self.t, self.beta2);
        let (beta1, beta2, eps, wd) = (self.beta1, self.beta2, self.eps, self.weight_decay);
        let (m, v) = (self.m.as_mut(), self.v.as_mut());
        for i in 0..n {
            let g = decayed(grad[i], theta[i], wd);
            m[i] = lerp(m[i], g, 1.0 - beta1);
            v[i] = v[i] * beta2 + (1.0 - beta2) * g * g;
            let m_hat = m[i] / bias_correction1;
            match rect {
                Some(rect) => {
                    let adaptive = bias_correction2.sqrt() / (v[i].sqrt() + eps);
                    theta[i] += -(m_hat * lr * adaptive * rect);
                }
                None => theta[i] += -(m_hat * lr),
            }
        }
    }
}

/// RAdam's rectification term r_t at update `t` (1-based) for `beta2`, or `None` while the
/// length ρ_t of the approximated moving average is ≤ 5 and the step is plain momentum
/// (PyTorch's rule): what an untuned warmup approximates (Liu et al. 2020).
pub fn rectification(t: u64, beta2: f64) -> Option<f64> {
    let tf = t as f64;
    let rho_inf = 2.0 / (1.0 - beta2) - 1.0;
    let rho_t = rho_inf - 2.0 * tf * beta2.powf(tf) / (1.0 - beta2.powf(tf));
    (t > 0 && rho_t > 5.0).then(|| {
        ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
            .sqrt()
    })
}

impl Optimizer for RAdam {
    point_step!();

    /// Once rectified, the step is lr·m_hat·r_t·√(1 − β2^t)/(√v + eps): P is what m_hat is
    /// divided by. Before (ρ_t ≤ 5) the step is plain momentum.
    fn preconditioner(&self) -> Option<Point> {
        let bias_correction2 = 1.0 - self.beta2.powf(self.t as f64);
        let rect = rectification(self.t, self.beta2)?;
        Some(
            self.v
                .map(|v| (v.sqrt() + self.eps) / (bias_correction2.sqrt() * rect)),
        )
    }
}

impl Explain for RAdam {
    fn rule(&self) -> &'static [&'static str] {
        &[
            "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
            "ρ_t = ρ∞ − 2t·β2^t/(1 − β2^t)",
            "θ ← θ − lr·m_hat·r_t·√(1 − β2^t)/(√v + eps) if ρ_t > 5, else θ − lr·m_hat",
        ]
    }

    fn terms(&self) -> Vec<Term> {
        let term = |name, value| Term { name, value };
        vec![
            term(M, self.m),
            term(V, self.v),
            term("t", [self.t as f64; 2]),
        ]
    }

    /// m_hat, then, once rectified, the box of lr·r_t·|m_hat_i|·√(1 − β2^t)/(√v_i + eps);
    /// before that the step is m_hat itself.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        let next = after(self, at, surface);
        let m_hat = next.m.map(|m| m / (1.0 - self.beta1.powf(next.t as f64)));
        let mut stages = vec![
            geometry::gradient_stage(at, &[0]),
            Stage {
                name: "momentum",
                says: "m_hat: the bias-corrected running average of the gradients",
                rule_lines: vec![0],
                terms: vec![M],
                glyphs: vec![at.descent(GlyphKind::Momentum, m_hat).named("−lr·m_hat")],
            },
        ];
        if let Some(denominator) = next.preconditioner() {
            stages.push(geometry::scaling_stage(
                at,
                at.theta,
                m_hat,
                denominator,
                &[1, 2],
                vec![V, "t"],
            ));
        }
        stages.push(geometry::step_stage(at, &[2]));
        stages
    }
}

const M: &str = "m (first moment)";
const V: &str = "v (second moment)";
