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

#[cfg(test)]
mod tests {
    use super::curve;

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
}
