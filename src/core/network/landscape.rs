//! A 2D slice of a network's loss landscape: the loss on the plane through a centre θ_c
//! spanned by two fixed directions, and the training paths projected onto it. Directions are
//! filter-normalized random ones (Li et al. 2018, "Visualizing the Loss Landscape of Neural
//! Nets": each unit's incoming weights scaled to the norm of the centre's, biases left out) or
//! the top two principal components of one run's path. Runs that race share one plane, so
//! their paths compare fairly.

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::core::network::{Mlp, Task};
use crate::core::surface::RunRng;

/// The directions of a landscape slice: random ones are the same for every run and scene
/// change (the seed decides); principal ones follow where one run actually went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Directions {
    /// Two filter-normalized Gaussian directions (Li et al. 2018) drawn from `seed`.
    Random { seed: u64 },
    /// The top two principal components of the centre run's path.
    Pca,
}

impl Default for Directions {
    fn default() -> Self {
        Self::Random { seed: 1 }
    }
}

/// Which parameters the landscape slice passes through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Centre {
    /// Where the centre run ended.
    #[default]
    Final,
    /// The initialization every run starts from (runs with other seeds start elsewhere).
    Initial,
}

/// Why a run's path gives no plane to slice along.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlaneError {
    #[error("the run has no weights to centre the slice on")]
    NoWeights,
    /// Run `run` (counted from 1) did not move in two independent directions.
    #[error("run {run}'s path does not span two directions (did it move?)")]
    Flat { run: usize },
}

impl PlaneError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            PlaneError::NoWeights => crate::tr!("error-plane-no-weights"),
            PlaneError::Flat { run } => crate::tr!("error-plane-flat", run = *run),
        }
    }
}

/// The plane of a slice: θ = centre + α·d1 + β·d2.
#[derive(Clone, Debug, PartialEq)]
pub struct Plane {
    pub centre: Vec<f64>,
    pub d1: Vec<f64>,
    pub d2: Vec<f64>,
}

impl Plane {
    /// The plane of a slice through run `run`'s (counted from 0) final or initial weights of
    /// `snapshots` (step, weights), along random directions from the seed or the path's
    /// principal directions.
    pub fn of_path(
        net: &Mlp,
        directions: Directions,
        centre: Centre,
        snapshots: &[(u64, Vec<f64>)],
        run: usize,
    ) -> Result<Self, PlaneError> {
        let (Some(first), Some(last)) = (snapshots.first(), snapshots.last()) else {
            return Err(PlaneError::NoWeights);
        };
        let centre = match centre {
            Centre::Final => &last.1,
            Centre::Initial => &first.1,
        };
        match directions {
            Directions::Random { seed } => Ok(Self::random(net, centre, seed)),
            Directions::Pca => {
                let path: Vec<Vec<f64>> = snapshots.iter().map(|(_, p)| p.clone()).collect();
                Self::principal(centre, &path).ok_or(PlaneError::Flat { run: run + 1 })
            }
        }
    }

    /// Two filter-normalized Gaussian directions from `seed` through `centre`.
    pub fn random(net: &Mlp, centre: &[f64], seed: u64) -> Self {
        let mut rng = RunRng::seed_from_u64(seed);
        let mut direction = || {
            let mut d: Vec<f64> = (0..centre.len())
                .map(|_| StandardNormal.sample(&mut rng))
                .collect();
            filter_normalize(net, centre, &mut d);
            d
        };
        let d1 = direction();
        let d2 = direction();
        Self {
            centre: centre.to_vec(),
            d1,
            d2,
        }
    }

    /// The top two principal directions of a path's displacement from `centre` (PCA of the
    /// θ_k − centre, by power iteration with deflation on the implicit covariance), orthonormal.
    /// `None` when the path does not span two directions.
    pub fn principal(centre: &[f64], path: &[Vec<f64>]) -> Option<Self> {
        let n = centre.len();
        let rows: Vec<Vec<f64>> = path
            .iter()
            .map(|p| p.iter().zip(centre).map(|(a, c)| a - c).collect())
            .collect();
        // C·v = Σ_k r_k (r_k · v), without forming the n×n covariance.
        let apply = |v: &[f64]| -> Vec<f64> {
            let mut out = vec![0.0; n];
            for r in &rows {
                let dot: f64 = r.iter().zip(v).map(|(a, b)| a * b).sum();
                out.iter_mut().zip(r).for_each(|(o, a)| *o += dot * a);
            }
            out
        };
        let mut found: Vec<Vec<f64>> = Vec::new();
        for component in 0..2 {
            // Start from the displacement that is largest away from what was found.
            let mut v: Vec<f64> = (0..n)
                .map(|i| ((i * 7919 + component * 104729) % 1000) as f64 / 1000.0 - 0.5)
                .collect();
            for _ in 0..500 {
                let mut next = apply(&v);
                for f in &found {
                    let dot: f64 = next.iter().zip(f).map(|(a, b)| a * b).sum();
                    next.iter_mut().zip(f).for_each(|(a, b)| *a -= dot * b);
                }
                let norm = next.iter().map(|a| a * a).sum::<f64>().sqrt();
                if !(norm > 1e-300 && norm.is_finite()) {
                    return None;
                }
                next.iter_mut().for_each(|a| *a /= norm);
                v = next;
            }
            found.push(v);
        }
        let d2 = found.pop()?;
        let d1 = found.pop()?;
        Some(Self {
            centre: centre.to_vec(),
            d1,
            d2,
        })
    }

