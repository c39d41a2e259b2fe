//! The desktop: threads, the file system with native dialogs, and the window manager.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use super::{Budget, Duration, Folder, Instant, Outcome, PlatformError, Shared, Step};
use crate::picture::export::ExportKind;
use crate::scene::preset::{WriteError, write_atomically};

/// Files have paths: Recent files, Save to the file a scene came from, a path field.
pub const HAS_FILE_SYSTEM: bool = true;

/// File ▸ Quit closes the window.
pub const CAN_QUIT: bool = true;

/// How often the scene and settings are saved for the next session (and when the window
/// closes).
pub const AUTO_SAVE: Duration = Duration::from_secs(30);

/// Native code is compiled ahead of time: no first call costs more than the next.
pub const COMPILES_LAZILY: bool = false;

/// How often a frame looks at background work: the work runs on its own thread meanwhile.
pub const REPOLL: Duration = Duration::from_millis(50);

/// Threads for work that can be split (sweeps, GIF frames).
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Background work on a thread of its own; the window polls it once per frame.
pub struct Task<T> {
    shared: Shared,
    handle: Option<JoinHandle<Option<T>>>,
}

impl<T: Send + 'static> Task<T> {
    /// Runs `work` on a thread, with no deadline: it returns `Pending` only when cancelled
    /// or to report progress between pieces.
    pub fn start(mut work: impl FnMut(&Budget) -> Step<T> + Send + 'static) -> Self {
        let shared = Shared::default();
        let budget = shared.budget(None);
        let handle = std::thread::spawn(move || {
            loop {
                match work(&budget) {
                    Step::Ready(t) => return Some(t),
                    Step::Pending if budget.cancelled() => return None,
                    Step::Pending => {}
                }
            }
        });
        Self {
            shared,
            handle: Some(handle),
        }
    }

    /// Pieces done, of how many (0 until the work knows).
    pub fn progress(&self) -> (usize, usize) {
        self.shared.progress()
    }

    /// The result once the thread has finished.
    pub fn poll(&mut self) -> Outcome<T> {
        match &self.handle {
            Some(h) if !h.is_finished() => Outcome::Running,
            _ => self.join(),
        }
    }

    /// Blocks until the work is done (tests, and before closing).
    pub fn wait(&mut self) -> Outcome<T> {
        self.join()
    }

    /// Asks the work to stop and waits for it to.
    pub fn cancel(&mut self) {
        self.shared
            .cancel
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = self.join();
    }

    /// Asks the work to stop and lets it finish on its own, without waiting: for work that is
    /// replaced every frame (a network retrained while a slider is dragged), whose current
    /// piece should not hold up the frame.
    pub fn abandon(self) {
        self.shared
            .cancel
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    fn join(&mut self) -> Outcome<T> {
        match self.handle.take().map(JoinHandle::join) {
            Some(Ok(Some(t))) => Outcome::Done(t),
            Some(Ok(None)) | None => Outcome::Cancelled,
            Some(Err(_)) => Outcome::Crashed,
        }
    }
}

/// A native dialog that returns this fast was never shown (no desktop portal): fall back to
/// a path field instead of silently doing nothing.
const DIALOG_FAILED_WITHIN: Duration = Duration::from_millis(250);

/// The native open dialog: `Ok(Some(path))` when one was picked, `Err` with a note when no
/// dialog could be shown.
pub fn pick_open(
    _ctx: &egui::Context,
    start_dir: Option<&Path>,
) -> Result<Option<PathBuf>, PlatformError> {
    let (title, filter) = (
        crate::tr!("files-open-preset"),
        crate::tr!("files-preset-filter"),
    );
    native_dialog(&title, start_dir, (&filter, "ron"), |d| d.pick_file())
}

/// The native save dialog; `Err` with a note when none could be shown.
pub fn pick_save(
    start_dir: Option<&Path>,
    file_name: &str,
) -> Result<Option<PathBuf>, PlatformError> {
    let (title, filter) = (
        crate::tr!("files-save-preset"),
        crate::tr!("files-preset-filter"),
    );
    native_dialog(&title, start_dir, (&filter, "ron"), |d| {
        d.set_file_name(file_name).save_file()
    })
}

/// The native save dialog for an export.
pub fn pick_export(
    start_dir: Option<&Path>,
    kind: ExportKind,
    file_name: &str,
) -> Result<Option<PathBuf>, PlatformError> {
    let title = crate::tr!("files-export-kind", kind = kind.describe());
    native_dialog(
        &title,
        start_dir,
        (&kind.describe(), kind.extension()),
        |d| d.set_file_name(file_name).save_file(),
    )
}

/// The native save dialog for a scene as a web page (File ▸ Save as web page).
pub fn pick_page(
    start_dir: Option<&Path>,
    file_name: &str,
) -> Result<Option<PathBuf>, PlatformError> {
    let (title, filter) = (
        crate::tr!("files-save-page"),
        crate::tr!("files-page-filter"),
    );
    native_dialog(&title, start_dir, (&filter, "html"), |d| {
        d.set_file_name(file_name).save_file()
    })
}

/// Shows a native dialog; a `None` that comes back faster than a person can cancel means no
/// dialog could be shown.
fn native_dialog(
    title: &str,
    start_dir: Option<&Path>,
    (filter, extension): (&str, &str),
    show: impl FnOnce(rfd::FileDialog) -> Option<PathBuf>,
) -> Result<Option<PathBuf>, PlatformError> {
    let started = Instant::now();
    let mut dialog = rfd::FileDialog::new()
        .set_title(title)
        .add_filter(filter, &[extension]);
    if let Some(dir) = start_dir {
        dialog = dialog.set_directory(dir);
    }
    match show(dialog) {
        Some(path) => Ok(Some(path)),
        None if started.elapsed() < DIALOG_FAILED_WITHIN => Err(PlatformError::NoDialog),
        None => Ok(None),
    }
}

