//! Scenes as links: a whole preset (animation position included) in the fragment of a URL, so
//! a scene can be sent in a chat or put on a slide and opened with nothing to install.
//!
//! The fragment is `scene=V.DATA[&lock=1][&embed=1][&lang=zh-CN]`: `V` is the link format's
//! version ([`LINK_VERSION`]), `DATA` the preset's RON text (itself versioned like any preset
//! file), deflated and base64url-encoded without padding. `lock=1` asks the app to open with the
//! controls folded away, for a projected slide; `embed=1` to show only the surface, the LR plot
//! and a compact bar, for a frame in a slide or a course page; `lang=` the interface's language,
//! so a lecturer hands a class a link in its language. The fragment never reaches a server.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use thiserror::Error;

use crate::scene::preset::{Preset, PresetError, parse_preset, to_ron};
use crate::text::Lang;

/// The version of the link format this build writes and reads.
pub const LINK_VERSION: u32 = 1;

/// Where the web app is served when nothing else is said: the address `web/serve.sh` serves
/// the build on. `optiscope share --base URL` and the window's setting point elsewhere.
pub const DEFAULT_BASE: &str = "http://localhost:8080/";

/// The longest preset text a link may unpack to: far above any real scene, it stops a crafted
/// link from inflating to gigabytes.
const MAX_SCENE_BYTES: usize = 1 << 20;

pub use crate::scene::preset::LINK_ORIGIN;

/// What a link holds: the scene, and how to show it.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneLink {
    pub preset: Preset,
    pub show: Showing,
}

/// How a link asks the app to show its scene, beside the scene itself.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Showing {
    /// Controls folded away, for a projected slide.
    pub lock: bool,
    /// Only the surface, the LR plot and a compact bar, for a frame in a slide or page (read
    /// and written; the window does not act on it yet).
    pub embed: bool,
    /// The interface language the link asks for; a tag we do not have is ignored (the scene
    /// still opens).
    pub lang: Option<Lang>,
}

/// Why a link could not be opened; every message says what is wrong with the link.
#[derive(Debug, Error)]
pub enum LinkError {
    #[error("this is not an optiscope scene link: its fragment (after '#') has no 'scene=' part")]
    Foreign,
    #[error(
        "the scene link is incomplete: 'scene=' must be followed by a version and the data, as in 'scene=1.…'"
    )]
    NoVersion,
    #[error(
        "the scene link was made by another optiscope: link format {found}, this one reads format {LINK_VERSION}"
    )]
    Version { found: String },
    #[error("the scene link is damaged: {0} (was it cut off when it was copied?)")]
    Damaged(Damage),
    #[error("the scene in the link is not valid: {0}")]
    Preset(#[from] PresetError),
    /// ron could not write the scene (its message).
    #[error("the scene cannot be written as a link: {0}")]
    Encode(String),
}

impl LinkError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            LinkError::Foreign => crate::tr!("error-link-foreign"),
            LinkError::NoVersion => crate::tr!("error-link-no-version"),
            LinkError::Version { found } => crate::tr!(
                "error-link-version",
                found = found.as_str(),
                version = LINK_VERSION.to_string()
            ),
            LinkError::Damaged(damage) => {
                crate::tr!("error-link-damaged", damage = damage.text())
            }
            LinkError::Preset(e) => crate::tr!("error-link-preset", error = e.text()),
            LinkError::Encode(message) => {
                crate::tr!("error-link-encode", message = message.as_str())
            }
        }
    }
}

/// What is wrong with a link's data.
#[derive(Debug, Error)]
pub enum Damage {
    /// A character base64url has no place for (counted from 1, escaped for the message).
    #[error("character {at} of the data, '{byte}', cannot be part of a link")]
    BadCharacter { at: usize, byte: String },
    /// The base64 decoder's own reason.
    #[error("{0}")]
    Base64(String),
    #[error("it unpacks to more than {0} MB")]
    TooLarge(usize),
    #[error("its data does not unpack")]
    NoUnpack,
    #[error("its data is not text")]
    NotText,
}

