//! The window driven like a user with egui_kittest: drag the learning-rate slider past the
//! stability limit, step the animation, change the decay type, click on the surface.
#![cfg(feature = "gui")]

mod common;

use common::{harness, sgd_on_quadratic};
use egui::Pos2;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use optiscope::app::{AppState, OptiscopeApp};
use optiscope::core::optimizer::geometry::GlyphKind;
use optiscope::core::run::simulation::Status;
use optiscope::core::spec::{Spec, Value};
use optiscope::scene::preset::LowerPlot;

#[test]
fn dragging_the_lr_slider_past_two_over_lambda_max_shows_divergence() {
    let mut h = harness(sgd_on_quadratic());
    assert!(!h.state().cache.runs[0].status.is_diverged());
    assert!(h.query_by_label_contains("diverged at step").is_none());

    let rect = h
        .get_by_role_and_label(Role::Slider, "Learning rate")
        .rect();
    // Log scale 1e-5 … 10: the slider's right quarter is lr ≳ 0.18; drag to 80 % (lr ≈ 0.6).
    let from = rect.center();
    let to = Pos2::new(rect.left() + 0.8 * rect.width(), rect.center().y);
    common::drag(&mut h, from, to);

    let lr = h.state().state.scene.runs[0].settings.lr;
    assert!(lr > 0.2 && lr < 10.0, "lr after the drag: {lr}");
    let status = h.state().cache.runs[0].status;
    assert!(matches!(status, Status::Diverged { .. }), "{status:?}");
    // The run list says so, with the step and the lr.
    let Status::Diverged { step, .. } = status else {
        unreachable!()
    };
    assert!(
        h.query_by_label_contains(&format!("diverged at step {step} (lr = "))
            .is_some()
    );
}

#[test]
fn step_button_advances_the_counter_and_the_cursor() {
    let mut h = harness(sgd_on_quadratic());
    assert!(h.query_by_label("step 0 / 200").is_some());
    h.get_by_label("Step").click();
    h.run_steps(2);
    assert_eq!(h.state().anim.step(), 1);
    h.get_by_label("Step").click();
    h.run_steps(2);
    assert_eq!(h.state().anim.step(), 2);
    assert!(h.query_by_label("step 2 / 200").is_some());
    // Keyboard: → steps, ← goes back.
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(h.state().anim.step(), 3);
    h.key_press(egui::Key::ArrowLeft);
    h.run_steps(2);
    assert_eq!(h.state().anim.step(), 2);
}

#[test]
fn changing_the_decay_type_changes_the_lr_plot() {
    let mut h = harness(sgd_on_quadratic());
    let before = h.state().cache.runs[0].lr_preview.clone();
    assert!(before.iter().all(|&lr| lr == 0.1), "constant schedule");
    h.get_by_role_and_label(Role::ComboBox, "Decay").click();
    h.run_steps(2);
    h.get_by_label("cosine").click();
    h.run_steps(2);
    assert_eq!(
        h.state().state.scene.runs[0].settings.schedule.name,
        "cosine"
    );
    let after = &h.state().cache.runs[0].lr_preview;
    assert_eq!(after.len(), before.len());
    assert_eq!(after[0], 0.1);
    // cosine(T_max=100): half the base rate at step 50, zero at step 100.
    assert!(
        (after[50] - 0.05).abs() < 1e-12 && after[100].abs() < 1e-12,
        "{:?}",
        &after[..3]
    );
}

#[test]
fn clicking_the_surface_moves_the_start_point_there() {
    let mut h = harness(sgd_on_quadratic());
    let target = [2.0, -1.5];
    let pos = h
        .state()
        .surface_screen_pos(target)
        .expect("the surface was drawn");
    common::click(&mut h, pos);
    let start = h.state().state.scene.start;
    // One screen point is a few hundredths of a unit at this zoom.
    assert!(
        (start[0] - target[0]).abs() < 0.05 && (start[1] - target[1]).abs() < 0.05,
        "{start:?}"
    );
    // The runs restart from there.
    let first = h.state().cache.runs[0].trajectory.points[0];
    assert_eq!(first, start);
}

