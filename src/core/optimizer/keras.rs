//! Keras 3's optimizers (`keras.optimizers.*`), with Keras's names, defaults and update rules,
//! so a lecture written in Keras can race its optimizer against torch.optim's of the same name.
//!
//! The rules follow Keras 3's torch backend (`keras/src/backend/torch/optimizers`), operation
//! for operation, because that is what the reference fixtures run. Where Keras differs from
//! PyTorch it shows on screen: SGD keeps the velocity in units of lr (v ← μv − lr·g; θ ← θ + v),
//! Adam folds both bias corrections into the step size and adds ε = 1e-7 outside the root,
//! RMSprop takes the root of v + ε with ρ = 0.9, Adagrad starts its accumulator at 0.1, and
//! every optimizer's `weight_decay` is decoupled: θ ← θ·(1 − wd·lr) before the update.

use super::geometry::{self, Glyph, GlyphKind, Shape, Stage, UpdateAt};
use super::{
    AnyOptimizer, Code, Explain, Optimizer, OptimizerItem, Params, StepError, Term, Twin, Update,
    VecOptimizer, after, fit,
};
use crate::core::math::Point;
use crate::core::python::{py, py_bool};
use crate::core::spec::{Args, Check, ItemDef, ParamDef};
use crate::core::surface::Surface;

/// Keras's optimizers behind one variant of [`AnyOptimizer`]: the simulation loop is compiled
/// once per surface for all eight of them instead of eight times (which kept the browser
/// build's download in budget); choosing the rule is one predictable branch per step.
#[derive(Clone, Debug)]
pub enum KerasOptimizer {
    Sgd(Sgd),
    RmsProp(RmsProp),
    Adam(Adam),
    Adagrad(Adagrad),
    Adadelta(Adadelta),
    Nadam(Nadam),
    Lion(Lion),
}

/// Runs `$body` with `$o` bound to the Keras optimizer inside.
macro_rules! with_keras {
    ($k:expr, $o:ident => $body:expr) => {
        match $k {
            KerasOptimizer::Sgd($o) => $body,
            KerasOptimizer::RmsProp($o) => $body,
            KerasOptimizer::Adam($o) => $body,
            KerasOptimizer::Adagrad($o) => $body,
            KerasOptimizer::Adadelta($o) => $body,
            KerasOptimizer::Nadam($o) => $body,
            KerasOptimizer::Lion($o) => $body,
        }
    };
}

impl Optimizer for KerasOptimizer {
    #[inline(always)]
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        surface: &S,
    ) -> Result<(), StepError> {
        with_keras!(self, o => o.step(theta, grad, lr, surface))
    }

    fn preconditioner(&self) -> Option<Point> {
        with_keras!(self, o => o.preconditioner())
    }
}

impl Explain for KerasOptimizer {
    fn rule(&self) -> &'static [&'static str] {
        with_keras!(self, o => o.rule())
    }

    fn terms(&self) -> Vec<Term> {
        with_keras!(self, o => o.terms())
    }

    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        with_keras!(self, o => o.stages(at, surface))
    }
}

const EPSILON: ParamDef = ParamDef::num(
    "epsilon",
    Check::NonNegative,
    1e-7,
    "ε, added outside the root (Keras's default is 1e-7, torch's eps 1e-8)",
);
const BETA_1: ParamDef = ParamDef::num("beta_1", Check::UnitOpen, 0.9, "decay of the first moment");
const BETA_2: ParamDef = ParamDef::num(
    "beta_2",
    Check::UnitOpen,
    0.999,
    "decay of the second moment",
);
const WEIGHT_DECAY: ParamDef = ParamDef::num(
    "weight_decay",
    Check::NonNegative,
    0.0,
    "decoupled decay θ ← θ·(1 − wd·lr) before the update (0: None)",
);
const AMSGRAD: ParamDef =
    ParamDef::flag("amsgrad", false, "use the running maximum of v (AMSGrad)");

/// `weight_decay=…` as Keras spells it (`None` when there is none).
fn keras_wd(a: &Args) -> String {
    let wd = a.num("weight_decay");
    if wd == 0.0 { "None".into() } else { py(wd) }
}

/// Keras's decoupled weight decay, applied by the base optimizer before every update.
#[inline]
fn decay(theta: &mut [f64], lr: f64, weight_decay: f64) {
    if weight_decay != 0.0 {
        let factor = 1.0 - weight_decay * lr;
        for t in theta {
            *t *= factor;
        }
    }
}

/// The sign with sign(0) = 0, as torch's `sign`.
#[inline]
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x
    }
}

