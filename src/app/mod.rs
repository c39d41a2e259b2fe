//! The optiscope window: surface view with racing trajectories, controls for the selected run,
//! live learning-rate and loss plots, and an animation cursor over precomputed trajectories.
//!
//! State flows one way: UI functions edit [`AppState`]; [`Cache`] derives trajectories, schedule
//! previews and the heatmap from it when it changed; drawing reads the cache.

mod axes;
mod cache;
pub mod commands;
mod controls_ui;
mod explain_ui;
mod files;
mod generation;
mod lower_plot_ui;
mod network;
mod network_ui;
mod params_ui;
pub mod platform;
mod plots_ui;
mod present_ui;
mod state;
mod step_plot;
mod surface3d_ui;
mod surface_ui;
mod sweep_ui;
pub mod theme;
pub mod views;

use std::collections::VecDeque;
use std::path::PathBuf;

use egui::{Ui, ViewportCommand};

use crate::picture::export::{ExportFile, ExportJob, ExportKind};
use platform::{Instant, Outcome, Step, Task};

pub use cache::{Cache, Curves, RunResult};
pub use commands::Action;
pub use files::{Dialog, FileCommand};
pub use state::{Animation, AppState, MAX_APP_STEPS, MAX_RUNS, PALETTE, RunState};
pub use step_plot::PlotAxes;
pub use surface_ui::OverlayRects;
pub use sweep_ui::{BAYES_TRIALS, SecondAxis, SweepUi};
pub use views::title as lower_plot_title;

use crate::scene::link::{self, LinkError};
use crate::scene::preset::{
    BUILTIN_PRESETS, Preset, PresetError, load_preset, parse_preset_bytes, push_recent, to_ron,
};

/// A message for the user after an action: shown as a toast at the bottom of the window for
/// a few seconds (errors longer, in red), so a lecture sees that an export worked and where
/// it went.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    /// Still working (an export in the background): shown until replaced, with a progress
    /// bar (done, of) and Cancel.
    pub working: bool,
    pub progress: Option<(usize, usize)>,
    pub at: Instant,
    /// The folder a file was just saved to, which the toast offers to open.
    pub folder: Option<PathBuf>,
}

/// What a click on the toast asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ToastClick {
    Nothing,
    Cancel,
    OpenFolder,
}

impl Notice {
    fn done(text: String) -> Self {
        Self {
            text,
            error: false,
            working: false,
            progress: None,
            at: Instant::now(),
            folder: None,
        }
    }

    /// Offers to open `folder` (where a file was saved) when the platform has folders.
    fn with_folder(mut self, folder: Option<&std::path::Path>) -> Self {
        self.folder = folder
            .filter(|_| platform::CAN_OPEN_FOLDER)
            .filter(|f| !f.as_os_str().is_empty())
            .map(std::path::Path::to_path_buf);
        self
    }

    fn failed(text: String) -> Self {
        Self {
            error: true,
            ..Self::done(text)
        }
    }

    fn working(text: String) -> Self {
        Self {
            working: true,
            ..Self::done(text)
        }
    }

    /// How long it stays on screen.
    fn lifetime(&self) -> f64 {
        if self.error || self.folder.is_some() {
            10.0
        } else {
            5.0
        }
    }

    fn expired(&self) -> bool {
        !self.working && self.at.elapsed().as_secs_f64() > self.lifetime()
    }

    /// Draws the toast at the bottom of `within` (the surface plot's frame, clear of its axis
    /// labels; the window when there is none); what its buttons were clicked for.
    fn toast_ui(&self, ctx: &egui::Context, within: Option<egui::Rect>) -> ToastClick {
        let mut click = ToastClick::Nothing;
        if self.expired() {
            return click;
        }
        let (fill, text) = if self.error {
            (
                egui::Color32::from_rgb(120, 24, 24),
                egui::Color32::from_rgb(255, 230, 230),
            )
        } else {
            (
                egui::Color32::from_rgb(24, 60, 44),
                egui::Color32::from_rgb(225, 255, 240),
            )
        };
        let window = ctx.content_rect();
        let (offset, max_width) = match within {
            Some(r) => (
                [
                    r.center().x - window.center().x,
                    r.bottom() - window.bottom() - 10.0,
                ],
                (r.width() - 24.0).max(160.0),
            ),
            None => ([0.0, -28.0], window.width() * 0.6),
        };
        egui::Area::new(egui::Id::unique("optiscope-toast"))
            .anchor(egui::Align2::CENTER_BOTTOM, offset)
            .order(egui::Order::Foreground)
            .interactable(self.working || self.folder.is_some())
            .show(ctx, |ui| {
                egui::Frame::new()
                    .fill(fill)
                    .corner_radius(6.0)
                    .inner_margin(egui::Margin::symmetric(14, 10))
                    .show(ui, |ui| {
                        ui.set_max_width(max_width - 28.0);
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(&self.text).size(15.0).color(text),
                            )
                            .wrap(),
                        );
                        if self.working {
                            ui.horizontal(|ui| {
                                let (done, of) = self.progress.unwrap_or((0, 0));
                                let bar = match of {
                                    0 => egui::ProgressBar::new(0.0).animate(true),
                                    _ => egui::ProgressBar::new(done as f32 / of as f32)
                                        .text(format!("{done} / {of}")),
                                };
                                ui.add(bar.desired_width(220.0));
                                if ui.button("Cancel").clicked() {
                                    click = ToastClick::Cancel;
                                }
                            });
                        }
                        if let Some(folder) = &self.folder
                            && ui
                                .button("Open folder")
                                .on_hover_text(folder.display().to_string())
                                .clicked()
                        {
                            click = ToastClick::OpenFolder;
                        }
                    });
            });
        if !self.working {
            let left = self.lifetime() - self.at.elapsed().as_secs_f64();
            ctx.request_repaint_after(platform::Duration::from_secs_f64(left.max(0.05)));
        }
        click
    }
}

