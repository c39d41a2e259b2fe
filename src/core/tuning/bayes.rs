//! Automatic learning-rate search: the "just let a tuner pick the learning rate" step that lecture
//! notes mention, made visible. Bayesian optimization over x = log10(lr): a Gaussian process
//! models the final score as a function of x, and the next lr maximizes the expected improvement
//! over the best score so far (Jones, Schonlau & Welch 1998, "EGO"; Snoek, Larochelle & Adams
//! 2012, "Practical Bayesian Optimization of Machine Learning Algorithms").
//!
//! One dimension keeps everything small and exact: a dense grid replaces the inner optimizer of
//! the acquisition function, and a fixed grid of hyperparameters replaces gradient-based
//! marginal-likelihood fitting. Plain `Vec<f64>` linear algebra (Cholesky) suffices.

/// 1/√(2π), the normal density at 0.
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
/// Noise variances tried by [`Gp::fit`], relative to the standardized scores.
const NOISES: [f64; 3] = [1e-6, 1e-4, 1e-2];
/// Number of length scales tried by [`Gp::fit`], log-spaced over 0.1..3 decades of lr.
const LENGTH_SCALES: usize = 12;
/// Candidate log-lr points scanned for the maximum expected improvement.
const CANDIDATES: usize = 512;
/// Exploration margin of the search, in standard deviations of the scores.
const XI: f64 = 0.1;

/// A Gaussian process over one input (x = log10 lr) with a squared-exponential kernel
/// k(x, x') = s²·exp(−(x − x')²/(2ℓ²)): the surrogate model of the score.
#[derive(Clone, Debug, PartialEq)]
pub struct Gp {
    xs: Vec<f64>,
    /// Prior mean and scale: y = y_mean + y_scale·f, where f is the modelled process.
    y_mean: f64,
    y_scale: f64,
    length_scale: f64,
    signal_var: f64,
    /// Noise variance actually used, including any jitter added for the factorization.
    noise_var: f64,
    /// Lower Cholesky factor of K + σn²·I, row-major n×n.
    chol: Vec<f64>,
    /// (K + σn²·I)⁻¹·f at the observations.
    alpha: Vec<f64>,
    log_likelihood: f64,
}

impl Gp {
    /// Fits to observations (x_i, y_i), y standardized to mean 0 and population std 1 (std 1 when
    /// fewer than 2 points or no spread), so the hyperparameter grid fits any score units.
    /// ℓ (12 values, 0.1..3) and σn² (1e-6, 1e-4, 1e-2) maximize the log marginal likelihood;
    /// s² = 1. The prior mean is the worst score seen (see below). `None` if xs is empty, the lengths differ or any value is not finite.
    pub fn fit(xs: &[f64], ys: &[f64]) -> Option<Gp> {
        if !valid_data(xs, ys) {
            return None;
        }
        let n = ys.len() as f64;
        let average = ys.iter().sum::<f64>() / n;
        let var = ys.iter().map(|y| (y - average).powi(2)).sum::<f64>() / n;
        // A pessimistic prior: far from every trial the model expects the worst score seen,
        // so the search explores where the trials point rather than every untried corner.
        let mean = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let scale = if ys.len() >= 2 && var > 0.0 && var.is_finite() {
            var.sqrt()
        } else {
            1.0
        };
        let grid = (0..LENGTH_SCALES).flat_map(|i| {
            let ell = 0.1 * 30f64.powf(i as f64 / (LENGTH_SCALES - 1) as f64);
            NOISES.map(|noise| (ell, noise))
        });
        grid.filter_map(|(ell, noise)| Gp::build(xs, ys, mean, scale, ell, 1.0, noise))
            .max_by(|a, b| a.log_likelihood.total_cmp(&b.log_likelihood))
    }

