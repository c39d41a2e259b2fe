use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

use super::{AnySurface, Capabilities, CriticalPoint, RunRng, Surface, SurfaceItem};
use crate::core::math::{Mat2, Point, View, solve2};
use crate::core::python::py;
use crate::core::spec::{Args, Check, ItemDef, ParamDef, SpecError};

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "linreg",
        summary: "mean squared error of y ≈ w·x + b on data x ~ U[0,2], y = 2x + 1 + noise·N(0,1); parameters (x, y) = (w, b); batch_size 0 is full batch",
        params: &[
            ParamDef::int("n", 1, 100.0, "number of data points"),
            ParamDef::num(
                "noise",
                Check::NonNegative,
                0.5,
                "standard deviation of the label noise",
            ),
            ParamDef::int(
                "batch_size",
                0,
                0.0,
                "minibatch size per step; 0 = full batch, 1 = SGD",
            ),
            ParamDef::int("seed", 0, 0.0, "seed of the data set"),
        ],
    },
    caps: Capabilities {
        axes: ["w", "b"],
        batched: true,
    },
    build: |a| LinReg::from_args(a).map(AnySurface::LinReg),
    torch: |a| {
        let l = LinReg::from_args(a)?;
        let list = |v: &[f64]| v.iter().map(|x| py(*x)).collect::<Vec<_>>().join(", ");
        let batch = if l.batch_size > 0 {
            format!(
                "    # A fresh minibatch of {b} points per step, from torch's generator (optiscope\n    # draws its own: same distribution, different numbers).\n    idx = torch.randperm(len(X), generator=gen)[:{b}]\n    return torch.mean((p[0] * X[idx] + p[1] - Y[idx])**2)\n",
                b = l.batch_size
            )
        } else {
            "    return torch.mean((p[0] * X + p[1] - Y)**2)\n".into()
        };
        Ok(format!(
            "# The data set optiscope drew for linreg (x uniform on [0, 2], y = 2x + 1 + noise).\nX = torch.tensor([{}])\nY = torch.tensor([{}])\n\n\ndef f(p):\n    \"\"\"Mean squared error of y ≈ w·x + b at p = (w, b).\"\"\"\n{batch}",
            list(&l.xs),
            list(&l.ys)
        ))
    },
};

/// Linear regression by gradient descent, the lecture's first example: the loss of fitting
/// y ≈ w·x + b, so batch GD, mini-batch and SGD can be compared on one surface.
///
/// f(w, b) = (1/n) Σᵢ (w·xᵢ + b − yᵢ)². Its minimum is the least-squares fit (the normal
/// equations). With `batch_size > 0` each step's gradient comes from a fresh minibatch drawn,
/// without replacement, from the run's random numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct LinReg {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub batch_size: usize,
    // Sufficient statistics: the full-batch value, gradient and Hessian need only these.
    sxx: f64,
    sx: f64,
    sxy: f64,
    sy: f64,
    syy: f64,
    n: f64,
}

impl LinReg {
    fn from_args(args: &Args) -> Result<Self, SpecError> {
        let n = args.int("n");
        let batch_size = args.int("batch_size");
        if n > 1_000_000 {
            return Err(args.invalid(crate::core::spec::InvalidReason::TooManyRows(n)));
        }
        if batch_size > n {
            return Err(
                args.invalid(crate::core::spec::InvalidReason::BatchTooLarge { batch_size, n })
            );
        }
        Ok(Self::generate(
            n as usize,
            args.num("noise"),
            batch_size as usize,
            args.int("seed"),
        ))
    }

    /// Draws the data set: xᵢ uniform on [0, 2], yᵢ = 2xᵢ + 1 + noise·N(0, 1).
    pub fn generate(n: usize, noise: f64, batch_size: usize, seed: u64) -> Self {
        let mut rng = RunRng::seed_from_u64(seed);
        let mut xs = Vec::with_capacity(n);
        let mut ys = Vec::with_capacity(n);
        for _ in 0..n {
            let x: f64 = rng.random_range(0.0..2.0);
            let eps: f64 = rng.sample(StandardNormal);
            xs.push(x);
            ys.push(2.0 * x + 1.0 + noise * eps);
        }
        Self::from_data(xs, ys, batch_size)
    }

    /// A regression problem on given data (e.g. a lecture's own data set).
    pub fn from_data(xs: Vec<f64>, ys: Vec<f64>, batch_size: usize) -> Self {
        let sum = |f: &dyn Fn(f64, f64) -> f64| xs.iter().zip(&ys).map(|(&x, &y)| f(x, y)).sum();
        Self {
            sxx: sum(&|x, _| x * x),
            sx: sum(&|x, _| x),
            sxy: sum(&|x, y| x * y),
            sy: sum(&|_, y| y),
            syy: sum(&|_, y| y * y),
            n: xs.len() as f64,
            xs,
            ys,
            batch_size,
        }
    }

    /// The least-squares fit (w, b), from the normal equations.
    pub fn least_squares(&self) -> Option<Point> {
        solve2(
            [[self.sxx, self.sx], [self.sx, self.n]],
            [self.sxy, self.sy],
        )
    }

    /// Whether colors follow log(f − f_min): no, its values span a few decades at most.
    pub fn wide_range(&self) -> bool {
        false
    }

    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        self.least_squares()
            .map(CriticalPoint::minimum)
            .into_iter()
            .collect()
    }

    pub fn default_view(&self) -> View {
        View::around(self.least_squares().unwrap_or([2.0, 1.0]), 3.0)
    }
}

impl Surface for LinReg {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let (w, b) = (p[0], p[1]);
        let sse = w * w * self.sxx + 2.0 * w * b * self.sx + b * b * self.n
            - 2.0 * w * self.sxy
            - 2.0 * b * self.sy
            + self.syy;
        (sse / self.n).max(0.0)
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        let (w, b) = (p[0], p[1]);
        let k = 2.0 / self.n;
        [
            k * (w * self.sxx + b * self.sx - self.sxy),
            k * (w * self.sx + b * self.n - self.sy),
        ]
    }

    fn hessian(&self, _p: Point) -> Mat2 {
        let k = 2.0 / self.n;
        [[k * self.sxx, k * self.sx], [k * self.sx, k * self.n]]
    }

    fn sample_gradient(&self, p: Point, exact: Point, rng: &mut RunRng) -> Point {
        if self.batch_size == 0 || self.batch_size >= self.xs.len() {
            return exact;
        }
        let (w, b) = (p[0], p[1]);
        let mut g = [0.0, 0.0];
        for i in rand::seq::index::sample(rng, self.xs.len(), self.batch_size) {
            let r = w * self.xs[i] + b - self.ys[i];
            g[0] += r * self.xs[i];
            g[1] += r;
        }
        let k = 2.0 / self.batch_size as f64;
        [k * g[0], k * g[1]]
    }

    fn is_stochastic(&self) -> bool {
        self.batch_size > 0 && self.batch_size < self.xs.len()
    }
}
