//! The browser: no threads (work runs in slices of frames), no file system (the file picker,
//! dropped files and downloads instead), the page's title, full screen and address.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::{Budget, Duration, Instant, Outcome, PlatformError, Shared, Step};
use crate::picture::export::ExportKind;
use crate::scene::preset::WriteError;

/// No paths: no Recent files, Save is a download.
pub const HAS_FILE_SYSTEM: bool = false;

/// A page is closed with its tab: no Quit.
pub const CAN_QUIT: bool = false;

/// How often the scene and settings are saved to the browser's local storage: often, since a
/// closed tab gives no reliable last chance.
pub const AUTO_SAVE: Duration = Duration::from_secs(2);

/// WebAssembly is compiled function by function on first call: code a slice of work runs
/// for the first time costs that frame its compilation (see `sweep_ui::warm_up`).
pub const COMPILES_LAZILY: bool = true;

/// Background work runs in the frames themselves: ask for the next one at once.
pub const REPOLL: Duration = Duration::ZERO;

/// How much of a frame background work may take: with drawing, a frame stays well under 50 ms.
const SLICE: Duration = Duration::from_millis(12);

/// The browser build has one thread.
pub fn threads() -> usize {
    1
}

/// Background work done a slice per frame, on the one thread the page has.
pub struct Task<T> {
    shared: Shared,
    work: Option<Box<dyn FnMut(&Budget) -> Step<T>>>,
}

impl<T: Send + 'static> Task<T> {
    /// Keeps `work` to be called once per frame with a deadline a few milliseconds away.
    pub fn start(work: impl FnMut(&Budget) -> Step<T> + Send + 'static) -> Self {
        Self {
            shared: Shared::default(),
            work: Some(Box::new(work)),
        }
    }

    /// Pieces done, of how many (0 until the work knows).
    pub fn progress(&self) -> (usize, usize) {
        self.shared.progress()
    }

    /// Does a slice of the work; its result once it is done.
    pub fn poll(&mut self) -> Outcome<T> {
        self.run(Some(Instant::now() + SLICE))
    }

    /// Does all the rest of the work at once (tests).
    pub fn wait(&mut self) -> Outcome<T> {
        loop {
            match self.run(None) {
                Outcome::Running => {}
                end => return end,
            }
        }
    }

    pub fn cancel(&mut self) {
        self.work = None;
    }

    /// Drops the work (it only ever runs inside a frame here).
    pub fn abandon(self) {}

    fn run(&mut self, until: Option<Instant>) -> Outcome<T> {
        let Some(work) = self.work.as_mut() else {
            return Outcome::Cancelled;
        };
        match work(&self.shared.budget(until)) {
            Step::Pending => Outcome::Running,
            Step::Ready(t) => {
                self.work = None;
                Outcome::Done(t)
            }
        }
    }
}

thread_local! {
    /// The file the picker delivered, waiting for the next frame.
    static PICKED: RefCell<Option<(String, Vec<u8>)>> = const { RefCell::new(None) };
    /// The address bar's fragment last seen, so a new link (pasted, or a link clicked on the
    /// page) is opened once.
    static LAST_HASH: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Opens the browser's file picker; the file arrives a few frames later through
/// [`take_picked_file`]. `Ok(None)`: nothing to open yet.
pub fn pick_open(
    ctx: &egui::Context,
    _start_dir: Option<&Path>,
) -> Result<Option<PathBuf>, PlatformError> {
    let fail = |e: JsValue| PlatformError::Picker(format!("{e:?}"));
    let document = document().ok_or_else(|| PlatformError::Picker("no document".into()))?;
    let input: web_sys::HtmlInputElement = document
        .create_element("input")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| PlatformError::Picker("no file input".into()))?;
    input.set_type("file");
    input.set_accept(".ron,text/plain");
    let (ctx, chosen) = (ctx.clone(), input.clone());
    let on_change = Closure::once_into_js(move || {
        let Some(file) = chosen.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                PICKED.with(|p| *p.borrow_mut() = Some((name, bytes)));
                ctx.request_repaint();
            }
        });
    });
    input.set_onchange(Some(on_change.unchecked_ref()));
    input.click();
    Ok(None)
}