#[test]
fn dragging_the_start_handle_moves_the_start_and_recomputes_the_runs() {
    let mut h = harness(sgd_on_quadratic());
    let from = h.state().surface_screen_pos([1.0, 1.0]).expect("drawn");
    let to_point = [-2.0, 0.5];
    let to = h.state().surface_screen_pos(to_point).expect("drawn");
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for k in 1..=10 {
        h.hover_at(from + (to - from) * (k as f32 / 10.0));
        h.run_steps(1);
    }
    // Mid-drag, the runs already start from where the handle is (a frame derives what the
    // previous one changed).
    h.run_steps(1);
    let start = h.state().state.scene.start;
    assert!(
        (start[0] - to_point[0]).abs() < 0.05 && (start[1] - to_point[1]).abs() < 0.05,
        "{start:?}"
    );
    assert_eq!(h.state().cache.runs[0].trajectory.points[0], start);
    h.drop_at(to);
    h.run_steps(2);
    // The view did not pan while the handle moved.
    let again = h.state().surface_screen_pos(to_point).expect("drawn");
    assert!(again.distance(to) < 1.0, "view moved: {again:?} vs {to:?}");
}

#[test]
fn space_plays_and_pauses_and_r_resets_the_view() {
    let mut h = harness(sgd_on_quadratic());
    h.key_press(egui::Key::Space);
    h.run_steps(5);
    assert!(h.state().anim.playing);
    assert!(h.state().anim.cursor > 0.0);
    h.key_press(egui::Key::Space);
    h.run_steps(1);
    assert!(!h.state().anim.playing);
    h.key_press(egui::Key::Home);
    h.run_steps(1);
    assert_eq!(h.state().anim.step(), 0);
    h.state_mut().state.scene.view = Some(optiscope::View::around([30.0, 30.0], 1.0));
    h.key_press(egui::Key::R);
    h.run_steps(2);
    assert_eq!(
        h.state().state.scene.view,
        None,
        "back to the surface's default view"
    );
}

#[test]
fn runs_can_be_added_duplicated_hidden_and_removed() {
    let mut h = harness(sgd_on_quadratic());
    h.get_by_label("Add").click();
    h.run_steps(2);
    h.get_by_label("Duplicate").click();
    h.run_steps(2);
    let runs = &h.state().state.scene.runs;
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[1].settings.optimizer, runs[2].settings.optimizer);
    assert_ne!(
        runs[1].color, runs[2].color,
        "a duplicate gets its own color"
    );
    assert_eq!(h.state().cache.runs.len(), 3);
    h.get_by_label("Remove").click();
    h.run_steps(2);
    assert_eq!(h.state().state.scene.runs.len(), 2);
    h.get_all_by_label("Show")
        .next()
        .expect("a Show box")
        .click();
    h.run_steps(2);
    assert!(!h.state().state.scene.runs[0].visible);
}

#[test]
fn a_diverging_run_never_shows_nan_or_moves_the_view() {
    let mut app = sgd_on_quadratic();
    app.state.scene.runs[0].settings.lr = 5.0;
    app.anim.cursor = 200.0;
    let mut h = harness(app);
    let view_before = h.state().surface_screen_pos([0.0, 0.0]);
    h.run_steps(3);
    assert!(h.state().cache.runs[0].status.is_diverged());
    assert!(h.query_by_label_contains("NaN").is_none());
    assert!(h.query_by_label_contains("inf").is_none());
    assert_eq!(h.state().surface_screen_pos([0.0, 0.0]), view_before);
}

#[test]
fn the_scene_survives_a_save_and_load_round_trip() {
    // eframe persists AppState with RON; the restored scene is the same scene.
    let mut state = AppState::default();
    state.scene.runs[1].settings.schedule =
        Spec::named("multistep").with("milestones", Value::List(vec![10.0, 20.0]));
    state.scene.runs[2].settings.warmup = Spec::named("linear").with("steps", Value::Num(5.0));
    state.scene.plot = LowerPlot::Phase;
    state.phase_fast = true;
    let text = ron::to_string(&state).expect("serializes");
    let back: AppState = ron::from_str(&text).expect("deserializes");
    assert_eq!(back, state);
    // The lower plot's view as builds before views were part of the scene stored it.
    let old = text.replace("phase_fast:true", "show_sharpness:true");
    assert_ne!(old, text, "{text}");
    let back: AppState = ron::from_str(&old).expect("deserializes");
    assert_eq!(
        back.scene.plot,
        LowerPlot::Phase,
        "the scene's own view wins"
    );
    let mut without = state.clone();
    without.scene.plot = LowerPlot::Loss;
    let old = ron::to_string(&without)
        .unwrap()
        .replace("phase_fast:true", "show_sharpness:true");
    let back: AppState = ron::from_str(&old).expect("deserializes");
    assert_eq!(back.scene.plot, LowerPlot::Sharpness);
}

