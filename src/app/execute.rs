//! What the File and Export commands do: open, save, export (in the background), copy a
//! link or a script, quit; the dialogs they need and the unsaved-changes guard in front of them.

use std::path::PathBuf;

use egui::ViewportCommand;

use super::OptiscopeApp;
use super::files::{self, Dialog, FileCommand, PathFor};
use super::platform::{self, Outcome, Step, Task};
use super::state::{self, AppState};
use super::toast::Notice;
use crate::picture::export::{ExportFile, ExportJob, ExportKind};
use crate::scene::link::{self, LinkError};
use crate::scene::preset::{
    BUILTIN_PRESETS, PresetError, SaveFailure, load_preset, parse_preset_bytes, push_recent, to_ron,
};
use crate::tr;

/// An export in the background: the files it made, or why it failed.
pub(super) type ExportTask = Task<Result<Vec<ExportFile>, String>>;

impl OptiscopeApp {
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
    pub(super) fn scene_of(command: &FileCommand) -> Option<Result<link::SceneLink, String>> {
        let plain = |preset| link::SceneLink {
            preset,
            show: link::Showing::default(),
        };
        Some(match command {
            FileCommand::Open(path) => load_preset(path).map(plain).map_err(|e| e.text()),
            FileCommand::OpenBytes { name, bytes } => parse_preset_bytes(bytes, name)
                .map(plain)
                .map_err(|e| e.text()),
            FileCommand::OpenLink(text) => link::parse_link(text).map_err(|e: LinkError| e.text()),
            _ => return None,
        })
    }

