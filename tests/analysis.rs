//! Stability limits, learning-rate sweeps and the range test, checked against closed-form
//! stability theory on quadratics (see `src/analysis.rs` for the characteristic polynomials).

use optiscope::core::analysis::Curvature;
use optiscope::core::tuning::sweep::{
    Outcome, Progress, RangeTestSpec, SweepAxis, SweepParam, SweepSpec, divergence_bracket,
    lin_space, log_space, lr_range_test,
};
use optiscope::{AnyOptimizer, AnySurface, Run, RunSettings, Status, parse_spec};

const BOWL: &str = "quadratic(a=1,b=10)";

fn diverges(optimizer: &str, lr: f64, steps: u64) -> bool {
    let surface = AnySurface::from_spec(&parse_spec(BOWL).unwrap()).unwrap();
    let run = Run::new(&RunSettings::new(
        parse_spec(optimizer).unwrap(),
        lr,
        [1.0, 1.0],
        steps,
    ))
    .unwrap();
    matches!(run.simulate_last(&surface).1, Status::Diverged { .. })
}

#[test]
fn limits_on_the_bowl_are_exactly_the_lecture_numbers() {
    let surface = AnySurface::from_spec(&parse_spec(BOWL).unwrap()).unwrap();
    let c = Curvature::at(&surface, [1.0, 1.0]).unwrap();
    assert_eq!(c.gd_limit(), Some(0.2));
    assert_eq!(c.heavy_ball_limit(0.9, 0.0), Some(0.38));
    let sgd = AnyOptimizer::from_spec(&parse_spec("sgd").unwrap()).unwrap();
    assert_eq!(c.limit_for(&sgd).unwrap().0, 0.2);
    let hb = AnyOptimizer::from_spec(&parse_spec("sgd(momentum=0.9)").unwrap()).unwrap();
    assert_eq!(c.limit_for(&hb).unwrap().0, 0.38);
    let adam = AnyOptimizer::from_spec(&parse_spec("adam").unwrap()).unwrap();
    assert_eq!(
        c.limit_for(&adam),
        None,
        "adaptive methods have no fixed-lr limit"
    );
}

/// The closed-form limits separate runs that stay bounded from runs that blow up, for plain
/// GD, heavy ball, Nesterov, dampening and weight decay alike.
#[test]
fn simulated_runs_diverge_exactly_beyond_the_limit() {
    let surface = AnySurface::from_spec(&parse_spec(BOWL).unwrap()).unwrap();
    let c = Curvature::at(&surface, [0.0, 0.0]).unwrap();
    for optimizer in [
        "sgd",
        "sgd(momentum=0.5)",
        "sgd(momentum=0.9)",
        "sgd(momentum=0.9,dampening=0.5)",
        "sgd(momentum=0.5,nesterov=true)",
        "sgd(momentum=0.9,nesterov=true)",
        "sgd(weight_decay=0.5)",
    ] {
        let opt = AnyOptimizer::from_spec(&parse_spec(optimizer).unwrap()).unwrap();
        let (limit, kind) = c.limit_for(&opt).unwrap();
        assert!(
            !diverges(optimizer, limit * 0.98, 5000),
            "{optimizer} ({}) diverged below {limit}",
            kind.formula()
        );
        assert!(
            diverges(optimizer, limit * 1.02, 5000),
            "{optimizer} ({}) stayed bounded above {limit}",
            kind.formula()
        );
    }
}

fn sgd_sweep(optimizer: &str, lrs: Vec<f64>, second: Option<SweepAxis>) -> SweepSpec {
    SweepSpec {
        surface: parse_spec(BOWL).unwrap(),
        run: RunSettings::new(parse_spec(optimizer).unwrap(), 0.1, [1.0, 1.0], 1000),
        lrs,
        second,
    }
}

