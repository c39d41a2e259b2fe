//! A course page of the lecture library (`optiscope gallery`): one card per built-in scene,
//! grouped by topic in slide order, each with its picture, title, the first sentence of its
//! notes and a link that opens it in the one-file app beside the page (or on a hosted build).
//! Static files, ready to publish as they are (GitHub Pages, a course server, a USB stick).

use crate::scene::link::{LinkError, Showing, scene_fragment};
use crate::scene::page::escape_html;
use crate::scene::preset::Preset;
use crate::text::Lang;

/// The one-file app's name beside the gallery's page.
pub const APP_FILE: &str = "optiscope.html";

/// A topic's name and its scenes' cards, in slide order.
pub type Section = (String, Vec<Card>);

/// One scene's card.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub title: String,
    /// The first sentence of the scene's notes.
    pub summary: String,
    /// Where the card's link goes: the app with the scene in its address.
    pub href: String,
    /// The picture, relative to the page.
    pub picture: String,
    /// The picture's size in pixels (so the page does not jump while it loads).
    pub size: (u32, u32),
}

impl Card {
    /// The card of `preset` in `lang`, opening on `base` (a hosted build's address) or else
    /// the one-file app beside the page.
    pub fn new(
        preset: &Preset,
        lang: Lang,
        base: Option<&str>,
        picture: String,
        size: (u32, u32),
    ) -> Result<Self, LinkError> {
        let show = Showing {
            lang: (lang != Lang::En).then_some(lang),
            ..Showing::default()
        };
        let base = base.map_or(APP_FILE, |b| b.split('#').next().unwrap_or(b));
        Ok(Self {
            title: preset.title_in(lang).trim().to_owned(),
            summary: first_sentence(preset.description_in(lang)),
            href: format!("{base}#{}", scene_fragment(preset, show)?),
            picture,
            size,
        })
    }
}

/// The first sentence of `notes` (up to its first full stop, in English or Chinese, or its
/// first line break), at most 220 characters.
pub fn first_sentence(notes: &str) -> String {
    let text = notes.trim();
    let mut end = text.len();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ends = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => next.is_none_or(char::is_whitespace),
            '\n' => true,
            _ => false,
        };
        if ends {
            end = if c == '\n' { i } else { i + c.len_utf8() };
            break;
        }
    }
    let sentence = text[..end].trim();
    if sentence.chars().count() <= 220 {
        return sentence.to_owned();
    }
    let cut: String = sentence.chars().take(219).collect();
    format!("{}…", cut.trim_end())
}