/// A file dropped onto the page is read (browsers only read files asynchronously) and
/// arrives a frame or two later through [`take_picked_file`]; no path to open now.
pub fn dropped_file(ctx: &egui::Context) -> Option<PathBuf> {
    let file = ctx.input(|i| i.raw.dropped_files.first().cloned())?;
    let ctx = ctx.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let name = file
            .path()
            .file_name()
            .map_or("the dropped file".into(), |n| {
                n.to_string_lossy().into_owned()
            });
        // An unreadable file opens as empty bytes, which the preset reader names as such.
        let bytes = file.bytes_async().await.unwrap_or_default();
        PICKED.with(|p| *p.borrow_mut() = Some((name, bytes)));
        ctx.request_repaint();
    });
    None
}

/// Downloads go where the browser puts them: there is no folder to choose.
pub fn default_dir(_folder: super::Folder) -> Option<PathBuf> {
    None
}

/// A download is a name; the browser says where it went.
pub fn absolute(path: &Path) -> PathBuf {
    path.to_path_buf()
}

/// The browser shows its own downloads: there is no folder to open.
pub const CAN_OPEN_FOLDER: bool = false;

/// Not in the browser (see [`CAN_OPEN_FOLDER`]).
pub fn open_folder(_dir: &Path) -> Result<(), PlatformError> {
    Err(PlatformError::NoFolders)
}

/// The browser saves to its downloads: the name is all there is to choose.
pub fn pick_save(
    _start_dir: Option<&Path>,
    file_name: &str,
) -> Result<Option<PathBuf>, PlatformError> {
    Ok(Some(PathBuf::from(file_name)))
}

/// An export is a download named `file_name`.
pub fn pick_export(
    _start_dir: Option<&Path>,
    _kind: ExportKind,
    file_name: &str,
) -> Result<Option<PathBuf>, PlatformError> {
    Ok(Some(PathBuf::from(file_name)))
}

/// A web page is a download named `file_name`.
pub fn pick_page(
    _start_dir: Option<&Path>,
    file_name: &str,
) -> Result<Option<PathBuf>, PlatformError> {
    Ok(Some(PathBuf::from(file_name)))
}

/// The file the picker delivered since the last frame: its name and bytes.
pub fn take_picked_file() -> Option<(String, Vec<u8>)> {
    PICKED.with(|p| p.borrow_mut().take())
}

/// Hands `bytes` to the user as a download named like `path`'s file name; returns where it
/// went, for the message.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<String, WriteError> {
    let name = path
        .file_name()
        .ok_or(WriteError::NoFileName)?
        .to_string_lossy()
        .into_owned();
    download(&name, bytes).map_err(|e| WriteError::Refused(format!("{e:?}")))?;
    Ok(crate::tr!("platform-in-your-downloads", name = name))
}

fn download(name: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let document = document().ok_or("no document")?;
    let body = document.body().ok_or("no body")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(match name.rsplit('.').next() {
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("csv") => "text/csv",
        Some("html") => "text/html",
        _ => "text/plain",
    });
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    body.append_child(&link)?;
    link.click();
    body.remove_child(&link)?;
    // The download has started from the URL by the time a minute has passed.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        window.set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.unchecked_ref(),
            60_000,
        )?;
    }
    Ok(())
}

/// The page's title (the tab, the window, bookmarks).
pub fn set_title(_ctx: &egui::Context, title: &str) {
    if let Some(document) = document() {
        document.set_title(title);
    }
}

/// The browser's full screen for lecture mode. Browsers only allow it right after a click or
/// a key; a refusal leaves the page as it is (lecture mode still enlarges everything).
pub fn set_fullscreen(_ctx: &egui::Context, on: bool) {
    let Some(document) = document() else {
        return;
    };
    let (target, method): (JsValue, &str) = match (on, document.fullscreen_element()) {
        (true, None) => match document.document_element() {
            Some(root) => (root.into(), "requestFullscreen"),
            None => return,
        },
        (false, Some(_)) => (document.into(), "exitFullscreen"),
        _ => return,
    };
    let promise = js_sys::Reflect::get(&target, &method.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&target).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    if let Some(promise) = promise {
        // A refusal is expected (no click just before); not an error for the console.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
        let _ = promise.catch(&ignore);
        ignore.forget();
    }
}