#[test]
fn showing_hiding_or_recoloring_a_run_simulates_nothing() {
    let mut h = harness(OptiscopeApp::new(AppState::default()));
    let runs = h.state().state.scene.runs.len();
    assert!(runs >= 2);
    let computed = h.state().cache.simulations;
    assert_eq!(computed, runs as u64, "each run is simulated once to start");

    h.get_all_by_label("Show")
        .next()
        .expect("a Show box")
        .click();
    h.run_steps(3);
    assert!(!h.state().state.scene.runs[0].visible);
    h.state_mut().state.scene.runs[1].color = Some([10, 20, 30]);
    h.run_steps(3);
    assert_eq!(
        h.state().cache.simulations,
        computed,
        "visibility and color are not part of what a run computes"
    );

    // A change of the numbers recomputes that run, and only it.
    h.state_mut().state.scene.runs[1].settings.lr *= 0.5;
    h.run_steps(3);
    assert_eq!(h.state().cache.simulations, computed + 1);
}

#[test]
fn a_scene_left_open_in_an_earlier_build_is_still_open() {
    // The flat window state earlier builds stored (scene fields at the top, runs with their
    // colour inline).
    let old = r#"(title: "Mine", description: "notes", surface: (name: "rosenbrock", args: []),
        start: (1.0, 2.0), runs: [(optimizer: (name: "adam", args: [("beta1", Num(0.8))]),
        lr: 0.05, steps: 300, color: (1, 2, 3), visible: false)], speed: 40.0, log_loss: false,
        grid_size: 256, light_theme: true, recent: ["/tmp/a.ron"])"#;
    let state: AppState = ron::from_str(old).expect("migrates");
    assert_eq!(state.scene.title, "Mine");
    assert_eq!(state.scene.surface.name, "rosenbrock");
    assert_eq!(state.scene.start, [1.0, 2.0]);
    assert_eq!(state.scene.speed, 40.0);
    assert!(!state.scene.log_loss);
    let run = &state.scene.runs[0];
    assert_eq!(run.settings.optimizer.to_string(), "adam(beta1=0.8)");
    assert_eq!((run.settings.lr, run.settings.steps), (0.05, 300));
    assert_eq!(run.color, Some([1, 2, 3]));
    assert!(!run.visible);
    assert_eq!(state.grid_size, 256);
    assert!(state.light_theme);
    assert_eq!(state.recent, [std::path::PathBuf::from("/tmp/a.ron")]);
}

#[test]
fn the_wheel_over_the_surface_zooms_about_the_pointer() {
    let mut h = harness(sgd_on_quadratic());
    let target = [0.6, -0.4];
    let pos = h.state().surface_screen_pos(target).expect("drawn");
    let width_before = {
        let left = h
            .state()
            .surface_point_at(pos - egui::vec2(100.0, 0.0))
            .unwrap();
        target[0] - left[0]
    };
    h.hover_at(pos);
    h.run_steps(2);
    for _ in 0..3 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 60.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        h.run_steps(2);
    }
    h.run_steps(10);
    // Zoomed in: 100 points now span less of the surface...
    let left = h
        .state()
        .surface_point_at(pos - egui::vec2(100.0, 0.0))
        .unwrap();
    assert!(
        target[0] - left[0] < 0.8 * width_before,
        "not zoomed in: {} vs {width_before}",
        target[0] - left[0]
    );
    // ...and the point under the pointer stayed there.
    let under = h.state().surface_point_at(pos).unwrap();
    let tolerance = 0.02 * width_before;
    assert!(
        (under[0] - target[0]).abs() < tolerance && (under[1] - target[1]).abs() < tolerance,
        "{under:?} drifted from {target:?}"
    );
    // The zoom is the user's: it is kept in the scene's view.
    assert!(h.state().state.scene.view.is_some());
}

