//! The toolbar (animation) and the left panel: surface, run list and the selected run's
//! optimizer, learning rate, decay, warmup, steps and noise.

use crate::core::optimizer::Framework;
use crate::core::run::simulation::{ascent_text, fmt_lr, status_lr, status_text};
use crate::tr;

mod embed;
mod run;
mod toolbar;
use egui::{Color32, RichText, Slider, Ui};
pub use embed::embed_bar_ui;
use run::{lr_slider_ui, selected_run_ui};
pub use toolbar::toolbar_ui;

use super::cache::Cache;
use super::commands::{self, ACTIONS, Action, Place};
use super::params_ui::{item_combo_ui, params_ui};
use super::state::{Animation, MAX_APP_STEPS};
use super::state::{AppState, MAX_RUNS, PALETTE};
use super::theme::{DIVERGED_COLOR, LIMIT_COLOR, MOMENTUM_LIMIT_COLOR, on_background, readable};
use crate::AnyOptimizer;
use crate::core::analysis::{Curvature, LimitKind};
use crate::core::spec::fmt_num;
use crate::core::surface::Capabilities;
use crate::{OPTIMIZERS, RunSettings, SCHEDULES, SURFACES, WARMUPS};

/// The learning-rate slider's range.
pub const LR_RANGE: (f64, f64) = (1e-5, 10.0);

/// Where `lr` lies on a logarithmic slider over [`LR_RANGE`] whose rail is `rail` (the rect
/// egui allocates for the rail alone: `slider_width` wide), as egui places its handle: the
/// handle's centre travels inside the rail by its half-width, `rail.height() / 2.5` for a
/// round handle and that times the aspect ratio for egui's default rectangular one.
pub fn slider_x(rail: egui::Rect, handle: egui::style::HandleShape, lr: f64) -> Option<f32> {
    let (lo, hi) = (LR_RANGE.0.log10(), LR_RANGE.1.log10());
    let t = (lr.log10() - lo) / (hi - lo);
    if !(0.0..=1.0).contains(&t) {
        return None;
    }
    let radius = rail.height() / 2.5
        * match handle {
            egui::style::HandleShape::Circle => 1.0,
            egui::style::HandleShape::Rect { aspect_ratio } => aspect_ratio,
        };
    Some(rail.left() + radius + t as f32 * (rail.width() - 2.0 * radius))
}

pub fn controls_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    if state.presentation {
        // The room reads the Hessian line, the run statuses and the stability text too: no
        // small print in front of a class.
        if let Some(body) = ui.style().text_styles.get(&egui::TextStyle::Body).cloned() {
            ui.style_mut()
                .text_styles
                .insert(egui::TextStyle::Small, body);
        }
        // In front of a class the banner shows the scene's text, and what the lecturer reaches
        // for (learning rate, decay, warmup) comes first.
        selected_run_ui(ui, state, cache);
        ui.separator();
        runs_section_ui(ui, state, cache);
        ui.separator();
        setting_section_ui(ui, state, cache);
        return;
    }
    scene_section_ui(ui, state);
    ui.separator();
    setting_section_ui(ui, state, cache);
    ui.separator();
    runs_section_ui(ui, state, cache);
    ui.separator();
    selected_run_ui(ui, state, cache);
}

