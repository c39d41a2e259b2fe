//! A scene as one web page: the one-file app `web/build.sh` writes (`web/dist/optiscope.html`,
//! the wasm and its JS inside it) with a scene put in its scene slot, so a lecturer hands out
//! a file that opens offline, by double click, on that scene.
//!
//! The slot is `<script id="optiscope-scene" type="text/plain">FRAGMENT</script>`; the page's
//! start script opens FRAGMENT (a link's fragment, [`crate::scene::link`]) when the page's own
//! address names no scene. The page's `<title>` becomes the scene's.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::scene::link::{LinkError, Showing, scene_fragment};
use crate::scene::preset::Preset;

/// Where `web/build.sh` writes the one-file app, relative to the project.
pub const BUILT_PAGE: &str = "web/dist/optiscope.html";

const SLOT_OPEN: &str = r#"<script id="optiscope-scene" type="text/plain">"#;
const SLOT_CLOSE: &str = "</script>";

/// Why a page could not be made.
#[derive(Debug, Error)]
pub enum PageError {
    #[error(
        "the one-file app {} is not there: build it with `web/build.sh` (it writes {BUILT_PAGE}), or name it with --page FILE",
        .0.display()
    )]
    Missing(PathBuf),
    #[error("cannot read the one-file app {}: {error}", path.display())]
    Read { path: PathBuf, error: String },
    #[error(
        "{} is not optiscope's one-file app: it has no scene slot (<script id=\"optiscope-scene\">); rebuild it with `web/build.sh`",
        .0
    )]
    NoSlot(String),
    #[error(transparent)]
    Link(#[from] LinkError),
}

impl PageError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            PageError::Missing(path) => crate::tr!(
                "error-page-missing",
                path = path.display().to_string(),
                built = BUILT_PAGE
            ),
            PageError::Read { path, error } => crate::tr!(
                "error-page-read",
                path = path.display().to_string(),
                error = error.as_str()
            ),
            PageError::NoSlot(name) => crate::tr!("error-page-no-slot", name = name.as_str()),
            PageError::Link(e) => e.text(),
        }
    }
}

/// The built one-file app: `explicit` when given, else the first of `web/dist/optiscope.html`
/// under the working directory and beside the running program (and its parents, for a
/// binary in `target/release`).
pub fn find_built_page(explicit: Option<&Path>) -> Result<PathBuf, PageError> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path.to_owned())
        } else {
            Err(PageError::Missing(path.to_owned()))
        };
    }
    let mut places = vec![PathBuf::from(BUILT_PAGE)];
    if let Ok(exe) = std::env::current_exe() {
        places.extend(
            exe.ancestors()
                .skip(1)
                .take(4)
                .flat_map(|dir| [dir.join("optiscope.html"), dir.join(BUILT_PAGE)]),
        );
    }
    places
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| PageError::Missing(PathBuf::from(BUILT_PAGE)))
}

/// Reads the one-file app at `path` as a template.
pub fn read_template(path: &Path) -> Result<String, PageError> {
    std::fs::read_to_string(path).map_err(|e| PageError::Read {
        path: path.to_owned(),
        error: e.to_string(),
    })
}

/// `template` (the one-file app, named `name` in messages) opening on `preset`, shown as
/// `show` asks.
pub fn scene_page(
    template: &str,
    name: &str,
    preset: &Preset,
    show: Showing,
) -> Result<String, PageError> {
    let fragment = scene_fragment(preset, show)?;
    let start = template
        .find(SLOT_OPEN)
        .ok_or_else(|| PageError::NoSlot(name.to_owned()))?
        + SLOT_OPEN.len();
    let end = start
        + template[start..]
            .find(SLOT_CLOSE)
            .ok_or_else(|| PageError::NoSlot(name.to_owned()))?;
    let mut page = String::with_capacity(template.len() + fragment.len() + 256);
    page.push_str(&template[..start]);
    page.push_str(&fragment);
    page.push_str(&template[end..]);
    let title = preset.title_in(show.lang.unwrap_or_default()).trim();
    if !title.is_empty() {
        page = with_title(page, &format!("{} — optiscope", escape_html(title)));
    }
    Ok(page)
}

