//! The geometry of an update (the arrows and boxes the surface view draws, stage by stage)
//! against sums written out by hand from the run's own gradients and against closed forms.

use optiscope::core::optimizer::geometry::{GlyphKind, Shape, Stage};
use optiscope::{AnySurface, Point, Run, RunSettings, parse_spec};

fn run(surface: &str, optimizer: &str, lr: f64, start: Point, steps: u64) -> (AnySurface, Run) {
    let surface = AnySurface::from_spec(&parse_spec(surface).unwrap()).unwrap();
    let spec = RunSettings::new(parse_spec(optimizer).unwrap(), lr, start, steps);
    (surface, Run::new(&spec).unwrap())
}

/// The arrow of `kind` in `stages`: (from, to).
fn arrow(stages: &[Stage], kind: GlyphKind) -> Option<(Point, Point)> {
    stages
        .iter()
        .flat_map(|s| &s.glyphs)
        .find_map(|g| match g.shape {
            Shape::Arrow { from, to } if g.kind == kind => Some((from, to)),
            _ => None,
        })
}

/// The box of `kind`: (centre, half-widths).
fn boxed(stages: &[Stage], kind: GlyphKind) -> Option<(Point, Point)> {
    stages
        .iter()
        .flat_map(|s| &s.glyphs)
        .find_map(|g| match g.shape {
            Shape::Box { centre, half } if g.kind == kind => Some((centre, half)),
            _ => None,
        })
}

fn close(a: Point, b: Point, tol: f64) -> bool {
    (a[0] - b[0]).abs() <= tol * (1.0 + b[0].abs())
        && (a[1] - b[1]).abs() <= tol * (1.0 + b[1].abs())
}

const RAVINE: &str = "quadratic(a=1,b=10,angle=30)";

#[test]
fn every_optimizer_starts_with_the_gradient_step_and_ends_with_the_step_taken() {
    for optimizer in [
        "sgd",
        "sgd(momentum=0.9)",
        "sgd(momentum=0.9,nesterov=true)",
        "adagrad",
        "rmsprop",
        "rmsprop(momentum=0.5,centered=true)",
        "adam",
        "adamw(weight_decay=0.5)",
        "nadam",
        "radam",
        "adadelta(weight_decay=0.1)",
        "lion(weight_decay=0.3)",
        "newton(damping=0.1)",
        "flow",
        "keras.sgd(momentum=0.9)",
        "keras.adam(weight_decay=0.2)",
        "keras.rmsprop",
    ] {
        let lr = if optimizer == "adadelta(weight_decay=0.1)" {
            1.0
        } else {
            0.03
        };
        let (surface, r) = run(RAVINE, optimizer, lr, [-2.0, 1.5], 30);
        for k in [0u64, 1, 9, 29] {
            let d = r.step_detail(&surface, k).unwrap();
            let stages = &d.stages;
            assert_eq!(stages[0].name, "gradient", "{optimizer}");
            assert_eq!(stages.last().unwrap().name, "step", "{optimizer}");
            let (from, tip) = arrow(&stages[..1], GlyphKind::Gradient).unwrap();
            assert_eq!(from, d.theta);
            assert!(close(
                tip,
                [d.theta[0] - lr * d.grad[0], d.theta[1] - lr * d.grad[1]],
                1e-15
            ));
            let (from, tip) = arrow(&stages[stages.len() - 1..], GlyphKind::Step).unwrap();
            assert_eq!(from, d.theta);
            assert_eq!(tip, [d.theta[0] + d.delta[0], d.theta[1] + d.delta[1]]);
            // Every rule line a stage points at exists.
            for s in stages {
                assert!(
                    s.rule_lines.iter().all(|&l| l < d.rule.len()),
                    "{optimizer}: {}",
                    s.name
                );
            }
        }
    }
}

#[test]
fn heavy_balls_arrows_are_the_buffer_summed_by_hand() {
    // b_k = Σ_j μ^(k−j)·g_j: the new velocity is −lr·b_k, the carried one −lr·μ·b_(k−1).
    let (mu, lr) = (0.9, 0.02);
    let (surface, r) = run(RAVINE, "sgd(momentum=0.9)", lr, [-2.0, 1.5], 20);
    let (traj, _) = r.simulate(&surface);
    let buffer = |k: usize| -> Point {
        let mut b = [0.0; 2];
        for (j, g) in traj.grads.iter().enumerate().take(k + 1) {
            for (bi, gi) in b.iter_mut().zip(g) {
                *bi += mu_pow(mu, k - j) * gi;
            }
        }
        b
    };
    for k in [1usize, 5, 12] {
        let d = r.step_detail(&surface, k as u64).unwrap();
        let names: Vec<_> = d.stages.iter().map(|s| s.name).collect();
        assert_eq!(names, ["gradient", "momentum", "step"]);
        let (b, old) = (buffer(k), buffer(k - 1));
        let (_, tip) = arrow(&d.stages, GlyphKind::Momentum).unwrap();
        assert!(close(
            tip,
            [d.theta[0] - lr * b[0], d.theta[1] - lr * b[1]],
            1e-13
        ));
        let (_, tip) = arrow(&d.stages, GlyphKind::Carried).unwrap();
        assert!(close(
            tip,
            [d.theta[0] - lr * mu * old[0], d.theta[1] - lr * mu * old[1]],
            1e-13
        ));
        // Heavy ball steps along its new buffer.
        assert!(close(
            [d.theta[0] + d.delta[0], d.theta[1] + d.delta[1]],
            tip_of(&d.stages, GlyphKind::Momentum),
            1e-13
        ));
    }
    // The first update has nothing carried over.
    let d = r.step_detail(&surface, 0).unwrap();
    assert!(arrow(&d.stages, GlyphKind::Carried).is_none());
}

