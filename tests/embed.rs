//! Embeds (`embed=1` in a link or page, for an `<iframe>` in slides, a course page or a
//! notebook): only the view, the LR plot and a compact bar (play, step, the selected run's
//! learning rate), inside frames from 480×300 up, for every built-in scene, dark and light,
//! English and Chinese; the bar works; an embed keeps nothing in storage. And the File menu's
//! Save as web page… and Copy embed code.
#![cfg(feature = "gui")]

mod common;

use egui::Rect;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};
use optiscope::app::commands::Action;
use optiscope::app::{AppState, Dialog, FileCommand, OptiscopeApp, PathFor};
use optiscope::scene::link::{DEFAULT_BASE, Showing, parse_link, scene_link};
use optiscope::scene::preset::{BUILTIN_PRESETS, Preset};
use optiscope::text::Lang;

fn label(lang: Lang, id: &str) -> String {
    optiscope::text::language(lang)
        .and_then(|l| l.format(id, None))
        .unwrap_or_else(|| panic!("{id} in {lang}"))
}

fn inside(outer: Rect, inner: Rect) -> bool {
    outer.expand(0.5).contains_rect(inner)
}

fn act(h: &mut Harness<'static, OptiscopeApp>, action: Action) {
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, action);
    h.run_steps(4);
}

/// A window of `size` opened on `preset`'s embed link, as an `<iframe>` opens it.
fn embedded(preset: &Preset, size: (f32, f32), lang: Lang) -> Harness<'static, OptiscopeApp> {
    let state = AppState {
        language: Some(lang),
        ..AppState::default()
    };
    let mut h = common::sized(OptiscopeApp::new(state), size);
    let show = Showing {
        embed: true,
        ..Showing::default()
    };
    let link = scene_link(DEFAULT_BASE, preset, show).expect("a link");
    let ctx = h.ctx.clone();
    h.state_mut()
        .open_at_start(&ctx, FileCommand::OpenLink(link));
    h.run_steps(4);
    assert!(h.state().embed, "the link's embed=1 makes an embed");
    h
}

/// Every promise of an embed for the scene on screen, at its end (every status shown).
fn check(h: &mut Harness<'static, OptiscopeApp>, what: &str) {
    act(h, Action::End);
    let lang = h.state().state.lang();
    let window = h.ctx.content_rect();
    assert!(
        h.query_by_label(&label(lang, "files-file")).is_none(),
        "{what}: an embed has no menu bar"
    );
    // Nothing is cut off at the frame's edges: with no scroll area, whatever lies outside
    // could not be reached.
    for node in h.query_all(by().predicate(|n| n.bounding_box().is_some())) {
        let r = node.rect();
        if r.area() > 0.0 {
            assert!(
                inside(window, r),
                "{what}: {node:?} at {r:?} leaves the {window:?} frame"
            );
        }
    }
    // The bar is one row: play, step, the rate's slider, Full app.
    let (play_label, pause_label) = (label(lang, "command-play"), label(lang, "controls-pause"));
    let play = h
        .query_by_label(&play_label)
        .or_else(|| h.query_by_label(&pause_label))
        .unwrap_or_else(|| panic!("{what}: no play button"))
        .rect();
    let step = h.get_by_label(&label(lang, "command-step")).rect();
    let full = h.get_by_label(&label(lang, "embed-full-app")).rect();
    let slider = h.get_by_role(Role::Slider).rect();
    for (name, r) in [("step", step), ("slider", slider), ("full app", full)] {
        assert!(
            (r.center().y - play.center().y).abs() < 3.0,
            "{what}: the {name} at {r:?} is not in the play button's row {play:?}"
        );
    }
    assert!(
        play.max.x <= step.min.x && step.max.x < slider.min.x && slider.max.x < full.min.x,
        "{what}: the bar's widgets overlap: {play:?} {step:?} {slider:?} {full:?}"
    );
    assert!(
        slider.width() >= 40.0,
        "{what}: the slider is {:.0} points",
        slider.width()
    );
    let bar_top = play.min.y - 4.0;
    let view = if h.state().state.scene.network.is_some() {
        h.state().network_views.central.expect("a network view")
    } else {
        let overlay = h.state().surface_overlay().clone();
        let plot = overlay
            .plot
            .unwrap_or_else(|| panic!("{what}: no surface plot"));
        if let Some(legend) = overlay.legend {
            assert!(
                inside(plot, legend),
                "{what}: legend {legend:?} outside {plot:?}"
            );
        }
        for label in &overlay.labels {
            assert!(
                inside(plot, *label),
                "{what}: status label {label:?} outside {plot:?}"
            );
        }
        overlay.view.expect("a surface view")
    };
    assert!(
        view.width() >= 0.5 * window.width() && view.height() >= 0.6 * window.height(),
        "{what}: the view is {:.0}×{:.0} of {:.0}×{:.0}",
        view.width(),
        view.height(),
        window.width(),
        window.height()
    );
    assert!(
        view.max.y <= bar_top + 1.0,
        "{what}: the view {view:?} runs under the bar (top {bar_top})"
    );
    assert!(
        h.state().plot_axes().lr.is_some(),
        "{what}: no learning-rate plot"
    );
}

