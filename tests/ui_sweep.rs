//! The learning-rate sweep window driven like a user: open it from the Analyze menu, run a
//! sweep, wait for it, click a cell, and the run takes that learning rate (and momentum).
#![cfg(feature = "gui")]

mod common;

use common::click;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use optiscope::app::{OptiscopeApp, SecondAxis};
use optiscope::core::spec::Value;
use optiscope::scene::preset::LowerPlot;

/// `x` to three significant digits, by way of the standard library's formatting.
fn three_digits(x: f64) -> f64 {
    format!("{x:.2e}").parse().expect("a number")
}

fn harness() -> Harness<'static, OptiscopeApp> {
    common::harness(common::sgd_on_quadratic())
}

fn open_and_run(h: &mut Harness<'static, OptiscopeApp>, configure: impl FnOnce(&mut OptiscopeApp)) {
    h.get_by_label("Analyze").click();
    h.run_steps(2);
    h.get_by_label("Which learning rates work?").click();
    h.run_steps(3);
    assert!(h.state().sweep.open);
    configure(h.state_mut());
    h.run_steps(1);
    h.get_by_label("Run sweep").click();
    h.run_steps(2);
    let ctx = h.ctx.clone();
    h.state_mut().sweep.wait(&ctx);
    h.run_steps(3);
    assert!(!h.state().sweep.is_running());
    assert!(
        h.state().sweep.result.is_some(),
        "{:?}",
        h.state().sweep.error
    );
}

#[test]
fn clicking_a_cell_of_a_1d_sweep_sets_the_learning_rate() {
    let mut h = harness();
    open_and_run(&mut h, |app| app.sweep.lr_count = 64);
    let result = h.state().sweep.result.as_ref().unwrap();
    // The sweep of SGD on ½(x² + 10y²) diverges from the first sample above 2/λmax = 0.2.
    for cell in &result.cells {
        assert_eq!(cell.outcome.is_diverged(), cell.lr > 0.2, "lr {}", cell.lr);
    }
    let i = result.spec.lrs.iter().position(|&lr| lr > 0.03).unwrap();
    let want = result.spec.lrs[i];
    let pos = h
        .state()
        .sweep
        .cell_screen_pos(i, 0)
        .expect("the result was drawn");
    click(&mut h, pos);
    let lr = h.state().state.scene.runs[0].settings.lr;
    assert_eq!(
        lr,
        three_digits(want),
        "the clicked sample's lr, to 3 digits"
    );
}

#[test]
fn clicking_a_cell_of_a_2d_sweep_sets_learning_rate_and_momentum() {
    let mut h = harness();
    open_and_run(&mut h, |app| {
        app.sweep.lr_count = 24;
        app.sweep.second = SecondAxis::Momentum;
        app.sweep.second_min = 0.0;
        app.sweep.second_max = 0.9;
        app.sweep.second_count = 10;
    });
    let result = h.state().sweep.result.as_ref().unwrap();
    assert_eq!(result.cells.len(), 240);
    let (i, j) = (5, 7);
    let (want_lr, want_beta) = (
        result.spec.lrs[i],
        result.spec.second.as_ref().unwrap().values[j],
    );
    let pos = h
        .state()
        .sweep
        .cell_screen_pos(i, j)
        .expect("the map was drawn");
    click(&mut h, pos);
    let run = &h.state().state.scene.runs[0].settings;
    assert_eq!(run.lr, three_digits(want_lr));
    assert_eq!(
        run.optimizer.get("momentum"),
        Some(&Value::Num(three_digits(want_beta)))
    );
    // The label carries no digits beyond those.
    let label = run.label();
    assert!(label.len() < 40, "{label}");
}

#[test]
fn the_range_test_suggests_a_rate_that_can_be_applied() {
    let mut h = harness();
    h.state_mut().sweep.open = true;
    h.run_steps(2);
    h.get_by_label("LR range test").click();
    h.run_steps(2);
    let suggestion = h
        .state()
        .sweep
        .range_test
        .as_ref()
        .unwrap()
        .suggestion
        .unwrap();
    assert!(suggestion < 0.2, "below the stability limit: {suggestion}");
    h.get_by_label("Apply").click();
    h.run_steps(2);
    assert_eq!(
        h.state().state.scene.runs[0].settings.lr,
        three_digits(suggestion)
    );
}

