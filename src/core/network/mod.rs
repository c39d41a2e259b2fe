//! Small networks on 2D data: the real thing the surfaces are an analogy for. Data sets are
//! generated from a seed (`spirals`, `moons`, `circles`, `xor`, `gaussians` for binary
//! classification, `line` and `sine` for regression); the model is a multilayer perceptron
//! with PyTorch's `nn.Linear` layout and default initialization; the loss is
//! `BCEWithLogitsLoss` or `MSELoss` (mean), with its exact gradient by backpropagation. The
//! optimizers that train it are the surfaces' own ([`crate::core::optimizer::VecOptimizer`]).
//!
//! Why this file is over 700 lines: 227 of them are its tests (the model's forward and backward
//! passes), kept beside the code they check; the code is 508 lines.

use ndarray::{Array2, ArrayView1, ArrayView2, azip};
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

use crate::core::spec::{ItemDef, Kind, ParamDef, Registry, Spec, SpecError};
use crate::core::surface::RunRng;

mod batches;
mod data;
pub mod landscape;
pub mod train;
pub use batches::{BatchStream, batches};
pub use data::{DATASETS, Data, DatasetItem, MAX_POINTS, Row, Task};

/// The activation between layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Tanh,
    Relu,
    Sigmoid,
}

impl Activation {
    #[inline]
    fn apply(self, z: f64) -> f64 {
        match self {
            Self::Tanh => tanh(z),
            Self::Relu => z.max(0.0),
            Self::Sigmoid => sigmoid(z),
        }
    }

    /// The derivative, from the activation's output `a` (and its input `z` for ReLU, whose
    /// derivative at 0 is 0 as in PyTorch).
    #[inline]
    fn derivative(self, z: f64, a: f64) -> f64 {
        match self {
            Self::Tanh => 1.0 - a * a,
            Self::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Self::Sigmoid => a * (1.0 - a),
        }
    }

    /// The second derivative, from the output `a` (ReLU's is 0 almost everywhere).
    #[inline]
    fn second_derivative(self, a: f64) -> f64 {
        match self {
            Self::Tanh => -2.0 * a * (1.0 - a * a),
            Self::Relu => 0.0,
            Self::Sigmoid => a * (1.0 - a) * (1.0 - 2.0 * a),
        }
    }
}

/// tanh(z) as expm1(2z)/(expm1(2z) + 2): accurate to a few ulps (no cancellation near 0, as
/// 1 − 2/(e^(2z) + 1) would have) and about twice as fast as the C library's tanh, which is
/// most of a small network's forward pass.
#[inline]
fn tanh(z: f64) -> f64 {
    if z.abs() > 20.0 {
        // |tanh| rounds to 1 from |z| ≈ 19.1 on; expm1 would overflow far later.
        return z.signum();
    }
    let e = (2.0 * z).exp_m1();
    e / (e + 2.0)
}

#[inline]
fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The deepest and widest network a model spec may ask for (a 2-256-…-1 net trains at a few
/// hundred steps a second; larger ones would stall the window and its landscape).
pub const MAX_HIDDEN_LAYERS: usize = 6;
pub const MAX_WIDTH: usize = 256;

/// The models, with `optiscope list`'s names, parameters and docs.
pub static MODELS: Registry<ItemDef> = Registry::new(
    "model",
    &[ItemDef {
        name: "mlp",
        summary: "a multilayer perceptron of nn.Linear layers with one output (a logit or a value)",
        params: &[
            ParamDef::new(
                "hidden",
                Kind::IntList,
                crate::core::spec::ParamDefault::List(&[16.0, 16.0]),
                "widths of the hidden layers",
            ),
            ParamDef::choice(
                "activation",
                &["tanh", "relu", "sigmoid"],
                "between the layers",
            ),
        ],
    }],
);

/// A multilayer perceptron whose parameters are one flat vector in `nn.Sequential`'s order:
/// each layer's weight (out × in, row-major), then its bias, first layer first.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    /// Layer widths from the inputs to the single output.
    pub sizes: Vec<usize>,
    pub activation: Activation,
}

/// Scratch space for a forward and backward pass, reused between samples.
struct Pass {
    /// Each layer's pre-activations and activations (the inputs are activations 0).
    z: Vec<Vec<f64>>,
    a: Vec<Vec<f64>>,
    delta: Vec<Vec<f64>>,
}

