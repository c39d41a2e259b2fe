//! Training a network ([`crate::core::network`]) with the optimizers, schedules and warmups
//! of the surfaces: one row per step with the training loss, the held-out loss and the
//! gradient's norm, as `optiscope train` prints it and the window plots it.

use std::fmt;

use crate::core::network::{BatchStream, Data, Mlp, Task, batches};
use crate::core::optimizer::VecOptimizer;
use crate::core::run::simulation::{DIVERGENCE_BOUND, DivergenceReason, Status};
use crate::core::schedule::LrSchedule;
use crate::core::spec::{Spec, SpecError};

/// Everything a training run is made of, as specs and numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSettings {
    pub model: Spec,
    pub data: Spec,
    pub optimizer: Spec,
    pub lr: f64,
    pub schedule: Spec,
    pub warmup: Spec,
    pub steps: u64,
    /// Rows per update; 0 is the whole training set.
    pub batch_size: usize,
    /// Seed of the initial parameters and of the minibatch order.
    pub seed: u64,
}

/// Why a training run could not be set up: which setting, and what is wrong with it.
#[derive(Debug)]
pub struct TrainError {
    pub setting: &'static str,
    pub error: SpecError,
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.setting, self.error)
    }
}

impl std::error::Error for TrainError {}

impl TrainError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        crate::tr!(
            "error-field",
            field = self.setting,
            error = self.error.text()
        )
    }
}

/// One row: the state before update `step` (row 0 is the initialization).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainRow {
    pub step: u64,
    pub lr: f64,
    /// Mean loss over the whole training set at θ_step.
    pub loss: f64,
    /// Mean loss over the held-out rows at θ_step.
    pub test_loss: f64,
    /// Norm of the whole training set's gradient at θ_step.
    pub grad_norm: f64,
}

/// A validated training run, ready to run any number of times.
#[derive(Clone, Debug)]
pub struct Training {
    pub net: Mlp,
    pub data: Data,
    /// θ_0, from `nn.Linear`'s initialization at the seed.
    pub init: Vec<f64>,
    /// Rows per update; 0 is the whole training set.
    pub batch_size: usize,
    seed: u64,
    optimizer: VecOptimizer,
    schedule: LrSchedule,
    pub steps: u64,
}

/// Power iterations per sharpness value: enough for 1e-6 on the networks of the lecture
/// scenes, whose top eigenvalue is well separated.
pub const SHARPNESS_ITERATIONS: usize = 300;
/// Power iterations of a [`SharpnessTracker`]'s first estimate, and of each later one, which
/// starts from the eigenvector before it (a few steps move it little).
pub const SHARPNESS_FIRST: usize = 100;
pub const SHARPNESS_NEXT: usize = 15;

/// λmax along one training path, warm-started: the first estimate takes [`SHARPNESS_FIRST`]
/// power iterations, each later one polishes the last eigenvector with [`SHARPNESS_NEXT`], so
/// the window follows the sharpness every few steps at an interactive pace.
/// [`Training::sharpness`] (the CLI's column) starts afresh with [`SHARPNESS_ITERATIONS`] each
/// time; both converge to the same eigenvalue (a test holds them together).
#[derive(Clone, Debug, Default)]
pub struct SharpnessTracker {
    eigenvector: Option<Vec<f64>>,
}

impl SharpnessTracker {
    /// λmax of the training loss at `params`.
    pub fn at(&mut self, training: &Training, params: &[f64]) -> f64 {
        let d = &training.data;
        let all: Vec<usize> = (0..d.x.len()).collect();
        let (iterations, mut v) = match self.eigenvector.take() {
            Some(v) => (SHARPNESS_NEXT, v),
            None => {
                // A fixed start that is not orthogonal to anything in particular.
                let v = (0..params.len())
                    .map(|i| 1.0 + ((i * 7919) % 101) as f64 / 101.0)
                    .collect();
                (SHARPNESS_FIRST, v)
            }
        };
        let lambda = training
            .net
            .sharpness_from(params, d.task, &d.x, &d.y, &all, iterations, &mut v);
        if lambda.is_finite() {
            self.eigenvector = Some(v);
        }
        lambda
    }
}

