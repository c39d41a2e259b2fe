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
