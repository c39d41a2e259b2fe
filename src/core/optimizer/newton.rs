//! Damped Newton's method with the surface's exact Hessian: one step to a quadratic's
//! stationary point. Not in torch.optim, so its PyTorch code brings its own class.

use super::{AnyOptimizer, Explain, Optimizer, OptimizerItem, StepError, Term};
use crate::core::math::{Mat2, Point, solve2};
use crate::core::python::py;
use crate::core::spec::{Check, ItemDef, ParamDef};
use crate::core::surface::Surface;

pub(super) const ITEM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "newton",
        summary: "θ ← θ − lr·(H + damping·I)⁻¹·g with the exact Hessian: one step to a quadratic's stationary point, minimum or saddle",
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
    torch: |a, lr| format!("Newton([theta], lr={lr}, damping={})", py(a.num("damping"))),
    torch_class: Some(TORCH_CLASS),
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
        &["θ ← θ − lr·(H + damping·I)⁻¹·g"]
    }

    fn terms(&self) -> Vec<Term> {
        Vec::new()
    }
}
