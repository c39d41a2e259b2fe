//! Defects a lecture rehearsal found on stage (issue 27), each checked where a class would see
//! it: the learning-rate slider's limit marks sit at their values, and every run colour, status
//! colour and label reads on both themes.
#![cfg(feature = "gui")]

mod common;

use common::window;

use egui::accesskit::Role;
use egui::{Color32, Pos2, Visuals};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use optiscope::app::theme::{
    DIVERGED_COLOR, LIMIT_COLOR, MOMENTUM_LIMIT_COLOR, TEXT_CONTRAST, backgrounds, contrast,
    on_background, projector_visuals, readable,
};
use optiscope::app::{AppState, OptiscopeApp};
use optiscope::scene::preset::PALETTE;

/// Clicks the selected run's slider where the mark named `name` is drawn and returns the
/// learning rate the click set.
fn click_on_mark(h: &mut Harness<'static, OptiscopeApp>, run: usize, name: &str) -> f64 {
    // Away from the mark first: a press on the knob itself grabs it without moving it.
    h.state_mut().state.selected = run;
    h.state_mut().state.scene.runs[run].settings.lr = 1e-4;
    h.run_steps(3);
    // The controls scroll on a small window: bring the slider into view, as a hand would.
    h.get_by_role_and_label(Role::Slider, "Learning rate")
        .scroll_to_me();
    h.run_steps(3);
    let mark = h.get_by_label_contains(name).rect();
    let slider = h
        .get_by_role_and_label(Role::Slider, "Learning rate")
        .rect();
    assert!(
        slider.x_range().contains(mark.center().x),
        "the {name} mark at x = {} lies off the slider {slider:?}",
        mark.center().x
    );
    assert!(
        h.ctx.content_rect().contains(slider.center()),
        "{slider:?} out of view"
    );
    common::click(h, Pos2::new(mark.center().x, slider.center().y));
    h.state().state.scene.runs[run].settings.lr
}

#[test]
fn every_limit_mark_on_the_slider_sits_at_its_value() {
    // The default scene: ½(x² + 10y²) rotated, so λmax = 10. Plain GD is stable for
    // lr < 2/λmax = 0.2; heavy ball with β = 0.9 for lr < 2(1 + β)/λmax = 0.38 (Polyak).
    for (size, presenting) in [
        ((1280.0, 720.0), false),
        ((1280.0, 800.0), false),
        ((1920.0, 1080.0), false),
        ((1280.0, 720.0), true),
        ((1920.0, 1080.0), true),
    ] {
        let mut h = window(size, presenting, false);
        let what = format!("{size:?}, presenting {presenting}");
        assert_eq!(
            h.state().state.scene.surface.to_string(),
            "quadratic(a=1,b=10,angle=30)"
        );
        // One point of the narrowest slider here (110 points for 6 decades) is 13 % of the
        // rate; egui's smart aim rounds a click to the simplest number within a pixel.
        let close = |lr: f64, limit: f64| (lr / limit).ln().abs() < 0.15;
        let lr = click_on_mark(&mut h, 0, "GD limit 2/λmax");
        assert!(
            close(lr, 0.2),
            "{what}: the GD mark set run 1's lr to {lr}, not 0.2"
        );
        let lr = click_on_mark(&mut h, 1, "GD limit 2/λmax");
        assert!(
            close(lr, 0.2),
            "{what}: the GD mark set run 2's lr to {lr}, not 0.2"
        );
        let lr = click_on_mark(&mut h, 1, "momentum limit");
        assert!(
            close(lr, 0.38),
            "{what}: the momentum mark set lr {lr}, not 0.38"
        );
        // The mark's own label says the value, like the text under the slider.
        assert!(
            h.query_by_label_contains("momentum limit: lr = 0.38")
                .is_some(),
            "{what}"
        );
    }
}

#[test]
fn wcag_contrast_is_the_published_figure() {
    // WCAG 2.1's definition: black on white is 21:1, and #777777 on white 4.48:1 (the grey
    // that famously just fails AA), #767676 4.54:1 (the lightest grey that passes).
    assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-4);
    let grey = |v| Color32::from_rgb(v, v, v);
    assert!((contrast(grey(0x77), Color32::WHITE) - 4.48).abs() < 0.005);
    assert!((contrast(grey(0x76), Color32::WHITE) - 4.54).abs() < 0.005);
    assert_eq!(
        contrast(grey(0x77), Color32::WHITE),
        contrast(Color32::WHITE, grey(0x77))
    );
}