impl Damage {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            Damage::BadCharacter { at, byte } => {
                crate::tr!("error-link-bad-character", at = *at, byte = byte.as_str())
            }
            Damage::Base64(message) => message.clone(),
            Damage::TooLarge(mb) => crate::tr!("error-link-too-large", mb = *mb),
            Damage::NoUnpack => crate::tr!("error-link-no-unpack"),
            Damage::NotText => crate::tr!("error-link-not-text"),
        }
    }
}

/// The fragment (without `#`) that holds `preset`.
pub fn scene_fragment(preset: &Preset, show: Showing) -> Result<String, LinkError> {
    let text = to_ron(preset).map_err(|e| LinkError::Encode(e.to_string()))?;
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    let mut fragment = format!("scene={LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed));
    if show.lock {
        fragment.push_str("&lock=1");
    }
    if show.embed {
        fragment.push_str("&embed=1");
    }
    if let Some(lang) = show.lang {
        fragment.push_str("&lang=");
        fragment.push_str(lang.tag());
    }
    Ok(fragment)
}

/// The link to `preset` on the web app at `base` (any fragment of `base` is replaced).
pub fn scene_link(base: &str, preset: &Preset, show: Showing) -> Result<String, LinkError> {
    let base = base.split('#').next().unwrap_or(base);
    Ok(format!("{base}#{}", scene_fragment(preset, show)?))
}

/// Reads a link: a whole URL, a fragment with or without its `#`, or `scene=…` alone.
/// Surrounding whitespace (a pasted line) is ignored.
pub fn parse_link(text: &str) -> Result<SceneLink, LinkError> {
    let text = text.trim();
    let fragment = match text.split_once('#') {
        Some((_, fragment)) => fragment,
        None => text,
    };
    let mut data = None;
    let mut show = Showing::default();
    let yes = |value| matches!(value, "1" | "true" | "yes");
    for part in fragment.split('&') {
        match part.split_once('=') {
            Some(("scene", value)) => data = Some(value),
            Some(("lock", value)) => show.lock = yes(value),
            Some(("embed", value)) => show.embed = yes(value),
            Some(("lang", value)) => show.lang = Lang::from_tag(value),
            _ => {}
        }
    }
    let data = data.ok_or(LinkError::Foreign)?;
    let (version, payload) = data.split_once('.').ok_or(LinkError::NoVersion)?;
    if version != LINK_VERSION.to_string() {
        return Err(LinkError::Version {
            found: version.chars().take(12).collect(),
        });
    }
    // A link pasted from a chat may have been wrapped or had its end percent-encoded.
    let payload: String = payload
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches("%3D")
        .trim_end_matches('=')
        .to_owned();
    let packed = URL_SAFE_NO_PAD.decode(payload.as_bytes()).map_err(|e| {
        LinkError::Damaged(match e {
            base64::DecodeError::InvalidByte(at, byte) => Damage::BadCharacter {
                at: at + 1,
                byte: char::from(byte).escape_default().to_string(),
            },
            other => Damage::Base64(other.to_string()),
        })
    })?;
    let text = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_SCENE_BYTES)
        .map_err(|e| {
            LinkError::Damaged(match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                    Damage::TooLarge(MAX_SCENE_BYTES >> 20)
                }
                _ => Damage::NoUnpack,
            })
        })?;
    let text = String::from_utf8(text).map_err(|_| LinkError::Damaged(Damage::NotText))?;
    let preset = parse_preset(&text, LINK_ORIGIN)?;
    Ok(SceneLink { preset, show })
}