/// The page: a heading, a line on how to use it, a link to the app, then one section per
/// topic with its cards, in the interface's language (`crate::text::current`).
pub fn gallery_html(sections: &[Section], lang: Lang) -> String {
    use std::fmt::Write;
    let mut html = String::with_capacity(16 * 1024);
    let _ = write!(
        html,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  :root {{ color-scheme: light dark; --card: #ffffff; --ink: #1d1d1f; --weak: #5b5b63; --line: #d8d8de; --bg: #f4f4f6; }}
  @media (prefers-color-scheme: dark) {{ :root {{ --card: #23232a; --ink: #ececf0; --weak: #a8a8b3; --line: #3a3a44; --bg: #17171c; }} }}
  body {{ margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; background: var(--bg); color: var(--ink); }}
  header, main {{ max-width: 1180px; margin: 0 auto; padding: 0 20px; }}
  header {{ padding-top: 28px; }}
  h1 {{ margin: 0 0 6px; font-size: 30px; }}
  header p {{ margin: 4px 0; color: var(--weak); }}
  a.app {{ display: inline-block; margin: 12px 0 4px; padding: 8px 16px; border-radius: 8px; background: #0072b2; color: #fff; text-decoration: none; font-weight: 600; }}
  h2 {{ margin: 34px 0 12px; font-size: 21px; }}
  .cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }}
  a.card {{ display: flex; flex-direction: column; background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; color: inherit; text-decoration: none; }}
  a.card:hover, a.card:focus {{ border-color: #0072b2; outline: none; box-shadow: 0 0 0 2px #0072b266; }}
  a.card img {{ width: 100%; height: auto; display: block; background: #888; }}
  a.card h3 {{ margin: 10px 14px 4px; font-size: 17px; }}
  a.card p {{ margin: 0 14px 14px; color: var(--weak); font-size: 14px; }}
  footer {{ max-width: 1180px; margin: 40px auto 30px; padding: 0 20px; color: var(--weak); font-size: 13px; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p>{intro}</p>
<a class="app" href="{app}">{open_app}</a>
</header>
<main>
"#,
        lang = lang.tag(),
        title = escape_html(&crate::tr!("gallery-title")),
        intro = escape_html(&crate::tr!("gallery-intro")),
        app = APP_FILE,
        open_app = escape_html(&crate::tr!("gallery-open-app")),
    );
    for (topic, cards) in sections {
        let _ = writeln!(
            html,
            "<section>\n<h2>{}</h2>\n<div class=\"cards\">",
            escape_html(topic)
        );
        for card in cards {
            let _ = writeln!(
                html,
                r#"<a class="card" href="{href}"><img src="{src}" width="{w}" height="{h}" alt="{title}" loading="lazy"><h3>{title}</h3><p>{summary}</p></a>"#,
                href = escape_html(&card.href),
                src = escape_html(&card.picture),
                w = card.size.0,
                h = card.size.1,
                title = escape_html(&card.title),
                summary = escape_html(&card.summary),
            );
        }
        html.push_str("</div>\n</section>\n");
    }
    let _ = write!(
        html,
        "</main>\n<footer>{}</footer>\n</body>\n</html>\n",
        escape_html(&crate::tr!("gallery-footer"))
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::link::parse_link;
    use crate::scene::preset::BUILTIN_PRESETS;

    #[test]
    fn the_first_sentence_ends_at_the_first_full_stop() {
        assert_eq!(
            first_sentence("Drag the rate above 2/λ. Watch it oscillate."),
            "Drag the rate above 2/λ."
        );
        // A decimal point is not the end of a sentence.
        assert_eq!(
            first_sentence("At lr 0.5 it converges. Then not."),
            "At lr 0.5 it converges."
        );
        assert_eq!(
            first_sentence("把学习率拖到 2/λ 以上。观察振荡和发散。"),
            "把学习率拖到 2/λ 以上。"
        );
        assert_eq!(first_sentence("First line\nsecond line."), "First line");
        assert_eq!(first_sentence("  no stop at all  "), "no stop at all");
        let long = "word ".repeat(100);
        let cut = first_sentence(&long);
        assert_eq!(cut.chars().count(), 220, "{cut}");
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn a_card_links_to_its_scene_and_the_page_escapes_its_text() {
        let mut preset = BUILTIN_PRESETS[1].load().expect("a built-in");
        preset.title = "GD <above> 2/λ & \"more\"".into();
        // A scene written in one language shows that text in the other too.
        preset.text.clear();
        let card = Card::new(
            &preset,
            Lang::ZhCn,
            None,
            "pictures/02.png".into(),
            (480, 300),
        )
        .expect("a card");
        assert!(card.href.starts_with("optiscope.html#scene=1."));
        let link = parse_link(&card.href).expect("the card's link is a scene link");
        assert_eq!(link.preset, preset);
        assert_eq!(
            link.show.lang,
            Some(Lang::ZhCn),
            "a Chinese gallery opens in Chinese"
        );
        let hosted = Card::new(
            &preset,
            Lang::En,
            Some("https://example.org/optiscope/#old"),
            "p.png".into(),
            (480, 300),
        )
        .expect("a card");
        assert!(
            hosted
                .href
                .starts_with("https://example.org/optiscope/#scene=1.")
        );
        assert_eq!(parse_link(&hosted.href).expect("a link").show.lang, None);

        let html = gallery_html(&[("Topic & more".into(), vec![card])], Lang::En);
        assert!(html.contains("<h2>Topic &amp; more</h2>"));
        assert!(html.contains("GD &lt;above&gt; 2/λ &amp; &quot;more&quot;"));
        assert!(!html.contains("<above>"));
        assert_eq!(html.matches("<a class=\"card\"").count(), 1);
        assert!(html.contains(r#"width="480" height="300""#));
    }
}