    pub(super) fn execute(&mut self, ctx: &egui::Context, command: FileCommand) {
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
                            to: PathFor::Open,
                            text: dir.map(|d| format!("{}/", d.display())).unwrap_or_default(),
                            note,
                        })
                    }
                }
            }
            FileCommand::Open(ref path) => match Self::scene_of(&command) {
                Some(Ok(link)) => {
                    self.open_preset(&link.preset, Some(path.clone()));
                    self.builtin_on_screen = None;
                }
                Some(Err(message)) => self.show_message(message),
                None => {}
            },
            FileCommand::OpenBytes { ref name, .. } => match Self::scene_of(&command) {
                Some(Ok(link)) => {
                    let name = name.clone();
                    self.open_preset(&link.preset, None);
                    self.notice = Some(Notice::done(tr!("execute-opened", name = name)));
                }
                Some(Err(message)) => self.show_message(message),
                None => {}
            },
            FileCommand::OpenLink(_) => match Self::scene_of(&command) {
                Some(Ok(link)) => {
                    self.open_preset(&link.preset, None);
                    self.builtin_on_screen = self.matching_builtin();
                    // A locked link is a slide: the scene without its controls.
                    if link.show.lock {
                        self.state.hide_controls = true;
                    }
                    // An embed stays one (until its Full app button).
                    if link.show.embed {
                        self.embed = true;
                    }
                    // A link in a language speaks it (and the window remembers it).
                    if link.show.lang.is_some() {
                        self.state.language = link.show.lang;
                    }
                }
                Some(Err(message)) => {
                    self.notice = Some(Notice::failed(tr!(
                        "execute-could-not-open-link",
                        message = message
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
                match link::scene_link(&base, &self.scene(), self.showing()) {
                    Ok(url) => {
                        let size = url.len();
                        ctx.copy_text(url);
                        self.notice = Some(Notice::done(tr!("execute-copied-link", size = size)));
                    }
                    Err(e) => self.notice = Some(Notice::failed(e.text())),
                }
            }
            FileCommand::CopyEmbed => {
                let base = platform::page_address()
                    .filter(|a| a.starts_with("http:") || a.starts_with("https:"))
                    .unwrap_or(link::DEFAULT_BASE.to_owned());
                let preset = self.scene();
                let show = link::Showing {
                    embed: true,
                    ..self.showing()
                };
                match link::scene_link(&base, &preset, show) {
                    Ok(url) => {
                        let code = crate::scene::page::embed_code(
                            &url,
                            preset.title_in(self.state.lang()),
                        );
                        ctx.copy_text(code);
                        self.notice = Some(Notice::done(tr!("execute-copied-embed")));
                    }
                    Err(e) => self.notice = Some(Notice::failed(e.text())),
                }
            }
            FileCommand::SavePageDialog => {
                let name = files::suggested_file_name(&self.state);
                let name = format!("{}.html", name.trim_end_matches(".ron"));
                let picked = self.pick(|| platform::pick_page(dir.as_deref(), &name));
                self.save_to_picked(ctx, picked, dir.as_deref(), &name, PathFor::Page);
            }
            FileCommand::SavePageTo(path) => {
                // The scene as it is now, even if the page arrives frames later.
                self.page_job = Some((path, self.scene()));
                platform::request_built_page(ctx, self.built_page.as_deref());
                self.notice = Some(Notice::working(tr!("execute-making-page")));
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
                self.save_to_picked(ctx, picked, dir.as_deref(), &name, PathFor::Save);
            }
            FileCommand::SaveTo(path) => {
                let preset = self.scene();
                let saved = to_ron(&preset)
                    .map_err(|e| SaveFailure::Ron(e.to_string()))
                    .and_then(|text| {
                        platform::write_file(&path, text.as_bytes()).map_err(SaveFailure::File)
                    });
                match saved {
                    Ok(place) => {
                        if platform::HAS_FILE_SYSTEM {
                            push_recent(&mut self.state.recent, &path, state::MAX_RECENT);
                        }
                        self.notice = Some(
                            Notice::done(tr!("execute-saved-to", place = place.as_str()))
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
                self.notice = Some(Notice::failed(tr!(
                    "execute-export-surface-only",
                    kind = kind.describe()
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
                self.save_to_picked(ctx, picked, dir.as_deref(), &name, PathFor::Export(kind));
            }
            FileCommand::ExportTo(kind, path) => {
                // Drawing and encoding a GIF takes seconds: in the background (a thread on the
                // desktop, slices of frames in the browser), a piece at a time.
                if let Some((_, mut job)) = self.export_job.take() {
                    job.cancel();
                }
                let mut job = ExportJob::new(kind, self.scene(), self.anim.step(), path);
                let threads = platform::threads().clamp(1, 4);
                // The picture speaks the window's language, in whichever thread draws it.
                let lang = crate::text::current();
                let task = Task::start(move |budget| {
                    crate::text::set_current(lang);
                    while budget.has_time() {
                        match job.advance(threads) {
                            Ok(Some(files)) => return Step::Ready(Ok(files)),
                            Ok(None) => {
                                let (done, of) = job.progress();
                                budget.report(done, of);
                            }
                            Err(e) => return Step::Ready(Err(e.text())),
                        }
                    }
                    Step::Pending
                });
                self.export_job = Some((kind, task));
                self.notice = Some(Notice::working(tr!(
                    "execute-exporting",
                    kind = kind.describe()
                )));
            }
            FileCommand::CopyPytorch | FileCommand::CopyKeras => {
                let preset = self.scene();
                let (write, framework): (fn(_, _) -> _, _) = match command {
                    FileCommand::CopyKeras => (crate::scene::script::keras_script, "Keras"),
                    _ => (crate::scene::script::pytorch_script, "PyTorch"),
                };
                match write(&preset, self.state.selected) {
                    Ok(script) => {
                        ctx.copy_text(script);
                        self.notice = Some(Notice::done(tr!(
                            "execute-copied-script",
                            framework = framework,
                            run = self.state.selected + 1
                        )));
                    }
                    Err(e) => self.dialog = Some(Dialog::Error { message: e.text() }),
                }
            }
            FileCommand::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    /// Leaves the embed for the whole app: in the browser a new tab with this scene (an
    /// embed's frame is too small for the panels), on the desktop this window.
    pub(super) fn leave_embed(&mut self, ctx: &egui::Context) {
        match platform::page_address()
            .map(|base| link::scene_link(&base, &self.scene(), self.showing()))
        {
            Some(Ok(url)) => ctx.open_url(egui::OpenUrl::new_tab(url)),
            Some(Err(e)) => self.notice = Some(Notice::failed(e.text())),
            None => self.embed = false,
        }
    }

    /// How a link or page made from this window shows its scene: in the window's language
    /// when that is not English.
    fn showing(&self) -> link::Showing {
        let lang = (self.state.lang() != crate::text::Lang::En).then(|| self.state.lang());
        link::Showing {
            lang,
            ..Default::default()
        }
    }

    /// Writes the web page once the one-file app it is made from is there.
    pub(super) fn poll_page(&mut self) {
        if self.page_job.is_none() {
            return;
        }
        let Some(template) = platform::take_built_page() else {
            return;
        };
        let Some((path, preset)) = self.page_job.take() else {
            return;
        };
        let written = template.and_then(|template| {
            let page = crate::scene::page::scene_page(
                &template,
                crate::scene::page::BUILT_PAGE,
                &preset,
                self.showing(),
            )
            .map_err(|e| e.text())?;
            platform::write_file(&path, page.as_bytes()).map_err(|e| {
                tr!(
                    "error-export-write",
                    path = path.display().to_string(),
                    error = e.text()
                )
            })
        });
        self.notice = Some(match written {
            Ok(place) => Notice::done(tr!("execute-saved-page", place = place.as_str()))
                .with_folder(std::path::Path::new(&place).parent()),
            Err(message) => Notice::failed(tr!("execute-page-failed", message = message)),
        });
    }

    /// Follows the export in the background: its progress in the toast, then the files
    /// written (or downloaded) and a message, or its error.
    pub(super) fn poll_export(&mut self, ctx: &egui::Context) {
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
                        platform::write_file(&f.path, &f.bytes).map_err(|e| {
                            tr!(
                                "error-export-write",
                                path = f.path.display().to_string(),
                                error = e.text()
                            )
                        })
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
                    Err(message) => Some(Notice::failed(tr!(
                        "execute-export-failed",
                        message = message
                    ))),
                }
            }
            Outcome::Done(Err(message)) => Some(Notice::failed(tr!(
                "execute-export-failed",
                message = message
            ))),
            Outcome::Cancelled => Some(Notice::done(tr!("execute-export-cancelled"))),
            Outcome::Crashed => Some(Notice::failed(tr!("execute-export-crashed"))),
        };
        self.notice = notice;
        self.export_job = None;
    }

    /// Stops the export under way.
    pub(super) fn cancel_export(&mut self) {
        if let Some((_, mut task)) = self.export_job.take() {
            task.cancel();
            self.notice = Some(Notice::done(tr!("execute-export-cancelled")));
        }
    }

    /// Whether an export is still running.
    pub fn exporting(&self) -> bool {
        self.export_job.is_some()
    }

    /// Saves (or exports) to the path a save dialog gave; where no dialog could be shown, asks
    /// for the path in the window, starting from `dir/name`.
    pub(super) fn save_to_picked(
        &mut self,
        ctx: &egui::Context,
        picked: Result<Option<PathBuf>, String>,
        dir: Option<&std::path::Path>,
        name: &str,
        to: PathFor,
    ) {
        match picked {
            Ok(Some(path)) => self.execute(ctx, to.command(path)),
            Ok(None) => {}
            Err(note) => {
                let text = match dir {
                    Some(d) => d.join(name).display().to_string(),
                    None => name.to_owned(),
                };
                self.dialog = Some(Dialog::Path { to, text, note });
            }
        }
    }

    /// A native dialog, or straight to the path field when they are switched off.
    pub(super) fn pick(
        &self,
        dialog: impl FnOnce() -> Result<Option<PathBuf>, platform::PlatformError>,
    ) -> Result<Option<PathBuf>, String> {
        if self.native_dialogs {
            dialog().map_err(|e| e.text())
        } else {
            Err(String::new())
        }
    }

    pub(super) fn show_error(&mut self, e: &PresetError) {
        self.show_message(e.text());
    }

    /// Why something could not be opened or saved, in a dialog over the unchanged scene.
    pub(super) fn show_message(&mut self, message: String) {
        platform::announce(&message);
        self.dialog = Some(Dialog::Error { message });
    }

    /// The menu's command, the close guard and the dialogs; commands run after the frame's
    /// drawing.
    pub(super) fn files_ui(&mut self, ctx: &egui::Context, menu_command: Option<FileCommand>) {
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
}
