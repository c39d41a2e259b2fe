//! Why a run diverges: the curvature of the surface at a point and the classical learning-rate
//! limits of gradient descent and momentum it implies.
//!
//! For a quadratic with Hessian eigenvalues λ the iterations are linear and the limits are exact:
//! gradient descent multiplies the component along λ by (1 − lr·λ) each step, so it is stable
//! exactly for lr < 2/λmax; heavy-ball momentum β has the characteristic polynomial
//! z² − (1 + β − lr·λ)·z + β, whose root crosses −1 at lr = 2(1 + β)/λmax; Nesterov's
//! z² − (1 + β)(1 − lr·λ)·z + β(1 − lr·λ) crosses −1 at lr = (2 + 2β)/((1 + 2β)·λmax).
//! Elsewhere they are the limits of the local quadratic model.

pub mod theory;

use crate::core::math::{Point, View, sym_eigen2};
use crate::core::optimizer::AnyOptimizer;
use crate::core::surface::{AnySurface, Surface};

/// The Hessian's eigen-decomposition at a point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curvature {
    /// Eigenvalues in ascending order.
    pub eigenvalues: [f64; 2],
    /// Unit eigenvectors, in the order of `eigenvalues`.
    pub directions: [Point; 2],
}

/// Which classical limit applies to an optimizer, for labels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LimitKind {
    /// Plain gradient descent: 2/λmax.
    GradientDescent,
    /// Heavy-ball momentum β (PyTorch's SGD momentum): 2(1 + β)/((1 − dampening)·λmax).
    HeavyBall { momentum: f64 },
    /// Nesterov momentum β: (2 + 2β)/((1 + 2β)·λmax).
    Nesterov { momentum: f64 },
}

impl LimitKind {
    /// The formula, for the window and the CLI.
    pub fn formula(&self) -> String {
        match self {
            Self::GradientDescent => "2/λmax".to_owned(),
            Self::HeavyBall { momentum } => format!("2(1+β)/λmax, β = {momentum}"),
            Self::Nesterov { momentum } => format!("(2+2β)/((1+2β)λmax), β = {momentum}"),
        }
    }
}

impl Curvature {
    /// The curvature of `surface` at `p`; `None` where the Hessian is not finite.
    pub fn at(surface: &AnySurface, p: Point) -> Option<Self> {
        let (eigenvalues, directions) = sym_eigen2(surface.hessian(p));
        (eigenvalues[0].is_finite() && eigenvalues[1].is_finite()).then_some(Self {
            eigenvalues,
            directions,
        })
    }

    pub fn lambda_max(&self) -> f64 {
        self.eigenvalues[1]
    }

    /// λmax/λmin where both are positive: how much faster the steep direction is than the flat one.
    pub fn condition_number(&self) -> Option<f64> {
        let [lo, hi] = self.eigenvalues;
        (lo > 0.0).then(|| hi / lo)
    }

    /// The stable range of plain gradient descent: lr < 2/λmax (none without positive curvature).
    pub fn gd_limit(&self) -> Option<f64> {
        limit(2.0, self.lambda_max())
    }

    /// Heavy-ball momentum β with PyTorch's dampening τ: lr < 2(1 + β)/((1 − τ)·λmax).
    pub fn heavy_ball_limit(&self, momentum: f64, dampening: f64) -> Option<f64> {
        if !(0.0..1.0).contains(&momentum) || dampening >= 1.0 {
            return None;
        }
        limit(
            2.0 * (1.0 + momentum),
            (1.0 - dampening) * self.lambda_max(),
        )
    }

    /// Nesterov momentum β: lr < (2 + 2β)/((1 + 2β)·λmax).
    pub fn nesterov_limit(&self, momentum: f64) -> Option<f64> {
        if !(0.0..1.0).contains(&momentum) {
            return None;
        }
        limit(
            2.0 + 2.0 * momentum,
            (1.0 + 2.0 * momentum) * self.lambda_max(),
        )
    }

    /// The classical limit for `optimizer`, with weight decay added to the curvature as the
    /// gradient sees it. Adaptive methods rescale the step by the gradient history, so no
    /// fixed-lr limit applies to them (`None`).
    pub fn limit_for(&self, optimizer: &AnyOptimizer) -> Option<(f64, LimitKind)> {
        let sgd = MomentumRule::of(optimizer)?;
        let shifted = Self {
            eigenvalues: self.eigenvalues.map(|l| l + sgd.weight_decay),
            directions: self.directions,
        };
        if sgd.momentum == 0.0 {
            // Without momentum PyTorch's dampening has no effect.
            let lr = shifted.gd_limit()?;
            return Some((lr, LimitKind::GradientDescent));
        }
        if sgd.kind == RuleKind::Nesterov {
            let lr = shifted.nesterov_limit(sgd.momentum)?;
            Some((
                lr,
                LimitKind::Nesterov {
                    momentum: sgd.momentum,
                },
            ))
        } else {
            let lr = shifted.heavy_ball_limit(sgd.momentum, sgd.dampening)?;
            Some((
                lr,
                LimitKind::HeavyBall {
                    momentum: sgd.momentum,
                },
            ))
        }
    }
}

fn limit(numerator: f64, denominator: f64) -> Option<f64> {
    let lr = numerator / denominator;
    (denominator > 0.0 && lr.is_finite()).then_some(lr)
}

/// Which linear iteration an SGD-family optimizer is on a quadratic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RuleKind {
    Gd,
    HeavyBall,
    Nesterov,
}

