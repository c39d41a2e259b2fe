//! The text layer's resource against the code: every `tr!` and `msg!` id the sources use is in
//! `assets/text/en.ftl`, every message there is used, and the file parses.

use std::collections::BTreeSet;
use std::path::Path;

use optiscope::text::{ENGLISH, Language};

/// Every `tr!("id"` and `msg!("id"` in the sources under `dir` (the id may start on the next
/// line, where rustfmt puts a long call's arguments).
fn used_ids(dir: &Path, ids: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            // The text layer itself only names ids in its docs.
            if !path.ends_with("text") {
                used_ids(&path, ids);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("UTF-8");
            let marks = text
                .match_indices("tr!(")
                .chain(text.match_indices("msg!("));
            for (i, mark) in marks {
                // `tr!`, not the end of another macro's name (`include_str!`).
                let before = text[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = text[i + mark.len()..].trim_start();
                // A macro's definition or a mention in prose, not a call with an id.
                let Some(rest) = rest.strip_prefix('"') else {
                    continue;
                };
                ids.insert(rest[..rest.find('"').expect("a closing quote")].to_owned());
            }
        }
    }
}

/// The ids `en.ftl` defines, in order.
fn defined_ids() -> Vec<String> {
    ENGLISH
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '\t']) && !l.is_empty())
        .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.to_owned()))
        .collect()
}

#[test]
fn every_message_the_code_uses_is_defined_once_and_every_defined_one_is_used() {
    let en = Language::parse("en", ENGLISH).expect("en.ftl parses");
    let mut used = BTreeSet::new();
    used_ids(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut used,
    );
    assert!(used.len() > 50, "only {} ids in use", used.len());
    let missing: Vec<&String> = used.iter().filter(|id| !en.has(id)).collect();
    assert!(missing.is_empty(), "used but not in en.ftl: {missing:?}");
    let defined = defined_ids();
    let unique: BTreeSet<&String> = defined.iter().collect();
    assert_eq!(unique.len(), defined.len(), "an id is defined twice");
    let unused: Vec<&String> = defined.iter().filter(|id| !used.contains(*id)).collect();
    assert!(unused.is_empty(), "in en.ftl but unused: {unused:?}");
}

/// Every message of a resource: its id and the `$arguments` its value uses.
fn messages(source: &str) -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let mut out = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let value = if line.starts_with([' ', '\t']) {
            line
        } else {
            let (id, value) = line.split_once(" = ").expect("id = value");
            current = Some(id.to_owned());
            out.insert(id.to_owned(), BTreeSet::new());
            value
        };
        let id = current.as_ref().expect("a continuation after a message");
        let args = out.get_mut(id).expect("inserted");
        for (i, _) in value.match_indices('$') {
            let name: String = value[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            args.insert(name);
        }
    }
    out
}

/// The texts of the numerical core that the window shows through `text::core_text` (update
/// stages, glyph legends, explain rows and terms), read from the sources.
fn core_texts() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core/optimizer");
    let catalog = optiscope::scene::catalog::catalog_json();
    let item_names: BTreeSet<String> = catalog
        .as_object()
        .expect("families")
        .values()
        .flat_map(|f| f["items"].as_array().expect("items").iter())
        .map(|i| i["name"].as_str().expect("a name").to_owned())
        .collect();
    let mut texts = BTreeSet::new();
    let mut files = vec![root];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(
                std::fs::read_dir(&path)
                    .expect("dir")
                    .map(|e| e.expect("entry").path()),
            );
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        let legend = text.find("pub fn legend(self)").map(|at| {
            let body = &text[at..];
            &body[..body.find("\n    }\n").expect("the legend's end")]
        });
        let mut strings = |mark: &str, within: &str| {
            for (i, m) in within.match_indices(mark) {
                let rest = within[i + m.len()..].trim_start();
                if let Some(rest) = rest.strip_prefix('"') {
                    let s = &rest[..rest.find('"').expect("a closing quote")];
                    if !item_names.contains(s) {
                        texts.insert(s.to_owned());
                    }
                }
            }
        };
        for mark in [".named(", "says:", "name:", "_ROW: &str ="] {
            strings(mark, &text);
        }
        if let Some(legend) = legend {
            strings("=>", legend);
        }
    }
    texts
}

