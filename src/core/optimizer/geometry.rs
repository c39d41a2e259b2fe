//! The geometry of one update, in the stages a lecturer narrates (gradient → momentum →
//! scaling → step): arrows, boxes and curves in surface coordinates, to scale. Each optimizer
//! writes its own stages from its state before the update ([`super::Explain::stages`]); the
//! window draws them on the 2D and 3D views and the explain panel highlights the matching
//! rule line and terms.

use crate::core::math::{Mat2, Point, solve2, sym_eigen2};

/// The explain panel's row for ∇f(θ_k); stages name it to highlight it.
pub const GRADIENT_ROW: &str = "∂f/∂θ at θ";
/// The explain panel's row for the gradient the optimizer was fed (noise, minibatch).
pub const GRADIENT_SEEN_ROW: &str = "g (with noise / minibatch)";
/// The explain panel's row for the learning rate of the update.
pub const LR_ROW: &str = "lr (from the schedule)";
/// The explain panel's row for the Hessian's eigenvalues at θ_k.
pub const HESSIAN_ROW: &str = "Hessian eigenvalues at θ";
/// The explain panel's row for θ_{k+1} − θ_k.
pub const STEP_ROW: &str = "Δθ (the step taken)";

/// What a glyph stands for: it picks the glyph's colour and its legend text, the same in the
/// window, in 3D and in tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GlyphKind {
    /// −lr·∇f(θ_k): where plain gradient descent would go.
    Gradient,
    /// −lr·g with the gradient the optimizer was fed (noise or a minibatch).
    GradientSeen,
    /// The momentum carried over from the previous updates, −lr·μ·b_{k−1}.
    Carried,
    /// The direction before per-coordinate scaling: SGD's new buffer b, Adam's m_hat, Lion's
    /// interpolation c.
    Momentum,
    /// The per-coordinate scaling as a box: half-widths lr·|n_i|/P_i, where the step lands on a
    /// corner (Adam, RMSProp, AdaGrad, Adadelta, NAdam, RAdam).
    Scaling,
    /// Lion's sign step: the box of half-width lr every coordinate moves to the edge of.
    Sign,
    /// The level curve through θ_k of Newton's local quadratic model (an ellipse at a minimum,
    /// a hyperbola at a saddle).
    Model,
    /// The stationary point of Newton's model, where the full Newton step leads.
    ModelCentre,
    /// Decoupled weight decay θ·(1 − lr·wd) before the step (AdamW, Lion).
    Decay,
    /// θ_{k+1} − θ_k: the step taken.
    Step,
}

impl GlyphKind {
    /// The legend text.
    pub fn legend(self) -> &'static str {
        match self {
            Self::Gradient => "−lr·grad f (gradient step)",
            Self::GradientSeen => "−lr·g (the gradient it saw)",
            Self::Carried => "−lr·μ·b (velocity carried)",
            Self::Momentum => "−lr·(momentum)",
            Self::Scaling => "box: step per coordinate",
            Self::Sign => "box: lr per coordinate",
            Self::Model => "local quadratic model",
            Self::ModelCentre => "model's centre",
            Self::Decay => "weight decay",
            Self::Step => "Δθ (step taken)",
        }
    }

    /// The colour, chosen to read over every colormap of the heatmap.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Self::Gradient => [255, 196, 0],
            Self::GradientSeen => [255, 128, 48],
            Self::Carried => [200, 170, 255],
            Self::Momentum => [236, 96, 255],
            Self::Scaling | Self::Sign => [70, 225, 255],
            Self::Model | Self::ModelCentre => [245, 245, 245],
            Self::Decay => [175, 175, 175],
            Self::Step => [90, 255, 120],
        }
    }
}

/// A glyph's shape, in surface coordinates.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Arrow {
        from: Point,
        to: Point,
    },
    /// An axis-aligned box.
    Box {
        centre: Point,
        half: Point,
    },
    /// A polyline (one branch of a conic).
    Curve(Vec<Point>),
    Dot(Point),
}

impl Shape {
    /// The box's outline, closed; other shapes as their points.
    pub fn outline(&self) -> Vec<Point> {
        match self {
            Self::Arrow { from, to } => vec![*from, *to],
            Self::Box { centre: c, half: h } => vec![
                [c[0] - h[0], c[1] - h[1]],
                [c[0] + h[0], c[1] - h[1]],
                [c[0] + h[0], c[1] + h[1]],
                [c[0] - h[0], c[1] + h[1]],
                [c[0] - h[0], c[1] - h[1]],
            ],
            Self::Curve(points) => points.clone(),
            Self::Dot(p) => vec![*p],
        }
    }
}