/// The explain panel writes out every optimizer's rule and state at the cursor (and every
/// glyph it uses exists in the window's font: the test harness panics on a missing one).
#[test]
fn the_explain_panel_shows_each_optimizer_at_the_cursor() {
    let mut h = harness();
    // It sits at the bottom of the panel, below the fold at 1280×800: scroll, then open it.
    h.get_by_label("Explain the update").scroll_to_me();
    h.run_steps(6);
    assert_ne!(h.state().state.scene.plot, LowerPlot::StepSize);
    h.get_by_label("Explain the update").click();
    h.run_steps(2);
    // Opening it switches the lower plot to the step size |Δθ|.
    assert_eq!(h.state().state.scene.plot, LowerPlot::StepSize);
    for optimizer in [
        "sgd",
        "sgd(momentum=0.9,nesterov=true)",
        "sgd(momentum=0.9)",
        "adagrad",
        "rmsprop(centered=true,momentum=0.5)",
        "adam(amsgrad=true)",
        "adamw",
        "nadam",
        "radam",
        "adadelta",
        "lion",
        "newton",
    ] {
        h.state_mut().state.scene.runs[0].settings.optimizer =
            optiscope::parse_spec(optimizer).unwrap();
        h.state_mut().anim.cursor = 3.0;
        h.run_steps(2);
        assert!(
            h.query_by_label_contains("Update 4 of run 1 (θ₃ to θ₄)")
                .is_some(),
            "{optimizer}"
        );
        assert!(
            h.query_by_label_contains("effective step size").is_some(),
            "{optimizer}"
        );
    }
    // Adam's bias-corrected moments are among the numbers.
    h.state_mut().state.scene.runs[0].settings.optimizer = optiscope::parse_spec("adam").unwrap();
    h.run_steps(2);
    assert!(
        h.query_all_by_label_contains("v_hat = v/(1 − β2^t)")
            .count()
            >= 2,
        "rule and value"
    );
    // Update 4 is Adam's step t = 4: one number, where PyTorch's state['step'] is 4.
    assert!(
        h.query_by_label("4").is_some(),
        "t shown as a single number"
    );
    assert!(h.query_by_label("(4, 4)").is_none());
    // Closing it brings the loss back.
    h.get_by_label("Explain the update").click();
    h.run_steps(2);
    assert_ne!(h.state().state.scene.plot, LowerPlot::StepSize);
    common::show_lower_plot(&mut h, "Step size |Δθ|");
    assert_eq!(h.state().state.scene.plot, LowerPlot::StepSize);
}

/// Typing a formula: a mistake is shown under the text box and the paths stay; a valid
/// formula replaces the surface and the runs follow it.
#[test]
fn a_typed_formula_with_a_mistake_shows_the_error_and_keeps_the_paths() {
    use egui::accesskit::Role;
    let mut h = harness();
    h.state_mut().state.scene.surface = optiscope::parse_spec("custom(f=x^2 + 10*y^2)").unwrap();
    h.run_steps(3);
    let before = h.state().cache.runs[0].trajectory.points.clone();
    assert!(before.len() > 100);

    let retype = |h: &mut Harness<'static, OptiscopeApp>, text: &str| {
        h.get_by_role(Role::MultilineTextInput).focus();
        h.run_steps(1);
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run_steps(1);
        h.get_by_role(Role::MultilineTextInput).type_text(text);
        h.run_steps(3);
    };
    retype(&mut h, "sin(x +");
    assert!(
        h.query_by_label_contains("surface 'custom'").is_some(),
        "the mistake is shown"
    );
    assert_eq!(
        h.state().cache.runs[0].trajectory.points,
        before,
        "the paths stay"
    );

    retype(&mut h, "x^2 + y^2");
    // Enter applies and leaves the box; it adds no line break to the formula.
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert!(h.query_by_label_contains("surface 'custom'").is_none());
    assert_eq!(
        h.state().state.scene.surface.to_string(),
        "custom(f=x^2 + y^2)"
    );
    // GD on x² + y² at lr 0.1 shrinks both coordinates by 1 − 2·0.1 = 0.8 per step.
    let p = h.state().cache.runs[0].trajectory.points[1];
    assert!(
        (p[0] - 0.8).abs() < 1e-12 && (p[1] - 0.8).abs() < 1e-12,
        "{p:?}"
    );
}

#[test]
fn apply_optimum_sets_polyaks_pair_from_the_closed_form_map() {
    // ½(x² + 10y²): Polyak's optimum lr = (2/(1 + √10))², β = ((√10 − 1)/(√10 + 1))².
    let mut h = harness();
    open_and_run(&mut h, |app| {
        app.sweep.lr_count = 24;
        app.sweep.second = SecondAxis::Momentum;
        app.sweep.second_min = 0.0;
        app.sweep.second_max = 0.95;
        app.sweep.second_count = 12;
    });
    let theory = h.state().sweep.result.as_ref().unwrap().theory.clone();
    let theory = theory.expect("SGD over momentum on a bowl has a closed form");
    assert!(!theory.contours.is_empty());
    let r = 10f64.sqrt();
    let (lr, beta) = ((2.0 / (1.0 + r)).powi(2), ((r - 1.0) / (r + 1.0)).powi(2));
    h.get_by_label("Apply optimum").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Apply optimum").click();
    h.run_steps(2);
    let run = &h.state().state.scene.runs[0].settings;
    assert_eq!(run.lr, three_digits(lr));
    assert_eq!(
        run.optimizer.get("momentum"),
        Some(&Value::Num(three_digits(beta)))
    );
}

#[test]
fn a_bayesian_search_tries_a_handful_of_rates_and_its_best_can_be_applied() {
    let mut h = harness();
    h.state_mut().sweep.open = true;
    h.run_steps(2);
    h.get_by_label("Bayesian search").click();
    h.run_steps(3);
    let bayes = h.state().sweep.bayes.as_ref().expect("a search");
    assert_eq!(bayes.cells.len(), optiscope::app::BAYES_TRIALS);
    let best = bayes.search.best().unwrap().lr;
    // SGD on ½(x² + 10y²) for 200 steps: the final loss is smallest near 2/11, where both
    // directions shrink alike, and every rate above 2/λmax = 0.2 fails.
    assert!((best - 2.0 / 11.0).abs() < 0.03, "{best}");
    h.get_by_label("Apply").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Apply").click();
    h.run_steps(2);
    assert_eq!(
        h.state().state.scene.runs[0].settings.lr,
        three_digits(best)
    );
}