#[test]
fn every_run_and_status_colour_reads_on_both_themes() {
    for (theme, visuals) in [("dark", Visuals::dark()), ("light", projector_visuals())] {
        let check = |what: &str, c: Color32| {
            for bg in backgrounds(&visuals) {
                let ratio = contrast(c, bg);
                assert!(
                    ratio >= TEXT_CONTRAST,
                    "{theme}: {what} {c:?} on {bg:?} is {ratio:.2}:1, below {TEXT_CONTRAST}:1"
                );
            }
        };
        for (i, rgb) in PALETTE.iter().enumerate() {
            check(&format!("run colour {i}"), on_background(&visuals, *rgb));
        }
        for (what, c) in [
            ("diverged", DIVERGED_COLOR),
            ("GD limit", LIMIT_COLOR),
            ("momentum limit", MOMENTUM_LIMIT_COLOR),
        ] {
            check(what, readable(&visuals, c));
        }
    }
    // On the light theme orange stays orange (red > green > blue), only darker, and on the
    // dark theme, where it already reads, it is kept as it is.
    let orange = Color32::from_rgb(PALETTE[1][0], PALETTE[1][1], PALETTE[1][2]);
    let deep = readable(&projector_visuals(), orange);
    assert!(deep.r() > deep.g() && deep.g() > deep.b(), "{deep:?}");
    assert_eq!(readable(&Visuals::dark(), orange), orange);
    // The white run is black on the light theme's plots.
    assert_eq!(
        on_background(&projector_visuals(), PALETTE[0]),
        Color32::BLACK
    );
}

/// The colour a text shape is drawn in.
fn text_colour(t: &egui::epaint::TextShape) -> Color32 {
    if let Some(c) = t.override_text_color {
        return c;
    }
    let c = t.galley.job.sections.first().map(|s| s.format.color);
    match c {
        Some(c) if c != Color32::PLACEHOLDER => c,
        _ => t.fallback_color,
    }
}

#[test]
fn contour_labels_read_on_the_heatmap_under_them_in_both_themes() {
    // The heatmap keeps its colour map on the light theme: its contour labels took the theme's
    // black text there (black on dark purple), and white on viridis's yellow was as bad.
    use optiscope::picture::colormap::{color_position, colormap_rgb};
    for (file, light) in [
        ("ravine-race.ron", true),
        ("ravine-race.ron", false),
        ("adam-vs-sgd-rosenbrock.ron", true),
        ("himmelblau-four-minima.ron", false),
    ] {
        let mut h = open_builtin(file);
        if light {
            h.state_mut().state.light_theme = true;
        }
        h.run_steps(3);
        let plot = h.state().surface_overlay().plot.expect("a surface plot");
        let grid = h.state().cache.grid.as_ref().expect("a heatmap");
        // Each label names its level and sits on that level's line: on its colour.
        let levels: Vec<(String, Color32)> = grid
            .contours
            .iter()
            .filter(|c| c.label_at.is_some())
            .map(|c| {
                let [r, g, b] =
                    colormap_rgb(color_position(c.level, grid.min, grid.max, grid.log_scale));
                (
                    optiscope::picture::colormap::fmt_value(c.level),
                    Color32::from_rgb(r, g, b),
                )
            })
            .collect();
        let labels: Vec<(Color32, Color32)> = h
            .output()
            .shapes
            .iter()
            .filter_map(|s| match &s.shape {
                egui::Shape::Text(t) if plot.contains(t.pos) => levels
                    .iter()
                    .find(|(x, _)| x == t.galley.text())
                    .map(|(_, under)| (text_colour(t), *under)),
                _ => None,
            })
            .collect();
        assert!(
            labels.len() >= 3,
            "{file}: contour labels on the heatmap: {}",
            labels.len()
        );
        for (c, under) in labels {
            assert!(
                contrast(c, under) >= TEXT_CONTRAST,
                "{file}, light {light}: a contour label in {c:?} on {under:?}: {:.2}",
                contrast(c, under)
            );
        }
    }
}

