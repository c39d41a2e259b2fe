//! Typed formulas as surfaces: the same trajectory as the built-in surface they spell out,
//! derivatives that agree with finite differences, clear errors, and bounds that keep any
//! pasted formula fast.

use optiscope::{AnySurface, Run, RunSettings, Surface, parse_spec};
use proptest::prelude::*;

fn surface(text: &str) -> AnySurface {
    AnySurface::from_spec(&parse_spec(text).unwrap()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn trajectory(surface_text: &str, optimizer: &str, lr: f64) -> optiscope::Trajectory {
    let run = Run::new(&RunSettings::new(
        parse_spec(optimizer).unwrap(),
        lr,
        [1.3, -0.7],
        200,
    ))
    .unwrap();
    run.simulate(&surface(surface_text)).0
}

#[test]
fn a_typed_quadratic_reproduces_the_built_in_trajectory_exactly() {
    // ½(2x² + 20y²) = x² + 10y².
    for (optimizer, lr) in [("sgd", 0.05), ("adam", 0.1), ("sgd(momentum=0.9)", 0.02)] {
        let typed = trajectory("custom(f=x^2 + 10*y^2)", optimizer, lr);
        let built_in = trajectory("quadratic(a=2,b=20)", optimizer, lr);
        assert_eq!(typed.points.len(), 201);
        // The path (every θ_k, gradient and lr) is identical to the bit. The loss is the same
        // function summed in another order (x² + 10y² against ½(2x·x + 20y·y)), so it may
        // differ in its last bit.
        assert_eq!(typed.points, built_in.points, "{optimizer}");
        assert_eq!(typed.grads, built_in.grads, "{optimizer}");
        assert_eq!(typed.lrs, built_in.lrs, "{optimizer}");
        for (a, b) in typed.losses.iter().zip(&built_in.losses) {
            assert!(
                (a - b).abs() <= 2.0 * f64::EPSILON * b.abs(),
                "{optimizer}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn a_typed_rosenbrock_matches_the_built_in_values_derivatives_and_curvature() {
    let typed = surface("custom(f=(1-x)^2 + 100*(y-x^2)^2)");
    let built_in = surface("rosenbrock");
    for p in [[-1.5, 2.0], [0.3, -0.2], [1.0, 1.0], [2.0, 3.5]] {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + b.abs());
        assert!(close(typed.value(p), built_in.value(p)), "{p:?}");
        let (g, h) = (typed.gradient(p), built_in.gradient(p));
        assert!(
            close(g[0], h[0]) && close(g[1], h[1]),
            "{p:?}: {g:?} vs {h:?}"
        );
        let (a, b) = (typed.hessian(p), built_in.hessian(p));
        for i in 0..2 {
            for j in 0..2 {
                assert!(close(a[i][j], b[i][j]), "{p:?}: {a:?} vs {b:?}");
            }
        }
    }
}

#[test]
fn formulas_in_one_variable_or_none_have_zero_derivatives_elsewhere() {
    let s = surface("custom(f=y^3)");
    assert_eq!(s.gradient([5.0, 2.0]), [0.0, 12.0]);
    assert_eq!(s.hessian([5.0, 2.0]), [[0.0, 0.0], [0.0, 12.0]]);
    let c = surface("custom(f=3)");
    assert_eq!(c.value([1.0, 2.0]), 3.0);
    assert_eq!(c.gradient([1.0, 2.0]), [0.0, 0.0]);
}

#[test]
fn mistakes_are_explained() {
    let error = |text: &str| {
        AnySurface::from_spec(&parse_spec(text).unwrap())
            .unwrap_err()
            .to_string()
    };
    assert!(error("custom(f=x^2 + z)").contains("unknown variable 'z'"));
    assert!(error("custom(f=sin(x) +)").contains("'sin(x) +'"));
    assert!(error("custom").contains("needs parameter 'f'"));
    assert!(error("custom(f=x,x_min=2,x_max=1)").contains("x_min < x_max"));
    assert!(
        parse_spec("custom(f=(x+1)").is_err(),
        "unbalanced parentheses"
    );
}

#[test]
fn formulas_survive_the_spec_text_round_trip() {
    for text in [
        "custom(f=x^2 + 10*y^2)",
        "custom(f=(1-x)^2 + 100*(y-x^2)^2)",
        "custom(f=\"sin(x) * cos(y)\",x_min=-3)",
    ] {
        let spec = parse_spec(text).unwrap();
        let again = parse_spec(&spec.to_string()).unwrap();
        assert_eq!(again, spec, "{text} -> {spec}");
        AnySurface::from_spec(&again).unwrap();
    }
}

fn finite_difference_agrees(s: &AnySurface, p: [f64; 2]) -> Result<(), TestCaseError> {
    let h = 1e-5;
    let g = s.gradient(p);
    let hess = s.hessian(p);
    for k in 0..2 {
        let mut plus = p;
        let mut minus = p;
        plus[k] += h;
        minus[k] -= h;
        let numeric = (s.value(plus) - s.value(minus)) / (2.0 * h);
        prop_assert!(
            (g[k] - numeric).abs() <= 1e-6 * (1.0 + g[k].abs()),
            "∂{k}: {} vs {numeric}",
            g[k]
        );
        let (gp, gm) = (s.gradient(plus), s.gradient(minus));
        for j in 0..2 {
            let numeric = (gp[j] - gm[j]) / (2.0 * h);
            prop_assert!(
                (hess[j][k] - numeric).abs() <= 1e-5 * (1.0 + hess[j][k].abs()),
                "H[{j}][{k}]: {} vs {numeric}",
                hess[j][k]
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn symbolic_derivatives_match_central_differences(x in -2.0f64..2.0, y in -2.0f64..2.0) {
        for formula in [
            "custom(f=sin(x)*cos(2*y) + x^2)",
            "custom(f=exp(-x^2 - y^2) * (x - y))",
            "custom(f=log(1 + x^2 + y^2) + sqrt(5 + x*y))",
            "custom(f=x^4/(1 + y^2) - tanh(x*y))",
        ] {
            finite_difference_agrees(&surface(formula), [x, y])?;
        }
    }
}

fn error(text: &str) -> String {
    AnySurface::from_spec(&parse_spec(text).unwrap())
        .err()
        .unwrap_or_else(|| panic!("{text} was accepted"))
        .to_string()
}

#[test]
fn hostile_formulas_are_refused_at_once_with_the_reason() {
    // 50,000 terms: refused by length before any parsing.
    let long = format!("custom(f={})", vec!["x"; 50_000].join("+"));
    let started = std::time::Instant::now();
    let e = error(&long);
    assert!(e.contains("characters long; at most 1000"), "{e}");
    // 5,000 nested calls are refused by their length; 40 by their depth.
    let deep = format!("custom(f={}x{})", "sin(".repeat(5000), ")".repeat(5000));
    assert!(error(&deep).contains("characters long"));
    let deep = format!("custom(f={}x{})", "sin(".repeat(40), ")".repeat(40));
    let e = error(&deep);
    assert!(
        e.contains("nests parentheses more than 32 deep (at character 132)"),
        "{e}"
    );
    assert!(
        started.elapsed().as_secs_f64() < 5.0,
        "refusing took {:?}",
        started.elapsed()
    );
    // An unknown function is named, with a near miss and the list of functions.
    let e = error("custom(f=sinn(x) + y)");
    assert!(
        e.contains("unknown function 'sinn' (did you mean 'sin'?)"),
        "{e}"
    );
    assert!(e.contains("the functions are") && e.contains("tanh"), "{e}");
}

#[test]
fn the_longest_accepted_formulas_have_exact_derivatives() {
    // 249 products: symbolic second derivatives of this took minutes; carried through as
    // hyper-dual numbers they are one pass. f = 249·x·y, so ∇f = 249·(y, x), ∂²f/∂x∂y = 249.
    let text = format!("custom(f={})", vec!["x*y"; 249].join("+"));
    assert!(text.len() - 10 <= 1000);
    let s = surface(&text);
    let g = s.gradient([0.5, -2.0]);
    assert!(
        (g[0] - 249.0 * -2.0).abs() < 1e-9 && (g[1] - 249.0 * 0.5).abs() < 1e-9,
        "{g:?}"
    );
    assert!((s.hessian([0.5, -2.0])[0][1] - 249.0).abs() < 1e-9);
    // 32 nested sines: d/dx sin(sin(…x…)) is the product of the cosines along the chain.
    let nested = format!("custom(f={}x{})", "sin(".repeat(32), ")".repeat(32));
    let s = surface(&nested);
    let (mut v, mut d) = (0.3f64, 1.0f64);
    for _ in 0..32 {
        d *= v.cos();
        v = v.sin();
    }
    assert!((s.value([0.3, 0.0]) - v).abs() < 1e-15);
    assert!((s.gradient([0.3, 0.0])[0] - d).abs() < 1e-12);
}

#[test]
fn where_a_formula_is_undefined_a_run_says_so_instead_of_blaming_the_rate() {
    // log(x) has no value left of the y axis; a run starting there takes no step.
    let run = Run::new(&RunSettings::new(
        parse_spec("sgd").unwrap(),
        0.1,
        [-1.0, 0.5],
        50,
    ))
    .unwrap();
    let (_, status) = run.simulate(&surface("custom(f=log(x) + y^2)"));
    let text = optiscope::core::run::simulation::status_text(&status, 0.1, 50);
    assert_eq!(text, "f is undefined at the start");
}
