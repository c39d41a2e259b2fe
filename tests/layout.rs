//! Stage quality, asserted from widget rectangles: at 1280×720, 1280×800 and 1920×1080, in
//! normal and presentation mode, dark and light (alternating scene by scene), for every
//! built-in scene and after paging through all of them, the surface view keeps its share of
//! the window, its legend and status labels lie inside the plot and apart, nothing in the side
//! panels crosses their edges, and in presentation mode the toolbar is one row; in English
//! and in Chinese, whose labels are shorter and taller.
#![cfg(feature = "gui")]

mod common;

use egui::Rect;
use egui_kittest::Harness;
use egui_kittest::kittest::{Queryable, by};
use optiscope::app::OptiscopeApp;
use optiscope::app::commands::Action;
use optiscope::scene::preset::BUILTIN_PRESETS;

use common::window as harness;
use optiscope::text::Lang;

/// Message `id` in `lang`, to find a widget by the label that language gives it.
fn label(lang: Lang, id: &str) -> String {
    optiscope::text::language(lang)
        .and_then(|l| l.format(id, None))
        .unwrap_or_else(|| panic!("{id} in {lang}"))
}

const SIZES: [(f32, f32); 3] = [(1280.0, 720.0), (1280.0, 800.0), (1920.0, 1080.0)];

/// Runs `action` as the keyboard or a button would, then lets the window settle.
fn act(h: &mut Harness<'static, OptiscopeApp>, action: Action) {
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, action);
    h.run_steps(4);
}

/// The window's width in points (presentation mode enlarges everything by its zoom).
fn window_width(h: &Harness<'static, OptiscopeApp>) -> f32 {
    h.ctx.content_rect().width()
}

fn inside(outer: Rect, inner: Rect) -> bool {
    outer.expand(0.5).contains_rect(inner)
}

/// A network scene's promises: its data view and landscape fill the middle of the window
/// side by side (or stacked), each inside it and neither over the other.
fn check_network(h: &mut Harness<'static, OptiscopeApp>, what: &str) {
    let width = window_width(h);
    let window = h.ctx.content_rect();
    let views = &h.state().network_views;
    let (data, land) = (
        views
            .data_rect
            .unwrap_or_else(|| panic!("{what}: no data view")),
        views
            .landscape_rect
            .unwrap_or_else(|| panic!("{what}: no landscape")),
    );
    for (name, rect) in [("data view", data), ("landscape", land)] {
        assert!(
            inside(window, rect),
            "{what}: the {name} {rect:?} leaves the window"
        );
        assert!(
            rect.width() >= 0.2 * width && rect.height() >= 120.0,
            "{what}: the {name} is {:.0}×{:.0} points",
            rect.width(),
            rect.height()
        );
    }
    assert!(
        data.intersect(land).area() < 1.0,
        "{what}: the views overlap"
    );
    nothing_crosses_the_panels(h, what);
}

/// Every layout promise for the scene on screen, at its end (every status label shown).
fn check(h: &mut Harness<'static, OptiscopeApp>, what: &str) {
    act(h, Action::End);
    if h.state().state.scene.network.is_some() {
        return check_network(h, what);
    }
    let presenting = h.state().state.presentation;
    let width = window_width(h);
    let overlay = h.state().surface_overlay().clone();
    let plot = overlay
        .plot
        .unwrap_or_else(|| panic!("{what}: no surface plot"));
    let view = overlay.view.expect("a surface view");
    let share = if presenting { 0.5 } else { 0.4 };
    assert!(
        view.width() >= share * width,
        "{what}: the surface view is {:.0} of {:.0} points wide (< {:.0}%): {view:?}",
        view.width(),
        width,
        share * 100.0
    );
    assert!(
        plot.width() >= 0.75 * view.width(),
        "{what}: the plot is {:.0} of the view's {:.0} points",
        plot.width(),
        view.width()
    );
    assert!(
        inside(h.ctx.content_rect(), plot),
        "{what}: plot {plot:?} leaves the window"
    );
    if let Some(legend) = overlay.legend {
        assert!(
            inside(plot, legend),
            "{what}: legend {legend:?} outside {plot:?}"
        );
    }
    for (i, label) in overlay.labels.iter().enumerate() {
        assert!(
            inside(plot, *label),
            "{what}: status label {label:?} outside {plot:?}"
        );
        if let Some(legend) = overlay.legend {
            assert!(
                !label.intersects(legend),
                "{what}: status label {i} under the legend"
            );
        }
        for other in &overlay.labels[i + 1..] {
            assert!(
                label.intersect(*other).area() < 1.0,
                "{what}: status labels {label:?} and {other:?} overlap"
            );
        }
    }
    nothing_crosses_the_panels(h, what);
    if presenting {
        let lang = h.state().state.lang();
        let first = h.get_by_label(&label(lang, "command-rewind")).rect();
        let last = h.get_by_label(&label(lang, "command-help")).rect();
        assert!(
            (first.center().y - last.center().y).abs() < 2.0,
            "{what}: the toolbar wraps (Rewind at y {:.0}, ? at y {:.0})",
            first.center().y,
            last.center().y
        );
    }
}

