//! The fonts behind egui's own (which keeps drawing Latin text), in the window and in the
//! pictures alike, for every character it lacks:
//!
//! - symbols: DejaVu Sans (Bitstream Vera licence, `assets/fonts/DejaVu-LICENSE.txt`), subset
//!   to arrows, mathematical operators, technical symbols, geometric shapes and sub- and
//!   superscripts (∇, ←, ⌊x⌋, ▸, xᵢ), 75 KiB, in every build;
//! - Chinese: Noto Sans CJK SC (SIL Open Font License 1.1, `assets/fonts/NotoSansCJK-OFL.txt`),
//!   subset to CJK punctuation, kana, the 20,992 CJK Unified Ideographs and the full-width
//!   forms, 5.0 MiB. The desktop binary carries it, so Chinese draws offline on a machine
//!   without CJK fonts; the browser fetches the same file only when Chinese is chosen or
//!   appears (`app::platform`), so the wasm stays small; until it arrives, [`cjk`] is `None`.

use std::sync::OnceLock;

/// The file of the font, as the web build serves it beside the wasm.
pub const CJK_FILE: &str = "NotoSansCJKsc-Regular-subset.otf";

static CJK: OnceLock<&'static [u8]> = OnceLock::new();

/// The symbol font's bytes.
#[cfg(feature = "picture")]
pub fn symbols() -> &'static [u8] {
    include_bytes!("../../assets/fonts/DejaVuSans-symbols-subset.ttf")
}

/// The CJK font's bytes, once there are any (always on the desktop).
pub fn cjk() -> Option<&'static [u8]> {
    #[cfg(all(feature = "picture", not(target_arch = "wasm32")))]
    {
        Some(
            *CJK.get_or_init(|| {
                include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular-subset.otf")
            }),
        )
    }
    #[cfg(not(all(feature = "picture", not(target_arch = "wasm32"))))]
    {
        CJK.get().copied()
    }
}

/// Installs the fetched font (the browser's); the first one stays. Leaked on purpose: a font
/// lives as long as the page.
pub fn install_cjk(bytes: Vec<u8>) {
    let _ = CJK.set(Vec::leak(bytes));
}

/// Whether `c` is drawn with the CJK font: ideographs, kana, CJK punctuation and
/// full-width forms, which egui's font lacks.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x30FF | 0x3100..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Whether `text` needs the CJK font.
pub fn needs_cjk(text: &str) -> bool {
    text.chars().any(is_cjk)
}