/// An export in the background: the files it made, or why it failed.
type ExportTask = Task<Result<Vec<ExportFile>, String>>;

/// Draws `add` in the space `ui` has now and claims exactly that: a side panel keeps the
/// width it was given (or dragged to) whatever its content, which is clipped rather than
/// allowed to widen the panel for good and squeeze the surface.
fn bounded(ui: &mut Ui, add: impl FnOnce(&mut Ui)) {
    let rect = ui.available_rect_before_wrap();
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect));
    child.shrink_clip_rect(rect);
    add(&mut child);
    ui.allocate_rect(rect, egui::Sense::hover());
}

/// The application: persistent state, derived cache, animation and UI-only bits.
pub struct OptiscopeApp {
    pub state: AppState,
    pub cache: Cache,
    pub anim: Animation,
    /// CPU time of recent frames, for the on-screen readout.
    frame_times_ms: VecDeque<f64>,
    /// Set when the surface view should jump to `state.scene.view` (or the default view) next frame.
    reset_view: bool,
    surface_ui: surface_ui::SurfaceUiState,
    /// The 3D view's state; public so tests can read where it drew the balls.
    pub surface3d: surface3d_ui::Surface3dState,
    /// A network scene's views (images kept between frames, where they were drawn).
    pub network_views: network_ui::NetworkViews,
    /// The dialog over the window (unsaved changes, an error, a path to type), if any.
    pub dialog: Option<Dialog>,
    /// A short message shown as a toast (an export finished or failed, a script was copied).
    pub notice: Option<Notice>,
    /// The export running in the background: its kind and the files it makes.
    export_job: Option<(ExportKind, ExportTask)>,
    /// The last message put in the page's live region (the browser build).
    announced: String,
    /// Set once the user agreed to close, so the next close request is let through.
    allow_close: bool,
    /// The window title last sent, so it is only sent when it changes.
    title_sent: String,
    /// The learning-rate sweep and range-test window.
    pub sweep: SweepUi,
    /// The selected run's update at the cursor, for the explain panel and the surface.
    explain: explain_ui::UpdateMemo,
    /// The explain panel is open (the update is replayed only while someone looks at it).
    explain_open: bool,
    /// Stepping in stages: the step and the index of the last stage shown.
    stage: (u64, usize),
    applied: present_ui::Applied,
    /// The shortcut overlay is open.
    pub help: bool,
    /// The left panel scrolls back to its top next frame (a scene was opened).
    scroll_to_top: bool,
    /// The step plots' axes as last drawn.
    plot_axes: step_plot::PlotAxes,
    /// What to do once the scene is saved ("Save" in the unsaved-changes dialog).
    after_save: Option<FileCommand>,
    /// The built-in preset on screen, for PageUp/PageDown.
    pub builtin_on_screen: Option<usize>,
    /// Use the desktop's file dialogs; off, Open and Save As ask for a path in the window
    /// (for desktops without a portal, and for UI tests).
    pub native_dialogs: bool,
}

impl OptiscopeApp {
    /// An app showing `state`, with the animation at the end of the runs.
    pub fn new(mut state: AppState) -> Self {
        state.sanitize();
        let mut app = Self {
            state,
            cache: Cache::default(),
            anim: Animation {
                cursor: 0.0,
                playing: true,
            },
            frame_times_ms: VecDeque::with_capacity(256),
            reset_view: true,
            surface_ui: Default::default(),
            surface3d: Default::default(),
            network_views: Default::default(),
            dialog: None,
            allow_close: false,
            notice: None,
            export_job: None,
            announced: String::new(),
            title_sent: String::new(),
            native_dialogs: true,
            sweep: SweepUi::default(),
            explain: Default::default(),
            explain_open: false,
            stage: (0, 0),
            applied: Default::default(),
            help: false,
            builtin_on_screen: None,
            after_save: None,
            plot_axes: Default::default(),
            scroll_to_top: false,
        };
        app.cache.update(&app.state);
        app.builtin_on_screen = app.matching_builtin();
        app
    }

    /// The built-in preset whose scene is the one last opened, so PageDown continues from it.
    fn matching_builtin(&self) -> Option<usize> {
        if self.state.file.is_some() {
            return None;
        }
        let saved = self.state.saved.as_ref()?;
        BUILTIN_PRESETS.iter().position(|b| {
            b.load().is_ok_and(|p| {
                AppState::from_preset(&p, &self.state).to_preset(saved.cursor, saved.playing)
                    == *saved
            })
        })
    }

    /// The built-in whose title the scene on screen has (a file saved from it, say).
    fn builtin_titled_like(&self) -> Option<usize> {
        let title = self.state.scene.title.trim();
        BUILTIN_PRESETS
            .iter()
            .position(|b| b.load().is_ok_and(|p| p.title.trim() == title))
    }

    /// Opens what the command line named (a preset file or a scene link) over the scene of
    /// the last session.
    pub fn open_at_start(&mut self, ctx: &egui::Context, command: FileCommand) {
        self.execute(ctx, command);
    }

