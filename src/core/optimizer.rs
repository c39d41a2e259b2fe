//! Optimizers with `torch.optim` names, parameters, defaults and update rules.
//!
//! The learning rate is an argument of every step, not a field: the schedule lives outside the
//! update rule (as in optax and PyTorch's schedulers), so any optimizer composes with any
//! schedule. Each rule follows PyTorch's single-tensor implementation, including where `eps` sits
//! and the order of bias corrections, because users compare our numbers with theirs.

use crate::core::math::{Mat2, Point, solve2};
use crate::core::spec::{Args, Check, ItemDef, ParamDef, Registry, Spec, SpecError};
use crate::core::surface::Surface;

/// Why an update could not be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepError {
    /// Newton's system `(H + damping·I)·d = g` has no unique solution.
    SingularHessian,
}

/// One update rule with its state (moments, accumulators, step count).
pub trait Optimizer {
    /// Updates `theta` in place from the gradient the run sees at `theta`; `surface` is there
    /// for second-order methods that need the Hessian.
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        surface: &S,
    ) -> Result<(), StepError>;
}

const BETA1: ParamDef = ParamDef::num(
    "beta1",
    Check::UnitOpen,
    0.9,
    "decay of the first moment (momentum)",
);
const BETA2: ParamDef = ParamDef::num(
    "beta2",
    Check::UnitOpen,
    0.999,
    "decay of the second moment",
);
const EPS: ParamDef = ParamDef::num(
    "eps",
    Check::NonNegative,
    1e-8,
    "added to the denominator for stability",
);
const WEIGHT_DECAY: ParamDef = ParamDef::num(
    "weight_decay",
    Check::NonNegative,
    0.0,
    "L2 penalty added to the gradient",
);

/// The registry of optimizers, in the order the UI lists them.
pub static OPTIMIZERS: Registry = Registry {
    family: "optimizer",
    items: &[
        ItemDef {
            name: "sgd",
            summary: "gradient descent, optionally with heavy-ball or Nesterov momentum: b ← μ·b + (1−τ)·g; θ ← θ − lr·b",
            params: &[
                ParamDef::num("momentum", Check::NonNegative, 0.0, "momentum factor μ"),
                ParamDef::num("dampening", Check::Any, 0.0, "dampening τ of the momentum"),
                ParamDef::flag("nesterov", false, "Nesterov's look-ahead momentum"),
                WEIGHT_DECAY,
            ],
        },
        ItemDef {
            name: "adagrad",
            summary: "per-coordinate steps lr/√(Σg²): large for rare, small for frequent directions, shrinking forever",
            params: &[
                ParamDef::num(
                    "lr_decay",
                    Check::NonNegative,
                    0.0,
                    "lr / (1 + (t−1)·lr_decay)",
                ),
                WEIGHT_DECAY,
                ParamDef::num(
                    "initial_accumulator_value",
                    Check::NonNegative,
                    0.0,
                    "starting value of Σg²",
                ),
                ParamDef::num("eps", Check::NonNegative, 1e-10, "added to √(Σg²)"),
            ],
        },
        ItemDef {
            name: "rmsprop",
            summary: "steps lr/√v with v a moving average of g²: AdaGrad that forgets",
            params: &[
                ParamDef::num("alpha", Check::UnitOpen, 0.99, "decay of the average of g²"),
                EPS,
                WEIGHT_DECAY,
                ParamDef::num(
                    "momentum",
                    Check::NonNegative,
                    0.0,
                    "momentum on the scaled step",
                ),
                ParamDef::flag(
                    "centered",
                    false,
                    "divide by the variance instead of the raw second moment",
                ),
            ],
        },
        ItemDef {
            name: "adam",
            summary: "momentum m and RMSProp's v, both bias-corrected: θ ← θ − lr·m_hat/(√v_hat + eps)",
            params: &[
                BETA1,
                BETA2,
                EPS,
                WEIGHT_DECAY,
                ParamDef::flag("amsgrad", false, "use the running maximum of v (AMSGrad)"),
            ],
        },
        ItemDef {
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
                ParamDef::flag("amsgrad", false, "use the running maximum of v (AMSGrad)"),
            ],
        },
        ItemDef {
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
        ItemDef {
            name: "radam",
            summary: "Adam whose adaptive step is switched on only once the variance estimate is reliable (rectified)",
            params: &[BETA1, BETA2, EPS, WEIGHT_DECAY],
        },
        ItemDef {
            name: "adadelta",
            summary: "steps of size √(E[Δθ²])/√(E[g²]): units match without a tuned learning rate (lr defaults to 1 in PyTorch)",
            params: &[
                ParamDef::num(
                    "rho",
                    Check::UnitOpen,
                    0.9,
                    "decay of both running averages",
                ),
                ParamDef::num(
                    "eps",
                    Check::NonNegative,
                    1e-6,
                    "added inside both square roots",
                ),
                WEIGHT_DECAY,
            ],
        },
        ItemDef {
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
        ItemDef {
            name: "newton",
            summary: "θ ← θ − lr·(H + damping·I)⁻¹·g with the exact Hessian: one step to a quadratic's stationary point, minimum or saddle",
            params: &[ParamDef::num(
                "damping",
                Check::NonNegative,
                0.0,
                "Levenberg damping added to the Hessian's diagonal",
            )],
        },
    ],
};

/// An optimizer chosen at run time, with fresh state.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyOptimizer {
    Sgd(Sgd),
    Adagrad(Adagrad),
    RmsProp(RmsProp),
    Adam(Adam),
    NAdam(NAdam),
    RAdam(RAdam),
    Adadelta(Adadelta),
    Lion(Lion),
    Newton(Newton),
}

