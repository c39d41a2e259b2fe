//! `torch.optim.NAdam`: Adam with Nesterov momentum (Dozat), coupled weight decay.

use super::geometry::{self, GlyphKind, Stage, UpdateAt};
use super::{
    AnyOptimizer, BETA1, BETA2, Code, EPS, Explain, Optimizer, OptimizerItem, Params, StepError,
    Term, Update, VecOptimizer, WEIGHT_DECAY, after, decayed, fit, lerp, torch_betas,
};
use crate::core::math::Point;
use crate::core::python::py;
use crate::core::spec::{Args, Check, ItemDef, ParamDef};
use crate::core::surface::Surface;

pub(super) const ITEM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "nadam",
        summary: "Adam with Nesterov momentum (Dozat), momentum warmed up by momentum_decay",
        params: &[
            BETA1,
            BETA2,
            EPS,
            WEIGHT_DECAY,
            ParamDef::num(
                "momentum_decay",
                Check::NonNegative,
                0.004,
                "ψ in μ_t = β1(1 − ½·0.96^(tψ))",
            ),
        ],
    },
    build: |a| Ok(AnyOptimizer::NAdam(NAdam::from_args(a))),
    vector: Some(|a| Ok(VecOptimizer::new(NAdam::from_args(a)))),
    code: Code::Torch {
        expr: |a, lr| {
            format!(
                "torch.optim.NAdam([theta], lr={lr}, {}, eps={}, weight_decay={}, momentum_decay={}, decoupled_weight_decay=False)",
                torch_betas(a),
                py(a.num("eps")),
                py(a.num("weight_decay")),
                py(a.num("momentum_decay"))
            )
        },
        class: None,
    },
};

/// `torch.optim.NAdam` (coupled weight decay), over a point (`V = Point`) or a network's
/// weights.
#[derive(Clone, Debug, PartialEq)]
pub struct NAdam<V = Point> {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub momentum_decay: f64,
    mu_product: f64,
    m: V,
    v: V,
    t: u64,
}

impl<V: Params> NAdam<V> {
    pub(super) fn from_args(a: &Args) -> Self {
        Self {
            beta1: a.num("beta1"),
            beta2: a.num("beta2"),
            eps: a.num("eps"),
            weight_decay: a.num("weight_decay"),
            momentum_decay: a.num("momentum_decay"),
            mu_product: 1.0,
            m: V::filled(0, 0.0),
            v: V::filled(0, 0.0),
            t: 0,
        }
    }
}

impl<V: Params> Update<V> for NAdam<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        fit(&mut self.m, n, 0.0);
        fit(&mut self.v, n, 0.0);
        self.t += 1;
        let t = self.t as f64;
        let bias_correction2 = 1.0 - self.beta2.powf(t);
        let mu = self.beta1 * (1.0 - 0.5 * 0.96f64.powf(t * self.momentum_decay));
        let mu_next = self.beta1 * (1.0 - 0.5 * 0.96f64.powf((t + 1.0) * self.momentum_decay));
        self.mu_product *= mu;
        let mu_product_next = self.mu_product * mu_next;
        let grad_coef = -lr * (1.0 - mu) / (1.0 - self.mu_product);
        let m_coef = (-lr * mu_next) / (1.0 - mu_product_next);
        let (beta1, beta2, eps, wd) = (self.beta1, self.beta2, self.eps, self.weight_decay);
        let (m, v) = (self.m.as_mut(), self.v.as_mut());
        for i in 0..n {
            let g = decayed(grad[i], theta[i], wd);
            m[i] = lerp(m[i], g, 1.0 - beta1);
            v[i] = v[i] * beta2 + (1.0 - beta2) * g * g;
            let denom = (v[i] / bias_correction2).sqrt() + eps;
            theta[i] += grad_coef * (g / denom);
            theta[i] += m_coef * (m[i] / denom);
        }
    }
}

impl Optimizer for NAdam {
    point_step!();

    fn preconditioner(&self) -> Option<Point> {
        let bias_correction2 = 1.0 - self.beta2.powf(self.t as f64);
        (self.t > 0).then(|| self.v.map(|v| (v / bias_correction2).sqrt() + self.eps))
    }
}

impl Explain for NAdam {
    fn rule(&self) -> &'static [&'static str] {
        &[
            "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
            "μ_t = β1·(1 − ½·0.96^(t·ψ))",
            "θ ← θ − lr·[(1 − μ_t)·g/(1 − Πμ) + μ_{t+1}·m/(1 − Πμ·μ_{t+1})] / (√v_hat + eps)",
        ]
    }

    fn terms(&self) -> Vec<Term> {
        let term = |name, value| Term { name, value };
        vec![
            term(M, self.m),
            term(V, self.v),
            term(MU, [self.mu_product; 2]),
            term("t", [self.t as f64; 2]),
        ]
    }

    /// The step is −lr·n/(√v_hat + eps) with n Nesterov's mix of g and m; n is read back from
    /// the step and the denominator the update used.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        let next = after(self, at, surface);
        let (Some(denominator), true) = (next.preconditioner(), at.lr != 0.0) else {
            return geometry::plain(at, 3);
        };
        let mix: Point = std::array::from_fn(|i| -at.delta[i] * denominator[i] / at.lr);
        vec![
            geometry::gradient_stage(at, &[0]),
            Stage {
                name: "momentum",
                says: "Nesterov's mix: this gradient and the momentum one step ahead",
                rule_lines: vec![0, 1, 2],
                terms: vec![M, MU],
                glyphs: vec![
                    at.descent(GlyphKind::Momentum, mix)
                        .named("−lr·(Nesterov mix of g and m)"),
                ],
            },
            geometry::scaling_stage(at, at.theta, mix, denominator, &[2], vec![V]),
            geometry::step_stage(at, &[2]),
        ]
    }
}

const M: &str = "m (first moment)";
const V: &str = "v (second moment)";
const MU: &str = "Πμ (momentum product)";