/// The address the app was opened at (without its fragment), for links to scenes.
pub fn page_address() -> Option<String> {
    let location = web_sys::window()?.location();
    let href = location.href().ok()?;
    Some(href.split('#').next().unwrap_or(&href).to_owned())
}

/// The address bar's fragment when it holds something new since the last frame: the link
/// the page was opened with, then any pasted or clicked later.
pub fn take_new_link() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let hash = hash.trim_start_matches('#').to_owned();
    LAST_HASH.with(|last| {
        let mut last = last.borrow_mut();
        if last.as_deref() == Some(hash.as_str()) {
            return None;
        }
        *last = Some(hash.clone());
        (!hash.is_empty()).then_some(hash)
    })
}

thread_local! {
    static FRAME_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::NAN) };
    static LONGEST_FRAME_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// Keeps the app's own frame-time readout for the page: the median CPU time of recent frames,
/// and the longest frame (background work included) since the page last asked.
pub fn report_frame_time(median_ms: Option<f64>, this_frame_ms: f64) {
    FRAME_MS.with(|f| f.set(median_ms.unwrap_or(f64::NAN)));
    LONGEST_FRAME_MS.with(|f| f.set(f.get().max(this_frame_ms)));
}

/// The app's frame-time readout in milliseconds (NaN before the first frames), for the page's
/// scripts: `window.optiscope.frame_time_ms()`.
#[wasm_bindgen]
pub fn frame_time_ms() -> f64 {
    FRAME_MS.with(|f| f.get())
}

/// The longest frame the app built since the last call, in milliseconds (CPU time, with the
/// slices of background work it did): what a sweep or an export costs the page's frames.
#[wasm_bindgen]
pub fn longest_frame_ms() -> f64 {
    LONGEST_FRAME_MS.with(|f| f.replace(0.0))
}

/// Puts `text` in the page's live region (`#status`), which screen readers read out and the
/// browser tests watch.
pub fn announce(text: &str) {
    if let Some(status) = document().and_then(|d| d.get_element_by_id("status")) {
        status.set_text_content(Some(text));
    }
}

/// Starts the app on the page's `<canvas id="optiscope">` and removes the loading note (or
/// says in it why the app could not start).
pub fn start_web() {
    let _ = eframe::WebLogger::init(log::LevelFilter::Warn);
    wasm_bindgen_futures::spawn_local(async move {
        let Some(document) = document() else {
            return;
        };
        let Some(canvas) = document
            .get_element_by_id("optiscope")
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            web_sys::console::error_1(
                &"optiscope: the page has no <canvas id=\"optiscope\">".into(),
            );
            return;
        };
        let started = eframe::WebRunner::new()
            .start(
                canvas,
                eframe::WebOptions::default(),
                Box::new(|cc| {
                    Ok(Box::new(crate::app::OptiscopeApp::from_creation_context(
                        cc,
                    )))
                }),
            )
            .await;
        if let Some(loading) = document.get_element_by_id("loading") {
            match started {
                Ok(()) => loading.remove(),
                Err(e) => loading.set_text_content(Some(&format!(
                    "optiscope could not start in this browser: {e:?}"
                ))),
            }
        }
    });
}

/// Fetches the Chinese font beside the page (once per page) and installs it; the frame after
/// it arrives adds it to the window's fonts. Until then Latin text draws as always.
pub fn fetch_cjk_font(ctx: &egui::Context) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static ASKED: AtomicBool = AtomicBool::new(false);
    if ASKED.swap(true, Ordering::Relaxed) {
        return;
    }
    let ctx = ctx.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let file = crate::text::font::CJK_FILE;
        // A page opened from a file cannot fetch the font beside it: the one-file page carries
        // the interface's characters instead (web/index.html's `optiscopeFont`).
        let served = web_sys::window()
            .and_then(|w| w.location().protocol().ok())
            .is_some_and(|p| p == "http:" || p == "https:");
        let fetched = if served {
            fetch_cached(file).await
        } else {
            Err("the page is not served".to_owned())
        };
        let fetched = match fetched {
            Err(e) => page_hook_bytes("optiscopeFont")
                .await
                .map_err(|own| format!("{e}; {own}")),
            ok => ok,
        };
        match fetched {
            Ok(bytes) => {
                crate::text::font::install_cjk(bytes);
                ctx.request_repaint();
            }
            Err(e) => web_sys::console::warn_1(
                &format!("optiscope: the Chinese font {file} could not be loaded ({e}); Chinese text draws as boxes").into(),
            ),
        }
    });
}

