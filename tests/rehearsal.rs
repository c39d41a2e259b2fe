//! A lecture rehearsed in the window: open each built-in scene in turn, press Play, drag the
//! learning rate into divergence, scroll both plots, go on to the next scene. Whatever the
//! wheel did to a plot's axes before, each plot shows its whole data once a scene opens, and
//! again once a run changes.
#![cfg(feature = "gui")]

mod common;

use egui::accesskit::Role;
use egui::{Key, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{Queryable, by};
use optiscope::app::{AppState, OptiscopeApp};
use optiscope::scene::preset::{BUILTIN_PRESETS, LowerPlot};

fn wheel(h: &mut Harness<'static, OptiscopeApp>, at: Pos2, dy: f32) {
    h.hover_at(at);
    h.run_steps(1);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(2);
}

/// Whether every finite point of `curve` lies inside the plot's axes (a hair of slack).
fn inside(curve: &[egui_plot::PlotPoint], (x, y): ([f64; 2], [f64; 2])) -> Result<(), String> {
    let slack = |r: [f64; 2]| 1e-6 * (r[1] - r[0]).abs().max(1e-300);
    for p in curve.iter().filter(|p| p.x.is_finite() && p.y.is_finite()) {
        if p.x < x[0] - slack(x)
            || p.x > x[1] + slack(x)
            || p.y < y[0] - slack(y)
            || p.y > y[1] + slack(y)
        {
            return Err(format!("({}, {}) outside x {x:?} y {y:?}", p.x, p.y));
        }
    }
    Ok(())
}

/// Both plots show all of every visible run's curve.
fn whole_data_shown(h: &Harness<'static, OptiscopeApp>, when: &str) {
    let app = h.state();
    let axes = app.plot_axes();
    let (lr_axes, loss_axes) = (
        axes.lr.expect("the LR plot was drawn"),
        axes.loss.expect("the loss plot was drawn"),
    );
    let state = &app.state;
    for (i, (run, result)) in state.scene.runs.iter().zip(&app.cache.runs).enumerate() {
        if !run.visible {
            continue;
        }
        let c = &result.curves;
        let lr = if state.scene.log_lr { &c.lr_log } else { &c.lr };
        // The views of one line per run; the others show the selected run's own lines.
        let view = optiscope::app::views::of(state.scene.plot);
        let Some(loss) = view.per_run(c, state.scene.log_loss) else {
            continue;
        };
        let title = &state.scene.title;
        if let Err(e) = inside(lr, lr_axes) {
            panic!("{when}, '{title}', run {i}: LR plot: {e}");
        }
        // On a linear loss axis a diverged run is cut where it leaves the others' range.
        let linear = !state.scene.log_loss && state.scene.plot == LowerPlot::Loss;
        if linear && result.status.is_diverged() {
            continue;
        }
        if let Err(e) = inside(loss, loss_axes) {
            panic!("{when}, '{title}', run {i}: loss plot: {e}");
        }
    }
}

#[test]
fn each_plot_shows_its_whole_data_after_every_scene_opens_and_every_run_change() {
    let mut app = OptiscopeApp::new(AppState::default());
    app.native_dialogs = false;
    let mut h = common::harness(app);
    for k in 0..BUILTIN_PRESETS.len() {
        h.run_steps(4);
        whole_data_shown(&h, &format!("scene {k} opened"));

        h.key_press(Key::Space);
        h.run_steps(4);

        // Drag the selected run's learning rate to the slider's right end: divergence on
        // every built-in surface. (Below a network's settings it is scrolled into view.)
        h.get_by_role_and_label(Role::Slider, "Learning rate")
            .scroll_to_me();
        h.run_steps(2);
        let slider = h
            .get_by_role_and_label(Role::Slider, "Learning rate")
            .rect();
        let from = slider.center();
        let to = Pos2::new(slider.right() - 4.0, from.y);
        h.hover_at(from);
        h.run_steps(1);
        h.drag_at(from);
        h.run_steps(1);
        for s in 1..=6 {
            h.hover_at(from + (to - from) * (s as f32 / 6.0));
            h.run_steps(1);
        }
        h.drop_at(to);
        h.run_steps(4);
        whole_data_shown(&h, &format!("scene {k} after the LR drag"));

        // A few wheel ticks over each plot: the user's zoom, which the next scene must undo.
        let lr_title = h.get_by_label("Learning rate per step").rect();
        let view = optiscope::app::lower_plot_title(h.state().state.scene.plot);
        let loss_title = h.get(by().role(Role::ComboBox).value(&view)).rect();
        for title in [lr_title, loss_title] {
            let over = Pos2::new(title.center().x + 40.0, title.bottom() + 120.0);
            wheel(&mut h, over, 80.0);
            wheel(&mut h, over, 80.0);
        }
        h.key_press(Key::Space);
        h.run_steps(2);

        // The next scene, past the unsaved-changes question.
        h.key_press(Key::PageDown);
        h.run_steps(3);
        if h.query_by_label("Discard changes").is_some() {
            h.get_by_label("Discard changes").click();
            h.run_steps(3);
        }
        assert_eq!(
            h.state().state.scene.title,
            BUILTIN_PRESETS[(k + 1) % BUILTIN_PRESETS.len()]
                .load()
                .unwrap()
                .title
        );
    }
}
