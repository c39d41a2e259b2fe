//! The window on a network scene: it trains in the background, reports a learning rate that
//! blows the network up, and switches the landscape's directions.

#![cfg(feature = "gui")]

mod common;

use common::harness;
use egui::Pos2;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{Queryable, by};
use optiscope::RunSettings;
use optiscope::app::{AppState, OptiscopeApp, RunState};
use optiscope::core::run::simulation::Status;
use optiscope::core::spec::{Spec, parse_spec};
use optiscope::scene::preset::{Directions, NetworkScene};

/// A small network scene (a 1-8-1 tanh net fitting a line through 60 points), quick enough
/// for a debug build: one SGD run at lr 0.01 for 100 steps, paused.
fn line_scene() -> OptiscopeApp {
    let mut state = AppState::default();
    // What a network scene's file leaves out (it has no surface) reads back as this.
    state.scene.surface = Spec::named("quadratic");
    state.scene.start = [0.0, 0.0];
    state.scene.network = Some(NetworkScene {
        model: parse_spec("mlp(hidden=[8])").unwrap(),
        data: parse_spec("line(n=60)").unwrap(),
        sharpness_every: 10,
        ..NetworkScene::default_network()
    });
    let mut run = RunState::new(RunSettings {
        optimizer: Spec::named("sgd"),
        lr: 0.01,
        steps: 100,
        ..RunSettings::default()
    });
    run.color = Some([255, 255, 255]);
    state.scene.runs = vec![run.clone(), {
        let mut faster = run;
        faster.settings.lr = 0.05;
        faster.color = Some([230, 159, 0]);
        faster
    }];
    let mut app = OptiscopeApp::new(state);
    app.anim.playing = false;
    app
}

