//! Curves against the step, thinned for drawing: the LR, loss and step-size plots of the window
//! show every run's whole history with a bounded number of points.

/// At most this many points per curve: buckets of steps keep their first, lowest, highest and
/// last value, so steps and cycles stay sharp however long the run.
const MAX_BUCKETS: usize = 400;

/// `(step, value)` points of `values` (indexed by step) after `transform`, thinned to
/// `MAX_BUCKETS` buckets; values the transform maps to non-finite numbers are skipped.
pub fn curve(values: &[f64], transform: impl Fn(f64) -> f64) -> Vec<[f64; 2]> {
    let n = values.len();
    let bucket = n.div_ceil(MAX_BUCKETS).max(1);
    let mut out = Vec::with_capacity(n.min(MAX_BUCKETS * 4));
    for (b, chunk) in values.chunks(bucket).enumerate() {
        let base = b * bucket;
        let pts: Vec<[f64; 2]> = chunk
            .iter()
            .enumerate()
            .map(|(i, &v)| [(base + i) as f64, transform(v)])
            .filter(|p| p[1].is_finite())
            .collect();
        if pts.len() <= 4 {
            out.extend(pts);
            continue;
        }
        let (lo, hi) = pts.iter().enumerate().fold((0, 0), |(lo, hi), (i, p)| {
            (
                if p[1] < pts[lo][1] { i } else { lo },
                if p[1] > pts[hi][1] { i } else { hi },
            )
        });
        let mut idx = [0, lo, hi, pts.len() - 1];
        idx.sort_unstable();
        let mut last = usize::MAX;
        for i in idx {
            if i != last {
                out.push(pts[i]);
                last = i;
            }
        }
    }
    out
}

/// log10 of a positive value; NaN (skipped by [`curve`]) otherwise.
pub fn log10_positive(v: f64) -> f64 {
    if v > 0.0 { v.log10() } else { f64::NAN }
}

/// A curve meant to be dashed, as polylines with as few points as its shape needs: split
/// where the value is not finite (a gap stays a gap), each piece simplified (Ramer–Douglas–
/// Peucker) to within `tolerance` of its height range and of its length. A dash pattern laid
/// over hundreds of sub-pixel segments draws as faint scattered dots; over a few long ones it
/// is a dashed line.
pub fn dashed_pieces(
    values: &[f64],
    transform: impl Fn(f64) -> f64,
    tolerance: f64,
) -> Vec<Vec<[f64; 2]>> {
    let mut pieces = Vec::new();
    let mut piece: Vec<[f64; 2]> = Vec::new();
    for (k, &v) in values.iter().enumerate() {
        let y = transform(v);
        if y.is_finite() {
            piece.push([k as f64, y]);
        } else if !piece.is_empty() {
            pieces.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    let (lo, hi) = pieces
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p[1]), hi.max(p[1]))
        });
    let height = if hi > lo { hi - lo } else { 1.0 };
    let width = values.len().max(1) as f64;
    pieces
        .into_iter()
        .map(|p| simplify(&p, [tolerance * width, tolerance * height]))
        .collect()
}

/// Ramer–Douglas–Peucker on `points` with distances measured in units of `scale` (x, y):
/// the first and last points, and every point farther than one unit from the chord of the
/// points it would be dropped between. Dashed lines need it: a dash pattern over hundreds of
/// sub-pixel segments draws solid or dotted.
pub fn simplify(points: &[[f64; 2]], scale: [f64; 2]) -> Vec<[f64; 2]> {
    if points.len() <= 2 {
        return points.to_vec();
    }
    let unit = |p: [f64; 2]| [p[0] / scale[0], p[1] / scale[1]];
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (pa, pb) = (unit(points[a]), unit(points[b]));
        let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
        let len = dx.hypot(dy);
        let (mut far, mut worst) = (0, 0.0);
        for (i, &p) in points.iter().enumerate().take(b).skip(a + 1) {
            let q = unit(p);
            let d = if len > 0.0 {
                ((q[0] - pa[0]) * dy - (q[1] - pa[1]) * dx).abs() / len
            } else {
                (q[0] - pa[0]).hypot(q[1] - pa[1])
            };
            if d > worst {
                (far, worst) = (i, d);
            }
        }
        if worst > 1.0 {
            keep[far] = true;
            stack.push((a, far));
            stack.push((far, b));
        }
    }
    points
        .iter()
        .zip(&keep)
        .filter_map(|(p, &k)| k.then_some(*p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{curve, dashed_pieces};

    #[test]
    fn curve_keeps_short_series_and_the_extremes_of_long_ones() {
        assert_eq!(
            curve(&[1.0, 2.0, 3.0], |v| v),
            [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]
        );
        // A single spike in a long flat series survives the thinning.
        let mut values = vec![1.0; 100_000];
        values[54_321] = 9.0;
        let pts = curve(&values, |v| v);
        assert!(pts.len() <= 4 * super::MAX_BUCKETS);
        assert!(pts.contains(&[54_321.0, 9.0]));
        assert_eq!(pts.last(), Some(&[99_999.0, 1.0]));
    }

    #[test]
    fn a_dashed_curve_keeps_its_shape_in_few_points_and_its_gaps() {
        // A constant limit over 300 steps is one segment.
        assert_eq!(
            dashed_pieces(&[0.473; 301], |v| v, 1e-3),
            [vec![[0.0, 0.473], [300.0, 0.473]]]
        );
        // A step stays sharp: its corners are kept, the flat runs between them are not.
        let mut values = vec![0.2; 100];
        values.extend([0.06; 100]);
        assert_eq!(
            dashed_pieces(&values, |v| v, 1e-3),
            [vec![[0.0, 0.2], [99.0, 0.2], [100.0, 0.06], [199.0, 0.06]]]
        );
        // A gap (no limit where the curvature is not positive) splits the line.
        let values = [1.0, 1.0, f64::NAN, 2.0, 2.0, 2.0];
        assert_eq!(
            dashed_pieces(&values, |v| v, 1e-3),
            [vec![[0.0, 1.0], [1.0, 1.0]], vec![[3.0, 2.0], [5.0, 2.0]]]
        );
        // A smooth curve keeps enough points to stay within the tolerance of it.
        let values: Vec<f64> = (0..1000).map(|k| (k as f64 / 100.0).sin()).collect();
        let pieces = dashed_pieces(&values, |v| v, 1e-3);
        let kept = &pieces[0];
        assert!(kept.len() > 10 && kept.len() < 200, "{} points", kept.len());
        for (k, &v) in values.iter().enumerate() {
            let x = k as f64;
            let seg = kept
                .windows(2)
                .find(|w| w[0][0] <= x && x <= w[1][0])
                .unwrap();
            let t = (x - seg[0][0]) / (seg[1][0] - seg[0][0]);
            let y = seg[0][1] + t * (seg[1][1] - seg[0][1]);
            assert!((y - v).abs() < 0.01, "step {k}: {y} vs {v}");
        }
    }
}
