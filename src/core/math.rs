//! Small 2D linear algebra: the core works on two parameters, so fixed-size arrays beat any
//! general matrix library in both speed and clarity.

/// A point in parameter space, `[x, y]` (for `linreg`, `[w, b]`).
pub type Point = [f64; 2];

/// A symmetric 2×2 matrix (a Hessian), row-major.
pub type Mat2 = [[f64; 2]; 2];

/// Euclidean norm, used for gradient and step sizes.
pub fn norm(p: Point) -> f64 {
    p[0].hypot(p[1])
}

/// Solves `m · z = b` by Cramer's rule; `None` when `m` is singular to working precision,
/// so a Newton step on a flat direction is reported instead of producing infinities.
pub fn solve2(m: Mat2, b: Point) -> Option<Point> {
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    let scale = (m[0][0].abs() + m[0][1].abs()) * (m[1][0].abs() + m[1][1].abs());
    if !det.is_finite() || det == 0.0 || det.abs() <= 1e-14 * scale {
        return None;
    }
    let z = [
        (b[0] * m[1][1] - m[0][1] * b[1]) / det,
        (m[0][0] * b[1] - m[1][0] * b[0]) / det,
    ];
    (z[0].is_finite() && z[1].is_finite()).then_some(z)
}

/// Eigenvalues of a symmetric 2×2 matrix in ascending order, with unit eigenvectors; the
/// largest one sets the classical stability limit 2/λmax of gradient descent.
pub fn sym_eigen2(m: Mat2) -> ([f64; 2], [Point; 2]) {
    let (a, b, d) = (m[0][0], 0.5 * (m[0][1] + m[1][0]), m[1][1]);
    let mean = 0.5 * (a + d);
    let radius = (0.5 * (a - d)).hypot(b);
    let (lo, hi) = (mean - radius, mean + radius);
    // Eigenvector of `hi`: rotate by the angle that diagonalises the matrix.
    let theta = 0.5 * (2.0 * b).atan2(a - d);
    let v_hi = [theta.cos(), theta.sin()];
    let v_lo = [-theta.sin(), theta.cos()];
    ([lo, hi], [v_lo, v_hi])
}

/// `x` rounded to `digits` significant digits (0, NaN and infinities unchanged): values picked
/// from a sweep or a range test carry the grid's precision, not sixteen digits of noise into
/// labels and presets.
pub fn round_sig(x: f64, digits: u32) -> f64 {
    if x == 0.0 || !x.is_finite() || digits == 0 {
        return x;
    }
    let e = digits as i32 - 1 - x.abs().log10().floor() as i32;
    // Multiply or divide by an exact power of ten, so 0.0102 comes out as the double
    // nearest to 0.0102.
    if e >= 0 {
        let m = 10f64.powi(e);
        (x * m).round() / m
    } else {
        let m = 10f64.powi(-e);
        (x / m).round() * m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_sig_keeps_three_significant_digits() {
        assert_eq!(round_sig(0.606774193548387, 3), 0.607);
        assert_eq!(round_sig(0.010235310218990308, 3), 0.0102);
        assert_eq!(round_sig(-12345.0, 3), -12300.0);
        assert_eq!(round_sig(3.0e-7 + 1e-12, 3), 3.0e-7);
        assert_eq!(round_sig(0.0, 3), 0.0);
        assert!(round_sig(f64::NAN, 3).is_nan());
    }

    #[test]
    fn solve2_inverts_a_known_system() {
        // [[2, 1], [1, 3]] z = [3, 5] has z = [0.8, 1.4].
        let z = solve2([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]).unwrap();
        assert!((z[0] - 0.8).abs() < 1e-15 && (z[1] - 1.4).abs() < 1e-15);
    }

    #[test]
    fn solve2_reports_singular_matrices() {
        assert!(solve2([[1.0, 0.0], [0.0, 0.0]], [1.0, 1.0]).is_none());
        assert!(solve2([[1.0, 2.0], [2.0, 4.0]], [1.0, 1.0]).is_none());
        assert!(solve2([[f64::NAN, 0.0], [0.0, 1.0]], [1.0, 1.0]).is_none());
    }

    #[test]
    fn eigen_of_rotated_diagonal() {
        // R diag(1, 10) Rᵀ with a 30° rotation has eigenvalues 1 and 10.
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let m = [
            [c * c + 10.0 * s * s, (1.0 - 10.0) * c * s],
            [(1.0 - 10.0) * c * s, s * s + 10.0 * c * c],
        ];
        let (vals, vecs) = sym_eigen2(m);
        assert!((vals[0] - 1.0).abs() < 1e-12 && (vals[1] - 10.0).abs() < 1e-12);
        for (lambda, v) in vals.iter().zip(vecs) {
            let mv = [
                m[0][0] * v[0] + m[0][1] * v[1],
                m[1][0] * v[0] + m[1][1] * v[1],
            ];
            assert!((mv[0] - lambda * v[0]).abs() < 1e-12 && (mv[1] - lambda * v[1]).abs() < 1e-12);
        }
    }
}

/// An axis-aligned rectangle of parameter space: a surface's default view or the visible area.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct View {
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
}

impl View {
    /// A square of half-width `half` around `center`.
    pub fn around(center: Point, half: f64) -> Self {
        Self {
            x_min: center[0] - half,
            x_max: center[0] + half,
            y_min: center[1] - half,
            y_max: center[1] + half,
        }
    }

    /// Finite edges with x_min < x_max and y_min < y_max: a rectangle a view can show.
    pub fn is_valid(&self) -> bool {
        [self.x_min, self.x_max, self.y_min, self.y_max]
            .iter()
            .all(|c| c.is_finite())
            && self.x_max > self.x_min
            && self.y_max > self.y_min
    }

    pub fn contains(&self, p: Point) -> bool {
        (self.x_min..=self.x_max).contains(&p[0]) && (self.y_min..=self.y_max).contains(&p[1])
    }
}