/// How Keras spells the parameters of torch.optim's Adam family.
const ADAM_NAMES: &[(&str, &str)] = &[("beta1", "beta_1"), ("beta2", "beta_2"), ("eps", "epsilon")];

pub(super) const SGD: OptimizerItem = OptimizerItem {
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

const VELOCITY: &str = "v (velocity, lr units)";

pub(super) const RMSPROP: OptimizerItem = OptimizerItem {
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

pub(super) const ADAM: OptimizerItem = OptimizerItem {
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

pub(super) const ADAMW: OptimizerItem = OptimizerItem {
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

const FIRST: &str = "m (first moment)";
const SECOND: &str = "v (second moment)";
const V_MAX: &str = "max v (AMSGrad)";

pub(super) const ADAGRAD: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "keras.adagrad",
        summary: "keras.optimizers.Adagrad: s ← s + g², starting at 0.1; θ ← θ − lr·g/√(s + ε)",
        params: &[
            ParamDef::num(
                "initial_accumulator_value",
                Check::NonNegative,
                0.1,
                "starting value of the sum of squares (torch starts at 0)",
            ),
            EPSILON,
            WEIGHT_DECAY,
        ],
    },
    build: |a| {
        Ok(AnyOptimizer::Keras(KerasOptimizer::Adagrad(
            Adagrad::from_args(a),
        )))
    },
    vector: Some(|a| Ok(VecOptimizer::new(Adagrad::from_args(a)))),
    code: Code::Keras {
        expr: |a, lr| {
            format!(
                "keras.optimizers.Adagrad(learning_rate={lr}, initial_accumulator_value={}, epsilon={}, weight_decay={})",
                py(a.num("initial_accumulator_value")),
                py(a.num("epsilon")),
                keras_wd(a)
            )
        },
        twin: Some(Twin {
            torch: "adagrad",
            renamed: &[("eps", "epsilon")],
        }),
    },
};

/// `keras.optimizers.Adagrad`.
#[derive(Clone, Debug, PartialEq)]
pub struct Adagrad<V = Point> {
    pub initial_accumulator_value: f64,
    pub epsilon: f64,
    pub weight_decay: f64,
    sum: V,
}

impl<V: Params> Adagrad<V> {
    fn from_args(a: &Args) -> Self {
        Self {
            initial_accumulator_value: a.num("initial_accumulator_value"),
            epsilon: a.num("epsilon"),
            weight_decay: a.num("weight_decay"),
            // A point is always sized, so its accumulator starts at the initial value here; a
            // vector is sized (and filled) on its first update.
            sum: V::filled(0, a.num("initial_accumulator_value")),
        }
    }
}

impl<V: Params> Update<V> for Adagrad<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        decay(theta, lr, self.weight_decay);
        if self.sum.as_ref().len() != n {
            self.sum = V::filled(n, self.initial_accumulator_value);
        }
        let sum = self.sum.as_mut();
        for i in 0..n {
            let g = grad[i];
            sum[i] += g * g;
            theta[i] += -((g * lr) / (sum[i] + self.epsilon).sqrt());
        }
    }
}

impl Optimizer for Adagrad {
    point_step!();

    fn preconditioner(&self) -> Option<Point> {
        Some(self.sum.map(|s| (s + self.epsilon).sqrt()))
    }
}

impl Explain for Adagrad {
    fn rule(&self) -> &'static [&'static str] {
        &["s ← s + g²   (s starts at 0.1)", "θ ← θ − lr·g/√(s + ε)"]
    }

    fn terms(&self) -> Vec<Term> {
        vec![Term {
            name: "s (sum of g²)",
            value: self.sum,
        }]
    }
}

pub(super) const ADADELTA: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "keras.adadelta",
        summary: "keras.optimizers.Adadelta: the step's units from the average of past steps, ρ = 0.95, ε = 1e-7, scaled by lr (Keras's default lr is 0.001; torch's is 1)",
        params: &[
            ParamDef::num("rho", Check::UnitOpen, 0.95, "decay ρ of both averages"),
            EPSILON,
            WEIGHT_DECAY,
        ],
    },
    build: |a| {
        Ok(AnyOptimizer::Keras(KerasOptimizer::Adadelta(
            Adadelta::from_args(a),
        )))
    },
    vector: Some(|a| Ok(VecOptimizer::new(Adadelta::from_args(a)))),
    code: Code::Keras {
        expr: |a, lr| {
            format!(
                "keras.optimizers.Adadelta(learning_rate={lr}, rho={}, epsilon={}, weight_decay={})",
                py(a.num("rho")),
                py(a.num("epsilon")),
                keras_wd(a)
            )
        },
        twin: Some(Twin {
            torch: "adadelta",
            renamed: &[("eps", "epsilon")],
        }),
    },
};