#[test]
fn both_languages_have_every_message_with_the_same_arguments() {
    use optiscope::text::{CHINESE, core_text_id, item_id};
    assert!(
        Language::parse("zh-CN", CHINESE).is_ok(),
        "zh-CN.ftl parses"
    );
    let en = messages(ENGLISH);
    let zh = messages(CHINESE);
    let own = |id: &&String| !id.starts_with("item-") && !id.starts_with("core-");
    let en_ids: BTreeSet<&String> = en.keys().collect();
    let zh_ids: BTreeSet<&String> = zh.keys().filter(own).collect();
    let only_en: Vec<_> = en_ids.difference(&zh_ids).collect();
    let only_zh: Vec<_> = zh_ids.difference(&en_ids).collect();
    assert!(
        only_en.is_empty(),
        "in en.ftl, not in zh-CN.ftl: {only_en:?}"
    );
    assert!(
        only_zh.is_empty(),
        "in zh-CN.ftl, not in en.ftl: {only_zh:?}"
    );
    for (id, args) in &en {
        assert_eq!(&zh[id], args, "{id}: the languages use different arguments");
    }
    // The catalog's summaries and parameter docs, whose English lives with the items.
    let mut items = BTreeSet::new();
    let catalog = optiscope::scene::catalog::catalog_json();
    for family in catalog.as_object().expect("families").values() {
        let name = family["family"].as_str().expect("a family name");
        for item in family["items"].as_array().expect("items") {
            let item_name = item["name"].as_str().expect("an item name");
            items.insert(item_id(name, item_name, None));
            for p in item["params"].as_array().expect("params") {
                items.insert(item_id(name, item_name, p["name"].as_str()));
            }
        }
    }
    let zh_items: BTreeSet<String> = zh
        .keys()
        .filter(|id| id.starts_with("item-"))
        .cloned()
        .collect();
    assert!(items.len() > 200, "{} item texts", items.len());
    let missing: Vec<_> = items.difference(&zh_items).collect();
    let stale: Vec<_> = zh_items.difference(&items).collect();
    assert!(missing.is_empty(), "items without Chinese: {missing:?}");
    assert!(stale.is_empty(), "Chinese for no item: {stale:?}");
    // The numerical core's texts.
    let core: BTreeSet<String> = core_texts().iter().map(|t| core_text_id(t)).collect();
    let zh_core: BTreeSet<String> = zh
        .keys()
        .filter(|id| id.starts_with("core-"))
        .cloned()
        .collect();
    assert!(core.len() > 30, "{} core texts", core.len());
    let missing: Vec<_> = core.difference(&zh_core).collect();
    let stale: Vec<_> = zh_core.difference(&core).collect();
    assert!(
        missing.is_empty(),
        "core texts without Chinese: {missing:?}"
    );
    assert!(stale.is_empty(), "Chinese for no core text: {stale:?}");
}

#[test]
fn chinese_reads_in_chinese_and_english_stays_as_it_was() {
    use optiscope::core::run::simulation::{DivergenceReason, Status, status_text};
    use optiscope::text::{Lang, with_language};
    let diverged = Status::Diverged {
        step: 190,
        reason: DivergenceReason::OutOfBounds {
            coordinate: 'y',
            value: 1e12,
        },
    };
    let converged = Status::Converged { step: 157 };
    assert_eq!(status_text(&converged, 0.19, 300), "converged at step 157");
    assert_eq!(
        status_text(&diverged, 0.21, 300),
        "diverged at step 190 (lr = 0.21)"
    );
    with_language(Lang::ZhCn, || {
        assert_eq!(status_text(&converged, 0.19, 300), "在第 157 步收敛");
        assert_eq!(
            status_text(&diverged, 0.21, 300),
            "在第 190 步发散 (lr = 0.21)"
        );
    });
    // Other threads (the CLI, workers) stay English whatever this one speaks.
    with_language(Lang::ZhCn, || {
        let other = std::thread::spawn(move || status_text(&converged, 0.19, 300));
        assert_eq!(other.join().expect("thread"), "converged at step 157");
    });
    for (tag, lang) in [
        ("zh-CN", Lang::ZhCn),
        ("zh_CN.UTF-8", Lang::ZhCn),
        ("zh-Hans", Lang::ZhCn),
        ("en-GB", Lang::En),
    ] {
        assert_eq!(Lang::from_tag(tag), Some(lang), "{tag}");
    }
    assert_eq!(Lang::from_tag("fr-FR"), None);
    assert!(
        "de".parse::<Lang>()
            .unwrap_err()
            .to_string()
            .contains("en or zh-CN")
    );
}