#[test]
fn a_paused_window_settles_after_a_resize_with_a_fresh_heatmap() {
    let mut h = harness(sgd_on_quadratic());
    // Narrower and taller, as when a panel is dragged wider or the window resized: the plot
    // keeps its x range and shows more y, where the old heatmap has nothing.
    h.set_size(egui::vec2(1100.0, 900.0));
    // Runs frames until none is asked for: the heatmap catches up by itself (no pointer move
    // needed), and an idle window then stops drawing.
    h.run();
    let app = h.state();
    let grid = app.cache.grid.as_ref().expect("a heatmap");
    let plot = app.surface_overlay().plot.expect("a plot");
    let corner = app.surface_point_at(plot.left_top()).unwrap();
    let other = app.surface_point_at(plot.right_bottom()).unwrap();
    // The heatmap covers the whole plot: no band of the old size left uncovered.
    let tol = 1e-9 * (grid.view.x_max - grid.view.x_min);
    let covered = grid.view.x_min <= corner[0] + tol
        && grid.view.x_max >= other[0] - tol
        && grid.view.y_max >= corner[1] - tol
        && grid.view.y_min <= other[1] + tol;
    assert!(
        covered,
        "heatmap {:?} for a plot from {corner:?} to {other:?}",
        grid.view
    );
}

#[test]
fn the_sharpness_tab_plots_lambda_max_against_the_threshold_of_each_step() {
    use optiscope::scene::preset::BUILTIN_PRESETS;
    // ½(x² + 10y²): the sharpness is 10 everywhere; GD at lr 0.19 is stable up to 2/0.19.
    let mut h = common::default_scene_without_dialogs();
    let preset = BUILTIN_PRESETS
        .iter()
        .find(|b| b.file == "stability-limit.ron")
        .unwrap()
        .load()
        .unwrap();
    h.state_mut().open_preset(&preset, None);
    h.run_steps(3);
    common::show_lower_plot(&mut h, "Sharpness");
    h.run_steps(1);
    assert_eq!(h.state().state.scene.plot, LowerPlot::Sharpness);
    let curves = &h.state().cache.runs[0].curves;
    assert!(!curves.sharpness.is_empty());
    assert!(curves.sharpness.iter().all(|p| (p.y - 10.0).abs() < 1e-12));
    assert!(
        curves
            .threshold
            .iter()
            .all(|p| (p.y - 2.0 / 0.19).abs() < 1e-12)
    );
    // The plot shows both: its y range holds 10 and 2/0.19 (as log10 on a log axis).
    let (_, y) = h.state().plot_axes().loss.expect("drawn");
    let log = h.state().state.scene.log_loss;
    for v in [10.0_f64, 2.0 / 0.19] {
        let v = if log { v.log10() } else { v };
        assert!(y[0] <= v && v <= y[1], "{v} outside {y:?}");
    }
    // Back to the loss.
    common::show_lower_plot(&mut h, "Loss per step");
    assert_eq!(h.state().state.scene.plot, LowerPlot::Loss);
}

#[test]
fn adam_shows_its_preconditioned_sharpness_against_38_over_lr() {
    // Adam on ½(x² + 10y²): H = diag(1, 10), so λmax(P⁻¹H) = max(1/P_x, 10/P_y) with
    // P_i = √v̂_i + ε, v̂ the bias-corrected mean of squared gradients (Kingma & Ba), replayed
    // here from the run's own gradients.
    let mut app = common::sgd_on_quadratic();
    app.state.scene.runs[0].settings.optimizer = Spec::named("adam");
    app.state.scene.runs[0].settings.lr = 0.01;
    app.state.scene.runs[0].settings.steps = 120;
    app.state.scene.plot = LowerPlot::Sharpness;
    let mut h = common::harness(app);
    h.run_steps(2);
    let result = &h.state().cache.runs[0];
    assert!(result.curves.preconditioned);
    assert!(
        h.query_by_label("run 1: preconditioned λmax(P^-1·H)")
            .is_some()
    );
    let (b2, eps) = (0.999_f64, 1e-8);
    let mut v = [0.0_f64; 2];
    let sharp: Vec<f64> = result
        .trajectory
        .grads
        .iter()
        .take(120)
        .enumerate()
        .map(|(k, g)| {
            let t = (k + 1) as i32;
            for i in 0..2 {
                v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
            }
            let p = v.map(|vi| (vi / (1.0 - b2.powi(t))).sqrt() + eps);
            (1.0 / p[0]).max(10.0 / p[1])
        })
        .collect();
    // The curve is thinned to buckets: every point drawn is one of the replayed values (the
    // last row has no update of its own and keeps the preconditioner of the one before).
    let curve = &result.curves.sharpness;
    assert!(curve.len() > 100);
    for p in curve {
        let want = sharp[(p.x as usize).min(119)];
        assert!(
            (p.y - want).abs() < 1e-9 * want,
            "step {}: {} vs {want}",
            p.x,
            p.y
        );
    }
    // Adam's threshold at β1 = 0.9: (2 + 2β1)/((1 − β1)·lr) = 38/lr.
    assert!(
        result
            .curves
            .threshold
            .iter()
            .all(|p| (p.y - 38.0 / 0.01).abs() < 1e-9)
    );
}

