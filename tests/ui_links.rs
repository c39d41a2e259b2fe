//! Scenes as links in the window: File ▸ Copy link to this scene puts a link on the clipboard
//! that File ▸ Open link… (or the command line, or the web app) opens as the same scene,
//! animation position included; a damaged link says what is wrong and keeps the scene.
#![cfg(feature = "gui")]

mod common;

use common::{copied, default_scene_without_dialogs, type_path};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use optiscope::app::OptiscopeApp;
use optiscope::scene::link::parse_link;
use optiscope::scene::preset::BUILTIN_PRESETS;

fn file_menu(h: &mut Harness<'static, OptiscopeApp>, item: &str) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label(item).click();
    h.run_steps(3);
}

#[test]
fn a_copied_link_opens_the_same_scene_at_the_same_step() {
    let mut h = default_scene_without_dialogs();
    // A scene the user changed: another built-in, a different learning rate, paused at step 37.
    let preset = BUILTIN_PRESETS[3].load().expect("built-in");
    h.state_mut().open_preset(&preset, None);
    h.run_steps(3);
    h.state_mut().state.scene.runs[0].settings.lr *= 0.5;
    h.state_mut().anim.playing = false;
    h.state_mut().anim.cursor = 37.0;
    h.run_steps(3);
    let scene = h.state().scene();
    assert_eq!(scene.cursor, 37);

    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Copy link to this scene").click();
    h.step();
    let links = copied(&h);
    assert_eq!(links.len(), 1, "{links:?}");
    let link = &links[0];
    assert!(link.contains("#scene=1."), "{link}");
    assert_eq!(parse_link(link).expect("a valid link").preset, scene);

    // Another scene on screen, then the link pasted into File ▸ Open link…
    h.state_mut()
        .open_preset(&BUILTIN_PRESETS[0].load().expect("built-in"), None);
    h.run_steps(3);
    assert_ne!(h.state().scene(), scene);
    file_menu(&mut h, "Open link…");
    type_path(&mut h, link);
    h.run_steps(3);
    let opened = h.state().scene();
    assert_eq!(opened.runs, scene.runs);
    assert_eq!(opened.title, scene.title);
    assert_eq!(
        opened.cursor, 37,
        "the animation position travels with the link"
    );
    assert!(!h.state().anim.playing);
    assert!(
        !h.state().state.is_dirty(),
        "an opened link is an unmodified scene"
    );
}

#[test]
fn a_damaged_link_says_so_and_keeps_the_scene() {
    let mut h = default_scene_without_dialogs();
    let before = h.state().state.clone();
    let preset = BUILTIN_PRESETS[1].load().expect("built-in");
    let link = optiscope::scene::link::scene_link(
        "http://localhost:8080/",
        &preset,
        optiscope::scene::link::Showing::default(),
    )
    .expect("link");
    // Cut off in a chat.
    let cut = &link[..link.len() - 30];
    file_menu(&mut h, "Open link…");
    type_path(&mut h, cut);
    h.run_steps(3);
    let notice = h.state().notice.clone().expect("a message");
    assert!(notice.error, "{notice:?}");
    assert!(notice.text.contains("damaged"), "{}", notice.text);
    assert!(notice.text.contains("unchanged"), "{}", notice.text);
    assert_eq!(h.state().state, before);
    // Not a scene link at all.
    file_menu(&mut h, "Open link…");
    type_path(&mut h, "https://example.org/notes#week-3");
    h.run_steps(3);
    let text = h.state().notice.clone().expect("a message").text;
    assert!(text.contains("not an optiscope scene link"), "{text}");
    assert_eq!(h.state().state, before);
}

#[test]
fn a_locked_link_opens_without_the_controls() {
    let mut h = default_scene_without_dialogs();
    let preset = BUILTIN_PRESETS[2].load().expect("built-in");
    let link = optiscope::scene::link::scene_link(
        "http://localhost:8080/",
        &preset,
        optiscope::scene::link::Showing {
            lock: true,
            ..Default::default()
        },
    )
    .expect("link");
    assert!(!h.state().state.hide_controls);
    file_menu(&mut h, "Open link…");
    type_path(&mut h, &link);
    h.run_steps(3);
    assert_eq!(h.state().state.scene.title, preset.title);
    assert!(
        h.state().state.hide_controls,
        "the controls are folded away"
    );
    assert!(h.query_by_label("Run 1 settings").is_none());
}

/// The language menu, named in both languages, switches the whole window; a link copied
/// from a Chinese window opens Chinese, and one with `lang=zh-CN` switches an English one.
#[test]
fn the_language_menu_and_a_chinese_link_switch_the_window() {
    use optiscope::text::Lang;
    let mut h = default_scene_without_dialogs();
    assert_eq!(h.state().state.lang(), Lang::En);
    assert!(h.query_by_label("File").is_some());
    h.get_by_label("EN / 中文").click();
    h.run_steps(2);
    h.get_by_label("简体中文").click();
    h.run_steps(3);
    assert_eq!(h.state().state.language, Some(Lang::ZhCn));
    assert!(
        h.query_by_label("File").is_none(),
        "the menu still reads File"
    );
    assert!(h.query_by_label("文件").is_some());
    let zh_title = BUILTIN_PRESETS[0].load().expect("built-in").text["zh-CN"]
        .title
        .clone();
    assert!(
        h.query_all_by_label(&zh_title).count() > 0,
        "no '{zh_title}' on screen"
    );
    // Copy link in Chinese: the link says so.
    h.get_by_label("文件").click();
    h.run_steps(2);
    h.get_by_label("复制场景链接").click();
    h.step();
    let link = copied(&h).pop().expect("a link on the clipboard");
    assert!(link.ends_with("&lang=zh-CN"), "{link}");
    assert_eq!(
        parse_link(&link).expect("parses").show.lang,
        Some(Lang::ZhCn)
    );
    // Back to English from the same menu, then the Chinese link switches again.
    h.get_by_label("EN / 中文").click();
    h.run_steps(2);
    h.get_by_label("English").click();
    h.run_steps(3);
    assert_eq!(h.state().state.lang(), Lang::En);
    assert!(h.query_by_label("File").is_some());
    file_menu(&mut h, "Open link…");
    type_path(&mut h, &link);
    h.run_steps(3);
    assert_eq!(h.state().state.lang(), Lang::ZhCn);
    // A language this build does not have leaves the language alone and opens the scene.
    let other = link.replace("lang=zh-CN", "lang=fr");
    assert_eq!(parse_link(&other).expect("still a scene").show.lang, None);
}
