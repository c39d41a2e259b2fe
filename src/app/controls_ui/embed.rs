//! The compact bar of an embed (`embed=1`): play, step, the step counter and the selected
//! run's learning-rate slider in one row that fits a 480-point-wide frame, and a way out to
//! the whole app.

use super::*;

/// What the embed bar asked for.
#[derive(Debug, Default)]
pub struct EmbedBar {
    /// Play/pause and step, applied like the toolbar's.
    pub actions: Vec<Action>,
    /// The viewer wants the whole app (the Full app button).
    pub full_app: bool,
}

/// The bar: the animation's buttons on the left, the selected run's learning rate in the
/// room that is left, the Full app button on the right. The slider edits the run in place.
pub fn embed_bar_ui(
    ui: &mut Ui,
    state: &mut AppState,
    cache: &Cache,
    anim: &Animation,
    max_steps: u64,
) -> EmbedBar {
    let mut bar = EmbedBar::default();
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        for action in [Action::PlayPause, Action::StepForward] {
            let def = commands::def(action);
            let label = if action == Action::PlayPause && anim.playing {
                tr!("controls-pause")
            } else {
                def.label()
            };
            if ui
                .button(label)
                .on_hover_text(commands::hover_text(ui.ctx(), def))
                .clicked()
            {
                bar.actions.push(action);
            }
        }
        // Numbers only: words would take the slider's room in a 480-point frame.
        ui.label(RichText::new(format!("{} / {}", anim.step(), max_steps)).monospace())
            .on_hover_text(tr!(
                "controls-step-of",
                step = anim.step(),
                steps = max_steps
            ));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            bar.full_app = ui
                .button(tr!("embed-full-app"))
                .on_hover_text(tr!("embed-full-app-help"))
                .clicked();
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                let i = state.selected.min(state.scene.runs.len().saturating_sub(1));
                let Some(run) = state.scene.runs.get_mut(i) else {
                    return;
                };
                let name = run.settings.label();
                let label = ui
                    .label(
                        RichText::new("lr")
                            .strong()
                            .color(on_background(ui.visuals(), run.rgb())),
                    )
                    .on_hover_text(tr!("embed-run-lr", run = name))
                    .id;
                // The value box after the rail takes about 60 points.
                let width = (ui.available_width() - 64.0).max(40.0);
                lr_slider_ui(ui, &mut run.settings, cache.start_curvature, width, label);
            });
        });
    });
    bar
}
