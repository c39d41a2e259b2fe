//! The data sets networks train on: each one an item carrying its definition, its task and its
//! row generator, so a new data set is one more entry of [`DATASETS`] and nothing else.

use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

use crate::core::spec::{Check, Item, ItemDef, Kind, ParamDef, Registry, Spec, SpecError};
use crate::core::surface::RunRng;

/// What a data set asks of the model: a class (logistic loss) or a value (squared error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// Labels 0 or 1, `BCEWithLogitsLoss` on the network's logit.
    Classification,
    /// Real targets, `MSELoss`.
    Regression,
}

/// Generated data: inputs (2 per row for classification, 1 for regression), targets, and the
/// held-out rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Data {
    pub task: Task,
    /// Inputs per row.
    pub inputs: usize,
    pub x: Vec<Vec<f64>>,
    pub y: Vec<f64>,
    pub x_test: Vec<Vec<f64>>,
    pub y_test: Vec<f64>,
}

/// The most points a data set has, so a network trains in the window at an interactive pace.
pub const MAX_POINTS: usize = 20_000;

/// A registry item of the data-set family: its definition, what it asks of the model and how
/// its rows are drawn.
pub struct DatasetItem {
    pub def: ItemDef,
    pub task: Task,
    /// Inputs per row (the data view draws one as a curve, two as the plane).
    pub inputs: usize,
    /// Draws row `row.i` (its inputs and its target) from the seeded generator; every data
    /// set draws from the same stream in row order, so a seed fixes the whole set.
    pub row: fn(&mut Row) -> (Vec<f64>, f64),
}

impl Item for DatasetItem {
    fn def(&self) -> &ItemDef {
        &self.def
    }
}

/// What a data set's generator knows when it draws one row.
pub struct Row<'a> {
    /// The row's index, from 0.
    pub i: usize,
    /// Rows in the set.
    pub n: usize,
    /// The `noise` parameter: the standard deviation of the Gaussian noise.
    pub noise: f64,
    rng: &'a mut RunRng,
}

impl Row<'_> {
    /// The row's class where classes alternate (so a set is balanced): 0 or 1.
    pub fn class(&self) -> f64 {
        (self.i % 2) as f64
    }

    /// The row's position within its class (0, 1, ... for each class in turn), and the rows
    /// per class.
    pub fn within_class(&self) -> (f64, f64) {
        ((self.i / 2) as f64, self.n.div_ceil(2) as f64)
    }

    /// A standard normal draw.
    pub fn gauss(&mut self) -> f64 {
        self.rng.sample::<f64, _>(StandardNormal)
    }

    /// A uniform draw in `range`.
    pub fn uniform(&mut self, range: std::ops::Range<f64>) -> f64 {
        self.rng.random_range(range)
    }

    /// `point` with the noise added to each coordinate in turn.
    pub fn noisy(&mut self, point: Vec<f64>) -> Vec<f64> {
        point
            .into_iter()
            .map(|v| v + self.noise * self.gauss())
            .collect()
    }
}

const N: ParamDef = ParamDef::new(
    "n",
    Kind::Int { min: 4 },
    crate::core::spec::ParamDefault::Num(200.0),
    "number of points, training and held out",
);
const SEED: ParamDef = ParamDef::new(
    "seed",
    Kind::Int { min: 0 },
    crate::core::spec::ParamDefault::Num(0.0),
    "seed of the points and of the split",
);
const TEST: ParamDef = ParamDef::num(
    "test",
    Check::UnitOpen,
    0.2,
    "share of the points held out for the test loss",
);
const fn noise(default: f64) -> ParamDef {
    ParamDef::num(
        "noise",
        Check::NonNegative,
        default,
        "standard deviation of the Gaussian noise",
    )
}

use std::f64::consts::PI;