/// The minibatch order is drawn from a stream of its own, so changing the batch size does not
/// change the initial parameters.
const BATCH_STREAM: u64 = 0x9e37_79b9_7f4a_7c15;

impl Training {
    pub fn new(s: &TrainSettings) -> Result<Self, TrainError> {
        let err = |setting| move |error| TrainError { setting, error };
        let data = Data::from_spec(&s.data).map_err(err("data"))?;
        let net = Mlp::from_spec(&s.model, data.inputs).map_err(err("model"))?;
        let optimizer = VecOptimizer::from_spec(&s.optimizer).map_err(err("optimizer"))?;
        let schedule =
            LrSchedule::from_specs(s.lr, &s.schedule, &s.warmup).map_err(err("schedule"))?;
        let init = net.init(s.seed);
        Ok(Self {
            net,
            data,
            init,
            batch_size: s.batch_size,
            seed: s.seed,
            optimizer,
            schedule,
            steps: s.steps,
        })
    }

    /// Trains from θ_0, calling `row` with every step's row and θ for steps 0..=steps (the
    /// rows a diverged run reached); returns how it ended. `params` ends as the last θ.
    pub fn run(&self, params: &mut Vec<f64>, mut row: impl FnMut(&TrainRow, &[f64])) -> Status {
        let mut trainer = Trainer::new(self);
        while trainer.advance(&mut row) {}
        params.clone_from(&trainer.params);
        trainer.status().unwrap_or(Status::Completed)
    }

    /// The training rows of each of the run's updates (empty for full batch), as
    /// `--dump-data` writes them.
    pub fn batches(&self) -> Vec<Vec<usize>> {
        if self.batch_size == 0 {
            return Vec::new();
        }
        batches(
            self.data.x.len(),
            self.batch_size,
            self.steps as usize,
            self.seed ^ BATCH_STREAM,
        )
    }

    /// λmax of the training loss's Hessian at `params` (see [`Mlp::sharpness`]), with
    /// [`SHARPNESS_ITERATIONS`] power iterations from a fixed start.
    pub fn sharpness(&self, params: &[f64]) -> f64 {
        let d = &self.data;
        let all: Vec<usize> = (0..d.x.len()).collect();
        self.net
            .sharpness(params, d.task, &d.x, &d.y, &all, SHARPNESS_ITERATIONS, 0)
    }

    /// Whether the data set is a classification (a logit and a decision boundary).
    pub fn classifies(&self) -> bool {
        self.data.task == Task::Classification
    }
}

/// A training run one step at a time, so a caller can stop between steps (a window that
/// trains a slice per frame, or shows rows as they come) and go on later. [`Training::run`]
/// is a loop over it.
/// It owns a copy of the training (a small data set), so it can live in background work.
#[derive(Clone, Debug)]
pub struct Trainer {
    training: Training,
    /// θ_k before [`Trainer::advance`] (θ after the last step once it is done).
    pub params: Vec<f64>,
    optimizer: VecOptimizer,
    schedule: crate::core::schedule::LrRunner<'static>,
    batches: Option<BatchStream>,
    all: Vec<usize>,
    grad: Vec<f64>,
    batch_grad: Vec<f64>,
    /// The next step's index.
    k: u64,
    ended: Option<Status>,
}

impl Trainer {
    /// At θ_0, nothing computed yet.
    pub fn new(training: &Training) -> Self {
        let n = training.data.x.len();
        let batches = (training.batch_size > 0 && training.batch_size < n)
            .then(|| BatchStream::new(n, training.batch_size, training.seed ^ BATCH_STREAM));
        Self {
            params: training.init.clone(),
            optimizer: training.optimizer.clone(),
            schedule: training.schedule.clone().into_runner(),
            batches,
            all: (0..n).collect(),
            grad: vec![0.0; training.init.len()],
            batch_grad: vec![0.0; training.init.len()],
            k: 0,
            ended: None,
            training: training.clone(),
        }
    }

