//! `keras.optimizers.Nadam`: its item, state and update rule, as Keras 3 computes it.

use super::*;

pub(crate) const NADAM: OptimizerItem = OptimizerItem {
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
