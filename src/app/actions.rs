//! What the actions of the command table do (the toolbar, the menus and the keys all come
//! here), and the animation they drive.

use egui::ViewportCommand;

use super::OptiscopeApp;
use super::commands::Action;
use super::files::FileCommand;
use super::toast::Notice;
use crate::picture::export::ExportKind;
use crate::scene::preset::BUILTIN_PRESETS;
use crate::tr;

impl OptiscopeApp {
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
            Action::SavePage => self.request(ctx, FileCommand::SavePageDialog),
            Action::CopyEmbed => self.request(ctx, FileCommand::CopyEmbed),
            Action::ExportPng => self.request(ctx, FileCommand::ExportDialog(ExportKind::Png)),
            Action::ExportGif => self.request(ctx, FileCommand::ExportDialog(ExportKind::Gif)),
            Action::ExportCsv => self.request(ctx, FileCommand::ExportDialog(ExportKind::Csv)),
            Action::CopyPytorch => self.request(ctx, FileCommand::CopyPytorch),
            Action::CopyKeras => self.request(ctx, FileCommand::CopyKeras),
            Action::OpenSweep if self.state.scene.network.is_some() => {
                self.notice = Some(Notice::failed(tr!("actions-sweep-needs-surface")))
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

    pub(super) fn toggle_play(&mut self, max: f64) {
        self.anim.playing = !self.anim.playing;
        if self.anim.playing && self.anim.cursor >= max {
            self.anim.cursor = 0.0;
        }
    }

    pub(super) fn advance_animation(&mut self, ctx: &egui::Context) {
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