/// Runs `$body` with `$o` bound to the concrete optimizer, so the hot loop is monomorphized.
#[macro_export]
macro_rules! with_optimizer {
    ($optimizer:expr, $o:ident => $body:expr) => {
        match $optimizer {
            $crate::core::optimizer::AnyOptimizer::Sgd($o) => $body,
            $crate::core::optimizer::AnyOptimizer::Adagrad($o) => $body,
            $crate::core::optimizer::AnyOptimizer::RmsProp($o) => $body,
            $crate::core::optimizer::AnyOptimizer::Adam($o) => $body,
            $crate::core::optimizer::AnyOptimizer::NAdam($o) => $body,
            $crate::core::optimizer::AnyOptimizer::RAdam($o) => $body,
            $crate::core::optimizer::AnyOptimizer::Adadelta($o) => $body,
            $crate::core::optimizer::AnyOptimizer::Lion($o) => $body,
            $crate::core::optimizer::AnyOptimizer::Newton($o) => $body,
        }
    };
}

impl AnyOptimizer {
    /// Builds an optimizer with zeroed state from a spec such as `adam(beta1=0.8)`.
    pub fn from_spec(spec: &Spec) -> Result<Self, SpecError> {
        let a = OPTIMIZERS.resolve(spec)?;
        Ok(match a.item().name {
            "sgd" => Self::Sgd(Sgd::from_args(&a)?),
            "adagrad" => Self::Adagrad(Adagrad {
                lr_decay: a.num("lr_decay"),
                weight_decay: a.num("weight_decay"),
                eps: a.num("eps"),
                sum: [a.num("initial_accumulator_value"); 2],
                t: 0,
            }),
            "rmsprop" => Self::RmsProp(RmsProp {
                alpha: a.num("alpha"),
                eps: a.num("eps"),
                weight_decay: a.num("weight_decay"),
                momentum: a.num("momentum"),
                centered: a.flag("centered"),
                square_avg: [0.0; 2],
                grad_avg: [0.0; 2],
                buf: [0.0; 2],
            }),
            "adam" | "adamw" => Self::Adam(Adam {
                beta1: a.num("beta1"),
                beta2: a.num("beta2"),
                eps: a.num("eps"),
                weight_decay: a.num("weight_decay"),
                amsgrad: a.flag("amsgrad"),
                decoupled: a.item().name == "adamw",
                m: [0.0; 2],
                v: [0.0; 2],
                v_max: [0.0; 2],
                t: 0,
            }),
            "nadam" => Self::NAdam(NAdam {
                beta1: a.num("beta1"),
                beta2: a.num("beta2"),
                eps: a.num("eps"),
                weight_decay: a.num("weight_decay"),
                momentum_decay: a.num("momentum_decay"),
                mu_product: 1.0,
                m: [0.0; 2],
                v: [0.0; 2],
                t: 0,
            }),
            "radam" => Self::RAdam(RAdam {
                beta1: a.num("beta1"),
                beta2: a.num("beta2"),
                eps: a.num("eps"),
                weight_decay: a.num("weight_decay"),
                m: [0.0; 2],
                v: [0.0; 2],
                t: 0,
            }),
            "adadelta" => Self::Adadelta(Adadelta {
                rho: a.num("rho"),
                eps: a.num("eps"),
                weight_decay: a.num("weight_decay"),
                square_avg: [0.0; 2],
                acc_delta: [0.0; 2],
            }),
            "lion" => Self::Lion(Lion {
                beta1: a.num("beta1"),
                beta2: a.num("beta2"),
                weight_decay: a.num("weight_decay"),
                m: [0.0; 2],
            }),
            "newton" => Self::Newton(Newton {
                damping: a.num("damping"),
            }),
            other => unreachable!("optimizer '{other}' is in the registry but not built"),
        })
    }
}