    /// Fits with fixed hyperparameters on the raw scale of y (no standardization; `mean` is the
    /// prior mean), so the posterior can be checked against closed forms. `None` on empty,
    /// mismatched or non-finite data, or ℓ ≤ 0, s² ≤ 0, σn² < 0.
    pub fn with_params(
        xs: &[f64],
        ys: &[f64],
        length_scale: f64,
        signal_var: f64,
        noise_var: f64,
        mean: f64,
    ) -> Option<Gp> {
        let params_ok = length_scale > 0.0 && signal_var > 0.0 && noise_var >= 0.0;
        let finite = [length_scale, signal_var, noise_var, mean]
            .iter()
            .all(|v| v.is_finite());
        if !(params_ok && finite && valid_data(xs, ys)) {
            return None;
        }
        Gp::build(xs, ys, mean, 1.0, length_scale, signal_var, noise_var)
    }

    /// Posterior mean and standard deviation of the latent function at x, in the units of y
    /// (the band the picture draws); NaN for a NaN x.
    pub fn predict(&self, x: f64) -> (f64, f64) {
        if x.is_nan() {
            return (f64::NAN, f64::NAN);
        }
        let k: Vec<f64> = self.xs.iter().map(|&xi| self.kernel(x, xi)).collect();
        let mean = dot(&k, &self.alpha);
        let v = solve_lower(&self.chol, &k);
        let var = (self.signal_var - dot(&v, &v)).max(0.0);
        (self.y_mean + self.y_scale * mean, self.y_scale * var.sqrt())
    }

    /// The fitted length scale in decades of lr: how far one trial informs its neighbours.
    pub fn length_scale(&self) -> f64 {
        self.length_scale
    }

    fn kernel(&self, a: f64, b: f64) -> f64 {
        let d = (a - b) / self.length_scale;
        self.signal_var * (-0.5 * d * d).exp()
    }

    /// Factors K + σn²·I for f = (y − y_mean)/y_scale, adding jitter if it is not numerically
    /// positive definite; `None` if even the largest jitter fails.
    fn build(
        xs: &[f64],
        ys: &[f64],
        y_mean: f64,
        y_scale: f64,
        length_scale: f64,
        signal_var: f64,
        noise_var: f64,
    ) -> Option<Gp> {
        let n = xs.len();
        let f: Vec<f64> = ys.iter().map(|y| (y - y_mean) / y_scale).collect();
        for jitter in [0.0, 1e-10, 1e-8, 1e-6, 1e-4] {
            let mut gp = Gp {
                xs: xs.to_vec(),
                y_mean,
                y_scale,
                length_scale,
                signal_var,
                noise_var: noise_var + jitter * signal_var,
                chol: Vec::new(),
                alpha: Vec::new(),
                log_likelihood: f64::NAN,
            };
            let mut k = vec![0.0; n * n];
            for i in 0..n {
                for j in 0..n {
                    k[i * n + j] = gp.kernel(xs[i], xs[j]);
                }
                k[i * n + i] += gp.noise_var;
            }
            let Some(chol) = cholesky(&k, n) else {
                continue;
            };
            gp.alpha = solve_upper_t(&chol, &solve_lower(&chol, &f));
            let log_det: f64 = (0..n).map(|i| chol[i * n + i].ln()).sum();
            let two_pi = 2.0 * std::f64::consts::PI;
            gp.log_likelihood = -0.5 * dot(&f, &gp.alpha) - log_det - 0.5 * n as f64 * two_pi.ln();
            gp.chol = chol;
            return gp.log_likelihood.is_finite().then_some(gp);
        }
        None
    }
}