#[test]
fn the_lr_sweep_marks_divergence_from_the_first_sample_above_two_over_lambda_max() {
    let spec = sgd_sweep("sgd", log_space(1e-3, 1.0, 128), None);
    let cells = spec.run(2, &Progress::default()).unwrap().unwrap();
    assert_eq!(cells.len(), 128);
    let (before, first) = divergence_bracket(&cells).unwrap();
    assert!(before.unwrap() <= 0.2 && 0.2 < first, "{before:?} {first}");
    for c in &cells {
        assert_eq!(c.outcome.is_diverged(), c.lr > 0.2, "lr {}", c.lr);
    }
    // Below the limit the final loss falls as lr grows toward 1/λ of the flat direction.
    let loss = |i: usize| cells[i].outcome.final_loss().unwrap();
    assert!(loss(10) > loss(60) && loss(60) > loss(90));
}

#[test]
fn a_2d_sweep_over_momentum_follows_the_heavy_ball_limit_in_every_row() {
    let betas = lin_space(0.0, 0.8, 5);
    let spec = sgd_sweep(
        "sgd",
        log_space(0.05, 1.0, 64),
        Some(SweepAxis {
            param: SweepParam::Optimizer("momentum".into()),
            values: betas.clone(),
        }),
    );
    let cells = spec.run(2, &Progress::default()).unwrap().unwrap();
    assert_eq!(cells.len(), 64 * 5);
    for (row, beta) in betas.iter().enumerate() {
        let row_cells = &cells[row * 64..(row + 1) * 64];
        assert!(row_cells.iter().all(|c| c.second == Some(*beta)));
        // Below the limit nothing diverges; clearly above it (where 1000 steps are enough to
        // leave the 1e8 box) everything does.
        let limit = 2.0 * (1.0 + beta) / 10.0;
        for c in row_cells {
            if c.lr < limit {
                assert!(
                    !c.outcome.is_diverged(),
                    "β = {beta}, lr {} < {limit}",
                    c.lr
                );
            } else if c.lr > 1.02 * limit {
                assert!(c.outcome.is_diverged(), "β = {beta}, lr {} > {limit}", c.lr);
            }
        }
        let (before, _) = divergence_bracket(row_cells).unwrap();
        assert!(before.unwrap() <= 1.02 * limit);
    }
    // The boundary drawn over the map is that closed form, row by row.
    let boundary = spec.stability_boundary();
    assert_eq!(boundary.len(), betas.len());
    for ((beta, lr), want) in boundary.iter().zip(&betas) {
        assert_eq!(beta, want);
        assert!(
            (lr - 2.0 * (1.0 + want) / 10.0).abs() < 1e-12,
            "β = {beta}: {lr}"
        );
    }
}

#[test]
fn the_boundary_over_nesterov_momentum_is_its_own_limit_and_none_over_a_schedule() {
    let betas = vec![0.25, 0.5];
    let axis = |param| SweepAxis {
        param,
        values: betas.clone(),
    };
    let spec = sgd_sweep(
        "sgd(momentum=0.5,nesterov=true)",
        vec![0.1],
        Some(axis(SweepParam::Optimizer("momentum".into()))),
    );
    let boundary = spec.stability_boundary();
    for ((beta, lr), want) in boundary.iter().zip(&betas) {
        assert_eq!(beta, want);
        // Nesterov: lr < (2 + 2β)/((1 + 2β)·λmax), λmax = 10.
        let closed_form = (2.0 + 2.0 * want) / ((1.0 + 2.0 * want) * 10.0);
        assert!((lr - closed_form).abs() < 1e-12, "β = {beta}: {lr}");
    }
    let spec = sgd_sweep(
        "sgd",
        vec![0.1],
        Some(axis(SweepParam::Schedule("gamma".into()))),
    );
    assert!(spec.stability_boundary().is_empty());
}