    /// The training it runs.
    pub fn training(&self) -> &Training {
        &self.training
    }

    /// How the run ended, once it has.
    pub fn status(&self) -> Option<Status> {
        self.ended
    }

    /// The step the next [`Trainer::advance`] reports.
    pub fn step(&self) -> u64 {
        self.k
    }

    /// Evaluates θ_k, calls `row` with its row and θ_k (unless it diverged), and takes update
    /// k; false once the run has ended (completed or diverged) and nothing was done.
    pub fn advance(&mut self, mut row: impl FnMut(&TrainRow, &[f64])) -> bool {
        if self.ended.is_some() {
            return false;
        }
        let t = &self.training;
        let d = &t.data;
        let k = self.k;
        let params = &mut self.params;
        let loss = t
            .net
            .loss_and_gradient(params, d.task, &d.x, &d.y, &self.all, &mut self.grad);
        if k > 0 && loss.is_finite() {
            self.schedule.observe(k - 1, loss);
        }
        let grad_norm = self.grad.iter().map(|g| g * g).sum::<f64>().sqrt();
        self.schedule.observe_gradient_norm(k, grad_norm);
        let lr = self.schedule.lr(k);
        let runaway = params
            .iter()
            .position(|p| !p.is_finite() || p.abs() > DIVERGENCE_BOUND)
            .map(|index| DivergenceReason::WeightOutOfBounds {
                index,
                value: params[index],
            });
        let reason = if runaway.is_some() {
            runaway
        } else if !loss.is_finite() {
            Some(DivergenceReason::NonFiniteLoss { value: loss })
        } else if !grad_norm.is_finite() {
            Some(DivergenceReason::NonFiniteGradient)
        } else if !lr.is_finite() {
            Some(DivergenceReason::NonFiniteLearningRate { value: lr })
        } else {
            None
        };
        if let Some(reason) = reason {
            self.ended = Some(Status::Diverged { step: k, reason });
            return false;
        }
        row(
            &TrainRow {
                step: k,
                lr,
                loss,
                test_loss: t.net.loss(params, d.task, &d.x_test, &d.y_test),
                grad_norm,
            },
            params,
        );
        if k == t.steps {
            self.ended = Some(Status::Completed);
            return false;
        }
        let g = match &mut self.batches {
            Some(stream) => {
                let rows = stream.next_batch();
                t.net
                    .loss_and_gradient(params, d.task, &d.x, &d.y, rows, &mut self.batch_grad);
                &self.batch_grad
            }
            None => &self.grad,
        };
        self.optimizer.update(params, g, lr);
        self.k += 1;
        true
    }
}

/// The data set as JSON for `--dump-data`: `{"x", "y", "x_test", "y_test"[, "batches"]}`.
pub fn data_json(t: &Training) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    map.insert("x".into(), serde_json::json!(t.data.x));
    map.insert("y".into(), serde_json::json!(t.data.y));
    map.insert("x_test".into(), serde_json::json!(t.data.x_test));
    map.insert("y_test".into(), serde_json::json!(t.data.y_test));
    let batches = t.batches();
    if !batches.is_empty() {
        map.insert("batches".into(), serde_json::json!(batches));
    }
    serde_json::Value::Object(map)
}