fn valid_data(xs: &[f64], ys: &[f64]) -> bool {
    !xs.is_empty() && xs.len() == ys.len() && xs.iter().chain(ys).all(|v| v.is_finite())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Lower Cholesky factor of a symmetric n×n row-major matrix; `None` unless positive definite.
fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s = a[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
            if i == j {
                if !s.is_finite() || s <= 0.0 {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves L·z = b by forward substitution.
fn solve_lower(l: &[f64], b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut z = vec![0.0; n];
    for i in 0..n {
        z[i] = (b[i] - dot(&l[i * n..i * n + i], &z[..i])) / l[i * n + i];
    }
    z
}

/// Solves Lᵀ·z = b by back substitution.
fn solve_upper_t(l: &[f64], b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut z = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| l[k * n + i] * z[k]).sum();
        z[i] = (b[i] - s) / l[i * n + i];
    }
    z
}

/// Expected improvement below `best` (we minimize) for a Gaussian N(mean, sd²) with exploration
/// margin xi ≥ 0: (best − mean − xi)·Φ(z) + sd·φ(z), z = (best − mean − xi)/sd; for sd == 0
/// it is max(best − mean − xi, 0). It trades a low mean against a wide band; 0 for NaN inputs.
pub fn expected_improvement(mean: f64, sd: f64, best: f64, xi: f64) -> f64 {
    let d = best - mean - xi.max(0.0);
    let ei = if sd > 0.0 {
        let z = d / sd;
        d * normal_cdf(z) + sd * normal_pdf(z)
    } else {
        d
    };
    ei.max(0.0)
}

fn normal_pdf(z: f64) -> f64 {
    INV_SQRT_2PI * (-0.5 * z * z).exp()
}

/// Standard normal CDF to ~1e-14 relative, also deep in the lower tail where EI needs it (std
/// has no erf): Marsaglia's positive series for |z| < 2, Laplace's continued fraction beyond.
pub fn normal_cdf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    let a = z.abs();
    if a < 2.0 {
        // Φ(a) − 1/2 = φ(a)·Σ a^(2n+1)/(2n+1)!!, all terms positive.
        let (mut term, mut sum, mut n) = (a, a, 1.0);
        while term > 1e-17 * sum {
            term *= a * a / (2.0 * n + 1.0);
            sum += term;
            n += 1.0;
        }
        let half = normal_pdf(a) * sum;
        return if z >= 0.0 { 0.5 + half } else { 0.5 - half };
    }
    // Upper tail Q(a) = φ(a)/(a + 1/(a + 2/(a + 3/(a + …)))), evaluated by Lentz's method.
    let tail = if a > 40.0 {
        0.0
    } else {
        let (mut f, mut c, mut d) = (a, a, 0.0);
        for n in 1..500 {
            d = 1.0 / (a + n as f64 * d);
            c = a + n as f64 / c;
            f *= c * d;
            if (c * d - 1.0).abs() < 1e-16 {
                break;
            }
        }
        normal_pdf(a) / f
    };
    if z > 0.0 { 1.0 - tail } else { tail }
}

/// One trial of the search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trial {
    /// The learning rate tried.
    pub lr: f64,
    /// What is minimized (e.g. log10 of the final loss). A non-finite score (a diverged run) is
    /// fitted as "worse than everything seen": max finite score + 1 (1 if none is finite).
    pub score: f64,
}

/// The search over [lr_min, lr_max] on a log scale: the first `initial` trials sit at the
/// centres of `initial` equal log intervals, then each next lr maximizes EI over 512 log-lr
/// candidates from lr_min to lr_max (skipping those within 1e-9 of a tried log10 lr).
#[derive(Clone, Debug)]
pub struct LrSearch {
    lr_min: f64,
    lr_max: f64,
    initial: usize,
    trials: Vec<Trial>,
}

/// A search range or start that cannot be searched, naming the bad value.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SearchError {
    #[error("lr_min must be positive and finite, got {0}")]
    LrMin(f64),
    #[error("lr_max must be finite and above lr_min = {lr_min}, got {lr_max}")]
    LrMax { lr_min: f64, lr_max: f64 },
    #[error("initial must be at least 1, got 0")]
    NoInitialTrials,
}

