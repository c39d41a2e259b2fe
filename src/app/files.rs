//! Presets in the window: the File and Presets menus, shortcuts, the platform's file dialogs
//! (with a path field as fallback), drag and drop, links, the unsaved-changes guard and error messages.
//!
//! Menu code returns [`FileCommand`]s; `OptiscopeApp` applies them after the frame, so a command
//! that replaces the scene never runs in the middle of drawing it.

use crate::tr;
use std::path::PathBuf;

use egui::{Key, RichText, Ui};

use super::commands::{self, Action, Place};
use super::platform;

use super::state::AppState;
use crate::picture::export::ExportKind;
use crate::scene::preset::{BUILTIN_PRESETS, Preset, TOPIC_NAMES, TOPICS, display_name};

/// What the user asked for; applied after the frame.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum FileCommand {
    New,
    /// Show the native open dialog (or the path field).
    OpenDialog,
    Open(PathBuf),
    /// A file that came without a path (picked or dropped in the browser): its name and bytes.
    OpenBytes {
        name: String,
        bytes: Vec<u8>,
    },
    /// A scene link, or the fragment of one.
    OpenLink(String),
    /// Ask for a link to paste.
    OpenLinkDialog,
    /// Put a link to the scene on the clipboard.
    CopyLink,
    OpenBuiltin(usize),
    Save,
    SaveAs,
    SaveTo(PathBuf),
    /// Ask where to export (native dialog or the path field).
    ExportDialog(ExportKind),
    ExportTo(ExportKind, PathBuf),
    /// Ask where to save the scene as a web page (native dialog, the path field, or a
    /// download in the browser).
    SavePageDialog,
    /// Write the scene as a web page (the one-file app opening on it) to the path.
    SavePageTo(PathBuf),
    /// Put an `<iframe>` that embeds the scene on the clipboard.
    CopyEmbed,
    /// Put a PyTorch script of the selected run on the clipboard.
    CopyPytorch,
    /// Put a Keras script of the selected run on the clipboard.
    CopyKeras,
    /// Close the window.
    Quit,
    /// Run the command without asking about unsaved changes (the user chose to discard them).
    Discard(Box<FileCommand>),
    /// Save (asking where if the scene has no file yet), then run the command once saved.
    SaveThen(Box<FileCommand>),
}

impl FileCommand {
    /// Whether the command throws the current scene away, so unsaved changes must be confirmed.
    pub fn replaces_scene(&self) -> bool {
        matches!(
            self,
            Self::New
                | Self::Open(_)
                | Self::OpenBytes { .. }
                | Self::OpenLink(_)
                | Self::OpenBuiltin(_)
                | Self::Quit
        )
    }
}

/// A dialog over the window.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    /// Unsaved changes would be lost by `then`.
    ConfirmDiscard { then: FileCommand },
    /// Something could not be opened or saved; the scene is unchanged.
    Error { message: String },
    /// Type a path, because no native dialog could be shown.
    Path {
        /// What the path is for.
        to: PathFor,
        text: String,
        note: String,
    },
    /// Paste a scene link.
    Link { text: String },
}

/// What a typed path is for: each opens or writes a different thing there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PathFor {
    /// Open the preset there.
    Open,
    /// Save the scene there as a preset.
    Save,
    /// Export a picture or table there.
    Export(ExportKind),
    /// Save the scene there as a web page.
    Page,
}

impl PathFor {
    /// The command that does it with `path`.
    pub fn command(self, path: PathBuf) -> FileCommand {
        match self {
            PathFor::Open => FileCommand::Open(path),
            PathFor::Save => FileCommand::SaveTo(path),
            PathFor::Export(kind) => FileCommand::ExportTo(kind, path),
            PathFor::Page => FileCommand::SavePageTo(path),
        }
    }
}

/// What a menu asked for: an action of the command table, or a file command with a
/// parameter (a recent file, a built-in scene).
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum MenuCommand {
    Action(Action),
    File(FileCommand),
    /// The interface's language, from the language menu.
    Language(crate::text::Lang),
}

