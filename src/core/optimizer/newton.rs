//! Damped Newton's method with the surface's exact Hessian: one step to a quadratic's
//! stationary point. Not in torch.optim, so its PyTorch code brings its own class.

use super::geometry::{self, Glyph, GlyphKind, HESSIAN_ROW, Shape, Stage, UpdateAt};
use super::{AnyOptimizer, Code, Explain, Optimizer, OptimizerItem, StepError, Term};
use crate::core::math::{Mat2, Point, solve2};
use crate::core::python::py;
use crate::core::spec::{Check, ItemDef, ParamDef};
use crate::core::surface::Surface;

pub(super) const ITEM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "newton",
        summary: "θ ← θ − lr·(H + damping·I)^-1·g with the exact Hessian: one step to a quadratic's stationary point, minimum or saddle",
        params: &[ParamDef::num(
            "damping",
            Check::NonNegative,
            0.0,
            "Levenberg damping added to the Hessian's diagonal",
        )],
    },
    build: |a| {
        Ok(AnyOptimizer::Newton(Newton {
            damping: a.num("damping"),
        }))
    },
    vector: None,
    code: Code::Torch {
        expr: |a, lr| format!("Newton([theta], lr={lr}, damping={})", py(a.num("damping"))),
        class: Some(TORCH_CLASS),
    },
};

const TORCH_CLASS: &str = r#"
class Newton(torch.optim.Optimizer):
    """Damped Newton, not in torch.optim: θ ← θ − lr·(H + damping·I)⁻¹·g with the exact Hessian."""

    def __init__(self, params, lr, damping=0.0):
        super().__init__(params, dict(lr=lr, damping=damping))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                h = torch.autograd.functional.hessian(f, p.detach())
                d = torch.linalg.solve(h + group["damping"] * torch.eye(2), p.grad)
                p.sub_(group["lr"] * d)

"#;

/// Damped Newton's method with the surface's exact Hessian.
#[derive(Clone, Debug, PartialEq)]
pub struct Newton {
    pub damping: f64,
}

impl Optimizer for Newton {
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        surface: &S,
    ) -> Result<(), StepError> {
        let mut h: Mat2 = surface.hessian(*theta);
        h[0][0] += self.damping;
        h[1][1] += self.damping;
        let d = solve2(h, grad).ok_or(StepError::SingularHessian)?;
        for i in 0..2 {
            theta[i] += -lr * d[i];
        }
        Ok(())
    }
}

impl Explain for Newton {
    fn rule(&self) -> &'static [&'static str] {
        &["θ ← θ − lr·(H + damping·I)^-1·g"]
    }

    fn terms(&self) -> Vec<Term> {
        Vec::new()
    }

    /// The local quadratic's level set through θ and its centre (a minimum or a saddle, where
    /// the full Newton step goes), then the step.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, _: &S) -> Vec<Stage> {
        let mut h = at.hessian;
        h[0][0] += self.damping;
        h[1][1] += self.damping;
        let reach = 3.0 * at.delta[0].hypot(at.delta[1]).max(f64::MIN_POSITIVE);
        let mut stages = vec![geometry::gradient_stage(at, &[0])];
        if let Some((centre, curves)) = geometry::model_curves(at.theta, at.grad_seen, h, reach) {
            let mut glyphs: Vec<Glyph> = curves
                .into_iter()
                .map(|c| Glyph::new(GlyphKind::Model, Shape::Curve(c)))
                .collect();
            glyphs.push(Glyph::new(GlyphKind::ModelCentre, Shape::Dot(centre)));
            stages.push(Stage {
                name: "model",
                says: "the local quadratic model: Newton jumps to its centre, a minimum or a saddle",
                rule_lines: vec![0],
                terms: vec![HESSIAN_ROW],
                glyphs,
            });
        }
        stages.push(geometry::step_stage(at, &[0]));
        stages
    }
}