#[test]
fn the_3d_view_orbits_zooms_resets_and_puts_each_ball_on_its_run() {
    use optiscope::picture::scene3d::{Camera, HeightMap, PATH_LIFT};
    let mut h = harness(sgd_on_quadratic());
    h.get_by_label("3D").click();
    h.run_steps(3);
    assert!(h.state().state.show_3d);
    let rect = h.state().surface3d.rect.expect("drawn");
    assert!(rect.width() > 400.0 && rect.height() > 400.0, "{rect:?}");
    // Dragging right by 100 and down by 50 points turns the camera by −40° and tilts it by
    // +15° (0.4° and 0.3° per point).
    let before = h.state().state.camera;
    let from = rect.center();
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for k in 1..=5 {
        h.hover_at(from + egui::vec2(20.0 * k as f32, 10.0 * k as f32));
        h.run_steps(1);
    }
    h.drop_at(from + egui::vec2(100.0, 50.0));
    h.run_steps(2);
    let turned = h.state().state.camera;
    assert!(
        ((turned.yaw - before.yaw).rem_euclid(360.0) - 320.0).abs() < 1.0,
        "{before:?} → {turned:?}"
    );
    assert!((turned.pitch - before.pitch - 15.0).abs() < 1.0);
    // The wheel zooms in.
    h.hover_at(from);
    h.run_steps(2);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 60.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(6);
    let zoomed = h.state().state.camera;
    assert!(zoomed.zoom > turned.zoom * 1.1, "{zoomed:?}");
    // Five steps on: the ball sits where the camera puts θ_5 on the mesh.
    for _ in 0..5 {
        h.get_by_label("Step").click();
        h.run_steps(1);
    }
    h.run_steps(2);
    let app = h.state();
    assert_eq!(app.anim.step(), 5);
    let point = app.cache.runs[0].trajectory.points[5];
    let surface = app.cache.surface.as_ref().unwrap();
    let view = app
        .state
        .scene
        .view
        .unwrap_or_else(|| surface.default_view());
    let mesh = HeightMap::new(surface, view, 128);
    let mut b = mesh.to_box(point).unwrap();
    b[2] += PATH_LIFT;
    let (s, _) = app.state.camera.project(b);
    let rect = app.surface3d.rect.unwrap();
    let scale = 0.46 * rect.width().min(rect.height());
    let want = egui::pos2(
        rect.center().x + s[0] as f32 * scale,
        rect.center().y - s[1] as f32 * scale,
    );
    let (run, at, _) = app.surface3d.balls[0];
    assert_eq!(run, 0);
    assert!((at - want).length() < 0.5, "{at:?} vs {want:?}");
    // Reset view (R) brings the default camera back; 3D again goes back to the heatmap.
    h.key_press(egui::Key::R);
    h.run_steps(2);
    assert_eq!(h.state().state.camera, Camera::default());
    h.get_by_label("3D").click();
    h.run_steps(2);
    assert!(!h.state().state.show_3d);
}

