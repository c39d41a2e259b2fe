//! Closed-form convergence of gradient descent and momentum on a quadratic (or the local
//! quadratic at a point): the per-direction factor each step multiplies the error by, the
//! optimal learning rate and momentum, and the rates they give (Polyak 1964; Goh, "Why
//! Momentum Really Works", Distill 2017).
//!
//! Along a Hessian eigen-direction with eigenvalue λ and h = lr·λ, the error e_k evolves as
//! - gradient descent: e_{k+1} = (1 − h)·e_k, factor |1 − h|;
//! - heavy ball (PyTorch's SGD momentum β, dampening τ): the roots of
//!   z² − (1 + β − (1 − τ)h)·z + β;
//! - Nesterov (PyTorch's form): the roots of z² − (1 + β)(1 − h)·z + β(1 − h);
//!
//! and the rate is the largest root's modulus: the error shrinks by that factor per step in
//! the long run (below 1 converges, above 1 diverges).

use crate::core::analysis::Curvature;
use crate::core::math::{Point, sym_eigen2};
use crate::core::optimizer::{AnyOptimizer, KerasOptimizer};
use crate::core::surface::{AnySurface, CriticalKind};

/// The convergence factor per step along one eigen-direction: the spectral radius of the
/// iteration (see the module's formulas). `weight_decay` adds to the curvature as the
/// gradient sees it.
pub fn direction_rate(rule: MomentumRule, lr: f64, lambda: f64) -> f64 {
    let h = lr * (lambda + rule.weight_decay);
    match rule.kind {
        RuleKind::Gd => (1.0 - h).abs(),
        RuleKind::HeavyBall => {
            let b = rule.momentum;
            spectral_radius(1.0 + b - (1.0 - rule.dampening) * h, b)
        }
        RuleKind::Nesterov => {
            let b = rule.momentum;
            spectral_radius((1.0 + b) * (1.0 - h), b * (1.0 - h))
        }
    }
}

/// The largest modulus of the roots of z² − p·z + q.
fn spectral_radius(p: f64, q: f64) -> f64 {
    let disc = p * p - 4.0 * q;
    if disc >= 0.0 {
        let s = disc.sqrt();
        ((p + s) / 2.0).abs().max(((p - s) / 2.0).abs())
    } else {
        // Complex pair: |z|² = q.
        q.abs().sqrt()
    }
}

pub use crate::core::analysis::{MomentumRule, RuleKind};

/// Which sharpness a run is stable against, and its threshold at a learning rate: the
/// plain sharpness λmax(H) for the SGD family, the preconditioned λmax(P⁻¹H) for adaptive
/// methods (Cohen et al. 2022, "Adaptive gradient methods at the edge of stability").
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SharpnessTest {
    Plain(MomentumRule),
    /// Threshold `coefficient`/lr on the preconditioned sharpness: (2 + 2β1)/(1 − β1) for the
    /// Adam family (38 at β1 = 0.9), 2(1 + μ) for RMSprop with momentum μ, 2 for AdaGrad.
    Preconditioned {
        coefficient: f64,
    },
}

impl SharpnessTest {
    /// The test that applies to `optimizer`; `None` for those without one (Newton, Lion,
    /// Adadelta, the flows).
    pub fn of(optimizer: &AnyOptimizer) -> Option<Self> {
        let adam = |b1: f64| (2.0 + 2.0 * b1) / (1.0 - b1);
        let coefficient = match optimizer {
            AnyOptimizer::Sgd(_) | AnyOptimizer::Keras(KerasOptimizer::Sgd(_)) => {
                return MomentumRule::of(optimizer).map(Self::Plain);
            }
            AnyOptimizer::Adam(o) => adam(o.beta1),
            AnyOptimizer::NAdam(o) => adam(o.beta1),
            AnyOptimizer::RAdam(o) => adam(o.beta1),
            AnyOptimizer::Keras(KerasOptimizer::Adam(o)) => adam(o.beta_1),
            AnyOptimizer::Keras(KerasOptimizer::Nadam(o)) => adam(o.beta_1),
            AnyOptimizer::RmsProp(o) => 2.0 * (1.0 + o.momentum),
            AnyOptimizer::Keras(KerasOptimizer::RmsProp(o)) => 2.0 * (1.0 + o.momentum),
            AnyOptimizer::Adagrad(_) | AnyOptimizer::Keras(KerasOptimizer::Adagrad(_)) => 2.0,
            _ => return None,
        };
        Some(Self::Preconditioned { coefficient })
    }