fn walk(size: (f32, f32), lang: Lang) {
    let first = BUILTIN_PRESETS[0].load().expect("a built-in");
    let mut h = embedded(&first, size, lang);
    let mode = format!("{}×{} {lang}", size.0, size.1);
    check(&mut h, &format!("{mode}, first scene"));
    for k in 1..BUILTIN_PRESETS.len() {
        // PageDown pages an embed through the scenes too; the theme alternates.
        act(&mut h, Action::NextScene);
        act(&mut h, Action::Light);
        assert!(h.state().embed, "{mode}: still an embed after paging");
        let title = h.state().state.scene.title_in(lang).to_owned();
        check(&mut h, &format!("{mode}, scene {k} ({title})"));
    }
}

#[test]
fn embeds_fit_480_by_300_for_every_scene() {
    walk((480.0, 300.0), Lang::En);
}

#[test]
fn embeds_fit_640_by_400_for_every_scene_in_chinese() {
    walk((640.0, 400.0), Lang::ZhCn);
}

#[test]
fn embeds_fit_larger_frames() {
    let first = BUILTIN_PRESETS[0].load().expect("a built-in");
    for size in [(640.0, 400.0), (960.0, 540.0), (1280.0, 720.0)] {
        let mut h = embedded(&first, size, Lang::En);
        check(&mut h, &format!("{}×{}", size.0, size.1));
    }
}

#[test]
fn the_bar_plays_steps_and_sets_the_selected_runs_rate() {
    let first = BUILTIN_PRESETS[0].load().expect("a built-in");
    let mut h = embedded(&first, (480.0, 300.0), Lang::En);
    act(&mut h, Action::Rewind);
    h.state_mut().anim.playing = false;
    h.run_steps(2);
    let before = h.state().anim.step();
    h.get_by_label("Step").click();
    h.run_steps(3);
    assert_eq!(h.state().anim.step(), before + 1, "Step is one step");
    h.get_by_label("Play").click();
    h.run_steps(3);
    assert!(h.state().anim.playing, "Play plays");
    h.get_by_label("Pause").click();
    h.run_steps(3);
    assert!(!h.state().anim.playing, "Pause pauses");

    let selected = h.state().state.selected;
    let lr = h.state().state.scene.runs[selected].settings.lr;
    let slider = h.get_by_role(Role::Slider).rect();
    // Dragging the rail to its left end: the lower bound of the range, far below the scene's.
    common::drag(
        &mut h,
        slider.center(),
        egui::pos2(slider.min.x - 20.0, slider.center().y),
    );
    h.run_steps(3);
    let dragged = h.state().state.scene.runs[selected].settings.lr;
    assert!(
        dragged < lr / 10.0,
        "the slider moved the selected run's rate: {lr} -> {dragged}"
    );
    // And the plot follows: the run's rate is constant, so every point of its curve is the
    // new rate.
    h.run_steps(3);
    let curve = &h.state().cache.runs[selected].curves.lr;
    assert!(
        !curve.is_empty() && curve.iter().all(|p| (p.y - dragged).abs() <= 1e-12),
        "the LR plot shows the new rate {dragged}: {:?}",
        &curve[..curve.len().min(3)]
    );
}

/// Storage that records what was written to it.
#[derive(Default)]
struct Recorder(Vec<String>);

impl eframe::Storage for Recorder {
    fn get_string(&self, _key: &str) -> Option<String> {
        None
    }
    fn set_string(&mut self, key: &str, _value: String) {
        self.0.push(key.to_owned());
    }
    fn remove_string(&mut self, key: &str) {
        self.0.push(format!("removed {key}"));
    }
    fn flush(&mut self) {}
}