/// The data sets, with `optiscope list`'s names, parameters and docs.
pub static DATASETS: Registry<DatasetItem> = Registry::new(
    "data set",
    &[
        DatasetItem {
            def: ItemDef {
                name: "spirals",
                summary: "two interleaved spirals, one class each (hard: needs depth)",
                params: &[N, noise(0.1), SEED, TEST],
            },
            task: Task::Classification,
            inputs: 2,
            row: |row| {
                let ((k, half), class) = (row.within_class(), row.class());
                let r = 0.1 + 0.9 * k / half;
                let t = 3.0 * PI * k / half + class * PI;
                (row.noisy(vec![r * t.cos(), r * t.sin()]), class)
            },
        },
        DatasetItem {
            def: ItemDef {
                name: "moons",
                summary: "two interleaving half circles (scikit-learn's make_moons)",
                params: &[N, noise(0.1), SEED, TEST],
            },
            task: Task::Classification,
            inputs: 2,
            row: |row| {
                let ((k, half), class) = (row.within_class(), row.class());
                let t = PI * k / (half - 1.0).max(1.0);
                let point = if class == 0.0 {
                    vec![t.cos(), t.sin()]
                } else {
                    vec![1.0 - t.cos(), 0.5 - t.sin()]
                };
                (row.noisy(point), class)
            },
        },
        DatasetItem {
            def: ItemDef {
                name: "circles",
                summary: "a circle of radius 0.5 inside one of radius 1 (make_circles)",
                params: &[N, noise(0.05), SEED, TEST],
            },
            task: Task::Classification,
            inputs: 2,
            row: |row| {
                let ((k, half), class) = (row.within_class(), row.class());
                let t = std::f64::consts::TAU * k / half;
                let r = if class == 0.0 { 1.0 } else { 0.5 };
                (row.noisy(vec![r * t.cos(), r * t.sin()]), class)
            },
        },
        DatasetItem {
            def: ItemDef {
                name: "xor",
                summary: "uniform points in [−1, 1]², class 1 where x·y > 0",
                params: &[N, noise(0.05), SEED, TEST],
            },
            task: Task::Classification,
            inputs: 2,
            row: |row| {
                let (x, y) = (row.uniform(-1.0..1.0), row.uniform(-1.0..1.0));
                // The class is the quadrant's, not the alternation.
                let class = if x * y > 0.0 { 1.0 } else { 0.0 };
                (row.noisy(vec![x, y]), class)
            },
        },
        DatasetItem {
            def: ItemDef {
                name: "gaussians",
                summary: "two Gaussian blobs (std 0.5) around (−1, −1) and (1, 1)",
                params: &[N, noise(0.0), SEED, TEST],
            },
            task: Task::Classification,
            inputs: 2,
            row: |row| {
                let class = row.class();
                let c = if class == 0.0 { -1.0 } else { 1.0 };
                let point = vec![c + 0.5 * row.gauss(), c + 0.5 * row.gauss()];
                (row.noisy(point), class)
            },
        },
        DatasetItem {
            def: ItemDef {
                name: "line",
                summary: "regression: y = 2x + 1 + noise, x uniform in [−1, 1]",
                params: &[N, noise(0.1), SEED, TEST],
            },
            task: Task::Regression,
            inputs: 1,
            row: |row| {
                let x = row.uniform(-1.0..1.0);
                (vec![x], 2.0 * x + 1.0 + row.noise * row.gauss())
            },
        },
        DatasetItem {
            def: ItemDef {
                name: "sine",
                summary: "regression: y = sin(πx) + noise, x uniform in [−1, 1]",
                params: &[N, noise(0.1), SEED, TEST],
            },
            task: Task::Regression,
            inputs: 1,
            row: |row| {
                let x = row.uniform(-1.0..1.0);
                (vec![x], (PI * x).sin() + row.noise * row.gauss())
            },
        },
    ],
);

impl Data {
    /// Generates the data set a spec names, e.g. `moons(n=300,noise=0.2,seed=3)`.
    pub fn from_spec(spec: &Spec) -> Result<Self, SpecError> {
        let (item, args) = DATASETS.resolve_item(spec)?;
        let (n, noise, seed) = (args.int("n") as usize, args.num("noise"), args.int("seed"));
        if n > MAX_POINTS {
            return Err(args
                .invalid(crate::core::spec::InvalidReason::TooManyPoints { n, max: MAX_POINTS }));
        }
        let mut rng = RunRng::seed_from_u64(seed);
        let mut rows: Vec<(Vec<f64>, f64)> = (0..n)
            .map(|i| {
                (item.row)(&mut Row {
                    i,
                    n,
                    noise,
                    rng: &mut rng,
                })
            })
            .collect();
        // A seeded shuffle, then the last share is held out.
        for i in (1..rows.len()).rev() {
            let j = rng.random_range(0..=i);
            rows.swap(i, j);
        }
        let n_test = ((n as f64) * args.num("test")).round() as usize;
        let test = rows.split_off(n - n_test.min(n - 1));
        let (x, y) = rows.into_iter().unzip();
        let (x_test, y_test) = test.into_iter().unzip();
        Ok(Self {
            task: item.task,
            inputs: item.inputs,
            x,
            y,
            x_test,
            y_test,
        })
    }
}