/// The scene's title and lecture note, editable so a student can write down what they found.
fn scene_section_ui(ui: &mut Ui, state: &mut AppState) {
    let lang = state.lang();
    let title = if state.scene.title_in(lang).trim().is_empty() {
        tr!("controls-untitled-scene")
    } else {
        state.scene.title_in(lang).to_owned()
    };
    let editing_id = ui.scope_id().with("editing-scene-text");
    let mut editing = ui.data(|d| d.get_temp::<bool>(editing_id).unwrap_or(false));
    // The button on the right, the title wrapped in what is left: a long title never
    // pushes the panel's content past its edge.
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
        if ui
            .small_button(if editing {
                tr!("controls-done")
            } else {
                tr!("controls-edit")
            })
            .on_hover_text(tr!("controls-edit-the-scene-s-title"))
            .clicked()
        {
            editing = !editing;
        }
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Min), |ui| {
            ui.add(egui::Label::new(RichText::new(title).strong().size(15.0)).wrap());
        });
    });
    if editing {
        // The text of the interface's language where the scene has one, else its own.
        let (title, description) = state.scene.text_mut(lang);
        ui.add(
            egui::TextEdit::singleline(title)
                .hint_text(tr!("controls-title"))
                .desired_width(f32::INFINITY),
        );
        ui.add(
            egui::TextEdit::multiline(description)
                .hint_text(tr!("controls-notes-hint"))
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        );
    } else if !state.scene.description_in(lang).is_empty() {
        // The lecture note, at reading size.
        ui.label(crate::scene::notes::resolve_colours(
            state.scene.description_in(lang),
            ui.visuals().dark_mode,
        ));
    }
    ui.data_mut(|d| d.insert_temp(editing_id, editing));
}

/// What the runs optimize: the surface, or the network and its data.
fn setting_section_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    if state.scene.network.is_some() {
        network_section_ui(ui, state, cache);
    } else {
        surface_section_ui(ui, state, cache);
    }
}

/// The network scene's model, data and sharpness interval.
fn network_section_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    use crate::core::network::{DATASETS, MODELS};
    let Some(network) = state.scene.network.as_mut() else {
        return;
    };
    ui.strong(tr!("controls-network"));
    item_combo_ui(ui, &tr!("controls-model"), &MODELS, &mut network.model);
    params_ui(ui, "model", &MODELS, &mut network.model);
    item_combo_ui(ui, &tr!("controls-data"), &DATASETS, &mut network.data);
    params_ui(ui, "data", &DATASETS, &mut network.data);
    if let Some(item) = DATASETS.def(&network.data.name) {
        ui.label(
            RichText::new(item.summary_text(DATASETS.family))
                .small()
                .weak(),
        );
    }
    ui.horizontal(|ui| {
        let label = ui
            .label(tr!("controls-sharpness-every"))
            .on_hover_text(tr!("controls-sharpness-every-help"))
            .id;
        ui.add(
            egui::DragValue::new(&mut network.sharpness_every)
                .range(0..=10_000)
                .speed(0.5)
                .suffix(format!(" {}", tr!("controls-steps-suffix"))),
        )
        .labelled_by(label);
    });
    let net = &cache.network;
    if let Some(e) = &net.error {
        ui.colored_label(readable(ui.visuals(), DIVERGED_COLOR), e);
    }
    if let (Some(mlp), Some(data)) = (&net.net, &net.data) {
        let sizes: Vec<String> = mlp.sizes.iter().map(|s| s.to_string()).collect();
        ui.label(
            RichText::new(tr!(
                "controls-network-summary",
                sizes = sizes.join("-"),
                parameters = mlp.parameter_count(),
                training = data.x.len(),
                held_out = data.x_test.len()
            ))
            .small()
            .weak(),
        );
    }
}