#[test]
fn the_update_arrows_end_where_the_explain_panel_says() {
    // Heavy ball on ½(x² + 10y²): the step taken (momentum) differs from the gradient step.
    let mut app = sgd_on_quadratic();
    app.state.scene.runs[0].settings.optimizer =
        Spec::named("sgd").with("momentum", Value::Num(0.9));
    app.state.scene.runs[0].settings.lr = 0.02;
    let mut h = harness(app);
    assert!(h.state().update_arrows().is_none());
    h.get_by_label("Update arrows").click();
    h.run_steps(2);
    for _ in 0..3 {
        h.get_by_label("Step").click();
        h.run_steps(1);
    }
    h.run_steps(2);
    let app = h.state();
    assert_eq!(app.anim.step(), 3);
    let u = app.update_arrows().expect("arrows at the cursor").clone();
    // The numbers of the explain panel's update at the cursor (θ_3 → θ_4).
    let settings = app.state.scene.run_settings(0).unwrap();
    let surface = app.cache.surface.as_ref().unwrap();
    let d = optiscope::Run::new(&settings)
        .unwrap()
        .step_detail(surface, 3)
        .unwrap();
    assert_eq!(u.from, d.theta);
    let (step_tip, gradient_tip) = (
        u.tip(GlyphKind::Step).unwrap(),
        u.tip(GlyphKind::Gradient).unwrap(),
    );
    for i in 0..2 {
        assert!((step_tip[i] - (d.theta[i] + d.delta[i])).abs() < 1e-12);
        assert!((gradient_tip[i] - (d.theta[i] - d.lr * d.grad[i])).abs() < 1e-12);
    }
    // Momentum has built up: the step is longer than the gradient step.
    let len = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).hypot(a[1] - b[1]);
    assert!(len(step_tip, u.from) > 1.5 * len(gradient_tip, u.from));
    let step = u.glyphs.iter().find(|g| g.kind == GlyphKind::Step).unwrap();
    assert!(step.label.starts_with("Δθ") && !step.label.contains("beyond"));
    // Heavy ball also draws its velocity: carried over and new.
    assert!(u.tip(GlyphKind::Carried).is_some() && u.tip(GlyphKind::Momentum).is_some());
}

/// The window's toolbar label of the stage, if stepping in stages.
fn stage_label(h: &egui_kittest::Harness<'static, OptiscopeApp>) -> Option<String> {
    h.query_all_by_role(Role::Label)
        .filter_map(|n| n.accesskit_node().value())
        .find(|l| l.starts_with("stage "))
}