/// `keras.optimizers.Adadelta`.
#[derive(Clone, Debug, PartialEq)]
pub struct Adadelta<V = Point> {
    pub rho: f64,
    pub epsilon: f64,
    pub weight_decay: f64,
    grads: V,
    deltas: V,
}

impl<V: Params> Adadelta<V> {
    fn from_args(a: &Args) -> Self {
        Self {
            rho: a.num("rho"),
            epsilon: a.num("epsilon"),
            weight_decay: a.num("weight_decay"),
            grads: V::filled(0, 0.0),
            deltas: V::filled(0, 0.0),
        }
    }
}

impl<V: Params> Update<V> for Adadelta<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        decay(theta, lr, self.weight_decay);
        fit(&mut self.grads, n, 0.0);
        fit(&mut self.deltas, n, 0.0);
        let (rho, eps) = (self.rho, self.epsilon);
        let (grads, deltas) = (self.grads.as_mut(), self.deltas.as_mut());
        for i in 0..n {
            let g = grad[i];
            grads[i] = grads[i] * rho + (1.0 - rho) * (g * g);
            let delta = -(((deltas[i] + eps).sqrt() * g) / (grads[i] + eps).sqrt());
            deltas[i] = deltas[i] * rho + (1.0 - rho) * (delta * delta);
            theta[i] += lr * delta;
        }
    }
}

impl Optimizer for Adadelta {
    point_step!();
}

impl Explain for Adadelta {
    fn rule(&self) -> &'static [&'static str] {
        &[
            "s ← ρ·s + (1 − ρ)·g²",
            "δ = −√(u + ε)·g/√(s + ε),   u ← ρ·u + (1 − ρ)·δ²",
            "θ ← θ + lr·δ",
        ]
    }

    fn terms(&self) -> Vec<Term> {
        vec![
            Term {
                name: "s (average of g²)",
                value: self.grads,
            },
            Term {
                name: "u (average of δ²)",
                value: self.deltas,
            },
        ]
    }
}

pub(super) const NADAM: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "keras.nadam",
        summary: "keras.optimizers.Nadam: Adam with Nesterov momentum and Dozat's momentum schedule μ_t = β1·(1 − 0.5·0.96^t)",
        params: &[BETA_1, BETA_2, EPSILON, WEIGHT_DECAY],
    },
    build: |a| {
        Ok(AnyOptimizer::Keras(KerasOptimizer::Nadam(
            Nadam::from_args(a),
        )))
    },
    vector: Some(|a| Ok(VecOptimizer::new(Nadam::from_args(a)))),
    code: Code::Keras {
        expr: |a, lr| {
            format!(
                "keras.optimizers.Nadam(learning_rate={lr}, beta_1={}, beta_2={}, epsilon={}, weight_decay={})",
                py(a.num("beta_1")),
                py(a.num("beta_2")),
                py(a.num("epsilon")),
                keras_wd(a)
            )
        },
        twin: Some(Twin {
            torch: "nadam",
            renamed: ADAM_NAMES,
        }),
    },
};

/// `keras.optimizers.Nadam`.
#[derive(Clone, Debug, PartialEq)]
pub struct Nadam<V = Point> {
    pub beta_1: f64,
    pub beta_2: f64,
    pub epsilon: f64,
    pub weight_decay: f64,
    m: V,
    v: V,
    u_product: f64,
    t: u64,
}

impl<V: Params> Nadam<V> {
    fn from_args(a: &Args) -> Self {
        Self {
            beta_1: a.num("beta_1"),
            beta_2: a.num("beta_2"),
            epsilon: a.num("epsilon"),
            weight_decay: a.num("weight_decay"),
            m: V::filled(0, 0.0),
            v: V::filled(0, 0.0),
            u_product: 1.0,
            t: 0,
        }
    }
}

