//! `keras.optimizers.Lion`: its item, state and update rule, as Keras 3 computes it.

use super::*;

pub(crate) const LION: OptimizerItem = OptimizerItem {
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
