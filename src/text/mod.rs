//! The text layer: every string the window shows, by message id, from one Fluent resource per
//! language (`assets/text/<language>.ftl`), so a new language is one file and no literal in a
//! `*_ui.rs` file has to change. English and Simplified Chinese ([`Lang`]); a message a
//! language lacks falls back to English, and an id no language has shows itself (tests keep
//! both from shipping).
//!
//! The current language belongs to the thread that draws: the window's thread follows the
//! app's setting each frame, `render --lang` sets it for the picture, and every other thread
//! (the CLI, workers) stays English, so the command line's text remains a contract for scripts
//! while two UI tests in two languages can run side by side.
//!
//! Call sites use [`tr!`]: `tr!("menu-file")`, or with arguments `tr!("run-settings", n = 3)`.
//! Numbers that a language may inflect on (plurals) go in as numbers; everything already
//! formatted (rates, losses) goes in as text, so the English stays exactly what it was.

use std::cell::Cell;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub mod font;

/// The English messages, compiled in.
pub const ENGLISH: &str = include_str!("../../assets/text/en.ftl");
/// The Simplified Chinese messages, compiled in.
pub const CHINESE: &str = include_str!("../../assets/text/zh-CN.ftl");

/// A language of the interface. Scenes and links name it by its BCP 47 tag ([`Lang::tag`]).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    /// Every language, in the order the language menu lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The tag files, links and `--lang` use.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's name in itself, so each reader finds their own in the menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language a tag or a system locale asks for (`zh-CN`, `zh_CN.UTF-8`, `zh-Hans`,
    /// `en-GB`...): any Chinese reads our Simplified Chinese, any English our English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The language of the system's locale (the browser's `navigator.language` on the web),
    /// English when it is neither of ours.
    pub fn system() -> Lang {
        sys_locale::get_locale()
            .and_then(|l| Lang::from_tag(&l))
            .unwrap_or_default()
    }

    fn messages(self) -> Option<&'static Language> {
        match self {
            Lang::En => english(),
            Lang::ZhCn => chinese(),
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

/// A language tag we do not have, named in the error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language '{0}': expected en or zh-CN")]
pub struct UnknownLang(pub String);

impl std::str::FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_tag(s.trim()).ok_or_else(|| UnknownLang(s.to_owned()))
    }
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The language this thread draws in.
pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

/// Makes `lang` the language of this thread's text from now on.
pub fn set_current(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// Runs `f` with this thread's text in `lang`, then restores the language it had.
pub fn with_language<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = current();
    set_current(lang);
    let out = f();
    set_current(before);
    out
}

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

/// Simplified Chinese, parsed once (checked by the test suite like English).
pub fn chinese() -> Option<&'static Language> {
    static CHINESE_BUNDLE: OnceLock<Option<Language>> = OnceLock::new();
    CHINESE_BUNDLE
        .get_or_init(|| Language::parse("zh-CN", CHINESE).ok())
        .as_ref()
}

/// The language `lang` parsed, for tests that compare the resources.
pub fn language(lang: Lang) -> Option<&'static Language> {
    lang.messages()
}

/// Message `id` in `lang` where it has one, else in English.
fn lookup(lang: Lang, id: &str, args: Option<&Args>) -> Option<String> {
    lang.messages()
        .and_then(|l| l.format(id, args))
        .or_else(|| english().and_then(|l| l.format(id, args)))
}

/// Message `id` in the current language, with `args`.
pub fn text(id: &str, args: Option<&Args>) -> String {
    lookup(current(), id, args).unwrap_or_else(|| id.to_owned())
}

/// The message id of an item's summary (`param` `None`) or of one of its parameter docs:
/// `item-<family>-<name>[-<param>]`, with every character Fluent ids cannot hold (the space
/// of "data set") as `-`.
pub fn item_id(family: &str, name: &str, param: Option<&str>) -> String {
    let mut id = format!("item-{family}-{name}");
    if let Some(p) = param {
        id.push('-');
        id.push_str(p);
    }
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Message `id` in the current language where it has one, else `fallback` (the English): for texts whose
/// English lives with what they describe (an item's summary and parameter docs, which the CLI
/// prints too), so a language translates them by id while the English stays with the item.
pub fn or(id: &str, fallback: &str) -> String {
    current()
        .messages()
        .filter(|l| l.has(id))
        .and_then(|l| l.format(id, None))
        .unwrap_or_else(|| fallback.to_owned())
}

/// `english` (a text that lives in the numerical core: a glyph's legend, a stage of an
/// update, a row of the explain panel) in the current language, by the id `core-<slug>`
/// where the slug is its ASCII letters and digits joined by `-` ("−lr·b (new velocity)" is
/// `core-lr-b-new-velocity`); the English itself where the language has none.
pub fn core_text(english: &str) -> String {
    if current() == Lang::En {
        return english.to_owned();
    }
    or(&core_text_id(english), english)
}

/// The id [`core_text`] looks `english` up by.
pub fn core_text_id(english: &str) -> String {
    let mut id = String::from("core");
    let mut gap = true;
    for c in english.chars() {
        if c.is_ascii_alphanumeric() {
            if gap {
                id.push('-');
            }
            id.push(c.to_ascii_lowercase());
            gap = false;
        } else {
            gap = true;
        }
    }
    id
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

/// For the tests of the errors' `text()`: `text` of `e` is its `Display` in English, and in
/// Chinese something else, written in Chinese.
#[cfg(test)]
pub(crate) fn assert_translated<E: std::fmt::Display>(e: &E, text: impl Fn(&E) -> String) {
    let english = text(e);
    assert_eq!(english, e.to_string(), "the English drifted from Display");
    let chinese = with_language(Lang::ZhCn, || text(e));
    assert_ne!(chinese, english, "not translated: {english}");
    assert!(font::needs_cjk(&chinese), "no Chinese in: {chinese}");
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