impl Optimizer for AnyOptimizer {
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        surface: &S,
    ) -> Result<(), StepError> {
        with_optimizer!(self, o => o.step(theta, grad, lr, surface))
    }
}

/// `grad + weight_decay·θ`, PyTorch's coupled L2 penalty.
#[inline]
fn l2(grad: Point, theta: &Point, weight_decay: f64) -> Point {
    if weight_decay != 0.0 {
        [
            grad[0] + weight_decay * theta[0],
            grad[1] + weight_decay * theta[1],
        ]
    } else {
        grad
    }
}

/// `torch.lerp(start, end, weight)` with PyTorch's two-sided formula.
#[inline]
fn lerp(start: f64, end: f64, weight: f64) -> f64 {
    if weight < 0.5 {
        start + weight * (end - start)
    } else {
        end - (end - start) * (1.0 - weight)
    }
}

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

/// `torch.optim.Adagrad`.
#[derive(Clone, Debug, PartialEq)]
pub struct Adagrad {
    pub lr_decay: f64,
    pub weight_decay: f64,
    pub eps: f64,
    sum: Point,
    t: u64,
}

impl Optimizer for Adagrad {
    #[inline]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _: &S,
    ) -> Result<(), StepError> {
        self.t += 1;
        let g = l2(grad, theta, self.weight_decay);
        let clr = lr / (1.0 + (self.t - 1) as f64 * self.lr_decay);
        for i in 0..2 {
            self.sum[i] += g[i] * g[i];
            let std = self.sum[i].sqrt() + self.eps;
            theta[i] += -clr * (g[i] / std);
        }
        Ok(())
    }
}

/// `torch.optim.RMSprop`.
#[derive(Clone, Debug, PartialEq)]
pub struct RmsProp {
    pub alpha: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub momentum: f64,
    pub centered: bool,
    square_avg: Point,
    grad_avg: Point,
    buf: Point,
}

impl Optimizer for RmsProp {
    #[inline]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _: &S,
    ) -> Result<(), StepError> {
        let g = l2(grad, theta, self.weight_decay);
        for i in 0..2 {
            self.square_avg[i] = self.square_avg[i] * self.alpha + (1.0 - self.alpha) * g[i] * g[i];
            let avg = if self.centered {
                self.grad_avg[i] = lerp(self.grad_avg[i], g[i], 1.0 - self.alpha);
                (self.square_avg[i] - self.grad_avg[i] * self.grad_avg[i]).sqrt() + self.eps
            } else {
                self.square_avg[i].sqrt() + self.eps
            };
            if self.momentum > 0.0 {
                self.buf[i] = self.buf[i] * self.momentum + g[i] / avg;
                theta[i] += -lr * self.buf[i];
            } else {
                theta[i] += -lr * (g[i] / avg);
            }
        }
        Ok(())
    }
}

/// `torch.optim.Adam` and, with `decoupled`, `torch.optim.AdamW`.
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub amsgrad: bool,
    pub decoupled: bool,
    m: Point,
    v: Point,
    v_max: Point,
    t: u64,
}