/// Whether `text` looks like a scene link rather than a file path (for a command line that
/// takes either).
pub fn looks_like_link(text: &str) -> bool {
    let text = text.trim();
    text.contains("#scene=")
        || text.starts_with("scene=")
        || text.starts_with("http://")
        || text.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::preset::BUILTIN_PRESETS;

    #[test]
    fn every_builtin_scene_survives_a_link() {
        for builtin in BUILTIN_PRESETS {
            let preset = builtin.load().expect("built-in");
            let link =
                scene_link("https://example.org/app/", &preset, Showing::default()).expect("link");
            assert!(link.starts_with("https://example.org/app/#scene=1."));
            let back = parse_link(&link).expect("parses");
            assert_eq!(back.preset, preset, "{}", builtin.file);
            assert!(!back.show.lock);
        }
    }

    #[test]
    fn a_damaged_link_says_what_is_wrong() {
        let preset = BUILTIN_PRESETS[0].load().expect("built-in");
        let link = scene_link(
            DEFAULT_BASE,
            &preset,
            Showing {
                lock: true,
                ..Showing::default()
            },
        )
        .expect("link");
        assert!(parse_link(&link).expect("whole").show.lock);
        let cut = &link[..link.len() - 40];
        assert!(matches!(parse_link(cut), Err(LinkError::Damaged(_))));
        let bad = link.replacen("scene=1.", "scene=1.*", 1);
        let message = parse_link(&bad).expect_err("bad byte").to_string();
        assert!(message.contains("character 1"), "{message}");
        assert!(matches!(
            parse_link("https://example.org/#section-2"),
            Err(LinkError::Foreign)
        ));
        assert!(matches!(
            parse_link("scene=7.abc"),
            Err(LinkError::Version { .. })
        ));
        assert!(matches!(
            parse_link("#scene=abc"),
            Err(LinkError::NoVersion)
        ));
    }

    #[test]
    fn a_link_to_text_that_is_no_preset_names_the_link() {
        let packed = miniz_oxide::deflate::compress_to_vec(b"(version: 1, surface: 3)", 6);
        let link = format!("#scene=1.{}", URL_SAFE_NO_PAD.encode(packed));
        let message = parse_link(&link).expect_err("not a preset").to_string();
        assert!(message.contains("the link"), "{message}");
    }

    #[test]
    fn a_link_that_inflates_without_bound_is_refused() {
        let bomb = vec![b' '; MAX_SCENE_BYTES + 10];
        let packed = miniz_oxide::deflate::compress_to_vec(&bomb, 9);
        let link = format!("scene=1.{}", URL_SAFE_NO_PAD.encode(packed));
        let message = parse_link(&link).expect_err("too large").to_string();
        assert!(message.contains("more than 1 MB"), "{message}");
    }

    #[test]
    fn every_link_error_speaks_the_windows_language_and_keeps_its_english() {
        use crate::text::{Lang, assert_translated, with_language};
        let preset = BUILTIN_PRESETS[0].load().expect("built-in");
        let link = scene_link(DEFAULT_BASE, &preset, Showing::default()).expect("link");
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_SCENE_BYTES + 10], 9);
        let not_text = miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 6);
        let no_preset = miniz_oxide::deflate::compress_to_vec(b"(version: 1, surface: 3)", 6);
        let made: Vec<LinkError> = [
            "https://example.org/#section-2".to_owned(),
            "#scene=abc".to_owned(),
            "scene=7.abc".to_owned(),
            link.replacen("scene=1.", "scene=1.*", 1),
            link[..link.len() - 40].to_owned(),
            format!("scene=1.{}", URL_SAFE_NO_PAD.encode(bomb)),
            format!("scene=1.{}", URL_SAFE_NO_PAD.encode(not_text)),
            format!("scene=1.{}", URL_SAFE_NO_PAD.encode(no_preset)),
        ]
        .iter()
        .map(|text| parse_link(text).expect_err(text))
        .collect();
        for e in made
            .iter()
            .chain([&LinkError::Encode("a ron error".into())])
        {
            assert_translated(e, LinkError::text);
        }
        for damage in [
            Damage::BadCharacter {
                at: 3,
                byte: "*".into(),
            },
            Damage::TooLarge(1),
            Damage::NoUnpack,
            Damage::NotText,
        ] {
            assert_translated(&damage, Damage::text);
        }
        // base64's own reason stays as it words it, inside our Chinese.
        let base64 = LinkError::Damaged(Damage::Base64("Invalid last symbol 66, offset 3.".into()));
        assert_translated(&base64, LinkError::text);
        // A scene from a link names the link in the window's words.
        let shown = with_language(Lang::ZhCn, || made[7].text());
        assert!(shown.starts_with("链接中的场景无效：链接:1:"), "{shown}");
    }
}