impl SearchError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            SearchError::LrMin(lr_min) => {
                crate::tr!("error-search-lr-min", lr_min = lr_min.to_string())
            }
            SearchError::LrMax { lr_min, lr_max } => crate::tr!(
                "error-search-lr-max",
                lr_min = lr_min.to_string(),
                lr_max = lr_max.to_string()
            ),
            SearchError::NoInitialTrials => crate::tr!("error-search-no-initial"),
        }
    }
}

impl LrSearch {
    /// A search with no trials yet; the error names the bad value (a range that is not positive,
    /// finite and increasing, or `initial` == 0).
    pub fn new(lr_min: f64, lr_max: f64, initial: usize) -> Result<Self, SearchError> {
        if !(lr_min.is_finite() && lr_min > 0.0) {
            return Err(SearchError::LrMin(lr_min));
        }
        if !(lr_max.is_finite() && lr_max > lr_min) {
            return Err(SearchError::LrMax { lr_min, lr_max });
        }
        if initial == 0 {
            return Err(SearchError::NoInitialTrials);
        }
        Ok(Self {
            lr_min,
            lr_max,
            initial,
            trials: Vec::new(),
        })
    }

    /// The lr to try next: the initial design first, then the maximum expected improvement
    /// (ties, e.g. EI underflowing to 0, go to the widest band).
    pub fn next_lr(&self) -> f64 {
        let (lo, hi) = (self.lr_min.log10(), self.lr_max.log10());
        let k = self.trials.len();
        if k < self.initial {
            return 10f64.powf(lo + (hi - lo) * (k as f64 + 0.5) / self.initial as f64);
        }
        let xs: Vec<f64> = self.trials.iter().map(|t| t.lr.log10()).collect();
        let mut choice: Option<(f64, f64, f64)> = None; // (ei, sd, x)
        if let Some((gp, best)) = self.model() {
            for x in linspace(lo, hi, CANDIDATES) {
                if xs.iter().any(|&t| (t - x).abs() < 1e-9) {
                    continue;
                }
                let (mean, sd) = gp.predict(x);
                let ei = expected_improvement(mean, sd, best, XI * gp.y_scale);
                if choice.is_none_or(|(e, s, _)| (ei, sd) > (e, s)) {
                    choice = Some((ei, sd, x));
                }
            }
        }
        10f64.powf(choice.map_or_else(|| widest_gap_centre(lo, hi, &xs), |c| c.2))
    }

    /// Records the score of a tried lr; an lr that is not finite and positive is ignored, as it
    /// has no place on the log axis.
    pub fn tell(&mut self, lr: f64, score: f64) {
        if lr.is_finite() && lr > 0.0 {
            self.trials.push(Trial { lr, score });
        }
    }

    /// The trials so far, in the order they were told.
    pub fn trials(&self) -> &[Trial] {
        &self.trials
    }

    /// The best trial so far (lowest finite score, the first on ties): the search's answer.
    pub fn best(&self) -> Option<Trial> {
        self.trials
            .iter()
            .filter(|t| t.score.is_finite())
            .min_by(|a, b| a.score.total_cmp(&b.score))
            .copied()
    }

    /// The GP fitted to the trials so far (None before any trial), for inspection and drawing.
    pub fn posterior(&self) -> Option<Gp> {
        self.model().map(|(gp, _)| gp)
    }

    /// Posterior mean, sd (draw the band mean ± 2 sd) and EI on `n` log-spaced lrs from lr_min to
    /// lr_max, as (lr, mean, sd, ei); empty before any trial.
    pub fn curve(&self, n: usize) -> Vec<(f64, f64, f64, f64)> {
        let Some((gp, best)) = self.model() else {
            return Vec::new();
        };
        let (lo, hi) = (self.lr_min.log10(), self.lr_max.log10());
        linspace(lo, hi, n)
            .into_iter()
            .map(|x| {
                let (mean, sd) = gp.predict(x);
                (
                    10f64.powf(x),
                    mean,
                    sd,
                    expected_improvement(mean, sd, best, XI * gp.y_scale),
                )
            })
            .collect()
    }

