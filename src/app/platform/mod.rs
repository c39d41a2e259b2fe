//! What differs between the desktop and the browser, behind one small interface: background
//! work (threads there, slices of frames here), files (paths and dialogs there, downloads and
//! the browser's file picker here), the title, full screen and the page's link. The rest of the
//! window is the same code on both; only this module looks at `target_arch`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

pub use web_time::{Duration, Instant};

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

#[cfg(target_arch = "wasm32")]
mod web;
#[cfg(target_arch = "wasm32")]
pub use web::*;

/// Why the desktop or the browser could not do what the window asked; shown in a dialog or
/// a toast, so each says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    /// The native file dialog did not appear (no desktop portal).
    #[error("No file dialog could be opened on this desktop; type the path instead.")]
    NoDialog,
    /// The browser refused to open its file picker.
    #[error("the browser's file picker could not be opened: {0}")]
    Picker(String),
    /// The file manager did not open the folder.
    #[error("cannot open '{}': {reason}", .dir.display())]
    OpenFolder {
        dir: std::path::PathBuf,
        reason: String,
    },
    /// The browser has no folders to show.
    #[error("the browser keeps its downloads itself")]
    NoFolders,
    /// The window could not be opened (no display, no OpenGL).
    #[error("{0}")]
    Window(String),
}

impl PlatformError {
    /// The message in the current language; `Display` stays English for the command line.
    /// The reasons the system or the browser give stay as they word them; `Window` is only
    /// ever printed by the command line, before there is a window.
    pub fn text(&self) -> String {
        match self {
            PlatformError::NoDialog => crate::tr!("error-platform-no-dialog"),
            PlatformError::Picker(reason) => {
                crate::tr!("error-platform-picker", reason = reason.as_str())
            }
            PlatformError::OpenFolder { dir, reason } => crate::tr!(
                "error-platform-open-folder",
                dir = dir.display().to_string(),
                reason = reason.as_str()
            ),
            PlatformError::NoFolders => crate::tr!("error-platform-no-folders"),
            PlatformError::Window(message) => message.clone(),
        }
    }
}

/// Which of the user's folders a file goes to when the scene has none yet: scenes and
/// tables to Documents, pictures to Pictures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    Documents,
    Pictures,
}

/// How far a piece of background work may go before it hands control back: until a deadline
/// (a slice of a browser frame) or to the end (a desktop thread), and not past a cancel.
pub struct Budget {
    until: Option<Instant>,
    cancel: Arc<AtomicBool>,
    progress: Arc<[AtomicUsize; 2]>,
}

impl Budget {
    /// Whether there is time left for another piece.
    pub fn has_time(&self) -> bool {
        !self.cancelled() && self.until.is_none_or(|t| Instant::now() < t)
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Says how many pieces are done, of how many, for the progress bar.
    pub fn report(&self, done: usize, of: usize) {
        self.progress[0].store(done, Ordering::Relaxed);
        self.progress[1].store(of, Ordering::Relaxed);
    }
}

/// What a slice of work returns: not done yet, or its result.
pub enum Step<T> {
    Pending,
    Ready(T),
}

/// The state a [`Task`] shares with its work.
#[derive(Clone, Default)]
struct Shared {
    cancel: Arc<AtomicBool>,
    progress: Arc<[AtomicUsize; 2]>,
}

impl Shared {
    /// Pieces done, of how many (0 until the work knows).
    fn progress(&self) -> (usize, usize) {
        (
            self.progress[0].load(Ordering::Relaxed),
            self.progress[1].load(Ordering::Relaxed),
        )
    }

    fn budget(&self, until: Option<Instant>) -> Budget {
        Budget {
            until,
            cancel: self.cancel.clone(),
            progress: self.progress.clone(),
        }
    }
}

/// How background work ended, as seen by the frame that polls it.
pub enum Outcome<T> {
    /// Still working.
    Running,
    Done(T),
    Cancelled,
    /// The work panicked (a bug): said so instead of hanging.
    Crashed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_error_speaks_the_windows_language_and_keeps_its_english() {
        for e in [
            PlatformError::NoDialog,
            PlatformError::Picker("no file input".into()),
            PlatformError::OpenFolder {
                dir: "/tmp/pictures".into(),
                reason: "no file manager".into(),
            },
            PlatformError::NoFolders,
        ] {
            crate::text::assert_translated(&e, PlatformError::text);
        }
        // Printed by the command line only, before there is a window: eframe's words.
        let window = PlatformError::Window("no display".into());
        assert_eq!(window.text(), window.to_string());
    }
}