/// `url`'s bytes, from the page's font cache where it holds them (the Cache API keeps them
/// across visits; it exists in secure contexts only) and else from the network, then cached.
async fn fetch_cached(url: &str) -> Result<Vec<u8>, String> {
    use wasm_bindgen_futures::JsFuture;
    let js = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let cache = if window.is_secure_context() {
        match window.caches() {
            Ok(storage) => JsFuture::from(storage.open("optiscope-fonts"))
                .await
                .ok()
                .and_then(|c| c.dyn_into::<web_sys::Cache>().ok()),
            Err(_) => None,
        }
    } else {
        None
    };
    if let Some(cache) = &cache
        && let Ok(hit) = JsFuture::from(cache.match_with_str(url)).await
        && let Ok(response) = hit.dyn_into::<web_sys::Response>()
    {
        return body(response).await;
    }
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(js)?
        .dyn_into()
        .map_err(js)?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    if let Some(cache) = &cache
        && let Ok(copy) = response.clone()
    {
        // Keeping a copy is a convenience: a refusal (a full disk, private browsing) is not.
        let _ = JsFuture::from(cache.put_with_str(url, &copy)).await;
    }
    body(response).await
}

/// What the page's `window.NAME()` promise resolves to.
async fn page_hook(name: &str) -> Result<JsValue, String> {
    let js = |e: JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}"))
    };
    let window = web_sys::window().ok_or("no window")?;
    let hook: js_sys::Function = js_sys::Reflect::get(&window, &name.into())
        .map_err(js)?
        .dyn_into()
        .map_err(|_| format!("the page has no {name}"))?;
    let promise: js_sys::Promise = hook.call0(&window).map_err(js)?.dyn_into().map_err(js)?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(js)
}

async fn page_hook_bytes(name: &str) -> Result<Vec<u8>, String> {
    let buffer = page_hook(name).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

async fn body(response: web_sys::Response) -> Result<Vec<u8>, String> {
    let js = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().map_err(js)?)
        .await
        .map_err(js)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Whether the page was opened as an embed (`embed=1` in its address, or in the scene a page
/// file carries, which the page's start script has put in the address by now): an embed
/// neither reads nor writes the browser's storage, so two on one page stay independent.
pub fn opened_embedded() -> bool {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .is_some_and(|hash| {
            hash.trim_start_matches('#')
                .split('&')
                .any(|part| matches!(part, "embed=1" | "embed=true" | "embed=yes"))
        })
}

thread_local! {
    /// The one-file app asked for by [`request_built_page`], once the page handed it over.
    static BUILT_PAGE: RefCell<Option<Result<String, String>>> = const { RefCell::new(None) };
}

/// Asks the page for the one-file app (web/index.html's `optiscopePage`: the page itself when
/// it is the one-file app, else `optiscope.html` beside it), the template of File ▸ Save as
/// web page; it arrives through [`take_built_page`] a few frames later.
pub fn request_built_page(ctx: &egui::Context, _explicit: Option<&Path>) {
    let ctx = ctx.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let page = page_hook("optiscopePage").await.and_then(|v| {
            v.as_string()
                .ok_or_else(|| "the page's optiscopePage gave no text".to_owned())
        });
        BUILT_PAGE.with(|b| *b.borrow_mut() = Some(page));
        ctx.request_repaint();
    });
}

/// The one-file app asked for, once it is there (or why it is not).
pub fn take_built_page() -> Option<Result<String, String>> {
    BUILT_PAGE.with(|b| b.borrow_mut().take())
}

/// Save as web page always has its template in the browser: the page it runs in, or the
/// one-file app served beside it.
pub fn page_unavailable(_explicit: Option<&Path>) -> Option<String> {
    None
}