fn surface_section_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    ui.strong(tr!("controls-surface"));
    if item_combo_ui(
        ui,
        &tr!("controls-surface"),
        &SURFACES,
        &mut state.scene.surface,
    ) {
        state.scene.view = None;
    }
    params_ui(ui, "surface", &SURFACES, &mut state.scene.surface);
    if let Some(item) = SURFACES.def(&state.scene.surface.name) {
        ui.label(
            RichText::new(item.summary_text(SURFACES.family))
                .small()
                .weak(),
        );
    }
    if let Some(e) = &cache.surface_error {
        ui.colored_label(readable(ui.visuals(), DIVERGED_COLOR), e);
    }
    if let Some(share) = cache
        .grid
        .as_ref()
        .map(|g| g.undefined_share)
        .filter(|s| *s > 0.0)
    {
        ui.add(
            egui::Label::new(
                RichText::new(tr!(
                    "controls-undefined-share",
                    share = if share < 0.01 {
                        tr!("controls-under-one-percent")
                    } else {
                        format!("{:.0}%", share * 100.0)
                    }
                ))
                .small()
                .color(readable(ui.visuals(), DIVERGED_COLOR)),
            )
            .wrap(),
        );
    }
    ui.horizontal(|ui| {
        ui.label(tr!("controls-start"));
        for (i, axis) in ["x", "y"].iter().enumerate() {
            ui.add(
                egui::DragValue::new(&mut state.scene.start[i])
                    .speed(0.01)
                    .range(-1e6..=1e6)
                    .prefix(format!("{axis} "))
                    .max_decimals(4),
            );
        }
    })
    .response
    .on_hover_text(tr!("controls-click-or-drag-on-the"));
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(
            &mut state.scene.show_contours,
            tr!("controls-contour-lines"),
        );
        ui.checkbox(
            &mut state.show_gradient_field,
            tr!("controls-gradient-field"),
        )
        .on_hover_text(tr!("controls-arrows-of-grad-f-where"));
        ui.checkbox(&mut state.show_curvature, tr!("controls-curvature"))
            .on_hover_text(tr!("controls-the-hessian-s-eigen-directions"));
        use crate::scene::preset::UpdateView;
        let mut shown = state.scene.update.shown();
        if ui
            .checkbox(&mut shown, tr!("controls-update-arrows"))
            .on_hover_text(tr!("controls-update-arrows-help"))
            .changed()
        {
            state.scene.update = if shown {
                UpdateView::Shown
            } else {
                UpdateView::Hidden
            };
        }
        let mut staged = state.scene.update == UpdateView::Staged;
        if ui
            .add_enabled(
                shown,
                egui::Checkbox::new(&mut staged, tr!("controls-in-stages")),
            )
            .on_hover_text(tr!("controls-in-stages-help"))
            .changed()
        {
            state.scene.update = if staged {
                UpdateView::Staged
            } else {
                UpdateView::Shown
            };
        }
    });
}