    /// The scene as a preset, animation position included.
    pub fn scene(&self) -> Preset {
        self.state.to_preset(self.anim.step(), self.anim.playing)
    }

    /// Shows `preset` (opened from `file`, or built in when `None`) as the new, unmodified scene.
    pub fn open_preset(&mut self, preset: &Preset, file: Option<PathBuf>) {
        let mut state = AppState::from_preset(preset, &self.state);
        if let Some(path) = &file {
            push_recent(&mut state.recent, path, state::MAX_RECENT);
        }
        // A file's scene gets no slide number, even when it is a copy of a built-in; a built-in
        // sets its number after this.
        self.builtin_on_screen = None;
        state.file = file;
        self.load_scene(state);
        // The baseline is taken after sanitizing, so an opened scene starts without changes.
        self.state.saved = Some(self.state.to_preset(0, false));
        // The cursor is clamped to the runs' length once they are computed.
        self.anim = Animation {
            cursor: preset.cursor as f64,
            playing: preset.playing,
        };
    }

    /// Asks for `command`; a command that would discard unsaved changes asks first.
    pub fn request(&mut self, ctx: &egui::Context, command: FileCommand) {
        // A file or link that cannot be opened is said so at once, not after asking whether
        // to discard the changes it would replace.
        if self.state.is_dirty()
            && let Some(Err(message)) = Self::scene_of(&command)
        {
            self.show_message(message);
            return;
        }
        if command.replaces_scene() && self.state.is_dirty() {
            self.dialog = Some(Dialog::ConfirmDiscard { then: command });
            return;
        }
        self.execute(ctx, command);
    }

    /// The scene a command opens from outside (a file, dropped bytes, a link), read and
    /// checked; `None` for other commands.
    fn scene_of(command: &FileCommand) -> Option<Result<(Preset, bool), String>> {
        Some(match command {
            FileCommand::Open(path) => load_preset(path)
                .map(|p| (p, false))
                .map_err(|e| e.to_string()),
            FileCommand::OpenBytes { name, bytes } => parse_preset_bytes(bytes, name)
                .map(|p| (p, false))
                .map_err(|e| e.to_string()),
            FileCommand::OpenLink(text) => link::parse_link(text)
                .map(|l| (l.preset, l.lock))
                .map_err(|e: LinkError| e.to_string()),
            _ => return None,
        })
    }