impl Mlp {
    /// The model a spec names, for `inputs` inputs.
    pub fn from_spec(spec: &Spec, inputs: usize) -> Result<Self, SpecError> {
        let args = MODELS.resolve(spec)?;
        let hidden = args.int_list("hidden");
        if hidden.contains(&0) {
            return Err(args.invalid(crate::core::spec::InvalidReason::EmptyLayer));
        }
        if hidden.len() > MAX_HIDDEN_LAYERS || hidden.iter().any(|&h| h > MAX_WIDTH as u64) {
            return Err(
                args.invalid(crate::core::spec::InvalidReason::NetworkTooLarge {
                    layers: MAX_HIDDEN_LAYERS,
                    width: MAX_WIDTH,
                }),
            );
        }
        let mut sizes = vec![inputs];
        sizes.extend(hidden.iter().map(|&h| h as usize));
        sizes.push(1);
        let activation = match args.choice("activation").as_str() {
            "relu" => Activation::Relu,
            "sigmoid" => Activation::Sigmoid,
            _ => Activation::Tanh,
        };
        Ok(Self { sizes, activation })
    }

    /// How many parameters the flat vector holds.
    pub fn parameter_count(&self) -> usize {
        self.sizes.windows(2).map(|w| w[1] * w[0] + w[1]).sum()
    }

    /// PyTorch's `nn.Linear` default: weights and biases uniform in ±1/√fan_in (Kaiming
    /// uniform with a = √5), drawn from `seed` (not torch's generator: `--dump-init` hands the
    /// values to any tool).
    pub fn init(&self, seed: u64) -> Vec<f64> {
        let mut rng = RunRng::seed_from_u64(seed);
        let mut params = Vec::with_capacity(self.parameter_count());
        for w in self.sizes.windows(2) {
            let bound = 1.0 / (w[0] as f64).sqrt();
            for _ in 0..w[1] * w[0] + w[1] {
                params.push(rng.random_range(-bound..bound));
            }
        }
        params
    }

