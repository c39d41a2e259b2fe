//! The linear-regression surface: full-batch GD reaches the least-squares fit, computed here in
//! closed form from the data; minibatch runs are seeded and repeatable.

use optiscope::core::surface::{AnySurface, LinReg};
use optiscope::{Run, RunSettings, Spec, Status, parse_spec};

fn linreg(text: &str) -> (AnySurface, LinReg) {
    let s = AnySurface::from_spec(&parse_spec(text).unwrap()).unwrap();
    let AnySurface::LinReg(l) = &s else {
        panic!("not linreg")
    };
    let l = l.clone();
    (s, l)
}

/// Ordinary least squares via slope = cov(x, y)/var(x), intercept = ȳ − slope·x̄.
fn ols(xs: &[f64], ys: &[f64]) -> [f64; 2] {
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let cov: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let var: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    let w = cov / var;
    [w, my - w * mx]
}

fn gd(optimizer: &str, lr: f64, steps: u64, seed: u64) -> Run {
    let mut spec = RunSettings::new(parse_spec(optimizer).unwrap(), lr, [0.0, 0.0], steps);
    spec.seed = seed;
    Run::new(&spec).unwrap()
}

#[test]
fn data_follow_the_stated_model() {
    let (_, l) = linreg("linreg(n=2000,noise=0.5,seed=4)");
    assert_eq!(l.xs.len(), 2000);
    assert!(l.xs.iter().all(|x| (0.0..2.0).contains(x)));
    // With 2000 points the fit is within a few standard errors of the true (2, 1).
    let [w, b] = ols(&l.xs, &l.ys);
    assert!((w - 2.0).abs() < 0.1 && (b - 1.0).abs() < 0.1, "{w} {b}");
    let (_, exact) = linreg("linreg(noise=0)");
    let [w, b] = ols(&exact.xs, &exact.ys);
    assert!((w - 2.0).abs() < 1e-12 && (b - 1.0).abs() < 1e-12);
}

#[test]
fn full_batch_gd_converges_to_the_least_squares_solution() {
    let (s, l) = linreg("linreg");
    let target = ols(&l.xs, &l.ys);
    let (last, status) = gd("sgd", 0.1, 5000, 0).simulate_last(&s);
    let p = last.unwrap().point;
    assert!(
        (p[0] - target[0]).abs() < 1e-9 && (p[1] - target[1]).abs() < 1e-9,
        "{p:?} vs {target:?}"
    );
    assert!(matches!(status, Status::Converged { .. }), "{status}");
    // The marked minimum of the surface is the same point.
    let min = s.critical_points()[0].point;
    assert!((min[0] - target[0]).abs() < 1e-12 && (min[1] - target[1]).abs() < 1e-12);
}

#[test]
fn minibatch_runs_repeat_per_seed_and_hover_near_the_fit() {
    for batch in [16, 1] {
        let (s, l) = linreg(&format!("linreg(batch_size={batch})"));
        let target = ols(&l.xs, &l.ys);
        let run = gd("sgd", 0.02, 3000, 5);
        let (a, _) = run.simulate(&s);
        let (b, _) = run.simulate(&s);
        assert_eq!(a, b, "batch {batch}: same seed, same path");
        let (c, _) = gd("sgd", 0.02, 3000, 6).simulate(&s);
        assert_ne!(
            a.points, c.points,
            "batch {batch}: another seed, another path"
        );
        let p = *a.points.last().unwrap();
        assert!(
            (p[0] - target[0]).abs() < 0.5 && (p[1] - target[1]).abs() < 0.5,
            "batch {batch}: {p:?}"
        );
        assert!(p != target, "a minibatch path is noisy");
    }
    // Full batch does not use the seed at all.
    let (s, _) = linreg("linreg");
    assert_eq!(
        gd("sgd", 0.1, 100, 1).simulate(&s),
        gd("sgd", 0.1, 100, 2).simulate(&s)
    );
}

#[test]
fn batch_larger_than_data_is_an_error() {
    let err = AnySurface::from_spec(
        &Spec::named("linreg").with("batch_size", optiscope::core::spec::Value::Num(101.0)),
    );
    assert!(
        err.unwrap_err()
            .to_string()
            .contains("batch_size = 101 is larger than the data set (n = 100)")
    );
}
