//! `torch.optim.NAdam`: Adam with Nesterov momentum (Dozat), coupled weight decay.

use super::geometry::{self, GlyphKind, Stage, UpdateAt};
use super::{
    AnyOptimizer, BETA1, BETA2, EPS, Explain, Optimizer, OptimizerItem, StepError, Term,
    WEIGHT_DECAY, after, l2, lerp, torch_betas,
};
use crate::core::math::Point;
use crate::core::python::py;
use crate::core::spec::{Check, ItemDef, ParamDef};
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
    build: |a| {
        Ok(AnyOptimizer::NAdam(NAdam {
            beta1: a.num("beta1"),
            beta2: a.num("beta2"),
            eps: a.num("eps"),
            weight_decay: a.num("weight_decay"),
            momentum_decay: a.num("momentum_decay"),
            mu_product: 1.0,
            m: [0.0; 2],
            v: [0.0; 2],
            t: 0,
        }))
    },
    torch: |a, lr| {
        format!(
            "torch.optim.NAdam([theta], lr={lr}, {}, eps={}, weight_decay={}, momentum_decay={}, decoupled_weight_decay=False)",
            torch_betas(a),
            py(a.num("eps")),
            py(a.num("weight_decay")),
            py(a.num("momentum_decay"))
        )
    },
    torch_class: None,
};

/// `torch.optim.NAdam` (coupled weight decay).
#[derive(Clone, Debug, PartialEq)]
pub struct NAdam {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub momentum_decay: f64,
    mu_product: f64,
    m: Point,
    v: Point,
    t: u64,
}

impl Optimizer for NAdam {
    #[inline]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _: &S,
    ) -> Result<(), StepError> {
        self.t += 1;
        let t = self.t as f64;
        let bias_correction2 = 1.0 - self.beta2.powf(t);
        let g = l2(grad, theta, self.weight_decay);
        let mu = self.beta1 * (1.0 - 0.5 * 0.96f64.powf(t * self.momentum_decay));
        let mu_next = self.beta1 * (1.0 - 0.5 * 0.96f64.powf((t + 1.0) * self.momentum_decay));
        self.mu_product *= mu;
        let mu_product_next = self.mu_product * mu_next;
        let grad_coef = -lr * (1.0 - mu) / (1.0 - self.mu_product);
        let m_coef = (-lr * mu_next) / (1.0 - mu_product_next);
        for i in 0..2 {
            self.m[i] = lerp(self.m[i], g[i], 1.0 - self.beta1);
            self.v[i] = self.v[i] * self.beta2 + (1.0 - self.beta2) * g[i] * g[i];
            let denom = (self.v[i] / bias_correction2).sqrt() + self.eps;
            theta[i] += grad_coef * (g[i] / denom);
            theta[i] += m_coef * (self.m[i] / denom);
        }
        Ok(())
    }

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
