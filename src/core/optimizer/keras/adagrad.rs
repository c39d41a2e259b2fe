//! `keras.optimizers.Adagrad`: its item, state and update rule, as Keras 3 computes it.

use super::*;

pub(crate) const ADAGRAD: OptimizerItem = OptimizerItem {
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
