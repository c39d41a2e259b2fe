//! The window's layout: the menu bar, the toolbar, the controls panel (with the explain
//! panel), the step plots, the surface (2D, 3D or a network's views), the sweep window, the
//! help overlay and the toast. Panels edit the state in place and hand back what they ask for.

use egui::Ui;

use super::commands::{self, Action};
use super::files;
use super::platform;
use super::step_plot::PlotAxes;
use super::toast::{Notice, ToastClick};
use super::{
    OptiscopeApp, controls_ui, explain_ui, lower_plot_ui, network_ui, plots_ui, present_ui,
    surface_ui, surface3d_ui, sweep_ui,
};
use crate::core::run::simulation::StepDetail;
use crate::tr;

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

impl OptiscopeApp {
    /// Draws every panel from the state and the cache; returns what the menu bar and the
    /// toolbar asked for, applied after drawing. `stage` is the stage of the update shown.
    pub(super) fn panels_ui(
        &mut self,
        ui: &mut Ui,
        ctx: &egui::Context,
        stage: Option<usize>,
        explain: &explain_ui::UpdateMemo,
    ) -> (Option<files::MenuCommand>, Vec<Action>) {
        let network = self.state.scene.network.is_some();
        if self.embed {
            return (None, self.embed_ui(ui, ctx, explain));
        }
        let frame_ms = self
            .median_frame_time_ms()
            .filter(|_| self.state.show_frame_time && !self.state.presentation);

        let menu_command = egui::Panel::top("menu")
            .show(ui, |ui| {
                ui.horizontal(|ui| files::menu_bar_ui(ui, &self.state, self.built_page.as_deref()))
                    .inner
            })
            .inner;
        let max_steps = self.cache.max_steps(&self.state);
        let toggles: Vec<(Action, bool)> = commands::ACTIONS
            .iter()
            .map(|d| (d.action, self.is_on(d.action)))
            .collect();
        let explained = explain.cached(self.state.selected, self.anim.step());
        let stage_label = stage.zip(explained).and_then(|(i, (d, _))| {
            let s = d.stages.get(i)?;
            Some(tr!(
                "layout-stage-label",
                stage = i + 1,
                stages = d.stages.len(),
                name = crate::text::core_text(s.name)
            ))
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
                    let lr =
                        plots_ui::plots_ui(ui, &mut self.state, &self.cache, &self.anim, false);
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
            egui::CentralPanel::default().show(ui, |ui| self.view_ui(ui, update));
        });
        sweep_ui::sweep_window(ctx, &mut self.sweep, &mut self.state, &self.cache);
        present_ui::help_ui(ctx, &mut self.help);
        self.notice_ui(ctx);

        (menu_command, toolbar_actions)
    }

    /// The scene's view: a network's views, the 3D surface or the 2D surface with the update
    /// glyphs `update` (the update at the cursor, as far as its stages go).
    fn view_ui(&mut self, ui: &mut Ui, update: Option<(&StepDetail, usize)>) {
        if self.state.scene.network.is_some() {
            network_ui::network_ui(
                ui,
                &mut self.state,
                &self.cache,
                &self.anim,
                &mut self.network_views,
                self.embed,
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
            self.surface_ui.compact = self.embed;
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
    }

    /// An embed's window: the view, the LR plot beside it and the compact bar under both;
    /// no menus, no panels to scroll, so it fits a 480×300 frame. Returns the bar's actions.
    fn embed_ui(
        &mut self,
        ui: &mut Ui,
        ctx: &egui::Context,
        explain: &explain_ui::UpdateMemo,
    ) -> Vec<Action> {
        let max_steps = self.cache.max_steps(&self.state);
        let bar = egui::Panel::bottom("embed-bar")
            .show(ui, |ui| {
                controls_ui::embed_bar_ui(ui, &mut self.state, &self.cache, &self.anim, max_steps)
            })
            .inner;
        let width = ctx.content_rect().width();
        egui::CentralPanel::default().show(ui, |ui| {
            // The LR plot gets under a third of the frame; the view keeps the rest.
            let plots_width = (width * 0.3).clamp(140.0, 400.0);
            egui::Panel::right("embed-plots")
                .exact_size(plots_width)
                .show(ui, |ui| {
                    bounded(ui, |ui| {
                        ui.set_max_width((ui.available_width() - 12.0).max(100.0));
                        let lr =
                            plots_ui::plots_ui(ui, &mut self.state, &self.cache, &self.anim, true);
                        self.plot_axes = PlotAxes {
                            lr: Some(lr),
                            loss: None,
                        };
                    });
                });
            let update = explain
                .cached(self.state.selected, self.anim.step())
                .filter(|_| self.state.scene.update.shown())
                .map(|(d, _)| (d, usize::MAX));
            egui::CentralPanel::default().show(ui, |ui| self.view_ui(ui, update));
        });
        self.notice_ui(ctx);
        if bar.full_app {
            self.leave_embed(ctx);
        }
        bar.actions
    }

    /// The toast (and the page's live region): what the last command did, with its buttons.
    fn notice_ui(&mut self, ctx: &egui::Context) {
        if let Some(notice) = &self.notice {
            // Inside the surface plot, just above its frame's bottom: below it are the x
            // axis's labels, which a toast over the window's bottom edge covered.
            let within = self
                .surface_ui
                .overlay
                .plot
                .filter(|_| self.state.scene.network.is_none());
            let click = notice.toast_ui(ctx, within);
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
                        self.notice = Some(Notice::failed(tr!(
                            "layout-open-folder-failed",
                            error = e.text()
                        )));
                    }
                }
            }
        }
    }
}