#[test]
fn the_run_list_names_each_run_in_a_readable_colour_with_an_outlined_swatch() {
    for light in [false, true] {
        let mut h = window((1280.0, 800.0), false, light);
        h.run_steps(1);
        let visuals = if light {
            projector_visuals()
        } else {
            Visuals::dark()
        };
        let panel = visuals.panel_fill;
        // The run list's swatches: each outlined in a colour that stands out from the panel.
        let wells: Vec<egui::Rect> = h
            .query_all_by_role(Role::ColorWell)
            .map(|n| n.rect())
            .collect();
        assert_eq!(
            wells.len(),
            h.state().state.scene.runs.len(),
            "one swatch per run"
        );
        for well in wells {
            let outlined = h.output().shapes.iter().any(|s| match &s.shape {
                egui::Shape::Rect(r) => {
                    r.rect.distance_to_pos(well.center()) == 0.0
                        && (r.rect.width() - well.width()).abs() < 2.0
                        && r.stroke.width >= 1.0
                        && contrast(r.stroke.color, panel) >= 3.0
                }
                _ => false,
            });
            assert!(
                outlined,
                "light {light}: the swatch at {well:?} has no visible outline"
            );
        }
    }
}

#[test]
fn in_3d_a_run_swinging_past_the_view_is_not_marked_diverged() {
    // Adam on the ravine turned 45°, opened at step 2 and shown in 3D (key 3): heavy ball
    // (run 2) has swung past the view's lower edge, y = −2.96 < −2.4 (the CLI's trace), and
    // converges later (the run list says so). Its ball sits on the edge, not in a red ring.
    let preset = optiscope::scene::preset::BUILTIN_PRESETS
        .iter()
        .find(|b| b.file == "adam-rotated-ravine.ron")
        .unwrap()
        .load()
        .unwrap();
    let mut app = OptiscopeApp::new(AppState::default());
    app.open_preset(&preset, None);
    app.anim.playing = false;
    let mut h = common::harness(app);
    h.key_press(egui::Key::Num3);
    h.run_steps(3);
    let app = h.state();
    assert!(app.state.show_3d);
    assert_eq!(app.anim.step(), 2);
    let heavy_ball = &app.cache.runs[1];
    assert!(matches!(
        heavy_ball.status,
        optiscope::Status::Converged { .. }
    ));
    let y = heavy_ball.trajectory.points[2][1];
    let view = app.state.scene.view.unwrap();
    assert!(
        y < view.y_min,
        "heavy ball at step 2 is inside the view: y = {y}"
    );
    use optiscope::picture::scene3d::BallPlace;
    let places: Vec<(usize, BallPlace)> = app
        .surface3d
        .balls
        .iter()
        .map(|&(run, _, place)| (run, place))
        .collect();
    assert_eq!(
        places,
        [(0, BallPlace::OnSurface), (1, BallPlace::OutOfView)],
        "Adam on the surface, heavy ball out of the view"
    );
    // Dragged into divergence, the same run is marked diverged once the cursor reaches it.
    let mut h = h;
    h.state_mut().state.scene.runs[1].settings.lr = 0.5;
    h.state_mut().anim.cursor = 50.0;
    h.run_steps(4);
    let app = h.state();
    let optiscope::Status::Diverged { step, .. } = app.cache.runs[1].status else {
        panic!(
            "lr 0.5 > 2(1 + β)/λmax = 0.076 diverges: {:?}",
            app.cache.runs[1].status
        );
    };
    assert!(step <= 50, "diverged at step {step}");
    assert!(
        app.surface3d
            .balls
            .iter()
            .any(|&(run, _, place)| run == 1 && place == BallPlace::Diverged),
        "{:?}",
        app.surface3d.balls
    );
}

/// The dashes of run 1's stability line as drawn: segments in the line's colour
/// (the white run's, dimmed as `stability_line` does) and their lengths in points.
fn limit_dashes(h: &Harness<'static, OptiscopeApp>) -> Vec<f32> {
    let dim = Color32::WHITE.gamma_multiply(0.8);
    h.output()
        .shapes
        .iter()
        .filter_map(|s| match &s.shape {
            egui::Shape::LineSegment { points, stroke } if stroke.color == dim => {
                Some((points[1] - points[0]).length())
            }
            _ => None,
        })
        .collect()
}