    /// The test of the optimizer a spec names (`None` for an unknown one).
    pub fn of_spec(spec: &crate::core::spec::Spec) -> Option<Self> {
        Self::of(&AnyOptimizer::from_spec(spec).ok()?)
    }

    /// The largest (preconditioned) sharpness the optimizer is stable at with step `lr`.
    pub fn threshold(&self, lr: f64) -> f64 {
        match self {
            Self::Plain(rule) => rule.sharpness_threshold(lr),
            Self::Preconditioned { coefficient } => coefficient / lr,
        }
    }

    pub fn is_preconditioned(&self) -> bool {
        matches!(self, Self::Preconditioned { .. })
    }
}

/// λmax(P⁻¹H) for a diagonal P > 0: the eigenvalues of the symmetric P^(−1/2)·H·P^(−1/2).
pub fn preconditioned_sharpness(h: [[f64; 2]; 2], p: Option<Point>) -> f64 {
    let [p0, p1] = p.unwrap_or([1.0, 1.0]);
    let off = 0.5 * (h[0][1] + h[1][0]) / (p0 * p1).sqrt();
    sym_eigen2([[h[0][0] / p0, off], [off, h[1][1] / p1]]).0[1]
}

/// β2 of an Adam-family optimizer (Adam, AdamW, NAdam, RAdam, and Keras's): what its warmup and RAdam's
/// rectification depend on.
pub fn second_moment_decay(optimizer: &AnyOptimizer) -> Option<f64> {
    match optimizer {
        AnyOptimizer::Adam(o) => Some(o.beta2),
        AnyOptimizer::NAdam(o) => Some(o.beta2),
        AnyOptimizer::RAdam(o) => Some(o.beta2),
        AnyOptimizer::Keras(KerasOptimizer::Adam(o)) => Some(o.beta_2),
        AnyOptimizer::Keras(KerasOptimizer::Nadam(o)) => Some(o.beta_2),
        _ => None,
    }
}

/// The rule of thumb for an untuned linear warmup of Adam: 2/(1 − β2) steps, about as long
/// as RAdam's rectification takes to approach 1 (Ma & Yarats 2021).
pub fn warmup_rule_of_thumb(beta2: f64) -> f64 {
    2.0 / (1.0 - beta2)
}

/// The stationary variance of SGD's iterates along an eigen-direction of curvature λ under
/// gradient noise of variance σ² per coordinate averaged over batches of `batch`:
/// lr·σ²/(B·λ·(2 − lr·λ)) (the AR(1) process e ← (1 − lr·λ)e − lr·ξ). `None` where there is no
/// stationary spread (λ ≤ 0 or lr·λ ≥ 2).
pub fn stationary_variance(lr: f64, sigma: f64, batch: f64, lambda: f64) -> Option<f64> {
    let h = lr * lambda;
    (lambda > 0.0 && h > 0.0 && h < 2.0).then(|| lr * sigma * sigma / (batch * lambda * (2.0 - h)))
}

/// The eigen-frame of a run: the point it converges to and the Hessian's eigenvectors there,
/// so its error θ_k − θ* splits into a slow and a fast component.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EigenFrame {
    pub center: Point,
    pub curvature: Curvature,
}

impl EigenFrame {
    /// The frame of a path on `surface`: centred on the known minimum nearest to its last
    /// finite point (or that point itself when the surface lists none).
    pub fn of_path(surface: &AnySurface, points: &[Point]) -> Option<Self> {
        let last = *points
            .iter()
            .rev()
            .find(|p| p[0].is_finite() && p[1].is_finite())?;
        let dist = |p: Point| (p[0] - last[0]).hypot(p[1] - last[1]);
        let center = surface
            .critical_points()
            .into_iter()
            .filter(|c| c.kind == CriticalKind::Minimum)
            .map(|c| c.point)
            .min_by(|a, b| dist(*a).total_cmp(&dist(*b)))
            .unwrap_or(last);
        Some(Self {
            center,
            curvature: Curvature::at(surface, center)?,
        })
    }

    /// ⟨θ − θ*, u_i⟩ for the slow (i = 0, smallest eigenvalue) and fast (i = 1) direction.
    pub fn components(&self, p: Point) -> [f64; 2] {
        let d = [p[0] - self.center[0], p[1] - self.center[1]];
        self.curvature.directions.map(|u| d[0] * u[0] + d[1] * u[1])
    }
}

