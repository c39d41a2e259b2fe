//! `keras.optimizers.RMSprop`: its item, state and update rule, as Keras 3 computes it.

use super::*;

pub(crate) const RMSPROP: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "keras.rmsprop",
        summary: "keras.optimizers.RMSprop: v ← ρ·v + (1 − ρ)·g²; θ ← θ − lr·g/√(v + ε), with ρ = 0.9 (torch: alpha = 0.99, eps outside the root)",
        params: &[
            ParamDef::num("rho", Check::UnitOpen, 0.9, "decay ρ of the average of g²"),
            ParamDef::num(
                "momentum",
                Check::UnitOpen,
                0.0,
                "momentum of the increments",
            ),
            EPSILON,
            ParamDef::flag(
                "centered",
                false,
                "divide by the variance, v − (average of g)²",
            ),
            WEIGHT_DECAY,
        ],
    },
    build: |a| {
        Ok(AnyOptimizer::Keras(KerasOptimizer::RmsProp(
            RmsProp::from_args(a),
        )))
    },
    vector: Some(|a| Ok(VecOptimizer::new(RmsProp::from_args(a)))),
    code: Code::Keras {
        expr: |a, lr| {
            format!(
                "keras.optimizers.RMSprop(learning_rate={lr}, rho={}, momentum={}, epsilon={}, centered={}, weight_decay={})",
                py(a.num("rho")),
                py(a.num("momentum")),
                py(a.num("epsilon")),
                py_bool(a.flag("centered")),
                keras_wd(a)
            )
        },
        twin: Some(Twin {
            torch: "rmsprop",
            renamed: &[("alpha", "rho"), ("eps", "epsilon")],
        }),
    },
};

/// `keras.optimizers.RMSprop`.
#[derive(Clone, Debug, PartialEq)]
pub struct RmsProp<V = Point> {
    pub rho: f64,
    pub momentum: f64,
    pub epsilon: f64,
    pub centered: bool,
    pub weight_decay: f64,
    v: V,
    average: V,
    increments: V,
}

impl<V: Params> RmsProp<V> {
    fn from_args(a: &Args) -> Self {
        Self {
            rho: a.num("rho"),
            momentum: a.num("momentum"),
            epsilon: a.num("epsilon"),
            centered: a.flag("centered"),
            weight_decay: a.num("weight_decay"),
            v: V::filled(0, 0.0),
            average: V::filled(0, 0.0),
            increments: V::filled(0, 0.0),
        }
    }
}

impl<V: Params> Update<V> for RmsProp<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        decay(theta, lr, self.weight_decay);
        fit(&mut self.v, n, 0.0);
        fit(&mut self.average, n, 0.0);
        fit(&mut self.increments, n, 0.0);
        let (rho, eps) = (self.rho, self.epsilon);
        let (v, average, increments) = (
            self.v.as_mut(),
            self.average.as_mut(),
            self.increments.as_mut(),
        );
        for i in 0..n {
            let g = grad[i];
            v[i] = v[i] * rho + (1.0 - rho) * (g * g);
            let mut denominator = v[i] + eps;
            if self.centered {
                average[i] = average[i] * rho + (1.0 - rho) * g;
                denominator += -(average[i] * average[i]);
            }
            let increment = (g * lr) / denominator.sqrt();
            if self.momentum > 0.0 {
                increments[i] = increments[i] * self.momentum + increment;
                theta[i] += -increments[i];
            } else {
                theta[i] += -increment;
            }
        }
    }
}

impl Optimizer for RmsProp {
    point_step!();

    fn preconditioner(&self) -> Option<Point> {
        let root = |i: usize| {
            let centred = if self.centered {
                self.average[i] * self.average[i]
            } else {
                0.0
            };
            (self.v[i] + self.epsilon - centred).sqrt()
        };
        (self.v != [0.0; 2]).then(|| [root(0), root(1)])
    }
}

impl Explain for RmsProp {
    fn rule(&self) -> &'static [&'static str] {
        match (self.centered, self.momentum > 0.0) {
            (false, false) => &["v ← ρ·v + (1 − ρ)·g²", "θ ← θ − lr·g/√(v + ε)"],
            (true, false) => &[
                "v ← ρ·v + (1 − ρ)·g²,   a ← ρ·a + (1 − ρ)·g",
                "θ ← θ − lr·g/√(v + ε − a²)",
            ],
            (false, true) => &[
                "v ← ρ·v + (1 − ρ)·g²",
                "u ← μ·u + lr·g/√(v + ε)",
                "θ ← θ − u",
            ],
            (true, true) => &[
                "v ← ρ·v + (1 − ρ)·g²,   a ← ρ·a + (1 − ρ)·g",
                "u ← μ·u + lr·g/√(v + ε − a²)",
                "θ ← θ − u",
            ],
        }
    }

    fn terms(&self) -> Vec<Term> {
        let mut terms = vec![Term {
            name: "v (average of g²)",
            value: self.v,
        }];
        if self.centered {
            terms.push(Term {
                name: "a (average of g)",
                value: self.average,
            });
        }
        if self.momentum > 0.0 {
            terms.push(Term {
                name: "u (momentum of the increments)",
                value: self.increments,
            });
        }
        terms
    }
}
