//! The surface sampled on a regular grid, for the heatmap and contour lines of the view.

use ndarray::Array2;

use crate::core::math::View;
use crate::core::surface::with_surface;
use crate::core::surface::{AnySurface, Surface};

/// `n` evenly spaced values from `lo` to `hi`, both included.
pub fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![0.5 * (lo + hi)],
        _ => {
            let step = (hi - lo) / (n - 1) as f64;
            (0..n).map(|i| lo + step * i as f64).collect()
        }
    }
}

/// Surface values on an `ny × nx` grid spanning `view`: `values[[j, i]] = f(x_i, y_j)` with
/// x_0 = x_min, x_{nx−1} = x_max and likewise for y. Rows are split across threads for large
/// grids; the loop is monomorphized per surface so it vectorizes.
pub fn evaluate(surface: &AnySurface, view: View, nx: usize, ny: usize) -> Array2<f64> {
    let xs = linspace(view.x_min, view.x_max, nx);
    let ys = linspace(view.y_min, view.y_max, ny);
    let mut values = Array2::<f64>::zeros((ny, nx));
    if nx == 0 || ny == 0 {
        return values;
    }
    let Some(slice) = values.as_slice_mut() else {
        return values;
    };
    with_surface!(surface, s => fill_rows(s, &xs, &ys, slice));
    values
}