/// What a run's theory predicts on the surface itself: the cloud its noisy iterates settle
/// into, or the box Lion's decoupled weight decay confines it to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Region {
    /// Plain SGD with gradient noise σ per coordinate around the minimum of `frame`: per
    /// eigen-direction the variance [`stationary_variance`]; drawn at two standard deviations.
    Spread { frame: EigenFrame, sigma: f64 },
    /// Lion with weight decay λ ends inside ‖θ‖∞ ≤ 1/λ, on its boundary when the unconstrained
    /// minimum lies outside (Chen et al. 2024).
    LionBox { half: f64 },
}

impl Region {
    /// The region of a run: Lion with weight decay, or plain gradient descent (no momentum,
    /// no weight decay) with gradient noise around a minimum.
    pub fn of(optimizer: &AnyOptimizer, noise: f64, frame: Option<EigenFrame>) -> Option<Self> {
        if let AnyOptimizer::Lion(lion) = optimizer {
            return (lion.weight_decay > 0.0).then(|| Self::LionBox {
                half: 1.0 / lion.weight_decay,
            });
        }
        let plain = MomentumRule::of(optimizer)
            .is_some_and(|r| r.kind == RuleKind::Gd && r.weight_decay == 0.0);
        let frame = frame.filter(|f| f.curvature.eigenvalues[0] > 0.0)?;
        (plain && noise > 0.0).then_some(Self::Spread {
            frame,
            sigma: noise,
        })
    }

    /// The region's outline at learning rate `lr` as a closed polyline (`None`: no stationary
    /// spread at this lr), with its legend text.
    pub fn outline(&self, lr: f64) -> Option<(Vec<Point>, String)> {
        match *self {
            Self::Spread { frame, sigma } => {
                let [l0, l1] = frame.curvature.eigenvalues;
                let a = 2.0 * stationary_variance(lr, sigma, 1.0, l0)?.sqrt();
                let b = 2.0 * stationary_variance(lr, sigma, 1.0, l1)?.sqrt();
                let [u, v] = frame.curvature.directions;
                let c = frame.center;
                let points = (0..=96)
                    .map(|k| {
                        let t = k as f64 / 96.0 * std::f64::consts::TAU;
                        let (s, co) = t.sin_cos();
                        [
                            c[0] + a * co * u[0] + b * s * v[0],
                            c[1] + a * co * u[1] + b * s * v[1],
                        ]
                    })
                    .collect();
                let temperature = crate::core::math::round_sig(lr * sigma * sigma, 3);
                Some((
                    points,
                    format!(
                        "2-std spread, lr·σ² = {}",
                        crate::core::spec::fmt_num(temperature)
                    ),
                ))
            }
            Self::LionBox { half } => {
                // Each side in ten pieces, so a dashed drawing has dashes on every side.
                let corners = [[-half, -half], [half, -half], [half, half], [-half, half]];
                let mut points = Vec::with_capacity(41);
                for k in 0..4 {
                    let (p, q) = (corners[k], corners[(k + 1) % 4]);
                    for j in 0..10 {
                        let t = j as f64 / 10.0;
                        points.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
                    }
                }
                points.push(corners[0]);
                let h = crate::core::spec::fmt_num(crate::core::math::round_sig(half, 3));
                Some((points, format!("Lion's box |x|, |y| ≤ 1/wd = {h}")))
            }
        }
    }
}

/// What the closed forms say about a quadratic with the eigenvalues of `curvature`; each
/// item is `None` where it does not apply (no positive curvature, an indefinite Hessian).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuadraticTheory {
    pub lambda_min: f64,
    pub lambda_max: f64,
    /// λmax/λmin, for λmin > 0.
    pub kappa: Option<f64>,
    /// Gradient descent is stable for lr < 2/λmax.
    pub gd_limit: Option<f64>,
    /// 2/(λmin + λmax), the lr that balances the slowest and the fastest direction.
    pub gd_lr_opt: Option<f64>,
    /// (κ − 1)/(κ + 1).
    pub gd_rate_opt: Option<f64>,
    /// Polyak's heavy ball: lr = (2/(√λmin + √λmax))², β = ((√κ − 1)/(√κ + 1))², rate
    /// (√κ − 1)/(√κ + 1).
    pub hb_lr_opt: Option<f64>,
    pub hb_momentum_opt: Option<f64>,
    pub hb_rate_opt: Option<f64>,
}