#[test]
fn sweeps_are_deterministic_cancellable_and_report_invalid_cells() {
    let spec = sgd_sweep(
        "sgd",
        log_space(0.01, 0.5, 16),
        Some(SweepAxis {
            param: SweepParam::Optimizer("momentum".into()),
            values: vec![0.5, -0.5],
        }),
    );
    let one = spec.run(1, &Progress::default()).unwrap().unwrap();
    let two = spec.run(2, &Progress::default()).unwrap().unwrap();
    assert_eq!(one, two);
    // momentum −0.5 is not a valid setting: those cells say so instead of running.
    assert!(one[16..].iter().all(|c| c.outcome == Outcome::Invalid));
    assert!(one[..16].iter().all(|c| c.outcome != Outcome::Invalid));

    let progress = Progress::default();
    progress.cancel();
    assert_eq!(spec.run(2, &progress).unwrap(), None);

    let mut bad = spec.clone();
    bad.surface = parse_spec("quadratic(q=1)").unwrap();
    assert!(bad.run(2, &Progress::default()).is_err());
}

#[test]
fn the_range_test_suggests_a_rate_within_a_decade_below_the_limit() {
    let run = RunSettings::new(parse_spec("sgd").unwrap(), 0.1, [1.0, 1.0], 100);
    let t = lr_range_test(&parse_spec(BOWL).unwrap(), &run, RangeTestSpec::default()).unwrap();
    let s = t.suggestion.unwrap();
    // In closed form: SGD on ½(x² + 10y²) multiplies x by (1 − lr_k) and y by (1 − 10·lr_k)
    // at update k, with lr_k = 1e-7·γ^k. The loss falls fastest against log lr at:
    let gamma = (10.0f64 / 1e-7).powf(1.0 / 99.0);
    let (mut x, mut y) = (1.0f64, 1.0f64);
    let mut exact: Vec<(f64, f64)> = Vec::new();
    for k in 0..t.lrs.len() {
        let lr = 1e-7 * gamma.powi(k as i32);
        x *= 1.0 - lr;
        y *= 1.0 - 10.0 * lr;
        exact.push((lr, 0.5 * (x * x + 10.0 * y * y)));
    }
    let steepest = (1..exact.len() - 1)
        .min_by(|&i, &j| {
            let slope = |i: usize| {
                (exact[i + 1].1 - exact[i - 1].1) / (exact[i + 1].0 / exact[i - 1].0).ln()
            };
            slope(i).total_cmp(&slope(j))
        })
        .map(|i| exact[i].0)
        .unwrap();
    // The smoothed curve's steepest point is the loss's own, within a factor of two (an
    // average that lags puts it several times higher), and below the stability limit 0.2.
    assert!(
        s > steepest / 2.0 && s < steepest * 2.0 && s < 0.2,
        "suggestion {s}, steepest decrease of the exact loss at {steepest}"
    );
    // The test stops once the loss has blown up: beyond the limit, before the end lr of 10.
    let last = *t.lrs.last().unwrap();
    assert!(last > 0.2 && last < 10.0, "{last}");
    // The rates grow geometrically from 1e-7 by the same factor each step.
    let ratio = t.lrs[1] / t.lrs[0];
    assert!((t.lrs[0] - 1e-7).abs() < 1e-20);
    assert!(t.lrs.windows(2).all(|w| (w[1] / w[0] - ratio).abs() < 1e-9));
    assert!((ratio.powi(99) * 1e-7 - 10.0).abs() < 1e-6);

    let bad = RangeTestSpec {
        start_lr: 1.0,
        end_lr: 0.1,
        ..RangeTestSpec::default()
    };
    assert!(lr_range_test(&parse_spec(BOWL).unwrap(), &run, bad).is_err());
}

fn run(optimizer: &str, lr: f64, noise: f64) -> (AnySurface, Run) {
    let surface =
        AnySurface::from_spec(&parse_spec("quadratic(a=1,b=10,angle=30)").unwrap()).unwrap();
    let mut spec = RunSettings::new(parse_spec(optimizer).unwrap(), lr, [-2.0, 1.5], 50);
    spec.noise = noise;
    spec.seed = 7;
    (surface, Run::new(&spec).unwrap())
}

