//! The optiscope window: surface view with racing trajectories, controls for the selected run,
//! live learning-rate and loss plots, and an animation cursor over precomputed trajectories.
//!
//! State flows one way: UI functions edit [`AppState`]; [`Cache`] derives trajectories, schedule
//! previews and the heatmap from it when it changed; drawing reads the cache.
//!
//! This file holds the app and a frame's flow; the panels' layout is in `layout.rs`, what the
//! actions and the file commands do in `actions.rs` and `execute.rs`, the toast in `toast.rs`.

mod actions;
mod axes;
mod cache;
pub mod commands;
mod controls_ui;
mod execute;
mod explain_ui;
mod files;
mod generation;
mod layout;
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
mod toast;
pub mod views;

use std::collections::VecDeque;
use std::path::PathBuf;

use egui::Ui;

use crate::picture::export::ExportKind;
use execute::ExportTask;
use platform::Instant;

pub use cache::{Cache, Curves, RunResult};
pub use commands::Action;
pub use files::{Dialog, FileCommand, PathFor};
pub use state::{Animation, AppState, MAX_APP_STEPS, MAX_RUNS, PALETTE, RunState};
pub use step_plot::PlotAxes;
pub use surface_ui::OverlayRects;
pub use sweep_ui::{BAYES_TRIALS, SecondAxis, SweepUi};
pub use toast::Notice;
pub use views::title as lower_plot_title;

use crate::scene::preset::{BUILTIN_PRESETS, Preset, push_recent};

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
    /// Shown as an embed (`embed=1`): the surface, the LR plot and a compact bar, and nothing
    /// kept in or read from the storage of the page or the desktop.
    pub embed: bool,
    /// The one-file app File ▸ Save as web page puts the scene in, when not the one found
    /// beside the program (`web/dist/optiscope.html`); tests name their own.
    pub built_page: Option<PathBuf>,
    /// The web page being made: where it goes and the scene it holds, while the one-file app
    /// is read (in the browser it arrives frames later).
    page_job: Option<(PathBuf, crate::scene::preset::Preset)>,
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
            embed: false,
            built_page: None,
            page_job: None,
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
        // Only a built-in whose file holds the scene's title can be it: the others need not
        // be parsed.
        let title = saved.title.trim();
        BUILTIN_PRESETS.iter().position(|b| {
            b.text.contains(title)
                && b.load().is_ok_and(|p| {
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
            .position(|b| b.text.contains(title) && b.load().is_ok_and(|p| p.title.trim() == title))
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

    /// The app as eframe starts it: the persisted state of the last session, or the default
    /// scene on first launch.
    /// The language is the system's (the browser's) until the user picks one.
    /// An embed starts from the default state and never saves: its scene comes from its link,
    /// and two embeds on one page (one storage) would overwrite each other's.
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>) -> Self {
        let embed = platform::opened_embedded();
        let mut state: AppState = cc
            .storage
            .filter(|_| !embed)
            .and_then(|s| eframe::get_value::<AppState>(s, eframe::APP_KEY))
            .unwrap_or_default();
        state.language.get_or_insert_with(crate::text::Lang::system);
        let mut app = Self::new(state);
        app.embed = embed;
        app
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
        self.poll_export(&ctx);
        self.poll_page();
        // The update memo is lent to the panels, which also draw into `self`.
        let explain = std::mem::take(&mut self.explain);
        let (menu_command, toolbar_actions) = self.panels_ui(ui, &ctx, stage, &explain);
        self.explain = explain;

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
            Some(files::MenuCommand::Language(lang)) => {
                self.state.language = Some(lang);
                None
            }
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
}

impl eframe::App for OptiscopeApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        OptiscopeApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.embed {
            return;
        }
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