fn fill_rows<S: Surface + Sync>(surface: &S, xs: &[f64], ys: &[f64], out: &mut [f64]) {
    let nx = xs.len();
    let fill = |ys: &[f64], out: &mut [f64]| {
        for (row, &y) in out.chunks_exact_mut(nx).zip(ys) {
            for (v, &x) in row.iter_mut().zip(xs) {
                *v = surface.value([x, y]);
            }
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || out.len() < 65_536 {
        fill(ys, out);
        return;
    }
    let rows_per = ys.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for (ys, out) in ys.chunks(rows_per).zip(out.chunks_mut(rows_per * nx)) {
            scope.spawn(move || fill(ys, out));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::parse_spec;

    #[test]
    fn grid_matches_pointwise_values_at_corners_and_inside() {
        let s = AnySurface::from_spec(&parse_spec("rosenbrock").unwrap()).unwrap();
        let view = View {
            x_min: -2.0,
            x_max: 2.0,
            y_min: -1.0,
            y_max: 3.0,
        };
        let g = evaluate(&s, view, 300, 301);
        assert_eq!(g.dim(), (301, 300));
        assert_eq!(g[[0, 0]], s.value([-2.0, -1.0]));
        assert_eq!(g[[300, 299]], s.value([2.0, 3.0]));
        let (x, y) = (-2.0 + 4.0 * 17.0 / 299.0, -1.0 + 4.0 * 200.0 / 300.0);
        assert!((g[[200, 17]] - s.value([x, y])).abs() < 1e-12);
    }
}

/// The finite range of a grid and whether its colors should follow log(f − min): the one
/// color scale of the window's heatmap and of rendered pictures.
pub fn color_scale(values: &Array2<f64>, surface: &AnySurface) -> (f64, f64, bool) {
    let (min, max) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let log_scale = surface.wide_range() && min.is_finite() && max > min;
    (min, max, log_scale)
}

/// One contour level: the polylines where the surface equals `level`.
#[derive(Clone, Debug, PartialEq)]
pub struct ContourLine {
    pub level: f64,
    pub lines: Vec<Vec<crate::core::math::Point>>,
}

/// Isolines of a grid from [`evaluate`] at the given levels (marching squares with linear
/// interpolation, from the `contour` crate). Pieces that run along the border of the grid are
/// dropped: they are artefacts of closing rings at the edge, not level curves.
pub fn contour_lines(values: &Array2<f64>, view: View, levels: &[f64]) -> Vec<ContourLine> {
    let (ny, nx) = values.dim();
    if nx < 2 || ny < 2 || levels.is_empty() {
        return Vec::new();
    }
    let Some(slice) = values.as_slice() else {
        return Vec::new();
    };
    // The crate puts sample i at coordinate i + 0.5; grid node i sits at x_min + i·step.
    let (sx, sy) = (
        (view.x_max - view.x_min) / (nx - 1) as f64,
        (view.y_max - view.y_min) / (ny - 1) as f64,
    );
    // Non-finite samples (overflow far from the minimum) would break interpolation.
    let cleaned: Vec<f64> = slice
        .iter()
        .map(|v| if v.is_finite() { *v } else { f64::MAX })
        .collect();
    let builder = contour::ContourBuilder::new(nx, ny, true);
    let Ok(raw) = builder.lines(&cleaned, levels) else {
        return Vec::new();
    };
    let (max_cx, max_cy) = ((nx - 1) as f64 + 0.5, (ny - 1) as f64 + 0.5);
    let on_border = |x: f64, y: f64| x <= 0.5 || y <= 0.5 || x >= max_cx || y >= max_cy;
    raw.into_iter()
        .map(|line| {
            let level = line.threshold();
            let mut pieces = Vec::new();
            for ring in line.geometry().0.iter() {
                let mut current: Vec<crate::core::math::Point> = Vec::new();
                for c in ring.0.iter() {
                    if on_border(c.x, c.y) {
                        if current.len() > 1 {
                            pieces.push(std::mem::take(&mut current));
                        }
                        current.clear();
                        continue;
                    }
                    current.push([view.x_min + (c.x - 0.5) * sx, view.y_min + (c.y - 0.5) * sy]);
                }
                if current.len() > 1 {
                    pieces.push(current);
                }
            }
            ContourLine {
                level,
                lines: pieces,
            }
        })
        .collect()
}

/// Contour levels for a grid: evenly spaced, or geometrically spaced above the minimum for
/// surfaces whose values span decades (Rosenbrock's valley would otherwise get no line).
pub fn contour_levels(min: f64, max: f64, count: usize, geometric: bool) -> Vec<f64> {
    if !(min.is_finite() && max.is_finite()) || max <= min || count == 0 {
        return Vec::new();
    }
    let range = max - min;
    (1..=count)
        .map(|i| {
            let t = i as f64 / (count + 1) as f64;
            if geometric {
                min + range * 10f64.powf(-4.0 * (1.0 - t))
            } else {
                min + range * t
            }
        })
        .collect()
}

#[cfg(test)]
mod contour_tests {
    use super::*;
    use crate::core::spec::parse_spec;

    #[test]
    fn contours_of_a_round_bowl_are_circles() {
        // ½(x² + y²) = 0.5 is the unit circle.
        let s = AnySurface::from_spec(&parse_spec("quadratic(a=1,b=1)").unwrap()).unwrap();
        let view = View::around([0.0, 0.0], 2.0);
        let g = evaluate(&s, view, 101, 81);
        let lines = contour_lines(&g, view, &[0.5, 1.125]);
        assert_eq!(lines.len(), 2);
        for (line, radius) in lines.iter().zip([1.0, 1.5]) {
            let points: Vec<_> = line.lines.iter().flatten().collect();
            assert!(points.len() > 50);
            for p in points {
                let r = p[0].hypot(p[1]);
                assert!((r - radius).abs() < 2e-3, "{p:?}: radius {r} vs {radius}");
            }
        }
    }

    #[test]
    fn levels_are_spread_between_min_and_max() {
        let lin = contour_levels(0.0, 10.0, 4, false);
        assert_eq!(lin, [2.0, 4.0, 6.0, 8.0]);
        let geo = contour_levels(0.0, 1e4, 3, true);
        assert!(
            (geo[0] - 1e1).abs() < 1e-9
                && (geo[1] - 1e2).abs() < 1e-9
                && (geo[2] - 1e3).abs() < 1e-9,
            "{geo:?}"
        );
        assert!(contour_levels(1.0, 1.0, 3, false).is_empty());
    }
}