/// Runs frames until the training and the landscape slice are done.
fn settle(h: &mut Harness<'static, OptiscopeApp>) {
    for _ in 0..3000 {
        h.run_steps(1);
        let app = h.state();
        let slicing = app.cache.network.landscape.progress().is_some();
        if !app.cache.network.training() && !slicing && app.cache.network.landscape.level.is_some()
        {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the network scene did not finish training and slicing");
}

#[test]
fn a_network_scene_trains_and_shows_its_data_boundary_and_landscape() {
    let mut h = harness(line_scene());
    settle(&mut h);
    let app = h.state();
    let net = &app.cache.network;
    assert_eq!(net.runs.len(), 2);
    assert_eq!(net.runs[0].rows.len(), 101, "rows 0..=100");
    assert!(net.runs[1].rows[100].loss < net.runs[0].rows[100].loss);
    assert_eq!(app.cache.max_steps(&app.state), 100);
    // The step plots read the same rows: the loss curve starts at row 0's loss.
    let first = app.cache.runs[0].curves.loss[0];
    assert_eq!((first.x, first.y), (0.0, net.runs[0].rows[0].loss));
    assert!(!app.cache.runs[0].curves.test_loss.is_empty());
    // Sharpness every 10 steps, positive.
    assert_eq!(net.runs[0].sharpness.len(), 11);
    assert!(net.runs[0].sharpness.iter().all(|&[_, l]| l > 0.0));
    // The finest slice, and both paths on its plane.
    let land = &net.landscape;
    assert_eq!(land.level.as_ref().unwrap().n, 51);
    assert!(land.paths.iter().all(|p| !p.is_empty()));
    assert!(h.query_by_label_contains("Data and fitted curve").is_some());
    assert!(
        h.query_by_label_contains("Loss landscape: random directions (seed 1) through run 1")
            .is_some()
    );
    // eframe persists the scene with plain RON: the network comes back.
    let text = ron::to_string(&app.state).unwrap();
    let back: AppState = ron::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(back, app.state);
    // The run list reports the trained runs.
    assert_eq!(
        h.query_all_by_label_contains("trained 100 steps: loss")
            .count(),
        2
    );
}

#[test]
fn dragging_the_lr_to_the_top_of_the_slider_blows_the_network_up_and_says_so() {
    let mut h = harness(line_scene());
    settle(&mut h);
    assert!(!h.state().cache.runs[0].status.is_diverged());
    // Below the network's settings in the left panel: scrolled into view first.
    h.get_by_role_and_label(Role::Slider, "Learning rate")
        .scroll_to_me();
    h.run_steps(3);
    let rect = h
        .get_by_role_and_label(Role::Slider, "Learning rate")
        .rect();
    let from = rect.center();
    let to = Pos2::new(rect.right() + 40.0, rect.center().y);
    common::drag(&mut h, from, to);
    let lr = h.state().state.scene.runs[0].settings.lr;
    assert!(lr >= 5.0, "lr after the drag: {lr}");
    settle(&mut h);
    let status = h.state().cache.runs[0].status;
    let Status::Diverged { step, .. } = status else {
        panic!("{status:?}")
    };
    assert!(step > 0 && step < 100, "{step}");
    // The rows stop where the weights ran away; the timeline ends at the other run's end.
    assert_eq!(h.state().cache.network.runs[0].rows.len() as u64, step);
    assert!(
        h.query_by_label_contains(&format!("diverged at step {step} (lr = "))
            .is_some()
    );
    // The other run was not retrained.
    assert_eq!(h.state().cache.network.runs[1].rows.len(), 101);
}

#[test]
fn switching_to_principal_directions_recomputes_the_plane_from_the_run() {
    let mut h = harness(line_scene());
    settle(&mut h);
    let random = h.state().cache.network.landscape.plane.clone().unwrap();
    // The directions menu, then its second entry.
    h.get(by().role(Role::ComboBox).value("random")).click();
    h.run_steps(2);
    h.get_by_label("Principal directions").click();
    h.run_steps(2);
    assert_eq!(
        h.state().state.scene.network.as_ref().unwrap().directions,
        Directions::Pca
    );
    settle(&mut h);
    let pca = h.state().cache.network.landscape.plane.clone().unwrap();
    assert_ne!(pca.d1, random.d1);
    // Principal directions are orthonormal, unlike the filter-normalized random ones.
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    assert!((dot(&pca.d1, &pca.d1) - 1.0).abs() < 1e-9);
    assert!(dot(&pca.d1, &pca.d2).abs() < 1e-9);
    // The centre run's path lies in its own principal plane: its projection keeps its length.
    assert!(
        h.query_by_label_contains("Loss landscape: run 1's top two principal directions")
            .is_some()
    );
    let land = &h.state().cache.network.landscape;
    let last = land.paths[0].last().unwrap();
    assert!(
        last.x.abs() < 1e-12 && last.y.abs() < 1e-12,
        "the centre is the run's end"
    );
    // Back to random directions: the same plane as before.
    h.get(by().role(Role::ComboBox).value("principal")).click();
    h.run_steps(2);
    h.get_by_label("Random directions").click();
    settle(&mut h);
    assert_eq!(
        h.state().cache.network.landscape.plane.as_ref(),
        Some(&random)
    );
}

#[test]
fn a_network_that_cannot_be_built_says_why_and_leaves_nothing_to_compute() {
    let mut h = harness(line_scene());
    settle(&mut h);
    let network = h.state_mut().state.scene.network.as_mut().unwrap();
    network.model = parse_spec("mlp(hidden=[0])").unwrap();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("The network cannot be built")
            .is_some()
    );
    let app = h.state();
    assert!(
        app.cache.is_current(&app.state),
        "no repaint loop over an error"
    );
}

/// A two-class scene (moons) with the line scene's two runs.
fn moons_scene(presenting: bool) -> OptiscopeApp {
    let mut app = line_scene();
    if let Some(n) = app.state.scene.network.as_mut() {
        n.data = parse_spec("moons(n=60)").unwrap();
    }
    app.state.presentation = presenting;
    app
}

/// Every text the window drew inside `rect`.
fn texts_in(h: &Harness<'static, OptiscopeApp>, rect: egui::Rect) -> Vec<String> {
    h.output()
        .shapes
        .iter()
        .filter_map(|s| match &s.shape {
            egui::Shape::Text(t) if rect.contains(t.visual_bounding_rect().center()) => {
                Some(t.galley.text().to_owned())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn the_network_views_name_their_classes_runs_and_colours_at_reading_size() {
    // Stage defect 7: the loss plot's "solid: training, dashed: held out" wrapped into a
    // column of tiny text; the landscape had no colorbar and no run legend, the data view no
    // class legend.
    for (size, presenting) in [((1280.0, 720.0), true), ((1920.0, 1080.0), false)] {
        let mut h = common::sized(moons_scene(presenting), size);
        settle(&mut h);
        let what = format!("{size:?} presenting {presenting}");
        let body = egui::TextStyle::Body.resolve(&h.ctx.global_style()).size;
        let note = h
            .output()
            .shapes
            .iter()
            .find_map(|s| match &s.shape {
                egui::Shape::Text(t) if t.galley.text().starts_with("solid: training") => {
                    Some(t.clone())
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("{what}: no loss-plot note"));
        // Whole, across the panel: at most two lines.
        assert_eq!(note.galley.text(), "solid: training, dashed: held out");
        assert!(
            note.galley.rows.len() <= 2,
            "{what}: the note wraps into a column"
        );
        let size_of = note.galley.job.sections[0].format.font_id.size;
        assert!(
            size_of >= body,
            "{what}: the note at {size_of} px, body {body}"
        );

        let views = &h.state().network_views;
        let data = views.data_rect.unwrap();
        let land = views.landscape_rect.unwrap();
        let in_data = texts_in(&h, data);
        for class in ["class 0", "class 1"] {
            assert!(
                in_data.iter().any(|t| t == class),
                "{what}: no {class} in the data view's legend: {in_data:?}"
            );
        }
        let in_land = texts_in(&h, land);
        for run in &h.state().state.scene.runs {
            let label = run.settings.label();
            assert!(
                in_land.contains(&label),
                "{what}: {label} not in the landscape's legend: {in_land:?}"
            );
        }
        // The colorbar: right of the slice, its title and at least five numeric ticks.
        let bar = egui::Rect::from_min_max(
            egui::pos2(land.right(), land.top()),
            egui::pos2(land.right() + 80.0, land.bottom()),
        );
        let in_bar = texts_in(&h, bar);
        assert!(
            in_bar.iter().any(|t| t.starts_with("loss")),
            "{what}: no colorbar title beside the landscape: {in_bar:?}"
        );
        let ticks = in_bar.iter().filter(|t| t.parse::<f64>().is_ok()).count();
        assert!(ticks >= 5, "{what}: {ticks} colorbar ticks: {in_bar:?}");
        assert!(
            bar.right() <= size.0 / h.ctx.zoom_factor() + 1.0,
            "{what}: the colorbar leaves the window"
        );
    }
}
