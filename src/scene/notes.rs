//! Colour words in a scene's notes. The window draws a white run black on the light theme's
//! plots and makes yellow olive there, so a note that names those colours writes `{white}` or
//! `{yellow}` and each theme reads the name it draws.

use std::borrow::Cow;

use super::preset::PALETTE;

/// Each palette colour's name on the dark theme and on the light one (the same word where
/// the light theme only deepens the hue).
pub const COLOUR_NAMES: [(&str, &str); PALETTE.len()] = [
    ("white", "black"),
    ("orange", "orange"),
    ("sky blue", "sky blue"),
    ("green", "green"),
    ("yellow", "olive"),
    ("vermillion", "vermillion"),
    ("pink", "pink"),
    ("blue", "blue"),
];

/// Whether the light theme draws a run of this colour black: white and near-white greys,
/// which have no hue to keep (bright colours such as yellow are deepened instead, so a
/// yellow run stays apart from a white one).
pub fn turns_black_on_light(rgb: [u8; 3]) -> bool {
    rgb.iter().all(|&c| c > 200)
}

/// Every colour name of [`COLOUR_NAMES`] and its message.
const COLOUR_IDS: [(&str, &str); 10] = [
    ("white", crate::msg!("colour-white")),
    ("black", crate::msg!("colour-black")),
    ("orange", crate::msg!("colour-orange")),
    ("sky blue", crate::msg!("colour-sky-blue")),
    ("green", crate::msg!("colour-green")),
    ("yellow", crate::msg!("colour-yellow")),
    ("olive", crate::msg!("colour-olive")),
    ("vermillion", crate::msg!("colour-vermillion")),
    ("pink", crate::msg!("colour-pink")),
    ("blue", crate::msg!("colour-blue")),
];

/// A colour's name in the current language.
fn colour_name(english: &str) -> String {
    COLOUR_IDS
        .iter()
        .find(|(name, _)| *name == english)
        .map_or_else(|| english.to_owned(), |(_, id)| crate::text::text(id, None))
}

/// The notes as a theme shows them: every `{name}` of [`COLOUR_NAMES`] becomes that colour's
/// name on the dark theme, and on the light theme both names where they differ
/// ("white/black"), since the heatmap keeps the run's own colour. Other braces stay as typed.
pub fn resolve_colours(text: &str, dark: bool) -> Cow<'_, str> {
    if !text.contains('{') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let named = after.find('}').and_then(|close| {
            let word = &after[..close];
            COLOUR_NAMES
                .iter()
                .find(|(d, _)| *d == word)
                .map(|names| (names, close))
        });
        match named {
            Some(((d, l), close)) => {
                out.push_str(&colour_name(d));
                if !dark && d != l {
                    out.push('/');
                    out.push_str(&colour_name(l));
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_words_read_per_theme_and_other_braces_stay() {
        let text = "Adam ({white}) and SGD ({orange}) at {lr}, {sky blue}; {yellow";
        assert_eq!(
            resolve_colours(text, true),
            "Adam (white) and SGD (orange) at {lr}, sky blue; {yellow"
        );
        assert_eq!(
            resolve_colours(text, false),
            "Adam (white/black) and SGD (orange) at {lr}, sky blue; {yellow"
        );
        assert!(matches!(
            resolve_colours("no braces", false),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn only_white_turns_black() {
        let black: Vec<bool> = PALETTE.iter().map(|c| turns_black_on_light(*c)).collect();
        assert_eq!(
            black,
            [true, false, false, false, false, false, false, false]
        );
    }
}