/// The initial parameters as JSON for `--dump-init`: `{"layers": [{"weight", "bias"}, ...]}`,
/// weights in `nn.Linear`'s (out, in) layout, first layer first.
pub fn init_json(t: &Training) -> serde_json::Value {
    let layers: Vec<serde_json::Value> = t
        .net
        .layers(&t.init)
        .into_iter()
        .zip(t.net.sizes.windows(2))
        .map(|((w, b), sizes)| {
            let rows: Vec<&[f64]> = w.chunks(sizes[0]).collect();
            serde_json::json!({ "weight": rows, "bias": b })
        })
        .collect();
    serde_json::json!({ "layers": layers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::parse_spec;

    fn settings(optimizer: &str, lr: f64, batch_size: usize) -> TrainSettings {
        TrainSettings {
            model: parse_spec("mlp(hidden=[8])").unwrap(),
            data: parse_spec("moons(n=60)").unwrap(),
            optimizer: parse_spec(optimizer).unwrap(),
            lr,
            schedule: Spec::named("constant"),
            warmup: Spec::named("none"),
            steps: 30,
            batch_size,
            seed: 0,
        }
    }

    #[test]
    fn the_warm_started_sharpness_of_the_window_agrees_with_the_clis() {
        // Along one path the tracker polishes its last eigenvector a few iterations a time;
        // the CLI's column iterates from scratch. Both are the top of the same spectrum.
        let mut s = settings("sgd", 0.5, 0);
        s.steps = 200;
        let t = Training::new(&s).unwrap();
        let mut tracker = SharpnessTracker::default();
        let mut pairs = Vec::new();
        let mut params = Vec::new();
        t.run(&mut params, |row, p| {
            if row.step % 10 == 0 {
                pairs.push((row.step, tracker.at(&t, p), t.sharpness(p)));
            }
        });
        assert_eq!(pairs.len(), 21);
        for (step, warm, cold) in pairs {
            assert!(warm > 0.0 && cold > 0.0, "step {step}: {warm} vs {cold}");
            assert!(
                (warm - cold).abs() <= 1e-3 * cold,
                "step {step}: warm {warm} vs cold {cold}"
            );
        }
    }

    #[test]
    fn rows_start_before_the_first_update_and_a_huge_lr_diverges() {
        let t = Training::new(&settings("sgd", 0.1, 0)).unwrap();
        let mut rows = Vec::new();
        let mut params = Vec::new();
        assert_eq!(t.run(&mut params, |r, _| rows.push(*r)), Status::Completed);
        assert_eq!(rows.len(), 31);
        assert_eq!(rows[0].step, 0);
        assert!(rows[30].loss < rows[0].loss);
        // Saturated tanh units stop a classifier's weights from running away (its loss just
        // stays high); a regression's linear output does not.
        let mut s = settings("sgd", 10.0, 0);
        s.data = parse_spec("line(n=60)").unwrap();
        let t = Training::new(&s).unwrap();
        let mut rows = Vec::new();
        let status = t.run(&mut params, |r, _| rows.push(*r));
        let Status::Diverged { step, .. } = status else {
            panic!("{status}")
        };
        assert_eq!(rows.len() as u64, step);
    }

    #[test]
    fn minibatches_change_the_path_not_the_start() {
        let full = Training::new(&settings("sgd", 0.1, 0)).unwrap();
        let mini = Training::new(&settings("sgd", 0.1, 8)).unwrap();
        assert_eq!(full.init, mini.init);
        assert_eq!(mini.batches().len(), 30);
        assert!(full.batches().is_empty());
        let (mut a, mut b) = (Vec::new(), Vec::new());
        full.run(&mut a, |_, _| {});
        mini.run(&mut b, |_, _| {});
        assert_ne!(a, b);
        let err = Training::new(&settings("newton", 0.1, 0)).unwrap_err();
        assert!(err.to_string().starts_with("optimizer: "), "{err}");
    }

    #[test]
    fn a_training_error_speaks_the_windows_language_and_keeps_its_english() {
        let e = TrainError {
            setting: "optimizer",
            error: crate::core::optimizer::AnyOptimizer::from_spec(&Spec::named("adamm"))
                .expect_err("unknown"),
        };
        crate::text::assert_translated(&e, TrainError::text);
    }
}