fn mu_pow(mu: f64, n: usize) -> f64 {
    mu.powi(n as i32)
}

fn tip_of(stages: &[Stage], kind: GlyphKind) -> Point {
    arrow(stages, kind).unwrap().1
}

#[test]
fn adams_four_stages_match_its_moments_summed_by_hand() {
    // m_hat_k = Σ (1−β1)·β1^(k−j)·g_j / (1 − β1^(k+1)), v_hat likewise with g²; the step lands
    // on the corner of the box of half-widths lr·|m_hat|/(√v_hat + eps).
    let (b1, b2, eps, lr): (f64, f64, f64, f64) = (0.9, 0.999, 1e-8, 0.05);
    let (surface, r) = run(RAVINE, "adam", lr, [-2.0, 1.5], 40);
    let (traj, _) = r.simulate(&surface);
    for k in [0usize, 3, 25] {
        let d = r.step_detail(&surface, k as u64).unwrap();
        let names: Vec<_> = d.stages.iter().map(|s| s.name).collect();
        assert_eq!(names, ["gradient", "momentum", "scaling", "step"]);
        let t = (k + 1) as i32;
        let mut m = [0.0; 2];
        let mut v = [0.0; 2];
        for j in 0..=k {
            for i in 0..2 {
                let g = traj.grads[j][i];
                m[i] += (1.0 - b1) * b1.powi((k - j) as i32) * g;
                v[i] += (1.0 - b2) * b2.powi((k - j) as i32) * g * g;
            }
        }
        let m_hat = m.map(|x| x / (1.0 - b1.powi(t)));
        let v_hat = v.map(|x| x / (1.0 - b2.powi(t)));
        let tip = tip_of(&d.stages, GlyphKind::Momentum);
        assert!(close(
            tip,
            [d.theta[0] - lr * m_hat[0], d.theta[1] - lr * m_hat[1]],
            1e-12
        ));
        let (centre, half) = boxed(&d.stages, GlyphKind::Scaling).unwrap();
        assert_eq!(centre, d.theta);
        for i in 0..2 {
            let want = lr * m_hat[i].abs() / (v_hat[i].sqrt() + eps);
            assert!((half[i] - want).abs() < 1e-12 * want, "k {k}: {half:?}");
            // The step is the box's corner in the direction it moved.
            assert!((d.delta[i].abs() - half[i]).abs() < 1e-12 * want);
        }
        // The stages point at the explain panel's rows.
        assert!(d.stages[1].terms.contains(&"m_hat = m/(1 − β1^t)"));
        assert!(d.stages[2].terms.contains(&"v_hat = v/(1 − β2^t)"));
        for s in &d.stages {
            for term in &s.terms {
                assert!(
                    d.terms.iter().any(|t| t.name == *term)
                        || term.contains('θ')
                        || term.starts_with("lr"),
                    "{term} is a row of the panel"
                );
            }
        }
    }
}

#[test]
fn adaptive_steps_land_on_a_corner_of_their_box() {
    for optimizer in [
        "adamw(weight_decay=0.5)",
        "adagrad",
        "rmsprop",
        "rmsprop(centered=true)",
        "nadam",
        "adadelta",
        "lion(weight_decay=0.3)",
        "radam",
        "keras.adam(weight_decay=0.2)",
        "keras.adam(amsgrad=true)",
    ] {
        let lr = if optimizer == "adadelta" { 1.0 } else { 0.04 };
        let (surface, r) = run(RAVINE, optimizer, lr, [-2.0, 1.5], 30);
        for k in [0u64, 7, 29] {
            let d = r.step_detail(&surface, k).unwrap();
            let Some((centre, half)) =
                boxed(&d.stages, GlyphKind::Scaling).or_else(|| boxed(&d.stages, GlyphKind::Sign))
            else {
                // RAdam is plain momentum until its variance is rectified (t ≥ 6 at β2 = 0.999).
                assert!(
                    optimizer == "radam" && k < 5,
                    "{optimizer} step {k} has no box"
                );
                continue;
            };
            let next = [d.theta[0] + d.delta[0], d.theta[1] + d.delta[1]];
            for i in 0..2 {
                let corner = centre[i] + half[i] * (next[i] - centre[i]).signum();
                assert!(
                    (corner - next[i]).abs() < 1e-12 * (1.0 + next[i].abs()),
                    "{optimizer} step {k}"
                );
            }
        }
    }
}