    fn execute(&mut self, ctx: &egui::Context, command: FileCommand) {
        // Next to the scene's file; a scene without one saves to the user's Documents (and
        // exports its pictures to Pictures), never to a bare name in the working directory.
        let own_dir = self
            .state
            .file
            .as_ref()
            .and_then(|p| p.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .map(platform::absolute);
        let dir_for = |folder| own_dir.clone().or_else(|| platform::default_dir(folder));
        let dir = dir_for(platform::Folder::Documents);
        match command {
            FileCommand::Discard(then) => self.execute(ctx, *then),
            FileCommand::New => {
                let mut state = AppState::blank();
                state.grid_size = self.state.grid_size;
                state.recent = self.state.recent.clone();
                self.load_scene(state);
                self.state.saved = Some(self.state.to_preset(0, false));
            }
            FileCommand::OpenDialog => {
                match self.pick(|| platform::pick_open(ctx, dir.as_deref())) {
                    Ok(Some(path)) => self.request(ctx, FileCommand::Open(path)),
                    // Nothing picked, or (in the browser) the file arrives in a later frame.
                    Ok(None) => {}
                    Err(note) => {
                        self.dialog = Some(Dialog::Path {
                            save: false,
                            text: dir.map(|d| format!("{}/", d.display())).unwrap_or_default(),
                            note,
                            export: None,
                        })
                    }
                }
            }
            FileCommand::Open(ref path) => match Self::scene_of(&command) {
                Some(Ok((preset, _))) => {
                    self.open_preset(&preset, Some(path.clone()));
                    self.builtin_on_screen = None;
                }
                Some(Err(message)) => self.show_message(message),
                None => {}
            },
            FileCommand::OpenBytes { ref name, .. } => match Self::scene_of(&command) {
                Some(Ok((preset, _))) => {
                    let name = name.clone();
                    self.open_preset(&preset, None);
                    self.notice = Some(Notice::done(format!("Opened {name}.")));
                }
                Some(Err(message)) => self.show_message(message),
                None => {}
            },
            FileCommand::OpenLink(_) => match Self::scene_of(&command) {
                Some(Ok((preset, lock))) => {
                    self.open_preset(&preset, None);
                    self.builtin_on_screen = self.matching_builtin();
                    // A locked link is a slide: the scene without its controls.
                    if lock {
                        self.state.hide_controls = true;
                    }
                }
                Some(Err(message)) => {
                    self.notice = Some(Notice::failed(format!(
                        "Could not open the link: {message}. The scene on screen is unchanged."
                    )))
                }
                None => {}
            },
            FileCommand::OpenLinkDialog => {
                self.dialog = Some(Dialog::Link {
                    text: String::new(),
                })
            }
            FileCommand::CopyLink => {
                let base = platform::page_address().unwrap_or(link::DEFAULT_BASE.to_owned());
                match link::scene_link(&base, &self.scene(), false) {
                    Ok(url) => {
                        let size = url.len();
                        ctx.copy_text(url);
                        self.notice = Some(Notice::done(format!(
                            "Copied a link to this scene to the clipboard ({size} characters)."
                        )));
                    }
                    Err(e) => self.notice = Some(Notice::failed(e.to_string())),
                }
            }
            FileCommand::OpenBuiltin(i) => match BUILTIN_PRESETS.get(i).map(|b| b.load()) {
                Some(Ok(preset)) => {
                    self.open_preset(&preset, None);
                    self.builtin_on_screen = Some(i);
                }
                Some(Err(e)) => self.show_error(&e),
                None => {}
            },
            FileCommand::Save => match self.state.file.clone() {
                Some(path) => self.execute(ctx, FileCommand::SaveTo(path)),
                None => self.execute(ctx, FileCommand::SaveAs),
            },
            FileCommand::SaveAs => {
                let name = files::suggested_file_name(&self.state);
                let picked = self.pick(|| platform::pick_save(dir.as_deref(), &name));
                self.save_to_picked(ctx, picked, dir.as_deref(), &name, None);
            }
            FileCommand::SaveTo(path) => {
                let preset = self.scene();
                let saved = to_ron(&preset).map_err(|e| e.to_string()).and_then(|text| {
                    platform::write_file(&path, text.as_bytes()).map_err(|e| e.to_string())
                });
                match saved {
                    Ok(place) => {
                        if platform::HAS_FILE_SYSTEM {
                            push_recent(&mut self.state.recent, &path, state::MAX_RECENT);
                        }
                        self.notice = Some(
                            Notice::done(format!("Saved the scene to {place}."))
                                .with_folder(std::path::Path::new(&place).parent()),
                        );
                        self.state.file = Some(path);
                        self.state.saved = Some(preset);
                        // "Save, then open what I asked for": saved, so go on.
                        if let Some(then) = self.after_save.take() {
                            self.execute(ctx, then);
                        }
                    }
                    Err(message) => {
                        self.after_save = None;
                        self.show_error(&PresetError::Write {
                            path: path.display().to_string(),
                            message,
                        });
                    }
                }
            }
            FileCommand::SaveThen(then) => {
                // Through a file dialog or the path field the save may finish frames later;
                // what was asked for waits for it.
                self.after_save = Some(*then);
                self.execute(ctx, FileCommand::Save);
            }
            FileCommand::ExportDialog(kind)
                if self.state.scene.network.is_some() && kind != ExportKind::Csv =>
            {
                self.notice = Some(Notice::failed(format!(
                    "The {} export draws surface scenes; a network scene is not drawn by it \
                     yet (take a screenshot, or export the CSV of its runs).",
                    kind.describe()
                )));
            }
            FileCommand::ExportDialog(kind) => {
                let name = files::suggested_file_name(&self.state);
                let name = format!("{}.{}", name.trim_end_matches(".ron"), kind.extension());
                let dir = dir_for(match kind {
                    ExportKind::Png | ExportKind::Gif => platform::Folder::Pictures,
                    ExportKind::Csv => platform::Folder::Documents,
                });
                let picked = self.pick(|| platform::pick_export(dir.as_deref(), kind, &name));
                self.save_to_picked(ctx, picked, dir.as_deref(), &name, Some(kind));
            }
            FileCommand::ExportTo(kind, path) => {
                // Drawing and encoding a GIF takes seconds: in the background (a thread on the
                // desktop, slices of frames in the browser), a piece at a time.
                if let Some((_, mut job)) = self.export_job.take() {
                    job.cancel();
                }
                let mut job = ExportJob::new(kind, self.scene(), self.anim.step(), path);
                let threads = platform::threads().clamp(1, 4);
                let task = Task::start(move |budget| {
                    while budget.has_time() {
                        match job.advance(threads) {
                            Ok(Some(files)) => return Step::Ready(Ok(files)),
                            Ok(None) => {
                                let (done, of) = job.progress();
                                budget.report(done, of);
                            }
                            Err(e) => return Step::Ready(Err(e.to_string())),
                        }
                    }
                    Step::Pending
                });
                self.export_job = Some((kind, task));
                self.notice = Some(Notice::working(format!(
                    "Exporting the {}…",
                    kind.describe()
                )));
            }
            FileCommand::CopyPytorch | FileCommand::CopyKeras => {
                let preset = self.scene();
                let (write, framework): (fn(_, _) -> _, _) = match command {
                    FileCommand::CopyKeras => (crate::scene::pytorch::keras_script, "Keras"),
                    _ => (crate::scene::pytorch::pytorch_script, "PyTorch"),
                };
                match write(&preset, self.state.selected) {
                    Ok(script) => {
                        ctx.copy_text(script);
                        self.notice = Some(Notice::done(format!(
                            "Copied a {framework} script of run {} to the clipboard.",
                            self.state.selected + 1
                        )));
                    }
                    Err(e) => {
                        self.dialog = Some(Dialog::Error {
                            message: e.to_string(),
                        })
                    }
                }
            }
            FileCommand::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    /// Follows the export in the background: its progress in the toast, then the files
    /// written (or downloaded) and a message, or its error.
    fn poll_export(&mut self, ctx: &egui::Context) {
        let Some((kind, task)) = &mut self.export_job else {
            if self.notice.as_ref().is_some_and(Notice::expired) {
                self.notice = None;
            }
            return;
        };
        let kind = *kind;
        let notice = match task.poll() {
            Outcome::Running => {
                if let Some(n) = self.notice.as_mut().filter(|n| n.working) {
                    n.progress = Some(task.progress());
                }
                ctx.request_repaint_after(platform::REPOLL);
                return;
            }
            Outcome::Done(Ok(files)) => {
                let written: Result<Vec<String>, String> = files
                    .iter()
                    .map(|f| {
                        platform::write_file(&f.path, &f.bytes)
                            .map_err(|e| format!("cannot write '{}': {e}", f.path.display()))
                    })
                    .collect();
                match written {
                    Ok(places) => Some(
                        Notice::done(crate::picture::export::written_message(
                            kind, &files, &places,
                        ))
                        .with_folder(
                            places
                                .first()
                                .and_then(|p| std::path::Path::new(p).parent()),
                        ),
                    ),
                    Err(message) => Some(Notice::failed(format!("Export failed: {message}"))),
                }
            }
            Outcome::Done(Err(message)) => {
                Some(Notice::failed(format!("Export failed: {message}")))
            }
            Outcome::Cancelled => Some(Notice::done("Export cancelled.".to_owned())),
            Outcome::Crashed => Some(Notice::failed(
                "Export failed: the export stopped unexpectedly; please report this.".to_owned(),
            )),
        };
        self.notice = notice;
        self.export_job = None;
    }

    /// Stops the export under way.
    fn cancel_export(&mut self) {
        if let Some((_, mut task)) = self.export_job.take() {
            task.cancel();
            self.notice = Some(Notice::done("Export cancelled.".to_owned()));
        }
    }

    /// Whether an export is still running.
    pub fn exporting(&self) -> bool {
        self.export_job.is_some()
    }

    /// Saves (or exports) to the path a save dialog gave; where no dialog could be shown, asks
    /// for the path in the window, starting from `dir/name`.
    fn save_to_picked(
        &mut self,
        ctx: &egui::Context,
        picked: Result<Option<PathBuf>, String>,
        dir: Option<&std::path::Path>,
        name: &str,
        export: Option<crate::picture::export::ExportKind>,
    ) {
        match picked {
            Ok(Some(path)) => self.execute(
                ctx,
                match export {
                    Some(kind) => FileCommand::ExportTo(kind, path),
                    None => FileCommand::SaveTo(path),
                },
            ),
            Ok(None) => {}
            Err(note) => {
                let text = match dir {
                    Some(d) => d.join(name).display().to_string(),
                    None => name.to_owned(),
                };
                self.dialog = Some(Dialog::Path {
                    save: true,
                    text,
                    note,
                    export,
                });
            }
        }
    }

    /// A native dialog, or straight to the path field when they are switched off.
    fn pick(
        &self,
        dialog: impl FnOnce() -> Result<Option<PathBuf>, String>,
    ) -> Result<Option<PathBuf>, String> {
        if self.native_dialogs {
            dialog()
        } else {
            Err(String::new())
        }
    }

    fn show_error(&mut self, e: &PresetError) {
        self.show_message(e.to_string());
    }

    /// Why something could not be opened or saved, in a dialog over the unchanged scene.
    fn show_message(&mut self, message: String) {
        platform::announce(&message);
        self.dialog = Some(Dialog::Error { message });
    }

    /// The menu's command, the close guard and the dialogs; commands run after the frame's
    /// drawing.
    fn files_ui(&mut self, ctx: &egui::Context, menu_command: Option<FileCommand>) {
        let mut commands: Vec<FileCommand> = menu_command.into_iter().collect();
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.state.is_dirty() {
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                self.dialog = Some(Dialog::ConfirmDiscard {
                    then: FileCommand::Quit,
                });
            } else {
                self.allow_close = true;
            }
        }
        files::drop_hint_ui(ctx);
        let scene = files::scene_name(&self.state);
        commands.extend(files::dialog_ui(ctx, &mut self.dialog, &scene));
        for command in commands {
            // A failed save (or a new question) stops what was to follow it.
            if self.dialog.is_some() {
                break;
            }
            self.request(ctx, command);
        }
        // A save that was cancelled (its path field closed without saving) leaves nothing
        // to continue.
        if self.dialog.is_none() {
            self.after_save = None;
        }
        let title = files::window_title(&self.state);
        if title != self.title_sent {
            platform::set_title(ctx, &title);
            self.title_sent = title;
        }
    }

    /// The app as eframe starts it: the persisted state of the last session, or the default
    /// scene on first launch.
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>) -> Self {
        let state = cc
            .storage
            .and_then(|s| eframe::get_value::<AppState>(s, eframe::APP_KEY))
            .unwrap_or_default();
        Self::new(state)
    }

    /// Stepping in stages and paused: the index of the last stage of the update at the cursor
    /// shown (the first, on an update not stepped into yet).
    fn shown_stage(&self) -> Option<usize> {
        use crate::scene::preset::UpdateView;
        if self.state.scene.update != UpdateView::Staged || self.anim.playing {
            return None;
        }
        let step = self.anim.step();
        let last = self
            .explain
            .cached(self.state.selected, step)
            .map_or(0, |(d, _)| d.stages.len().saturating_sub(1));
        Some(if self.stage.0 == step {
            self.stage.1.min(last)
        } else {
            0
        })
    }

    /// Median CPU time of the recent frames, in milliseconds.
    pub fn median_frame_time_ms(&self) -> Option<f64> {
        median(self.frame_times_ms.iter().copied())
    }

    /// Where the last frame put the surface plot, its legend and its status labels (layout
    /// tests check they stay inside the plot).
    pub fn surface_overlay(&self) -> &surface_ui::OverlayRects {
        &self.surface_ui.overlay
    }

    /// The update arrows the surface showed last frame (tests compare them with the explain
    /// panel's numbers).
    pub fn update_arrows(&self) -> Option<&crate::picture::frame::UpdateMark> {
        self.surface_ui.update.as_ref()
    }

    /// The axes of the learning-rate and loss plots as last drawn.
    pub fn plot_axes(&self) -> &step_plot::PlotAxes {
        &self.plot_axes
    }

    /// The surface point drawn at screen position `pos` in the last frame.
    pub fn surface_point_at(&self, pos: egui::Pos2) -> Option<crate::core::math::Point> {
        let t = self.surface_ui.transform.as_ref()?;
        let p = t.value_from_position(pos);
        Some([p.x, p.y])
    }

    /// Where the surface point `p` was drawn in the last frame, in screen points.
    pub fn surface_screen_pos(&self, p: crate::core::math::Point) -> Option<egui::Pos2> {
        let t = self.surface_ui.transform.as_ref()?;
        Some(t.position_from_point(&egui_plot::PlotPoint::new(p[0], p[1])))
    }

    /// Replaces the scene (e.g. a preset) and shows it from the start.
    pub fn load_scene(&mut self, mut state: AppState) {
        self.scroll_to_top = true;
        state.sanitize();
        self.state = state;
        // Derived at the start of the next frame, like every other change.
        self.cache.clear();
        self.anim = Animation {
            cursor: 0.0,
            playing: true,
        };
        self.reset_view = true;
    }

    /// Draws the whole window into `ui` (the eframe entry point and the UI tests both call it).
    pub fn ui(&mut self, ui: &mut Ui) {
        let started = Instant::now();
        let ctx = ui.ctx().clone();
        // 1. Input from outside the panels (keys, dropped files) becomes commands, applied now.
        if self.dialog.is_none() {
            for action in commands::pressed(&ctx, self.help) {
                self.apply(&ctx, action);
            }
            if let Some(path) = platform::dropped_file(&ctx) {
                self.request(&ctx, FileCommand::Open(path));
            }
            // The browser: a file from its picker, a link in the address bar.
            if let Some((name, bytes)) = platform::take_picked_file() {
                self.request(&ctx, FileCommand::OpenBytes { name, bytes });
            }
            if let Some(link) = platform::take_new_link() {
                self.request(&ctx, FileCommand::OpenLink(link));
            }
        }
        // 2. Everything derived from the state, once per frame.
        self.cache.update(&self.state);
        if let Some(view) = surface_ui::heatmap_view(
            &ctx,
            &self.state,
            &self.cache,
            &mut self.reset_view,
            &mut self.surface_ui,
        ) {
            self.cache.update_grid(&ctx, &self.state, view);
        }
        present_ui::apply_display(&ctx, &self.state, &mut self.applied);
        self.advance_animation(&ctx);
        // The update at the cursor, replayed when the step or the run changed and someone
        // looks at it (the explain panel or the glyphs on the surface).
        let network = self.state.scene.network.is_some();
        if !network && (self.state.scene.update.shown() || self.explain_open) {
            self.explain.get(
                &self.state,
                &self.cache,
                self.state.selected,
                self.anim.step(),
            );
        }
        let stage = self.shown_stage();

        // 3. The panels draw from state and cache; buttons and menus come back as commands.
        let frame_ms = self
            .median_frame_time_ms()
            .filter(|_| self.state.show_frame_time && !self.state.presentation);
        self.poll_export(&ctx);

        let menu_command = egui::Panel::top("menu")
            .show(ui, |ui| {
                ui.horizontal(|ui| files::menu_bar_ui(ui, &self.state))
                    .inner
            })
            .inner;
        let max_steps = self.cache.max_steps(&self.state);
        let toggles: Vec<(Action, bool)> = commands::ACTIONS
            .iter()
            .map(|d| (d.action, self.is_on(d.action)))
            .collect();
        let explained = self.explain.cached(self.state.selected, self.anim.step());
        let stage_label = stage.zip(explained).and_then(|(i, (d, _))| {
            let s = d.stages.get(i)?;
            Some(format!("stage {}/{}: {}", i + 1, d.stages.len(), s.name))
        });
        let toolbar_actions = egui::Panel::top("toolbar")
            .show(ui, |ui| {
                controls_ui::toolbar_ui(
                    ui,
                    &mut self.state,
                    max_steps,
                    &mut self.anim,
                    &toggles,
                    frame_ms,
                    stage_label.as_deref(),
                )
            })
            .inner;
        if self.state.presentation {
            egui::Panel::top("banner").show(ui, |ui| {
                present_ui::banner_ui(ui, &self.state, self.builtin_on_screen);
            });
        }
        let mut show_controls = !self.state.hide_controls;
        let mut explain_toggled = None;
        // Presentation mode has panels of its own, narrower, so the surface gets the room.
        // Both panels are bounded by a share of the window: a long label wraps or is cut
        // (full text on hover) instead of pushing the surface aside.
        let window_width = ctx.content_rect().width();
        let (controls_id, controls_width, controls_max) = if self.state.presentation {
            ("controls-presenting", 0.2, 0.24)
        } else {
            ("controls", 0.22, 0.3)
        };
        let controls = egui::Panel::left(controls_id);
        // In front of a class the panels follow the window (a projector's resolution is
        // not known until full screen arrives); at the desk they keep what the user dragged.
        let controls = if self.state.presentation {
            controls.exact_size((controls_width * window_width).max(200.0))
        } else {
            controls
                .resizable(true)
                .default_size((controls_width * window_width).clamp(200.0, 380.0))
                .size_range(200.0..=(controls_max * window_width).max(240.0))
        };
        controls.show_collapsible(ui, &mut show_controls, |ui| {
            bounded(ui, |ui| {
                let mut scroll = egui::ScrollArea::vertical();
                // A new scene's note starts at its top, wherever the last one was read.
                if std::mem::take(&mut self.scroll_to_top) {
                    scroll = scroll.vertical_scroll_offset(0.0);
                }
                scroll.show(ui, |ui| {
                    controls_ui::controls_ui(ui, &mut self.state, &self.cache);
                    // The explain panel replays a surface's update; a network has none to show.
                    if !network {
                        ui.separator();
                        explain_toggled =
                            explain_ui::explain_ui(ui, &self.state, &self.anim, explained, stage);
                    }
                });
            });
        });
        // While the update is explained, the lower plot shows the step size |Δθ|.
        if let Some(open) = explain_toggled {
            self.explain_open = open;
            use crate::scene::preset::LowerPlot;
            let plot = &mut self.state.scene.plot;
            if open {
                *plot = LowerPlot::StepSize;
            } else if *plot == LowerPlot::StepSize {
                *plot = LowerPlot::Loss;
            }
        }
        // The panel's edge can be dragged shut (and open again).
        self.state.hide_controls = !show_controls;
        // The glyphs of the update at the cursor, as far as the stages go.
        let update = explained
            .filter(|_| self.state.scene.update.shown())
            .map(|(d, _)| (d, stage.map_or(usize::MAX, |i| i + 1)));
        egui::CentralPanel::default().show(ui, |ui| {
            let (plots_id, share) = if self.state.presentation {
                ("plots-presenting", 0.2)
            } else {
                ("plots", 0.25)
            };
            let plots_width = (window_width * share).max(200.0);
            let plots = egui::Panel::right(plots_id);
            let plots = if self.state.presentation {
                plots.exact_size(plots_width)
            } else {
                plots
                    .resizable(true)
                    .default_size(plots_width)
                    .size_range(200.0..=(0.34 * window_width).max(220.0))
            };
            plots.show(ui, |ui| {
                bounded(ui, |ui| {
                    // Room on the right for the last x tick's label, which is centred on the
                    // plot's edge and would be cut by the panel ("200" showing as "20").
                    ui.set_max_width((ui.available_width() - 12.0).max(120.0));
                    let lr = plots_ui::plots_ui(ui, &mut self.state, &self.cache, &self.anim);
                    ui.add_space(6.0);
                    let cursor = self.anim.step() as f64;
                    let loss =
                        lower_plot_ui::lower_plot_ui(ui, &mut self.state, &self.cache, cursor);
                    self.plot_axes = PlotAxes {
                        lr: Some(lr),
                        loss: Some(loss),
                    };
                });
            });
            egui::CentralPanel::default().show(ui, |ui| {
                if self.state.scene.network.is_some() {
                    network_ui::network_ui(
                        ui,
                        &mut self.state,
                        &self.cache,
                        &self.anim,
                        &mut self.network_views,
                    );
                } else if self.state.show_3d {
                    surface3d_ui::surface3d_ui(
                        ui,
                        &mut self.state,
                        &self.cache,
                        &self.anim,
                        &mut self.reset_view,
                        &mut self.surface3d,
                        update,
                    );
                } else {
                    surface_ui::surface_ui(
                        ui,
                        &mut self.state,
                        &self.cache,
                        &self.anim,
                        &mut self.reset_view,
                        &mut self.surface_ui,
                        update,
                    );
                }
            });
        });
        sweep_ui::sweep_window(&ctx, &mut self.sweep, &mut self.state, &self.cache);
        present_ui::help_ui(&ctx, &mut self.help);
        if let Some(notice) = &self.notice {
            // Inside the surface plot, just above its frame's bottom: below it are the x
            // axis's labels, which a toast over the window's bottom edge covered.
            let within = self
                .surface_ui
                .overlay
                .plot
                .filter(|_| self.state.scene.network.is_none());
            let click = notice.toast_ui(&ctx, within);
            if notice.text != self.announced {
                platform::announce(&notice.text);
                self.announced.clone_from(&notice.text);
            }
            match click {
                ToastClick::Nothing => {}
                ToastClick::Cancel => self.cancel_export(),
                ToastClick::OpenFolder => {
                    let folder = notice.folder.clone();
                    if let Some(Err(e)) = folder.map(|f| platform::open_folder(&f)) {
                        self.notice = Some(Notice::failed(format!("Open folder: {e}")));
                    }
                }
            }
        }

        // 4. What the panels asked for.
        for action in toolbar_actions {
            self.apply(&ctx, action);
        }
        let menu_file_command = match menu_command {
            Some(files::MenuCommand::Action(action)) => {
                self.apply(&ctx, action);
                None
            }
            Some(files::MenuCommand::File(command)) => Some(command),
            None => None,
        };
        self.files_ui(&ctx, menu_file_command);
        // Edits made in the panels are derived at the start of the next frame: ask for it.
        if !self.cache.is_current(&self.state) {
            ctx.request_repaint();
        }

        if self.frame_times_ms.len() == 240 {
            self.frame_times_ms.pop_front();
        }
        let frame_ms = started.elapsed().as_secs_f64() * 1e3;
        self.frame_times_ms.push_back(frame_ms);
        platform::report_frame_time(self.median_frame_time_ms(), frame_ms);
    }

    /// Does what an action of the command table stands for; the toolbar, the menus and the
    /// keys all come here.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        let max = self.cache.max_steps(&self.state) as f64;
        let n = BUILTIN_PRESETS.len();
        match action {
            Action::Rewind => self.anim.cursor = 0.0,
            Action::StepBack => {
                self.anim.playing = false;
                match self.shown_stage() {
                    Some(i) if i > 0 => self.stage = (self.anim.step(), i - 1),
                    _ => {
                        self.anim.cursor = (self.anim.cursor.ceil() - 1.0).max(0.0);
                        // Back into the previous update at its last stage.
                        self.stage = (self.anim.step(), usize::MAX);
                    }
                }
            }
            Action::PlayPause => self.toggle_play(max),
            Action::StepForward => {
                self.anim.playing = false;
                let stages = self
                    .explain
                    .cached(self.state.selected, self.anim.step())
                    .map_or(0, |(d, _)| d.stages.len());
                match self.shown_stage() {
                    Some(i) if i + 1 < stages => self.stage = (self.anim.step(), i + 1),
                    _ => {
                        self.anim.cursor = (self.anim.cursor.floor() + 1.0).min(max);
                        self.stage = (self.anim.step(), 0);
                    }
                }
            }
            Action::End => {
                self.anim.playing = false;
                self.anim.cursor = max;
            }
            Action::ResetView => {
                self.state.scene.view = None;
                self.reset_view = true;
            }
            Action::View3d => self.state.show_3d = !self.state.show_3d,
            Action::Present => self.state.presentation = !self.state.presentation,
            Action::Light => self.state.light_theme = !self.state.light_theme,
            Action::Controls => self.state.hide_controls = !self.state.hide_controls,
            Action::Help => self.help = !self.help,
            Action::CloseHelp => self.help = false,
            // From a file's scene, the built-in of the same title is where the lecture stands.
            Action::NextScene => {
                let next = self
                    .builtin_on_screen
                    .or_else(|| self.builtin_titled_like())
                    .map_or(0, |c| (c + 1) % n);
                self.request(ctx, FileCommand::OpenBuiltin(next));
            }
            Action::PreviousScene => {
                let previous = self
                    .builtin_on_screen
                    .or_else(|| self.builtin_titled_like())
                    .map_or(n - 1, |c| (c + n - 1) % n);
                self.request(ctx, FileCommand::OpenBuiltin(previous));
            }
            Action::New => self.request(ctx, FileCommand::New),
            Action::Open => self.request(ctx, FileCommand::OpenDialog),
            Action::Save => self.request(ctx, FileCommand::Save),
            Action::SaveAs => self.request(ctx, FileCommand::SaveAs),
            // Through the close request, so unsaved changes are asked about first.
            Action::Quit => ctx.send_viewport_cmd(ViewportCommand::Close),
            Action::CopyLink => self.request(ctx, FileCommand::CopyLink),
            Action::OpenLink => self.request(ctx, FileCommand::OpenLinkDialog),
            Action::ExportPng => self.request(ctx, FileCommand::ExportDialog(ExportKind::Png)),
            Action::ExportGif => self.request(ctx, FileCommand::ExportDialog(ExportKind::Gif)),
            Action::ExportCsv => self.request(ctx, FileCommand::ExportDialog(ExportKind::Csv)),
            Action::CopyPytorch => self.request(ctx, FileCommand::CopyPytorch),
            Action::CopyKeras => self.request(ctx, FileCommand::CopyKeras),
            Action::OpenSweep if self.state.scene.network.is_some() => {
                self.notice = Some(Notice::failed(
                    "The sweep and the range test run on surfaces; a network scene races its \
                     runs instead (Duplicate a run and change its lr)."
                        .to_owned(),
                ))
            }
            Action::OpenSweep => self.sweep.open = true,
            Action::FrameTime => self.state.show_frame_time = !self.state.show_frame_time,
        }
    }

