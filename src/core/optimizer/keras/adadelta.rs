//! `keras.optimizers.Adadelta`: its item, state and update rule, as Keras 3 computes it.

use super::*;

pub(crate) const ADADELTA: OptimizerItem = OptimizerItem {
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