impl Optimizer for Adam {
    #[inline]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _: &S,
    ) -> Result<(), StepError> {
        self.t += 1;
        let g = if self.decoupled {
            for th in theta.iter_mut() {
                *th *= 1.0 - lr * self.weight_decay;
            }
            grad
        } else {
            l2(grad, theta, self.weight_decay)
        };
        let t = self.t as f64;
        let bias_correction1 = 1.0 - self.beta1.powf(t);
        let bias_correction2 = 1.0 - self.beta2.powf(t);
        let step_size = lr / bias_correction1;
        let bias_correction2_sqrt = bias_correction2.sqrt();
        for i in 0..2 {
            self.m[i] = lerp(self.m[i], g[i], 1.0 - self.beta1);
            self.v[i] = self.v[i] * self.beta2 + (1.0 - self.beta2) * g[i] * g[i];
            let v = if self.amsgrad {
                self.v_max[i] = self.v_max[i].max(self.v[i]);
                self.v_max[i]
            } else {
                self.v[i]
            };
            let denom = v.sqrt() / bias_correction2_sqrt + self.eps;
            theta[i] += -step_size * (self.m[i] / denom);
        }
        Ok(())
    }
}

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
}

/// `torch.optim.RAdam` (coupled weight decay).
#[derive(Clone, Debug, PartialEq)]
pub struct RAdam {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    m: Point,
    v: Point,
    t: u64,
}

impl Optimizer for RAdam {
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
        let g = l2(grad, theta, self.weight_decay);
        let bias_correction1 = 1.0 - self.beta1.powf(t);
        let bias_correction2 = 1.0 - self.beta2.powf(t);
        // Length of the approximated simple moving average; the adaptive step is used only once
        // it exceeds 5, when the variance of the adaptive learning rate is tractable.
        let rho_inf = 2.0 / (1.0 - self.beta2) - 1.0;
        let rho_t = rho_inf - 2.0 * t * self.beta2.powf(t) / bias_correction2;
        let rect = ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
            / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
            .sqrt();
        for i in 0..2 {
            self.m[i] = lerp(self.m[i], g[i], 1.0 - self.beta1);
            self.v[i] = self.v[i] * self.beta2 + (1.0 - self.beta2) * g[i] * g[i];
            let m_hat = self.m[i] / bias_correction1;
            if rho_t > 5.0 {
                let adaptive = bias_correction2.sqrt() / (self.v[i].sqrt() + self.eps);
                theta[i] += -(m_hat * lr * adaptive * rect);
            } else {
                theta[i] += -(m_hat * lr);
            }
        }
        Ok(())
    }
}

/// `torch.optim.Adadelta`; `lr` scales the step (PyTorch's default lr is 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Adadelta {
    pub rho: f64,
    pub eps: f64,
    pub weight_decay: f64,
    square_avg: Point,
    acc_delta: Point,
}

impl Optimizer for Adadelta {
    #[inline]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _: &S,
    ) -> Result<(), StepError> {
        let g = l2(grad, theta, self.weight_decay);
        for i in 0..2 {
            self.square_avg[i] = self.square_avg[i] * self.rho + (1.0 - self.rho) * g[i] * g[i];
            let std = (self.square_avg[i] + self.eps).sqrt();
            let delta = (self.acc_delta[i] + self.eps).sqrt() / std * g[i];
            self.acc_delta[i] = self.acc_delta[i] * self.rho + (1.0 - self.rho) * delta * delta;
            theta[i] += -lr * delta;
        }
        Ok(())
    }
}

/// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): the sign of an
/// interpolation of momentum and gradient, with decoupled weight decay.
#[derive(Clone, Debug, PartialEq)]
pub struct Lion {
    pub beta1: f64,
    pub beta2: f64,
    pub weight_decay: f64,
    m: Point,
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
    #[inline]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        _: &S,
    ) -> Result<(), StepError> {
        for i in 0..2 {
            theta[i] *= 1.0 - lr * self.weight_decay;
            let c = self.m[i] * self.beta1 + (1.0 - self.beta1) * grad[i];
            theta[i] += -lr * sign(c);
            self.m[i] = self.m[i] * self.beta2 + (1.0 - self.beta2) * grad[i];
        }
        Ok(())
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::parse_spec;
    use crate::core::surface::Quadratic;

    fn opt(text: &str) -> AnyOptimizer {
        AnyOptimizer::from_spec(&parse_spec(text).unwrap()).unwrap()
    }

    #[test]
    fn every_registered_optimizer_builds_with_defaults() {
        for item in OPTIMIZERS.items {
            AnyOptimizer::from_spec(&item.example_spec()).unwrap();
        }
    }

    #[test]
    fn first_adam_step_moves_each_coordinate_by_lr() {
        // With bias correction, m_hat = g and v_hat = g² at t = 1, so the step is lr·g/(|g| + eps).
        let mut o = opt("adam");
        let mut theta = [1.0, -2.0];
        let q = Quadratic::new(1.0, 1.0, 0.0);
        o.step(&mut theta, [3.0, -0.5], 0.1, &q).unwrap();
        assert!((theta[0] - (1.0 - 0.1 * 3.0 / (3.0 + 1e-8))).abs() < 1e-15);
        assert!((theta[1] - (-2.0 + 0.1 * 0.5 / (0.5 + 1e-8))).abs() < 1e-15);
    }

    #[test]
    fn lion_sign_of_zero_is_zero() {
        let mut o = opt("lion");
        let mut theta = [1.0, 1.0];
        let q = Quadratic::new(1.0, 1.0, 0.0);
        o.step(&mut theta, [0.0, 2.0], 0.1, &q).unwrap();
        assert_eq!(theta, [1.0, 0.9]);
    }

    #[test]
    fn newton_solves_a_quadratic_in_one_step_and_reports_singular_systems() {
        let q = Quadratic::new(2.0, 20.0, 30.0);
        let mut theta = [3.0, -1.0];
        let g = q.gradient(theta);
        opt("newton").step(&mut theta, g, 1.0, &q).unwrap();
        assert!(
            theta[0].abs() < 1e-14 && theta[1].abs() < 1e-14,
            "{theta:?}"
        );

        let flat = Quadratic::new(1.0, 0.0, 0.0);
        let mut theta = [1.0, 1.0];
        let g = flat.gradient(theta);
        assert_eq!(
            opt("newton").step(&mut theta, g, 1.0, &flat),
            Err(StepError::SingularHessian)
        );
        // Damping makes the same system solvable.
        assert!(
            opt("newton(damping=0.5)")
                .step(&mut theta, g, 1.0, &flat)
                .is_ok()
        );
    }

    #[test]
    fn invalid_combinations_are_reported() {
        let err = AnyOptimizer::from_spec(&parse_spec("sgd(nesterov=true)").unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("nesterov=true needs momentum > 0"),
            "{err}"
        );
        let err = AnyOptimizer::from_spec(&parse_spec("adam(beta1=1)").unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("'beta1' of optimizer 'adam'"),
            "{err}"
        );
    }
}

/// A named quantity of an optimizer's state after an update, per coordinate, for the explain
/// panel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Term {
    pub name: &'static str,
    pub value: Point,
}

