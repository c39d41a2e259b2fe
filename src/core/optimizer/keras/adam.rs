//! `keras.optimizers.Adam` and `AdamW`: its item, state and update rule, as Keras 3 computes it.

use super::*;

pub(crate) const ADAM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "keras.adam",
        summary: "keras.optimizers.Adam: α = lr·√(1 − β2^t)/(1 − β1^t); θ ← θ − α·m/(√v + ε), ε = 1e-7 outside the bias correction (torch: lr·m_hat/(√v_hat + eps))",
        params: &[BETA_1, BETA_2, EPSILON, AMSGRAD, WEIGHT_DECAY],
    },
    build: |a| {
        Ok(AnyOptimizer::Keras(KerasOptimizer::Adam(Adam::from_args(
            a,
        ))))
    },
    vector: Some(|a| Ok(VecOptimizer::new(Adam::from_args(a)))),
    code: Code::Keras {
        expr: |a, lr| adam_code(a, lr, "Adam"),
        twin: Some(Twin {
            torch: "adam",
            renamed: ADAM_NAMES,
        }),
    },
};

pub(crate) const ADAMW: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "keras.adamw",
        summary: "keras.optimizers.AdamW: Keras's Adam with decoupled decay θ ← θ·(1 − wd·lr), wd = 0.004 by default (torch's AdamW: 0.01)",
        params: &[
            ParamDef::num(
                "weight_decay",
                Check::NonNegative,
                0.004,
                "decoupled decay θ ← θ·(1 − wd·lr) before the update",
            ),
            BETA_1,
            BETA_2,
            EPSILON,
            AMSGRAD,
        ],
    },
    build: |a| {
        Ok(AnyOptimizer::Keras(KerasOptimizer::Adam(Adam::from_args(
            a,
        ))))
    },
    vector: Some(|a| Ok(VecOptimizer::new(Adam::from_args(a)))),
    code: Code::Keras {
        expr: |a, lr| adam_code(a, lr, "AdamW"),
        twin: Some(Twin {
            torch: "adamw",
            renamed: ADAM_NAMES,
        }),
    },
};

fn adam_code(a: &Args, lr: &str, class: &str) -> String {
    format!(
        "keras.optimizers.{class}(learning_rate={lr}, beta_1={}, beta_2={}, epsilon={}, amsgrad={}, weight_decay={})",
        py(a.num("beta_1")),
        py(a.num("beta_2")),
        py(a.num("epsilon")),
        py_bool(a.flag("amsgrad")),
        keras_wd(a)
    )
}

/// `keras.optimizers.Adam` and `AdamW` (the same rule; AdamW only defaults to a decay).
#[derive(Clone, Debug, PartialEq)]
pub struct Adam<V = Point> {
    pub beta_1: f64,
    pub beta_2: f64,
    pub epsilon: f64,
    pub amsgrad: bool,
    pub weight_decay: f64,
    m: V,
    v: V,
    v_hat: V,
    t: u64,
}

impl<V: Params> Adam<V> {
    fn from_args(a: &Args) -> Self {
        Self {
            beta_1: a.num("beta_1"),
            beta_2: a.num("beta_2"),
            epsilon: a.num("epsilon"),
            amsgrad: a.flag("amsgrad"),
            weight_decay: a.num("weight_decay"),
            m: V::filled(0, 0.0),
            v: V::filled(0, 0.0),
            v_hat: V::filled(0, 0.0),
            t: 0,
        }
    }
}

impl<V: Params> Update<V> for Adam<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        decay(theta, lr, self.weight_decay);
        fit(&mut self.m, n, 0.0);
        fit(&mut self.v, n, 0.0);
        fit(&mut self.v_hat, n, 0.0);
        self.t += 1;
        let (b1, b2) = (self.beta_1, self.beta_2);
        let local_step = self.t as f64;
        let alpha = lr * (1.0 - b2.powf(local_step)).sqrt() / (1.0 - b1.powf(local_step));
        let (m, v, v_hat) = (self.m.as_mut(), self.v.as_mut(), self.v_hat.as_mut());
        for i in 0..n {
            let g = grad[i];
            m[i] = m[i] * b1 + (1.0 - b1) * g;
            v[i] = v[i] * b2 + (1.0 - b2) * (g * g);
            let second = if self.amsgrad {
                v_hat[i] = v_hat[i].max(v[i]);
                v_hat[i]
            } else {
                v[i]
            };
            theta[i] += -((m[i] * alpha) / (second.sqrt() + self.epsilon));
        }
    }
}

impl Optimizer for Adam {
    point_step!();

    /// The step is lr·m_hat/(√v_hat + ε/√(1 − β2^t)): Keras's ε shrinks in the corrected units.
    fn preconditioner(&self) -> Option<Point> {
        let c2 = (1.0 - self.beta_2.powf(self.t as f64)).sqrt();
        let v = if self.amsgrad { self.v_hat } else { self.v };
        (self.t > 0).then(|| v.map(|v| (v.sqrt() + self.epsilon) / c2))
    }
}

impl Explain for Adam {
    fn rule(&self) -> &'static [&'static str] {
        &[
            "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
            "α = lr·√(1 − β2^t)/(1 − β1^t)",
            "θ ← θ − α·m/(√v + ε)   (ε is not bias-corrected)",
        ]
    }

    /// Gradient, the bias-corrected average m/(1 − β1^t), the box of the per-coordinate
    /// division (Keras's denominator, (√v + ε)/√(1 − β2^t) in corrected units), the step.
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        let next = after(self, at, surface);
        let Some(denominator) = next.preconditioner() else {
            return geometry::plain(at, self.rule().len());
        };
        let m_hat = next.m.map(|m| m / (1.0 - self.beta_1.powf(next.t as f64)));
        let centre = at.at(at.theta, -at.lr * self.weight_decay);
        let mut v_terms = vec![SECOND];
        if self.amsgrad {
            v_terms.push(V_MAX);
        }
        vec![
            geometry::gradient_stage(at, &[0]),
            Stage {
                name: "momentum",
                says: "m/(1 − β1^t): the running average of the gradients, bias-corrected",
                rule_lines: vec![0, 1],
                terms: vec![FIRST],
                glyphs: vec![
                    at.descent(GlyphKind::Momentum, m_hat)
                        .named("−lr·m/(1 − β1^t)"),
                ],
            },
            geometry::scaling_stage(at, centre, m_hat, denominator, &[1, 2], v_terms),
            geometry::step_stage(at, &[2]),
        ]
    }

    fn terms(&self) -> Vec<Term> {
        let mut terms = vec![
            Term {
                name: FIRST,
                value: self.m,
            },
            Term {
                name: SECOND,
                value: self.v,
            },
        ];
        if self.amsgrad {
            terms.push(Term {
                name: V_MAX,
                value: self.v_hat,
            });
        }
        terms.push(Term {
            name: "t",
            value: [self.t as f64; 2],
        });
        terms
    }
}