#[test]
fn the_first_adam_update_is_a_signed_step_of_size_lr() {
    // After one update m_hat = g and v_hat = g², so Δθ = −lr·g/(|g| + eps) ≈ −lr·sign(g).
    let (surface, adam) = run("adam", 0.1, 0.0);
    let d = adam.step_detail(&surface, 0).unwrap();
    let g = d.grad;
    let term = |name: &str| {
        d.terms
            .iter()
            .find(|t| t.name.starts_with(name))
            .unwrap()
            .value
    };
    let (m, v, m_hat, v_hat) = (term("m ("), term("v ("), term("m_hat"), term("v_hat"));
    for (i, gi) in g.into_iter().enumerate() {
        assert!((m[i] - 0.1 * gi).abs() < 1e-15);
        assert!((v[i] - 0.001 * gi * gi).abs() < 1e-15 * gi * gi);
        assert!((m_hat[i] - gi).abs() < 1e-14 * gi.abs());
        assert!((v_hat[i] - gi * gi).abs() < 1e-13 * gi * gi);
        assert!((d.delta[i] + 0.1 * gi.signum()).abs() < 1e-8);
    }
    assert_eq!(
        d.grad_seen, d.grad,
        "no noise: the optimizer sees the exact gradient"
    );
    assert!(d.rule.iter().any(|l| l.contains("m_hat")));
}

#[test]
fn step_details_replay_the_recorded_path_exactly() {
    for (optimizer, noise) in [
        ("sgd(momentum=0.9)", 0.0),
        ("rmsprop(centered=true)", 0.5),
        ("nadam", 0.2),
    ] {
        let (surface, r) = run(optimizer, 0.02, noise);
        let (traj, _) = r.simulate(&surface);
        for k in [0u64, 1, 17, 49] {
            let d = r.step_detail(&surface, k).unwrap();
            let (a, b) = (traj.points[k as usize], traj.points[k as usize + 1]);
            assert_eq!(d.theta, a, "{optimizer} step {k}");
            assert_eq!(d.delta, [b[0] - a[0], b[1] - a[1]], "{optimizer} step {k}");
            assert_eq!(d.lr, traj.lrs[k as usize]);
            assert_eq!(
                d.grad_seen == d.grad,
                noise == 0.0,
                "{optimizer}: noise is in what it sees"
            );
        }
        assert!(
            r.step_detail(&surface, 50).is_none(),
            "there is no update 50 in 50 steps"
        );
    }
    // Heavy ball: the buffer after update k is Σ μ^(k−j)·g_j; after the first it is g_0.
    let (surface, r) = run("sgd(momentum=0.9)", 0.02, 0.0);
    let d = r.step_detail(&surface, 0).unwrap();
    assert_eq!(d.terms[0].value, d.grad);
}