impl QuadraticTheory {
    pub fn new(curvature: &Curvature) -> Self {
        let [lo, hi] = curvature.eigenvalues;
        let convex = lo > 0.0 && hi.is_finite();
        let kappa = convex.then(|| hi / lo);
        let (sqrt_lo, sqrt_hi) = (lo.max(0.0).sqrt(), hi.max(0.0).sqrt());
        let root_kappa = kappa.map(f64::sqrt);
        Self {
            lambda_min: lo,
            lambda_max: hi,
            kappa,
            gd_limit: curvature.gd_limit(),
            gd_lr_opt: convex.then(|| 2.0 / (lo + hi)),
            gd_rate_opt: kappa.map(|k| (k - 1.0) / (k + 1.0)),
            hb_lr_opt: convex.then(|| (2.0 / (sqrt_lo + sqrt_hi)).powi(2)),
            hb_momentum_opt: root_kappa.map(|r| ((r - 1.0) / (r + 1.0)).powi(2)),
            hb_rate_opt: root_kappa.map(|r| (r - 1.0) / (r + 1.0)),
        }
    }

    /// The rate of `rule` at `lr`: the slowest direction's factor.
    pub fn rate(&self, rule: MomentumRule, lr: f64) -> f64 {
        direction_rate(rule, lr, self.lambda_min).max(direction_rate(rule, lr, self.lambda_max))
    }