impl AnyOptimizer {
    /// The update rule in PyTorch's formulation, one equation a line (g is the gradient the
    /// optimizer sees, with L2 weight decay added where the optimizer couples it).
    pub fn rule(&self) -> &'static [&'static str] {
        match self {
            Self::Sgd(s) if s.momentum == 0.0 => &["θ ← θ − lr·g"],
            Self::Sgd(s) if s.nesterov => &["b ← μ·b + (1 − τ)·g", "θ ← θ − lr·(g + μ·b)"],
            Self::Sgd(_) => &["b ← μ·b + (1 − τ)·g", "θ ← θ − lr·b"],
            Self::Adagrad(_) => &[
                "Σ ← Σ + g²",
                "lr' = lr / (1 + (t − 1)·lr_decay)",
                "θ ← θ − lr'·g / (√Σ + eps)",
            ],
            Self::RmsProp(r) if r.centered => &[
                "v ← α·v + (1 − α)·g²",
                "a ← α·a + (1 − α)·g",
                "θ ← θ − lr·g / (√(v − a²) + eps)   (with momentum: b ← μ·b + that, θ ← θ − lr·b)",
            ],
            Self::RmsProp(_) => &[
                "v ← α·v + (1 − α)·g²",
                "θ ← θ − lr·g / (√v + eps)   (with momentum: b ← μ·b + that, θ ← θ − lr·b)",
            ],
            Self::Adam(a) if a.decoupled => &[
                "θ ← θ·(1 − lr·wd)",
                "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
                "m_hat = m/(1 − β1^t),   v_hat = v/(1 − β2^t)",
                "θ ← θ − lr·m_hat / (√v_hat + eps)",
            ],
            Self::Adam(_) => &[
                "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
                "m_hat = m/(1 − β1^t),   v_hat = v/(1 − β2^t)",
                "θ ← θ − lr·m_hat / (√v_hat + eps)",
            ],
            Self::NAdam(_) => &[
                "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
                "μ_t = β1·(1 − ½·0.96^(t·ψ))",
                "θ ← θ − lr·[(1 − μ_t)·g/(1 − Πμ) + μ_{t+1}·m/(1 − Πμ·μ_{t+1})] / (√v_hat + eps)",
            ],
            Self::RAdam(_) => &[
                "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
                "ρ_t = ρ∞ − 2t·β2^t/(1 − β2^t)",
                "θ ← θ − lr·m_hat·r_t·√(1 − β2^t)/(√v + eps) if ρ_t > 5, else θ − lr·m_hat",
            ],
            Self::Adadelta(_) => &[
                "v ← ρ·v + (1 − ρ)·g²",
                "Δ = √(u + eps)/√(v + eps)·g,   u ← ρ·u + (1 − ρ)·Δ²",
                "θ ← θ − lr·Δ",
            ],
            Self::Lion(_) => &[
                "θ ← θ·(1 − lr·wd)",
                "θ ← θ − lr·sign(β1·m + (1 − β1)·g)",
                "m ← β2·m + (1 − β2)·g",
            ],
            Self::Newton(_) => &["θ ← θ − lr·(H + damping·I)⁻¹·g"],
        }
    }

    /// The optimizer's state after its latest update: moments, accumulators, bias corrections.
    pub fn terms(&self) -> Vec<Term> {
        let term = |name, value| Term { name, value };
        let both = |x: f64| [x, x];
        match self {
            Self::Sgd(s) => s
                .buf
                .map(|b| vec![term("b (momentum buffer)", b)])
                .unwrap_or_default(),
            Self::Adagrad(a) => vec![term("Σ (sum of g²)", a.sum)],
            Self::RmsProp(r) => {
                let mut t = vec![term("v (average of g²)", r.square_avg)];
                if r.centered {
                    t.push(term("a (average of g)", r.grad_avg));
                }
                if r.momentum > 0.0 {
                    t.push(term("b (momentum buffer)", r.buf));
                }
                t
            }
            Self::Adam(a) => {
                let t = a.t as i32;
                let (c1, c2) = (1.0 - a.beta1.powi(t), 1.0 - a.beta2.powi(t));
                let mut terms = vec![
                    term("m (first moment)", a.m),
                    term("v (second moment)", a.v),
                ];
                if t > 0 {
                    terms.push(term("m_hat = m/(1 − β1^t)", a.m.map(|m| m / c1)));
                    terms.push(term("v_hat = v/(1 − β2^t)", a.v.map(|v| v / c2)));
                }
                if a.amsgrad {
                    terms.push(term("max v (AMSGrad)", a.v_max));
                }
                terms.push(term("t", both(a.t as f64)));
                terms
            }
            Self::NAdam(n) => vec![
                term("m (first moment)", n.m),
                term("v (second moment)", n.v),
                term("Πμ (momentum product)", both(n.mu_product)),
                term("t", both(n.t as f64)),
            ],
            Self::RAdam(r) => vec![
                term("m (first moment)", r.m),
                term("v (second moment)", r.v),
                term("t", both(r.t as f64)),
            ],
            Self::Adadelta(a) => vec![
                term("v (average of g²)", a.square_avg),
                term("u (average of Δ²)", a.acc_delta),
            ],
            Self::Lion(l) => vec![term("m (momentum)", l.m)],
            Self::Newton(_) => Vec::new(),
        }
    }
}