/// `page` with its first `<title>` replaced (the tab's name before the app starts).
fn with_title(page: String, title: &str) -> String {
    let Some(open) = page.find("<title>") else {
        return page;
    };
    let Some(len) = page[open..].find("</title>") else {
        return page;
    };
    format!(
        "{}<title>{title}</title>{}",
        &page[..open],
        &page[open + len + "</title>".len()..]
    )
}

/// An `<iframe>` showing `url` (a scene link with `embed=1`, or a page file's name with
/// `#embed=1`) in a course page or a slide, titled `title` for screen readers.
pub fn embed_code(url: &str, title: &str) -> String {
    format!(
        r#"<iframe src="{}" title="{}" width="640" height="400" style="border:0" loading="lazy" allowfullscreen></iframe>"#,
        escape_html(url),
        escape_html(title.trim())
    )
}

/// `text` safe inside HTML: `&`, `<`, `>` and quotes escaped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::link::parse_link;
    use crate::scene::preset::BUILTIN_PRESETS;

    const TEMPLATE: &str = "<!DOCTYPE html><html><head><title>optiscope</title></head><body>\
        <script id=\"optiscope-scene\" type=\"text/plain\"></script><script>start()</script></body></html>";

    #[test]
    fn the_page_carries_the_scene_and_its_title() {
        let mut preset = BUILTIN_PRESETS[0].load().expect("a built-in");
        preset.title = "Steps <b> & \"ravines\"".into();
        let show = Showing {
            embed: true,
            ..Showing::default()
        };
        let page = scene_page(TEMPLATE, "t.html", &preset, show).expect("a page");
        let slot = page
            .split(SLOT_OPEN)
            .nth(1)
            .expect("slot")
            .split(SLOT_CLOSE)
            .next();
        let link = parse_link(slot.expect("fragment")).expect("the slot holds a link");
        assert_eq!(link.preset, preset);
        assert!(link.show.embed && !link.show.lock);
        assert!(
            page.contains("<title>Steps &lt;b&gt; &amp; &quot;ravines&quot; — optiscope</title>")
        );
        assert!(page.ends_with("<script>start()</script></body></html>"));
        // A page made from a page replaces the scene, not adds one.
        let again = scene_page(&page, "p.html", &preset, Showing::default()).expect("again");
        assert_eq!(again.matches(SLOT_OPEN).count(), 1);
        assert!(!again.contains("embed=1"));
    }

    #[test]
    fn a_file_without_a_slot_is_named() {
        let preset = BUILTIN_PRESETS[0].load().expect("a built-in");
        let e = scene_page("<html></html>", "notes.html", &preset, Showing::default())
            .expect_err("no slot");
        assert!(
            e.to_string()
                .contains("notes.html is not optiscope's one-file app")
        );
        let missing =
            find_built_page(Some(Path::new("/nonexistent/optiscope.html"))).expect_err("missing");
        assert!(missing.to_string().contains("web/build.sh"), "{missing}");
    }

    #[test]
    fn the_embed_code_is_an_iframe_whose_src_is_the_link() {
        let preset = BUILTIN_PRESETS[1].load().expect("a built-in");
        let show = Showing {
            embed: true,
            lang: Some(crate::text::Lang::ZhCn),
            ..Showing::default()
        };
        let url = crate::scene::link::scene_link("https://example.org/o/", &preset, show)
            .expect("a link");
        let code = embed_code(&url, " Steps <b> ");
        assert!(code.starts_with(r#"<iframe src="https://example.org/o/#scene=1."#));
        // In an attribute, the link's & is written &amp;, which the browser reads back as &.
        assert!(code.contains("&amp;embed=1&amp;lang=zh-CN\""));
        assert!(code.contains(r#"title="Steps &lt;b&gt;""#));
        let src = code.split('"').nth(1).expect("src").replace("&amp;", "&");
        assert_eq!(src, url);
    }
}