#[test]
fn an_embed_keeps_nothing_in_storage_and_the_full_app_does() {
    let first = BUILTIN_PRESETS[2].load().expect("a built-in");
    let mut h = embedded(&first, (640.0, 400.0), Lang::En);
    let mut storage = Recorder::default();
    eframe::App::save(h.state_mut(), &mut storage);
    assert!(
        storage.0.is_empty(),
        "an embed wrote {:?}: two embeds on one page would overwrite each other",
        storage.0
    );
    // On the desktop, Full app turns the window into the whole app, on the same scene.
    h.get_by_label("Full app").click();
    h.run_steps(4);
    assert!(!h.state().embed);
    assert_eq!(h.state().state.scene.title, first.title);
    h.get_by_label("File");
    eframe::App::save(h.state_mut(), &mut storage);
    assert_eq!(storage.0, [eframe::APP_KEY]);
}

fn file_menu(h: &mut Harness<'static, OptiscopeApp>, item: &str) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label(item).click();
    h.run_steps(3);
}

/// A one-file app as `web/build.sh` writes it, reduced to what a page needs: a title and
/// the scene slot.
const TEMPLATE: &str = "<!DOCTYPE html>\n<html><head><title>optiscope</title></head><body>\
    <script id=\"optiscope-scene\" type=\"text/plain\"></script><canvas id=\"optiscope\"></canvas></body></html>\n";

/// The scene in a page's slot.
fn slot(page: &str) -> Preset {
    let fragment = page
        .split(r#"<script id="optiscope-scene" type="text/plain">"#)
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the page has its slot");
    parse_link(fragment).expect("the slot holds a scene").preset
}

#[test]
fn save_as_web_page_writes_the_scene_into_the_one_file_app() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let template = dir.path().join("optiscope.html");
    std::fs::write(&template, TEMPLATE).expect("the template");
    let mut h = common::default_scene_without_dialogs();
    h.state_mut().built_page = Some(template);
    h.state_mut()
        .open_preset(&BUILTIN_PRESETS[4].load().expect("a built-in"), None);
    h.run_steps(3);
    h.state_mut().state.scene.runs[0].settings.lr = 0.0123;
    h.state_mut().anim.playing = false;
    h.state_mut().anim.cursor = 12.0;
    h.run_steps(3);
    let scene = h.state().scene();

    file_menu(&mut h, "Save as web page…");
    assert!(
        matches!(
            h.state().dialog,
            Some(Dialog::Path {
                to: PathFor::Page,
                ..
            })
        ),
        "{:?}",
        h.state().dialog
    );
    let out = dir.path().join("lecture.html");
    common::type_path(&mut h, &out.display().to_string());
    h.run_steps(3);
    let page = std::fs::read_to_string(&out).expect("the page was written");
    assert_eq!(
        slot(&page),
        scene,
        "the page opens on the scene, at step 12"
    );
    assert!(
        page.contains(&format!(
            "<title>{} — optiscope</title>",
            scene.title.trim()
        )),
        "the tab is named after the scene"
    );
    let notice = h.state().notice.as_ref().expect("a message");
    assert!(
        notice.text.contains("lecture.html"),
        "the message says where: {}",
        notice.text
    );
}

#[test]
fn without_the_one_file_app_the_menu_says_how_to_build_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut h = common::default_scene_without_dialogs();
    h.state_mut().built_page = Some(dir.path().join("not-built.html"));
    h.run_steps(2);
    h.get_by_label("File").click();
    h.run_steps(2);
    let entry = h.get_by_label("Save as web page…");
    assert!(
        entry.accesskit_node().is_disabled(),
        "the entry cannot be clicked"
    );
    h.get_by_label("needs the one-file app: run web/build.sh");
}

#[test]
fn copy_embed_code_copies_an_iframe_of_the_scene() {
    let mut h = common::default_scene_without_dialogs();
    h.state_mut()
        .open_preset(&BUILTIN_PRESETS[1].load().expect("a built-in"), None);
    h.state_mut().anim.playing = false;
    h.run_steps(3);
    let scene = h.state().scene();
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Copy embed code").click();
    h.step();
    let copied = common::copied(&h);
    assert_eq!(copied.len(), 1, "{copied:?}");
    let code = &copied[0];
    assert!(
        code.starts_with(r#"<iframe src="http://localhost:8080/#scene=1."#)
            && code.contains(r#"width="640" height="400""#)
            && code.ends_with("></iframe>"),
        "{code}"
    );
    let src = code
        .split(r#"src=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a src")
        .replace("&amp;", "&");
    let link = parse_link(&src).expect("the src is a scene link");
    assert!(link.show.embed, "the iframe shows the embed: {src}");
    assert_eq!(link.preset, scene);
}