fn runs_section_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    ui.horizontal_wrapped(|ui| {
        ui.strong(tr!("controls-runs"));
        let full = state.scene.runs.len() >= MAX_RUNS;
        if ui
            .add_enabled(!full, egui::Button::new(tr!("controls-add")))
            .on_hover_text(tr!("controls-add-a-run-up-to"))
            .clicked()
        {
            let mut run = super::state::RunState::new(RunSettings {
                optimizer: crate::core::spec::Spec::named("adam"),
                lr: 0.1,
                ..Default::default()
            });
            run.color = Some(state.free_color());
            state.scene.runs.push(run);
            state.selected = state.scene.runs.len() - 1;
        }
        if ui
            .add_enabled(!full, egui::Button::new(tr!("controls-duplicate")))
            .on_hover_text(tr!("controls-copy-the-selected-run"))
            .clicked()
        {
            let mut run = state.scene.runs[state.selected].clone();
            run.color = Some(state.free_color());
            state.scene.runs.push(run);
            state.selected = state.scene.runs.len() - 1;
        }
        // The same run under the other framework's optimizer of the same name.
        let selected = &state.scene.runs[state.selected].settings.optimizer;
        let twin = crate::core::optimizer::twin(selected);
        let own = crate::OPTIMIZERS
            .find(&selected.name)
            .map_or(Framework::PyTorch, |item| item.framework());
        let other = Framework::ALL
            .into_iter()
            .find(|&f| f != own)
            .unwrap_or(own);
        let hover = match &twin {
            Some(t) => tr!(
                "controls-same-in-help",
                framework = other.name(),
                optimizer = t.to_string()
            ),
            None => tr!("controls-no-twin", framework = other.name()),
        };
        if ui
            .add_enabled(
                !full && twin.is_some(),
                egui::Button::new(tr!("controls-same-in", framework = other.name())),
            )
            .on_hover_text(hover)
            .on_disabled_hover_text(if full {
                tr!("controls-at-most-runs")
            } else {
                tr!("controls-no-twin", framework = other.name())
            })
            .clicked()
            && let Some(twin) = twin
        {
            let mut run = state.scene.runs[state.selected].clone();
            run.settings.optimizer = twin;
            run.color = Some(state.free_color());
            state.scene.runs.push(run);
            state.selected = state.scene.runs.len() - 1;
        }
        let last = state.scene.runs.len() <= 1;
        if ui
            .add_enabled(!last, egui::Button::new(tr!("controls-remove")))
            .on_hover_text(tr!("controls-remove-the-selected-run"))
            .clicked()
        {
            let removed = state.selected;
            state.scene.runs.remove(removed);
            state.selected = state.selected.min(state.scene.runs.len() - 1);
            // The landscape's centre run follows the runs it was among.
            if let Some(network) = &mut state.scene.network
                && (network.run > removed || network.run >= state.scene.runs.len())
            {
                network.run = network.run.saturating_sub(1);
            }
        }
    });
    let mut select = None;
    let network = state.scene.network.is_some();
    for (i, run) in state.scene.runs.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let swatch = ui
                .color_edit_button_srgb(run.color.get_or_insert(PALETTE[0]))
                .on_hover_text(tr!("controls-color-of-this-run"));
            // egui outlines a swatch in the widget's fill, which a white swatch on the light
            // theme (or a dark one on the dark theme) vanishes into: outline it in the text's
            // colour instead.
            ui.painter().rect_stroke(
                swatch.rect,
                ui.visuals().widgets.inactive.corner_radius,
                egui::Stroke::new(1.0, ui.visuals().text_color()),
                egui::StrokeKind::Inside,
            );
            ui.checkbox(&mut run.visible, tr!("controls-show"))
                .on_hover_text(tr!("controls-show-this-run"));
            let full = run.settings.label();
            let label = RichText::new(&full).color(on_background(ui.visuals(), run.rgb()));
            // Cut to the panel's width; the whole spec on hover.
            let button = egui::Button::selectable(state.selected == i, label).truncate();
            if ui.add(button).on_hover_text(full).clicked() {
                select = Some(i);
            }
        });
        if let Some(result) = cache.runs.get(i) {
            let lr = status_lr(&result.status, &result.lr_preview, run.settings.lr);
            let text = match cache.network.runs.get(i).filter(|_| network) {
                Some(trained) => trained_text(trained, &result.status, lr, run.settings.steps),
                None => status_text(&result.status, lr, run.settings.steps),
            };
            let color = if result.status.is_diverged() {
                readable(ui.visuals(), DIVERGED_COLOR)
            } else {
                ui.visuals().weak_text_color()
            };
            ui.add(
                egui::Label::new(RichText::new(format!("      {text}")).small().color(color))
                    .wrap(),
            );
            // A rate below zero climbs the loss: said, not left to be guessed from the path.
            if let Some((step, lr)) = result.curves.ascent {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("      {}", ascent_text(step, lr)))
                            .small()
                            .color(readable(ui.visuals(), DIVERGED_COLOR)),
                    )
                    .wrap(),
                );
            }
        }
    }
    if let Some(i) = select {
        state.selected = i;
    }
}

/// A network run's line in the run list: how far it trained, or how it ended.
fn trained_text(
    trained: &super::network::NetRun,
    status: &crate::core::run::simulation::Status,
    lr: f64,
    steps: u64,
) -> String {
    if let Some(e) = &trained.error {
        return e.clone();
    }
    let last = trained.rows.last();
    match (trained.status, last) {
        (None, _) => tr!(
            "controls-training-step",
            step = last.map_or(0, |r| r.step),
            steps = steps
        ),
        (Some(crate::core::run::simulation::Status::Completed), Some(r)) => tr!(
            "controls-trained",
            steps = steps,
            loss = fmt_lr(r.loss),
            held_out = fmt_lr(r.test_loss)
        ),
        _ => status_text(status, lr, steps),
    }
}
