//! The text layer: every string the window shows, by message id, from one Fluent resource per
//! language (`assets/text/<language>.ftl`), so a new language is one file and no literal in a
//! `*_ui.rs` file has to change. English is the only language yet; a message a language lacks
//! falls back to English, and an id no language has shows itself (a test keeps that from
//! shipping).
//!
//! Call sites use [`tr!`]: `tr!("menu-file")`, or with arguments `tr!("run-settings", n = 3)`.
//! Numbers that a language may inflect on (plurals) go in as numbers; everything already
//! formatted (rates, losses) goes in as text, so the English stays exactly what it was.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The English messages, compiled in.
pub const ENGLISH: &str = include_str!("../../assets/text/en.ftl");

/// Arguments of a message, by name.
pub type Args<'a> = FluentArgs<'a>;

/// A loaded language: its messages and the rules its plurals and numbers follow.
pub struct Language {
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Language")
            .field("locales", &self.bundle.locales)
            .finish()
    }
}

impl Language {
    /// Parses `source` (Fluent syntax) as the messages of `tag` (e.g. `en`, `zh-CN`); the
    /// errors name each line Fluent could not read.
    pub fn parse(tag: &str, source: &str) -> Result<Self, Vec<String>> {
        let id: unic_langid::LanguageIdentifier = tag
            .parse()
            .map_err(|e| vec![format!("language tag '{tag}': {e}")])?;
        let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
            errors
                .iter()
                .map(|e| {
                    let line = source[..e.pos.start.min(source.len())]
                        .lines()
                        .count()
                        .max(1);
                    format!("line {line}: {:?}", e.kind)
                })
                .collect::<Vec<_>>()
        })?;
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Unicode isolation marks around arguments would change every English string.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .map_err(|errors| errors.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>())?;
        Ok(Self { bundle })
    }

    /// Message `id` with `args`, or `None` if the language lacks it.
    pub fn format(&self, id: &str, args: Option<&Args>) -> Option<String> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        Some(
            self.bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned(),
        )
    }

    /// Whether the language has message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }
}

/// English, parsed once. The resource is checked by the test suite, so a failure here is a
/// broken build; it then shows ids rather than panicking.
pub fn english() -> Option<&'static Language> {
    static ENGLISH_BUNDLE: OnceLock<Option<Language>> = OnceLock::new();
    ENGLISH_BUNDLE
        .get_or_init(|| Language::parse("en", ENGLISH).ok())
        .as_ref()
}

/// Message `id` in the current language, with `args`.
pub fn text(id: &str, args: Option<&Args>) -> String {
    english()
        .and_then(|l| l.format(id, args))
        .unwrap_or_else(|| id.to_owned())
}

/// Message `id` in the current language where it has one, else `fallback` (the English): for texts whose
/// English lives with what they describe (an item's summary and parameter docs, which the CLI
/// prints too), so a language translates them by id while the English stays with the item.
pub fn or(id: &str, fallback: &str) -> String {
    english()
        .filter(|l| l.has(id))
        .and_then(|l| l.format(id, None))
        .unwrap_or_else(|| fallback.to_owned())
}

/// A value for a message argument: numbers stay numbers (for plurals), the rest is text.
pub fn arg<'a>(value: impl Into<FluentValue<'a>>) -> FluentValue<'a> {
    value.into()
}

/// A message id kept in a table to be looked up later with [`text`]: it expands to the id
/// itself, and marks it for the test that holds the code's ids and the resource together.
#[macro_export]
macro_rules! msg {
    ($id:literal) => {
        $id
    };
}

/// Message `id` in the current language: `tr!("menu-file")`, `tr!("run-settings", n = 3)`.
#[macro_export]
macro_rules! tr {
    ($id:literal) => {
        $crate::text::text($id, None)
    };
    ($id:literal, $($key:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::text::Args::new();
        $(args.set(stringify!($key), $crate::text::arg($value));)+
        $crate::text::text($id, Some(&args))
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_parses_and_formats_arguments_without_isolation_marks() {
        let en = Language::parse("en", ENGLISH).expect("assets/text/en.ftl parses");
        let probe = Language::parse("en", "probe = Run { $n } of { $runs }: { $what }\n").unwrap();
        let mut args = Args::new();
        args.set("n", arg(3));
        args.set("runs", arg(8_usize));
        args.set("what", arg("lr = 0.1"));
        assert_eq!(
            probe.format("probe", Some(&args)).as_deref(),
            Some("Run 3 of 8: lr = 0.1")
        );
        assert!(en.format("no-such-message", None).is_none());
        assert_eq!(text("no-such-message", None), "no-such-message");
    }

    #[test]
    fn an_item_text_falls_back_to_the_items_own_english() {
        assert_eq!(or("controls-start", "fallback"), "Start");
        assert_eq!(
            or("item-optimizer-sgd", "Stochastic gradient descent"),
            "Stochastic gradient descent"
        );
    }

    #[test]
    fn a_damaged_resource_names_its_line() {
        let errors = Language::parse("en", "ok = fine\nbroken = { $\n").unwrap_err();
        assert!(errors.iter().any(|e| e.starts_with("line 2")), "{errors:?}");
    }
}