/// The File, Export, Presets and Analyze menus; the fixed entries come from the command table.
/// `built_page` is the one-file app Save as web page uses (when not the one found beside the
/// program).
pub fn menu_bar_ui(
    ui: &mut Ui,
    state: &AppState,
    built_page: Option<&std::path::Path>,
) -> Option<MenuCommand> {
    let mut command = None;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(tr!("files-file"), |ui| {
            for def in commands::in_place(Place::FileMenu) {
                // A page is closed with its tab.
                if def.action == Action::Quit && !platform::CAN_QUIT {
                    continue;
                }
                if matches!(
                    def.action,
                    Action::Save | Action::CopyLink | Action::SavePage | Action::Quit
                ) {
                    ui.separator();
                }
                // Without the one-file app there is no page to save: the entry says how to
                // build it instead of failing after a click.
                if def.action == Action::SavePage
                    && let Some(why) = platform::page_unavailable(built_page)
                {
                    ui.add_enabled(false, egui::Button::new(def.label()))
                        .on_disabled_hover_text(&why);
                    ui.label(
                        RichText::new(tr!("files-save-page-needs-build"))
                            .small()
                            .weak(),
                    )
                    .on_hover_text(why);
                    continue;
                }
                if commands::menu_item_ui(ui, def) {
                    command = Some(MenuCommand::Action(def.action));
                }
                // Recent files are paths; the browser has none.
                if def.action == Action::Open && platform::HAS_FILE_SYSTEM {
                    ui.menu_button(tr!("files-recent"), |ui| {
                        if state.recent.is_empty() {
                            ui.label(RichText::new(tr!("files-no-recent-files")).weak());
                        }
                        for path in &state.recent {
                            if ui
                                .button(display_name(path))
                                .on_hover_text(path.display().to_string())
                                .clicked()
                            {
                                command = Some(MenuCommand::File(FileCommand::Open(path.clone())));
                            }
                        }
                    });
                }
            }
        });
        ui.menu_button(tr!("files-export"), |ui| {
            for def in commands::in_place(Place::ExportMenu) {
                if def.action == Action::CopyPytorch {
                    ui.separator();
                }
                if commands::menu_item_ui(ui, def) {
                    command = Some(MenuCommand::Action(def.action));
                }
            }
        });
        ui.menu_button(tr!("files-presets"), |ui| {
            // One submenu per topic: the whole library in one list runs off a projector.
            let lang = state.lang();
            for (topic, name) in TOPICS.iter().zip(TOPIC_NAMES) {
                ui.menu_button(crate::text::text(name, None), |ui| {
                    for (i, scene) in builtin_scenes().iter().enumerate() {
                        let title = scene
                            .as_ref()
                            .map_or(BUILTIN_PRESETS[i].file, |p| p.title_in(lang));
                        if BUILTIN_PRESETS[i].topic == *topic && ui.button(title).clicked() {
                            command = Some(MenuCommand::File(FileCommand::OpenBuiltin(i)));
                        }
                    }
                });
            }
        });
        ui.menu_button(tr!("files-analyze"), |ui| {
            for def in commands::in_place(Place::AnalyzeMenu) {
                if commands::menu_item_ui(ui, def) {
                    command = Some(MenuCommand::Action(def.action));
                }
            }
        });
        ui.label(RichText::new(scene_name(state)).weak())
            .on_hover_text(
                state
                    .file
                    .as_ref()
                    .map_or(tr!("files-not-saved-yet"), |p| p.display().to_string()),
            );
        if state.is_dirty() {
            ui.label(RichText::new(tr!("files-unsaved-changes-2")).weak().small());
        }
        // The language menu at the far right, named in both languages so either reader
        // finds it.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.menu_button(tr!("language-menu"), |ui| {
                for lang in crate::text::Lang::ALL {
                    if ui
                        .selectable_label(state.lang() == lang, lang.native_name())
                        .clicked()
                    {
                        command = Some(MenuCommand::Language(lang));
                        ui.close();
                    }
                }
            })
            .response
            .on_hover_text(tr!("language-menu-help"));
        });
    });
    command
}

/// The built-in scenes, parsed once (`None` for one that does not load, which a test forbids).
pub fn builtin_scenes() -> &'static [Option<Preset>] {
    static SCENES: std::sync::OnceLock<Vec<Option<Preset>>> = std::sync::OnceLock::new();
    SCENES.get_or_init(|| BUILTIN_PRESETS.iter().map(|b| b.load().ok()).collect())
}

/// While a file is dragged over the window, say what dropping it does.
pub fn drop_hint_ui(ctx: &egui::Context) {
    let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-hint"),
    ));
    let rect = ctx.content_rect();
    painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        tr!("files-drop-hint"),
        egui::FontId::proportional(28.0),
        egui::Color32::WHITE,
    );
}

/// The name the title bar and menu show: the file, else the scene's title.
pub fn scene_name(state: &AppState) -> String {
    match &state.file {
        Some(path) => display_name(path),
        None if !state.scene.title_in(state.lang()).trim().is_empty() => {
            state.scene.title_in(state.lang()).to_owned()
        }
        None => tr!("files-untitled"),
    }
}