    /// Runs `trials` trials of `objective` (lr -> score), a convenience for the CLI and tests.
    pub fn run(&mut self, trials: usize, mut objective: impl FnMut(f64) -> f64) {
        for _ in 0..trials {
            let lr = self.next_lr();
            let score = objective(lr);
            self.tell(lr, score);
        }
    }

    /// The GP on (log10 lr, score with diverged runs replaced) and the best fitted score.
    fn model(&self) -> Option<(Gp, f64)> {
        let finite = self
            .trials
            .iter()
            .map(|t| t.score)
            .filter(|s| s.is_finite());
        let worst = finite.fold(f64::NEG_INFINITY, f64::max);
        let penalty = if worst.is_finite() { worst + 1.0 } else { 1.0 };
        let xs: Vec<f64> = self.trials.iter().map(|t| t.lr.log10()).collect();
        let ys: Vec<f64> = self
            .trials
            .iter()
            .map(|t| {
                if t.score.is_finite() {
                    t.score
                } else {
                    penalty
                }
            })
            .collect();
        let best = ys.iter().copied().fold(f64::INFINITY, f64::min);
        Gp::fit(&xs, &ys).map(|gp| (gp, best))
    }
}

/// `n` evenly spaced values from `lo` to `hi`, both included (the centre when n == 1).
fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![0.5 * (lo + hi)],
        _ => (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect(),
    }
}

