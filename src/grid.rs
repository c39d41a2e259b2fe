//! The surface sampled on a regular grid, for the heatmap and contour lines of the view.

use ndarray::Array2;

use crate::math::View;
use crate::surface::{AnySurface, Surface};
use crate::with_surface;

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
    use crate::spec::parse_spec;

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