/// The window title: the scene's title (what a class reads), its file in parentheses, and a
/// marker while there are unsaved changes.
pub fn window_title(state: &AppState) -> String {
    let marker = if state.is_dirty() { "● " } else { "" };
    let title = state.scene.title_in(state.lang()).trim();
    match &state.file {
        Some(path) if !title.is_empty() => {
            tr!(
                "files-window-title-with-file",
                marker = marker,
                title = title,
                file = display_name(path)
            )
        }
        _ => tr!(
            "files-window-title",
            marker = marker,
            title = scene_name(state)
        ),
    }
}

/// A file name for a scene: its title in lowercase words joined by dashes.
pub fn suggested_file_name(state: &AppState) -> String {
    if let Some(path) = &state.file {
        return display_name(path);
    }
    let slug: String = state
        .scene
        .title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "scene.ron".to_owned()
    } else {
        format!("{slug}.ron")
    }
}

/// Draws the open dialog, if any; returns a command when the user chose.
pub fn dialog_ui(
    ctx: &egui::Context,
    dialog: &mut Option<Dialog>,
    scene: &str,
) -> Vec<FileCommand> {
    let Some(current) = dialog.as_mut() else {
        return Vec::new();
    };
    let mut commands = Vec::new();
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("file-dialog")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        match current {
            Dialog::ConfirmDiscard { then } => {
                ui.heading(tr!("files-unsaved-changes"));
                let what = match then {
                    FileCommand::Quit => tr!("files-quitting"),
                    FileCommand::New => tr!("files-starting-a-new-scene"),
                    _ => tr!("files-opening-another-scene"),
                };
                ui.label(tr!("files-discard-question", what = what, scene = scene));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(tr!("files-save")).clicked() {
                        // Continues once the save succeeds, however it is asked where.
                        commands = vec![FileCommand::SaveThen(Box::new(then.clone()))];
                        close = true;
                    }
                    if ui.button(tr!("files-discard-changes")).clicked() {
                        commands = vec![FileCommand::Discard(Box::new(then.clone()))];
                        close = true;
                    }
                    if ui.button(tr!("files-cancel")).clicked() {
                        close = true;
                    }
                });
            }
            Dialog::Link { text } => {
                ui.heading(tr!("files-open-link"));
                ui.label(tr!("files-paste-a-scene-link-or"));
                let edit = ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text("https://…#scene=1.…")
                        .desired_width(480.0),
                );
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                // Ready for Ctrl+V as soon as it opens.
                if !enter && ui.memory(|m| m.focused().is_none()) {
                    edit.request_focus();
                }
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let ok = ui
                        .add_enabled(
                            !text.trim().is_empty(),
                            egui::Button::new(tr!("files-open")),
                        )
                        .clicked();
                    if (ok || enter) && !text.trim().is_empty() {
                        commands.push(FileCommand::OpenLink(text.trim().to_owned()));
                        close = true;
                    }
                    if ui.button(tr!("files-cancel")).clicked() {
                        close = true;
                    }
                });
            }
            Dialog::Error { message } => {
                ui.heading(tr!("files-could-not-open-or-save"));
                ui.label(RichText::new(message.as_str()).monospace());
                ui.label(tr!("files-the-current-scene-is-unchanged"));
                ui.add_space(8.0);
                if ui.button(tr!("files-ok")).clicked() {
                    close = true;
                }
            }
            Dialog::Path { to, text, note } => {
                let heading = match to {
                    PathFor::Export(kind) => tr!("files-export-kind", kind = kind.describe()),
                    PathFor::Save => tr!("files-save-preset"),
                    PathFor::Open => tr!("files-open-preset"),
                    PathFor::Page => tr!("files-save-page"),
                };
                ui.heading(heading);
                if !note.is_empty() {
                    ui.label(RichText::new(note.as_str()).weak());
                }
                let edit = ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text(tr!("files-path-hint"))
                        .desired_width(480.0),
                );
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let label = match to {
                        PathFor::Export(_) => tr!("files-export"),
                        PathFor::Save | PathFor::Page => tr!("files-save"),
                        PathFor::Open => tr!("files-open"),
                    };
                    let ok = ui
                        .add_enabled(!text.trim().is_empty(), egui::Button::new(label))
                        .clicked();
                    if (ok || enter) && !text.trim().is_empty() {
                        let path = PathBuf::from(text.trim());
                        commands.push(to.command(path));
                        close = true;
                    }
                    if ui.button(tr!("files-cancel")).clicked() {
                        close = true;
                    }
                });
            }
        }
    });
    if close || modal.should_close() {
        *dialog = None;
    }
    commands
}