/// Fallback when no model or candidate is left: the middle of the widest untried stretch.
fn widest_gap_centre(lo: f64, hi: f64, xs: &[f64]) -> f64 {
    let mut pts: Vec<f64> = xs
        .iter()
        .copied()
        .filter(|x| (lo..=hi).contains(x))
        .collect();
    pts.extend([lo, hi]);
    pts.sort_by(f64::total_cmp);
    let widest = pts
        .windows(2)
        .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])));
    widest.map_or(0.5 * (lo + hi), |w| 0.5 * (w[0] + w[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn normal_cdf_matches_published_values() {
        let published = [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9),
            (-1.96, 0.024_997_895_148_220_435),
            (3.0, 0.998_650_101_968_369_9),
            (-3.0, 1.349_898_031_630_094_5e-3),
            (-8.0, 6.220_960_574_271_78e-16),
        ];
        for (z, p) in published {
            let got = normal_cdf(z);
            assert!(close(got / p, 1.0, 1e-9), "Φ({z}) = {got}, published {p}");
        }
        assert_eq!(
            (normal_cdf(f64::NEG_INFINITY), normal_cdf(f64::INFINITY)),
            (0.0, 1.0)
        );
        assert!(normal_cdf(f64::NAN).is_nan());
    }

    #[test]
    fn expected_improvement_closed_forms() {
        let sd = 0.7;
        let at_best = expected_improvement(2.0, sd, 2.0, 0.0);
        assert!(close(
            at_best,
            sd / (2.0 * std::f64::consts::PI).sqrt(),
            1e-15
        ));
        assert!(close(
            expected_improvement(1.2, 1e-12, 2.0, 0.0),
            0.8,
            1e-12
        ));
        assert_eq!(expected_improvement(1.2, 0.0, 2.0, 0.3), 0.5);
        assert_eq!(expected_improvement(3.0, 0.0, 2.0, 0.0), 0.0);
        let mut last = 0.0;
        for i in 1..200 {
            let sd = 0.05 * i as f64;
            let ei = expected_improvement(2.5, sd, 2.0, 0.01);
            assert!(
                ei >= 0.0 && ei > last,
                "EI must grow with sd: {ei} after {last} at sd {sd}"
            );
            last = ei;
        }
        assert!(expected_improvement(40.0, 1.0, 0.0, 0.0) >= 0.0);
        assert_eq!(expected_improvement(f64::NAN, 1.0, 0.0, 0.0), 0.0);
    }

    #[test]
    fn one_observation_posterior_is_closed_form() {
        let (x0, y0, ell, s2, n2, m) = (-1.5, 0.8, 0.6, 2.5, 0.3, -0.4);
        let gp = Gp::with_params(&[x0], &[y0], ell, s2, n2, m).unwrap();
        for x in [-4.0, -2.0, -1.5, -1.2, 0.0, 1.7] {
            let k = s2 * (-(x - x0) * (x - x0) / (2.0 * ell * ell)).exp();
            let mean = m + k / (s2 + n2) * (y0 - m);
            let var = s2 - k * k / (s2 + n2);
            let (got_mean, got_sd) = gp.predict(x);
            assert!(
                close(got_mean, mean, 1e-12),
                "mean at {x}: {got_mean} vs {mean}"
            );
            assert!(
                close(got_sd * got_sd, var, 1e-12),
                "var at {x}: {} vs {var}",
                got_sd * got_sd
            );
        }
    }

    #[test]
    fn two_observation_posterior_matches_2x2_inverse() {
        let (xs, ys, ell, s2, n2, m) = ([-2.0, -1.1], [1.0, -0.5], 0.7, 2.0, 0.1, 0.25);
        let gp = Gp::with_params(&xs, &ys, ell, s2, n2, m).unwrap();
        let k = |a: f64, b: f64| s2 * (-(a - b) * (a - b) / (2.0 * ell * ell)).exp();
        let (a, b) = (s2 + n2, k(xs[0], xs[1]));
        let det = a * a - b * b;
        let inv = [[a / det, -b / det], [-b / det, a / det]];
        for x in [-3.0, -2.0, -1.5, -1.1, 0.5] {
            let ks = [k(x, xs[0]), k(x, xs[1])];
            let w = [
                inv[0][0] * ks[0] + inv[0][1] * ks[1],
                inv[1][0] * ks[0] + inv[1][1] * ks[1],
            ];
            let mean = m + w[0] * (ys[0] - m) + w[1] * (ys[1] - m);
            let var = s2 - (w[0] * ks[0] + w[1] * ks[1]);
            let (got_mean, got_sd) = gp.predict(x);
            assert!(
                close(got_mean, mean, 1e-12),
                "mean at {x}: {got_mean} vs {mean}"
            );
            assert!(
                close(got_sd * got_sd, var, 1e-12),
                "var at {x}: {} vs {var}",
                got_sd * got_sd
            );
        }
    }

    #[test]
    fn fitted_gp_interpolates_and_rejects_bad_data() {
        let xs = [-3.0, -2.2, -1.0, -0.4, 0.0];
        let ys: Vec<f64> = xs.iter().map(|x: &f64| (x + 1.3).powi(2) + 5.0).collect();
        let tight = Gp::with_params(&xs, &ys, 0.8, 4.0, 1e-10, 5.0).unwrap();
        let fitted = Gp::fit(&xs, &ys).unwrap();
        // Without noise the posterior passes through the data; the fitted model may choose a
        // little observation noise (its prior mean is the worst score), and passes within it
        // (scores here span 5 to 12).
        for (gp, tol, max_sd) in [(&tight, 1e-4, 1e-2), (&fitted, 0.05, 0.2)] {
            for (x, y) in xs.iter().zip(&ys) {
                let (mean, sd) = gp.predict(*x);
                assert!(
                    close(mean, *y, tol) && sd < max_sd,
                    "at {x}: {mean} ± {sd} vs {y}"
                );
            }
        }
        assert!((0.1..=3.0 + 1e-12).contains(&fitted.length_scale()));
        assert!(Gp::fit(&[], &[]).is_none());
        assert!(Gp::fit(&[0.0, 1.0], &[1.0]).is_none());
        assert!(Gp::fit(&[0.0, 1.0], &[1.0, f64::NAN]).is_none());
        assert!(Gp::with_params(&[0.0], &[1.0], 0.0, 1.0, 0.0, 0.0).is_none());
        // Duplicated inputs with no noise are singular: the jitter fallback still factors them.
        assert!(Gp::with_params(&[0.5, 0.5], &[1.0, 1.0], 1.0, 1.0, 0.0, 0.0).is_some());
    }

    fn assert_distinct(search: &LrSearch) {
        let lrs: Vec<f64> = search.trials().iter().map(|t| t.lr).collect();
        for (i, a) in lrs.iter().enumerate() {
            assert!(
                lrs[..i]
                    .iter()
                    .all(|b| (a.log10() - b.log10()).abs() > 1e-9),
                "{lrs:?}"
            );
        }
    }

    #[test]
    fn search_finds_minimum_of_quadratic_in_log_lr() {
        let mut search = LrSearch::new(1e-4, 1.0, 3).unwrap();
        assert!(close(search.next_lr().log10(), -4.0 + 4.0 / 6.0, 1e-12));
        search.run(12, |lr| (lr.log10() + 1.3).powi(2));
        assert_eq!(search.trials().len(), 12);
        let best = search.best().unwrap();
        let target = 10f64.powf(-1.3);
        assert!(
            best.lr / target < 1.15 && target / best.lr < 1.15,
            "best {best:?}"
        );
        assert_distinct(&search);
        let curve = search.curve(64);
        assert_eq!(curve.len(), 64);
        assert!(close(curve[0].0, 1e-4, 1e-16) && close(curve[63].0, 1.0, 1e-12));
        assert!(
            curve
                .iter()
                .all(|&(_, m, sd, ei)| m.is_finite() && sd >= 0.0 && ei >= 0.0)
        );
    }

    #[test]
    fn search_survives_diverged_region() {
        let mut search = LrSearch::new(1e-4, 1.0, 3).unwrap();
        let score = |lr: f64| {
            if lr > 0.3 {
                f64::INFINITY
            } else {
                (lr.log10() + 1.3).powi(2)
            }
        };
        search.run(12, score);
        let best = search.best().unwrap();
        let target = 10f64.powf(-1.3);
        assert!(
            best.lr / target < 1.15 && target / best.lr < 1.15,
            "best {best:?}"
        );
        assert_distinct(&search);
        search.tell(0.9, f64::NAN);
        search.tell(f64::NAN, 0.0);
        assert_eq!(search.trials().len(), 13);
        assert!(search.posterior().is_some() && search.next_lr().is_finite());
    }

    #[test]
    fn search_rejects_bad_ranges() {
        let err =
            |r: Result<LrSearch, SearchError>| r.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err(LrSearch::new(0.0, 1.0, 3)).contains("lr_min"));
        assert!(err(LrSearch::new(-1e-3, 1.0, 3)).contains("-0.001"));
        assert!(err(LrSearch::new(f64::NAN, 1.0, 3)).contains("NaN"));
        assert!(err(LrSearch::new(1e-2, 1e-3, 3)).contains("lr_max"));
        assert!(err(LrSearch::new(1e-2, f64::INFINITY, 3)).contains("inf"));
        assert!(err(LrSearch::new(1e-4, 1.0, 0)).contains("initial"));
        let empty = LrSearch::new(1e-4, 1.0, 2).unwrap();
        assert!(empty.best().is_none() && empty.posterior().is_none() && empty.curve(8).is_empty());
    }

    #[test]
    fn every_search_error_speaks_the_windows_language_and_keeps_its_english() {
        for e in [
            SearchError::LrMin(-0.5),
            SearchError::LrMax {
                lr_min: 0.1,
                lr_max: 0.01,
            },
            SearchError::NoInitialTrials,
        ] {
            crate::text::assert_translated(&e, SearchError::text);
        }
    }
}
