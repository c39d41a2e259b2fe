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