/// An SGD-family optimizer reduced to what its rate depends on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MomentumRule {
    pub kind: RuleKind,
    pub momentum: f64,
    pub dampening: f64,
    pub weight_decay: f64,
}

impl MomentumRule {
    /// The rule of `optimizer` if it is PyTorch's or Keras's SGD (with or without momentum);
    /// adaptive methods have no fixed linear iteration (`None`). At a constant rate Keras's
    /// velocity is −lr times torch's buffer, the same iteration; its decoupled weight decay
    /// is the L2 term only without momentum (`None` otherwise).
    pub fn of(optimizer: &AnyOptimizer) -> Option<Self> {
        let (momentum, nesterov, dampening, weight_decay) = match optimizer {
            AnyOptimizer::Sgd(o) => (o.momentum, o.nesterov, o.dampening, o.weight_decay),
            AnyOptimizer::Keras(crate::core::optimizer::KerasOptimizer::Sgd(o))
                if o.momentum == 0.0 || o.weight_decay == 0.0 =>
            {
                (o.momentum, o.nesterov, 0.0, o.weight_decay)
            }
            _ => return None,
        };
        let kind = if momentum == 0.0 {
            RuleKind::Gd
        } else if nesterov {
            RuleKind::Nesterov
        } else {
            RuleKind::HeavyBall
        };
        Some(Self {
            kind,
            momentum,
            dampening,
            weight_decay,
        })
    }
}

impl MomentumRule {
    /// The largest sharpness λmax(H) this rule is stable at with step `lr`: 2/lr for GD,
    /// 2(1 + β)/((1 − τ)·lr) for heavy ball, (2 + 2β)/((1 + 2β)·lr) for Nesterov, less the
    /// weight decay (which adds to the curvature the gradient sees).
    pub fn sharpness_threshold(&self, lr: f64) -> f64 {
        let b = self.momentum;
        let c = match self.kind {
            RuleKind::Gd => 2.0,
            RuleKind::HeavyBall => 2.0 * (1.0 + b) / (1.0 - self.dampening),
            RuleKind::Nesterov => (2.0 + 2.0 * b) / (1.0 + 2.0 * b),
        };
        c / lr - self.weight_decay
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_spec;

    fn quadratic(text: &str) -> AnySurface {
        AnySurface::from_spec(&parse_spec(text).unwrap()).unwrap()
    }

    #[test]
    fn the_lecture_numbers_on_the_ill_conditioned_bowl() {
        let c = Curvature::at(&quadratic("quadratic(a=1,b=10)"), [0.3, -2.0]).unwrap();
        assert_eq!(c.eigenvalues, [1.0, 10.0]);
        assert_eq!(c.condition_number(), Some(10.0));
        assert_eq!(c.gd_limit(), Some(0.2));
        assert_eq!(c.heavy_ball_limit(0.9, 0.0), Some(0.38));
        // (2 + 1.8)/((1 + 1.8)·10) = 3.8/28
        assert_eq!(c.nesterov_limit(0.9), Some(3.8 / 28.0));
    }

    #[test]
    fn no_limit_without_positive_curvature() {
        let c = Curvature::at(&quadratic("quadratic(a=-1,b=-2)"), [0.0, 0.0]).unwrap();
        assert_eq!(c.gd_limit(), None);
        assert_eq!(c.condition_number(), None);
        let saddle = Curvature::at(&quadratic("saddle"), [0.0, 0.0]).unwrap();
        assert_eq!(saddle.condition_number(), None);
        assert_eq!(saddle.gd_limit(), Some(2.0));
    }
}

/// One arrow of a gradient field: from `origin` towards −∇f, all of one length, with the
/// gradient's size as `strength` in [0, 1] (log-scaled against the largest in view).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arrow {
    pub origin: Point,
    pub tip: Point,
    pub strength: f64,
}

/// Arrows of −∇f on a grid of about `per_side` cells across the shorter side of `view`: where
/// plain gradient descent would push from each point. Equal lengths show the direction in
/// steep and flat regions alike; the strength tells them apart.
pub fn gradient_field(surface: &AnySurface, view: View, per_side: usize) -> Vec<Arrow> {
    let (w, h) = (view.x_max - view.x_min, view.y_max - view.y_min);
    let cell = w.min(h) / per_side.max(1) as f64;
    let nx = (w / cell).round().max(1.0) as usize;
    let ny = (h / cell).round().max(1.0) as usize;
    let mut arrows: Vec<(Arrow, f64)> = Vec::with_capacity(nx * ny);
    for i in 0..nx {
        for j in 0..ny {
            let p = [
                view.x_min + (i as f64 + 0.5) * w / nx as f64,
                view.y_min + (j as f64 + 0.5) * h / ny as f64,
            ];
            let g = surface.gradient(p);
            let norm = g[0].hypot(g[1]);
            if !(norm.is_finite() && norm > 0.0) {
                continue;
            }
            let len = 0.42 * cell;
            let tip = [p[0] - g[0] / norm * len, p[1] - g[1] / norm * len];
            let arrow = Arrow {
                origin: p,
                tip,
                strength: 0.0,
            };
            arrows.push((arrow, norm.ln_1p()));
        }
    }
    let max = arrows.iter().map(|a| a.1).fold(0.0, f64::max);
    arrows
        .into_iter()
        .map(|(a, s)| Arrow {
            strength: if max > 0.0 { s / max } else { 1.0 },
            ..a
        })
        .collect()
}
