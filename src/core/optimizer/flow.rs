//! Gradient flow and the modified flow of gradient descent: where GD would go with
//! infinitely small steps, and the flow GD follows to second order in lr.
//!
//! `flow` integrates dθ/dt = −∇f(θ) over each update's lr, so row k is θ(t_k) with
//! t_k = lr_0 + … + lr_{k−1}: comparable with GD's step k under any schedule.
//! `modified_flow` integrates the flow of f̃ = f + (lr/4)·|∇f|², whose gradient is
//! ∇f + (lr/2)·H·∇f (backward error analysis: GD with step lr stays O(lr²) close to it;
//! Barrett & Dherin 2021). On a quadratic with Hessian H both are matrix exponentials:
//! θ(t) = e^(−Ht)·θ0 and e^(−(H + lr·H²/2)t)·θ0.
//!
//! The integrator is Dormand and Prince's embedded Runge–Kutta 5(4) pair with step-size
//! control to a tight tolerance, so the result is the flow to about 1e-12 relative.

use super::{AnyOptimizer, Code, Explain, Optimizer, OptimizerItem, StepError, Term};
use crate::core::math::Point;
use crate::core::spec::ItemDef;
use crate::core::surface::Surface;

pub(super) const FLOW: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "flow",
        summary: "gradient flow dθ/dt = −grad f, integrated accurately: row k is θ at time lr_0 + … + lr_{k−1}, where GD would be with infinitely small steps",
        params: &[],
    },
    build: |_| Ok(AnyOptimizer::Flow(Flow::new(false))),
    vector: None,
    code: Code::Torch {
        expr: |_, lr| format!("Flow([theta], lr={lr})"),
        class: Some(TORCH_CLASS),
    },
};

pub(super) const MODIFIED_FLOW: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "modified_flow",
        summary: "the flow of f + (lr/4)·|grad f|², which GD with step lr follows to second order (backward error analysis)",
        params: &[],
    },
    build: |_| Ok(AnyOptimizer::Flow(Flow::new(true))),
    vector: None,
    code: Code::Torch {
        expr: |_, lr| format!("Flow([theta], lr={lr}, modified=True)"),
        class: Some(TORCH_CLASS),
    },
};

const TORCH_CLASS: &str = r#"
class Flow(torch.optim.Optimizer):
    """Gradient flow (or GD's modified flow, the flow of f + lr/4·|∇f|²) over one lr of time,
    not in torch.optim: Dormand–Prince 5(4) with step-size control to 1e-12."""

    def __init__(self, params, lr, modified=False):
        super().__init__(params, dict(lr=lr, modified=modified))

    @staticmethod
    def velocity(p, lr, modified):
        p = p.detach().requires_grad_(True)
        (g,) = torch.autograd.grad(f(p), p, create_graph=modified)
        if modified:
            (hg,) = torch.autograd.grad(g, p, grad_outputs=g.detach())
            g = g + lr / 2 * hg
        return -g.detach()

    @torch.no_grad()
    def step(self):
        c = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1]
        a = [[], [1 / 5], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
             [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
             [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
             [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]]
        e = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]
        for group in self.param_groups:
            lr, modified = group["lr"], group["modified"]
            for p in group["params"]:
                y, t, h = p.detach().clone(), 0.0, lr
                with torch.enable_grad():
                    while t < lr:
                        h = min(h, lr - t)
                        k = []
                        for i in range(7):
                            yi = y + h * sum(a[i][j] * k[j] for j in range(i)) if i else y
                            k.append(Flow.velocity(yi, lr, modified))
                        y5 = y + h * sum(a[6][j] * k[j] for j in range(6))
                        err = h * sum(e[j] * k[j] for j in range(7))
                        scale = 1e-24 + 1e-12 * torch.maximum(y.abs(), y5.abs())
                        ratio = float(torch.sqrt(torch.mean((err / scale) ** 2)))
                        if ratio <= 1.0:
                            t, y = (lr if h >= lr - t else t + h), y5
                        h = h * min(5.0, max(0.2, 0.9 * (ratio if ratio > 0 else 1e-10) ** -0.2))
                p.copy_(y)

"#;

/// The flow's state: the step size the integrator last took.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    pub modified: bool,
    /// The last accepted integration step, to start the next update with.
    h: Option<f64>,
}

impl Flow {
    fn new(modified: bool) -> Self {
        Self { modified, h: None }
    }
}

/// Relative and absolute tolerance of one integration step.
const RTOL: f64 = 1e-12;
const ATOL: f64 = 1e-24;

