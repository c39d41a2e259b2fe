//! CPU time of one frame of the window (UI code, egui layout and tessellation; no GPU), with
//! 8 runs × 10,000 steps and a 512×512 heatmap. Targets: ≤ 8 ms while a slider is dragged or
//! the 3D view (128² mesh) orbits, ≤ 2 ms while the animation plays.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::accesskit::Role;
use egui::{Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use optiscope::RunSettings;
use optiscope::app::{AppState, OptiscopeApp, PALETTE, RunState};
use optiscope::core::spec::{Spec, Value, parse_spec};
use optiscope::scene::preset::{LowerPlot, UpdateView};

fn heavy_scene() -> AppState {
    let runs = [
        ("sgd", 0.0015),
        ("sgd(momentum=0.9)", 0.0005),
        ("sgd(momentum=0.9,nesterov=true)", 0.0005),
        ("adagrad", 0.5),
        ("rmsprop", 0.002),
        ("adam", 0.01),
        ("nadam", 0.01),
        ("lion", 0.001),
    ];
    let mut state = AppState {
        grid_size: 512,
        ..AppState::default()
    };
    let scene = &mut state.scene;
    scene.surface = Spec::named("rosenbrock");
    scene.start = [-1.5, 2.0];
    scene.runs = runs
        .iter()
        .zip(PALETTE)
        .map(|((opt, lr), color)| {
            let mut r = RunState::new(RunSettings {
                optimizer: parse_spec(opt).expect("spec"),
                lr: *lr,
                steps: 10_000,
                schedule: Spec::named("cosine").with("T_max", Value::Num(10_000.0)),
                ..RunSettings::default()
            });
            r.color = Some(color);
            r
        })
        .collect();
    scene.speed = 10_000.0;
    scene.show_contours = std::env::var_os("NO_CONTOURS").is_none();
    state
}

fn harness() -> Harness<'static, OptiscopeApp> {
    let mut h = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut OptiscopeApp| app.ui(ui),
            OptiscopeApp::new(heavy_scene()),
        );
    h.run_steps(3);
    h
}

/// The selected run's base learning rate.
fn run_lr(h: &Harness<'static, OptiscopeApp>) -> f64 {
    let state = &h.state().state;
    state.scene.runs[state.selected].settings.lr
}

/// One frame as the window would produce it: UI pass, then tessellation of its shapes.
fn frame(h: &mut Harness<'static, OptiscopeApp>) {
    h.step();
    let out = h.output();
    black_box(h.ctx.tessellate(out.shapes.clone(), out.pixels_per_point));
}