    /// The layers' (weight, bias) slices of a flat parameter vector.
    pub fn layers<'a>(&self, params: &'a [f64]) -> Vec<(&'a [f64], &'a [f64])> {
        let mut out = Vec::with_capacity(self.sizes.len() - 1);
        let mut at = 0;
        for w in self.sizes.windows(2) {
            let (n_w, n_b) = (w[1] * w[0], w[1]);
            out.push((&params[at..at + n_w], &params[at + n_w..at + n_w + n_b]));
            at += n_w + n_b;
        }
        out
    }

    fn pass(&self) -> Pass {
        let buffers = || self.sizes.iter().map(|&n| vec![0.0; n]).collect::<Vec<_>>();
        Pass {
            z: buffers(),
            a: buffers(),
            delta: buffers(),
        }
    }

    /// Runs one input through the network, leaving every layer's values in `pass`; returns
    /// the output (a logit or a value).
    fn forward(&self, params: &[f64], x: &[f64], pass: &mut Pass) -> f64 {
        pass.a[0].copy_from_slice(x);
        let last = self.sizes.len() - 1;
        let mut at = 0;
        for l in 1..=last {
            let (n_in, n_out) = (self.sizes[l - 1], self.sizes[l]);
            let (weight, bias) = (&params[at..at + n_out * n_in], &params[at + n_out * n_in..]);
            at += n_out * n_in + n_out;
            for o in 0..n_out {
                let row = &weight[o * n_in..(o + 1) * n_in];
                let z = bias[o]
                    + row
                        .iter()
                        .zip(&pass.a[l - 1])
                        .map(|(w, a)| w * a)
                        .sum::<f64>();
                pass.z[l][o] = z;
                pass.a[l][o] = if l == last {
                    z
                } else {
                    self.activation.apply(z)
                };
            }
        }
        pass.z[last][0]
    }

    /// The network's outputs (logits or values) for many inputs at once, as matrix products:
    /// what the window's decision boundary and fitted curve are drawn from.
    pub fn outputs(&self, params: &[f64], x: &[Vec<f64>]) -> Vec<f64> {
        let rows: Vec<usize> = (0..x.len()).collect();
        let (z, _) = self.forward_batch(params, x, &rows);
        z[self.sizes.len() - 1].column(0).to_vec()
    }

    /// The network's output for one input.
    pub fn predict(&self, params: &[f64], x: &[f64]) -> f64 {
        self.forward(params, x, &mut self.pass())
    }

    /// The mean loss over `rows` of (`x`, `y`) and, into `grad` (overwritten), its exact
    /// gradient by backpropagation.
    pub fn loss_and_gradient(
        &self,
        params: &[f64],
        task: Task,
        x: &[Vec<f64>],
        y: &[f64],
        rows: &[usize],
        grad: &mut [f64],
    ) -> f64 {
        let (z, a) = self.forward_batch(params, x, rows);
        let m = rows.len().max(1) as f64;
        let last = self.sizes.len() - 1;
        // The output layer's δ = loss'(z)/m per row.
        let mut total = 0.0;
        let mut delta = Array2::zeros((rows.len(), 1));
        for (k, &r) in rows.iter().enumerate() {
            let (loss, dout) = pointwise_loss(task, z[last][[k, 0]], y[r]);
            total += loss;
            delta[[k, 0]] = dout / m;
        }
        // Backwards: ∂W_l = δ_lᵀ·a_(l−1), ∂b_l = Σ_rows δ_l, δ_(l−1) = (δ_l·W_l) ⊙ σ'(z_(l−1)).
        let mut at = params.len();
        for l in (1..=last).rev() {
            let (n_in, n_out) = (self.sizes[l - 1], self.sizes[l]);
            at -= n_out * n_in + n_out;
            let weight = ArrayView2::from_shape((n_out, n_in), &params[at..at + n_out * n_in])
                .expect("the layer's weights");
            let grad_w = delta.t().dot(&a[l - 1]);
            grad[at..at + n_out * n_in]
                .iter_mut()
                .zip(grad_w.iter())
                .for_each(|(g, v)| *g = *v);
            for (o, g) in grad[at + n_out * n_in..at + n_out * n_in + n_out]
                .iter_mut()
                .enumerate()
            {
                *g = delta.column(o).sum();
            }
            if l > 1 {
                let mut back = delta.dot(&weight);
                let act = self.activation;
                azip!((b in &mut back, &zv in &z[l - 1], &av in &a[l - 1]) *b *= act.derivative(zv, av));
                delta = back;
            }
        }
        total / m
    }

    /// Every layer's pre-activations and activations for the rows `rows` of `x`, one row per
    /// sample (activations 0 are the inputs): the layers as matrix products.
    fn forward_batch(
        &self,
        params: &[f64],
        x: &[Vec<f64>],
        rows: &[usize],
    ) -> (Vec<Array2<f64>>, Vec<Array2<f64>>) {
        let last = self.sizes.len() - 1;
        let mut input = Array2::zeros((rows.len(), self.sizes[0]));
        for (k, &r) in rows.iter().enumerate() {
            input
                .row_mut(k)
                .iter_mut()
                .zip(&x[r])
                .for_each(|(a, v)| *a = *v);
        }
        let (mut zs, mut acts) = (vec![input.clone()], vec![input]);
        let mut at = 0;
        for l in 1..=last {
            let (n_in, n_out) = (self.sizes[l - 1], self.sizes[l]);
            let weight = ArrayView2::from_shape((n_out, n_in), &params[at..at + n_out * n_in])
                .expect("the layer's weights");
            let bias = ArrayView1::from(&params[at + n_out * n_in..at + n_out * n_in + n_out]);
            at += n_out * n_in + n_out;
            let z = acts[l - 1].dot(&weight.t()) + bias;
            let a = if l == last {
                z.clone()
            } else {
                let act = self.activation;
                z.mapv(|v| act.apply(v))
            };
            zs.push(z);
            acts.push(a);
        }
        (zs, acts)
    }

    /// The Hessian of the mean loss over `rows` times `v`, exactly (to rounding): Pearlmutter's
    /// R-operator, the directional derivative of backpropagation along `v`, at about twice
    /// the cost of a gradient. Written into `hv`.
    // The loops index several per-layer buffers and strided weight offsets by the same unit.
    #[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
    pub fn hessian_vector(
        &self,
        params: &[f64],
        task: Task,
        x: &[Vec<f64>],
        y: &[f64],
        rows: &[usize],
        v: &[f64],
        hv: &mut [f64],
    ) {
        hv.fill(0.0);
        let mut pass = self.pass();
        // R{z}, R{a} and R{δ} per layer.
        let buffers = || self.sizes.iter().map(|&n| vec![0.0; n]).collect::<Vec<_>>();
        let (mut rz, mut ra, mut rdelta) = (buffers(), buffers(), buffers());
        let m = rows.len().max(1) as f64;
        let last = self.sizes.len() - 1;
        let offsets: Vec<usize> = self
            .sizes
            .windows(2)
            .scan(0, |at, w| {
                let here = *at;
                *at += w[1] * w[0] + w[1];
                Some(here)
            })
            .collect();
        for &r in rows {
            let out = self.forward(params, &x[r], &mut pass);
            // Forward: R{z_l} = R{W}·a + W·R{a} + R{b}; R{a_l} = σ'(z_l)·R{z_l}.
            for l in 1..=last {
                let (n_in, n_out, at) = (self.sizes[l - 1], self.sizes[l], offsets[l - 1]);
                for o in 0..n_out {
                    let row = at + o * n_in;
                    let mut acc = v[at + n_out * n_in + o];
                    for i in 0..n_in {
                        acc += v[row + i] * pass.a[l - 1][i] + params[row + i] * ra[l - 1][i];
                    }
                    rz[l][o] = acc;
                    ra[l][o] = if l == last {
                        acc
                    } else {
                        self.activation.derivative(pass.z[l][o], pass.a[l][o]) * acc
                    };
                }
            }
            // The output: δ = loss'(z)/m and R{δ} = loss''(z)·R{z}/m.
            let (_, dout) = pointwise_loss(task, out, y[r]);
            let curvature = match task {
                Task::Classification => {
                    let s = sigmoid(out);
                    s * (1.0 - s)
                }
                Task::Regression => 2.0,
            };
            pass.delta[last][0] = dout / m;
            rdelta[last][0] = curvature * rz[last][0] / m;
            for l in (1..=last).rev() {
                let (n_in, n_out, at) = (self.sizes[l - 1], self.sizes[l], offsets[l - 1]);
                let b_at = at + n_out * n_in;
                for o in 0..n_out {
                    let (d, rd) = (pass.delta[l][o], rdelta[l][o]);
                    hv[b_at + o] += rd;
                    let row = at + o * n_in;
                    for i in 0..n_in {
                        hv[row + i] += rd * pass.a[l - 1][i] + d * ra[l - 1][i];
                    }
                }
                if l > 1 {
                    for i in 0..n_in {
                        let (mut back, mut rback) = (0.0, 0.0);
                        for o in 0..n_out {
                            let w = at + o * n_in + i;
                            back += params[w] * pass.delta[l][o];
                            rback += v[w] * pass.delta[l][o] + params[w] * rdelta[l][o];
                        }
                        let (z, a) = (pass.z[l - 1][i], pass.a[l - 1][i]);
                        let d1 = self.activation.derivative(z, a);
                        pass.delta[l - 1][i] = back * d1;
                        rdelta[l - 1][i] =
                            rback * d1 + back * self.activation.second_derivative(a) * rz[l - 1][i];
                    }
                }
            }
        }
    }

    /// The largest eigenvalue of the loss's Hessian over `rows` (the sharpness), by power
    /// iteration on exact Hessian-vector products from a start drawn from `seed`; shifted
    /// when the largest in magnitude is negative, so it is the top of the spectrum.
    #[allow(clippy::too_many_arguments)]
    pub fn sharpness(
        &self,
        params: &[f64],
        task: Task,
        x: &[Vec<f64>],
        y: &[f64],
        rows: &[usize],
        iterations: usize,
        seed: u64,
    ) -> f64 {
        let mut rng = RunRng::seed_from_u64(seed);
        let mut v: Vec<f64> = (0..params.len())
            .map(|_| rng.sample::<f64, _>(StandardNormal))
            .collect();
        self.sharpness_from(params, task, x, y, rows, iterations, &mut v)
    }

    /// [`Mlp::sharpness`] from the start vector `v`, which it leaves as the top eigenvector's
    /// estimate: along a training path the last one is a start a few iterations polish, so the
    /// window can follow the sharpness every few steps.
    #[allow(clippy::too_many_arguments)]
    pub fn sharpness_from(
        &self,
        params: &[f64],
        task: Task,
        x: &[Vec<f64>],
        y: &[f64],
        rows: &[usize],
        iterations: usize,
        v: &mut Vec<f64>,
    ) -> f64 {
        let n = params.len();
        let start = v.clone();
        let mut hv = vec![0.0; n];
        let mut top = |shift: f64, v: &mut Vec<f64>| -> f64 {
            v.clone_from(&start);
            let mut lambda = 0.0;
            for _ in 0..iterations {
                let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
                if !(norm > 0.0 && norm.is_finite()) {
                    return f64::NAN;
                }
                v.iter_mut().for_each(|a| *a /= norm);
                self.hessian_vector(params, task, x, y, rows, v, &mut hv);
                let next: Vec<f64> = hv
                    .iter()
                    .zip(v.iter())
                    .map(|(h, a)| h - shift * a)
                    .collect();
                lambda = next.iter().zip(v.iter()).map(|(h, a)| h * a).sum::<f64>();
                *v = next;
            }
            lambda + shift
        };
        let dominant = top(0.0, v);
        if dominant >= 0.0 || dominant.is_nan() {
            dominant
        } else {
            top(dominant, v)
        }
    }

    /// The mean loss over all of (`x`, `y`), without the gradient (the test loss).
    pub fn loss(&self, params: &[f64], task: Task, x: &[Vec<f64>], y: &[f64]) -> f64 {
        let rows: Vec<usize> = (0..x.len()).collect();
        let (z, _) = self.forward_batch(params, x, &rows);
        let out = &z[self.sizes.len() - 1];
        let total: f64 = y
            .iter()
            .enumerate()
            .map(|(k, &y)| pointwise_loss(task, out[[k, 0]], y).0)
            .sum();
        total / x.len().max(1) as f64
    }
}