    /// Whether the toggle of `action` is on (for the toolbar's toggles).
    pub fn is_on(&self, action: Action) -> bool {
        match action {
            Action::Present => self.state.presentation,
            Action::Light => self.state.light_theme,
            Action::View3d => self.state.show_3d,
            Action::Controls => !self.state.hide_controls,
            Action::Help => self.help,
            Action::FrameTime => self.state.show_frame_time,
            _ => false,
        }
    }

    fn toggle_play(&mut self, max: f64) {
        self.anim.playing = !self.anim.playing;
        if self.anim.playing && self.anim.cursor >= max {
            self.anim.cursor = 0.0;
        }
    }

    fn advance_animation(&mut self, ctx: &egui::Context) {
        let max = self.cache.max_steps(&self.state) as f64;
        self.anim.cursor = self.anim.cursor.clamp(0.0, max);
        if !self.anim.playing {
            return;
        }
        // Never jump more than a tenth of a second when a frame was late.
        let dt = ctx.input(|i| i.unstable_dt).clamp(0.0, 0.1) as f64;
        self.anim.cursor = (self.anim.cursor + self.state.scene.speed * dt).min(max);
        // A network still training moves the end of the timeline on: keep playing.
        if self.anim.cursor >= max && !self.cache.network.training() {
            self.anim.playing = false;
        } else {
            ctx.request_repaint();
        }
    }
}

impl eframe::App for OptiscopeApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        OptiscopeApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }

    fn auto_save_interval(&self) -> std::time::Duration {
        platform::AUTO_SAVE
    }
}

fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}
