//! The toolbar: the command buttons, the animation's step, timeline and speed.

use super::*;

/// The toolbar, generated from the command table: its buttons and toggles, with the
/// timeline and the speed after the step buttons. Returns the actions clicked.
pub fn toolbar_ui(
    ui: &mut Ui,
    state: &mut AppState,
    max_steps: u64,
    anim: &mut Animation,
    toggles: &[(Action, bool)],
    frame_ms: Option<f64>,
    stage: Option<&str>,
) -> Vec<Action> {
    let mut clicked = Vec::new();
    let max = max_steps as f64;
    // Wraps onto a second row when the window is narrow (or enlarged for a lecture), so no
    // button is ever out of reach.
    let presenting = state.presentation;
    ui.horizontal_wrapped(|ui| {
        if presenting {
            // One row on a 1280×720 projector: the room knows which app this is, and the
            // sliders are shorter.
            ui.spacing_mut().slider_width = 70.0;
            ui.spacing_mut().item_spacing.x = 5.0;
        } else {
            ui.heading(tr!("controls-optiscope"));
            ui.separator();
        }
        for def in ACTIONS
            .iter()
            .filter(|d| matches!(d.place, Place::Toolbar | Place::Toggle))
        {
            let hover = commands::hover_text(ui.ctx(), def);
            let response = match def.place {
                Place::Toggle => {
                    let on = toggles.iter().any(|&(a, on)| a == def.action && on);
                    ui.selectable_label(on, def.label())
                }
                _ if def.action == Action::PlayPause && anim.playing => {
                    ui.button(tr!("controls-pause"))
                }
                _ => ui.button(def.label()),
            };
            if response.on_hover_text(hover).clicked() {
                clicked.push(def.action);
            }
            match def.action {
                Action::StepForward => {
                    ui.label(tr!(
                        "controls-step-of",
                        step = anim.step(),
                        steps = max_steps
                    ));
                    if let Some(stage) = stage {
                        ui.label(RichText::new(stage).color(ui.visuals().warn_fg_color))
                            .on_hover_text(tr!("controls-stepping-in-stages-step-shows"));
                    }
                    let mut cursor = anim.cursor;
                    let timeline = ui.add(
                        Slider::new(&mut cursor, 0.0..=max.max(1.0))
                            .show_value(false)
                            .text(tr!("controls-timeline")),
                    );
                    if timeline.changed() {
                        anim.playing = false;
                        anim.cursor = cursor.round();
                    }
                    ui.separator();
                    let speed = Slider::new(&mut state.scene.speed, 1.0..=10_000.0)
                        .logarithmic(true)
                        .custom_formatter(|v, _| format!("{v:.0}"));
                    let speed = if presenting {
                        speed.show_value(false)
                    } else {
                        speed.text(tr!("controls-steps-s"))
                    };
                    ui.add(speed)
                        .on_hover_text(tr!("controls-animation-speed-steps-per-second"));
                }
                Action::ResetView => {
                    ui.separator();
                }
                _ => {}
            }
        }
        if let Some(ms) = frame_ms {
            ui.separator();
            ui.label(
                RichText::new(tr!("controls-frame-time", ms = format!("{ms:.2}")))
                    .small()
                    .weak(),
            )
            .on_hover_text(tr!("controls-median-cpu-time-of-the"));
        }
    });
    clicked
}
