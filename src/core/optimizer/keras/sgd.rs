//! `keras.optimizers.SGD`: its item, state and update rule, as Keras 3 computes it.

use super::*;

pub(crate) const SGD: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "keras.sgd",
        summary: "keras.optimizers.SGD: the velocity is kept in units of lr, v ← μ·v − lr·g; θ ← θ + v (torch's sgd scales b by the current lr instead: the two differ once the rate changes)",
        params: &[
            ParamDef::num("momentum", Check::Unit, 0.0, "momentum factor μ"),
            ParamDef::flag("nesterov", false, "Nesterov momentum: θ ← θ − lr·g + μ·v"),
            WEIGHT_DECAY,
        ],
    },
    build: |a| Ok(AnyOptimizer::Keras(KerasOptimizer::Sgd(Sgd::from_args(a)))),
    vector: Some(|a| Ok(VecOptimizer::new(Sgd::from_args(a)))),
    code: Code::Keras {
        expr: |a, lr| {
            format!(
                "keras.optimizers.SGD(learning_rate={lr}, momentum={}, nesterov={}, weight_decay={})",
                py(a.num("momentum")),
                py_bool(a.flag("nesterov")),
                keras_wd(a)
            )
        },
        twin: Some(Twin {
            torch: "sgd",
            renamed: &[],
        }),
    },
};

/// `keras.optimizers.SGD`, over a point (`V = Point`) or a network's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd<V = Point> {
    pub momentum: f64,
    pub nesterov: bool,
    pub weight_decay: f64,
    velocity: V,
}

impl<V: Params> Sgd<V> {
    fn from_args(a: &Args) -> Self {
        Self {
            momentum: a.num("momentum"),
            nesterov: a.flag("nesterov"),
            weight_decay: a.num("weight_decay"),
            velocity: V::filled(0, 0.0),
        }
    }
}

impl<V: Params> Update<V> for Sgd<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        decay(theta, lr, self.weight_decay);
        let mu = self.momentum;
        if mu == 0.0 {
            for i in 0..n {
                theta[i] += -lr * grad[i];
            }
            return;
        }
        fit(&mut self.velocity, n, 0.0);
        let v = self.velocity.as_mut();
        for i in 0..n {
            v[i] = v[i] * mu + -lr * grad[i];
            if self.nesterov {
                theta[i] += -lr * grad[i];
                theta[i] += mu * v[i];
            } else {
                theta[i] += v[i];
            }
        }
    }
}

impl Optimizer for Sgd {
    point_step!();
}

impl Explain for Sgd {
    fn rule(&self) -> &'static [&'static str] {
        match (self.momentum == 0.0, self.nesterov) {
            (true, _) => &["θ ← θ − lr·g"],
            (false, false) => &["v ← μ·v − lr·g   (v is in units of lr)", "θ ← θ + v"],
            (false, true) => &[
                "v ← μ·v − lr·g   (v is in units of lr)",
                "θ ← θ − lr·g + μ·v",
            ],
        }
    }

    fn terms(&self) -> Vec<Term> {
        if self.momentum == 0.0 {
            return Vec::new();
        }
        vec![Term {
            name: VELOCITY,
            value: self.velocity,
        }]
    }

    /// With momentum: the velocity carried over, μ·v, and the new one, v (both already
    /// displacements: Keras's velocity is in units of the rate).
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        if self.momentum == 0.0 {
            return geometry::plain(at, 1);
        }
        let next = after(self, at, surface);
        let arrow = |kind, v: Point| {
            Glyph::new(
                kind,
                Shape::Arrow {
                    from: at.theta,
                    to: at.at(v, 1.0),
                },
            )
        };
        let mut glyphs = Vec::new();
        if self.velocity != [0.0; 2] {
            glyphs.push(arrow(
                GlyphKind::Carried,
                self.velocity.map(|v| self.momentum * v),
            ));
        }
        glyphs.push(arrow(GlyphKind::Momentum, next.velocity).named("v (new velocity)"));
        vec![
            geometry::gradient_stage(at, &[0]),
            Stage {
                name: "momentum",
                says: "the velocity, in units of lr: μ times the old one, minus lr·g",
                rule_lines: vec![0],
                terms: vec![VELOCITY],
                glyphs,
            },
            geometry::step_stage(at, &[1]),
        ]
    }
}