#[test]
fn one_adam_update_in_four_clicks_matches_the_explain_panel() {
    use optiscope::picture::scene3d::{HeightMap, PATH_LIFT};
    // Adam on the rotated ravine, stepping in stages with the explain panel open.
    let mut app = sgd_on_quadratic();
    app.state.scene.surface = Spec::named("quadratic")
        .with("b", Value::Num(10.0))
        .with("angle", Value::Num(30.0));
    app.state.scene.runs[0].settings.optimizer = Spec::named("adam");
    app.state.scene.runs[0].settings.lr = 0.05;
    let mut h = harness(app);
    h.get_by_label("Update arrows").click();
    h.run_steps(2);
    h.get_by_label("in stages").click();
    // The explain panel sits below the fold at 1280×800: scroll, then open it.
    h.get_by_label("Explain the update").scroll_to_me();
    h.run_steps(6);
    h.get_by_label("Explain the update").click();
    h.run_steps(3);
    // Three updates on, in whole steps (each Step walks one stage; four per update).
    for _ in 0..12 {
        h.get_by_label("Step").click();
        h.run_steps(1);
    }
    h.run_steps(2);
    assert_eq!(h.state().anim.step(), 3);
    let settings = h.state().state.scene.run_settings(0).unwrap();
    let surface = h.state().cache.surface.clone().unwrap();
    let d = optiscope::Run::new(&settings)
        .unwrap()
        .step_detail(&surface, 3)
        .unwrap();
    let term = |name: &str| {
        d.terms
            .iter()
            .find(|t| t.name.starts_with(name))
            .unwrap()
            .value
    };
    let (m_hat, v_hat) = (term("m_hat"), term("v_hat"));
    let stages = ["gradient", "momentum", "scaling", "step"];
    for (i, name) in stages.iter().enumerate() {
        if i > 0 {
            h.get_by_label("Step").click();
            h.run_steps(2);
        }
        let app = h.state();
        assert_eq!(app.anim.step(), 3, "a stage does not move the cursor");
        let label = stage_label(&h).expect("the toolbar names the stage");
        assert_eq!(label, format!("stage {}/4: {name}", i + 1));
        // The explain panel says which stage this is.
        let says = format!("Stage {} of 4, {name}", i + 1);
        assert!(
            h.query_all_by_role(Role::Label)
                .filter_map(|n| n.accesskit_node().value())
                .any(|l| l.starts_with(&says)),
            "{says}"
        );
        let u = app.update_arrows().expect("glyphs at the cursor");
        assert_eq!(u.shown, i + 1);
        // Stage by stage, the glyphs of that stage and those before it.
        let kinds: Vec<GlyphKind> = u.glyphs.iter().map(|g| g.kind).collect();
        let want = [
            GlyphKind::Gradient,
            GlyphKind::Momentum,
            GlyphKind::Scaling,
            GlyphKind::Step,
        ];
        assert_eq!(kinds, want[..=i]);
        // Against the explain panel's numbers: −lr·∇f, −lr·m_hat, the box
        // lr·|m_hat|/(√v_hat + eps), θ + Δθ on its corner.
        let at = |v: [f64; 2], s: f64| [d.theta[0] + s * v[0], d.theta[1] + s * v[1]];
        let close =
            |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).abs() < 1e-12 && (a[1] - b[1]).abs() < 1e-12;
        assert!(close(
            u.tip(GlyphKind::Gradient).unwrap(),
            at(d.grad, -d.lr)
        ));
        if i >= 1 {
            assert!(close(u.tip(GlyphKind::Momentum).unwrap(), at(m_hat, -d.lr)));
        }
        if i >= 2 {
            let g = u
                .glyphs
                .iter()
                .find(|g| g.kind == GlyphKind::Scaling)
                .unwrap();
            let optiscope::core::optimizer::geometry::Shape::Box { centre, half } = g.shape else {
                panic!("the scaling is a box")
            };
            assert_eq!(centre, d.theta);
            for k in 0..2 {
                let want = d.lr * m_hat[k].abs() / (v_hat[k].sqrt() + 1e-8);
                assert!((half[k] - want).abs() < 1e-12 * want.max(1e-300));
            }
        }
        if i == 3 {
            assert!(close(u.tip(GlyphKind::Step).unwrap(), at(d.delta, 1.0)));
        }
    }
    // One more Step: the next update, at its first stage; Back returns to the last stage.
    h.get_by_label("Step").click();
    h.run_steps(2);
    assert_eq!(h.state().anim.step(), 4);
    assert_eq!(stage_label(&h).as_deref(), Some("stage 1/4: gradient"));
    h.get_by_label("Back").click();
    h.run_steps(2);
    assert_eq!(h.state().anim.step(), 3);
    assert_eq!(stage_label(&h).as_deref(), Some("stage 4/4: step"));

    // The same update in 3D: the step arrow ends where the camera puts θ_4 on the mesh.
    h.get_by_label("3D").click();
    h.run_steps(3);
    let app = h.state();
    let (_, drawn) = app
        .surface3d
        .glyphs
        .iter()
        .find(|(k, _)| *k == GlyphKind::Step)
        .expect("the step drawn in 3D");
    let next = app.cache.runs[0].trajectory.points[4];
    let view = app
        .state
        .scene
        .view
        .unwrap_or_else(|| surface.default_view());
    let mesh = HeightMap::new(&surface, view, 128);
    let mut b = mesh.to_box(next).unwrap();
    b[2] += 2.0 * PATH_LIFT;
    let (s, _) = app.state.camera.project(b);
    let rect = app.surface3d.rect.unwrap();
    let scale = 0.46 * rect.width().min(rect.height());
    let want = egui::pos2(
        rect.center().x + s[0] as f32 * scale,
        rect.center().y - s[1] as f32 * scale,
    );
    let tip = *drawn.last().unwrap();
    assert!((tip - want).length() < 0.5, "{tip:?} vs {want:?}");
    // Every kind drawn in 2D is drawn in 3D.
    assert_eq!(app.surface3d.glyphs.len(), 4);
}
