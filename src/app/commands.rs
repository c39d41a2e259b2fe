//! Everything a user can do from a toolbar button, a menu entry or a key, in one table. The
//! toolbar, the File, Export and Analyze menus, the keyboard and the `?` overlay are all
//! generated from [`ACTIONS`], so a new action is one row here plus its effect in
//! `OptiscopeApp::apply`.

use crate::msg;
use egui::{Key, KeyboardShortcut, Modifiers};

/// An action of the table; what it does lives in one place (`OptiscopeApp::apply`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Rewind,
    StepBack,
    PlayPause,
    StepForward,
    End,
    ResetView,
    View3d,
    Present,
    Light,
    Controls,
    Help,
    CloseHelp,
    NextScene,
    PreviousScene,
    New,
    Open,
    Save,
    SaveAs,
    CopyLink,
    OpenLink,
    SavePage,
    CopyEmbed,
    Quit,
    ExportPng,
    ExportGif,
    ExportCsv,
    CopyPytorch,
    CopyKeras,
    OpenSweep,
    FrameTime,
}

/// Where an action shows besides its keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A button in the toolbar.
    Toolbar,
    /// A toggle in the toolbar, lit while the setting is on.
    Toggle,
    /// An entry of the File menu.
    FileMenu,
    /// An entry of the Export menu.
    ExportMenu,
    /// An entry of the Analyze menu.
    AnalyzeMenu,
    /// Keys only.
    Keys,
}

/// One row of the table.
#[derive(Debug)]
pub struct ActionDef {
    pub action: Action,
    /// The message id of the button or menu text (see [`ActionDef::label`]).
    pub label: &'static str,
    /// The message id of what it does, for tooltips and the `?` overlay.
    pub help: &'static str,
    pub keys: &'static [KeyboardShortcut],
    pub place: Place,
    /// Listed in the `?` overlay (actions with keys).
    pub listed: bool,
}

impl ActionDef {
    /// The button or menu text in the current language.
    pub fn label(&self) -> String {
        crate::text::text(self.label, None)
    }

    /// What it does, in the current language.
    pub fn help(&self) -> String {
        crate::text::text(self.help, None)
    }
}

const fn key(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, k)
}

const fn command(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, k)
}

const fn row(
    action: Action,
    label: &'static str,
    help: &'static str,
    keys: &'static [KeyboardShortcut],
    place: Place,
) -> ActionDef {
    ActionDef {
        action,
        label,
        help,
        keys,
        place,
        listed: true,
    }
}