fn texts(h: &Harness<'static, OptiscopeApp>) -> Vec<String> {
    h.output()
        .shapes
        .iter()
        .filter_map(|s| match &s.shape {
            egui::Shape::Text(t) => Some(t.galley.text().to_owned()),
            _ => None,
        })
        .collect()
}

fn open_builtin(file: &str) -> Harness<'static, OptiscopeApp> {
    let preset = optiscope::scene::preset::BUILTIN_PRESETS
        .iter()
        .find(|b| b.file == file)
        .unwrap()
        .load()
        .unwrap();
    let mut app = OptiscopeApp::new(AppState::default());
    app.open_preset(&preset, None);
    app.anim.playing = false;
    let mut h = common::harness(app);
    h.run_steps(2);
    h
}

#[test]
fn the_stability_line_is_dashed_not_dotted_and_named_when_far_above_the_rates() {
    // decay-schedules: mini-batch SGD on linear regression, whose Hessian does not depend on
    // (w, b): the limit is one constant, drawn as one dashed line of long dashes (it was 300
    // sub-pixel pieces that anti-aliasing turned into scattered dots).
    let h = open_builtin("decay-schedules.ron");
    let limit = &h.state().cache.runs[0].curves.limit_log;
    assert_eq!(limit.len(), 1, "one piece");
    assert_eq!(limit[0].len(), 2, "a constant limit is one segment");
    let dashes = limit_dashes(&h);
    assert!(dashes.len() >= 10, "{} dashes", dashes.len());
    assert!(
        dashes.iter().all(|&l| l >= 2.0),
        "dashes shorter than 2 points: {:?}",
        dashes.iter().filter(|&&l| l < 2.0).collect::<Vec<_>>()
    );

    // The default scene at a small rate (the range test's 0.00705, or 0.0013): the limit 0.2 is
    // far above on a linear axis, so it is named there; on a log axis it is drawn.
    let mut h = open_builtin("ravine-race.ron");
    for lr in [0.00705, 0.0013] {
        h.state_mut().state.scene.runs[0].settings.lr = lr;
        h.state_mut().state.scene.log_lr = false;
        h.run_steps(4);
        assert!(
            texts(&h)
                .iter()
                .any(|t| t.contains("stability limit lr = 0.2") && t.contains("far above")),
            "lr {lr}, linear axis: the limit is not named"
        );
        h.state_mut().state.scene.log_lr = true;
        h.run_steps(4);
        assert!(
            limit_dashes(&h).len() >= 10,
            "lr {lr}, log axis: no dashed limit"
        );
        assert!(!texts(&h).iter().any(|t| t.contains("far above")));
    }
    // At the scene's own 0.17 the line is drawn on the linear axis too.
    h.state_mut().state.scene.runs[0].settings.lr = 0.17;
    h.state_mut().state.scene.log_lr = false;
    h.run_steps(4);
    assert!(limit_dashes(&h).len() >= 10, "lr 0.17: no dashed limit");
}