    /// The momentum that damps the direction of eigenvalue λ critically at `lr` (the two
    /// roots of heavy ball's polynomial meet): β = (1 − √(lr·λ))².
    pub fn critical_damping(lr: f64, lambda: f64) -> Option<f64> {
        let h = lr * lambda;
        (0.0..=1.0).contains(&h).then(|| (1.0 - h.sqrt()).powi(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: RuleKind, momentum: f64) -> MomentumRule {
        MomentumRule {
            kind,
            momentum,
            dampening: 0.0,
            weight_decay: 0.0,
        }
    }

    /// The error of the linear iteration itself, run for many steps: its per-step decay
    /// must approach the closed-form rate. The state is rescaled as it goes (the scale kept as
    /// a logarithm), so fast rates do not underflow.
    fn simulated_rate(r: MomentumRule, lr: f64, lambda: f64) -> f64 {
        let (mut x, mut v) = (1.0_f64, 0.0_f64);
        let mut log_scale = 0.0;
        let log_norm_at =
            |x: f64, v: f64, log_scale: f64| (x.abs() + lr * v.abs()).ln() + log_scale;
        let mut at_half = 0.0;
        for k in 0..4000 {
            let g = (lambda + r.weight_decay) * x;
            match r.kind {
                RuleKind::Gd => x -= lr * g,
                RuleKind::HeavyBall => {
                    v = if k == 0 {
                        g
                    } else {
                        r.momentum * v + (1.0 - r.dampening) * g
                    };
                    x -= lr * v;
                }
                RuleKind::Nesterov => {
                    v = if k == 0 { g } else { r.momentum * v + g };
                    x -= lr * (g + r.momentum * v);
                }
            }
            let n = x.abs() + lr * v.abs();
            x /= n;
            v /= n;
            log_scale += n.ln();
            if k == 1999 {
                at_half = log_norm_at(x, v, log_scale);
            }
        }
        ((log_norm_at(x, v, log_scale) - at_half) / 2000.0).exp()
    }

    #[test]
    fn rates_match_the_iteration_they_describe() {
        for (kind, m) in [
            (RuleKind::Gd, 0.0),
            (RuleKind::HeavyBall, 0.5),
            (RuleKind::HeavyBall, 0.9),
            (RuleKind::Nesterov, 0.9),
        ] {
            for lr in [0.01, 0.05, 0.12, 0.15, 0.19] {
                let r = rule(kind, m);
                let closed = direction_rate(r, lr, 10.0);
                let seen = simulated_rate(r, lr, 10.0);
                assert!(
                    (closed - seen).abs() < 2e-3,
                    "{kind:?} β={m} lr={lr}: closed {closed}, iterated {seen}"
                );
            }
        }
    }

    #[test]
    fn critical_damping_makes_the_two_roots_meet() {
        // With β = (1 − √h)² the polynomial z² − (1 + β − h)z + β has the double root √β,
        // so the rate is √β = 1 − √h; a little less momentum gives two real roots, the larger
        // one above √β.
        for (lr, lambda) in [(0.01, 10.0), (0.04, 1.0), (0.5, 1.0)] {
            let h: f64 = lr * lambda;
            let beta = QuadraticTheory::critical_damping(lr, lambda).expect("h <= 1");
            assert!((beta - (1.0 - h.sqrt()).powi(2)).abs() < 1e-15);
            let rate = direction_rate(rule(RuleKind::HeavyBall, beta), lr, lambda);
            assert!((rate - (1.0 - h.sqrt())).abs() < 1e-7, "{rate}");
            let under = direction_rate(rule(RuleKind::HeavyBall, beta * 0.9), lr, lambda);
            assert!(under > rate, "{under} vs {rate}");
        }
        assert_eq!(QuadraticTheory::critical_damping(0.3, 10.0), None);
    }

    #[test]
    fn the_sharpness_threshold_is_where_the_rate_reaches_one() {
        for (kind, m) in [
            (RuleKind::Gd, 0.0),
            (RuleKind::HeavyBall, 0.9),
            (RuleKind::Nesterov, 0.9),
        ] {
            let r = MomentumRule {
                kind,
                momentum: m,
                dampening: 0.0,
                weight_decay: 0.1,
            };
            let lr = 0.05;
            let edge = r.sharpness_threshold(lr);
            assert!(direction_rate(r, lr, edge * 0.999) < 1.0, "{kind:?}");
            assert!(direction_rate(r, lr, edge * 1.001) > 1.0, "{kind:?}");
        }
    }

    #[test]
    fn adam_is_stable_below_38_over_lr_at_beta1_0_9() {
        // Cohen et al. 2022: Adam's preconditioned sharpness equilibrates at 38/η (β1 = 0.9).
        let adam = AnyOptimizer::from_spec(&crate::core::spec::Spec::named("adam")).unwrap();
        let test = SharpnessTest::of(&adam).expect("Adam has a threshold");
        assert!(test.is_preconditioned());
        assert!((test.threshold(0.01) - 3800.0).abs() < 1e-9);
        let gd = AnyOptimizer::from_spec(&crate::core::spec::Spec::named("sgd")).unwrap();
        assert_eq!(SharpnessTest::of(&gd).map(|t| t.threshold(0.1)), Some(20.0));
        let lion = AnyOptimizer::from_spec(&crate::core::spec::Spec::named("lion")).unwrap();
        assert_eq!(SharpnessTest::of(&lion), None);
    }

    #[test]
    fn regions_are_lions_box_and_the_stationary_spread_of_noisy_gd() {
        use crate::core::spec::{Spec, Value};
        let build = |s: Spec| AnyOptimizer::from_spec(&s).unwrap();
        let lion = build(Spec::named("lion").with("weight_decay", Value::Num(0.25)));
        let (outline, label) = Region::of(&lion, 0.0, None).unwrap().outline(0.1).unwrap();
        let max = outline
            .iter()
            .fold(0.0_f64, |m, p| m.max(p[0].abs()).max(p[1].abs()));
        assert_eq!(max, 4.0);
        assert!(label.contains("= 4"), "{label}");
        assert_eq!(Region::of(&build(Spec::named("lion")), 0.0, None), None);

        // ½(x² + 4y²): along x the variance is lr·σ²/(1·(2 − lr)), along y lr·σ²/(4(2 − 4lr)).
        let surface =
            AnySurface::from_spec(&Spec::named("quadratic").with("b", Value::Num(4.0))).unwrap();
        let frame = EigenFrame::of_path(&surface, &[[0.3, -0.2]]);
        assert_eq!(frame.map(|f| f.center), Some([0.0, 0.0]));
        let sgd = build(Spec::named("sgd"));
        let (lr, sigma) = (0.1, 0.5);
        let (outline, _) = Region::of(&sgd, sigma, frame).unwrap().outline(lr).unwrap();
        let half = |axis: usize| outline.iter().fold(0.0_f64, |m, p| m.max(p[axis].abs()));
        let want_x = 2.0 * (lr * sigma * sigma / (2.0 - lr)).sqrt();
        let want_y = 2.0 * (lr * sigma * sigma / (4.0 * (2.0 - 4.0 * lr))).sqrt();
        assert!((half(0) - want_x).abs() < 1e-12, "{} vs {want_x}", half(0));
        assert!((half(1) - want_y).abs() < 1e-12, "{} vs {want_y}", half(1));
        // No stationary spread past the stability limit, without noise, or with momentum.
        assert_eq!(Region::of(&sgd, sigma, frame).unwrap().outline(0.6), None);
        assert_eq!(Region::of(&sgd, 0.0, frame), None);
        let momentum = build(Spec::named("sgd").with("momentum", Value::Num(0.9)));
        assert_eq!(Region::of(&momentum, sigma, frame), None);
    }
}