/// The table, in toolbar and overlay order.
pub const ACTIONS: &[ActionDef] = &[
    row(
        Action::Rewind,
        msg!("command-rewind"),
        msg!("command-rewind-help"),
        &[key(Key::Home)],
        Place::Toolbar,
    ),
    row(
        Action::StepBack,
        msg!("command-back"),
        msg!("command-back-help"),
        &[key(Key::ArrowLeft)],
        Place::Toolbar,
    ),
    row(
        Action::PlayPause,
        msg!("command-play"),
        msg!("command-play-help"),
        &[key(Key::Space)],
        Place::Toolbar,
    ),
    row(
        Action::StepForward,
        msg!("command-step"),
        msg!("command-step-help"),
        &[key(Key::ArrowRight)],
        Place::Toolbar,
    ),
    row(
        Action::End,
        msg!("command-end"),
        msg!("command-end-help"),
        &[key(Key::End)],
        Place::Keys,
    ),
    row(
        Action::ResetView,
        msg!("command-reset-view"),
        msg!("command-reset-view-help"),
        &[key(Key::R)],
        Place::Toolbar,
    ),
    row(
        Action::View3d,
        msg!("command-3d"),
        msg!("command-3d-help"),
        &[key(Key::Num3)],
        Place::Toggle,
    ),
    row(
        Action::Present,
        msg!("command-present"),
        msg!("command-present-help"),
        &[key(Key::F11)],
        Place::Toggle,
    ),
    row(
        Action::Light,
        msg!("command-light"),
        msg!("command-light-help"),
        &[key(Key::L)],
        Place::Toggle,
    ),
    row(
        Action::Controls,
        msg!("command-controls"),
        msg!("command-controls-help"),
        &[key(Key::C)],
        Place::Toggle,
    ),
    row(
        Action::NextScene,
        msg!("command-next-scene"),
        msg!("command-next-scene-help"),
        &[key(Key::PageDown)],
        Place::Keys,
    ),
    row(
        Action::PreviousScene,
        msg!("command-previous-scene"),
        msg!("command-previous-scene-help"),
        &[key(Key::PageUp)],
        Place::Keys,
    ),
    row(
        Action::Help,
        msg!("command-help"),
        msg!("command-help-help"),
        &[key(Key::Questionmark)],
        Place::Toolbar,
    ),
    ActionDef {
        listed: false,
        ..row(
            Action::CloseHelp,
            msg!("command-close-help"),
            msg!("command-close-help-help"),
            &[key(Key::Escape)],
            Place::Keys,
        )
    },
    row(
        Action::New,
        msg!("command-new"),
        msg!("command-new-help"),
        &[command(Key::N)],
        Place::FileMenu,
    ),
    row(
        Action::Open,
        msg!("command-open"),
        msg!("command-open-help"),
        &[command(Key::O)],
        Place::FileMenu,
    ),
    row(
        Action::Save,
        msg!("command-save"),
        msg!("command-save-help"),
        &[command(Key::S)],
        Place::FileMenu,
    ),
    row(
        Action::SaveAs,
        msg!("command-save-as"),
        msg!("command-save-as-help"),
        &[KeyboardShortcut::new(
            Modifiers::COMMAND.plus(Modifiers::SHIFT),
            Key::S,
        )],
        Place::FileMenu,
    ),
    menu(
        Action::CopyLink,
        msg!("command-copy-link-to-this-scene"),
        msg!("command-copy-link-to-this-scene-help"),
        Place::FileMenu,
    ),
    menu(
        Action::OpenLink,
        msg!("command-open-link"),
        msg!("command-open-link-help"),
        Place::FileMenu,
    ),
    menu(
        Action::SavePage,
        msg!("command-save-as-web-page"),
        msg!("command-save-as-web-page-help"),
        Place::FileMenu,
    ),
    menu(
        Action::CopyEmbed,
        msg!("command-copy-embed-code"),
        msg!("command-copy-embed-code-help"),
        Place::FileMenu,
    ),
    menu(
        Action::Quit,
        msg!("command-quit"),
        msg!("command-quit-help"),
        Place::FileMenu,
    ),
    menu(
        Action::ExportPng,
        msg!("command-picture-png"),
        msg!("command-picture-png-help"),
        Place::ExportMenu,
    ),
    menu(
        Action::ExportGif,
        msg!("command-animation-gif"),
        msg!("command-animation-gif-help"),
        Place::ExportMenu,
    ),
    menu(
        Action::ExportCsv,
        msg!("command-trajectories-csv"),
        msg!("command-trajectories-csv-help"),
        Place::ExportMenu,
    ),
    menu(
        Action::CopyPytorch,
        msg!("command-copy-run-as-pytorch"),
        msg!("command-copy-run-as-pytorch-help"),
        Place::ExportMenu,
    ),
    menu(
        Action::CopyKeras,
        msg!("command-copy-run-as-keras"),
        msg!("command-copy-run-as-keras-help"),
        Place::ExportMenu,
    ),
    menu(
        Action::OpenSweep,
        msg!("command-which-learning-rates-work"),
        msg!("command-which-learning-rates-work-help"),
        Place::AnalyzeMenu,
    ),
    menu(
        Action::FrameTime,
        msg!("command-show-frame-time"),
        msg!("command-show-frame-time-help"),
        Place::AnalyzeMenu,
    ),
];

/// A menu entry without keys (not listed in the `?` overlay).
const fn menu(action: Action, label: &'static str, help: &'static str, place: Place) -> ActionDef {
    ActionDef {
        listed: false,
        ..row(action, label, help, &[], place)
    }
}

/// The entries of `place`, in table order.
pub fn in_place(place: Place) -> impl Iterator<Item = &'static ActionDef> {
    ACTIONS.iter().filter(move |d| d.place == place)
}