#[test]
fn adagrads_boxes_shrink_like_one_over_root_t_under_a_constant_gradient() {
    // On the plane f = x + y the gradient is (1, 1) everywhere: Σ = t, so the box's
    // half-width is lr/√t exactly.
    let (surface, r) = run("custom(f=x+y)", "adagrad(eps=0)", 0.5, [0.0, 0.0], 20);
    for k in [0u64, 3, 15] {
        let d = r.step_detail(&surface, k).unwrap();
        let (_, half) = boxed(&d.stages, GlyphKind::Scaling).unwrap();
        let want = 0.5 / ((k + 1) as f64).sqrt();
        assert!(
            (half[0] - want).abs() < 1e-15 && (half[1] - want).abs() < 1e-15,
            "{half:?}"
        );
    }
}

#[test]
fn newton_on_a_saddle_jumps_to_it_uphill() {
    // f = x² − y² (saddle with a = b = 2, no quartic): the model is f itself, its centre the saddle at 0,
    // and a full Newton step lands there, raising the loss from f(θ) < 0.
    let (surface, r) = run("saddle(a=2,b=2,c=0)", "newton", 1.0, [0.3, 1.0], 3);
    let d = r.step_detail(&surface, 0).unwrap();
    let names: Vec<_> = d.stages.iter().map(|s| s.name).collect();
    assert_eq!(names, ["gradient", "model", "step"]);
    let centre = d.stages[1]
        .glyphs
        .iter()
        .find_map(|g| match g.shape {
            Shape::Dot(p) if g.kind == GlyphKind::ModelCentre => Some(p),
            _ => None,
        })
        .unwrap();
    assert!(
        centre[0].abs() < 1e-12 && centre[1].abs() < 1e-12,
        "{centre:?}"
    );
    let next = [d.theta[0] + d.delta[0], d.theta[1] + d.delta[1]];
    assert!(next[0].abs() < 1e-12 && next[1].abs() < 1e-12);
    // Two hyperbola branches, both on the level set f = f(θ) of the quadratic.
    let curves: Vec<_> = d.stages[1]
        .glyphs
        .iter()
        .filter(|g| g.kind == GlyphKind::Model)
        .collect();
    assert_eq!(curves.len(), 2);
    let level = surface_value(&surface, d.theta);
    for g in curves {
        for p in g.shape.outline() {
            assert!(
                (surface_value(&surface, p) - level).abs()
                    < 1e-9 * (1.0 + p[0] * p[0] + p[1] * p[1])
            );
        }
    }
}

fn surface_value(surface: &AnySurface, p: Point) -> f64 {
    use optiscope::Surface;
    surface.value(p)
}

#[test]
fn lions_box_has_half_width_lr_about_the_decayed_point() {
    let (lr, wd) = (0.05, 0.3);
    let (surface, r) = run(RAVINE, "lion(weight_decay=0.3)", lr, [-2.0, 1.5], 10);
    let d = r.step_detail(&surface, 4).unwrap();
    let names: Vec<_> = d.stages.iter().map(|s| s.name).collect();
    assert_eq!(names, ["gradient", "momentum", "sign", "step"]);
    let (centre, half) = boxed(&d.stages, GlyphKind::Sign).unwrap();
    assert_eq!(half, [lr, lr]);
    for (c, t) in centre.iter().zip(d.theta) {
        assert!((c - t * (1.0 - lr * wd)).abs() < 1e-15);
    }
    let (_, decayed) = arrow(&d.stages, GlyphKind::Decay).unwrap();
    assert_eq!(decayed, centre);
}

#[test]
fn keras_momentum_draws_its_velocity_as_the_step_itself() {
    // Keras's velocity is a displacement: θ_k+1 = θ_k + v_k, and v_k = μ·v_k−1 − lr·g_k.
    let (surface, r) = run(RAVINE, "keras.sgd(momentum=0.9)", 0.02, [-2.0, 1.5], 20);
    let (traj, _) = r.simulate(&surface);
    for k in [1u64, 5, 19] {
        let d = r.step_detail(&surface, k).unwrap();
        let (from, to) = arrow(&d.stages, GlyphKind::Momentum).unwrap();
        let next = traj.points[k as usize + 1];
        assert!(
            close(from, d.theta, 1e-15) && close(to, next, 1e-13),
            "step {k}"
        );
        let previous = [
            d.theta[0] - traj.points[k as usize - 1][0],
            d.theta[1] - traj.points[k as usize - 1][1],
        ];
        let (_, carried) = arrow(&d.stages, GlyphKind::Carried).unwrap();
        let want = [
            d.theta[0] + 0.9 * previous[0],
            d.theta[1] + 0.9 * previous[1],
        ];
        assert!(
            close(carried, want, 1e-13),
            "step {k}: {carried:?} vs {want:?}"
        );
    }
}