/// One glyph of an update's picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    pub kind: GlyphKind,
    pub shape: Shape,
    /// The legend text: the kind's, or the optimizer's own name for it (m_hat, b, c).
    pub name: &'static str,
}

impl Glyph {
    /// A glyph with its kind's legend text.
    pub fn new(kind: GlyphKind, shape: Shape) -> Self {
        Self {
            kind,
            shape,
            name: kind.legend(),
        }
    }

    /// The same glyph under the optimizer's own name.
    pub fn named(self, name: &'static str) -> Self {
        Self { name, ..self }
    }

    /// The legend text in the current language.
    pub fn name_text(&self) -> String {
        crate::text::core_text(self.name)
    }
}

/// One stage of an update: what it adds to the picture and which parts of the explain panel
/// it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    /// A word for the stage ("gradient", "momentum", "scaling", "step", ...).
    pub name: &'static str,
    /// What happens, one sentence for the lecturer.
    pub says: &'static str,
    /// The lines of the optimizer's rule this stage computes.
    pub rule_lines: Vec<usize>,
    /// The explain panel's rows it is about (term names or the `*_ROW` constants).
    pub terms: Vec<&'static str>,
    pub glyphs: Vec<Glyph>,
}

/// The update being drawn: where it starts, what it was fed and what it did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UpdateAt {
    pub theta: Point,
    /// ∇f(θ_k).
    pub grad: Point,
    /// The gradient the optimizer was fed.
    pub grad_seen: Point,
    pub lr: f64,
    /// θ_{k+1} − θ_k.
    pub delta: Point,
    /// ∇²f(θ_k).
    pub hessian: Mat2,
}

impl UpdateAt {
    /// θ_k + s·v.
    pub fn at(&self, v: Point, s: f64) -> Point {
        [self.theta[0] + s * v[0], self.theta[1] + s * v[1]]
    }

    /// θ_{k+1}.
    pub fn next(&self) -> Point {
        self.at(self.delta, 1.0)
    }

    /// An arrow from θ_k to θ_k − lr·v.
    pub fn descent(&self, kind: GlyphKind, v: Point) -> Glyph {
        Glyph::new(
            kind,
            Shape::Arrow {
                from: self.theta,
                to: self.at(v, -self.lr),
            },
        )
    }
}

/// The first stage of every update: the plain gradient step (and the fed gradient's, where
/// noise or a minibatch made it differ).
pub fn gradient_stage(at: &UpdateAt, rule_lines: &[usize]) -> Stage {
    let mut glyphs = vec![at.descent(GlyphKind::Gradient, at.grad)];
    let mut terms = vec![GRADIENT_ROW, LR_ROW];
    if at.grad_seen != at.grad {
        glyphs.push(at.descent(GlyphKind::GradientSeen, at.grad_seen));
        terms.push(GRADIENT_SEEN_ROW);
    }
    Stage {
        name: "gradient",
        says: "the gradient at θ, times −lr: where plain gradient descent would go",
        rule_lines: rule_lines.to_vec(),
        terms,
        glyphs,
    }
}

/// The last stage of every update: the step taken.
pub fn step_stage(at: &UpdateAt, rule_lines: &[usize]) -> Stage {
    Stage {
        name: "step",
        says: "the step the optimizer takes, θ_k to θ_k+1",
        rule_lines: rule_lines.to_vec(),
        terms: vec![STEP_ROW],
        glyphs: vec![Glyph::new(
            GlyphKind::Step,
            Shape::Arrow {
                from: at.theta,
                to: at.next(),
            },
        )],
    }
}

/// The two stages every update has: for optimizers with nothing in between (plain SGD, the
/// flows, run-time rules).
pub fn plain(at: &UpdateAt, rule_lines: usize) -> Vec<Stage> {
    let all: Vec<usize> = (0..rule_lines).collect();
    vec![gradient_stage(at, &all), step_stage(at, &all)]
}

/// The scaling stage of an adaptive optimizer: the step is −lr·n_i/P_i per coordinate from
/// `centre`, so the box of half-widths lr·|n_i|/P_i has the step's end on a corner.
pub fn scaling_stage(
    at: &UpdateAt,
    centre: Point,
    numerator: Point,
    denominator: Point,
    rule_lines: &[usize],
    terms: Vec<&'static str>,
) -> Stage {
    Stage {
        name: "scaling",
        says: "each coordinate divided by its own root mean square: the step lands on a corner of the box",
        rule_lines: rule_lines.to_vec(),
        terms,
        glyphs: vec![Glyph::new(
            GlyphKind::Scaling,
            Shape::Box {
                centre,
                half: std::array::from_fn(|i| (at.lr * numerator[i] / denominator[i]).abs()),
            },
        )],
    }
}