    /// The point of the plane at (α, β).
    pub fn at(&self, alpha: f64, beta: f64) -> Vec<f64> {
        self.centre
            .iter()
            .zip(self.d1.iter().zip(&self.d2))
            .map(|(c, (a, b))| c + alpha * a + beta * b)
            .collect()
    }

    /// The plane coordinates (α, β) of θ's orthogonal projection: the least-squares solution
    /// of θ − centre ≈ α·d1 + β·d2 (the directions need not be orthogonal).
    pub fn project(&self, theta: &[f64]) -> [f64; 2] {
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        let r: Vec<f64> = theta.iter().zip(&self.centre).map(|(t, c)| t - c).collect();
        let (a11, a12, a22) = (
            dot(&self.d1, &self.d1),
            dot(&self.d1, &self.d2),
            dot(&self.d2, &self.d2),
        );
        let (b1, b2) = (dot(&self.d1, &r), dot(&self.d2, &r));
        let det = a11 * a22 - a12 * a12;
        [(a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det]
    }
}

/// Scales each unit's incoming weights in `d` (a row of a layer's weight) to the norm of the
/// same row of `centre`, and zeroes the biases (Li et al. 2018, filter normalization for
/// fully connected layers).
pub fn filter_normalize(net: &Mlp, centre: &[f64], d: &mut [f64]) {
    let mut at = 0;
    for w in net.sizes.windows(2) {
        let (n_in, n_out) = (w[0], w[1]);
        for o in 0..n_out {
            let row = at + o * n_in..at + (o + 1) * n_in;
            let norm = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>().sqrt();
            let (target, own) = (norm(&centre[row.clone()]), norm(&d[row.clone()]));
            let scale = if own > 0.0 { target / own } else { 0.0 };
            d[row].iter_mut().for_each(|a| *a *= scale);
        }
        at += n_out * n_in;
        d[at..at + n_out].fill(0.0);
        at += n_out;
    }
}

/// The mean training loss on an n×n grid of (α, β) in [−extent, extent]², row by row from
/// β = −extent, computed on up to `threads` threads.
#[allow(clippy::too_many_arguments)]
pub fn slice(
    net: &Mlp,
    plane: &Plane,
    task: Task,
    x: &[Vec<f64>],
    y: &[f64],
    n: usize,
    extent: f64,
    threads: usize,
) -> Vec<f64> {
    let coordinate = |i: usize| -extent + 2.0 * extent * i as f64 / (n.max(2) - 1) as f64;
    let rows_per = n.div_ceil(threads.max(1));
    let mut values = vec![0.0; n * n];
    std::thread::scope(|scope| {
        for (chunk, out) in values.chunks_mut(rows_per * n).enumerate() {
            scope.spawn(move || {
                for (k, v) in out.iter_mut().enumerate() {
                    let (j, i) = (chunk * rows_per + k / n, k % n);
                    *v = net.loss(&plane.at(coordinate(i), coordinate(j)), task, x, y);
                }
            });
        }
    });
    values
}

/// The mean training loss along one row of a slice: at (α, `beta`) for every α of `alphas`.
/// The window computes a slice a row at a time, so it can show progress and stop early.
pub fn slice_row(
    net: &Mlp,
    plane: &Plane,
    task: Task,
    x: &[Vec<f64>],
    y: &[f64],
    alphas: &[f64],
    beta: f64,
) -> Vec<f64> {
    alphas
        .iter()
        .map(|&alpha| net.loss(&plane.at(alpha, beta), task, x, y))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::network::Data;
    use crate::core::spec::parse_spec;

    fn net() -> Mlp {
        Mlp::from_spec(&parse_spec("mlp(hidden=[6,5])").unwrap(), 2).unwrap()
    }

    #[test]
    fn a_path_that_gives_no_plane_says_why() {
        let net = Mlp::from_spec(
            &crate::core::spec::parse_spec("mlp(hidden=[3])").unwrap(),
            2,
        )
        .unwrap();
        let w = vec![0.5; net.parameter_count()];
        assert_eq!(
            Plane::of_path(&net, Directions::Pca, Centre::Final, &[], 0),
            Err(PlaneError::NoWeights)
        );
        let still = [(0, w.clone()), (10, w.clone())];
        let err = Plane::of_path(&net, Directions::Pca, Centre::Final, &still, 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "run 2's path does not span two directions (did it move?)"
        );
        // Random directions need no path, only a centre.
        let plane = Plane::of_path(
            &net,
            Directions::Random { seed: 1 },
            Centre::Initial,
            &still,
            1,
        )
        .unwrap();
        assert_eq!(plane.centre, w);
    }

    #[test]
    fn filter_normalized_directions_match_each_units_norm_and_skip_biases() {
        let net = net();
        let centre = net.init(3);
        let plane = Plane::random(&net, &centre, 1);
        for d in [&plane.d1, &plane.d2] {
            let mut at = 0;
            for w in net.sizes.windows(2) {
                for o in 0..w[1] {
                    let row = at + o * w[0]..at + (o + 1) * w[0];
                    let norm = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>().sqrt();
                    let (a, b) = (norm(&d[row.clone()]), norm(&centre[row]));
                    assert!((a - b).abs() < 1e-12 * b, "{a} vs {b}");
                }
                at += w[0] * w[1];
                assert!(d[at..at + w[1]].iter().all(|&b| b == 0.0));
                at += w[1];
            }
        }
        assert_ne!(plane.d1, plane.d2);
        assert_eq!(Plane::random(&net, &centre, 1), plane, "the seed decides");
    }

    #[test]
    fn points_of_the_plane_project_back_to_their_coordinates() {
        let net = net();
        let centre = net.init(0);
        let plane = Plane::random(&net, &centre, 2);
        for (a, b) in [(0.0, 0.0), (0.3, -1.2), (-2.5, 0.7)] {
            let [pa, pb] = plane.project(&plane.at(a, b));
            assert!(
                (pa - a).abs() < 1e-10 && (pb - b).abs() < 1e-10,
                "{pa}, {pb}"
            );
        }
    }

    #[test]
    fn principal_directions_recover_a_path_that_lies_in_a_plane() {
        // A path centre + s·u + t·w for orthonormal u, w: the two principal directions are
        // orthonormal, span the same plane, and every point of the path lies on the slice.
        let n = 12;
        let centre: Vec<f64> = (0..n).map(|i| i as f64 * 0.1).collect();
        let mut u = vec![0.0; n];
        let mut w = vec![0.0; n];
        u[2] = 0.6;
        u[7] = 0.8;
        w[4] = 1.0;
        let path: Vec<Vec<f64>> = (0..40)
            .map(|k| {
                let (s, t) = ((k as f64 * 0.37).sin() * 3.0, (k as f64 * 0.91).cos());
                centre
                    .iter()
                    .enumerate()
                    .map(|(i, c)| c + s * u[i] + t * w[i])
                    .collect()
            })
            .collect();
        let plane = Plane::principal(&centre, &path).unwrap();
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        for d in [&plane.d1, &plane.d2] {
            assert!((dot(d, d) - 1.0).abs() < 1e-12);
            let in_plane = dot(d, &u).powi(2) + dot(d, &w).powi(2);
            assert!((in_plane - 1.0).abs() < 1e-9, "{in_plane}");
        }
        assert!(dot(&plane.d1, &plane.d2).abs() < 1e-9);
        for p in &path {
            let [a, b] = plane.project(p);
            let back = plane.at(a, b);
            assert!(back.iter().zip(p).all(|(x, y)| (x - y).abs() < 1e-9));
        }
    }

    #[test]
    fn the_slice_is_the_loss_at_each_grid_point_whatever_the_threads() {
        let d = Data::from_spec(&parse_spec("moons(n=40)").unwrap()).unwrap();
        let net = net();
        let plane = Plane::random(&net, &net.init(0), 4);
        let one = slice(&net, &plane, d.task, &d.x, &d.y, 7, 1.0, 1);
        let two = slice(&net, &plane, d.task, &d.x, &d.y, 7, 1.0, 2);
        assert_eq!(one, two);
        // Row 0 is β = −1, column 6 is α = +1; the centre is the middle.
        let at = |a: f64, b: f64| net.loss(&plane.at(a, b), d.task, &d.x, &d.y);
        assert_eq!(one[6], at(1.0, -1.0));
        assert_eq!(one[3 * 7 + 3], at(0.0, 0.0));
    }

    #[test]
    fn every_plane_error_speaks_the_windows_language_and_keeps_its_english() {
        for e in [PlaneError::NoWeights, PlaneError::Flat { run: 2 }] {
            crate::text::assert_translated(&e, PlaneError::text);
        }
    }
}