impl<V: Params> Update<V> for Nadam<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        decay(theta, lr, self.weight_decay);
        fit(&mut self.m, n, 0.0);
        fit(&mut self.v, n, 0.0);
        self.t += 1;
        let (b1, b2) = (self.beta_1, self.beta_2);
        let (local_step, next_step) = (self.t as f64, (self.t + 1) as f64);
        let u_t = b1 * (1.0 - 0.5 * 0.96f64.powf(local_step));
        let u_t_1 = b1 * (1.0 - 0.5 * 0.96f64.powf(next_step));
        let u_product_t = self.u_product * u_t;
        let u_product_t_1 = u_product_t * u_t_1;
        let beta_2_power = b2.powf(local_step);
        self.u_product = u_product_t;
        let (m, v) = (self.m.as_mut(), self.v.as_mut());
        for i in 0..n {
            let g = grad[i];
            m[i] = m[i] * b1 + (1.0 - b1) * g;
            v[i] = v[i] * b2 + (1.0 - b2) * (g * g);
            let m_hat =
                (m[i] * u_t_1) / (1.0 - u_product_t_1) + (g * (1.0 - u_t)) / (1.0 - u_product_t);
            let v_hat = v[i] / (1.0 - beta_2_power);
            theta[i] += -((m_hat * lr) / (v_hat.sqrt() + self.epsilon));
        }
    }
}

impl Optimizer for Nadam {
    point_step!();

    fn preconditioner(&self) -> Option<Point> {
        let c2 = 1.0 - self.beta_2.powf(self.t as f64);
        (self.t > 0).then(|| self.v.map(|v| (v / c2).sqrt() + self.epsilon))
    }
}

impl Explain for Nadam {
    fn rule(&self) -> &'static [&'static str] {
        &[
            "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²",
            "μ_t = β1·(1 − ½·0.96^t),   v_hat = v/(1 − β2^t)",
            "θ ← θ − lr·[(1 − μ_t)·g/(1 − Πμ) + μ_{t+1}·m/(1 − Πμ·μ_{t+1})] / (√v_hat + ε)",
        ]
    }

    fn terms(&self) -> Vec<Term> {
        vec![
            Term {
                name: "m (first moment)",
                value: self.m,
            },
            Term {
                name: "v (second moment)",
                value: self.v,
            },
            Term {
                name: "Πμ (momentum product)",
                value: [self.u_product; 2],
            },
        ]
    }
}

pub(super) const LION: OptimizerItem = OptimizerItem {
    def: ItemDef {
        name: "keras.lion",
        summary: "keras.optimizers.Lion: θ ← θ − lr·sign(β1·m + (1 − β1)·g); m ← β2·m + (1 − β2)·g",
        params: &[
            ParamDef::num("beta_1", Check::UnitOpen, 0.9, "interpolation for the step"),
            ParamDef::num("beta_2", Check::UnitOpen, 0.99, "decay of the momentum"),
            WEIGHT_DECAY,
        ],
    },
    build: |a| {
        Ok(AnyOptimizer::Keras(KerasOptimizer::Lion(Lion::from_args(
            a,
        ))))
    },
    vector: Some(|a| Ok(VecOptimizer::new(Lion::from_args(a)))),
    code: Code::Keras {
        expr: |a, lr| {
            format!(
                "keras.optimizers.Lion(learning_rate={lr}, beta_1={}, beta_2={}, weight_decay={})",
                py(a.num("beta_1")),
                py(a.num("beta_2")),
                keras_wd(a)
            )
        },
        twin: Some(Twin {
            torch: "lion",
            renamed: &[("beta1", "beta_1"), ("beta2", "beta_2")],
        }),
    },
};

/// `keras.optimizers.Lion`.
#[derive(Clone, Debug, PartialEq)]
pub struct Lion<V = Point> {
    pub beta_1: f64,
    pub beta_2: f64,
    pub weight_decay: f64,
    m: V,
}

impl<V: Params> Lion<V> {
    fn from_args(a: &Args) -> Self {
        Self {
            beta_1: a.num("beta_1"),
            beta_2: a.num("beta_2"),
            weight_decay: a.num("weight_decay"),
            m: V::filled(0, 0.0),
        }
    }
}

impl<V: Params> Update<V> for Lion<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64) {
        let (theta, grad) = (theta.as_mut(), grad.as_ref());
        let n = theta.len();
        decay(theta, lr, self.weight_decay);
        fit(&mut self.m, n, 0.0);
        let (b1, b2) = (self.beta_1, self.beta_2);
        let m = self.m.as_mut();
        for i in 0..n {
            let g = grad[i];
            let c = sign(m[i] * b1 + (1.0 - b1) * g);
            theta[i] += -(c * lr);
            m[i] = m[i] * b2 + (1.0 - b2) * g;
        }
    }
}

impl Optimizer for Lion {
    point_step!();
}

impl Explain for Lion {
    fn rule(&self) -> &'static [&'static str] {
        &[
            "θ ← θ − lr·sign(β1·m + (1 − β1)·g)",
            "m ← β2·m + (1 − β2)·g",
        ]
    }

    fn terms(&self) -> Vec<Term> {
        vec![Term {
            name: "m (momentum)",
            value: self.m,
        }]
    }
}