/// The preset file dropped onto the window, to open.
pub fn dropped_file(ctx: &egui::Context) -> Option<PathBuf> {
    ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()))
}

/// A file the browser's picker delivered; the desktop's dialogs return paths instead.
pub fn take_picked_file() -> Option<(String, Vec<u8>)> {
    None
}

/// Writes `bytes` to `path` atomically; returns where it went, as an absolute path, for the
/// message (a bare name would not say which folder it landed in).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<String, WriteError> {
    write_atomically(path, bytes)?;
    Ok(absolute(path).display().to_string())
}

/// `path` from the root, for messages and the path field; as it is if that cannot be found.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Where a new file goes when the scene has no file yet: the user's Documents or Pictures
/// folder as the platform names it (XDG user dirs, `~/Documents`, Known Folders), else the
/// home folder, else the working directory; always absolute.
pub fn default_dir(folder: Folder) -> Option<PathBuf> {
    let user = directories::UserDirs::new();
    let named = user.as_ref().and_then(|u| match folder {
        Folder::Documents => u.document_dir(),
        Folder::Pictures => u.picture_dir(),
    });
    named
        .filter(|d| d.is_dir())
        .map(Path::to_path_buf)
        .or_else(|| user.as_ref().map(|u| u.home_dir().to_path_buf()))
        .or_else(|| std::env::current_dir().ok())
        .map(|d| absolute(&d))
}

/// Whether the window can open a folder in the desktop's file manager.
pub const CAN_OPEN_FOLDER: bool = true;

/// Opens `dir` in the desktop's file manager (xdg-open, open, explorer).
pub fn open_folder(dir: &Path) -> Result<(), PlatformError> {
    opener::open(dir).map_err(|e| PlatformError::OpenFolder {
        dir: dir.to_path_buf(),
        reason: e.to_string(),
    })
}

/// The window's title bar.
pub fn set_title(ctx: &egui::Context, title: &str) {
    ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.to_owned()));
}

/// Full screen for lecture mode.
pub fn set_fullscreen(ctx: &egui::Context, on: bool) {
    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(on));
}

/// The address the app itself was opened at, for links to scenes; the desktop has none and
/// links point at the web app's usual address.
pub fn page_address() -> Option<String> {
    None
}

/// A scene link that arrived since the last frame (the browser's address bar); the desktop
/// gets links from the command line and File ▸ Open link.
pub fn take_new_link() -> Option<String> {
    None
}

/// The window shows its frame time itself (Analyze ▸ Show frame time).
pub fn report_frame_time(_median_ms: Option<f64>, _this_frame_ms: f64) {}

/// Tells assistive technology (and the browser tests) what the app just did; the desktop's
/// toasts say it on screen.
pub fn announce(_text: &str) {}

/// Opens the window, then `initial` (a preset file or a link from the command line). Uses the
/// glow (OpenGL) renderer: it runs on a GPU and equally on software OpenGL (Mesa llvmpipe under
/// Xvfb, VMs, remote desktops) at interactive frame rates, where wgpu falls back to a much
/// slower path.
/// `lang` (from `--lang`) replaces the remembered language.
pub fn run_native(
    initial: Option<crate::app::FileCommand>,
    lang: Option<crate::text::Lang>,
) -> Result<(), PlatformError> {
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("optiscope")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        "optiscope",
        options,
        Box::new(move |cc| {
            let mut app = crate::app::OptiscopeApp::from_creation_context(cc);
            if lang.is_some() {
                app.state.language = lang;
            }
            if let Some(command) = initial {
                app.open_at_start(&cc.egui_ctx, command);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| PlatformError::Window(e.to_string()))
}

/// The desktop binary carries the Chinese font ([`crate::text::font::cjk`]): nothing to fetch.
pub fn fetch_cjk_font(_ctx: &egui::Context) {}

/// Whether the window opens as an embed before any link is read: never on the desktop, which
/// gets an embed only from a link on the command line (applied as that link opens).
pub fn opened_embedded() -> bool {
    false
}

thread_local! {
    /// The one-file app asked for by [`request_built_page`], waiting for the next frame.
    static BUILT_PAGE: std::cell::RefCell<Option<Result<String, String>>> =
        const { std::cell::RefCell::new(None) };
}

/// Reads the one-file app (`explicit`, else `web/dist/optiscope.html` as
/// [`crate::scene::page::find_built_page`] looks for it), the template of File ▸ Save as web
/// page; [`take_built_page`] hands it over, as in the browser where it arrives later.
pub fn request_built_page(_ctx: &egui::Context, explicit: Option<&Path>) {
    use crate::scene::page::{find_built_page, read_template};
    let read = find_built_page(explicit)
        .and_then(|path| read_template(&path))
        .map_err(|e| e.text());
    BUILT_PAGE.with(|b| *b.borrow_mut() = Some(read));
}

/// The one-file app asked for, once it is there (or why it is not).
pub fn take_built_page() -> Option<Result<String, String>> {
    BUILT_PAGE.with(|b| b.borrow_mut().take())
}

/// Why File ▸ Save as web page cannot work here (the one-file app is not built), for the
/// disabled menu entry; `None` when it can.
pub fn page_unavailable(explicit: Option<&Path>) -> Option<String> {
    crate::scene::page::find_built_page(explicit)
        .err()
        .map(|e| e.text())
}