/// One frame of the animation playing, wrapped round before the runs end.
fn animating_frame(h: &mut Harness<'static, OptiscopeApp>) {
    let app = h.state_mut();
    app.anim.playing = true;
    if app.anim.cursor > 9_000.0 {
        app.anim.cursor = 0.0;
    }
    frame(h);
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");

    let mut h = harness();
    group.bench_function("idle_animating_8x10k_512grid", |b| {
        b.iter(|| animating_frame(&mut h))
    });

    // The same with the selected run's update drawn: each frame is a new step, whose update
    // is replayed (up to 10,000 steps of the run) and drawn.
    let mut h = harness();
    h.state_mut().state.scene.update = UpdateView::Shown;
    h.state_mut().state.selected = 5;
    h.state_mut().anim.cursor = 0.0;
    h.run_steps(3);
    assert!(
        h.state().update_arrows().is_some(),
        "the update's glyphs are drawn"
    );
    group.bench_function("animating_with_update_glyphs_8x10k_512grid", |b| {
        b.iter(|| animating_frame(&mut h))
    });

    // The lower plot in each of its views: the loss, and those that draw the theory (the
    // curvature along every path, eigen-components, phase portrait and adaptive step are
    // recomputed with each new lr whichever view is shown; the view decides what is drawn).
    for (view, name) in [
        (LowerPlot::Loss, "dragging_lr_slider_8x10k_512grid"),
        (
            LowerPlot::Sharpness,
            "dragging_lr_slider_8x10k_512grid_sharpness",
        ),
        (LowerPlot::Eigen, "dragging_lr_slider_8x10k_512grid_eigen"),
        (LowerPlot::Phase, "dragging_lr_slider_8x10k_512grid_phase"),
        (
            LowerPlot::Adaptive,
            "dragging_lr_slider_8x10k_512grid_adaptive",
        ),
    ] {
        let mut h = harness();
        h.state_mut().anim.playing = false;
        h.state_mut().state.scene.plot = view;
        // The selected run is Adam: its sharpness is the preconditioned one.
        h.state_mut().state.selected = 5;
        h.step();
        // Below a long scene text the slider is under the fold: scroll it into view first.
        h.get_by_role_and_label(Role::Slider, "Learning rate")
            .scroll_to_me();
        h.run_steps(3);
        let rect = h
            .get_by_role_and_label(Role::Slider, "Learning rate")
            .rect();
        let (y, x0) = (rect.center().y, rect.left() + 0.3 * rect.width());
        h.hover_at(Pos2::new(x0, y));
        h.step();
        h.drag_at(Pos2::new(x0, y));
        h.step();
        // The drag must reach the slider, or this would measure idle frames.
        let (lr, simulations) = (run_lr(&h), h.state().cache.simulations);
        h.hover_at(Pos2::new(x0 + 3.0, y));
        frame(&mut h);
        assert_ne!(run_lr(&h), lr, "the drag moves the learning-rate slider");
        assert!(h.state().cache.simulations > simulations);
        let mut k = 0u32;
        group.bench_function(name, |b| {
            b.iter(|| {
                // Move a few pixels back and forth: every frame has a new lr to simulate.
                k += 1;
                h.hover_at(Pos2::new(x0 + (k % 7) as f32, y));
                frame(&mut h);
            })
        });
    }
    // The 3D view on a 128² mesh, the camera turning with every frame (a drag across it),
    // with the contour lines on the mesh and, beside it, without.
    for (contours, name) in [
        (true, "orbiting_3d_8x10k_128mesh"),
        (false, "orbiting_3d_8x10k_128mesh_no_contours"),
    ] {
        let mut h = harness();
        h.state_mut().anim.playing = false;
        h.state_mut().anim.cursor = 10_000.0;
        h.state_mut().state.show_3d = true;
        h.state_mut().state.scene.show_contours = contours;
        h.run_steps(3);
        let rect = h.state().surface3d.rect.expect("the 3D view is drawn");
        let from = rect.center();
        h.hover_at(from);
        h.step();
        h.drag_at(from);
        h.step();
        // Past egui's drag threshold first; from then on every move turns the camera.
        h.hover_at(from + egui::vec2(20.0, 0.0));
        h.step();
        let before = h.state().state.camera;
        h.hover_at(from + egui::vec2(-20.0, 0.0));
        frame(&mut h);
        assert_ne!(h.state().state.camera, before, "the drag orbits the camera");
        let mut k = 0u32;
        group.bench_function(name, |b| {
            b.iter(|| {
                k += 1;
                let dx = if k.is_multiple_of(2) { 20.0 } else { -20.0 };
                h.hover_at(from + egui::vec2(dx, 0.0));
                frame(&mut h);
            })
        });
    }
    group.finish();
}

/// Resident memory of this process in MB (Linux), for the memory-flatness report.
fn rss_mb() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / 1e6
}

/// Eight 2-16-16-1 tanh networks racing on spirals for 10,000 steps each (Adam + cosine +
/// warmup, and the SGD family), sharpness every 20 steps: frames while they train in the
/// background and the animation plays, with the process's memory as training goes on.
fn network_frames(c: &mut Criterion) {
    use optiscope::scene::preset::NetworkScene;
    let mut state = heavy_scene();
    state.scene.network = Some(NetworkScene::default_network());
    for run in &mut state.scene.runs {
        run.settings.lr = 0.01;
        run.settings.schedule = Spec::named("cosine").with("T_max", Value::Num(10_000.0));
        run.settings.warmup = parse_spec("linear(steps=100)").expect("spec");
    }
    let before_mb = rss_mb();
    let mut h = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut OptiscopeApp| app.ui(ui),
            OptiscopeApp::new(state),
        );
    h.run_steps(3);
    let mut group = c.benchmark_group("frame");
    group.bench_function("network_animating_while_training_8x10k", |b| {
        b.iter(|| {
            let app = h.state_mut();
            app.anim.playing = true;
            if app.anim.cursor > 9_000.0 {
                app.anim.cursor = 0.0;
            }
            frame(&mut h)
        })
    });
    group.finish();
    // The rest of the training, with the memory at every quarter of it.
    let mut reported = 0;
    let mut line = format!("memory: {before_mb:.0} MB before the scene");
    while h.state().cache.network.training() || reported < 4 {
        frame(&mut h);
        let done = h.state().cache.network.trained_steps();
        let quarter = (done * 4 / 10_000) as usize;
        if quarter > reported || !h.state().cache.network.training() {
            reported = quarter.max(reported + 1);
            line.push_str(&format!(", {:.0} MB at step {done}", rss_mb()));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    eprintln!("{line}");
}

// No HTML plots: criterion draws them with plotters, whose font lookup (switched to embedded
// fonts for optiscope's own pictures) has no system font to offer; the medians are printed.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = frames, network_frames
}
criterion_main!(benches);
