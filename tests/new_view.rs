//! Adding a view of the lower plot is one item in one place: a toy view registered here, at
//! run time, is offered in the header's menu, is picked there like a built-in one, computes and
//! draws its curve from the cache, and saves and loads with the scene by its name.
#![cfg(feature = "gui")]

mod common;

use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use egui_kittest::kittest::{Queryable, by};
use egui_plot::{Line, PlotPoint, PlotPoints, PlotUi};
use optiscope::app::views::{self, LowerView, ViewInput, visible_runs};
use optiscope::scene::preset::{LowerPlot, parse_preset, to_ron};

/// How far above the loss the toy's curve lies.
const SHIFT: f64 = 1000.0;

/// Every run's loss, shifted up by [`SHIFT`]: a curve the cache does not hold, computed from
/// what it does.
struct ShiftedLoss;

/// How many points the toy drew, over every frame.
static DRAWN: AtomicUsize = AtomicUsize::new(0);

impl LowerView for ShiftedLoss {
    fn id(&self) -> LowerPlot {
        LowerPlot::Registered("toy_shifted_loss")
    }

    fn title(&self) -> String {
        "Toy: shifted loss".to_owned()
    }

    fn hover(&self) -> String {
        "f(θ_k) + 1000 of every run".to_owned()
    }

    fn draw<'a>(&self, plot_ui: &mut PlotUi<'a>, input: &ViewInput<'a>) {
        for run in visible_runs(input) {
            let points: Vec<PlotPoint> = run
                .result
                .curves
                .loss
                .iter()
                .map(|p| PlotPoint::new(p.x, p.y + SHIFT))
                .collect();
            DRAWN.fetch_add(points.len(), Ordering::Relaxed);
            plot_ui.line(Line::new("shifted", PlotPoints::Owned(points)).color(run.color));
        }
    }
}

static TOY: ShiftedLoss = ShiftedLoss;

fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| views::register(&TOY).expect("the name is free"));
}

#[test]
fn a_registered_view_is_refused_twice_and_a_built_in_id_is_refused() {
    register();
    assert!(views::register(&TOY).is_err());
    assert!(views::all().iter().any(|v| v.id() == TOY.id()));
    assert_eq!(views::of(TOY.id()).title(), "Toy: shifted loss");
    // The built-in views come first, in the header's order, and cannot be added again.
    assert_eq!(views::all()[0].id(), LowerPlot::Loss);
    assert!(views::register(views::BUILT_IN[0]).is_err());
}

#[test]
fn a_registered_view_is_offered_picked_drawn_and_saved() {
    register();
    let mut h = common::harness(common::sgd_on_quadratic());
    // Not drawn while another view is shown.
    h.run_steps(2);
    assert_eq!(DRAWN.load(Ordering::Relaxed), 0);
    assert!(h.query_by_label("Toy: shifted loss").is_none());

    // Picked in the header's menu like any view.
    common::show_lower_plot(&mut h, "Toy: shifted loss");
    assert_eq!(h.state().state.scene.plot, TOY.id());
    // The menu's button names it (`get` fails unless exactly one does).
    h.get(
        by().role(egui::accesskit::Role::ComboBox)
            .value("Toy: shifted loss"),
    );
    h.run_steps(3);

    // Its curve was computed and drawn: the plot fits it, a thousand above the loss.
    assert!(DRAWN.load(Ordering::Relaxed) > 0, "the toy never drew");
    let (_, y) = h
        .state()
        .plot_axes()
        .loss
        .expect("the lower plot was drawn");
    let loss = &h.state().cache.runs[0].curves.loss;
    let top = loss.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max);
    assert!(
        y[0] >= SHIFT - 1.0 && y[1] >= SHIFT + top * 0.99,
        "the plot's y range {y:?} does not show the shifted loss (loss up to {top})"
    );

    // The scene saves the view by its name and loads it again.
    let text = to_ron(&h.state().scene()).expect("writes");
    assert!(text.contains("plot: toy_shifted_loss"), "{text}");
    let again = parse_preset(&text, "toy.ron").expect("loads");
    assert_eq!(again.plot, TOY.id());
}