#[test]
fn the_theory_of_a_momentum_sweep_on_kappa_100_is_polyaks() {
    // ½(x² + 100y²): Polyak's pair lr = (2/(1 + 10))², β = (9/11)², rate 9/11 (Polyak 1964;
    // Goh, "Why Momentum Really Works", Distill 2017).
    let spec = SweepSpec {
        surface: parse_spec("quadratic(a=1,b=100)").unwrap(),
        run: RunSettings::new(parse_spec("sgd").unwrap(), 0.01, [1.0, 1.0], 300),
        lrs: log_space(1e-4, 0.1, 64),
        second: Some(SweepAxis {
            param: SweepParam::Optimizer("momentum".into()),
            values: lin_space(0.0, 0.99, 32),
        }),
    };
    let t = spec
        .theory()
        .expect("SGD over momentum on a convex quadratic");
    let (lr, beta, rate) = t.optimum;
    assert!((lr - (2.0_f64 / 11.0).powi(2)).abs() < 1e-15);
    assert!((beta.unwrap() - (9.0_f64 / 11.0).powi(2)).abs() < 1e-15);
    assert!((rate - 9.0 / 11.0).abs() < 1e-15);
    // The rate-1 contour is heavy ball's stability limit lr = 2(1 + β)/λmax.
    let edge = t
        .contours
        .iter()
        .find(|c| c.level == 1.0)
        .expect("the limit");
    let mut checked = 0;
    for p in edge.lines.iter().flatten() {
        let (lr, beta) = (10f64.powf(p[0]), p[1]);
        if beta < 0.95 {
            let limit = 2.0 * (1.0 + beta) / 100.0;
            assert!(
                (lr / limit - 1.0).abs() < 0.03,
                "lr {lr} at β {beta}: limit {limit}"
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked} points on the limit");
    // Critical damping for λmax passes through Polyak's pair's neighbour (lr·λ = h, β = (1 − √h)²).
    let fast = &t.critical[1];
    assert!(fast.iter().all(|[x, b]| {
        let h = 10f64.powf(*x) * 100.0;
        (b - (1.0 - h.sqrt()).powi(2)).abs() < 1e-12
    }));
    // Over lr alone for plain GD: 2/(λmin + λmax) with (κ − 1)/(κ + 1).
    let one_d = SweepSpec {
        second: None,
        ..spec.clone()
    };
    let (lr, beta, rate) = one_d.theory().unwrap().optimum;
    assert_eq!(beta, None);
    assert!((lr - 2.0 / 101.0).abs() < 1e-15 && (rate - 99.0 / 101.0).abs() < 1e-15);
    // Not for Adam, nor over a schedule's parameter.
    let adam = SweepSpec {
        run: RunSettings::new(parse_spec("adam").unwrap(), 0.01, [1.0, 1.0], 300),
        ..one_d
    };
    assert!(adam.theory().is_none());
}

#[test]
fn a_bayesian_search_finds_the_lr_with_the_lowest_final_loss() {
    // GD on ½(x² + 10y²) from (1, 1) for 200 steps: the final loss is exactly
    // ½((1 − lr)^400 + 10(1 − 10·lr)^400), whose minimizer a fine scan finds.
    let closed = |lr: f64| 0.5 * ((1.0 - lr).powi(400) + 10.0 * (1.0 - 10.0 * lr).powi(400));
    let best = (1..=200_000)
        .map(|i| i as f64 * 1e-6)
        .min_by(|a, b| closed(*a).total_cmp(&closed(*b)))
        .unwrap();
    assert!((best - 2.0 / 11.0).abs() < 2e-3, "{best}");
    let run = RunSettings::new(parse_spec("sgd").unwrap(), 0.1, [1.0, 1.0], 200);
    let (search, cells) = optiscope::core::tuning::sweep::bayes_lr_search(
        &parse_spec(BOWL).unwrap(),
        &run,
        1e-4,
        10.0,
        14,
    )
    .unwrap();
    assert_eq!(cells.len(), 14);
    // Every trial is a different lr; those above 2/λmax = 0.2 end above the start's loss
    // 5.5 (or diverged), those below it below.
    for (i, c) in cells.iter().enumerate() {
        assert!(cells[..i].iter().all(|d| d.lr != c.lr));
        let worse = c.outcome.final_loss().is_none_or(|l| l > 5.5);
        assert_eq!(worse, c.lr > 0.2, "lr {}: {:?}", c.lr, c.outcome);
    }
    let found = search.best().unwrap().lr;
    assert!(
        (found / best - 1.0).abs() < 0.1,
        "found {found}, best {best}"
    );
    // The final loss there is within three decades of the best possible (the loss falls
    // 0.82^400-fold, so each per cent missed in lr costs most of a decade), and far below
    // the best of a log grid of as many runs over the same range.
    assert!(
        closed(found) < 1e3 * closed(best),
        "{} vs {}",
        closed(found),
        closed(best)
    );
    let grid_best = log_space(1e-4, 10.0, 14)
        .into_iter()
        .map(closed)
        .filter(|l| l.is_finite())
        .fold(f64::INFINITY, f64::min);
    assert!(
        closed(found) < 1e-10 * grid_best,
        "{} vs grid {grid_best}",
        closed(found)
    );
}