/// A decoupled weight decay's arrow, θ_k to θ_k·(1 − lr·wd), or nothing without decay.
pub fn decay(at: &UpdateAt, weight_decay: f64) -> Option<Glyph> {
    (weight_decay != 0.0).then(|| {
        Glyph::new(
            GlyphKind::Decay,
            Shape::Arrow {
                from: at.theta,
                to: at.at(at.theta, -at.lr * weight_decay),
            },
        )
    })
}

/// The level set through θ of the quadratic model q(θ + d) = g·d + ½·dᵀ·H·d: an ellipse where H
/// is definite, both branches of a hyperbola where it is indefinite (clipped at `reach` from
/// the model's centre), nothing where H or g is degenerate. Returns the centre θ − H⁻¹g too.
pub fn model_curves(
    theta: Point,
    grad: Point,
    h: Mat2,
    reach: f64,
) -> Option<(Point, Vec<Vec<Point>>)> {
    let c = solve2(h, grad)?;
    let centre = [theta[0] - c[0], theta[1] - c[1]];
    // In the eigenbasis y of H about the centre: λ1·y1² + λ2·y2² = k, with k = gᵀH⁻¹g.
    let k = grad[0] * c[0] + grad[1] * c[1];
    let ([l1, l2], [u1, u2]) = sym_eigen2(h);
    let scale = l1.abs().max(l2.abs());
    if !(k.is_finite() && k.abs() > 0.0 && l1.abs() > 1e-12 * scale && l2.abs() > 1e-12 * scale) {
        return None;
    }
    let point = |y1: f64, y2: f64| {
        [
            centre[0] + y1 * u1[0] + y2 * u2[0],
            centre[1] + y1 * u1[1] + y2 * u2[1],
        ]
    };
    let (a1, a2) = (k / l1, k / l2);
    const N: usize = 96;
    let curves = if a1 > 0.0 && a2 > 0.0 {
        let (r1, r2) = (a1.sqrt(), a2.sqrt());
        vec![
            (0..=N)
                .map(|i| {
                    let t = std::f64::consts::TAU * i as f64 / N as f64;
                    point(r1 * t.cos(), r2 * t.sin())
                })
                .collect(),
        ]
    } else if a1 > 0.0 || a2 > 0.0 {
        // The branches open along the axis whose a is positive.
        let (open, across) = (a1.max(a2).sqrt(), (-a1.min(a2)).sqrt());
        let s_max = (reach / across).asinh().max(1.0);
        let branch = |side: f64| -> Vec<Point> {
            (0..=N)
                .map(|i| {
                    let s = s_max * (2.0 * i as f64 / N as f64 - 1.0);
                    let (y_open, y_across) = (side * open * s.cosh(), across * s.sinh());
                    if a1 > 0.0 {
                        point(y_open, y_across)
                    } else {
                        point(y_across, y_open)
                    }
                })
                .collect()
        };
        vec![branch(1.0), branch(-1.0)]
    } else {
        return None;
    };
    Some((centre, curves))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_curve_passes_through_theta_and_is_a_level_set() {
        // f = ½(x² + 4y²) at (1, 1): the ellipse x² + 4y² = 5 about the minimum at 0.
        let h = [[1.0, 0.0], [0.0, 4.0]];
        let theta = [1.0, 1.0];
        let (centre, curves) = model_curves(theta, [1.0, 4.0], h, 10.0).unwrap();
        assert!(centre[0].abs() < 1e-15 && centre[1].abs() < 1e-15);
        assert_eq!(curves.len(), 1);
        for p in &curves[0] {
            assert!(
                (p[0] * p[0] + 4.0 * p[1] * p[1] - 5.0).abs() < 1e-12,
                "{p:?}"
            );
        }
        // A saddle ½(x² − y²) at (1, 2): the hyperbola x² − y² = −3, two branches opening
        // along y, both through points with |y| ≥ √3, one of them through θ.
        let h = [[1.0, 0.0], [0.0, -1.0]];
        let (_, curves) = model_curves([1.0, 2.0], [1.0, -2.0], h, 10.0).unwrap();
        assert_eq!(curves.len(), 2);
        for p in curves.iter().flatten() {
            assert!((p[0] * p[0] - p[1] * p[1] + 3.0).abs() < 1e-9, "{p:?}");
        }
        assert!(curves.iter().any(|c| c.iter().any(|p| p[1] > 2.0)));
        assert!(curves.iter().any(|c| c.iter().any(|p| p[1] < -2.0)));
        // A flat direction has no model.
        assert!(model_curves(theta, [1.0, 0.0], [[1.0, 0.0], [0.0, 0.0]], 1.0).is_none());
    }
}