fn walk(size: (f32, f32), presenting: bool, lang: Lang) {
    let mode = format!(
        "{}×{} {} {lang}",
        size.0,
        size.1,
        if presenting { "presenting" } else { "normal" }
    );
    let mut h = common::window_in(size, presenting, false, lang);
    check(&mut h, &format!("{mode} dark, first scene"));
    // Page through every built-in, then once more around: nothing may grow along the way.
    // The theme alternates (L, as in a lecture), so every size sees both.
    for k in 1..=BUILTIN_PRESETS.len() {
        act(&mut h, Action::NextScene);
        act(&mut h, Action::Light);
        // The lower plot's views take turns: each one's header and axes must fit too.
        let views = optiscope::app::views::all();
        h.state_mut().state.scene.plot = views[k % views.len()].id();
        h.run_steps(2);
        let title = h.state().state.scene.title_in(lang).to_owned();
        let theme = if h.state().state.light_theme {
            "light"
        } else {
            "dark"
        };
        check(&mut h, &format!("{mode} {theme}, scene {k} ({title})"));
    }
    // Round to the first scene (a surface) again.
    act(&mut h, Action::NextScene);
    act(&mut h, Action::End);
    let after = h.state().surface_overlay().view.expect("a view");
    let mut fresh = common::window_in(size, presenting, false, lang);
    act(&mut fresh, Action::End);
    let fresh = fresh.state().surface_overlay().view.expect("a view");
    assert!(
        (after.width() - fresh.width()).abs() < 2.0,
        "{mode}: after paging through the scenes the surface is {:.0} points wide, fresh {:.0}",
        after.width(),
        fresh.width()
    );
}

#[test]
fn normal_mode_every_scene_every_size() {
    for size in SIZES {
        walk(size, false, Lang::En);
    }
}

#[test]
fn presentation_mode_every_scene_every_size() {
    for size in SIZES {
        walk(size, true, Lang::En);
    }
}

#[test]
fn normal_mode_every_scene_every_size_in_chinese() {
    for size in SIZES {
        walk(size, false, Lang::ZhCn);
    }
}

#[test]
fn presentation_mode_every_scene_every_size_in_chinese() {
    for size in SIZES {
        walk(size, true, Lang::ZhCn);
    }
}

#[test]
fn a_long_run_label_does_not_widen_the_panel_for_good() {
    let mut h = harness((1280.0, 800.0), false, false);
    act(&mut h, Action::End);
    let before = h.state().surface_overlay().plot.expect("a plot").width();
    // A run label of well over a hundred characters.
    h.state_mut().state.scene.runs[0].settings.warmup =
        optiscope::parse_spec("linear(steps=50,start_factor=0.001)").expect("spec");
    h.state_mut().state.scene.runs[0].settings.schedule =
        optiscope::parse_spec("cosine_restarts(T_0=40,T_mult=2,eta_min=0.00012345)").expect("spec");
    h.run_steps(6);
    let label = h.state().state.scene.runs[0].settings.label();
    assert!(label.len() > 80, "{label}");
    let during = h.state().surface_overlay().plot.expect("a plot").width();
    assert!(
        during >= before - 2.0,
        "the surface shrank from {before:.0} to {during:.0} points for a long label"
    );
}

/// Nothing in the side panels reaches past their edges (a widget that did would be clipped,
/// or would widen the panel for good).
fn nothing_crosses_the_panels(h: &Harness<'static, OptiscopeApp>, what: &str) {
    let view = if h.state().state.scene.network.is_some() {
        h.state().network_views.central.expect("a network view")
    } else {
        h.state().surface_overlay().view.expect("a surface view")
    };
    let window = h.ctx.content_rect();
    for node in h.query_all(by().predicate(|n| n.bounding_box().is_some())) {
        let r = node.rect();
        if r.min.y < view.min.y || r.height() <= 0.0 {
            continue; // menu bar, toolbar and banner
        }
        if r.min.x < view.min.x {
            assert!(
                r.max.x <= view.min.x + 1.0,
                "{what}: {node:?} at {r:?} crosses into the surface at x {:.0}",
                view.min.x
            );
        } else if r.min.x >= view.max.x {
            assert!(
                r.max.x <= window.max.x + 1.0,
                "{what}: {node:?} at {r:?} leaves the window"
            );
        }
    }
}

#[test]
fn the_explain_panel_fits_its_panel() {
    for lang in Lang::ALL {
        for size in [(1280.0, 720.0), (1920.0, 1080.0)] {
            let mut h = common::window_in(size, false, false, lang);
            let explain = label(lang, "explain-explain-the-update");
            h.get_by_label(&explain).scroll_to_me();
            h.run_steps(6);
            h.get_by_label(&explain).click();
            h.state_mut().anim.cursor = 3.0;
            h.run_steps(8);
            let update = optiscope::text::with_language(lang, || {
                optiscope::tr!(
                    "explain-update-of-run",
                    update = 4,
                    run = 1,
                    from = "",
                    to = ""
                )
            });
            let update = update
                .split(['(', '（'])
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            assert!(
                h.query_by_label_contains(&update).is_some(),
                "{lang}: no '{update}'"
            );
            nothing_crosses_the_panels(&h, &format!("{}×{} {lang} explain panel", size.0, size.1));
        }
    }
}
