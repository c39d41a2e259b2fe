//! Everything a user can do from a toolbar button, a menu entry or a key, in one table. The
//! toolbar, the File, Export and Analyze menus, the keyboard and the `?` overlay are all
//! generated from [`ACTIONS`], so a new action is one row here plus its effect in
//! `OptiscopeApp::apply`.

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
    /// The button or menu text.
    pub label: &'static str,
    /// What it does, for tooltips and the `?` overlay.
    pub help: &'static str,
    pub keys: &'static [KeyboardShortcut],
    pub place: Place,
    /// Listed in the `?` overlay (actions with keys).
    pub listed: bool,
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
        "Rewind",
        "back to step 0",
        &[key(Key::Home)],
        Place::Toolbar,
    ),
    row(
        Action::StepBack,
        "Back",
        "one step back",
        &[key(Key::ArrowLeft)],
        Place::Toolbar,
    ),
    row(
        Action::PlayPause,
        "Play",
        "play / pause",
        &[key(Key::Space)],
        Place::Toolbar,
    ),
    row(
        Action::StepForward,
        "Step",
        "one step forward",
        &[key(Key::ArrowRight)],
        Place::Toolbar,
    ),
    row(
        Action::End,
        "End",
        "the last step",
        &[key(Key::End)],
        Place::Keys,
    ),
    row(
        Action::ResetView,
        "Reset view",
        "show the surface's default area",
        &[key(Key::R)],
        Place::Toolbar,
    ),
    row(
        Action::View3d,
        "3D",
        "the surface in 3D: drag to orbit, wheel to zoom, double-click to reset",
        &[key(Key::Num3)],
        Place::Toggle,
    ),
    row(
        Action::Present,
        "Present",
        "presentation mode: full screen, large text, the scene's notes as a banner",
        &[key(Key::F11)],
        Place::Toggle,
    ),
    row(
        Action::Light,
        "Light",
        "high-contrast light theme for projectors",
        &[key(Key::L)],
        Place::Toggle,
    ),
    row(
        Action::Controls,
        "Controls",
        "show / hide the left panel",
        &[key(Key::C)],
        Place::Toggle,
    ),
    row(
        Action::NextScene,
        "Next scene",
        "next built-in scene",
        &[key(Key::PageDown)],
        Place::Keys,
    ),
    row(
        Action::PreviousScene,
        "Previous scene",
        "previous built-in scene",
        &[key(Key::PageUp)],
        Place::Keys,
    ),
    row(
        Action::Help,
        "?",
        "keyboard shortcuts",
        &[key(Key::Questionmark)],
        Place::Toolbar,
    ),
    ActionDef {
        listed: false,
        ..row(
            Action::CloseHelp,
            "Close help",
            "close the shortcut overlay",
            &[key(Key::Escape)],
            Place::Keys,
        )
    },
    row(
        Action::New,
        "New",
        "new scene",
        &[command(Key::N)],
        Place::FileMenu,
    ),
    row(
        Action::Open,
        "Open…",
        "open a preset",
        &[command(Key::O)],
        Place::FileMenu,
    ),
    row(
        Action::Save,
        "Save",
        "save the scene",
        &[command(Key::S)],
        Place::FileMenu,
    ),
    row(
        Action::SaveAs,
        "Save As…",
        "save the scene to another file",
        &[KeyboardShortcut::new(
            Modifiers::COMMAND.plus(Modifiers::SHIFT),
            Key::S,
        )],
        Place::FileMenu,
    ),
    menu(
        Action::CopyLink,
        "Copy link to this scene",
        "a link that opens this scene, animation position included, in the web app (or \
         in the desktop app with File ▸ Open link…), on the clipboard",
        Place::FileMenu,
    ),
    menu(
        Action::OpenLink,
        "Open link…",
        "open a scene from a link someone sent (paste it)",
        Place::FileMenu,
    ),
    menu(Action::Quit, "Quit", "close the window", Place::FileMenu),
    menu(
        Action::ExportPng,
        "Picture (PNG)…",
        "the surface and the runs at the current step, 1600×1000",
        Place::ExportMenu,
    ),
    menu(
        Action::ExportGif,
        "Animation (GIF)…",
        "the runs moving, 800×500 at 20 frames per second",
        Place::ExportMenu,
    ),
    menu(
        Action::ExportCsv,
        "Trajectories (CSV)…",
        "one CSV per run with the columns of `optiscope trace`",
        Place::ExportMenu,
    ),
    menu(
        Action::CopyPytorch,
        "Copy run as PyTorch",
        "a Python script that reproduces the selected run with torch.optim and \
         torch.optim.lr_scheduler, on the clipboard; for torch.optim's optimizers",
        Place::ExportMenu,
    ),
    menu(
        Action::CopyKeras,
        "Copy run as Keras",
        "a Python script that reproduces the selected run with Keras 3's keras.optimizers and \
         keras.optimizers.schedules (float64), on the clipboard; for the keras.* optimizers",
        Place::ExportMenu,
    ),
    menu(
        Action::OpenSweep,
        "Which learning rates work?",
        "sweep the selected run over learning rates, or run the LR range test",
        Place::AnalyzeMenu,
    ),
    menu(
        Action::FrameTime,
        "Show frame time",
        "show in the toolbar how long the window takes to build a frame (hidden in \
         presentation mode)",
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
    let mut button = egui::Button::new(def.label);
    if let Some(s) = def.keys.first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(s));
    }
    ui.add(button).on_hover_text(sentence(def.help)).clicked()
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
    format!("{} ({})", sentence(def.help), keys_text(ctx, def))
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