/// Every text shape the window drew that its clip rectangle cuts: (text, its rect, the clip).
fn clipped_texts(h: &Harness<'static, OptiscopeApp>) -> Vec<(String, egui::Rect, egui::Rect)> {
    h.output()
        .shapes
        .iter()
        .filter_map(|s| match &s.shape {
            egui::Shape::Text(t) if !t.galley.text().trim().is_empty() => {
                let rect = t.visual_bounding_rect();
                (!s.clip_rect.expand(0.5).contains_rect(rect) && s.clip_rect.intersects(rect))
                    .then(|| (t.galley.text().to_owned(), rect, s.clip_rect))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn no_plot_tick_label_is_cut_by_its_panel() {
    // The LR and loss plots' last x tick ("200") sat half outside the right panel.
    for (size, presenting) in [
        ((1280.0, 720.0), false),
        ((1920.0, 1080.0), false),
        ((1280.0, 720.0), true),
        ((1920.0, 1080.0), true),
    ] {
        for light in [false, true] {
            let mut h = window(size, presenting, light);
            h.run_steps(2);
            let cut: Vec<_> = clipped_texts(&h)
                .into_iter()
                .filter(|(t, _, _)| t.trim().parse::<f64>().is_ok())
                .collect();
            assert!(
                cut.is_empty(),
                "{size:?} presenting {presenting} light {light}: {cut:?}"
            );
        }
    }
}

#[test]
fn the_toast_leaves_the_surface_axis_labels_readable() {
    for (size, presenting) in [((1280.0, 720.0), false), ((1920.0, 1080.0), true)] {
        let mut h = window(size, presenting, false);
        h.state_mut().notice = Some(optiscope::app::Notice {
            text: "Saved the scene to /home/lecturer/Documents/four-optimizers-in-a-ravine.ron."
                .to_owned(),
            error: false,
            working: false,
            progress: None,
            at: optiscope::app::platform::Instant::now(),
            folder: Some("/home/lecturer/Documents".into()),
        });
        h.run_steps(3);
        let toast = h.get_by_label_contains("Saved the scene to").rect();
        let plot = h.state().surface_overlay().plot.unwrap();
        // The x axis's tick labels: numbers just below the plot's frame.
        let ticks: Vec<egui::Rect> = h
            .output()
            .shapes
            .iter()
            .filter_map(|s| match &s.shape {
                egui::Shape::Text(t)
                    if t.galley.text().trim().parse::<f64>().is_ok()
                        && t.pos.y >= plot.bottom() - 1.0
                        && t.pos.y < plot.bottom() + 40.0
                        && plot.x_range().contains(t.pos.x) =>
                {
                    Some(t.visual_bounding_rect())
                }
                _ => None,
            })
            .collect();
        assert!(ticks.len() >= 3, "{size:?}: x ticks {ticks:?}");
        for tick in ticks {
            assert!(
                !tick.intersects(toast),
                "{size:?}: the toast {toast:?} covers the x tick at {tick:?}"
            );
        }
        assert!(
            plot.contains_rect(toast),
            "{size:?}: the toast {toast:?} leaves {plot:?}"
        );
    }
}

#[test]
fn the_legend_hides_no_contour_label() {
    for (size, presenting) in [((1280.0, 800.0), false), ((1920.0, 1080.0), true)] {
        let mut h = window(size, presenting, false);
        h.run_steps(2);
        let legend = h.state().surface_overlay().legend.expect("a legend");
        let texts: Vec<String> = h
            .state()
            .cache
            .grid
            .as_ref()
            .unwrap()
            .contours
            .iter()
            .filter(|c| c.label_at.is_some())
            .map(|c| optiscope::picture::colormap::fmt_value(c.level))
            .collect();
        let under: Vec<egui::Rect> = h
            .output()
            .shapes
            .iter()
            .filter_map(|s| match &s.shape {
                egui::Shape::Text(t) if texts.iter().any(|x| x == t.galley.text()) => {
                    Some(t.visual_bounding_rect())
                }
                _ => None,
            })
            .filter(|r| r.intersects(legend))
            .collect();
        assert!(
            under.is_empty(),
            "{size:?}: labels under the legend {legend:?}: {under:?}"
        );
    }
}

/// The update rule's lines the explain panel drew (monospace texts with an arrow, an equals
/// sign, or an operator that continues one), with their rectangles and clips.
fn rule_pieces(h: &Harness<'static, OptiscopeApp>) -> Vec<(String, usize, egui::Rect, egui::Rect)> {
    h.output()
        .shapes
        .iter()
        .filter_map(|s| match &s.shape {
            egui::Shape::Text(t)
                if t.galley
                    .job
                    .sections
                    .first()
                    .is_some_and(|f| f.format.font_id.family == egui::FontFamily::Monospace) =>
            {
                let text = t.galley.text().to_owned();
                let trimmed = text.trim_start();
                (text.contains('←')
                    || text.contains(" = ")
                    || trimmed.starts_with(['+', '−', '/', '(']))
                .then(|| {
                    (
                        text,
                        t.galley.rows.len(),
                        t.visual_bounding_rect(),
                        s.clip_rect,
                    )
                })
            }
            _ => None,
        })
        .collect()
}

#[test]
fn explain_formulas_break_at_operators_not_mid_expression() {
    // In the narrow panel of a 1280×720 projector the rule lines wrapped at any space, e.g.
    // "v ← β2·v + (1 −" / "β2)·g²".
    let balanced = |s: &str| {
        let mut depth = 0i32;
        for c in s.chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
            if depth < 0 {
                return false;
            }
        }
        depth == 0
    };
    for (size, presenting) in [((1280.0, 720.0), true), ((1280.0, 720.0), false)] {
        for optimizer in ["adam", "keras.nadam"] {
            let mut state = AppState {
                presentation: presenting,
                ..AppState::default()
            };
            state.scene.runs[0].settings.optimizer =
                optiscope::core::spec::parse_spec(optimizer).unwrap();
            let mut app = OptiscopeApp::new(state);
            app.anim.playing = false;
            let mut h = common::sized(app, size);
            h.get_by_label("Explain the update").scroll_to_me();
            h.run_steps(6);
            h.get_by_label("Explain the update").click();
            h.state_mut().anim.cursor = 3.0;
            h.run_steps(8);
            let what = format!("{optimizer}, {size:?} presenting {presenting}");
            let pieces = rule_pieces(&h);
            assert!(pieces.len() >= 3, "{what}: {pieces:?}");
            for (text, rows, rect, clip) in &pieces {
                assert_eq!(*rows, 1, "{what}: {text:?} wraps");
                assert!(
                    clip.expand(0.5).contains_rect(*rect) || !clip.intersects(*rect),
                    "{what}: {text:?} cut by its panel"
                );
                if optimizer == "adam" {
                    assert!(balanced(text), "{what}: {text:?} breaks inside brackets");
                }
            }
        }
    }
}

#[test]
fn both_step_plots_label_their_steps_on_a_projector() {
    // At 1280×720 in presentation mode the learning-rate plot of a 400-step scene labelled only
    // "0": its labels every 100 steps were 35 points apart, 1 too few for egui_plot's default.
    for file in [
        "adam-rotated-ravine.ron",
        "ravine-race.ron",
        "decay-schedules.ron",
    ] {
        let preset = optiscope::scene::preset::BUILTIN_PRESETS
            .iter()
            .find(|b| b.file == file)
            .unwrap()
            .load()
            .unwrap();
        let mut app = OptiscopeApp::new(AppState {
            presentation: true,
            ..AppState::default()
        });
        app.open_preset(&preset, None);
        app.anim.playing = false;
        let mut h = common::sized(app, (1280.0, 720.0));
        h.run_steps(3);
        let right = 0.6 * h.ctx.content_rect().width();
        // Whole numbers in the right-hand panel, by the row they sit on.
        let mut rows: std::collections::BTreeMap<i32, Vec<(f32, f64)>> = Default::default();
        for s in &h.output().shapes {
            if let egui::Shape::Text(t) = &s.shape
                && t.pos.x > right
                && let Ok(v) = t.galley.text().parse::<f64>()
                && v.fract() == 0.0
            {
                rows.entry(t.pos.y.round() as i32)
                    .or_default()
                    .push((t.pos.x, v));
            }
        }
        // An x axis: three or more labels along one row, rising left to right from 0.
        let axes: Vec<_> = rows
            .values()
            .filter(|r| r.len() >= 3)
            .filter(|r| {
                let mut r = (*r).clone();
                r.sort_by(|a, b| a.0.total_cmp(&b.0));
                r[0].1 == 0.0 && r.windows(2).all(|w| w[1].1 > w[0].1)
            })
            .collect();
        assert_eq!(axes.len(), 2, "{file}: labelled step axes {rows:?}");
        // The loss plot's log axis (ravine-race's spans 30 decades in 130 points) labels some
        // decades: it labelled none when every fourth was 16 points apart.
        if file == "ravine-race.ron" {
            let decades = h
                .output()
                .shapes
                .iter()
                .filter(|s| match &s.shape {
                    egui::Shape::Text(t) => {
                        let text = t.galley.text();
                        t.pos.x > right && text.contains("e-") && text.parse::<f64>().is_ok()
                    }
                    _ => false,
                })
                .count();
            assert!(
                decades >= 2,
                "{file}: {decades} labels on the log loss axis"
            );
        }
    }
}