// Dormand–Prince 5(4) coefficients (Hairer, Nørsett & Wanner, Table II.5.2).
const A: [[f64; 6]; 7] = [
    [0.0; 6],
    [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [
        19372.0 / 6561.0,
        -25360.0 / 2187.0,
        64448.0 / 6561.0,
        -212.0 / 729.0,
        0.0,
        0.0,
    ],
    [
        9017.0 / 3168.0,
        -355.0 / 33.0,
        46732.0 / 5247.0,
        49.0 / 176.0,
        -5103.0 / 18656.0,
        0.0,
    ],
    [
        35.0 / 384.0,
        0.0,
        500.0 / 1113.0,
        125.0 / 192.0,
        -2187.0 / 6784.0,
        11.0 / 84.0,
    ],
];
/// The difference between the 5th- and 4th-order solutions' weights.
const E: [f64; 7] = [
    71.0 / 57600.0,
    0.0,
    -71.0 / 16695.0,
    71.0 / 1920.0,
    -17253.0 / 339200.0,
    22.0 / 525.0,
    -1.0 / 40.0,
];

/// The most integration steps one update may take. A flow that needs more over one lr (stiff:
/// lr·λmax in the tens of thousands, or a blow-up) ends the run as diverged (θ not finite)
/// rather than freezing the window.
const MAX_STEPS: usize = 20_000;

impl Flow {
    /// dθ/dt at `p`: −∇f, or −(∇f + (lr/2)·H·∇f) for the modified flow.
    fn velocity<S: Surface + ?Sized>(&self, surface: &S, p: Point, lr: f64) -> Point {
        let g = surface.gradient(p);
        if !self.modified {
            return [-g[0], -g[1]];
        }
        let h = surface.hessian(p);
        let hg = [
            h[0][0] * g[0] + h[0][1] * g[1],
            h[1][0] * g[0] + h[1][1] * g[1],
        ];
        [-(g[0] + lr / 2.0 * hg[0]), -(g[1] + lr / 2.0 * hg[1])]
    }

    /// Integrates over `duration` from `y`; a non-finite state ends it (the run then reports
    /// divergence at the next row).
    fn integrate<S: Surface + ?Sized>(&mut self, surface: &S, mut y: Point, lr: f64) -> Point {
        let duration = lr;
        let mut t = 0.0;
        let mut h = self.h.unwrap_or(duration).min(duration);
        for _ in 0..MAX_STEPS {
            if t >= duration || !(y[0].is_finite() && y[1].is_finite()) {
                break;
            }
            let last = h >= duration - t;
            if last {
                h = duration - t;
            }
            let mut k = [[0.0; 2]; 7];
            for i in 0..7 {
                let mut yi = y;
                for (j, kj) in k.iter().enumerate().take(i) {
                    yi[0] += h * A[i][j] * kj[0];
                    yi[1] += h * A[i][j] * kj[1];
                }
                k[i] = self.velocity(surface, yi, lr);
            }
            // The 5th-order solution is the last stage's point (first same as last).
            let mut y5 = y;
            let mut err = [0.0; 2];
            for (j, kj) in k.iter().enumerate() {
                if j < 6 {
                    y5[0] += h * A[6][j] * kj[0];
                    y5[1] += h * A[6][j] * kj[1];
                }
                err[0] += h * E[j] * kj[0];
                err[1] += h * E[j] * kj[1];
            }
            let ratio = ((0..2)
                .map(|i| {
                    let scale = ATOL + RTOL * y[i].abs().max(y5[i].abs());
                    (err[i] / scale).powi(2)
                })
                .sum::<f64>()
                / 2.0)
                .sqrt();
            if !ratio.is_finite() {
                return [f64::NAN; 2];
            }
            if ratio <= 1.0 {
                t = if last { duration } else { t + h };
                y = y5;
                if !last {
                    self.h = Some(h);
                }
            }
            let factor = if ratio > 0.0 {
                0.9 * ratio.powf(-0.2)
            } else {
                5.0
            };
            h *= factor.clamp(0.2, 5.0);
        }
        if t < duration {
            return [f64::NAN; 2];
        }
        y
    }
}

impl Optimizer for Flow {
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        _grad: Point,
        lr: f64,
        surface: &S,
    ) -> Result<(), StepError> {
        if lr > 0.0 {
            *theta = self.integrate(surface, *theta, lr);
        }
        Ok(())
    }
}

impl Explain for Flow {
    fn rule(&self) -> &'static [&'static str] {
        if self.modified {
            &[
                "dθ/dt = −(grad f + (lr/2)·H·grad f), the flow of f + (lr/4)·|grad f|²",
                "θ_{k+1} = θ(t_k + lr_k)",
            ]
        } else {
            &["dθ/dt = −grad f", "θ_{k+1} = θ(t_k + lr_k)"]
        }
    }

    fn terms(&self) -> Vec<Term> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::surface::AnySurface;
    use crate::parse_spec;

    #[test]
    fn the_flow_on_a_bowl_is_the_exponential_decay() {
        // ½(x² + 10y²): x(t) = x0·e^(−t), y(t) = y0·e^(−10t); the modified flow's rates are
        // λ(1 + lr·λ/2).
        let surface = AnySurface::from_spec(&parse_spec("quadratic(a=1,b=10)").unwrap()).unwrap();
        for modified in [false, true] {
            let mut flow = Flow::new(modified);
            let mut theta = [1.5, -2.0];
            let lr = 0.05;
            for k in 1..=40 {
                flow.step(&mut theta, [0.0; 2], lr, &surface).unwrap();
                let t = k as f64 * lr;
                let rate = |l: f64| {
                    if modified {
                        l * (1.0 + lr * l / 2.0)
                    } else {
                        l
                    }
                };
                let want = [1.5 * (-rate(1.0) * t).exp(), -2.0 * (-rate(10.0) * t).exp()];
                for i in 0..2 {
                    let rel = ((theta[i] - want[i]) / want[i]).abs();
                    assert!(
                        rel < 1e-10,
                        "modified={modified} k={k}: {theta:?} vs {want:?}"
                    );
                }
            }
        }
    }
}