/// A menu entry of the table as a button with its shortcut; whether it was clicked.
pub fn menu_item_ui(ui: &mut egui::Ui, def: &ActionDef) -> bool {
    let mut button = egui::Button::new(def.label());
    if let Some(s) = def.keys.first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(s));
    }
    ui.add(button)
        .on_hover_text(sentence(&def.help()))
        .clicked()
}

/// The row of `action`.
pub fn def(action: Action) -> &'static ActionDef {
    ACTIONS
        .iter()
        .find(|d| d.action == action)
        .unwrap_or(&ACTIONS[0])
}

/// The keys of `def` as the platform writes them ("Space", "Ctrl+O").
pub fn keys_text(ctx: &egui::Context, def: &ActionDef) -> String {
    let keys: Vec<String> = def
        .keys
        .iter()
        .map(|k| {
            if k.modifiers.is_none() {
                key_name(k.logical_key).to_owned()
            } else {
                ctx.format_shortcut(k)
            }
        })
        .collect();
    keys.join("  /  ")
}

/// A key as the overlay writes it, in glyphs every bundled font has (egui's own symbols for
/// arrows are missing from the monospace font).
fn key_name(key: Key) -> &'static str {
    match key {
        Key::ArrowLeft => "←",
        Key::ArrowRight => "→",
        Key::ArrowUp => "↑",
        Key::ArrowDown => "↓",
        Key::Questionmark => "?",
        Key::Escape => "Esc",
        other => other.name(),
    }
}

/// `help` as a sentence: its first letter upper case.
fn sentence(help: &str) -> String {
    let mut chars = help.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The tooltip of a toolbar button: what it does and its key.
pub fn hover_text(ctx: &egui::Context, def: &ActionDef) -> String {
    format!("{} ({})", sentence(&def.help()), keys_text(ctx, def))
}

/// The actions whose keys were pressed this frame, their key events consumed. Plain keys
/// are skipped while a text field has the keyboard (typing "r" into a formula must not reset
/// the view); shortcuts with Ctrl/Cmd always count. Escape is taken only while the help is
/// open, so menus and popups keep it otherwise.
pub fn pressed(ctx: &egui::Context, help_open: bool) -> Vec<Action> {
    let typing = ctx.egui_wants_keyboard_input();
    // Shortcuts with more modifiers first, so Ctrl+Shift+S is not taken for Ctrl+S.
    let mut keys: Vec<(&KeyboardShortcut, Action)> = ACTIONS
        .iter()
        .filter(|d| help_open || d.action != Action::CloseHelp)
        .flat_map(|d| d.keys.iter().map(move |k| (k, d.action)))
        .filter(|(k, _)| !(typing && k.modifiers.is_none()))
        .collect();
    keys.sort_by_key(|(k, _)| {
        std::cmp::Reverse(
            u8::from(k.modifiers.command || k.modifiers.ctrl) + u8::from(k.modifiers.shift),
        )
    });
    ctx.input_mut(|i| {
        keys.iter()
            .filter(|(k, _)| i.consume_shortcut(k))
            .map(|(_, a)| *a)
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_writes_keys_in_plain_glyphs() {
        for d in ACTIONS {
            for k in d.keys {
                let name = key_name(k.logical_key);
                assert!(
                    name.chars()
                        .all(|c| c.is_ascii_graphic() || "←→↑↓".contains(c)),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn every_action_has_one_row_and_keys_are_not_shared() {
        let mut seen = Vec::new();
        for d in ACTIONS {
            assert!(!seen.contains(&d.action), "{:?} twice", d.action);
            seen.push(d.action);
            // The overlay lists keys; what has none is reached through a menu.
            assert!(!(d.listed && d.keys.is_empty()), "{:?}", d.action);
            assert!(
                !d.keys.is_empty()
                    || matches!(
                        d.place,
                        Place::FileMenu | Place::ExportMenu | Place::AnalyzeMenu
                    ),
                "{:?} can be reached nowhere",
                d.action
            );
        }
        let keys: Vec<_> = ACTIONS.iter().flat_map(|d| d.keys).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[..i].contains(k), "{k:?} is bound twice");
        }
    }
}