/// Every character of both resource files, of the catalog's English summaries and docs, of
/// the core's texts and of every built-in scene's texts.
#[cfg(feature = "picture")]
fn every_character() -> BTreeSet<char> {
    let catalog = optiscope::scene::catalog::catalog_json().to_string();
    let core: String = core_texts().into_iter().collect();
    let mut chars: BTreeSet<char> = optiscope::text::ENGLISH
        .chars()
        .chain(optiscope::text::CHINESE.chars())
        .chain(catalog.chars())
        .chain(core.chars())
        .filter(|c| !c.is_control())
        .collect();
    for b in optiscope::scene::preset::BUILTIN_PRESETS {
        let preset = b.load().expect("a built-in loads");
        for text in preset.all_texts() {
            for dark in [true, false] {
                for lang in optiscope::text::Lang::ALL {
                    let shown = optiscope::text::with_language(lang, || {
                        optiscope::scene::notes::resolve_colours(text, dark).into_owned()
                    });
                    chars.extend(shown.chars().filter(|c| !c.is_control()));
                }
            }
        }
    }
    chars
}

#[cfg(feature = "picture")]
#[test]
fn every_character_we_ship_has_a_glyph_in_the_pictures() {
    let chars = every_character();
    assert!(
        chars
            .iter()
            .filter(|c| optiscope::text::font::is_cjk(**c))
            .count()
            > 500
    );
    let missing: String = chars
        .iter()
        .filter(|c| !optiscope::picture::text::has_glyph(**c))
        .collect();
    assert!(
        missing.is_empty(),
        "no glyph in the pictures' fonts: {missing:?}"
    );
    // And a character of the notes' kind that no translation uses is there too.
    assert!(optiscope::picture::text::has_glyph('龘'));
}

#[cfg(feature = "gui")]
#[test]
fn every_character_we_ship_has_a_glyph_in_the_window() {
    use optiscope::app::{AppState, OptiscopeApp};
    let app = OptiscopeApp::new(AppState {
        language: Some(optiscope::text::Lang::ZhCn),
        ..AppState::default()
    });
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::Vec2::new(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut OptiscopeApp| app.ui(ui), app);
    h.run_steps(2);
    let chars = every_character();
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let font = egui::FontId::new(14.0, family.clone());
        let missing: String = h.ctx.fonts_mut(|f| {
            chars
                .iter()
                .filter(|c| !c.is_whitespace() && !f.has_glyph(&font, **c))
                .collect()
        });
        assert!(
            missing.is_empty(),
            "no glyph in the window's {family:?} fonts: {missing:?}"
        );
    }
}

/// The one-file page carries only the interface's Chinese characters
/// (`web/tools/ui-font.py` makes that font): every CJK character we ship must be in it, or a
/// page opened from a file draws it as a box.
#[cfg(feature = "picture")]
#[test]
fn every_chinese_character_we_ship_is_in_the_one_file_pages_font() {
    use ab_glyph::Font;
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/NotoSansCJKsc-Regular-ui.otf"),
    )
    .expect("the page's font is in assets/fonts");
    let font = ab_glyph::FontRef::try_from_slice(&bytes).expect("an OpenType font");
    let chars = every_character();
    let cjk: Vec<char> = chars
        .iter()
        .copied()
        .filter(|c| optiscope::text::font::is_cjk(*c))
        .collect();
    assert!(cjk.len() > 500, "{}", cjk.len());
    let missing: String = cjk.iter().filter(|c| font.glyph_id(**c).0 == 0).collect();
    assert!(
        missing.is_empty(),
        "not in the one-file page's font (run web/tools/ui-font.py): {missing:?}"
    );
    // It is a subset: a character no text of ours uses is not there.
    assert_eq!(font.glyph_id('龘').0, 0);
}