/// One sample's loss and its derivative in the output: `BCEWithLogitsLoss`'s stable form
/// max(z, 0) − z·y + log(1 + e^(−|z|)), or the squared error.
#[inline]
fn pointwise_loss(task: Task, out: f64, y: f64) -> (f64, f64) {
    match task {
        Task::Classification => (
            out.max(0.0) - out * y + (-out.abs()).exp().ln_1p(),
            sigmoid(out) - y,
        ),
        Task::Regression => ((out - y) * (out - y), 2.0 * (out - y)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::parse_spec;

    fn data(text: &str) -> Data {
        Data::from_spec(&parse_spec(text).unwrap()).unwrap()
    }

    fn mlp(text: &str, inputs: usize) -> Mlp {
        Mlp::from_spec(&parse_spec(text).unwrap(), inputs).unwrap()
    }

    #[test]
    fn backpropagation_matches_central_differences() {
        for (model, set) in [
            ("mlp(hidden=[5,4],activation=tanh)", "moons(n=30,seed=1)"),
            ("mlp(hidden=[6],activation=sigmoid)", "circles(n=24,seed=2)"),
            ("mlp(hidden=[7,3],activation=relu)", "sine(n=20,seed=3)"),
        ] {
            let d = data(set);
            let net = mlp(model, d.inputs);
            let params = net.init(11);
            let rows: Vec<usize> = (0..d.x.len()).collect();
            let mut grad = vec![0.0; params.len()];
            let loss = net.loss_and_gradient(&params, d.task, &d.x, &d.y, &rows, &mut grad);
            assert!((loss - net.loss(&params, d.task, &d.x, &d.y)).abs() < 1e-15);
            let h = 1e-6;
            for k in 0..params.len() {
                let mut p = params.clone();
                p[k] += h;
                let up = net.loss(&p, d.task, &d.x, &d.y);
                p[k] -= 2.0 * h;
                let down = net.loss(&p, d.task, &d.x, &d.y);
                let numeric = (up - down) / (2.0 * h);
                assert!(
                    (numeric - grad[k]).abs() < 1e-7 * (1.0 + grad[k].abs()),
                    "{model} parameter {k}: {numeric} vs {}",
                    grad[k]
                );
            }
        }
    }

    #[test]
    fn hessian_vector_products_match_differences_of_gradients() {
        for (model, set) in [
            ("mlp(hidden=[5,4],activation=tanh)", "moons(n=30,seed=1)"),
            ("mlp(hidden=[6],activation=sigmoid)", "circles(n=24,seed=2)"),
            ("mlp(hidden=[7,3],activation=relu)", "sine(n=20,seed=3)"),
        ] {
            let d = data(set);
            let net = mlp(model, d.inputs);
            let params = net.init(5);
            let rows: Vec<usize> = (0..d.x.len()).collect();
            let v: Vec<f64> = (0..params.len())
                .map(|i| ((i * 7 % 11) as f64 - 5.0) / 5.0)
                .collect();
            let mut hv = vec![0.0; params.len()];
            net.hessian_vector(&params, d.task, &d.x, &d.y, &rows, &v, &mut hv);
            let h = 1e-5;
            let grad_at = |s: f64| {
                let p: Vec<f64> = params.iter().zip(&v).map(|(p, v)| p + s * v).collect();
                let mut g = vec![0.0; p.len()];
                net.loss_and_gradient(&p, d.task, &d.x, &d.y, &rows, &mut g);
                g
            };
            let (up, down) = (grad_at(h), grad_at(-h));
            for k in 0..params.len() {
                let numeric = (up[k] - down[k]) / (2.0 * h);
                assert!(
                    (numeric - hv[k]).abs() < 1e-6 * (1.0 + hv[k].abs()),
                    "{model} component {k}: {numeric} vs {}",
                    hv[k]
                );
            }
        }
    }

    #[test]
    fn the_sharpness_of_a_linear_regression_is_its_closed_form() {
        // A network without hidden layers on `line` is least squares: the Hessian of
        // mean((w·x + b − y)²) is 2·[[mean x², mean x], [mean x, 1]], whose top eigenvalue
        // is known in closed form.
        let d = data("line(n=50,seed=7)");
        let net = Mlp {
            sizes: vec![1, 1],
            activation: Activation::Tanh,
        };
        let rows: Vec<usize> = (0..d.x.len()).collect();
        let m = d.x.len() as f64;
        let (sxx, sx) = (
            d.x.iter().map(|x| x[0] * x[0]).sum::<f64>() / m,
            d.x.iter().map(|x| x[0]).sum::<f64>() / m,
        );
        let (a, b, c) = (2.0 * sxx, 2.0 * sx, 2.0);
        let top = 0.5 * (a + c) + (0.25 * (a - c) * (a - c) + b * b).sqrt();
        let got = net.sharpness(&[0.3, -0.2], d.task, &d.x, &d.y, &rows, 200, 0);
        assert!((got - top).abs() < 1e-10 * top, "{got} vs {top}");
    }

    #[test]
    fn tanh_is_the_libraries_to_a_few_ulps() {
        for i in -4000..=4000 {
            let z = i as f64 * 0.0061 + 1e-9 * i as f64;
            let (ours, libm) = (tanh(z), z.tanh());
            assert!(
                (ours - libm).abs() <= 4.0 * f64::EPSILON * libm.abs().max(f64::MIN_POSITIVE),
                "{z}: {ours} vs {libm}"
            );
        }
        for z in [1e-300, -1e-20, 1e-8, 19.0, 25.0, -40.0, 800.0] {
            assert!(
                (tanh(z) - z.tanh()).abs() <= 4.0 * f64::EPSILON * z.tanh().abs(),
                "{z}"
            );
        }
    }

    #[test]
    fn a_zero_network_has_the_closed_form_losses() {
        // All parameters 0: the logit is 0 and BCE is ln 2 for every point; the value is 0
        // and the squared error is mean(y²).
        let d = data("xor(n=50)");
        let net = mlp("mlp(hidden=[3])", 2);
        let zero = vec![0.0; net.parameter_count()];
        assert!((net.loss(&zero, d.task, &d.x, &d.y) - std::f64::consts::LN_2).abs() < 1e-15);
        let d = data("line(n=40)");
        let net = mlp("mlp(hidden=[3])", 1);
        let zero = vec![0.0; net.parameter_count()];
        let mean_sq = d.y.iter().map(|y| y * y).sum::<f64>() / d.y.len() as f64;
        assert!((net.loss(&zero, d.task, &d.x, &d.y) - mean_sq).abs() < 1e-12);
    }

    #[test]
    fn nn_linear_initialization_is_uniform_within_one_over_root_fan_in() {
        let net = mlp("mlp(hidden=[16,16])", 2);
        assert_eq!(net.parameter_count(), 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
        let params = net.init(0);
        assert_eq!(params.len(), net.parameter_count());
        for ((w, b), fan_in) in net.layers(&params).into_iter().zip([2.0f64, 16.0, 16.0]) {
            let bound = 1.0 / fan_in.sqrt();
            assert!(w.iter().chain(b).all(|v| v.abs() < bound));
            // Spread over the interval, not bunched: the largest is near the bound.
            let max = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            assert!(max > 0.6 * bound || w.len() < 8);
        }
        assert_eq!(net.init(0), params, "the seed decides");
        assert_ne!(net.init(1), params);
    }

    #[test]
    fn data_sets_are_balanced_seeded_and_split() {
        for name in ["spirals", "moons", "circles", "gaussians"] {
            let d = data(&format!("{name}(n=100,seed=4)"));
            assert_eq!(d.x.len() + d.x_test.len(), 100);
            assert_eq!(d.x_test.len(), 20);
            let ones = d.y.iter().chain(&d.y_test).filter(|&&y| y == 1.0).count();
            assert_eq!(ones, 50, "{name}");
            assert_eq!(data(&format!("{name}(n=100,seed=4)")), d);
            assert_ne!(data(&format!("{name}(n=100,seed=5)")), d);
        }
        // Without noise, moons lie exactly on their two unit half circles.
        let d = data("moons(n=40,noise=0)");
        for (x, y) in d.x.iter().zip(&d.y) {
            let r = if *y == 0.0 {
                x[0].hypot(x[1])
            } else {
                (x[0] - 1.0).hypot(x[1] - 0.5)
            };
            assert!((r - 1.0).abs() < 1e-12, "{x:?}");
        }
        // The line without noise is y = 2x + 1.
        let d = data("line(n=30,noise=0)");
        assert_eq!(d.task, Task::Regression);
        assert!(
            d.x.iter()
                .zip(&d.y)
                .all(|(x, y)| (y - (2.0 * x[0] + 1.0)).abs() < 1e-15)
        );
        let err = Data::from_spec(&parse_spec("moons(noise=-1)").unwrap()).unwrap_err();
        assert!(err.to_string().contains("noise"), "{err}");
    }

    #[test]
    fn the_surfaces_adam_trains_the_network() {
        // Moons are separable by a small tanh network: from about ln 2 to almost nothing on
        // the training points (and far below ln 2 on the held-out ones, which it overfits a
        // little), with the optimizer core the surfaces use.
        use crate::core::optimizer::VecOptimizer;
        let d = data("moons(n=200,noise=0.1)");
        let net = mlp("mlp(hidden=[16,16])", 2);
        let mut params = net.init(0);
        let mut adam = VecOptimizer::from_spec(&parse_spec("adam").unwrap()).unwrap();
        let rows: Vec<usize> = (0..d.x.len()).collect();
        let mut grad = vec![0.0; params.len()];
        let start = net.loss(&params, d.task, &d.x, &d.y);
        for _ in 0..600 {
            net.loss_and_gradient(&params, d.task, &d.x, &d.y, &rows, &mut grad);
            adam.update(&mut params, &grad, 0.01);
        }
        let (train, test) = (
            net.loss(&params, d.task, &d.x, &d.y),
            net.loss(&params, d.task, &d.x_test, &d.y_test),
        );
        assert!(
            start > 0.5 && train < 0.01 && test < 0.25,
            "{start} → {train}, test {test}"
        );
    }

    #[test]
    fn minibatches_cover_each_epoch_once_in_a_fresh_order() {
        let b = batches(10, 4, 6, 9);
        assert_eq!(
            b.iter().map(Vec::len).collect::<Vec<_>>(),
            [4, 4, 2, 4, 4, 2]
        );
        for epoch in [&b[..3], &b[3..]] {
            let mut rows: Vec<usize> = epoch.iter().flatten().copied().collect();
            rows.sort_unstable();
            assert_eq!(rows, (0..10).collect::<Vec<_>>());
        }
        assert_ne!(b[0], b[3], "reshuffled each epoch");
        assert_eq!(batches(10, 0, 2, 9), vec![(0..10).collect::<Vec<_>>(); 2]);
    }
}
